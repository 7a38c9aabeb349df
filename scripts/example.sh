#!/usr/bin/env bash
# Build mxc and run the example sandbox (examples/hello.json).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
builddir=${MXC_BUILDDIR:-build}
[ -d "$builddir" ] || meson setup "$builddir" >/dev/null
ninja -C "$builddir" cli/mxc >/dev/null
set -x
"$builddir"/cli/mxc run "${1:-examples/hello.json}"
