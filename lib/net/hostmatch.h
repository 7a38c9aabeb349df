/* SPDX-License-Identifier: MIT */
/*
 * Host allow/deny lists for the filtering proxy (issue 5 item 5).
 *
 * A list entry is one of:
 *   - a hostname, matched case-insensitively and exactly ("example.com"),
 *     a trailing dot ignored;
 *   - a wildcard "*.example.com": matches every name *below* example.com
 *     (a.example.com, a.b.example.com), not example.com itself;
 *   - an IPv4 or IPv6 literal ("10.1.2.3", "::1", "[::1]"): a /32 or /128;
 *   - a CIDR ("10.0.0.0/8", "fd00::/8"). IPv4-mapped IPv6 addresses are
 *     matched as the IPv4 address they carry, both in rules and in requests.
 *
 * Decision for a request to host H (the name or literal the client asked
 * for) whose name resolved to addresses A1..An (for literals: the literal):
 *   1. any blocked entry matching H, or any blocked IP/CIDR entry matching
 *      any Ai            -> deny ("blockedHosts[i]")
 *      Blocked *names* are also resolved (hostmatch_refresh(), at start and
 *      then at most every 60 s) and their addresses blocked, so an IP
 *      literal of a blocked host is refused too.
 *   2. a special address among Ai, unless an allowed IP/CIDR entry
 *      explicitly covers that address -> deny:
 *        always: loopback (127.0.0.0/8, ::1) - the proxy runs on the host,
 *        so this would be the host's own services; link-local and metadata
 *        (169.254.0.0/16, fe80::/10, fd00:ec2::254); unspecified (0.0.0.0/8,
 *        ::); multicast and broadcast;
 *        when block_local: private ranges (10/8, 172.16/12, 192.168/16,
 *        100.64/10, fc00::/7) ("allowLocalNetwork=false").
 *   3. allow list non-empty: H matches an allowed name entry, or every Ai is
 *      covered by an allowed IP/CIDR entry -> allow ("allowedHosts[i]"),
 *      else deny ("not in allowedHosts")
 *   4. allow list empty: default policy decides ("defaultPolicy").
 * The proxy connects only to an address that was checked (no second lookup),
 * which closes DNS rebinding.
 *
 * Refinements (implementation notes):
 *   - "explicitly covers" in step 2 means an allowed IP/CIDR entry that
 *     contains the address *and* is no wider than the special range it falls
 *     in: "127.0.0.1/32" or "10.0.0.0/8" count, "0.0.0.0/0" does not; the
 *     metadata addresses are only allowed by naming them exactly.
 *   - Hostnames: labels of [A-Za-z0-9_-], at most 63 bytes, 253 in all; a
 *     name whose last label is all digits is not a name (it is a malformed
 *     entry, or a legacy numeric IPv4 form such as "127.1" when requested).
 *     A requested host that is neither a valid name nor a literal is denied
 *     ("invalid host name").
 *   - With n_addrs == 0 and a host name, step 3 cannot look at addresses yet:
 *     if the allow list has IP/CIDR entries, the result is a provisional
 *     allow ("pending address check") and the caller must decide again with
 *     the resolved addresses (the proxy always does).
 *   - A CIDR's host bits are masked ("10.1.2.3/8" is 10.0.0.0/8). An IPv6
 *     rule in ::ffff:0:0/96 with prefix >= 96 becomes the IPv4 rule it
 *     carries; IPv6 rules never match IPv4 addresses.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct hostmatch;

enum hostmatch_verdict {
	HOSTMATCH_DENY = 0,
	HOSTMATCH_ALLOW = 1,
};

struct hostmatch_result {
	enum hostmatch_verdict verdict;
	/* Static or list-owned text naming the rule that decided, e.g.
	 * "blockedHosts[2]=*.evil.test", "allowedHosts[0]=example.com",
	 * "defaultPolicy=block", "metadata/link-local address". */
	char rule[160];
	/* Index into `addrs` of the address that decided, or -1 (name rule,
	 * literal host, default policy). */
	int address_index;
};

/* Build from NULL-terminated lists (either may be NULL). Returns 0 or
 * -EINVAL with *bad_index and *bad_is_block naming a malformed entry. */
int hostmatch_new(char *const *allowed, char *const *blocked, bool default_allow, bool block_local,
		  struct hostmatch **ret, size_t *bad_index, bool *bad_is_block);
/* Resolve the blocked names again if the last refresh is older than 60 s
 * (or never happened); `resolve` as in netproxy_config (NULL: getaddrinfo).
 * Thread-safe against hostmatch_decide(). */
void hostmatch_refresh(struct hostmatch *m,
		       int (*resolve)(const char *host, struct sockaddr_storage *out, size_t max,
				      void *data),
		       void *data);
void hostmatch_free(struct hostmatch *m);

/* Decide for host name/literal `host` (no port, IPv6 without brackets or with)
 * and its resolved addresses (may be n_addrs==0 for a pre-resolution check:
 * then only name rules and literal checks apply). */
void hostmatch_decide(const struct hostmatch *m, const char *host,
		      const struct sockaddr_storage *addrs, size_t n_addrs,
		      struct hostmatch_result *ret);

/* Parse a host literal: "1.2.3.4", "::1", "[::1]", legacy numeric IPv4
 * ("127.1"). Fills *out (port 0) and returns true, or returns false for a
 * name. IPv4-mapped IPv6 is returned as written (AF_INET6). */
bool hostmatch_parse_literal(const char *host, struct sockaddr_storage *out);

/* The default resolver (getaddrinfo, AF_UNSPEC, TCP): unique addresses,
 * port 0. Returns the count (> 0) or -errno (-ENOENT: no such name). */
int hostmatch_resolve_default(const char *host, struct sockaddr_storage *out, size_t max,
			      void *data);

/* True if `s` is an IPv4/IPv6 literal or CIDR (used by the plan to tell
 * firewall-expressible entries from hostnames). */
bool hostmatch_is_ip_or_cidr(const char *s);
