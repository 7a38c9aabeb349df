#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Servers of the network test topology (tests/net/topology.sh starts them).

  servers.py srv STATE_DIR   in netns mxct-srv, on every srv address:
      TCP token servers  7001 7002 7003 7010 7011 7012: "TOK <addr> <port>\\n", then close
      UDP echo           7001 7002 7010: "UDP <addr> <port> <datagram>"
      HTTP               80 8080: body "host=<Host> path=<path> server=<addr>:<port> via=<Via>"
      HTTPS              443 (STATE_DIR/cert.pem, CN allowed.test, SAN allowed.test, blocked.test)
      DNS                UDP and TCP 53: A/AAAA from tests/net/hosts, *.wild.test
      forward proxy      3129: CONNECT and absolute-URI GET (an "external proxy")
  servers.py cli STATE_DIR   in netns mxct-cli, on its loopback addresses 127.0.0.1 and ::1:
      TCP token server   7777: "CLIHOST <addr> <port>\\n" (the host's loopback: never reachable)
      HTTP               8081 (the same body, server=<addr>:8081)
      forward proxy      3129 (the external proxy the relay tests use)

Writes STATE_DIR/<role>.pid at start and STATE_DIR/<role>.ready once every
socket is bound. Python standard library only.
"""
import asyncio
import ipaddress
import os
import socket
import ssl
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SRV_ADDRS = [
    "198.18.0.2",
    "198.18.1.1",
    "198.18.2.1",
    "198.18.3.1",
    "169.254.169.254",
    "2001:db8:18::2",
    "2001:db8:1::1",
    "2001:db8:2::1",
    "fd00:ec2::254",
]
CLI_LOOPBACK = ["127.0.0.1", "::1"]
TOKEN_PORTS = [7001, 7002, 7003, 7010, 7011, 7012]
UDP_PORTS = [7001, 7002, 7010]
# Names below this suffix resolve like allowed.test (wildcard host-list tests).
WILD_SUFFIX = ".wild.test"
WILD_ADDRS = ["198.18.1.1", "2001:db8:1::1"]


def load_names():
    """name -> [addresses] from tests/net/hosts (the same file the tests see)."""
    names = {}
    with open(os.path.join(HERE, "hosts"), encoding="ascii") as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) < 2:
                continue
            for name in line[1:]:
                names.setdefault(name.lower(), []).append(line[0])
    return names


NAMES = load_names()


def resolve(name):
    """Addresses of a name (or the literal itself); [] if unknown."""
    name = name.strip("[]").lower().rstrip(".")
    try:
        return [str(ipaddress.ip_address(name))]
    except ValueError:
        pass
    if name.endswith(WILD_SUFFIX):
        return list(WILD_ADDRS)
    return list(NAMES.get(name, []))


def sockname(writer):
    addr = writer.get_extra_info("sockname")
    return addr[0], addr[1]


# ---- TCP token ---------------------------------------------------------------


def token_handler(prefix):
    async def handle(reader, writer):
        addr, port = sockname(writer)
        try:
            writer.write(f"{prefix} {addr} {port}\n".encode())
            await writer.drain()
        except OSError:
            pass
        writer.close()

    return handle


# ---- UDP echo ----------------------------------------------------------------


class UdpEcho(asyncio.DatagramProtocol):
    def __init__(self, addr, port):
        self.prefix = f"UDP {addr} {port} ".encode()
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, peer):
        self.transport.sendto(self.prefix + data, peer)


# ---- HTTP --------------------------------------------------------------------


async def read_head(reader, limit=16384):
    """Request or response head up to the blank line: (first line, {lower name: value})."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    if len(head) > limit:
        raise ValueError("head too long")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return lines[0], headers


def origin_path(target):
    """The path of a request target (absolute-form is reduced to its path)."""
    if "://" in target:
        rest = target.split("://", 1)[1]
        i = rest.find("/")
        return rest[i:] if i >= 0 else "/"
    return target


async def http_handler(reader, writer):
    addr, port = sockname(writer)
    try:
        line, headers = await read_head(reader)
        parts = line.split(" ")
        path = origin_path(parts[1]) if len(parts) >= 2 else "?"
        body = (
            f"host={headers.get('host', '')} path={path} server={addr}:{port}"
            f" via={headers.get('via', '')}\n"
        ).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + f"Content-Length: {len(body)}\r\n".encode()
            + b"Connection: close\r\n\r\n"
            + body
        )
        await writer.drain()
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.TimeoutError):
        pass
    writer.close()


# ---- DNS ---------------------------------------------------------------------


