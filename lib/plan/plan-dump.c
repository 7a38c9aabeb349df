/* SPDX-License-Identifier: MIT */
/* The plan as JSON, for `mxc run --dry-run` and golden tests. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "plan-internal.h"

static json_t *strv_json(char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; a && v && v[i]; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The bubblewrap backend has no Landlock: bwrap does not support it. */
static bool has_landlock(const struct mxc_plan *p)
{
	return p->landlock_abi > 0 && p->backend != MXC_BACKEND_BUBBLEWRAP;
}

/* Landlock rights add up down the tree: below a read-write bind it cannot take access away,
 * so a read-only grant or a mask there is enforced by its mount alone. */
static bool under_readwrite(const struct mxc_plan *p, const struct plan_op *op)
{
	for (size_t i = 0; i < p->n_ops; i++)
		if (&p->ops[i] != op && p->ops[i].kind == PLAN_BIND && !p->ops[i].readonly &&
		    !streq(p->ops[i].dst, op->dst) && plan_path_is_prefix(p->ops[i].dst, op->dst))
			return true;
	return false;
}

/* Which layers enforce this op: the mount always; Landlock where it can add a wall. */
static json_t *op_layers(const struct mxc_plan *p, const struct plan_op *op)
{
	json_t *a = json_array();
	bool ll = has_landlock(p);

	switch (op->kind) {
	case PLAN_BIND:
		json_array_append_new(a, json_string(op->readonly
							     ? "mount: read-only, nosuid, nodev"
							     : "mount: read-write, nosuid, nodev"));
		if (ll && (!op->readonly || !under_readwrite(p, op)))
			json_array_append_new(
				a, json_string(op->readonly ? "landlock: read and execute only"
							    : "landlock: full access"));
		break;
	case PLAN_MASK_FILE:
	case PLAN_MASK_DIR:
		json_array_append_new(a, json_string(op->kind == PLAN_MASK_FILE
							     ? "mount: /dev/null, read-only"
							     : "mount: empty read-only tmpfs"));
		if (ll && !under_readwrite(p, op))
			json_array_append_new(a, json_string("landlock: no access granted"));
		break;
	case PLAN_TMPFS:
		json_array_append_new(a, json_string("mount: private tmpfs, size-capped"));
		if (ll)
			json_array_append_new(a, json_string("landlock: full access"));
		break;
	case PLAN_PROC:
		json_array_append_new(a,
				      json_string("mount: procfs of the sandbox's PID namespace"));
		if (ll)
			json_array_append_new(a, json_string("landlock: read only"));
		break;
	case PLAN_DEV:
		json_array_append_new(a, json_string("mount: minimal /dev"));
		if (ll)
			json_array_append_new(a,
					      json_string("landlock: device nodes, pts, shm only"));
		break;
	case PLAN_SYMLINK:
	default:
		json_array_append_new(a, json_string("mount: symlink on the read-only root"));
		break;
	}
	return a;
}

static json_t *op_json(const struct mxc_plan *p, const struct plan_op *op)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "op", plan_op_kind_to_string(op->kind), "dst",
			      op->dst, "from", plan_origin_to_string(op->origin));
	if (!o)
		return NULL;
	if (op->src)
		json_object_set_new(o, op->kind == PLAN_SYMLINK ? "target" : "src",
				    json_string(op->src));
	if (op->kind == PLAN_BIND || op->kind == PLAN_MASK_FILE || op->kind == PLAN_MASK_DIR)
		json_object_set_new(o, "readonly", json_boolean(op->readonly));
	if (op->try_)
		json_object_set_new(o, "ifExists", json_true());
	if (op->policy)
		json_object_set_new(o, "policy", json_string(op->policy));
	json_object_set_new(o, "enforcedBy", op_layers(p, op));
	return o;
}

