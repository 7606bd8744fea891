#!/usr/bin/env bash
# Every test of the project, in one command. Installs what the steps need (see each script).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's duration is printed when the next one starts, and all of them at the end.
durations=()
last_step="" last_start=$SECONDS
step() {
  [ -n "$last_step" ] && durations+=("$(printf '%5d s  %s' $((SECONDS - last_start)) "$last_step")")
  last_step="$*" last_start=$SECONDS
  printf '\n==> %s\n' "$*"
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

# Real Terraform plan documents for the plan reader's conformance test (tests/terraform_plan.rs):
# hashicorp/terraform-json's testdata, as Debian packages it.
TFJSON=golang-github-hashicorp-terraform-json-dev
if ! dpkg-query -W -f='${Status}' "$TFJSON" 2>/dev/null | grep -q "install ok installed"; then
  step "installing test data from Debian: $TFJSON"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "$TFJSON"
fi

step "cargo test --workspace"
cargo test --workspace

# The browser package's build of the core (no default features: no CLI, no `pattern`, no `docs`,
# so the packs are embedded without their documentation): its unit tests, natively (the Node
# tests below check its verdicts through wasm).
step "cargo test --lib --no-default-features"
cargo test --lib --no-default-features --quiet

step "cargo doc (broken intra-doc links are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

# Further suites, each of which installs its own tools. A missing script is an error, not a skip.
# site-test: the documentation site built and its links checked; package-test: the crate, the
# wheel and the npm tarball installed the way users install them (after wasm-test, which builds
# the browser package).
for suite in scripts/wasm-test.sh scripts/editor-test.sh scripts/precommit-test.sh scripts/fuzz-smoke.sh \
  scripts/site-test.sh scripts/package-test.sh; do
  [ -e "$suite" ] || { echo "error: $suite is missing" >&2; exit 1; }
  step "$suite"
  bash "$suite"
done
step "done"
printf '%s\n' "${durations[@]}"
echo
echo "all test suites passed"
