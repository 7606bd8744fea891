#!/usr/bin/env bash
# Instructions per call (callgrind) of every benchmarked function on every corpus body, and the
# ratios the budgets are stated in (docs/performance.md). Unlike wall time these do not move with
# the machine's load, so two commits (or a busy CI box) can be compared. Part of
# scripts/bench.sh; alone:
#
#   bash scripts/instructions.sh [body ...]     # default: every body of benches/lint.rs
#
# Each function runs N times (1000; 100 for gdb-large) inside the bench binary with
# HCDB_BENCH_PROFILE, and only the calls are counted (--toggle-collect on the loop's function).
# HCDB_INSTR_RATIOS=<file> also writes one line per body: `body str/floor valid_str/jsonschema`
# (scripts/bench.sh reads it for its budget table). HCDB_FUNCS="floor check_str is_valid_str
# jsonschema" counts only those functions (quicker; the others print as 0).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
  echo "[instructions] installing valgrind (apt-get)"
  (apt-get install -y valgrind >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y valgrind >/dev/null)) ||
    { echo "[instructions] cannot install valgrind" >&2; exit 1; }
fi

BIN=$(cargo bench --bench lint --no-run --message-format=json 2>/dev/null |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const l of s.split("\n")){try{const m=JSON.parse(l);if(m.executable&&m.target&&m.target.name==="lint")console.log(m.executable)}catch{}}})')
[ -x "$BIN" ] || { echo "[instructions] no bench binary" >&2; exit 1; }

BODIES=("$@")
[ ${#BODIES[@]} -gt 0 ] || BODIES=(gdb-valid gdb-one-error gdb-many-errors ddm-valid ddm-one-error ddm-many-errors scale-valid-small gdb-large)
FUNCS=(floor check_str check_value is_valid is_valid_str jsonschema jsonschema_value)
# HCDB_FUNCS="floor check_str is_valid_str jsonschema": only those (the others print as 0).
[ -z "${HCDB_FUNCS:-}" ] || read -r -a FUNCS <<<"$HCDB_FUNCS"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

count() { # body function iterations -> instructions per call
  HCDB_BENCH_PROFILE="$1:$2:$3" valgrind --tool=callgrind --toggle-collect='*run_one*' \
    --callgrind-out-file="$OUT/cg" "$BIN" >/dev/null 2>"$OUT/log"
  awk -v n="$3" '/Collected :/ { printf "%.0f", $NF / n }' "$OUT/log"
}

echo "| body (instructions per call) | floor | check_str | check_value | is_valid | is_valid_str | jsonschema | jsonschema (value) | str/floor | value/floor | str/jsonschema | valid_str/jsonschema |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for b in "${BODIES[@]}"; do
  n=1000
  [ "$b" = gdb-large ] && n=100
  declare -A c=()
  for f in floor check_str check_value is_valid is_valid_str jsonschema jsonschema_value; do c[$f]=0; done
  for f in "${FUNCS[@]}"; do c[$f]=$(count "$b" "$f" "$n"); done
  if [ -n "${HCDB_INSTR_RATIOS:-}" ]; then
    awk -v b="$b" -v fl="${c[floor]}" -v s="${c[check_str]}" -v ivs="${c[is_valid_str]}" -v js="${c[jsonschema]}" \
      'function r(a, b) { return b > 0 ? a / b : 0 } BEGIN { printf "%s %.2f %.2f\n", b, r(s, fl), r(ivs, js) }' >> "$HCDB_INSTR_RATIOS"
  fi
  awk -v b="$b" -v fl="${c[floor]}" -v s="${c[check_str]}" -v v="${c[check_value]}" -v iv="${c[is_valid]}" \
    -v ivs="${c[is_valid_str]}" -v js="${c[jsonschema]}" -v jv="${c[jsonschema_value]}" 'function r(a, b) { return b > 0 ? a / b : 0 } BEGIN {
      printf "| %s | %.1fk | %.1fk | %.1fk | %.1fk | %.1fk | %.1fk | %.1fk | %.2f | %.2f | %.2f | %.2f |\n",
        b, fl/1000, s/1000, v/1000, iv/1000, ivs/1000, js/1000, jv/1000, r(s, fl), r(v, fl), r(s, js), r(ivs, js) }'
  unset c
done
echo
echo "Budgets (docs/performance.md): str/floor <= 1.3 and valid_str/jsonschema <= 0.8 on the valid bodies."
