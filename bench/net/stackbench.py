#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pasta vs slirp4netns, measured the way mxc-netd uses them.

Run by stack-bench.sh (as root, after it created the netns pair). For each
stack and round: a holder process runs as the unprivileged user in a new
user+net namespace inside the client netns; the stack is attached to it with
the flags mxc-netd uses; a child joins the holder's namespaces and measures
 - ready: time from spawning the stack until the first TCP connect to the
   server succeeds (includes the stack's start-up and interface set-up),
 - connect: median/p90 of CONNECTS sequential TCP connects to the server,
 - upload: MB/s sending BULK_MB MiB to the server's sink (until it acknowledged),
   and the slowest single 1 MiB send (stalls),
 - download: MB/s receiving BULK_MB MiB from the server.
PASTA_EXTRA / SLIRP_MTU vary the stacks' options for experiments.
"""
import ctypes
import json
import os
import pwd
import signal
import socket
import statistics
import subprocess
import sys
import time

SERVER = "198.18.0.1"
CONNECT_PORT, SINK_PORT, SOURCE_PORT = 5001, 5002, 5003
CLIENT_NS = "mxcb-cli"
USER = "mxc-test"
CONNECTS = int(os.environ.get("CONNECTS", "500"))
BULK_MB = int(os.environ.get("BULK_MB", "64"))
libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    if libc.setns(fd, 0) != 0:
        raise OSError(ctypes.get_errno(), "setns " + path)
    os.close(fd)


def server():
    """Run in the server netns: port 5001 accepts and closes, 5002 counts bytes."""
    import threading

    def acceptor():
        s = socket.create_server((SERVER, CONNECT_PORT), backlog=512)
        while True:
            c, _ = s.accept()
            c.close()

    def sink():
        s = socket.create_server((SERVER, SINK_PORT), backlog=16)
        while True:
            c, _ = s.accept()
            n = 0
            while True:
                b = c.recv(1 << 20)
                if not b:
                    break
                n += len(b)
            c.sendall(str(n).encode())
            c.close()

    def source():
        s = socket.create_server((SERVER, SOURCE_PORT), backlog=16)
        buf = b"y" * (1 << 20)
        while True:
            c, _ = s.accept()
            n = int(c.recv(64))
            for _ in range(n):
                c.sendall(buf)
            c.close()

    threading.Thread(target=acceptor, daemon=True).start()
    threading.Thread(target=source, daemon=True).start()
    sink()


def upload(res):
    buf = b"x" * (1 << 20)
    s = socket.create_connection((SERVER, SINK_PORT), timeout=30)
    a = time.perf_counter()
    stall = 0
    for _ in range(BULK_MB):
        b = time.perf_counter()
        s.sendall(buf)
        stall = max(stall, time.perf_counter() - b)
    s.shutdown(socket.SHUT_WR)
    reply = s.recv(64)
    if reply != str(BULK_MB << 20).encode():
        raise OSError(f"sent {BULK_MB << 20} bytes, the server answered {reply[:40]!r}")
    n = BULK_MB << 20
    res["up_MBps"] = n / (1 << 20) / (time.perf_counter() - a)
    res["up_stall_ms"] = stall * 1000
    s.close()


def download(res):
    s = socket.create_connection((SERVER, SOURCE_PORT), timeout=30)
    a = time.perf_counter()
    s.sendall(str(BULK_MB).encode())
    n = 0
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        n += len(b)
    if n != BULK_MB << 20:
        raise OSError(f"received {n} bytes, the server sent {BULK_MB << 20}")
    res["down_MBps"] = n / (1 << 20) / (time.perf_counter() - a)
    s.close()


def measure(t0, out_fd):
    deadline = t0 + 10
    ready = None
    while time.monotonic() < deadline:
        try:
            socket.create_connection((SERVER, CONNECT_PORT), timeout=0.2).close()
            ready = time.monotonic() - t0
            break
        except OSError:
            time.sleep(0.001)
    res = {"ready_ms": None if ready is None else ready * 1000}
    if ready is not None:
        lat = []
        for _ in range(CONNECTS):
            a = time.perf_counter()
            s = socket.create_connection((SERVER, CONNECT_PORT))
            lat.append(time.perf_counter() - a)
            s.close()
        lat.sort()
        res["connect_median_us"] = statistics.median(lat) * 1e6
        res["connect_p90_us"] = lat[int(len(lat) * 0.9)] * 1e6
        try:
            upload(res)
        except OSError as e:
            res["up_error"] = str(e)
        try:
            download(res)
        except OSError as e:
            res["down_error"] = str(e)
    os.write(out_fd, json.dumps(res).encode())


def one_round(stack):
    pw = pwd.getpwnam(USER)
    drop = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups"]
    holder = subprocess.Popen(["ip", "netns", "exec", CLIENT_NS] + drop +
                              ["unshare", "-Urn", "sleep", "600"])
    cli_net = os.stat(f"/run/netns/{CLIENT_NS}").st_ino
    my_user = os.stat("/proc/self/ns/user").st_ino
    for _ in range(2000):
        try:
            if (os.stat(f"/proc/{holder.pid}/ns/net").st_ino != cli_net and
                    os.stat(f"/proc/{holder.pid}/ns/user").st_ino != my_user):
                break
        except FileNotFoundError:
            pass
        time.sleep(0.001)
    p = holder.pid
    if stack == "pasta":
        cmd = ["pasta", "-f", "-q", "-4", "-t", "none", "-u", "none", "-T", "none", "-U", "none",
               "--no-map-gw", "--config-net", "--netns", f"/proc/{p}/ns/net",
               "--userns", f"/proc/{p}/ns/user"] + os.environ.get("PASTA_EXTRA", "").split()
        pass_fds = ()
    else:
        ready_r, ready_w = os.pipe()
        cmd = ["slirp4netns", "--configure", "--mtu=" + os.environ.get("SLIRP_MTU", "65520"), "--disable-host-loopback",
               f"--ready-fd={ready_w}", str(p), "tap0"]
        pass_fds = (ready_w,)
    r, w = os.pipe()
    t0 = time.monotonic()
    st = subprocess.Popen(["ip", "netns", "exec", CLIENT_NS] + drop + cmd, pass_fds=pass_fds,
                          stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    child = os.fork()
    if child == 0:
        os.close(r)
        setns(f"/proc/{p}/ns/user")
        setns(f"/proc/{p}/ns/net")
        measure(t0, w)
        os._exit(0)
    os.close(w)
    data = b""
    while True:
        b = os.read(r, 4096)
        if not b:
            break
        data += b
    os.close(r)
    os.waitpid(child, 0)
    st.send_signal(signal.SIGTERM)
    st.wait()
    holder.kill()
    holder.wait()
    if stack != "pasta":
        os.close(ready_r)
        os.close(ready_w)
    return json.loads(data)


def main():
    if sys.argv[1:2] == ["server"]:
        server()
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rows = {}
    for stack in os.environ.get("STACKS", "pasta slirp4netns").split():
        rows[stack] = [one_round(stack) for _ in range(rounds)]
    print(f"rounds={rounds} connects/round={CONNECTS} bulk={BULK_MB} MiB")
    print("| stack | ready (ms) | connect median (us) | connect p90 (us) "
          "| upload (MB/s) | upload, worst 1 MiB (ms) | download (MB/s) |")
    print("|---|---|---|---|---|---|---|")
    for stack, rs in rows.items():
        ok = [x for x in rs if x.get("ready_ms") is not None and "up_error" not in x
              and "down_error" not in x]
        errs = [x.get("up_error") or x.get("down_error") for x in rs if x not in ok]
        if errs:
            print(f"{stack}: {len(errs)} of {len(rs)} rounds failed: {errs}")
        if not ok:
            print(f"| {stack} | failed | | | | | |")
            continue
        med = lambda k: statistics.median(x[k] for x in ok)
        print(f"| {stack} | {med('ready_ms'):.1f} | {med('connect_median_us'):.0f} | "
              f"{med('connect_p90_us'):.0f} | {med('up_MBps'):.0f} | {med('up_stall_ms'):.0f} | "
              f"{med('down_MBps'):.0f} |")
    print("(medians over the rounds)")
    print(json.dumps(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
