#!/usr/bin/env bash
# mxc benchmarks, one command: start-up side by side (interleaved) against plain
# exec, the unshare(1) floor and bare bwrap with the same policy; network
# isolated and shared; /bin/true and python3; peak RSS of mxc; sandboxes per
# second with 2 concurrent launchers; 1000 sequential runs with host fds,
# mounts, mxc processes and cgroups counted before and after.
#   bench/run.sh [RUNS]        (default 200; writes build/bench/results.{md,json})
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}

./scripts/setup-debian.sh
for p in bubblewrap; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || {
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get install -y -qq "$p" >/dev/null; }
done
builddir=${MXC_BUILDDIR:-build}
[ -d "$builddir" ] || meson setup "$builddir" >/dev/null
ninja -C "$builddir" cli/mxc bench/mxc-bench >/dev/null
mxc=$(realpath "$builddir/cli/mxc")
bench=$(realpath "$builddir/bench/mxc-bench")
out=$builddir/bench
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cfg() { # name commandLine network-json
  printf '{"version":"0.8.0-alpha","process":{"commandLine":"%s"},"network":%s}\n' "$2" "$3" >"$tmp/$1.json"
}
cfg true-iso '/bin/true' '{"egress":{"default":"deny"}}'
cfg true-host '/bin/true' '{"defaultPolicy":"allow","allowLocalNetwork":true}'
cfg py-iso "/usr/bin/python3 -c 'print(1)'" '{"egress":{"default":"deny"}}'
# The bubblewrap backend, and bare bwrap with the argv it renders (from --dry-run; without
# --seccomp 3 --info-fd 4, whose fds only mxc provides).
printf '{"version":"0.8.0-alpha","containment":"bubblewrap","process":{"commandLine":"/bin/true"},"network":{"egress":{"default":"deny"}}}\n' >"$tmp/true-bwrap.json"
bw_mxc=$("$mxc" run --dry-run "$tmp/true-bwrap.json" | python3 -c '
import json, sys
a = json.load(sys.stdin)["plan"]["bwrapArgv"]
i = a.index("--seccomp"); del a[i:i + 2]
i = a.index("--info-fd"); del a[i:i + 2]
print(" ".join(a))')

# Bare bwrap with the policy mxc's default plan has (upstream's argument order).
bw="bwrap --unshare-user --unshare-pid --unshare-ipc --unshare-uts"
for p in /bin /sbin /lib /lib32 /lib64 /libx32 /usr/bin /usr/sbin /usr/lib /usr/lib32 /usr/lib64 \
         /usr/libexec /usr/share /etc /run/systemd/resolve /run/NetworkManager /run/resolvconf \
         /mnt/wsl/resolv.conf; do
  bw="$bw --ro-bind-try $p $p"
done
bw="$bw --symlink /run /var/run --dev /dev --proc /proc --tmpfs /tmp --clearenv"
bw_iso="${bw/--unshare-uts/--unshare-uts --unshare-net}"

echo "== start-up, $runs interleaved runs each" >&2
"$bench" --runs "$runs" --warmup 20 --json "$out/startup.json" \
  "plain sh -c /bin/true=/bin/sh -c /bin/true" \
  "unshare -Urmpnf /bin/true=unshare -Urmpnf /bin/true" \
  "unshare -Urmpf /bin/true (no netns)=unshare -Urmpf /bin/true" \
  "bwrap, net isolated=$bw_iso -- /bin/sh -c /bin/true" \
  "bwrap, net shared=$bw -- /bin/sh -c /bin/true" \
  "mxc run, namespaces, net isolated=$mxc run $tmp/true-iso.json" \
  "mxc run, namespaces, net shared=$mxc run $tmp/true-host.json" \
  "bwrap, mxc's bubblewrap argv=$bw_mxc" \
  "mxc run, bubblewrap, net isolated=$mxc run $tmp/true-bwrap.json"
"$bench" --runs $((runs / 4)) --warmup 5 --json "$out/python.json" \
  "plain python3=/usr/bin/python3 -c print(1)" \
  "bwrap python3, net isolated=$bw_iso -- /usr/bin/python3 -c print(1)" \
  "mxc python3, net isolated=$mxc run $tmp/py-iso.json"

echo "== peak RSS of the mxc process" >&2
cfg sleep-iso '/bin/sleep 0.5' '{"egress":{"default":"deny"}}'
"$mxc" run "$tmp/sleep-iso.json" & mpid=$!
sleep 0.3
rss_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$mpid/status")
wait "$mpid"

echo "== sandboxes per second, 2 concurrent launchers" >&2
"$bench" --parallel 2 --seconds 5 "mxc=$mxc run $tmp/true-iso.json" >"$out/parallel.json"
"$bench" --parallel 2 --seconds 5 "bwrap=$bw_iso -- /bin/sh -c /bin/true" >"$out/parallel-bwrap.json"

echo "== 1000 sequential runs: host resources before and after" >&2
count() {
  printf '%s %s %s %s\n' \
    "$(pgrep -c -x 'mxc|mxc-init' || true)" \
    "$(wc -l </proc/self/mountinfo)" \
    "$(ls /proc/$$/fd | wc -l)" \
    "$(find /sys/fs/cgroup -maxdepth 3 -name 'mxc-*' 2>/dev/null | wc -l)"
}
before=$(count)
for _ in $(seq 1000); do "$mxc" run "$tmp/true-iso.json"; done
sleep 0.2
after=$(count)

python3 - "$out" "$rss_kib" "$before" "$after" "$runs" <<'PY'
import json, os, sys
out, rss, before, after, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5]
st = json.load(open(os.path.join(out, "startup.json")))
py = json.load(open(os.path.join(out, "python.json")))
par = json.loads(open(os.path.join(out, "parallel.json")).read())
parb = json.loads(open(os.path.join(out, "parallel-bwrap.json")).read())
by = {r["name"]: r for r in st + py}
def med(n): return by[n]["median_ms"]
rows = []
for r in st + py:
    rows.append(r)
