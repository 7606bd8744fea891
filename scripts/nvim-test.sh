#!/usr/bin/env bash
# The Neovim setups of docs/editors.md in a real Neovim, headless: the snippet is extracted from
# the document word for word and used as init.lua, then scripts/nvim-test.lua drives Neovim over
# a prepared directory (a bad body, a body being completed, a broken hcdb-lint.json, a
# package.json) and reports one line per check.
#
# Neovim: Debian's `neovim` package (0.7.2 on Debian 12), installed when `nvim` is missing. The
# 0.11 setup runs too when HCDB_NVIM_011 names a Neovim 0.11 or later; without one, that is said.
#
#   bash scripts/nvim-test.sh [path/to/hcdb-lint]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
say() { printf '[nvim-test] %s\n' "$*"; }

if ! command -v nvim >/dev/null; then
  say "installing Neovim from Debian"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends neovim
fi

bin="${1:-}"
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --quiet --bin hcdb-lint)
  bin="$repo/target/debug/hcdb-lint"
fi
# The documented requirement: `hcdb-lint` on PATH.
bindir="$(mktemp -d)"
ln -s "$(realpath "$bin")" "$bindir/hcdb-lint"
export PATH="$bindir:$PATH"

# The snippet after `<!-- snippet: NAME -->` in docs/editors.md, without its fences.
snippet() {
  awk -v name="$1" '
    $0 ~ "<!-- snippet: " name " -->" { found = 1; next }
    found && /^```lua/ { inside = 1; next }
    inside && /^```/ { exit }
    inside { print }
  ' "$repo/docs/editors.md"
}

# The files the driver opens.
prepare() {
  local d="$1"
  mkdir -p "$d/broken"
  printf '{"lang": "zh"}\n' >"$d/hcdb-lint.json"
  cp "$repo/examples/geminidb-cassandra.invalid.json" "$d/bad.json"
  printf '{\n  "mode": "Clu\n  "datastore": {"type": "redis", "stor\n}\n' >"$d/completion.json"
  cp "$repo/tests/data/mixed-repo/package.json" "$d/package.json"
  printf '{\n  "lang": "en",\n  "rules": {"GDB999": "off"}\n}\n' >"$d/broken/hcdb-lint.json"
  cp "$repo/examples/ddm-scale-out.valid.json" "$d/broken/body.json"
}

fails=0
run() {
  local name="$1" nvim="$2" work
  work="$(mktemp -d)"
  mkdir -p "$work/config/nvim" "$work/files"
  snippet "$name" >"$work/config/nvim/init.lua"
  [ -s "$work/config/nvim/init.lua" ] || { say "FAIL: no snippet $name in docs/editors.md"; fails=$((fails + 1)); return; }
  prepare "$work/files"
  say "$name: $("$nvim" --version | head -1)"
  (
    cd "$work/files"
    XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" \
      HCDB_NVIM_DIR="$work/files" HCDB_NVIM_RESULTS="$work/results" \
      timeout 180 "$nvim" --headless -i NONE -c "source $repo/scripts/nvim-test.lua" >"$work/nvim.log" 2>&1 || true
  )
  if [ ! -s "$work/results" ]; then
    say "FAIL: $name: Neovim wrote no results"
    tail -20 "$work/nvim.log" || true
    fails=$((fails + 1))
    return
  fi
  sed "s/^/[nvim-test] $name: /" "$work/results"
  local bad
  bad="$(grep -c '^FAIL' "$work/results" || true)"
  fails=$((fails + bad))
  rm -rf "$work"
}

run nvim-0.7 nvim
if [ -n "${HCDB_NVIM_011:-}" ]; then
  run nvim-0.11 "$HCDB_NVIM_011"
else
  say "the 0.11 setup is not run: no Neovim 0.11 given (HCDB_NVIM_011=/path/to/nvim)"
fi
rm -rf "$bindir"
say "$fails failed"
[ "$fails" = 0 ]
