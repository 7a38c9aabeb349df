#!/usr/bin/env bash
# Start-to-exit time of `mxc run` (/bin/true, network blocked) next to bare bwrap
# and plain exec. Needs hyperfine and bubblewrap (apt-get install hyperfine bubblewrap).
# Usage: bench/startup.sh [RUNS]   (run from the repository root, after building)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
mxc=${MXC_BIN:-build/cli/mxc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/true.json" <<'JSON'
{ "version": "0.8.0-alpha", "process": { "commandLine": "/bin/true" } }
JSON
hyperfine -N --warmup 20 --runs "$runs" --export-json "$tmp/out.json" \
  -n 'plain /bin/true' '/bin/true' \
  -n 'bwrap --unshare-all --ro-bind / / /bin/true' 'bwrap --unshare-all --ro-bind / / /bin/true' \
  -n 'mxc run (namespaces, net isolated)' "$mxc run $tmp/true.json" >/dev/null
python3 - "$tmp/out.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = {r["command"]: r["median"] for r in res}
bw = res[1]["median"]
print(f"| command | median (ms) | p95 (ms) | vs bwrap |")
print(f"|---|---|---|---|")
for r in res:
    t = sorted(r["times"])
    p95 = t[int(len(t) * 0.95) - 1]
    print(f"| {r['command']} | {r['median']*1000:.2f} | {p95*1000:.2f} | {r['median']/bw:.2f}x |")
PY
