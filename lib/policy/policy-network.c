/* SPDX-License-Identifier: MIT */
/*
 * §3.1 step 10: network format selection (§6.1), proxies (§6.2), the
 * directional rules (§6.3) and the parser's per-backend proxy guards (§6.4).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "core/strv.h"
#include "policy-internal.h"

struct cidr {
	int family;
	unsigned char addr[16];
	unsigned prefix;
};

/* Parse like the `cidr` crate; returns NULL or the error text. */
static const char *cidr_parse(const char *s, struct cidr *ret)
{
	char buf[128], *slash;
	unsigned max, bytes;

	if (strlen(s) >= sizeof(buf))
		return "couldn't parse address in network: invalid IP address syntax";
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, ret->addr) == 1) {
		ret->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, ret->addr) == 1) {
		ret->family = AF_INET6;
		max = 128;
	} else
		return "couldn't parse address in network: invalid IP address syntax";
	ret->prefix = max;
	if (slash) {
		const char *p = slash + 1;
		unsigned long v = 0;
		if (!*p)
			return "couldn't parse length in network: cannot parse integer from empty "
			       "string";
		if (strspn(p, "0123456789") != strlen(p))
			return "couldn't parse length in network: invalid digit found in string";
		for (; *p; p++) {
			v = v * 10 + (unsigned long)(*p - '0');
			if (v > 255)
				return "couldn't parse length in network: number too large to fit "
				       "in target type";
		}
		if (v > max) {
			static char msg[128];
			(void)snprintf(msg, sizeof(msg),
				       "invalid length for network: Network length %lu is too long "
				       "for %s (maximum: %u)",
				       v, ret->family == AF_INET ? "Ipv4" : "Ipv6", max);
			return msg;
		}
		ret->prefix = (unsigned)v;
	}
	bytes = max / 8;
	for (unsigned bit = ret->prefix; bit < bytes * 8; bit++)
		if (ret->addr[bit / 8] & (0x80u >> (bit % 8)))
			return "host part of address was not zero";
	return NULL;
}

static bool cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	if (outer->family != inner->family || inner->prefix < outer->prefix)
		return false;
	for (unsigned bit = 0; bit < outer->prefix; bit++)
		if ((outer->addr[bit / 8] ^ inner->addr[bit / 8]) & (0x80u >> (bit % 8)))
			return false;
	return true;
}

static int check_rule(struct policy_state *st, const struct w_rule *wr, const char *base,
		      struct mxc_net_rule *out)
{
	char where[160], where2[192];
	struct cidr outer, inner;
	const char *e;
	int r;

	if (wr->has_to && wr->n_to == 0) {
		(void)snprintf(where, sizeof(where), "%s.to", base);
		return policy_fail(st, where,
				   "%s must contain at least one destination when specified",
				   where);
	}
	out->has_to = wr->has_to;
	out->to = calloc(wr->n_to + 1, sizeof(*out->to));
	if (!out->to)
		return -ENOMEM;
	for (size_t j = 0; j < wr->n_to; j++) {
		const struct w_peer *p = &wr->to[j];

		(void)snprintf(where, sizeof(where), "%s.to[%zu].cidr", base, j);
		e = cidr_parse(p->cidr, &outer);
		if (e)
			return policy_fail(st, where, "%s must be a valid network CIDR: %s", where,
					   e);
		for (size_t k = 0; p->except.v && p->except.v[k]; k++) {
			(void)snprintf(where2, sizeof(where2), "%s.to[%zu].except[%zu]", base, j,
				       k);
			e = cidr_parse(p->except.v[k], &inner);
			if (e)
				return policy_fail(st, where2,
						   "%s must be a valid network CIDR: %s", where2,
						   e);
			if (!cidr_contains(&outer, &inner))
				return policy_fail(st, where2, "%s must be contained within %s",
						   where2, where);
		}
		out->to[j].cidr = strdup(p->cidr);
		out->to[j].except =
			p->except.v ? strv_copy(p->except.v) : calloc(1, sizeof(char *));
		out->n_to = j + 1;
		if (!out->to[j].cidr || !out->to[j].except)
			return -ENOMEM;
	}

