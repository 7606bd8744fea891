#!/usr/bin/env bash
# Build the browser package: wasm/pkg/web (ES module for browsers), wasm/pkg/node (CommonJS for
# Node), wasm/pkg/package.json. Installs what it needs from crates.io / npm when missing: the
# wasm32 target, wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock,
# and wasm/node_modules (binaryen >= 116 for wasm-opt; Debian's binaryen 108 breaks the module).
# Prints the gzipped size of .wasm + JS glue against the 160 KiB (163,840-byte) budget. Size is a target, not a
# test (targets live in benchmarks): over budget is reported loudly, and fails the build only
# with WASM_SIZE_STRICT=1.
set -euo pipefail
cd "$(dirname "$0")/.."

CRATE=hcdb-lint-wasm
LIB=hcdb_lint_wasm
PROFILE=wasm-release
BUDGET=$((160 * 1024))
OUT=wasm/pkg

say() { printf '[wasm-build] %s\n' "$*"; }

# The module is built by a pinned nightly that also compiles the standard library (build-std)
# with `-C panic=immediate-abort` and no panic locations: a panic (there should be none: every
# bad argument is a JS Error) traps at once instead of carrying the formatting machinery and
# messages that say why. 8.6 KB gzipped less, same verdicts (the Node and Chromium tests run on
# this build). HCDB_WASM_TOOLCHAIN=stable builds with the machine's stable toolchain instead.
NIGHTLY=nightly-2026-05-20
TOOLCHAIN=${HCDB_WASM_TOOLCHAIN:-$NIGHTLY}
if [ "$TOOLCHAIN" = "$NIGHTLY" ]; then
  # Idempotent for a dated toolchain (no update); adds whatever part is missing.
  if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 \
    || ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' \
    || ! rustup target list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "installing $NIGHTLY with rust-src and the wasm32-unknown-unknown target"
    if ! rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown; then
      # Said loudly, not skipped: the package is still built and tested, only larger.
      say "WARNING: cannot install $NIGHTLY (rustup's server unreachable?): building with the stable"
      say "WARNING: toolchain instead; the module will be ~9 KB gzipped larger (over the budget)"
      TOOLCHAIN=stable
    fi
  fi
fi
if [ "$TOOLCHAIN" = "$NIGHTLY" ]; then
  TARGET_DIR=target/wasm-size
  # RUSTFLAGS for this build only (the cargo install below must not see nightly flags). core
  # and alloc keep the optimisation level of the prebuilt standard library (3): built for size
  # like the rest, string and memory primitives made the package ~25% slower for 60 bytes.
  BUILD=(env "RUSTFLAGS=-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
    cargo "+$NIGHTLY" build -Z build-std=std,panic_abort
    --config profile.$PROFILE.package.core.opt-level=3
    --config profile.$PROFILE.package.alloc.opt-level=3)
elif [ "$TOOLCHAIN" = stable ]; then
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  TARGET_DIR=target
  BUILD=(cargo build)
else
  say "HCDB_WASM_TOOLCHAIN must be unset (the pinned $NIGHTLY) or 'stable', got '$TOOLCHAIN'"
  exit 1
fi

# The CLI must match the crate exactly: the generated glue and the module speak one protocol.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then
  say "cannot find the wasm-bindgen version in Cargo.lock"
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  # Not --locked: one of its locked dependencies is not on the registry mirror here.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

if [ ! -x wasm/node_modules/.bin/wasm-opt ] || [ ! -x wasm/node_modules/.bin/terser ] \
  || [ wasm/package-lock.json -nt wasm/node_modules/.package-lock.json ]; then
  say "npm ci in wasm/"
  (cd wasm && npm ci --no-audit --no-fund)
fi
WASM_OPT=wasm/node_modules/.bin/wasm-opt
TERSER=wasm/node_modules/.bin/terser

say "${BUILD[*]:2} --target wasm32-unknown-unknown --profile $PROFILE -p $CRATE (toolchain: $TOOLCHAIN)"
"${BUILD[@]}" --quiet --target wasm32-unknown-unknown --profile "$PROFILE" -p "$CRATE" --target-dir "$TARGET_DIR"
RAW=$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/$LIB.wasm

