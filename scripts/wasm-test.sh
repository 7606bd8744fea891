#!/usr/bin/env bash
# Tests of the browser package: builds it (scripts/wasm-build.sh installs the toolchain), then runs
# `node --test wasm/test/` against the nodejs build: the corpus differential test, the API tests,
# the TypeScript declarations check, and the demo in headless Chromium (installed via apt when
# /usr/bin/chromium is missing). Screenshots go to wasm/test-output/.
#
# The size budget is checked by the build; when it fails, the tests still run (their verdicts
# are worth having) and this script fails at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[wasm-test] %s\n' "$*"; }

build_status=0
bash scripts/wasm-build.sh || build_status=$?
if [ ! -f wasm/pkg/node/hcdb_lint.js ] || [ ! -f wasm/pkg/web/hcdb_lint.js ]; then
  say "the build produced no package"
  exit 1
fi

# Chromium, and a CJK font so that the zh screenshot is legible (the test reads text, not pixels).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  say "installing from Debian: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi

mkdir -p wasm/test-output
say "node --test wasm/test/"
node --test --test-reporter=spec wasm/test/*.test.mjs

if [ "$build_status" -ne 0 ]; then
  say "FAIL: the build failed its checks (see the size report above)"
  exit "$build_status"
fi
say "ok"