	if (wr->has_ports && wr->n_ports == 0) {
		(void)snprintf(where, sizeof(where), "%s.ports", base);
		return policy_fail(st, where,
				   "%s must contain at least one selector when specified", where);
	}
	out->has_ports = wr->has_ports;
	out->ports = calloc(wr->n_ports + 1, sizeof(*out->ports));
	if (!out->ports)
		return -ENOMEM;
	for (size_t j = 0; j < wr->n_ports; j++) {
		const struct w_port *p = &wr->ports[j];
		enum mxc_net_protocol proto =
			p->protocol.set ? (enum mxc_net_protocol)p->protocol.v : MXC_PROTO_ANY;

		(void)snprintf(where, sizeof(where), "%s.ports[%zu]", base, j);
		r = 0;
		if (p->port.set && p->port.v == 0) {
			(void)snprintf(where2, sizeof(where2), "%s.port", where);
			r = policy_fail(st, where2, "%s must be between 1 and 65535", where2);
		} else if (p->end_port.set && p->end_port.v == 0) {
			(void)snprintf(where2, sizeof(where2), "%s.endPort", where);
			r = policy_fail(st, where2, "%s must be between 1 and 65535", where2);
		} else if (p->end_port.set && !p->port.set) {
			(void)snprintf(where2, sizeof(where2), "%s.endPort", where);
			r = policy_fail(st, where2, "%s requires port", where2);
		} else if (p->end_port.set && p->end_port.v < p->port.v) {
			(void)snprintf(where2, sizeof(where2), "%s.endPort", where);
			r = policy_fail(st, where2, "%s must be greater than or equal to port",
					where2);
		} else if (proto == MXC_PROTO_ICMP && (p->port.set || p->end_port.set))
			r = policy_fail(st, where,
					"%s cannot specify port or endPort for protocol='icmp'",
					where);
		if (r < 0)
			return r;
		out->ports[j] = (struct mxc_net_port){
			.protocol = proto,
			.has_port = p->port.set,
			.port = p->port.v,
			.has_end_port = p->end_port.set,
			.end_port = p->end_port.v,
		};
		out->n_ports = j + 1;
	}
	return 0;
}

static int check_rules(struct policy_state *st, const struct w_rules *rs, const char *name,
		       struct mxc_net_rule **ret, size_t *ret_n)
{
	char base[96];
	int r;

