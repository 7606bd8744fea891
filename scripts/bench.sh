#!/usr/bin/env bash
# Performance measurements; not part of scripts/test.sh (benchmarks are not tests).
#
#   bash scripts/bench.sh            # everything: Rust benches, wasm in Node, CLI throughput
#   bash scripts/bench.sh --quick    # shorter runs (criterion --quick, fewer Node batches)
#   bash scripts/bench.sh --no-rust --no-wasm --no-cli --no-instructions --no-lsp --no-terraform
#                                    # skip parts
#
# Prints, in order: the criterion table (floor / check_str / check_value / is_valid /
# jsonschema-rs, medians and ratios), the same functions' instructions per call under callgrind
# (scripts/instructions.sh: ratios that do not move with the machine's load), the Node table (check / checkJson / checkField beside ajv,
# gzipped sizes), and the CLI table (10 000 generated files with --format json and human:
# files/s, peak RSS from /usr/bin/time -v; start-up on one small file), and the language server's
# didChange -> publishDiagnostics latency over stdio (benches/lsp.rs: JSON bodies and a
# Terraform file), then Terraform: a 2,000-resource plan (benches/terraform.rs) and 200 generated
# modules checked beside hcl-edit's parse of the same files (benches/tfsource.rs). Last, the
# budgets (docs/performance.md), each marked ok or OVER: check_str/floor and
# is_valid_str/jsonschema in instructions per call, the browser package's gzipped size, and the
# Terraform ratios. Exits non-zero, saying which, when a budget is over.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0 RUST=1 WASM=1 CLI=1 INSTR=1 LSP=1 TF=1
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    --no-rust) RUST=0 ;;
    --no-wasm) WASM=0 ;;
    --no-cli) CLI=0 ;;
    --no-instructions) INSTR=0 ;;
    --no-lsp) LSP=0 ;;
    --no-terraform) TF=0 ;;
    *) echo "usage: $0 [--quick] [--no-rust] [--no-wasm] [--no-cli] [--no-instructions] [--no-lsp] [--no-terraform]" >&2; exit 2 ;;
  esac
done

say() { printf '\n[bench] %s\n' "$*"; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

say "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
say "$(rustc --version); node $(node --version 2>/dev/null || echo missing)"

cargo build --release --quiet
BIN=target/release/hcdb-lint

if [ "$RUST" = 1 ]; then
  say "Rust: cargo bench (criterion)"
  CARGS=()
  [ "$QUICK" = 1 ] && CARGS=(--quick)
  cargo bench --bench lint -- "${CARGS[@]}" 2>&1 | tee "$TMP/criterion.log" | grep -E '^[a-z-]+/[a-z_]+ +time:|^linter_new' || true
  say "Rust medians and ratios"
  sed -n '/^Linter::new:/,$p' "$TMP/criterion.log"
fi

if [ "$INSTR" = 1 ]; then
  say "Rust: instructions per call (callgrind; scripts/instructions.sh)"
  HCDB_INSTR_RATIOS="$TMP/ratios" bash scripts/instructions.sh
fi

if [ "$WASM" = 1 ]; then
  say "wasm: build (scripts/wasm-build.sh) and Node bench beside ajv"
  bash scripts/wasm-build.sh 2>&1 | tee "$TMP/wasm.log"
  (cd wasm/bench && npm ci --no-audit --no-fund --silent)
  mkdir -p "$TMP/schemas"
  for api in ddm-create-instance ddm-scale-out geminidb-create-instance; do
    "$BIN" schema "$api" > "$TMP/schemas/$api.json"
  done
  NARGS=()
  [ "$QUICK" = 1 ] && NARGS=(--quick)
  node wasm/bench/bench.mjs --schemas "$TMP/schemas" "${NARGS[@]}"
fi

if [ "$CLI" = 1 ]; then
  say "CLI: 10 000 generated request files"
  if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (apt-get) for peak memory"
    (apt-get install -y time >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y time >/dev/null)) ||
      { echo "cannot install GNU time; peak memory will be missing" >&2; }
  fi
  FILES="$TMP/files"
  mkdir -p "$FILES"
  # Mixed valid and invalid bodies: every example, with the name made unique per file and, for
  # one file in three, one more value broken.
  node - "$FILES" <<'EOF'
