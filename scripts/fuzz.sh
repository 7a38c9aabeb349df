#!/usr/bin/env bash
# Run the libFuzzer targets (tests/fuzz) for a given time each and report
# executions and findings.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: config base64 plan (default: all)
#   MXC_FUZZ_MERGE=1 scripts/fuzz.sh ...       also merge new coverage into tests/fuzz/corpus/
# Crashes are written to build-fuzz/crashes/<target>/; commit each one (after the fix)
# under tests/fuzz/regress/<target>/ so every test run replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(config base64 plan)
jobs=${MXC_FUZZ_JOBS:-1}

./scripts/setup-debian.sh
bdir=build-fuzz
if [ ! -d "$bdir" ]; then
  CC=clang meson setup "$bdir" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$bdir" $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}") >/dev/null

seeds=(tests/data/configs tests/data/upstream examples)
status=0
printf '| target | seconds | executions | exec/s | corpus | crashes |\n|---|---|---|---|---|---|\n'
for t in "${targets[@]}"; do
  work="$bdir/corpus/$t"
  crashes="$bdir/crashes/$t"
  mkdir -p "$work" "$crashes"
  extra=()
  [ "$t" = base64 ] || extra=("${seeds[@]}")
  par=()
  [ "$jobs" -le 1 ] || par=(-jobs="$jobs" -workers="$jobs")
  log="$bdir/fuzz-$t.log"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$bdir/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -print_final_stats=1 "${par[@]}" \
    -artifact_prefix="$crashes/" -max_len=65536 \
    "$work" "tests/fuzz/corpus/$t" "tests/fuzz/regress/$t" "${extra[@]}" >"$log" 2>&1 || true
  execs=$(grep -ah "stat::number_of_executed_units" "$log" | awk '{s+=$2} END {print s+0}')
  rate=$(grep -ah "stat::average_exec_per_sec" "$log" | awk '{print $2}' | tail -1)
  ncorp=$(find "$work" -type f | wc -l)
  ncrash=$(find "$crashes" -type f | wc -l)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "$seconds" "$execs" "${rate:-?}" "$ncorp" "$ncrash"
  if [ "$ncrash" -gt 0 ]; then
    status=1
    find "$crashes" -type f | sed 's/^/  crash: /'
  fi
  if [ "${MXC_FUZZ_MERGE:-0}" = 1 ]; then
    "$bdir/tests/fuzz/fuzz-$t" -merge=1 "tests/fuzz/corpus/$t" "$work" >/dev/null 2>&1 || true
  fi
done
exit "$status"
