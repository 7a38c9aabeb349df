/* SPDX-License-Identifier: MIT */
/*
 * Network part of the plan. The mode is resolved exactly as upstream's
 * bubblewrap backend resolves it (mxc-linux-backends.md §1.2), because an
 * omitted containment means bubblewrap upstream and mxc must accept and
 * reject the same configs; then upstream's refusals run in upstream's order
 * (§1.4). Upstream's modes then map onto mxc's (docs/network.md):
 *
 *   Isolated                      -> ISOLATED (only lo)
 *   Shared                        -> HOST; with (pre-0.8) host lists, which
 *                                    upstream ignores: PROXY (filter)
 *   LegacyProxy, ProxyOnly        -> PROXY: builtinTestServer -> filter,
 *                                    url/localhost -> relay (enforced at
 *                                    every version; upstream's LegacyProxy
 *                                    only sets variables)
 *   FirewallEnforced              -> FIREWALL (nftables ruleset below)
 *   FirewallFiltered (pre-0.8)    -> FIREWALL for IP/CIDR lists, PROXY
 *                                    (filter) when a list names a host
 *
 * The nftables ruleset is rendered here, as text, so --dry-run shows exactly
 * what mxc-netd loads.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "core/strv.h"
#include "plan-internal.h"

enum net_mode {
	NET_ISOLATED,
	NET_SHARED,
	NET_LEGACY_PROXY,
	NET_PROXY_ONLY,
	NET_FIREWALL_ENFORCED,
	NET_FIREWALL_FILTERED,
};

static bool version_is_strict(const struct mxc_config *c)
{
	if (!c->has_version)
		return false;
	if (!c->version_parsed)
		return true;
	return c->ver_major > 0 || c->ver_minor >= 8;
}

static bool has_host_lists(const struct mxc_network *n)
{
	return (n->allowed_hosts && n->allowed_hosts[0]) ||
	       (n->blocked_hosts && n->blocked_hosts[0]);
}

static enum net_mode resolve_mode(const struct mxc_config *c)
{
	const struct mxc_network *n = &c->net;
	bool strict = version_is_strict(c);

	if (n->proxy.kind != MXC_PROXY_NONE)
		return strict ? NET_PROXY_ONLY : NET_LEGACY_PROXY;
	if (n->format == MXC_NET_DIRECTIONAL) {
		if (n->egress_default == MXC_NET_DENY && n->n_egress_allow == 0 &&
		    n->n_egress_deny == 0)
			return NET_ISOLATED;
		return NET_FIREWALL_ENFORCED;
	}
	if (n->enforcement_mode != MXC_NET_ENF_CAPABILITIES && has_host_lists(n))
		return strict ? NET_FIREWALL_ENFORCED : NET_FIREWALL_FILTERED;
	if (n->default_policy == MXC_NET_BLOCK && !has_host_lists(n))
		return NET_ISOLATED;
	return NET_SHARED;
}

static int refuse(struct mxc_error *reterr, const char *field, const char *msg)
{
	int r = mxc_error_set(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND, "%s", msg);
	mxc_error_where(reterr, field, 0, 0);
	return r;
}

/* Upstream's refusals, in upstream's order (§1.4). */
static int upstream_checks(const struct mxc_config *c, enum net_mode mode, struct mxc_plan *p,
			   struct mxc_error *reterr)
{
	const struct mxc_network *n = &c->net;
	bool strict = version_is_strict(c);
	bool private_ns =
		mode == NET_ISOLATED || mode == NET_PROXY_ONLY || mode == NET_FIREWALL_ENFORCED;

