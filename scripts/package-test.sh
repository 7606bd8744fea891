#!/usr/bin/env bash
# The packages, installed the way users install them, each into a fresh temporary place:
#   1. the crate: `cargo install --locked --path .`, and from the crate file `cargo package`
#      makes (which must hold everything build.rs reads);
#   2. the Python wheel (maturin, `bindings = "bin"`) into a fresh virtual environment, and the
#      pre-commit `language: python` hook installed from it;
#   3. the browser package's `npm pack` tarball into a fresh Vite app, bundled, served on
#      127.0.0.1 and run in headless Chromium (scripts/package-app/).
# Each installed hcdb-lint checks a valid body (exit 0) and an invalid one (exit 1). Installs
# what it needs: maturin and pre-commit from PyPI into virtual environments under the cache, Vite
# from npm into the app, the browser package via scripts/wasm-build.sh when wasm/pkg is missing.
# Compiled dependencies are kept in target/package-test so reruns are quick.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

MATURIN_VERSION=1.16.0
VITE_VERSION=6.4.6
cache="${XDG_CACHE_HOME:-$HOME/.cache}/hcdb-lint"
export CARGO_TARGET_DIR="$repo/target/package-test"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { printf '[package-test] %s\n' "$*"; }
t0=$SECONDS
lap() { say "$1 ($((SECONDS - t0)) s so far)"; }

# try BIN: a valid body passes, an invalid one fails with its findings.
try() {
  local bin="$1" out code
  "$bin" --version
  "$bin" check --no-config examples/ddm-scale-out.valid.json >/dev/null
  code=0
  out="$("$bin" check --no-config --format json examples/ddm-scale-out.invalid.json)" || code=$?
  if [ "$code" -ne 1 ] || ! grep -q '"DDM201"' <<<"$out"; then
    say "FAIL: $bin on an invalid body: exit $code"
    exit 1
  fi
}

# ---- 1. the crate
cargo package --allow-dirty --no-verify --quiet -p hcdb-lint
crate=$(ls -t "$CARGO_TARGET_DIR"/package/hcdb-lint-*.crate | head -1)
listing="$(tar -tzf "$crate")"
for need in build.rs src/lib.rs src/engine/pack.rs src/levels.rs rules/common.json rules/terraform/huaweicloud-ddm.json Cargo.lock; do
  grep -q "/$need\$" <<<"$listing" || { say "FAIL: $crate lacks $need"; exit 1; }
done
say "crate file: $(basename "$crate"), $(wc -c <"$crate") bytes, $(wc -l <<<"$listing") files"
tar -xzf "$crate" -C "$work"
cargo install --locked --quiet --path "$work"/hcdb-lint-*/ --root "$work/from-crate"
try "$work/from-crate/bin/hcdb-lint"
cargo install --locked --quiet --path . --root "$work/from-path"
try "$work/from-path/bin/hcdb-lint"
lap "cargo install: from the crate file and from the path: ok"

# ---- 2. the Python wheel
mvenv="$cache/maturin-$MATURIN_VERSION"
if [ ! -x "$mvenv/bin/maturin" ]; then
  say "installing maturin $MATURIN_VERSION from PyPI into $mvenv"
  python3 -m venv "$mvenv"
  "$mvenv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
fi
(cd python && "$mvenv/bin/maturin" build --release --quiet -o "$work/wheels")
wheel=$(ls "$work"/wheels/hcdb_lint-*.whl)
say "wheel: $(basename "$wheel"), $(wc -c <"$wheel") bytes"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
# On PATH as pip put it there: the venv's bin, nothing else of ours.
(PATH="$work/venv/bin:/usr/bin:/bin" try hcdb-lint)
lap "pip install of the wheel into a fresh virtual environment: ok"

# The pre-commit hook with `language: python`: pre-commit installs this repository's
# pyproject.toml, which depends on the wheel; pip finds it (and setuptools) in a local directory.
if [ -n "${PRE_COMMIT:-}" ]; then :; elif command -v pre-commit >/dev/null 2>&1; then
  PRE_COMMIT=pre-commit
else
  pvenv="$cache/pre-commit-venv"
  if [ ! -x "$pvenv/bin/pre-commit" ]; then
    python3 -m venv "$pvenv"
    "$pvenv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
  fi
  PRE_COMMIT="$pvenv/bin/pre-commit"
fi
"$work/venv/bin/python" -m pip download --quiet --disable-pip-version-check -d "$work/wheels" setuptools
bash scripts/package-hook-test.sh "$PRE_COMMIT" "$work/wheels" "$work/hook"
lap "pre-commit hook hcdb-lint-python from the wheel: ok"

# ---- 3. the browser package in a bundled app
if [ ! -f wasm/pkg/package.json ]; then
  bash scripts/wasm-build.sh
fi
[ -x wasm/node_modules/.bin/terser ] || (cd wasm && npm ci --no-audit --no-fund)
npm pack --silent ./wasm/pkg --pack-destination "$work" >/dev/null
tarball=$(ls "$work"/hcdb-lint-*.tgz)
say "npm tarball: $(basename "$tarball"), $(wc -c <"$tarball") bytes, $(tar -tzf "$tarball" | wc -l) files"
app="$work/app"
mkdir -p "$app"
cp scripts/package-app/index.html scripts/package-app/main.js "$app/"
printf '{ "name": "app", "private": true, "type": "module" }\n' >"$app/package.json"
(cd "$app" && npm install --silent --no-audit --no-fund "$tarball" "vite@$VITE_VERSION")
(cd "$app" && npx --no-install vite build --logLevel warn)
say "bundle: $(du -sb "$app/dist" | cut -f1) bytes in $(find "$app/dist" -type f | wc -l) files"
# The Node entry (CommonJS, no init) from the same install.
(cd "$app" && node -e '
  const l = require("hcdb-lint");
  const r = l.checkJson("ddm-scale-out", "{\"flavor_id\": \"f\", \"node_number\": 0}");
  if (!r.diagnostics.some((d) => d.rule === "DDM201")) { console.error(r); process.exit(1); }
  console.log("[package-test] node entry: ok");')
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
node scripts/package-app/run.mjs "$app/dist" "$repo/wasm/node_modules"
lap "npm tarball in a Vite app, in headless Chromium: ok"
