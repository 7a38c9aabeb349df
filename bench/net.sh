#!/usr/bin/env bash
# Network benchmark (issue 5 item 8): TCP connection set-up latency and bulk
# throughput, side by side:
#   loopback   client and server on the same loopback (no sandbox)
#   veth       client in the test client netns, server on the test host across
#              a veth (no sandbox): the path the sandboxes below take too
#   firewall   client in an mxc sandbox in firewall mode (pasta + nftables)
#   proxy      client in an mxc sandbox in proxy mode: CONNECT through mxc's
#              filtering proxy (mxc-netd, host side), then across the veth
# plus the start-up of `mxc run /bin/true` per network mode. Uses the network
# test topology (tests/net/topology.sh, root).
#   bench/net.sh [CONNECTS] [MIB]     (defaults 300, 512; writes build/bench/net.{md,json})
set -euo pipefail
cd "$(dirname "$0")/.."
connects=${1:-300}
mib=${2:-512}
[ "$(id -u)" -eq 0 ] || { echo "bench/net.sh: needs root (network namespaces)" >&2; exit 1; }
builddir=${MXC_BUILDDIR:-build}
[ -d "$builddir" ] || meson setup "$builddir" >/dev/null
ninja -C "$builddir" cli/mxc cli/mxc-netd bench/mxc-netbench >/dev/null
mxc=$(realpath "$builddir/cli/mxc")
nb=$(realpath "$builddir/bench/mxc-netbench")
out=$builddir/bench
mkdir -p "$out"
tmp=$(mktemp -d)
chmod 755 "$tmp"
port=9100
tests/net/topology.sh up >/dev/null
cleanup() {
	[ -n "${srv_pid:-}" ] && kill "$srv_pid" 2>/dev/null || true
	[ -n "${lo_pid:-}" ] && kill "$lo_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns exec mxct-srv "$nb" server $port >/dev/null &
srv_pid=$!
ip netns exec mxct-cli "$nb" server $((port + 1)) >/dev/null &
lo_pid=$!
sleep 0.3

cli() { ip netns exec mxct-cli "$@"; }
nbdir=$(dirname "$nb")
cat >"$tmp/fw.json" <<JSON
{"version":"0.8.0-alpha","filesystem":{"readonlyPaths":["$nbdir"]},
 "process":{"commandLine":"$nb client 198.18.1.1 $port --connects $connects --mib $mib"},
 "network":{"egress":{"default":"deny","allow":[{"to":[{"cidr":"198.18.1.1/32"}],"ports":[{"port":$port,"protocol":"tcp"}]}]}}}
JSON
cat >"$tmp/proxy.json" <<JSON
{"version":"0.8.0-alpha","filesystem":{"readonlyPaths":["$nbdir"]},
 "process":{"commandLine":"$nb client 198.18.1.1 $port --proxy 127.0.0.1:3128 --connects $connects --mib $mib"},
 "network":{"defaultPolicy":"block","allowedHosts":["198.18.1.1"],"proxy":{"builtinTestServer":true}}}
JSON
for m in iso fw proxy; do :; done
printf '{"version":"0.8.0-alpha","process":{"commandLine":"/bin/true"}}\n' >"$tmp/start-iso.json"
sed 's|"commandLine":"[^"]*"|"commandLine":"/bin/true"|' "$tmp/fw.json" >"$tmp/start-fw.json"
sed 's|"commandLine":"[^"]*"|"commandLine":"/bin/true"|' "$tmp/proxy.json" >"$tmp/start-proxy.json"

declare -A res
res[loopback]=$(cli "$nb" client 127.0.0.1 $((port + 1)) --connects "$connects" --mib "$mib")
res[veth]=$(cli "$nb" client 198.18.1.1 $port --connects "$connects" --mib "$mib")
res[firewall]=$(cli "$mxc" run "$tmp/fw.json")
res[proxy]=$(cli "$mxc" run --allow-testing-features "$tmp/proxy.json")

# start-up: median of 30 runs per mode
startup() {
	local f=$1 extra=${2:-} i t0 t1
	for i in $(seq 30); do
		t0=$(date +%s%N)
		cli "$mxc" run $extra "$f" >/dev/null
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	done | sort -n | sed -n 15p
}
declare -A st
st[isolated]=$(startup "$tmp/start-iso.json")
st[firewall]=$(startup "$tmp/start-fw.json")
st[proxy]=$(startup "$tmp/start-proxy.json" --allow-testing-features)

python3 - "$out" "$connects" "$mib" <<PY
import json, sys
out, connects, mib = sys.argv[1], sys.argv[2], sys.argv[3]
res = {k: json.loads(v) for k, v in {"loopback": '''${res[loopback]}''', "veth": '''${res[veth]}''',
       "firewall": '''${res[firewall]}''', "proxy": '''${res[proxy]}'''}.items()}
st = {"isolated": ${st[isolated]}, "firewall": ${st[firewall]}, "proxy": ${st[proxy]}}
base = res["veth"]
lines = ["| path | connect median (µs) | p95 (µs) | × veth | bulk (MiB/s) | × veth |", "|---|---|---|---|---|---|"]
for k in ("loopback", "veth", "firewall", "proxy"):
    r = res[k]
    lines.append("| %s | %.0f | %.0f | %.2f | %.0f | %.2f |" % (k, r["connectMedianUs"], r["connectP95Us"],
                 r["connectMedianUs"] / base["connectMedianUs"], r["bulkMedianMiBps"],
                 r["bulkMedianMiBps"] / base["bulkMedianMiBps"] if base["bulkMedianMiBps"] else 0))
lines += ["", "| \`mxc run /bin/true\` | median (ms, incl. ip netns exec) |", "|---|---|"]
for k in ("isolated", "firewall", "proxy"):
    lines.append("| %s | %.2f |" % (k, st[k] / 1000))
md = "\n".join(lines) + "\n"
open(out + "/net.md", "w").write(md)
json.dump({"paths": res, "startupUs": st, "connects": int(connects), "mib": int(mib)}, open(out + "/net.json", "w"), indent=1)
print(md)
PY
