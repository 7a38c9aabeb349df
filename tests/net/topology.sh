#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The network test topology of the network-policy e2e suite (run as root):
#
#   tests/net/topology.sh up       build it (idempotent: a healthy topology is left alone)
#   tests/net/topology.sh down     remove everything, also after a crash or a half-built up
#   tests/net/topology.sh status   exit 0 when it is up and the servers answer
#
#   netns mxct-cli (mxc and the tests run here, see in-cli.sh)
#     mxct0  198.18.0.1/24  2001:db8:18::1/64   default routes (v4, v6) via mxct-srv
#     lo     servers.py cli on 127.0.0.1 and ::1 only: :7777 token "CLIHOST",
#            :8081 HTTP, :3129 forward proxy (the external proxy of the relay tests)
#     nftables: only the marker table `inet mxct_marker` (the tests check that
#            mxc never touches this netns's ruleset)
#   netns mxct-srv (the "internet")
#     mxct1  198.18.0.2/24  2001:db8:18::2/64
#     lo     198.18.1.1 198.18.2.1 198.18.3.1 169.254.169.254 (metadata)
#            2001:db8:1::1 2001:db8:2::1 fd00:ec2::254
#     servers.py srv on all of them (tokens, UDP echo, HTTP, HTTPS, DNS, proxy)
#
# Only benchmarking (198.18.0.0/15) and documentation (2001:db8::/32) ranges
# plus the two metadata addresses; mxct-srv does not forward and has no other
# route, so nothing can leave the machine. In both netns
# net.ipv4.ping_group_range is "0 2147483647" (ICMP datagram sockets for
# every group: pasta in mxct-cli answers the sandbox's pings with them).
# /dev/net/tun is made 0666, Debian's default (pasta opens it as the
# unprivileged test user); it is not restored by `down`.
#
# State (certificate, pid files, logs) lives in $MXCT_STATE (default
# /run/mxct), world-readable: the sandboxed curl reads $MXCT_STATE/cert.pem.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state=${MXCT_STATE:-/run/mxct}
py=/usr/bin/python3
CLI=mxct-cli
SRV=mxct-srv

die() {
	echo "topology.sh: $*" >&2
	exit 1
}

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# Is every server of the role answering? (pid alive, ready file written)
role_ok() {
	local role=$1 pid
	[ -f "$state/$role.ready" ] && [ -f "$state/$role.pid" ] || return 1
	pid=$(cat "$state/$role.pid")
	kill -0 "$pid" 2>/dev/null
}

status() {
	ip netns list 2>/dev/null | grep -qw "^$CLI" || return 1
	ip netns list 2>/dev/null | grep -qw "^$SRV" || return 1
	role_ok srv && role_ok cli || return 1
	# The path from the cli side to a srv destination works.
	in_ns "$CLI" "$py" - <<'EOF'
import socket, sys
for _ in range(3):
    try:
        s = socket.create_connection(("198.18.1.1", 7001), timeout=2)
        if s.recv(64).startswith(b"TOK 198.18.1.1 7001"):
            sys.exit(0)
    except OSError:
        pass
sys.exit(1)
EOF
}

# Kills every process in a netns of ours (all of them were started by this
# script or by the tests run inside it), then removes the netns.
kill_ns() {
	local ns=$1 pids
	ip netns list 2>/dev/null | grep -qw "^$ns" || return 0
	for sig in TERM KILL; do
		pids=$(ip netns pids "$ns" 2>/dev/null || true)
		[ -n "$pids" ] || break
		# shellcheck disable=SC2086
		kill -s "$sig" $pids 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			[ -z "$(ip netns pids "$ns" 2>/dev/null || true)" ] && break
			sleep 0.1
		done
	done
	ip netns del "$ns" 2>/dev/null || true
}

down() {
	local role pid
	for role in srv cli; do
		if [ -f "$state/$role.pid" ]; then
			pid=$(cat "$state/$role.pid")
			kill "$pid" 2>/dev/null || true
		fi
	done
	kill_ns "$CLI"
	kill_ns "$SRV"
	rm -rf "$state"
}

