#!/usr/bin/env bash
# Fuzzing of every target in fuzz/ on the committed corpus.
#
#   bash scripts/fuzz.sh          the short smoke run that scripts/test.sh runs (45 s a target)
#   bash scripts/fuzz.sh --long   10 minutes a target, for a release or after a change to a
#                                 reader or the engine; prints each target's executions and
#                                 findings (crashes and failed invariants, such as the text and
#                                 value paths disagreeing) and a total at the end
#
# Needs a nightly toolchain (`cargo +nightly`); installs cargo-fuzz if it is missing. Without
# nightly it says so and skips: the run is not silent about it.
#
#   FUZZ_SECONDS=45      seconds per target (default 45, or 600 with --long)
#   FUZZ_SANITIZER=none  sanitizer for cargo fuzz (default none: the crate has no unsafe code,
#                        and without ASan each second runs several times more inputs)
#
# New inputs go to a temporary directory, so the committed corpus is not modified. A crash
# fails the script and leaves the input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

default_seconds=45
case "${1:-}" in
  --long) default_seconds=600 ;;
  "") ;;
  *)
    echo "usage: bash scripts/fuzz.sh [--long]" >&2
    exit 2
    ;;
esac
seconds="${FUZZ_SECONDS:-$default_seconds}"
sanitizer="${FUZZ_SANITIZER:-none}"
targets=(check_bytes check_value check_field config terraform_plan terraform_source)

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz smoke run SKIPPED: no nightly toolchain (\`cargo +nightly\` is unavailable; cargo-fuzz needs nightly)."
  echo "  install one with: rustup toolchain install nightly --profile minimal"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: installing it (cargo install cargo-fuzz --locked)"
  cargo +nightly install cargo-fuzz --locked
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd fuzz
echo "building the fuzz targets (nightly, sanitizer=$sanitizer)"
cargo +nightly fuzz build -O -a -s "$sanitizer"

status=0
total_execs=0
findings=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  # The Terraform readers' seeds are the tests' fixtures (libFuzzer reads folders recursively);
  # the committed corpus keeps only the inputs found by fuzzing.
  seeds=("corpus/$t")
  [ "$t" = terraform_plan ] && seeds=(../tests/terraform/plans)
  [ "$t" = terraform_source ] && seeds=("corpus/$t" ../tests/terraform/sources)
  echo "fuzzing $t for ${seconds}s on ${seeds[*]} ($(find "${seeds[@]}" -type f | wc -l) seeds)"
  if ! cargo +nightly fuzz run -O -a -s "$sanitizer" "$t" "$work/$t" "${seeds[@]}" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$work/$t.log" 2>&1; then
    echo "FAILED: fuzz target $t found a crash; the input is in fuzz/artifacts/$t/"
    grep -E -A12 "panicked|ERROR: libFuzzer" "$work/$t.log" | head -40 || tail -40 "$work/$t.log"
    status=1
    findings=$((findings + 1))
    continue
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
  cov=$(grep -E '^#[0-9]+' "$work/$t.log" | grep -o 'cov: [0-9]*' | tail -1)
  ft=$(grep -E '^#[0-9]+' "$work/$t.log" | grep -o 'ft: [0-9]*' | tail -1)
  echo "  ok: ${execs:-?} executions, 0 findings, ${cov:-cov: ?}, ${ft:-ft: ?}"
  total_execs=$((total_execs + ${execs:-0}))
done
echo "fuzzing: ${#targets[@]} targets x ${seconds}s, $total_execs executions without a finding, $findings target(s) with a finding"
exit $status
