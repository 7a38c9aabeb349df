/* SPDX-License-Identifier: MIT */
/* The validated config as JSON (wire names, defaults filled in) for --dry-run. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#include "core/cleanup.h"
#include "policy.h"

#define _cleanup_json_ _cleanup_(json_decrefp) /* json_decrefp() comes with jansson >= 2.9 */

/* json_object_set_new that remembers a failure. */
static void put(json_t *o, const char *k, json_t *v, bool *ok)
{
	if (!v || json_object_set_new(o, k, v) < 0)
		*ok = false;
}

static json_t *strv_json(char *const *v)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	for (size_t i = 0; v && v[i]; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static const char *action_str(enum mxc_net_action a)
{
	return a == MXC_NET_PERMIT ? "allow" : "deny";
}

static const char *const proto_str[] = {
	[MXC_PROTO_ANY] = "any",
	[MXC_PROTO_TCP] = "tcp",
	[MXC_PROTO_UDP] = "udp",
	[MXC_PROTO_ICMP] = "icmp",
};

static json_t *rules_json(const struct mxc_net_rule *rules, size_t n)
{
	json_t *a = json_array();
	bool ok = a != NULL;

	for (size_t i = 0; ok && i < n; i++) {
		json_t *r = json_object();
		ok = r != NULL;
		if (ok && rules[i].has_to) {
			json_t *to = json_array();
			ok = to != NULL;
			for (size_t j = 0; ok && j < rules[i].n_to; j++) {
				json_t *p = json_object();
				ok = p != NULL;
				if (ok) {
					put(p, "cidr", json_string(rules[i].to[j].cidr), &ok);
					put(p, "except", strv_json(rules[i].to[j].except), &ok);
					ok = ok && json_array_append_new(to, p) >= 0;
				}
			}
			put(r, "to", to, &ok);
		}
		if (ok && rules[i].has_ports) {
			json_t *ports = json_array();
			ok = ports != NULL;
			for (size_t j = 0; ok && j < rules[i].n_ports; j++) {
				const struct mxc_net_port *pt = &rules[i].ports[j];
				json_t *p = json_object();
				ok = p != NULL;
				if (!ok)
					break;
				put(p, "protocol", json_string(proto_str[pt->protocol]), &ok);
				if (pt->has_port)
					put(p, "port", json_integer(pt->port), &ok);
				if (pt->has_end_port)
					put(p, "endPort", json_integer(pt->end_port), &ok);
				ok = ok && json_array_append_new(ports, p) >= 0;
			}
			put(r, "ports", ports, &ok);
		}
		ok = ok && json_array_append_new(a, r) >= 0;
	}
	if (!ok) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *proxy_json(const struct mxc_proxy *p)
{
	json_t *o = json_object();
	bool ok = o != NULL;

	if (!ok)
		return NULL;
	switch (p->kind) {
	case MXC_PROXY_BUILTIN:
		put(o, "builtinTestServer", json_true(), &ok);
		break;
	case MXC_PROXY_LOCALHOST:
		put(o, "localhost", json_integer(p->port), &ok);
		break;
	case MXC_PROXY_URL:
	case MXC_PROXY_NONE:
	default:
		put(o, "url", json_string(p->url ? p->url : ""), &ok);
		break;
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *network_json(const struct mxc_network *n)
{
	static const char *const enf[] = {"capabilities", "firewall", "both"};
	json_t *o = json_object();
	bool ok = o != NULL;

	if (!ok)
		return NULL;
	if (n->format == MXC_NET_LEGACY) {
		put(o, "defaultPolicy",
		    json_string(n->default_policy == MXC_NET_ALLOW ? "allow" : "block"), &ok);
		put(o, "enforcementMode", json_string(enf[n->enforcement_mode]), &ok);
		put(o, "allowLocalNetwork", json_boolean(n->allow_local_network), &ok);
		put(o, "allowedHosts", strv_json(n->allowed_hosts), &ok);
		put(o, "blockedHosts", strv_json(n->blocked_hosts), &ok);
		if (n->proxy.kind != MXC_PROXY_NONE)
			put(o, "proxy", proxy_json(&n->proxy), &ok);
	} else {
		json_t *eg = json_object(), *in = json_object();
		if (eg) {
			put(eg, "default", json_string(action_str(n->egress_default)), &ok);
			put(eg, "allow", rules_json(n->egress_allow, n->n_egress_allow), &ok);
			put(eg, "deny", rules_json(n->egress_deny, n->n_egress_deny), &ok);
		}
		if (in) {
			put(in, "default", json_string(action_str(n->ingress_default)), &ok);
			put(in, "hostLoopback", json_string(action_str(n->host_loopback)), &ok);
		}
		put(o, "egress", eg, &ok);
		put(o, "ingress", in, &ok);
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int policy_to_json(const struct mxc_config *c, char **ret)
{
	_cleanup_json_ json_t *root = NULL;
	json_t *proc, *fs, *lc, *mxc;
	bool ok = true;
	char *s;

	if (!c || !ret)
		return -EINVAL;
	root = json_object();
	proc = json_object();
	fs = json_object();
	lc = json_object();
	mxc = json_object();
	if (!root || !proc || !fs || !lc || !mxc) {
		json_decref(proc);
		json_decref(fs);
		json_decref(lc);
		json_decref(mxc);
		return -ENOMEM;
	}
	put(root, "version", c->has_version ? json_string(c->version) : json_null(), &ok);
	put(root, "containerId", json_string(c->container_id ? c->container_id : ""), &ok);
	put(root, "containment",
	    c->containment == MXC_CONTAINMENT_UNSET
		    ? json_null()
		    : json_string(mxc_containment_to_string(c->containment)),
	    &ok);
	put(lc, "destroyOnExit", json_boolean(c->destroy_on_exit), &ok);
	put(lc, "preservePolicy", json_boolean(c->preserve_policy), &ok);
	put(root, "lifecycle", lc, &ok);
	put(proc, "commandLine", json_string(c->command_line ? c->command_line : ""), &ok);
	put(proc, "cwd", json_string(c->cwd ? c->cwd : ""), &ok);
	put(proc, "env", strv_json(c->env), &ok);
	put(proc, "timeout", json_integer(c->timeout_ms), &ok);
	put(root, "process", proc, &ok);
	put(fs, "readwritePaths", strv_json(c->readwrite_paths), &ok);
	put(fs, "readonlyPaths", strv_json(c->readonly_paths), &ok);
	put(fs, "deniedPaths", strv_json(c->denied_paths), &ok);
	put(root, "filesystem", fs, &ok);
	put(root, "network", network_json(&c->net), &ok);
	if (c->net.has_runtime_proxy) {
		json_t *rc = json_object();
		if (rc)
			put(rc, "networkProxy", json_string(c->net.proxy.url), &ok);
		put(root, "runtimeConfig", rc, &ok);
	}
	if (c->has_lxc) {
		json_t *lxc = json_object();
		if (lxc) {
			put(lxc, "distribution", json_string(c->lxc_distribution), &ok);
			put(lxc, "release", json_string(c->lxc_release), &ok);
		}
		put(root, "lxc", lxc, &ok);
	}
	if (c->experimental_test_message) {
		json_t *exp = json_object(), *test = json_object();
		if (test)
			put(test, "message", json_string(c->experimental_test_message), &ok);
		if (exp)
			put(exp, "test", test, &ok);
		else
			json_decref(test);
		put(root, "experimental", exp, &ok);
	}
	if (c->limits.present) {
		json_t *lim = json_object();
		for (size_t i = 0; lim && i < _MXC_LIMIT_MAX; i++)
			put(lim, mxc_limit_to_string(i),
			    c->limits.set[i] ? json_integer((json_int_t)c->limits.v[i])
					     : json_null(),
			    &ok);
		put(root, "limits", lim, &ok);
	}
	put(mxc, "backend", json_string(mxc_backend_id_to_string(c->backend)), &ok);
	put(mxc, "networkFormat",
	    json_string(c->net.format == MXC_NET_DIRECTIONAL ? "directional" : "legacy"), &ok);
	put(mxc, "experimental", json_boolean(c->experimental_enabled), &ok);
	put(mxc, "allowTestingFeatures", json_boolean(c->testing_features_enabled), &ok);
	put(mxc, "notes", strv_json(c->notes), &ok);
	put(root, "mxc", mxc, &ok);
	if (!ok)
		return -ENOMEM;
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}