start_servers() {
	local role=$1 ns=$2
	# setsid: the servers outlive this script; they are stopped by `down`.
	# 9>&-: the servers must not inherit (and hold) the lock.
	setsid ip netns exec "$ns" "$py" "$here/servers.py" "$role" "$state" \
		</dev/null >"$state/$role.log" 2>&1 9>&- &
	for _ in $(seq 100); do
		[ -f "$state/$role.ready" ] && return 0
		kill -0 $! 2>/dev/null || break
		sleep 0.1
	done
	cat "$state/$role.log" >&2 || true
	die "the $role servers did not start (log above)"
}

up() {
	[ "$(id -u)" = 0 ] || die "must run as root"
	for t in ip nft openssl setsid flock "$py"; do
		command -v "$t" >/dev/null || die "$t not found"
	done
	if status >/dev/null 2>&1; then
		return 0
	fi
	down

	mkdir -p "$state"
	chmod 0755 "$state"
	openssl req -x509 -newkey rsa:2048 -nodes -days 7 \
		-keyout "$state/key.pem" -out "$state/cert.pem" \
		-subj /CN=allowed.test \
		-addext subjectAltName=DNS:allowed.test,DNS:blocked.test \
		>"$state/openssl.log" 2>&1 || die "openssl failed: $(cat "$state/openssl.log")"
	chmod 0644 "$state/cert.pem"
	chmod 0600 "$state/key.pem"

	ip netns add "$CLI"
	ip netns add "$SRV"
	ip -n "$CLI" link add mxct0 type veth peer name mxct1 netns "$SRV"
	for ns in "$CLI" "$SRV"; do
		ip -n "$ns" link set lo up
		in_ns "$ns" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
		in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
	done
	in_ns "$SRV" sysctl -qw net.ipv4.ip_forward=0
	in_ns "$SRV" sysctl -qw net.ipv6.conf.all.forwarding=0

	ip -n "$CLI" addr add 198.18.0.1/24 dev mxct0
	ip -n "$CLI" addr add 2001:db8:18::1/64 dev mxct0 nodad
	ip -n "$SRV" addr add 198.18.0.2/24 dev mxct1
	ip -n "$SRV" addr add 2001:db8:18::2/64 dev mxct1 nodad
	for a in 198.18.1.1/32 198.18.2.1/32 198.18.3.1/32 169.254.169.254/32; do
		ip -n "$SRV" addr add "$a" dev lo
	done
	for a in 2001:db8:1::1/128 2001:db8:2::1/128 fd00:ec2::254/128; do
		ip -n "$SRV" addr add "$a" dev lo nodad
	done
	ip -n "$CLI" link set mxct0 up
	ip -n "$SRV" link set mxct1 up
	ip -n "$CLI" route add default via 198.18.0.2 dev mxct0
	ip -n "$CLI" -6 route add default via 2001:db8:18::2 dev mxct0
	# Explicit routes for the destinations (the default route covers them too).
	for a in 198.18.1.1 198.18.2.1 198.18.3.1 169.254.169.254; do
		ip -n "$CLI" route add "$a/32" via 198.18.0.2 dev mxct0
	done
	for a in 2001:db8:1::1 2001:db8:2::1 fd00:ec2::254; do
		ip -n "$CLI" -6 route add "$a/128" via 2001:db8:18::2 dev mxct0
	done
	in_ns "$CLI" nft add table inet mxct_marker

	chmod 0666 /dev/net/tun

	start_servers srv "$SRV"
	start_servers cli "$CLI"
	status || die "the topology is up but 198.18.1.1:7001 does not answer from $CLI"
}

# up and down are serialised (several suites and benchmarks share the topology).
lock() {
	exec 9>"${state}.lock"
	flock 9
}

case "${1:-}" in
up)
	lock
	up
	;;
down)
	lock
	down
	;;
status) status ;;
*)
	echo "usage: $0 up|down|status" >&2
	exit 2
	;;
esac