lines = ["| scenario | median ms | p95 ms | min ms | vs bwrap (same net) | vs unshare floor |", "|---|---|---|---|---|---|"]
for r in rows:
    n = r["name"]
    ref = None
    if "python3" in n:
        ref = "bwrap python3, net isolated"
    elif "shared" in n:
        ref = "bwrap, net shared"
    elif "isolated" in n:
        ref = "bwrap, net isolated"
    vb = f'{r["median_ms"] / med(ref):.2f}x' if ref and ref != n else ""
    vf = f'{r["median_ms"] / med("unshare -Urmpnf /bin/true"):.2f}x' if "python3" not in n else ""
    lines.append(f'| {n} | {r["median_ms"]:.2f} | {r["p95_ms"]:.2f} | {r["min_ms"]:.2f} | {vb} | {vf} |')
lines.append("")
lines.append(f"- peak RSS of the mxc process (VmHWM): {rss} KiB ({rss/1024:.2f} MiB)")
lines.append(f'- sandboxes per second, 2 concurrent launchers, 5 s: mxc {par["per_second"]:.0f}/s, bare bwrap {parb["per_second"]:.0f}/s')
names = ["mxc processes", "host mountinfo lines", "fds of the launcher", "mxc cgroups"]
lines.append("- 1000 sequential `mxc run`: " + ", ".join(f"{n} {b} -> {a}" for n, b, a in zip(names, before, after)))
md = "\n".join(lines) + "\n"
open(os.path.join(out, "results.md"), "w").write(md)
json.dump({"startup": st, "python": py, "rss_kib": rss, "parallel": [par, parb],
           "leak_check": {"before": dict(zip(names, before)), "after": dict(zip(names, after))}},
          open(os.path.join(out, "results.json"), "w"), indent=2)
print(md)
PY
