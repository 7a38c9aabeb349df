/* SPDX-License-Identifier: MIT */
/* policy -> plan: backend selection, process, environment, then network and filesystem. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "core/strv.h"
#include "plan-internal.h"

int plan_add_op(struct mxc_plan *p, enum plan_op_kind kind, enum plan_origin origin,
		const char *src, const char *dst, const char *policy, bool readonly, bool try_)
{
	struct plan_op *ops = realloc(p->ops, (p->n_ops + 1) * sizeof(*ops));
	struct plan_op *op;

	if (!ops)
		return -ENOMEM;
	p->ops = ops;
	op = &ops[p->n_ops];
	*op = (struct plan_op){.kind = kind, .origin = origin, .readonly = readonly, .try_ = try_};
	op->dst = strdup(dst);
	op->src = src ? strdup(src) : NULL;
	op->policy = policy ? strdup(policy) : NULL;
	if (!op->dst || (src && !op->src) || (policy && !op->policy)) {
		free(op->dst);
		free(op->src);
		free(op->policy);
		return -ENOMEM;
	}
	p->n_ops++;
	return 0;
}

struct mxc_plan *plan_free(struct mxc_plan *p)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < p->n_ops; i++) {
		free(p->ops[i].src);
		free(p->ops[i].dst);
		free(p->ops[i].policy);
	}
	free(p->ops);
	free(p->version);
	free(p->container_id);
	strv_free(p->argv);
	strv_free(p->envp);
	free(p->cwd);
	free(p->launcher_cwd);
	strv_free(p->notes);
	free(p->cgroup_host);
	strv_free(p->bwrap_argv);
	free(p->nft);
	free(p->proxy.url);
	free(p->proxy.listen);
	free(p->proxy.host);
	strv_free(p->proxy.allow);
	strv_free(p->proxy.block);
	free(p);
	return NULL;
}
DEFINE_CLEANUP_FUNC(struct mxc_plan *, plan_free)

/* Backends other than namespaces: refuse the way upstream's lxc-exec would, or say what is missing.
 */
static int select_backend(const struct mxc_config *c, struct mxc_plan *p, struct mxc_error *reterr)
{
	const char *wire = mxc_containment_to_string(c->containment);

	switch (c->backend) {
	case MXC_BACKEND_NAMESPACES:
	case MXC_BACKEND_BUBBLEWRAP: /* bwrap's presence and version: at create */
		return 0;
	case MXC_BACKEND_MICROVM:
	case MXC_BACKEND_HYPERLIGHT: {
		const char *name = c->backend == MXC_BACKEND_MICROVM ? "MicroVM" : "Hyperlight";
		if (!c->experimental_enabled)
			return mxc_error_set_type(
				reterr, -EPERM, MXC_ERROR_SELECT, "backend_unavailable",
				"%s is an experimental feature. Use --experimental flag.", name);
		return mxc_error_set_type(reterr, -EOPNOTSUPP, MXC_ERROR_SELECT,
					  "backend_unavailable",
					  "%s backend is not available in this build of mxc", name);
	}
	case MXC_BACKEND_LXC_FALLBACK:
		(void)plan_note(
			p, "Note: containment %s unsupported on lxc-exec; falling back to LXC.",
			wire ? wire : "");
		/* fall through */
	case MXC_BACKEND_LXC:
		if (strempty(c->lxc_distribution) || strempty(c->lxc_release))
			return mxc_error_set(
				reterr, -EINVAL, MXC_ERROR_BACKEND,
				"LXC distribution and release are required (e.g., "
				"\"distribution\": \"alpine\", \"release\": \"3.23\")");
		return mxc_error_set_type(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND,
					  "backend_unavailable",
					  "The LXC backend is not implemented by mxc yet; use "
					  "\"containment\": \"process\" (mxc's namespace sandbox)");
	default:
		return mxc_error_set_type(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND,
					  "backend_unavailable",
					  "The '%s' backend is not implemented by mxc yet; use "
					  "\"containment\": \"process\" (mxc's namespace sandbox)",
					  wire ? wire : mxc_backend_id_to_string(c->backend));
	}
}