# Build into a fresh directory (under target/, same file system) and swap it in at the end, so that a test or demo
# reading wasm/pkg while this runs never sees a half-written package.
DEST=$OUT
mkdir -p target
OUT=$(mktemp -d target/wasm-pkg-build.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
for target in web node; do
  flavor=$target
  [ "$target" = node ] && flavor=nodejs
  wasm-bindgen --target "$flavor" --out-dir "$OUT/$target" --out-name hcdb_lint "$RAW"
  # Strings go into the module with one native encodeInto instead of a JS loop per character
  # (see the script; it fails the build if the generated glue is not what it expects).
  node wasm/js/patch-glue.mjs "$OUT/$target/hcdb_lint.js"
  # -Oz for size, repeated until it stops shrinking (--converge); no debug or producers
  # sections. The features are those rustc's default wasm target enables.
  "$WASM_OPT" -Oz --converge --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$OUT/$target/hcdb_lint_bg.wasm" -o "$OUT/$target/hcdb_lint_bg.wasm"
done
# The JS glue is shipped minified (as a bundler would make it): 3.8 -> 2.1 KB gzipped. The
# names of the exports and the shapes are unchanged (the d.ts files describe them). With it, the
# package entry (index.js): the module plus rules(), which adds the rule documentation from
# hcdb_lint_docs.json on first use. The documentation is written by the native build of the
# wasm crate, whose core has it (the module leaves it out: see the core's `docs` feature).
for target in web node; do
  flags=(--compress --mangle)
  [ "$target" = web ] && flags+=(--module)
  "$TERSER" "$OUT/$target/hcdb_lint.js" "${flags[@]}" -o "$OUT/$target/hcdb_lint.js"
  "$TERSER" "wasm/js/index.$target.js" "${flags[@]}" -o "$OUT/$target/index.js"
  cp wasm/js/index.d.ts "$OUT/$target/index.d.ts"
done
printf '\nexport { default } from "./hcdb_lint.js";\n' >>"$OUT/web/index.d.ts"
say "cargo run --release -p $CRATE --example docs (the rule documentation, hcdb_lint_docs.json)"
cargo run --quiet --release -p "$CRATE" --example docs >"$OUT/web/hcdb_lint_docs.json"
cp "$OUT/web/hcdb_lint_docs.json" "$OUT/node/hcdb_lint_docs.json"
# The raw wasm exports in the web build's InitOutput take externrefs, typed `any` by wasm-bindgen:
# any JS value, which TypeScript spells `unknown`. The public API is typed by the crate itself.
sed -i '/^export interface InitOutput {/,/^}/ s/\bany\b/unknown/g' "$OUT/web/hcdb_lint.d.ts"
# Trailing Option<JsValue> parameters may be omitted; wasm-bindgen drops the `?` when the crate
# names their type, so put it back.
for target in web node; do
  sed -i -e 's/body: RequestBody | null)/body?: RequestBody | null)/' \
    -e 's/rules(api: Api)/rules(api?: Api)/' \
    -e 's/constructor(config: LinterConfig)/constructor(config?: LinterConfig)/' \
    -e 's/options: ApplyFixesOptions)/options?: ApplyFixesOptions)/' \
    "$OUT/$target/hcdb_lint.d.ts"
done
# The node build is CommonJS: say so, whatever a parent package.json declares. (package.json
# lists the entries as having side effects: they add rules() to Linter's prototype, which a
# bundler must not skip when it follows a re-export.)
printf '{ "type": "commonjs" }\n' >"$OUT/node/package.json"
# And the web build is ES modules (for TypeScript's and Node's module resolution too).
printf '{ "type": "module" }\n' >"$OUT/web/package.json"

VERSION=$(awk -F'"' '/^version = / { print $2; exit }' wasm/Cargo.toml)
cat >"$OUT/package.json" <<EOF
{
  "name": "hcdb-lint",
  "version": "$VERSION",
  "description": "Offline validator for Huawei Cloud DDM and GeminiDB instance requests, in WebAssembly",
  "license": "MIT OR Apache-2.0",
  "main": "./node/index.js",
  "module": "./web/index.js",
  "types": "./web/index.d.ts",
  "exports": {
    ".": {
      "node": { "types": "./node/index.d.ts", "default": "./node/index.js" },
      "default": { "types": "./web/index.d.ts", "default": "./web/index.js" }
    }
  },
  "files": ["web/", "node/"],
  "sideEffects": ["./web/snippets/*", "./web/index.js", "./node/index.js"]
}
EOF

# The swap: rename(2) of the old package out of the way and the new one in, then delete the old
# one. A reader that already opened files of the old package keeps them.
chmod 755 "$OUT"
if [ -e "$DEST" ]; then
  OLD=$(mktemp -d target/wasm-pkg-old.XXXXXX)
  mv "$DEST" "$OLD/pkg"
  mv "$OUT" "$DEST"
  rm -rf "$OLD"
else
  mv "$OUT" "$DEST"
fi
OUT=$DEST
trap - EXIT

# -n: no file name or time in the header, as a server's gzip encoding sends it (and as the Node
# bench measures).
gz() { gzip -9 -n -c "$@" | wc -c; }
status=0
for target in web node; do
  dir=$OUT/$target
  wasm_gz=$(gz "$dir/hcdb_lint_bg.wasm")
  # The JS a page loads to validate: the wasm-bindgen glue and the package entry.
  glue_gz=$(($(gz "$dir/hcdb_lint.js") + $(gz "$dir/index.js")))
  total=$((wasm_gz + glue_gz))
  say "$target: $(wc -c <"$dir/hcdb_lint_bg.wasm") bytes .wasm; gzipped: .wasm $wasm_gz + JS glue $glue_gz = $total bytes ($((total * 100 / BUDGET))% of the $BUDGET-byte budget); rule documentation, loaded by rules() on first use: $(gz "$dir/hcdb_lint_docs.json") bytes"
  if [ "$total" -gt "$BUDGET" ]; then
    say "OVER BUDGET: $target is $((total - BUDGET)) bytes over the $BUDGET-byte size budget"
    if [ "${WASM_SIZE_STRICT:-0}" = 1 ]; then status=1; fi
  fi
done
exit $status