	*ret = calloc(rs->n + 1, sizeof(**ret));
	if (!*ret)
		return -ENOMEM;
	for (size_t i = 0; i < rs->n; i++) {
		(void)snprintf(base, sizeof(base), "network.egress.%s[%zu]", name, i);
		*ret_n = i + 1;
		r = check_rule(st, &rs->v[i], base, &(*ret)[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool host_is_loopback(const char *host)
{
	struct in_addr a4;

	if (strcasecmp(host, "localhost") == 0 || streq(host, "[::1]"))
		return true;
	return inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

static int directional(struct policy_state *st)
{
	const struct w_config *w = st->w;
	const struct w_network *n = &w->network;
	struct mxc_network *net = &st->c->net;
	int r;

	net->format = MXC_NET_DIRECTIONAL;
	net->has_egress = n->egress.present;
	net->has_ingress = n->ingress.present;
	net->has_egress_default = n->egress.def.set;
	net->egress_default =
		n->egress.def.set ? (enum mxc_net_action)n->egress.def.v : MXC_NET_DENY;
	net->has_ingress_default = n->ingress.def.set;
	net->ingress_default =
		n->ingress.def.set ? (enum mxc_net_action)n->ingress.def.v : MXC_NET_DENY;
	net->has_host_loopback = n->ingress.host_loopback.set;
	net->host_loopback = n->ingress.host_loopback.set
				     ? (enum mxc_net_action)n->ingress.host_loopback.v
				     : MXC_NET_DENY;

	r = check_rules(st, &n->egress.allow, "allow", &net->egress_allow, &net->n_egress_allow);
	if (r < 0)
		return r;
	r = check_rules(st, &n->egress.deny, "deny", &net->egress_deny, &net->n_egress_deny);
	if (r < 0)
		return r;

	if (w->runtime_config.network_proxy) {
		r = policy_url_parse(st, w->runtime_config.network_proxy,
				     "runtimeConfig.networkProxy", "runtimeConfig.networkProxy",
				     &net->proxy);
		if (r < 0)
			return r;
		if (strcasecmp(net->proxy.host, "localhost") != 0 &&
		    !streq(net->proxy.host, "127.0.0.1") && !streq(net->proxy.host, "[::1]"))
			return policy_fail(st, "runtimeConfig.networkProxy",
					   "runtimeConfig.networkProxy must use localhost, "
					   "127.0.0.1, or [::1]");
		if ((n->egress.present || n->ingress.present) &&
		    (net->egress_default != MXC_NET_DENY || n->egress.allow.n > 0 ||
		     n->egress.deny.n > 0))
			return policy_fail(
				st, "runtimeConfig.networkProxy",
				"runtimeConfig.networkProxy requires network.egress.default='deny' "
				"with no direct allow or deny rules");
		net->proxy.from_runtime_config = true;
		net->has_runtime_proxy = true;
	}

	if (w->process_container.network.allowed_proxy_peer) {
		const char *peer = w->process_container.network.allowed_proxy_peer;
		if (strcasecmp(peer, "MXC-Loopback") == 0)
			return policy_fail(st, "processContainer.network.allowedProxyPeer",
					   "processContainer.network.allowedProxyPeer must not be "
					   "the reserved name 'MXC-Loopback'");
		if (strspn(peer, " \t\r\n") != strlen(peer) && net->proxy.kind == MXC_PROXY_NONE)
			return policy_fail(st, "processContainer.network.allowedProxyPeer",
					   "processContainer.network.allowedProxyPeer requires "
					   "runtimeConfig.networkProxy");
	}
	return 0;
}

static int legacy_proxy(struct policy_state *st)
{
	const struct w_proxy *p = &st->w->network.proxy;
	struct mxc_proxy *out = &st->c->net.proxy;

	if (p->builtin.set) {
		if (!p->builtin.v)
			return policy_fail(
				st, "network.proxy.builtinTestServer",
				"network.proxy.builtinTestServer must be true when present");
		if (p->localhost.set || p->url)
			return policy_fail(st, "network.proxy",
					   "When network.proxy.builtinTestServer is true, no other "
					   "proxy options may be set");
		out->kind = MXC_PROXY_BUILTIN;
		return 0;
	}
	if (p->localhost.set) {
		if (p->localhost.v == 0)
			return policy_fail(
				st, "network.proxy.localhost",
				"network.proxy.localhost must be a port between 1 and 65535");
		out->kind = MXC_PROXY_LOCALHOST;
		out->port = p->localhost.v;
		out->host = strdup("127.0.0.1");
		out->scheme = strdup("http");
		if (asprintf(&out->url, "http://127.0.0.1:%u", (unsigned)p->localhost.v) < 0)
			out->url = NULL;
		if (!out->host || !out->scheme || !out->url)
			return -ENOMEM;
		return 0;
	}
	if (p->url)
		return policy_url_parse(st, p->url, "network.proxy", "network.proxy.url", out);
	return policy_fail(st, "network.proxy",
			   "network.proxy must specify builtinTestServer, localhost, or url");
}

/* §6.4, for the backend the containment resolves to upstream. */
static int proxy_guards(struct policy_state *st)
{
	struct mxc_network *net = &st->c->net;
	const struct mxc_proxy *p = &net->proxy;
	enum upstream_backend ub = policy_upstream_backend(st->c->containment);
	bool firewall = net->enforcement_mode != MXC_NET_ENF_CAPABILITIES;
	bool lists = net->allowed_hosts[0] || net->blocked_hosts[0];
	bool external = p->kind == MXC_PROXY_URL || p->kind == MXC_PROXY_LOCALHOST;
	char red[768], esc[256];

	if (p->kind == MXC_PROXY_NONE)
		return 0;
	if (ub != UB_PROCESSCONTAINER && ub != UB_BUBBLEWRAP && ub != UB_LXC && ub != UB_SEATBELT &&
	    ub != UB_WSLC)
		return policy_fail(
			st, "network.proxy",
			"Network proxy is only supported with the 'processcontainer', "
			"'bubblewrap', 'lxc', 'seatbelt', or 'wslc' containment backends");
	if (ub == UB_LXC) {
		if (p->kind == MXC_PROXY_BUILTIN)
			return policy_fail(st, "network.proxy.builtinTestServer",
					   "LXC: network.proxy.builtinTestServer is not supported; "
					   "use network.proxy.url");
		if (p->kind == MXC_PROXY_LOCALHOST)
			return policy_fail(
				st, "network.proxy.localhost",
				"LXC: network.proxy.localhost is not reachable from the container "
				"network namespace (127.0.0.1 is the container loopback); use "
				"network.proxy.url with a host routable from inside the container");
		if (host_is_loopback(p->host)) {
			mxc_escape_diag(esc, sizeof(esc), p->host);
			return policy_fail(st, "network.proxy.url",
					   "network.proxy.url host is a loopback address ('%s'); "
					   "inside the container it names the container itself. "
					   "Use a proxy host routable from inside the container",
					   esc);
		}
		if (!firewall)
			return policy_fail(st, "network.enforcementMode",
					   "LXC: network.proxy requires "
					   "network.enforcementMode='firewall' or 'both'. Without "
					   "the firewall the container could bypass the proxy");
	}
	if ((ub == UB_LXC || ub == UB_BUBBLEWRAP) && p->kind == MXC_PROXY_URL &&
	    p->has_credentials) {
		policy_url_redact(p->url, red, sizeof(red));
		return policy_fail(
			st, "network.proxy.url",
			"network.proxy.url must not carry credentials ('%s'). LXC and Bubblewrap "
			"pass the proxy URL to the sandbox helper as a command-line argument, "
			"readable by other local users through /proc/<pid>/cmdline; configure the "
			"credentials in the proxy instead",
			red);
	}
	if ((ub == UB_BUBBLEWRAP || ub == UB_SEATBELT) && firewall)
		return policy_fail(st, "network.enforcementMode",
				   "%s: network.proxy cannot be combined with "
				   "network.enforcementMode='firewall' or 'both'. The proxy is the "
				   "enforcement mechanism; remove enforcementMode or the proxy",
				   ub == UB_BUBBLEWRAP ? "Bubblewrap" : "Seatbelt");
	if (ub == UB_BUBBLEWRAP && external && (lists || net->default_policy == MXC_NET_BLOCK))
		return policy_fail(
			st, "network.proxy",
			"Bubblewrap: an external network.proxy (url/localhost) cannot be combined "
			"with allowedHosts, blockedHosts, or defaultPolicy='block'. Set "
			"defaultPolicy to 'allow' and filter hosts at the proxy");
	if (ub == UB_BUBBLEWRAP && p->kind == MXC_PROXY_BUILTIN && !lists &&
	    net->default_policy == MXC_NET_BLOCK) {
		int r = policy_note(
			st->c,
			"WARNING: network.proxy.builtinTestServer with defaultPolicy='block' is "
			"enforced cooperatively (through the proxy environment variables only)");
		if (r < 0)
			return r;
	}
	if (ub == UB_SEATBELT && external && !host_is_loopback(p->host) &&
	    net->default_policy == MXC_NET_BLOCK)
		return policy_fail(st, "network.proxy",
				   "Seatbelt: a remote (non-loopback) network.proxy cannot be "
				   "combined with defaultPolicy='block'");
	if (ub == UB_WSLC) {
		if (p->kind != MXC_PROXY_URL)
			return policy_fail(st, "network.proxy",
					   "WSLC: network.proxy must use the 'url' form");
		if (net->default_policy != MXC_NET_ALLOW || lists)
			return policy_fail(st, "network.proxy",
					   "WSLC: network.proxy requires "
					   "network.defaultPolicy='allow' and no allowedHosts or "
					   "blockedHosts (per-host filtering is not supported)");
		if (net->allow_local_network)
			return policy_fail(st, "network.allowLocalNetwork",
					   "WSLC: network.allowLocalNetwork=true is not supported "
					   "with network.proxy");
	}
	return 0;
}

static int legacy(struct policy_state *st)
{
	const struct w_network *n = &st->w->network;
	struct mxc_network *net = &st->c->net;
	int r;

	net->format = MXC_NET_LEGACY;
	net->has_default_policy = n->default_policy.set;
	net->default_policy = n->default_policy.set
				      ? (enum mxc_net_default_policy)n->default_policy.v
				      : MXC_NET_BLOCK;
	net->has_enforcement_mode = n->enforcement_mode.set;
	net->enforcement_mode = n->enforcement_mode.set
					? (enum mxc_net_enforcement)n->enforcement_mode.v
					: MXC_NET_ENF_CAPABILITIES;
	net->has_allow_local_network = n->allow_local_network.set;
	net->allow_local_network = n->allow_local_network.set && n->allow_local_network.v;
	if (n->proxy.present) {
		r = legacy_proxy(st);
		if (r < 0)
			return r;
	}
	return proxy_guards(st);
}

int policy_validate_network(struct policy_state *st)
{
	const struct w_config *w = st->w;
	const struct w_network *n = &w->network;
	struct mxc_network *net = &st->c->net;
	const char *peer = w->process_container.network.allowed_proxy_peer;
	bool has_legacy, has_directional;

	net->present = n->present;
	net->allowed_hosts =
		n->allowed_hosts.v ? strv_copy(n->allowed_hosts.v) : calloc(1, sizeof(char *));
	net->blocked_hosts =
		n->blocked_hosts.v ? strv_copy(n->blocked_hosts.v) : calloc(1, sizeof(char *));
	net->egress_allow = calloc(1, sizeof(*net->egress_allow));
	net->egress_deny = calloc(1, sizeof(*net->egress_deny));
	if (!net->allowed_hosts || !net->blocked_hosts || !net->egress_allow || !net->egress_deny)
		return -ENOMEM;

	has_legacy = n->default_policy.set || n->enforcement_mode.set ||
		     n->allow_local_network.set || n->allowed_hosts.set || n->blocked_hosts.set ||
		     n->proxy.present;
	has_directional = n->egress.present || n->ingress.present ||
			  w->runtime_config.network_proxy ||
			  (peer && strspn(peer, " \t\r\n") != strlen(peer));
	if (has_legacy && has_directional)
		return policy_fail(
			st, "network",
			"network configuration cannot mix defaultPolicy, enforcementMode, "
			"allowLocalNetwork, allowedHosts, blockedHosts, or proxy with egress, "
			"ingress, runtimeConfig, or processContainer.network");

	free(net->egress_allow);
	free(net->egress_deny);
	net->egress_allow = net->egress_deny = NULL;
	if (has_directional || (!has_legacy && st->c->version_parsed &&
				(st->c->ver_major > 0 || st->c->ver_minor >= 8)))
		return directional(st);
	net->egress_allow = calloc(1, sizeof(*net->egress_allow));
	net->egress_deny = calloc(1, sizeof(*net->egress_deny));
	if (!net->egress_allow || !net->egress_deny)
		return -ENOMEM;
	return legacy(st);
}