/* The walls the namespace backend puts around every workload (docs/security.md). */
static json_t *layers_json(const struct mxc_plan *p)
{
	json_t *seccomp = json_pack(
		"{s:b, s:[s,s,s,s,s,s,s,s,s]}", "enforced", 1, "rules",
		"non-native architectures and x32: process killed (SIGSYS)",
		"io_uring, bpf, perf_event_open, userfaultfd, keyrings, kexec, modules: EPERM",
		"mount family (mount ... mount_setattr): EPERM",
		"unshare, setns, clone with namespace flags: EPERM; clone3: ENOSYS",
		"ptrace, process_vm_readv/writev: EPERM",
		"acct, swapon/off, reboot, syslog, quotactl, open_by_handle_at, "
		"name_to_handle_at: EPERM",
		"personality changes: EPERM", "ioctl TIOCSTI and TIOCLINUX: EPERM",
		"socket families other than unix, inet, inet6, netlink: EAFNOSUPPORT");
	json_t *ll;
	bool bwrap = p->backend == MXC_BACKEND_BUBBLEWRAP;

	if (bwrap) {
		ll = json_pack("{s:b, s:s}", "enforced", 0, "reason",
			       "the bubblewrap backend has no Landlock (bwrap does not support "
			       "it); namespaces, mounts and seccomp still apply");
	} else if (p->landlock_abi > 0) {
		ll = json_pack("{s:b, s:i, s:s}", "enforced", 1, "abi", p->landlock_abi,
			       "filesystem",
			       "rights mirror the mounts (see each mount's enforcedBy)");
		json_object_set_new(
			ll, "network",
			json_string(p->net == PLAN_NET_HOST ? "not handled: host network by policy"
				    : p->landlock_abi < 4   ? "not available before ABI 4"
				    : p->net == PLAN_NET_PROXY
					    ? "TCP bind denied; TCP connect only to the proxy port"
				    : p->net == PLAN_NET_FIREWALL
					    ? "TCP bind denied; connect left to the firewall"
					    : "TCP bind and connect denied"));
		json_object_set_new(ll, "scoped",
				    p->landlock_abi >= 6
					    ? json_pack("[s,s]", "abstract unix sockets", "signals")
					    : json_string("not available before ABI 6"));
	} else {
		ll = json_pack("{s:b, s:s}", "enforced", 0, "reason",
			       "this kernel has no Landlock; namespaces, mounts and seccomp still "
			       "apply");
	}
	return json_pack("{s:s, s:b, s:o, s:o}", "capabilities",
			 bwrap ? "all dropped by bwrap (--cap-drop ALL)"
			       : "all dropped (bounding, permitted, effective, inheritable, "
				 "ambient); securebits locked",
			 "noNewPrivs", 1, "seccomp", seccomp, "landlock", ll);
}

static const char *net_mode_string(enum plan_net_mode m)
{
	switch (m) {
	case PLAN_NET_ISOLATED:
		return "isolated";
	case PLAN_NET_HOST:
		return "host";
	case PLAN_NET_FIREWALL:
		return "firewall";
	case PLAN_NET_PROXY:
		return "proxy";
	}
	return "?";
}

static json_t *net_layers(const struct mxc_plan *p)
{
	bool ll4 = has_landlock(p) && p->landlock_abi >= 4;

	if (p->net == PLAN_NET_HOST)
		return json_pack("[s]", "none: the host network namespace is shared by policy");
	if (p->net == PLAN_NET_FIREWALL)
		return json_pack(
			"[s,s,s,s*]",
			"network namespace: lo and the user-mode stack " PLAN_NET_STACK,
			p->net_host_loopback ? PLAN_NET_STACK
				": no port forwarding; its gateway " PLAN_NET_STACK_GATEWAY
				" is the host's loopback (allowedHosts names it)"
					     : PLAN_NET_STACK
				": no port forwarding, no route to the host's loopback",
			"nftables (table inet mxc, IPv4 and IPv6) loaded by mxc-netd before the "
			"workload starts; the workload has no CAP_NET_ADMIN",
			ll4 ? "landlock: TCP bind denied" : NULL);
	if (p->net == PLAN_NET_PROXY)
		return json_pack(
			"[s,s,s,s*]", "network namespace: only lo, no route out",
			p->proxy.relay ? "the proxy endpoint inside is a relay (mxc-netd, host "
					 "side) to the external proxy"
				       : "mxc's filtering proxy (mxc-netd, host side) is the only "
					 "endpoint: host lists decided per request",
			"nftables (table inet mxc): only lo",
			ll4 ? "landlock: TCP bind denied, connect only to the proxy port" : NULL);
	if (has_landlock(p) && p->landlock_abi >= 4)
		return json_pack("[s,s]", "network namespace: only lo",
				 "landlock: TCP bind and connect denied");
	return json_pack("[s]", "network namespace: only lo");
}