const fs = require("fs"), path = require("path");
const out = process.argv[2];
const ex = fs.readdirSync("examples").filter((f) => f.endsWith(".json")).sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join("examples", f), "utf8")));
for (let i = 0; i < 10000; i++) {
  const b = JSON.parse(JSON.stringify(ex[i % ex.length]));
  const holder = b.instance || b;
  if (typeof holder.name === "string") holder.name = `${holder.name.slice(0, 40)}-${i}`;
  if (i % 3 === 0) {
    if (b.backup_strategy) b.backup_strategy.keep_days = 40;
    else if (b.node_number !== undefined) b.node_number = 0;
    else if (b.extend_param) b.extend_param.period_num = 13;
  }
  fs.writeFileSync(path.join(out, `req-${String(i).padStart(5, "0")}.json`), JSON.stringify(b, null, 2));
}
EOF
  echo "| format | files | wall | files/s | peak RSS | exit |"
  echo "|---|---:|---:|---:|---:|---:|"
  for fmt in json human sarif github; do
    set +e
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -v "$BIN" check --format "$fmt" "$FILES" > "$TMP/out.$fmt" 2> "$TMP/time.$fmt"
    else
      start=$(date +%s.%N)
      "$BIN" check --format "$fmt" "$FILES" > "$TMP/out.$fmt" 2> "$TMP/time.$fmt"
      echo "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:$(echo "$(date +%s.%N) - $start" | bc)" >> "$TMP/time.$fmt"
    fi
    code=$?
    set -e
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$TMP/time.$fmt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f MiB", $2/1024}' "$TMP/time.$fmt")
    fps=$(awk -v w="$wall" 'BEGIN { if (w > 0) printf "%.0f", 10000 / w; else print "-" }')
    echo "| $fmt | 10000 | ${wall}s | $fps | ${rss:--} | $code |"
  done
  # Start-up: one small file, many runs.
  SMALL=examples/ddm-scale-out.valid.json
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 20 -N --runs 200 "$BIN check $SMALL" 2>/dev/null | grep -E 'Time|Range'
  else
    N=200
    start=$(date +%s%N)
    for _ in $(seq $N); do "$BIN" check "$SMALL" > /dev/null; done
    end=$(date +%s%N)
    awk -v t=$((end - start)) -v n=$N 'BEGIN { printf "start-up, one small file: %.2f ms per run (mean of %d)\n", t / n / 1e6, n }'
  fi
fi

if [ "$LSP" = 1 ]; then
  say "language server: didChange -> publishDiagnostics over stdio (benches/lsp.rs; target: under 5 ms for a typical body)"
  LARGS=()
  [ "$QUICK" = 1 ] && LARGS=(--quick)
  cargo bench --quiet --bench lsp -- "${LARGS[@]}"
fi

if [ "$TF" = 1 ]; then
  say "Terraform: a plan of 2,000 resources (benches/terraform.rs) beside serde_json's parse; the CLI's peak memory on it"
  TARGS=()
  [ "$QUICK" = 1 ] && TARGS=(--quick)
  cargo bench --quiet --bench terraform -- "${TARGS[@]}" 2>&1 | tee "$TMP/terraform.log" | grep -E '^plan of|time:' || true
  say "Terraform sources: check of 200 modules beside hcl-edit's parse of the same files (benches/tfsource.rs; target: at most 2x)"
  cargo bench --quiet --bench tfsource -- "${TARGS[@]}" | tee "$TMP/tf.log"
  HCDB_WRITE_PLAN="$TMP/plan.json" cargo bench --quiet --bench terraform
  if [ -x /usr/bin/time ]; then
    set +e
    /usr/bin/time -v "$BIN" check --no-config --format json "$TMP/plan.json" > /dev/null 2> "$TMP/time.plan"
    set -e
    PLAN_BYTES=$(stat -c %s "$TMP/plan.json")
    PLAN_RSS=$(awk -F': ' '/Maximum resident set size/ {print $2 * 1024}' "$TMP/time.plan")
    echo "CLI on the plan: $PLAN_BYTES bytes, peak RSS $PLAN_RSS bytes"
  fi
