#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml, tested for real: `pre-commit try-repo` builds
# the hook with `cargo install` from this repository's committed HEAD and runs it in a temporary
# git repository holding one good and one bad request body, then a Terraform module.
#
# Installs pre-commit from PyPI into a virtualenv if it is not on PATH. Works without a terminal
# (CI=true, no stdin). Build artifacts are kept in target/precommit so reruns are quick.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

# ---- pre-commit
if command -v pre-commit >/dev/null 2>&1; then
  PRE_COMMIT=(pre-commit)
else
  venv="${XDG_CACHE_HOME:-$HOME/.cache}/hcdb-lint/pre-commit-venv"
  if [ ! -x "$venv/bin/pre-commit" ]; then
    echo "installing pre-commit from PyPI into $venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
  fi
  PRE_COMMIT=("$venv/bin/pre-commit")
fi
"${PRE_COMMIT[@]}" --version

# try-repo takes the hooks from a git ref. Pin HEAD: uncommitted changes in this checkout are
# not what would be published (try-repo would otherwise snapshot tracked edits).
ref="$(git -C "$repo" rev-parse HEAD)"
git -C "$repo" cat-file -e "$ref:.pre-commit-hooks.yaml" || {
  echo "error: .pre-commit-hooks.yaml is not committed at HEAD" >&2
  exit 1
}
export CARGO_TARGET_DIR="$repo/target/precommit"
# The hook's behaviour does not depend on optimisation; building it unoptimised halves the
# time `cargo install` takes on a clean clone.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export PRE_COMMIT_COLOR=never

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
git init --quiet .
git config user.email test@example.invalid
git config user.name test

good="$repo/examples/ddm-scale-out.valid.json"
bad="$repo/examples/ddm-scale-out.invalid.json"
if [ -f "$good" ] && [ -f "$bad" ]; then
  cp "$good" good.json
  cp "$bad" bad.json
else
  printf '{"flavor_id": "f1", "node_number": 2}\n' >good.json
  printf '{"flavor_id": "f1", "node_number": 0}\n' >bad.json
fi
git add good.json bad.json

fails=0
# expect NAME WANT_EXIT MUST_CONTAIN MUST_NOT_CONTAIN -- try-repo args...
expect() {
  local name="$1" want="$2" has="$3" hasnt="$4"
  shift 5
  local out code=0
  out="$("${PRE_COMMIT[@]}" try-repo "$repo" "$@" --ref "$ref" </dev/null 2>&1)" || code=$?
  if [ "$code" != "$want" ] || ! grep -qF -- "$has" <<<"$out" \
    || { [ -n "$hasnt" ] && grep -qF -- "$hasnt" <<<"$out"; }; then
    echo "FAIL: $name (exit $code, wanted $want; wanted '$has'${hasnt:+, not '$hasnt'})"
    echo "$out" | tail -40
    fails=$((fails + 1))
  else
    echo "ok: $name"
  fi
}

# The first run builds the hook (cargo install), which takes a while.
expect "good and bad files: the hook fails on the bad one" 1 "bad.json" "good.json:" -- \
  hcdb-lint --all-files --verbose
expect "the good file alone passes" 0 "Passed" "" -- hcdb-lint --files good.json
expect "the bad file alone fails" 1 "DDM201" "" -- hcdb-lint --files bad.json --verbose

# The config-driven variant: checks what hcdb-lint.json's `files` names, whatever is staged.
mkdir requests
git mv good.json requests/good.json
printf '{"files": ["requests/*.json"]}\n' >hcdb-lint.json
git add hcdb-lint.json
expect "config variant passes with only the good file" 0 "Passed" "" -- hcdb-lint-config --all-files
git mv bad.json requests/bad.json
expect "config variant fails once the bad file is in requests/" 1 "requests/bad.json" "" -- \
  hcdb-lint-config --all-files --verbose

# Terraform: the staged .tf file's directory is read as a module, with its variables file.
mkdir -p infra
printf 'variable "engine" {\n  default = "rocksDB"\n}\n' >infra/variables.tf
cat >infra/main.tf <<'EOF'
resource "huaweicloud_geminidb_instance" "g" {
  name              = "gdb-orders"
  mode              = "Cluster"
  availability_zone = "cn-north-4a"
  vpc_id            = huaweicloud_vpc.v.id
  subnet_id         = huaweicloud_vpc_subnet.s.id
  security_group_id = huaweicloud_networking_secgroup.g.id
  password          = random_password.p.result
  ssl_option        = "on"
  datastore {
    type           = "cassandra"
    version        = "3.11"
    storage_engine = var.engine
  }
  flavor {
    num       = 3
    size      = 500
    storage   = "ULTRAHIGH"
    spec_code = "geminidb.cassandra.xlarge.4"
  }
}
EOF
git add infra
expect "terraform hook passes a good module" 0 "Passed" "" -- hcdb-lint-terraform --files infra/main.tf
printf 'engine = "RocksDB"\n' >infra/terraform.tfvars
git add infra/terraform.tfvars
expect "terraform hook fails on the value from terraform.tfvars" 1 "GDB108" "" -- \
  hcdb-lint-terraform --files infra/main.tf --verbose

# A repository that holds other JSON beside its request bodies (tests/data/mixed-repo:
# package.json, tsconfig.json with comments, app configs with `instance`/`datastore` members,
# RDS/DDS/GaussDB bodies): the hook judges only the request bodies.
mixed="$repo/tests/data/mixed-repo"
if [ -d "$mixed" ]; then
  cd "$work" && rm -rf mixed && mkdir mixed && cd mixed
  git init --quiet .
  git config user.email test@example.invalid
  git config user.name test
  cp -R "$mixed"/. .
  git add -A
  expect "mixed repository: only the bad request body fails" 1 "cassandra-bad.json" "package.json:" -- \
    hcdb-lint --all-files --verbose
  expect "mixed repository: other JSON is skipped and said so" 1 "are not request bodies: skipped" "" -- \
    hcdb-lint --all-files --verbose
  git rm --quiet -f requests/cassandra-bad.json
  expect "mixed repository without the bad body passes" 0 "Passed" "" -- hcdb-lint --all-files
  total=10
else
  echo "FAIL: $mixed is missing"
  fails=$((fails + 1))
  total=7
fi

passed=$((total - fails))
echo "precommit: $passed passed, $fails failed"
[ "$fails" = 0 ]
