/* SPDX-License-Identifier: MIT */
/*
 * Sandbox event stream (`mxc run --events FILE|fd:N`): one JSON object per
 * line, written with a single write(2) so lines from several writers never
 * interleave. Network decisions look like:
 *
 *   {"time":"2026-11-23T10:00:00.123Z","sandbox":"<id>","kind":"network",
 *    "source":"proxy"|"firewall","decision":"allow"|"deny",
 *    "protocol":"http"|"https"|"socks5"|"tcp"|"udp"|"icmp"|"icmpv6",
 *    "host":"example.com","address":"93.184.216.34","port":443,
 *    "rule":"blockedHosts[0]=*.example.com","reason":"..."}
 *
 * "host" is omitted when unknown (firewall events), "address" when the
 * request was refused before resolution.
 */
#pragma once

#include <stdint.h>

struct netevent {
	const char *source;   /* "proxy" | "firewall" */
	const char *decision; /* "allow" | "deny" */
	const char *protocol;
	const char *host;    /* may be NULL */
	const char *address; /* may be NULL */
	unsigned port;	     /* 0 = omit */
	const char *rule;    /* may be NULL */
	const char *reason;  /* may be NULL */
};

/* Write one event line to fd (no-op when fd < 0). Returns 0 or -errno. */
int netevent_write(int fd, const char *sandbox_id, const struct netevent *ev);
