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
