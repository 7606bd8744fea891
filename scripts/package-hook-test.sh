#!/usr/bin/env bash
# The pre-commit hooks with `language: python`, tested with `pre-commit try-repo` on this
# repository's committed HEAD, pip taking the hcdb-lint wheel from a local directory instead of
# an index: a temporary git repository with one good and one bad request body.
#   package-hook-test.sh PRE_COMMIT WHEEL_DIR WORK_DIR
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
pre_commit="$1" wheels="$2" work="$3"
ref="$(git -C "$repo" rev-parse HEAD)"
git -C "$repo" cat-file -e "$ref:pyproject.toml" || {
  echo "error: pyproject.toml is not committed at HEAD" >&2
  exit 1
}
mkdir -p "$work"
cd "$work"
git init --quiet .
git config user.email test@example.invalid
git config user.name test
cp "$repo/examples/ddm-scale-out.valid.json" good.json
cp "$repo/examples/ddm-scale-out.invalid.json" bad.json
git add good.json bad.json
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" PRE_COMMIT_HOME="$work/.pre-commit-home"
export PRE_COMMIT_COLOR=never
code=0
out="$("$pre_commit" try-repo "$repo" hcdb-lint-python --ref "$ref" --files good.json bad.json 2>&1)" || code=$?
if [ "$code" -ne 1 ] || ! grep -q 'DDM201' <<<"$out" || grep -q 'good.json' <<<"$out"; then
  printf '%s\n' "$out"
  echo "FAIL: hcdb-lint-python should fail on bad.json only (exit $code)" >&2
  exit 1
fi
code=0
out="$("$pre_commit" try-repo "$repo" hcdb-lint-python --ref "$ref" --files good.json 2>&1)" || code=$?
if [ "$code" -ne 0 ]; then
  printf '%s\n' "$out"
  echo "FAIL: hcdb-lint-python should pass good.json (exit $code)" >&2
  exit 1
fi
echo "[package-hook-test] hcdb-lint-python: fails bad.json, passes good.json"
