#!/usr/bin/env bash
# pasta vs slirp4netns (docs/network.md, "User-mode stack"). Run as root:
#   bench/net/stack-bench.sh [ROUNDS]        (CONNECTS=500 BULK_MB=64 by default)
# Builds two network namespaces joined by a veth (198.18.0.0/24, nothing leaves
# the machine): mxcb-srv runs the server, mxcb-cli is the "host" side of the
# stack. The sandbox is an unprivileged user+net namespace of the user mxc-test
# inside mxcb-cli. /dev/net/tun is made 0666 for the run and restored after.
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-5}
py=/usr/bin/python3
tun_mode=$(stat -c %a /dev/net/tun)
cleanup() {
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null || true
	ip netns del mxcb-srv 2>/dev/null || true
	ip netns del mxcb-cli 2>/dev/null || true
	chmod "$tun_mode" /dev/net/tun
}
trap cleanup EXIT
ip netns add mxcb-srv
ip netns add mxcb-cli
ip -n mxcb-srv link add veth0 type veth peer name veth1 netns mxcb-cli
ip -n mxcb-srv addr add 198.18.0.1/24 dev veth0
ip -n mxcb-cli addr add 198.18.0.2/24 dev veth1
ip -n mxcb-srv link set lo up
ip -n mxcb-srv link set veth0 up
ip -n mxcb-cli link set lo up
ip -n mxcb-cli link set veth1 up
ip -n mxcb-cli route add default via 198.18.0.1
chmod 0666 /dev/net/tun
ip netns exec mxcb-srv "$py" stackbench.py server &
srv=$!
sleep 0.5
"$py" stackbench.py "$rounds"