fi

# ---------------------------------------------------------------- budgets
STR_BUDGET=1.3 VALID_BUDGET=0.8 SIZE_BUDGET=163840
say "budgets (docs/performance.md)"
echo "| budget | body | measured | limit | |"
echo "|---|---|---:|---:|---|"
OVER=()
mark() { # name body value limit -> table row; records an over-budget line
  if awk -v v="$3" -v l="$4" 'BEGIN { exit !(v <= l) }'; then
    echo "| $1 | $2 | $3 | $4 | ok |"
  else
    echo "| $1 | $2 | $3 | $4 | **OVER** |"
    OVER+=("$1 on $2: $3 > $4")
  fi
}
if [ -s "$TMP/ratios" ]; then
  while read -r body str valid; do
    # Both budgets are stated on the valid bodies (docs/performance.md): a body with findings
    # adds their wording, spans and fixes, which no parse floor has.
    case "$body" in *-valid | *-valid-small | gdb-large)
      mark "check_str / floor (instructions)" "$body" "$str" "$STR_BUDGET"
      mark "is_valid_str / jsonschema (instructions)" "$body" "$valid" "$VALID_BUDGET" ;;
    esac
  done < "$TMP/ratios"
else
  echo "| check_str, is_valid_str | - | not measured (--no-instructions) | | |"
fi
SIZE=
if [ -s "$TMP/wasm.log" ]; then
  SIZE=$(sed -n 's/.*\] web: .* = \([0-9]*\) bytes .*/\1/p' "$TMP/wasm.log" | tail -1)
elif [ -f wasm/pkg/web/hcdb_lint_bg.wasm ]; then
  # Not rebuilt (--no-wasm): the package on disk, measured as scripts/wasm-build.sh measures it.
  gz() { gzip -9 -n -c "$@" | wc -c; }
  d=wasm/pkg/web
  SIZE=$(($(gz "$d/hcdb_lint_bg.wasm") + $(gz "$d/hcdb_lint.js") + $(gz "$d/index.js")))
  echo "(browser package not rebuilt: wasm/pkg/web as it is on disk)"
fi
if [ -n "$SIZE" ]; then
  mark "browser package, gzipped bytes" "web" "$SIZE" "$SIZE_BUDGET"
else
  echo "| browser package | - | not measured (--no-wasm, no wasm/pkg) | | |"
fi
if [ -s "$TMP/terraform.log" ]; then
  TF_RATIO=$(sed -n 's/.*check\/floor \([0-9.]*\).*/\1/p' "$TMP/terraform.log" | tail -1)
  [ -n "$TF_RATIO" ] && mark "plan check / serde_json parse (wall)" "plan-2000" "$TF_RATIO" 1.5
fi
SRC_RATIO=$(sed -n 's/^tfsource check\/parse ratio: //p' "$TMP/tf.log" 2>/dev/null | tail -1)
if [ -n "$SRC_RATIO" ]; then
  mark "Terraform sources check / hcl-edit parse (time)" "200 modules" "$SRC_RATIO" 2
fi
if [ -n "${PLAN_RSS:-}" ] && [ -n "${PLAN_BYTES:-}" ]; then
  mark "CLI peak memory / plan size" "plan-2000" "$(awk -v r="$PLAN_RSS" -v b="$PLAN_BYTES" 'BEGIN { printf "%.2f", r / b }')" 4
fi
if [ ${#OVER[@]} -gt 0 ]; then
  echo
  for o in "${OVER[@]}"; do echo "[bench] OVER BUDGET: $o" >&2; done
  exit 1
fi
say "every measured budget holds"