	if (strict && has_host_lists(n) && mode != NET_FIREWALL_ENFORCED && mode != NET_PROXY_ONLY)
		return refuse(
			reterr, "network.allowedHosts",
			"network.allowedHosts and network.blockedHosts require an enforcement "
			"mechanism. Set network.enforcementMode to 'firewall' (IP addresses and "
			"CIDR blocks) or route traffic through network.proxy.");
	if (mode == NET_SHARED && !n->allow_local_network) {
		if (strict)
			return refuse(
				reterr, "network.allowLocalNetwork",
				"network.allowLocalNetwork=false is not enforced while the sandbox "
				"shares the host network namespace (defaultPolicy='allow'). Set "
				"network.allowLocalNetwork to true to accept that local services "
				"are reachable, or use defaultPolicy='block'.");
		(void)plan_note(
			p, "WARNING: network.allowLocalNetwork=false is not enforced while the "
			   "sandbox shares the host network namespace (defaultPolicy='allow')");
	}
	if (private_ns && n->allow_local_network) {
		if (strict)
			return refuse(
				reterr, "network.allowLocalNetwork",
				"network.allowLocalNetwork=true is confined to the sandbox's own "
				"network namespace. Host and LAN services are not reachable from "
				"it; remove allowLocalNetwork or use defaultPolicy='allow'.");
		(void)plan_note(p, "WARNING: network.allowLocalNetwork=true is confined to the "
				   "sandbox's own network namespace");
	}
	if (n->format == MXC_NET_DIRECTIONAL) {
		if (n->ingress_default == MXC_NET_PERMIT)
			return refuse(reterr, "network.ingress.default",
				      "network.ingress.default='allow' is not supported. Inbound "
				      "connections to the sandbox are always denied.");
		if (n->host_loopback == MXC_NET_PERMIT)
			return refuse(
				reterr, "network.ingress.hostLoopback",
				"network.ingress.hostLoopback='allow' is not supported. The host's "
				"loopback is never reachable from the sandbox.");
		if (n->proxy.kind != MXC_PROXY_NONE &&
		    (n->egress_default == MXC_NET_PERMIT || n->n_egress_allow || n->n_egress_deny))
			return refuse(reterr, "network.egress",
				      "network.proxy cannot be combined with a directional "
				      "network.egress "
				      "rule set. Use egress.default='deny' without rules next to "
				      "runtimeConfig.networkProxy.");
	}
	return 0;
}

/* ---- addresses ------------------------------------------------------------ */

struct cidr {
	int family; /* AF_INET or AF_INET6 */
	unsigned char a[16];
	unsigned prefix;
};

static void cidr_mask(struct cidr *c)
{
	size_t len = c->family == AF_INET ? 4 : 16;

	for (size_t i = 0; i < len; i++) {
		unsigned bits = c->prefix > i * 8 ? c->prefix - (unsigned)i * 8 : 0;
		if (bits < 8)
			c->a[i] &= (unsigned char)(0xff00u >> bits);
	}
}

static bool cidr_is_v4_mapped(const struct cidr *c)
{
	static const unsigned char pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return c->family == AF_INET6 && c->prefix >= 96 && memcmp(c->a, pfx, 12) == 0;
}

/* "::ffff:0:0/96" lies inside this IPv6 block shorter than /96. */
static bool cidr_straddles_mapped(const struct cidr *c)
{
	struct cidr m = {.family = AF_INET6, .prefix = c->prefix};

	if (c->family != AF_INET6 || c->prefix >= 96)
		return false;
	m.a[10] = m.a[11] = 0xff;
	cidr_mask(&m);
	return memcmp(m.a, c->a, 16) == 0;
}

/* An IP literal ("[::1]" too) or CIDR; host bits are cleared; IPv4-mapped
 * IPv6 becomes IPv4. Returns false for anything else (a hostname). */
static bool cidr_parse(const char *s, struct cidr *ret)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	size_t len;
	char *end;
	long pfx = -1;

	if (!s || !*s)
		return false;
	slash = strchr(s, '/');
	len = slash ? (size_t)(slash - s) : strlen(s);
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] == '[' && len > 2 && buf[len - 1] == ']') {
		memmove(buf, buf + 1, len - 2);
		buf[len - 2] = '\0';
	}
	memset(ret, 0, sizeof(*ret));
	if (inet_pton(AF_INET, buf, ret->a) == 1)
		ret->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, ret->a) == 1)
		ret->family = AF_INET6;
	else
		return false;
	if (slash) {
		if (!slash[1] || slash[1] == '-' || slash[1] == '+')
			return false;
		pfx = strtol(slash + 1, &end, 10);
		if (*end || pfx < 0 || pfx > (ret->family == AF_INET ? 32 : 128))
			return false;
	}
	ret->prefix = pfx < 0 ? (ret->family == AF_INET ? 32 : 128) : (unsigned)pfx;
	cidr_mask(ret);
	if (cidr_is_v4_mapped(ret)) {
		memmove(ret->a, ret->a + 12, 4);
		memset(ret->a + 4, 0, 12);
		ret->family = AF_INET;
		ret->prefix -= 96;
	}
	return true;
}

static void cidr_format(const struct cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	(void)inet_ntop(c->family, c->a, a, sizeof(a));
	if (c->prefix == (c->family == AF_INET ? 32u : 128u))
		(void)snprintf(buf, len, "%s", a);
	else
		(void)snprintf(buf, len, "%s/%u", a, c->prefix);
}

/* ---- the nftables ruleset ------------------------------------------------- */