def dns_answer(query):
    """The response to one DNS query message, or None if it cannot be parsed."""
    if len(query) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    if qdcount != 1:
        return None
    i, labels = 12, []
    while i < len(query) and query[i]:
        n = query[i]
        labels.append(query[i + 1 : i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    if i + 5 > len(query):
        return None
    qtype, qclass = struct.unpack("!HH", query[i + 1 : i + 5])
    question = query[12 : i + 5]
    name = ".".join(labels).lower()
    addrs = resolve(name) if name.endswith(".test") or name == "localhost" else []
    answers = []
    for a in addrs:
        ip = ipaddress.ip_address(a)
        if qtype == 1 and ip.version == 4:
            answers.append(struct.pack("!HHHIH", 0xC00C, 1, 1, 5, 4) + ip.packed)
        elif qtype == 28 and ip.version == 6:
            answers.append(struct.pack("!HHHIH", 0xC00C, 28, 1, 5, 16) + ip.packed)
    rcode = 0 if addrs else 3
    rflags = 0x8400 | (flags & 0x0100) | rcode
    head = struct.pack("!HHHHHH", qid, rflags, 1, len(answers), 0, 0)
    return head + question + b"".join(answers)


class DnsUdp(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, peer):
        ans = dns_answer(data)
        if ans:
            self.transport.sendto(ans, peer)


async def dns_tcp_handler(reader, writer):
    try:
        while True:
            n = struct.unpack("!H", await asyncio.wait_for(reader.readexactly(2), 10))[0]
            ans = dns_answer(await reader.readexactly(n))
            if not ans:
                break
            writer.write(struct.pack("!H", len(ans)) + ans)
            await writer.drain()
    except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, struct.error):
        pass
    writer.close()


# ---- forward proxy (the "external proxy" of the relay tests) -------------------


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    try:
        writer.close()
    except OSError:
        pass


def split_hostport(s, default_port):
    if s.startswith("["):
        host, _, rest = s[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if s.count(":") == 1:
        host, port = s.split(":")
        return host, int(port)
    return s, default_port


async def open_to(host, port):
    addrs = resolve(host)
    if not addrs:
        raise OSError("unknown host " + host)
    return await asyncio.wait_for(asyncio.open_connection(addrs[0], port), 5)


async def proxy_handler(reader, writer):
    try:
        line, headers = await read_head(reader)
        method, target, _ = line.split(" ", 2)
        if method == "CONNECT":
            host, port = split_hostport(target, 443)
            try:
                ur, uw = await open_to(host, port)
            except (OSError, asyncio.TimeoutError):
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nVia: mxct-relay\r\n\r\n")
                await writer.drain()
                writer.close()
                return
            writer.write(b"HTTP/1.1 200 Connection established\r\nVia: mxct-relay\r\n\r\n")
            await writer.drain()
        elif target.startswith("http://"):
            rest = target[len("http://") :]
            authority, slash, path = rest.partition("/")
            host, port = split_hostport(authority, 80)
            ur, uw = await open_to(host, port)
            uw.write(f"{method} /{path} HTTP/1.1\r\n".encode())
            for k, v in headers.items():
                if k not in ("connection", "proxy-connection", "via"):
                    uw.write(f"{k}: {v}\r\n".encode())
            uw.write(b"Via: mxct-relay\r\nConnection: close\r\n\r\n")
            await uw.drain()
        else:
            writer.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        await asyncio.gather(pipe(reader, uw), pipe(ur, writer))
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.TimeoutError):
        try:
            writer.close()
        except OSError:
            pass


# ---- main --------------------------------------------------------------------


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def bound_socket(addr, port, kind):
    s = socket.socket(family(addr), kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if ":" in addr:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    s.setblocking(False)
    return s


async def tcp(addr, port, handler, ssl_ctx=None):
    sock = bound_socket(addr, port, socket.SOCK_STREAM)
    return await asyncio.start_server(handler, sock=sock, ssl=ssl_ctx, backlog=128)


async def udp(addr, port, factory):
    sock = bound_socket(addr, port, socket.SOCK_DGRAM)
    loop = asyncio.get_running_loop()
    return await loop.create_datagram_endpoint(factory, sock=sock)


async def serve_srv(state):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(os.path.join(state, "cert.pem"), os.path.join(state, "key.pem"))
    keep = []
    for a in SRV_ADDRS:
        for p in TOKEN_PORTS:
            keep.append(await tcp(a, p, token_handler("TOK")))
        for p in UDP_PORTS:
            keep.append(await udp(a, p, lambda a=a, p=p: UdpEcho(a, p)))
        for p in (80, 8080):
            keep.append(await tcp(a, p, http_handler))
        keep.append(await tcp(a, 443, http_handler, ctx))
        keep.append(await tcp(a, 53, dns_tcp_handler))
        keep.append(await udp(a, 53, DnsUdp))
        keep.append(await tcp(a, 3129, proxy_handler))
    return keep


async def serve_cli(state):
    keep = []
    for a in CLI_LOOPBACK:
        keep.append(await tcp(a, 7777, token_handler("CLIHOST")))
        keep.append(await tcp(a, 8081, http_handler))
        keep.append(await tcp(a, 3129, proxy_handler))
    return keep


async def main(role, state):
    keep = await (serve_srv(state) if role == "srv" else serve_cli(state))
    with open(os.path.join(state, role + ".ready"), "w", encoding="ascii") as f:
        f.write(f"{len(keep)}\n")
    await asyncio.Event().wait()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("srv", "cli"):
        sys.exit("usage: servers.py srv|cli STATE_DIR")
    with open(os.path.join(sys.argv[2], sys.argv[1] + ".pid"), "w", encoding="ascii") as f:
        f.write(f"{os.getpid()}\n")
    asyncio.run(main(sys.argv[1], sys.argv[2]))
