#!/usr/bin/env bash
# Build mxc and run every test suite (unit, kernel, e2e, escape, fuzz corpus
# replay; as root and as an unprivileged user when run as root), plus in CI the
# checks of scripts/check.sh. Ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-debian.sh

builddir=${MXC_BUILDDIR:-build}
werror=false
if [ "${CI:-}" = "true" ]; then
  werror=true
  export MXC_TEST_MUST_WORK=1
fi

if [ ! -d "$builddir" ]; then
  meson setup "$builddir" -Dwerror="$werror" >/dev/null
else
  meson configure "$builddir" -Dwerror="$werror" >/dev/null
fi
ninja -C "$builddir"

# The unprivileged runs need to reach the build tree.
chmod -R a+rX "$builddir" 2>/dev/null || true

# ---- network-policy topology (tests/net/, meson suite "netpolicy") ----
# As root: the netpolicy tests run inside a topology of two network namespaces
# (tests/net/topology.sh) through tests/net/in-cli.sh, and skip without it
# (fail under MXC_TEST_MUST_WORK=1). Built here if it is not up, removed on exit.
if [ "$(id -u)" = 0 ] && ! tests/net/topology.sh status >/dev/null 2>&1; then
  trap 'tests/net/topology.sh down || true' EXIT
  tests/net/topology.sh up ||
    echo "WARNING: tests/net/topology.sh up failed; the netpolicy tests will skip" >&2
fi
# ---- end network-policy topology ----

status=0
meson test -C "$builddir" --print-errorlogs "$@" || status=$?

# Static analysis, formatting, sanitizers and valgrind (scripts/check.sh): always in CI,
# elsewhere with MXC_FULL_CHECKS=1.
extra=()
if [ "${CI:-}" = "true" ] || [ "${MXC_FULL_CHECKS:-0}" = 1 ]; then
  MXC_BUILDDIR="$builddir" ./scripts/check.sh | tee "$builddir/check.tap" || status=$?
  extra=("$builddir/check.tap")
fi
python3 tests/summary.py "$builddir/meson-logs/testlog.json" "${extra[@]}" || status=$?
exit "$status"