struct nft {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void nft_addf(struct nft *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void nft_addf(struct nft *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (n->oom)
		return;
	for (;;) {
		size_t room = n->cap - n->len;
		va_start(ap, fmt);
		k = vsnprintf(n->buf ? n->buf + n->len : NULL, n->buf ? room : 0, fmt, ap);
		va_end(ap);
		if (k < 0) {
			n->oom = true;
			return;
		}
		if (n->buf && (size_t)k < room) {
			n->len += (size_t)k;
			return;
		}
		size_t cap = n->cap ? n->cap * 2 : 4096;
		while (cap - n->len <= (size_t)k)
			cap *= 2;
		char *nb = realloc(n->buf, cap);
		if (!nb) {
			n->oom = true;
			return;
		}
		n->buf = nb;
		n->cap = cap;
	}
}

/* The head of the ruleset: the sandbox's own loopback always works; replies
 * to connections the rules let out come back; IPv6 neighbour discovery
 * works (without it no IPv6 destination is reachable at all). Nothing
 * comes in: there are no port forwards, and the input chain drops. */
static void nft_begin(struct nft *n)
{
	nft_addf(n, "table inet mxc {\n"
		    "\tchain ingress {\n"
		    "\t\ttype filter hook input priority filter; policy drop;\n"
		    "\t\tiifname \"lo\" accept\n"
		    "\t\tct state established,related accept\n"
		    "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, "
		    "nd-router-advert } accept\n"
		    "\t}\n"
		    /* A denied TCP connect fails at once (EHOSTUNREACH, or EACCES for
		     * IPv6) instead of retrying SYNs; UDP and ICMP sends fail with
		     * EPERM. The ICMP error comes back over lo. */
		    "\tchain deny {\n"
		    "\t\tmeta l4proto tcp reject with icmpx type admin-prohibited\n"
		    "\t\tdrop\n"
		    "\t}\n"
		    "\tchain egress {\n"
		    "\t\ttype filter hook output priority filter; policy drop;\n"
		    "\t\toifname \"lo\" accept\n"
		    "\t\tct state established,related accept\n"
		    "\t\ticmpv6 type { nd-router-solicit, nd-neighbor-solicit, "
		    "nd-neighbor-advert, mld-listener-report, mld-listener-done, "
		    "mld2-listener-report } accept\n");
}

static void nft_verdict(struct nft *n, bool accept, const char *rule)
{
	if (accept)
		nft_addf(n, " accept\n");
	else
		nft_addf(n, " log prefix \"%s\" group %d goto deny\n", rule, PLAN_NET_NFLOG_GROUP);
}

/* The stack's own addresses that lead into the host: its gateway (which
 * slirp4netns can map to the host's loopback) and its DNS forwarder (to the
 * host's resolver, which may itself be on the host's loopback), both
 * families. Dropped before any rule. */
static void nft_host_side(struct nft *n, const char *rule)
{
	nft_addf(n, "\t\tip daddr { %s, %s }", PLAN_NET_STACK_GATEWAY, PLAN_NET_STACK_DNS);
	nft_verdict(n, false, rule);
	nft_addf(n, "\t\tip6 daddr { %s, %s }", PLAN_NET_STACK_GATEWAY6, PLAN_NET_STACK_DNS6);
	nft_verdict(n, false, rule);
}

static void nft_end(struct nft *n, bool accept, const char *rule)
{
	if (accept)
		nft_addf(n, "\t\taccept\n");
	else
		nft_addf(n, "\t\tlog prefix \"%s\" group %d goto deny\n", rule,
			 PLAN_NET_NFLOG_GROUP);
	nft_addf(n, "\t}\n}\n");
}

/* One peer (or none: any address of `family`) x one port selector (or none). */
static void nft_rule(struct nft *n, int family, const struct cidr *peer, char *const *except,
		     const struct mxc_net_port *port, bool accept, const char *rule)
{
	const char *ipk = family == AF_INET ? "ip" : "ip6";
	char a[INET6_ADDRSTRLEN + 8];
	enum mxc_net_protocol proto = port ? port->protocol : MXC_PROTO_ANY;
	bool has_port = port && port->has_port;

	if (has_port && proto == MXC_PROTO_ANY) {
		/* "any" with a port: TCP and UDP. */
		struct mxc_net_port t = *port;
		t.protocol = MXC_PROTO_TCP;
		nft_rule(n, family, peer, except, &t, accept, rule);
		t.protocol = MXC_PROTO_UDP;
		nft_rule(n, family, peer, except, &t, accept, rule);
		return;
	}
	nft_addf(n, "\t\tmeta nfproto %s", family == AF_INET ? "ipv4" : "ipv6");
	if (except && except[0]) {
		bool first = true;
		nft_addf(n, " %s daddr != {", ipk);
		for (size_t k = 0; except[k]; k++) {
			struct cidr e;
			if (!cidr_parse(except[k], &e) || e.family != family)
				continue;
			cidr_format(&e, a, sizeof(a));
			nft_addf(n, "%s %s", first ? "" : ",", a);
			first = false;
		}
		nft_addf(n, " }");
	}
	if (peer && peer->prefix > 0) {
		cidr_format(peer, a, sizeof(a));
		nft_addf(n, " %s daddr %s", ipk, a);
	}
	switch (proto) {
	case MXC_PROTO_TCP:
	case MXC_PROTO_UDP: {
		const char *l4 = proto == MXC_PROTO_TCP ? "tcp" : "udp";
		if (!has_port)
			nft_addf(n, " meta l4proto %s", l4);
		else if (port->has_end_port && port->end_port != port->port)
			nft_addf(n, " %s dport %u-%u", l4, port->port, port->end_port);
		else
			nft_addf(n, " %s dport %u", l4, port->port);
		break;
	}
	case MXC_PROTO_ICMP:
		nft_addf(n, " meta l4proto %s", family == AF_INET ? "icmp" : "ipv6-icmp");
		break;
	case MXC_PROTO_ANY:
		break;
	}
	nft_verdict(n, accept, rule);
}

static int refuse(struct mxc_error *reterr, const char *field, const char *msg);

/* A directional rule: peers x ports. `to` omitted: both families. */
static int nft_directional_rule(struct nft *n, const struct mxc_net_rule *r, bool accept,
				const char *list, size_t i, bool *ping, struct mxc_error *reterr)
{
	char name[64], field[96];
	size_t n_ports = r->has_ports ? r->n_ports : 1;

	(void)snprintf(name, sizeof(name), "egress.%s[%zu]", list, i);
	for (size_t k = 0; k < n_ports; k++) {
		const struct mxc_net_port *pt = r->has_ports ? &r->ports[k] : NULL;
		if (accept && (!pt || pt->protocol == MXC_PROTO_ICMP ||
			       (pt->protocol == MXC_PROTO_ANY && !pt->has_port)))
			*ping = true;
		if (!r->has_to) {
			nft_rule(n, AF_INET, NULL, NULL, pt, accept, name);
			nft_rule(n, AF_INET6, NULL, NULL, pt, accept, name);
			continue;
		}
		for (size_t j = 0; j < r->n_to; j++) {
			struct cidr c;
			(void)snprintf(field, sizeof(field), "network.egress.%s[%zu].to[%zu].cidr",
				       list, i, j);
			if (!cidr_parse(r->to[j].cidr, &c))
				return refuse(reterr, field,
					      "network rule is not an IP address or CIDR block");
			if (cidr_straddles_mapped(&c)) {
				char m[256];
				(void)snprintf(
					m, sizeof(m),
					"Bubblewrap: network rule '%s' is an IPv6 block shorter "
					"than /96 that contains the IPv4-mapped range "
					"'::ffff:0:0/96'. Split it, or write the IPv4 part as "
					"an IPv4 CIDR.",
					r->to[j].cidr);
				return refuse(reterr, field, m);
			}
			/* ICMP rules expand per family: only the peer's family here. */
			nft_rule(n, c.family, &c, r->to[j].except, pt, accept, name);
		}
	}
	return 0;
}

static int nft_directional(const struct mxc_network *net, struct mxc_plan *p,
			   struct mxc_error *reterr)
{
	struct nft n = {0};
	int r = 0;

	nft_begin(&n);
	/* hostLoopback deny (the only value accepted): the stack's gateway, which
	 * upstream's slirp4netns maps to the host's loopback, before any rule. */
	nft_host_side(&n, "ingress.hostLoopback");
	for (size_t i = 0; r >= 0 && i < net->n_egress_deny; i++)
		r = nft_directional_rule(&n, &net->egress_deny[i], false, "deny", i, &p->net_ping,
					 reterr);
	for (size_t i = 0; r >= 0 && i < net->n_egress_allow; i++)
		r = nft_directional_rule(&n, &net->egress_allow[i], true, "allow", i, &p->net_ping,
					 reterr);
	if (r < 0) {
		free(n.buf);
		return r;
	}
	if (net->egress_default == MXC_NET_PERMIT)
		p->net_ping = true;
	nft_end(&n, net->egress_default == MXC_NET_PERMIT, "egress.default");
	if (n.oom) {
		free(n.buf);
		return -ENOMEM;
	}
	p->nft = n.buf;
	return 0;
}

static int legacy_entry_error(struct mxc_error *reterr, const char *list, size_t i,
			      const char *entry, bool straddles)
{
	char field[64], m[320];

	(void)snprintf(field, sizeof(field), "network.%s[%zu]", list, i);
	if (straddles)
		(void)snprintf(m, sizeof(m),
			       "Bubblewrap: network rule '%s' is an IPv6 block shorter than /96 "
			       "that contains the IPv4-mapped range '::ffff:0:0/96'. Split it, or "
			       "write the IPv4 part as an IPv4 CIDR.",
			       entry);
	else
		(void)snprintf(m, sizeof(m),
			       "Bubblewrap: network rule '%s' is not an IP address or CIDR block. "
			       "network.enforcementMode='firewall' filters addresses, not names; "
			       "list IP addresses or CIDR blocks, or use a proxy for host names.",
			       entry);
	return refuse(reterr, field, m);
}

static void nft_legacy_list(struct nft *n, char *const *list, const char *name, bool accept)
{
	char rule[64];

	for (size_t i = 0; list && list[i]; i++) {
		struct cidr c;
		(void)snprintf(rule, sizeof(rule), "%s[%zu]", name, i);
		if (cidr_parse(list[i], &c))
			nft_rule(n, c.family, &c, NULL, NULL, accept, rule);
	}
}

/* Link-local (cloud metadata: 169.254.169.254, fd00:ec2::254) and multicast
 * destinations are hosts no legacy host list means by "everything else":
 * they are dropped after blockedHosts unless an allowedHosts entry inside
 * them names them (accepted first), as the filtering proxy decides. The 0.8
 * rules say what they allow in CIDRs and are taken as written. */
static const char *const special4[] = {"169.254.0.0/16", "224.0.0.0/4", "255.255.255.255"};
static const char *const special6[] = {"fe80::/10", "fd00:ec2::254", "ff00::/8"};

static bool cidr_within(const struct cidr *inner, const char *outer_s)
{
	struct cidr outer, masked;

	if (!cidr_parse(outer_s, &outer) || outer.family != inner->family ||
	    inner->prefix < outer.prefix)
		return false;
	masked = *inner;
	masked.prefix = outer.prefix;
	cidr_mask(&masked);
	return memcmp(masked.a, outer.a, 16) == 0;
}

static void nft_legacy_special(struct nft *n, char *const *allowed)
{
	char rule[64];

	for (size_t i = 0; allowed && allowed[i]; i++) {
		struct cidr c;
		bool special = false;
		if (!cidr_parse(allowed[i], &c))
			continue;
		for (size_t k = 0; k < ELEMENTSOF(special4); k++)
			special |= cidr_within(&c, special4[k]) || cidr_within(&c, special6[k]);
		if (!special)
			continue;
		(void)snprintf(rule, sizeof(rule), "allowedHosts[%zu]", i);
		nft_rule(n, c.family, &c, NULL, NULL, true, rule);
	}
	nft_addf(n, "\t\tip daddr {");
	for (size_t k = 0; k < ELEMENTSOF(special4); k++)
		nft_addf(n, "%s %s", k ? "," : "", special4[k]);
	nft_addf(n, " }");
	nft_verdict(n, false, "link-local/metadata/multicast");
	nft_addf(n, "\t\tip6 daddr {");
	for (size_t k = 0; k < ELEMENTSOF(special6); k++)
		nft_addf(n, "%s %s", k ? "," : "", special6[k]);
	nft_addf(n, " }");
	nft_verdict(n, false, "link-local/metadata/multicast");
}

/* Legacy firewall lists (IP/CIDR only): blocked before allowed; the rest by
 * defaultPolicy, for both families. */
static int nft_legacy(const struct mxc_network *net, struct mxc_plan *p, struct mxc_error *reterr)
{
	char *const *lists[2] = {net->blocked_hosts, net->allowed_hosts};
	const char *names[2] = {"blockedHosts", "allowedHosts"};
	struct nft n = {0};
	bool allow = net->default_policy == MXC_NET_ALLOW;

	for (int l = 0; l < 2; l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++) {
			struct cidr c;
			if (!cidr_parse(lists[l][i], &c))
				return legacy_entry_error(reterr, names[l], i, lists[l][i], false);
			if (cidr_straddles_mapped(&c))
				return legacy_entry_error(reterr, names[l], i, lists[l][i], true);
		}
	/* An allowed entry inside the stack's network naming its gateway asks for
	 * the host's loopback, as upstream's slirp4netns gives it; otherwise the
	 * gateway is dropped first (and the stack does not map it anyway). */
	for (size_t i = 0; net->allowed_hosts && net->allowed_hosts[i]; i++) {
		struct cidr c;
		static const unsigned char gw[4] = {10, 0, 2, 2};
		if (cidr_parse(net->allowed_hosts[i], &c) && c.family == AF_INET &&
		    c.prefix >= 24 && c.a[0] == 10 && c.a[1] == 0 && c.a[2] == 2 &&
		    (c.prefix < 32 || !memcmp(c.a, gw, 4)))
			p->net_host_loopback = true;
	}
	nft_begin(&n);
	if (!p->net_host_loopback) {
		nft_host_side(&n, "hostLoopback");
	} else {
		(void)plan_note(p,
				"network.allowedHosts names the stack's gateway %s: the "
				"sandbox reaches the host's loopback there, as upstream",
				PLAN_NET_STACK_GATEWAY);
	}
	nft_legacy_list(&n, net->blocked_hosts, "blockedHosts", false);
	nft_legacy_special(&n, net->allowed_hosts);
	nft_legacy_list(&n, net->allowed_hosts, "allowedHosts", true);
	nft_end(&n, allow, "defaultPolicy");
	if (n.oom) {
		free(n.buf);
		return -ENOMEM;
	}
	p->net_ping = allow || (net->allowed_hosts && net->allowed_hosts[0]);
	p->nft = n.buf;
	return 0;
}

/* PROXY: nothing but the sandbox's loopback (where the proxy endpoint is). */
static int nft_proxy_only(struct mxc_plan *p)
{
	struct nft n = {0};

	nft_begin(&n);
	nft_end(&n, false, "proxy-only");
	if (n.oom) {
		free(n.buf);
		return -ENOMEM;
	}
	p->nft = n.buf;
	return 0;
}

static bool lists_have_names(const struct mxc_network *n)
{
	char *const *lists[2] = {n->allowed_hosts, n->blocked_hosts};
	struct cidr c;

	for (int l = 0; l < 2; l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++)
			if (!cidr_parse(lists[l][i], &c))
				return true;
	return false;
}

/* ---- proxies ---------------------------------------------------------------- */

static const char *const proxy_keys[] = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "FTP_PROXY",
					 NULL};

/* Caller proxy keys (any case, NO_PROXY too) are dropped; the four keys and
 * their lower-case twins are set to `url`; NO_PROXY is not set (upstream's
 * bubblewrap). */
static int proxy_env(struct mxc_plan *p, const char *url)
{
	for (size_t j = 0; p->envp && p->envp[j];) {
		const char *e = p->envp[j], *eq = strchr(e, '=');
		size_t klen = eq ? (size_t)(eq - e) : strlen(e);
		bool managed = klen == 8 && strncasecmp(e, "NO_PROXY", 8) == 0;

		for (size_t k = 0; !managed && proxy_keys[k]; k++)
			managed = strlen(proxy_keys[k]) == klen &&
				  strncasecmp(e, proxy_keys[k], klen) == 0;
		if (managed) {
			(void)plan_note(p,
					"process.env: %.*s dropped: the proxy variables are "
					"set by mxc",
					(int)klen, e);
			strv_remove_at(p->envp, j);
			continue;
		}
		j++;
	}
	for (size_t k = 0; proxy_keys[k]; k++) {
		char lower[16];
		size_t l = strlen(proxy_keys[k]);
		for (size_t i = 0; i <= l; i++)
			lower[i] = (char)(proxy_keys[k][i] >= 'A' && proxy_keys[k][i] <= 'Z'
						  ? proxy_keys[k][i] + 32
						  : proxy_keys[k][i]);
		if (strv_pushf(&p->envp, "%s=%s", proxy_keys[k], url) < 0 ||
		    strv_pushf(&p->envp, "%s=%s", lower, url) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int setup_filter_proxy(const struct mxc_network *n, struct mxc_plan *p, const char *origin)
{
	p->net = PLAN_NET_PROXY;
	p->proxy.relay = false;
	p->proxy.port = PLAN_NET_FILTER_PORT;
	p->proxy.origin = origin;
	p->proxy.allow = strv_copy(n->allowed_hosts ? n->allowed_hosts : (char *[]){NULL});
	p->proxy.block = strv_copy(n->blocked_hosts ? n->blocked_hosts : (char *[]){NULL});
	p->proxy.default_allow = n->default_policy == MXC_NET_ALLOW;
	p->proxy.block_local = !n->allow_local_network;
	if (!p->proxy.allow || !p->proxy.block ||
	    asprintf(&p->proxy.url, "http://127.0.0.1:%d", PLAN_NET_FILTER_PORT) < 0) {
		p->proxy.url = NULL;
		return -ENOMEM;
	}
	if (proxy_env(p, p->proxy.url) < 0)
		return -ENOMEM;
	return nft_proxy_only(p);
}

/* Lexically: does `denied` (normalised) cover /etc/hosts? */
static bool covers_etc_hosts(const char *denied)
{
	char buf[4096], *parts[64];
	size_t np = 0;
	char *save = NULL, *t;
	char out[4096] = "";

	if (!denied || strlen(denied) >= sizeof(buf))
		return false;
	strcpy(buf, denied);
	for (t = strtok_r(buf, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (np)
				np--;
			continue;
		}
		if (np < ELEMENTSOF(parts))
			parts[np++] = t;
	}
	for (size_t i = 0; i < np; i++) {
		strcat(out, "/");
		strncat(out, parts[i], sizeof(out) - strlen(out) - 2);
	}
	if (!out[0])
		return true; /* "/" */
	return !strcmp(out, "/etc") || !strcmp(out, "/etc/hosts");
}

static bool is_ipv4_loopback_or_any(const struct cidr *c)
{
	return c->family == AF_INET && (c->a[0] == 127 || !memcmp(c->a, "\0\0\0\0", 4));
}

static int setup_relay_proxy(const struct mxc_config *c, bool strict, struct mxc_plan *p,
			     struct mxc_error *reterr)
{
	const struct mxc_proxy *px = &c->net.proxy;
	const char *field =
		px->from_runtime_config ? "runtimeConfig.networkProxy" : "network.proxy.url";
	const char *host;
	char m[512];
	struct cidr a;

	p->net = PLAN_NET_PROXY;
	p->proxy.relay = true;
	p->proxy.origin = px->from_runtime_config ? "runtimeConfig.networkProxy" : "network.proxy";
	if (px->kind == MXC_PROXY_LOCALHOST) {
		p->proxy.port = px->port;
		if (asprintf(&p->proxy.url, "http://127.0.0.1:%u", px->port) < 0) {
			p->proxy.url = NULL;
			return -ENOMEM;
		}
		p->proxy.listen = strdup("127.0.0.1");
		p->proxy.host = strdup("127.0.0.1");
		if (!p->proxy.listen || !p->proxy.host)
			return -ENOMEM;
		goto done;
	}
	p->proxy.port = px->port;
	host = px->host ? px->host : "";
	if (!(p->proxy.url = strdup(px->url)))
		return -ENOMEM;
	if (cidr_parse(host, &a) && !strchr(host, '/')) {
		if (a.family == AF_INET6) {
			bool loop = !memcmp(a.a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
			if (strict || !loop) {
				(void)snprintf(
					m, sizeof(m),
					loop ? "Bubblewrap: the proxy endpoint '%s' uses the IPv6 "
					       "loopback, which the sandbox's private network "
					       "namespace cannot reach. Use "
					       "http://127.0.0.1:<port> "
					       "or http://localhost:<port>."
					     : "Bubblewrap: the proxy endpoint '%s' is an IPv6 "
					       "address; "
					       "proxy-only egress requires an IPv4 proxy endpoint. "
					       "Give the proxy an IPv4 address.",
					host);
				return refuse(reterr, field, m);
			}
			p->proxy.listen = strdup("::1");
			p->proxy.host = strdup("::1");
		} else {
			char s4[INET_ADDRSTRLEN];
			if (strict && a.a[0] == 10 && a.a[1] == 0 && a.a[2] == 2) {
				(void)snprintf(
					m, sizeof(m),
					"Bubblewrap: the proxy endpoint '%s' is inside "
					"10.0.2.0/24, the sandbox's own private network; give "
					"the proxy another address.",
					host);
				return refuse(reterr, field, m);
			}
			if (is_ipv4_loopback_or_any(&a) && !a.a[0])
				a.a[0] = 127, a.a[3] = 1; /* 0.0.0.0 -> 127.0.0.1 */
			(void)inet_ntop(AF_INET, a.a, s4, sizeof(s4));
			p->proxy.listen = strdup(s4);
			p->proxy.host = strdup(s4);
		}
		if (!p->proxy.listen || !p->proxy.host)
			return -ENOMEM;
		goto done;
	}
	if (!strcasecmp(host, "localhost")) {
		p->proxy.listen = strdup("127.0.0.1");
		p->proxy.host = strdup("127.0.0.1");
		if (!p->proxy.listen || !p->proxy.host)
			return -ENOMEM;
		goto done;
	}
	/* A name: resolved on the host when the sandbox is created, pinned in
	 * the sandbox's /etc/hosts, which the policy must not deny. */
	for (size_t i = 0; c->denied_paths && c->denied_paths[i]; i++) {
		if (!covers_etc_hosts(c->denied_paths[i]))
			continue;
		if (!strict) {
			/* Upstream below 0.8 pins nothing (it shares the host's
			 * network): the relay listens on 127.0.0.1 and the
			 * variables name that instead of the host. */
			free(p->proxy.url);
			p->proxy.url = NULL;
			if (asprintf(&p->proxy.url, "%s://127.0.0.1:%u",
				     px->scheme ? px->scheme : "http", px->port) < 0) {
				p->proxy.url = NULL;
				return -ENOMEM;
			}
			(void)plan_note(p,
					"network.proxy.url: '%s' cannot be pinned in /etc/hosts "
					"(denied by '%s'); the proxy variables name the relay at "
					"%s instead",
					host, c->denied_paths[i], p->proxy.url);
			p->proxy.listen = strdup("127.0.0.1");
			p->proxy.host = strdup(host);
			if (!p->proxy.listen || !p->proxy.host)
				return -ENOMEM;
			goto done;
		}
		(void)snprintf(m, sizeof(m),
			       "Bubblewrap: the proxy endpoint '%s' is a hostname, which is "
			       "reached by pinning it in the sandbox's /etc/hosts, but the "
			       "filesystem policy denies that path ('%s'). Remove /etc/hosts "
			       "from deniedPaths, or give the proxy an IP address.",
			       host, c->denied_paths[i]);
		return refuse(reterr, "filesystem.deniedPaths", m);
	}
	p->proxy.pin = true;
	if (!(p->proxy.host = strdup(host)))
		return -ENOMEM;
done:
	if (proxy_env(p, p->proxy.url) < 0)
		return -ENOMEM;
	return nft_proxy_only(p);
}

int plan_compile_network(const struct mxc_config *c, struct mxc_plan *p, struct mxc_error *reterr)
{
	const struct mxc_network *n = &c->net;
	enum net_mode mode = resolve_mode(c);
	bool strict = version_is_strict(c);
	int r;

	r = upstream_checks(c, mode, p, reterr);
	if (r < 0)
		return r;

	switch (mode) {
	case NET_ISOLATED:
		p->net = PLAN_NET_ISOLATED;
		p->net_reason = n->format == MXC_NET_DIRECTIONAL
					? "network.egress.default='deny' without rules"
					: "network.defaultPolicy='block' without host lists";
		return 0;
	case NET_SHARED:
		if (has_host_lists(n)) {
			/* Pre-0.8 capabilities mode: upstream ignores the lists; mxc
			 * enforces them in its filtering proxy. */
			(void)plan_note(p, "network.allowedHosts/blockedHosts: enforced by mxc's "
					   "filtering proxy; the sandbox has no other route out");
			p->net_reason = "host lists (capabilities mode): mxc's filtering proxy";
			return setup_filter_proxy(n, p, "network.allowedHosts/blockedHosts");
		}
		p->net = PLAN_NET_HOST;
		p->net_reason = "network.defaultPolicy='allow': host network namespace";
		return 0;
	case NET_LEGACY_PROXY:
	case NET_PROXY_ONLY:
		if (mode == NET_LEGACY_PROXY)
			(void)plan_note(p,
					"network.proxy: enforced (the proxy is the only "
					"reachable endpoint), where upstream below 0.8 only sets "
					"the proxy variables");
		if (n->proxy.kind == MXC_PROXY_BUILTIN) {
			p->net_reason = "network.proxy.builtinTestServer: mxc's filtering proxy";
			return setup_filter_proxy(n, p, "network.proxy.builtinTestServer");
		}
		p->net_reason = n->proxy.from_runtime_config
					? "runtimeConfig.networkProxy: relay to the external proxy"
					: "network.proxy: relay to the external proxy";
		return setup_relay_proxy(c, strict, p, reterr);
	case NET_FIREWALL_ENFORCED:
		p->net = PLAN_NET_FIREWALL;
		if (n->format == MXC_NET_DIRECTIONAL) {
			p->net_reason = "network.egress rules: nftables in the sandbox's namespace";
			return nft_directional(n, p, reterr);
		}
		p->net_reason = "network.enforcementMode with IP/CIDR host lists: nftables";
		return nft_legacy(n, p, reterr);
	case NET_FIREWALL_FILTERED:
	default:
		if (lists_have_names(n)) {
			(void)plan_note(
				p, "network.allowedHosts/blockedHosts name hosts: enforced by "
				   "mxc's filtering proxy (a firewall filters addresses only)");
			p->net_reason = "host lists with host names: mxc's filtering proxy";
			return setup_filter_proxy(n, p, "network.allowedHosts/blockedHosts");
		}
		p->net = PLAN_NET_FIREWALL;
		p->net_reason = "network.enforcementMode with IP/CIDR host lists: nftables";
		return nft_legacy(n, p, reterr);
	}
}
