/* SPDX-License-Identifier: MIT */
/*
 * mxc's per-sandbox proxy, run on the host side (in mxc-netd) for sandboxes
 * whose only way out is a proxy. It owns listening sockets that were created
 * *inside the sandbox's network namespace* (bound to 127.0.0.1:PORT and
 * [::1]:PORT there) and makes its outbound connections from the host's
 * network namespace. Two roles:
 *
 *  - NETPROXY_FILTER: a filtering forward proxy. On one port it serves
 *      * HTTP/1.1 absolute-URI requests (GET http://h/p HTTP/1.1); the target
 *        is the URI's authority; a Host header naming another host is a
 *        refusal (403, "Host header does not match request target");
 *      * CONNECT h:p (HTTPS tunnels); a Host header that differs from the
 *        CONNECT target is refused the same way;
 *      * SOCKS5 (first byte 0x05), no-auth method, CONNECT command with
 *        IPv4, IPv6 or domain-name addresses; refusals answer reply code
 *        0x02 "connection not allowed by ruleset"; other commands 0x07.
 *    Each request is decided with hostmatch (hostmatch.h): first on the
 *    name, then on every address the name resolves to (getaddrinfo on the
 *    host); the proxy connects to a checked address only. Refusals get
 *    "HTTP/1.1 403 Forbidden" with a one-line text/plain body giving the
 *    reason, then close. Upstream connect failures get 502.
 *    Header size is capped (16 KiB); slow clients time out (30 s for the
 *    request head). Plain HTTP requests are forwarded in origin form with
 *    hop-by-hop headers and Proxy-* headers removed, "Connection: close";
 *    only the request's own body goes upstream (Content-Length bytes;
 *    chunked: the rest of the stream), so a pipelined second request never
 *    reaches the origin unchecked: one request per client connection.
 *  - NETPROXY_RELAY: every accepted connection is spliced to one fixed
 *    upstream address (an external proxy given by the config), no parsing;
 *    each connection is an "allow" event, protocol "tcp", host
 *    upstream_name, rule "relay".
 *
 * Every decision (allow and deny) is written to events_fd (netevents.h);
 * a failed upstream connect is an "allow" event with a "reason".
 * netproxy_run() returns when stop_fd becomes readable or hits EOF, after
 * joining every connection thread (named "mxc-proxy-conn"). Connections
 * over max_connections are accepted and closed at once.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "net/hostmatch.h"

enum netproxy_role {
	NETPROXY_FILTER,
	NETPROXY_RELAY,
};

struct netproxy_stats {
	uint64_t allowed, denied, failed;
};

struct netproxy_config {
	enum netproxy_role role;
	const int *listen_fds; /* listening, non-blocking, CLOEXEC */
	size_t n_listen_fds;
	struct hostmatch *rules;	  /* FILTER (refreshed by the proxy) */
	struct sockaddr_storage upstream; /* RELAY target */
	socklen_t upstream_len;
	const char *upstream_name; /* RELAY: for events, e.g. "proxy.corp:3128" */
	int events_fd;		   /* -1: none */
	const char *sandbox_id;
	int stop_fd;		  /* readable/EOF -> return */
	unsigned max_connections; /* 0 = default (256) */
	/* Test hook: when non-NULL, names are resolved with this instead of
	 * getaddrinfo (unit tests of DNS rebinding). Returns count or -errno. */
	int (*resolve)(const char *host, struct sockaddr_storage *out, size_t max, void *data);
	void *resolve_data;
	/* Request-head timeout (HTTP head, SOCKS5 negotiation); 0 = 30 s. */
	unsigned head_timeout_ms;
};

/* Serve until stop_fd fires. Returns 0 or -errno on a fatal setup error.
 * Fills *stats if non-NULL. Thread-based: one thread per client
 * connection; the caller should run it in a dedicated process. */
int netproxy_run(const struct netproxy_config *cfg, struct netproxy_stats *stats);