/* process.env: split at the first '=', drop entries without one or with an empty key,
 * later duplicates win. */
static int compile_env(const struct mxc_config *c, struct mxc_plan *p)
{
	char **env = calloc(1, sizeof(char *));

	if (!env)
		return -ENOMEM;
	p->envp = env;
	for (size_t i = 0; c->env && c->env[i]; i++) {
		const char *e = c->env[i], *eq = strchr(e, '=');
		size_t klen;

		if (!eq || eq == e) {
			(void)plan_note(p, "process.env[%zu] is not KEY=VALUE; dropped", i);
			continue;
		}
		klen = (size_t)(eq - e);
		for (size_t j = 0; p->envp[j]; j++)
			if (strncmp(p->envp[j], e, klen + 1) == 0) {
				strv_remove_at(p->envp, j);
				break;
			}
		if (strv_push(&p->envp, e) < 0)
			return -ENOMEM;
	}
	return 0;
}

int plan_compile(const struct mxc_config *c, const struct plan_host *host, struct mxc_plan **ret,
		 struct mxc_error *reterr)
{
	_cleanup_(plan_freep) struct mxc_plan *p = NULL;
	char cwd[PATH_MAX];
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->backend = c->backend;
	p->events_fd = -1;
	p->version = strdup(c->version ? c->version : "");
	p->container_id = strdup(c->container_id ? c->container_id : "");
	if (!p->version || !p->container_id)
		return -ENOMEM;

	r = select_backend(c, p, reterr);
	if (r < 0)
		return r;

	if (strempty(c->command_line))
		return mxc_error_set(reterr, -EINVAL, MXC_ERROR_BACKEND,
				     "Script content must not be empty.");
	if (strv_push(&p->argv, "/bin/sh") < 0 || strv_push(&p->argv, "-c") < 0 ||
	    strv_push(&p->argv, c->command_line) < 0)
		return -ENOMEM;
	r = compile_env(c, p);
	if (r < 0)
		return r;
	if (!strempty(c->cwd) && !(p->cwd = strdup(c->cwd)))
		return -ENOMEM;
	if (host->getcwd(cwd, sizeof(cwd)) < 0)
		strcpy(cwd, "/");
	if (!(p->launcher_cwd = strdup(cwd)))
		return -ENOMEM;
	p->timeout_ms = c->timeout_ms;
	p->uid = host->getuid();
	p->landlock_abi = host->landlock_abi ? host->landlock_abi() : 0;
	p->gid = host->getgid();

	r = plan_compile_network(c, p, reterr);
	if (r < 0)
		return r;
	r = plan_compile_filesystem(c, host, p, reterr);
	if (r < 0)
		return r;
	r = plan_compile_limits(c, host, p, reterr);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(p);
	return 0;
}

const char *plan_op_kind_to_string(enum plan_op_kind k)
{
	static const char *const t[] = {
		[PLAN_BIND] = "bind",	      [PLAN_SYMLINK] = "symlink",
		[PLAN_TMPFS] = "tmpfs",	      [PLAN_DEV] = "dev",
		[PLAN_PROC] = "proc",	      [PLAN_MASK_FILE] = "mask-file",
		[PLAN_MASK_DIR] = "mask-dir",
	};
	return (unsigned)k < ELEMENTSOF(t) ? t[k] : "?";
}

const char *plan_origin_to_string(enum plan_origin o)
{
	static const char *const t[] = {
		[PLAN_FROM_BASELINE] = "baseline",	  [PLAN_FROM_SYSTEM] = "system",
		[PLAN_FROM_READWRITE] = "readwritePaths", [PLAN_FROM_READONLY] = "readonlyPaths",
		[PLAN_FROM_DENIED] = "deniedPaths",
	};
	return (unsigned)o < ELEMENTSOF(t) ? t[o] : "?";
}
