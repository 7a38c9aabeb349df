/* SPDX-License-Identifier: MIT */
/* The plan as JSON, for `mxc run --dry-run` and golden tests. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#include "plan.h"

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

static json_t *op_json(const struct plan_op *op)
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
	json_object_set_new(o, "enforcedBy", json_string("mount"));
	return o;
}

int plan_to_json(const struct mxc_plan *p, char **ret)
{
	json_t *root, *ops, *ns;
	char *s;

	ops = json_array();
	ns = json_pack("[s,s,s,s,s,s]", "user", "mount", "pid", "ipc", "uts", "cgroup");
	if (ns && p->net == PLAN_NET_ISOLATED)
		json_array_append_new(ns, json_string("net"));
	for (size_t i = 0; ops && i < p->n_ops; i++)
		json_array_append_new(ops, op_json(&p->ops[i]));
	root = json_pack("{s:s, s:s, s:s, s:o, s:{s:s, s:s}, s:{s:I, s:I}, s:o, s:{s:o, s:o, s:s?, "
			 "s:s, s:I}, s:o}",
			 "backend", mxc_backend_id_to_string(p->backend), "version", p->version,
			 "containerId", p->container_id, "namespaces", ns, "network", "mode",
			 p->net == PLAN_NET_ISOLATED ? "isolated" : "host", "reason",
			 p->net_reason ? p->net_reason : "", "idMap", "uid", (json_int_t)p->uid,
			 "gid", (json_int_t)p->gid, "mounts", ops, "process", "argv",
			 strv_json(p->argv), "env", strv_json(p->envp), "cwd", p->cwd,
			 "cwdFallback",
			 p->cwd ? "" : "the caller's working directory if visible inside, else /",
			 "timeoutMs", (json_int_t)p->timeout_ms, "notes", strv_json(p->notes));
	if (!root)
		return -ENOMEM;
	json_object_set_new(root, "limits", plan_limits_to_json(&p->limits));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}
