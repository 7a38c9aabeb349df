#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a command inside the network test topology (tests/net/topology.sh):
#
#   tests/net/in-cli.sh [--user] CMD [ARGS...]
#
# CMD runs in netns mxct-cli, in a private mount namespace where /etc/hosts
# is tests/net/hosts (allowed.test, blocked.test, other.test, proxy.test,
# rebind.test, v6.test, blocked6.test) and /etc/resolv.conf is
# tests/net/resolv.conf (nameserver 198.18.0.2). With --user, CMD runs as the
# unprivileged user mxc-test through tests/e2e/as-user.sh (which passes on the
# MXC_* and CK_* variables the tests need).
#
# Needs root. When the topology is down, prints a TAP skip ("1..0 # SKIP",
# exit 77 unless TAP goes to stdout), or fails when MXC_TEST_MUST_WORK=1.
set -u

here=$(cd "$(dirname "$0")" && pwd)

skip() {
	if [ "${MXC_TEST_MUST_WORK:-0}" = 1 ]; then
		echo "Bail out! $* (MXC_TEST_MUST_WORK=1)"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	[ "${CK_TAP_LOG_FILE_NAME:-}" = - ] && exit 0
	exit 77
}

user=
if [ "${1:-}" = --user ]; then
	user=1
	shift
fi
[ $# -ge 1 ] || {
	echo "usage: in-cli.sh [--user] CMD [ARGS...]" >&2
	exit 2
}
[ "$(id -u)" = 0 ] || skip "in-cli.sh needs root to enter the network test topology"
"$here/topology.sh" status >/dev/null 2>&1 ||
	skip "the network test topology is down (run tests/net/topology.sh up as root)"

if [ -n "$user" ]; then
	# as-user.sh takes a path (it resolves it with readlink -f).
	cmd=$(command -v "$1") || {
		echo "in-cli.sh: $1 not found" >&2
		exit 127
	}
	shift
	set -- "$here/../e2e/as-user.sh" "$cmd" "$@"
fi
# `ip netns exec` already gives a private mount namespace (it remounts /sys);
# unshare makes that explicit and the bind mounts private to CMD.
# shellcheck disable=SC2016 # $1 and $2 are expanded by the inner sh
exec ip netns exec mxct-cli unshare --mount --propagation private sh -c '
	mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf || exit 1
	shift 2
	exec "$@"' in-cli "$here/hosts" "$here/resolv.conf" "$@"
