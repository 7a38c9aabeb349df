#!/usr/bin/env bash
# Install what building and testing mxc needs on Debian 12 (idempotent).
set -euo pipefail

packages=(
  gcc libc6-dev pkg-config meson ninja-build   # toolchain
  libjansson-dev                                # config parsing
  libseccomp-dev                                # the workload's syscall filter
  check libsubunit-dev                          # C test framework
  python3 python3-jsonschema                    # test summary, schema tests
  util-linux passwd                             # setpriv, useradd (unprivileged test runs)
  iproute2                                      # ip, for network tests
  bubblewrap                                    # the bubblewrap backend (bwrap >= 0.5.0)
  libnftables-dev                               # mxc-netd loads nftables rules in-process
  nftables                                      # tests: nft to inspect and attack rulesets
  passt slirp4netns                             # user-mode network stacks (docs/network.md)
  openssl curl                                  # network tests: TLS test server, proxy client
  clang libclang-rt-dev                         # sanitizer builds, libFuzzer
  clang-format clang-tidy cppcheck valgrind     # scripts/check.sh
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
