#!/usr/bin/env bash
# Editor integration: builds the CLI, then the VS Code extension in editors/vscode (npm ci,
# type check, bundle with esbuild, package with @vscode/vsce into editors/vscode/hcdb-lint.vsix),
# then runs the language server under a real LSP client in Node (vscode-languageserver-protocol
# over vscode-jsonrpc, the libraries inside vscode-languageclient): it opens a bad body, reads
# the diagnostics, applies a quick fix and sees the diagnostic go away; malformed messages get
# JSON-RPC errors. Then the Neovim setup of docs/editors.md in a real Neovim
# (scripts/nvim-test.sh). Installs what it needs: Node, npm and Neovim from Debian when missing,
# the npm packages from the committed package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[editor-test] %s\n' "$*"; }

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node and npm from Debian"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends nodejs npm
fi

say "cargo build (the hcdb-lint binary)"
cargo build --quiet --bin hcdb-lint
BIN="$PWD/target/debug/hcdb-lint"

cd editors/vscode
say "npm ci"
npm ci --no-audit --no-fund --silent
say "type check, bundle, package"
npm run --silent typecheck
npm run --silent compile
npm run --silent package
[ -s hcdb-lint.vsix ] || { say "no hcdb-lint.vsix"; exit 1; }
say "packaged editors/vscode/hcdb-lint.vsix ($(stat -c %s hcdb-lint.vsix) bytes)"

say "the server under a real client (node --test editors/vscode/test/)"
HCDB_LINT="$BIN" node --test test/

cd ../..
say "the documented Neovim setup in a real Neovim (scripts/nvim-test.sh)"
bash scripts/nvim-test.sh "$BIN"