static void net_details(const struct mxc_plan *p, json_t *net)
{
	if (!net)
		return;
	if (p->net == PLAN_NET_FIREWALL) {
		json_object_set_new(net, "stack", json_string(PLAN_NET_STACK));
		json_object_set_new(net, "ping", json_boolean(p->net_ping));
		json_object_set_new(net, "hostLoopback", json_boolean(p->net_host_loopback));
	}
	if (p->net == PLAN_NET_PROXY) {
		const struct plan_net_proxy *x = &p->proxy;
		json_t *o = json_pack("{s:s, s:s, s:i, s:s}", "role", x->relay ? "relay" : "filter",
				      "from", x->origin ? x->origin : "", "port", (int)x->port,
				      "url", x->url ? x->url : "");
		if (o && x->relay) {
			json_object_set_new(o, "upstream", json_string(x->host ? x->host : ""));
			json_object_set_new(o, "pinnedInEtcHosts", json_boolean(x->pin));
		} else if (o) {
			json_object_set_new(o, "allowedHosts", strv_json(x->allow));
			json_object_set_new(o, "blockedHosts", strv_json(x->block));
			json_object_set_new(o, "defaultPolicy",
					    json_string(x->default_allow ? "allow" : "block"));
			json_object_set_new(o, "blockLocalNetwork", json_boolean(x->block_local));
		}
		json_object_set_new(net, "proxy", o);
	}
	if (p->nft)
		json_object_set_new(net, "nftables", json_string(p->nft));
}

int plan_to_json(const struct mxc_plan *p, char **ret)
{
	json_t *root, *ops, *ns;
	char *s;

	ops = json_array();
	ns = json_pack("[s,s,s,s,s,s]", "user", "mount", "pid", "ipc", "uts", "cgroup");
	if (ns && p->net != PLAN_NET_HOST)
		json_array_append_new(ns, json_string("net"));
	for (size_t i = 0; ops && i < p->n_ops; i++)
		json_array_append_new(ops, op_json(p, &p->ops[i]));
	root = json_pack("{s:s, s:s, s:s, s:o, s:{s:s, s:s}, s:{s:I, s:I}, s:o, s:{s:o, s:o, s:s?, "
			 "s:s, s:I}, s:o}",
			 "backend", mxc_backend_id_to_string(p->backend), "version", p->version,
			 "containerId", p->container_id, "namespaces", ns, "network", "mode",
			 net_mode_string(p->net), "reason", p->net_reason ? p->net_reason : "",
			 "idMap", "uid", (json_int_t)p->uid, "gid", (json_int_t)p->gid, "mounts",
			 ops, "process", "argv", strv_json(p->argv), "env", strv_json(p->envp),
			 "cwd", p->cwd, "cwdFallback",
			 p->cwd ? "" : "the caller's working directory if visible inside, else /",
			 "timeoutMs", (json_int_t)p->timeout_ms, "notes", strv_json(p->notes));
	if (!root)
		return -ENOMEM;
	json_object_set_new(root, "limits", plan_limits_to_json(&p->limits));
	json_object_set_new(json_object_get(root, "network"), "enforcedBy", net_layers(p));
	net_details(p, json_object_get(root, "network"));
	json_object_set_new(root, "layers", layers_json(p));
	if (p->bwrap_argv)
		json_object_set_new(root, "bwrapArgv", strv_json(p->bwrap_argv));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}
