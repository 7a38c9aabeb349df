#!/usr/bin/env bash
# Static analysis and dynamic checks (run by scripts/test.sh in CI, or alone):
#   format     clang-format --dry-run over every C file (.clang-format)
#   tidy       clang-tidy over lib/ and cli/ (.clang-tidy; findings are errors)
#   cppcheck   cppcheck over lib/ and cli/ (suppressions below, with reasons)
#   sanitize   ASan+UBSan build; unit, fuzz-regress and e2e suites (root)
#   valgrind   the unit test binaries under valgrind (no leaks, no errors)
# Usage: scripts/check.sh [STEP...]   (default: all). Ends with a TAP-like summary.
set -uo pipefail
cd "$(dirname "$0")/.."

steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=(format tidy cppcheck sanitize valgrind)

./scripts/setup-debian.sh

builddir=${MXC_BUILDDIR:-build}
[ -d "$builddir" ] || meson setup "$builddir" >/dev/null
ninja -C "$builddir" >/dev/null || exit 1

sources() { git ls-files -- '*.c' '*.h'; }
result=0
n=0
report() { # name status
  n=$((n + 1))
  if [ "$2" -eq 0 ]; then echo "ok $n - check: $1"; else echo "not ok $n - check: $1"; result=1; fi
}

for step in "${steps[@]}"; do
  case "$step" in
  format)
    out=$(sources | xargs clang-format --dry-run 2>&1)
    [ -z "$out" ]; st=$?
    [ $st -eq 0 ] || { echo "$out" | grep 'warning:' | head -20; }
    report "clang-format" $st ;;
  tidy)
    out=$(git ls-files -- 'lib/*.c' 'cli/*.c' 'netd/*.c' | xargs clang-tidy -p "$builddir" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null)
    st=0; echo "$out" | grep -qE '(warning|error):' && st=1
    [ $st -eq 0 ] || echo "$out" | grep -E '(warning|error):' | head -20
    report "clang-tidy" $st ;;
  cppcheck)
    # memleak/resourceLeak: cppcheck does not model __attribute__((cleanup)); leaks are
    # checked by LeakSanitizer (sanitize) and valgrind instead.
    cppcheck --quiet --std=c11 --enable=warning,portability,performance --inline-suppr \
      --suppress=memleak --suppress=resourceLeak --suppress=missingIncludeSystem \
      -D_GNU_SOURCE -I include -I lib --error-exitcode=1 lib cli
    report "cppcheck" $? ;;
  sanitize)
    sdir=${builddir}-sanitize
    [ -d "$sdir" ] || CC=clang meson setup "$sdir" -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
    if ! out=$(ninja -C "$sdir" 2>&1); then
      echo "$out" | grep -E 'error|FAILED' | head -20
      report "ASan+UBSan: build" 1
      continue
    fi
    chmod -R a+rX "$sdir"
    # The test harnesses themselves keep small allocations for the process lifetime;
    # the library and CLI are checked for leaks in the unit and fuzz-regress runs.
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
      meson test -C "$sdir" --suite unit --suite fuzz-regress >/dev/null
    st=$?
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=0 \
      meson test -C "$sdir" --suite e2e --suite kernel --suite escape --suite netpolicy --suite escape-net \
      >/dev/null || st=1
    [ $st -eq 0 ] || grep -E '^not ok|ERROR: |runtime error' "$sdir/meson-logs/testlog.txt" | head -20
    report "ASan+UBSan: unit, fuzz-regress, kernel, e2e, escape, netpolicy, escape-net" $st ;;
  valgrind)
    st=0
    for t in "$builddir"/tests/unit/test-policy "$builddir"/tests/unit/test-policy-validate \
             "$builddir"/tests/unit/test-policy-upstream "$builddir"/tests/test-plan \
             "$builddir"/tests/test-cli-args; do
      [ -x "$t" ] || continue
      CK_FORK=no valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=9 "$t" >/dev/null 2>"$t.valgrind" || { st=1; head -20 "$t.valgrind"; }
    done
    report "valgrind: unit tests" $st ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
echo "1..$n"
exit $result
