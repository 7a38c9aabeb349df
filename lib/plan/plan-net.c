/* SPDX-License-Identifier: MIT */
/*
 * Network part of the plan. The mode is resolved exactly as upstream's
 * bubblewrap backend resolves it (mxc-linux-backends.md §1.2), because an
 * omitted containment means bubblewrap upstream and mxc must accept and
 * reject the same configs; then upstream's refusals run in upstream's order
 * (§1.4); then the modes this backend cannot enforce yet are refused,
 * fail-closed, naming the field.
 */
#include <errno.h>

#include "core/error.h"
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

int plan_compile_network(const struct mxc_config *c, struct mxc_plan *p, struct mxc_error *reterr)
{
	const struct mxc_network *n = &c->net;
	enum net_mode mode = resolve_mode(c);
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
		if (has_host_lists(n))
			return refuse(
				reterr,
				n->allowed_hosts && n->allowed_hosts[0] ? "network.allowedHosts"
									: "network.blockedHosts",
				"network.allowedHosts/network.blockedHosts are not enforced by "
				"mxc yet; mxc refuses to run rather than "
				"ignore them. Remove the host lists or use defaultPolicy='block'.");
		p->net = PLAN_NET_HOST;
		p->net_reason = "network.defaultPolicy='allow': host network namespace";
		return 0;
	case NET_LEGACY_PROXY:
	case NET_PROXY_ONLY:
		return refuse(reterr,
			      n->proxy.from_runtime_config ? "runtimeConfig.networkProxy"
							   : "network.proxy",
			      n->proxy.from_runtime_config
				      ? "runtimeConfig.networkProxy is not supported by mxc yet; "
					"backend yet; mxc refuses to run rather than leave egress "
					"unfiltered."
				      : "network.proxy is not supported by mxc yet; "
					"mxc refuses to run rather than leave egress unfiltered.");
	case NET_FIREWALL_ENFORCED:
	case NET_FIREWALL_FILTERED:
	default:
		if (n->format == MXC_NET_DIRECTIONAL)
			return refuse(
				reterr,
				n->egress_default == MXC_NET_PERMIT ? "network.egress.default"
								    : "network.egress",
				"network.egress rules and egress.default='allow' are not supported "
				"by mxc yet; mxc refuses to run rather than "
				"leave them unenforced.");
		return refuse(reterr, "network.enforcementMode",
			      "network.enforcementMode='firewall'/'both' with host lists is not "
			      "supported by mxc yet; mxc refuses to run rather "
			      "than leave them unenforced.");
	}
}
