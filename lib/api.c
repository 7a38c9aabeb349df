/* SPDX-License-Identifier: MIT */
/* Public entry points for configs and plans (thin wrappers over policy/ and plan/). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "backend/backend.h"
#include "core/log.h"
#include "core/macro.h"
#include "plan/plan.h"
#include "policy/policy.h"

#define MAX_CONFIG_SIZE (16u * 1024u * 1024u)

_public_ int mxc_config_parse(const char *json, size_t len, const struct mxc_parse_options *opts,
			      struct mxc_config **ret, struct mxc_error *reterr)
{
	if (!json || !ret)
		return -EINVAL;
	return policy_parse(json, len, opts, ret, reterr);
}

static int read_all(int fd, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		ssize_t n;
		if (len + 4096 + 1 > cap) {
			char *nb;
			cap = cap ? cap * 2 : 8192;
			if (cap > MAX_CONFIG_SIZE + 1)
				return -EFBIG;
			nb = realloc(buf, cap);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!buf && !(buf = calloc(1, 1)))
		return -ENOMEM;
	buf[len] = '\0';
	*ret_len = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

_public_ int mxc_config_load_file(const char *path, const struct mxc_parse_options *opts,
				  struct mxc_config **ret, struct mxc_error *reterr)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int fd = -1;
	char esc[512];
	size_t len = 0;
	int r;

	if (!path || !ret)
		return -EINVAL;
	mxc_escape_diag(esc, sizeof(esc), path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return mxc_error_set(reterr, -ENOENT, MXC_ERROR_CONFIG,
					     "Configuration file not found: %s", esc);
		return mxc_error_set(reterr, -errno, MXC_ERROR_CONFIG,
				     "Failed to read configuration file '%s': %s", esc,
				     strerror(errno));
	}
	r = read_all(fd, &buf, &len);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_CONFIG,
				     "Failed to read configuration file '%s': %s", esc,
				     strerror(-r));
	return policy_parse(buf, len, opts, ret, reterr);
}

_public_ int mxc_config_load_base64(const char *b64, const struct mxc_parse_options *opts,
				    struct mxc_config **ret, struct mxc_error *reterr)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	if (!b64 || !ret)
		return -EINVAL;
	r = policy_base64_decode(b64, &buf, &len);
	if (r == -EILSEQ)
		return mxc_error_set(reterr, r, MXC_ERROR_CONFIG,
				     "Base64 decoded content is not valid UTF-8");
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_CONFIG,
				     "Failed to decode base64 configuration");
	return policy_parse(buf, len, opts, ret, reterr);
}

_public_ struct mxc_config *mxc_config_free(struct mxc_config *c)
{
	return policy_free(c);
}

_public_ const char *const *mxc_config_notes(const struct mxc_config *c)
{
	return c ? (const char *const *)c->notes : NULL;
}

_public_ int mxc_config_to_json(const struct mxc_config *c, char **ret, struct mxc_error *reterr)
{
	int r;
	if (!c || !ret)
		return -EINVAL;
	r = policy_to_json(c, ret);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to render the config as JSON");
	return r;
}

/* What --debug shows of a plan: upstream's run header, each decision, each mount. */
static void log_plan(const struct mxc_config *c, const struct mxc_plan *p)
{
	if (!mxc_log_enabled())
		return;
	log_info("Script code length: %zu", strlen(c->command_line ? c->command_line : ""));
	log_info("Working directory: %s", p->cwd ? p->cwd : "(caller's, if visible; else /)");
	log_info("Script timeout: %u", p->timeout_ms);
	log_info("Container name: %s", p->container_id);
	log_info("Network: %s (%s)", p->net == PLAN_NET_ISOLATED ? "isolated" : "host",
		 p->net_reason ? p->net_reason : "");
	for (size_t i = 0; p->notes && p->notes[i]; i++)
		log_info("%s", p->notes[i]);
	log_info("Layers: namespaces, mounts, no capabilities, no_new_privs, seccomp, %s",
		 p->landlock_abi > 0 ? "Landlock" : "no Landlock (the kernel has none)");
	if (p->landlock_abi > 0)
		log_info("Landlock ABI %d: filesystem rights%s%s", p->landlock_abi,
			 p->net == PLAN_NET_ISOLATED && p->landlock_abi >= 4
				 ? ", TCP bind/connect denied"
				 : "",
			 p->landlock_abi >= 6 ? ", abstract unix sockets and signals scoped" : "");
	for (size_t i = 0; i < p->n_ops; i++) {
		const struct plan_op *op = &p->ops[i];
		log_debug("mount %zu: %s %s%s%s%s (%s%s%s)", i, plan_op_kind_to_string(op->kind),
			  op->src ? op->src : "", op->src ? " -> " : "", op->dst,
			  op->readonly ? " ro" : "", plan_origin_to_string(op->origin),
			  op->policy ? " " : "", op->policy ? op->policy : "");
	}
}

_public_ int mxc_plan_compile(const struct mxc_config *c, struct mxc_plan **ret,
			      struct mxc_error *reterr)
{
	int r;

	if (!c || !ret)
		return -EINVAL;
	r = plan_compile(c, &plan_host_real, ret, reterr);
	if (r < 0)
		return r;
	r = backend_finish_plan(*ret);
	if (r < 0) {
		*ret = plan_free(*ret);
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND, "Failed to render the plan: %s",
				     strerror(-r));
	}
	log_plan(c, *ret);
	return 0;
}

_public_ struct mxc_plan *mxc_plan_free(struct mxc_plan *p)
{
	return plan_free(p);
}

_public_ int mxc_plan_to_json(const struct mxc_plan *p, char **ret, struct mxc_error *reterr)
{
	int r;
	if (!p || !ret)
		return -EINVAL;
	r = plan_to_json(p, ret);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to render the plan as JSON");
	return r;
}

_public_ const char *mxc_plan_backend(const struct mxc_plan *p)
{
	return p ? mxc_backend_id_to_string(p->backend) : NULL;
}

_public_ uint32_t mxc_plan_timeout_ms(const struct mxc_plan *p)
{
	return p ? p->timeout_ms : 0;
}

_public_ int mxc_plan_set_events_fd(struct mxc_plan *p, int fd)
{
	if (!p || fd < -1)
		return -EINVAL;
	p->events_fd = fd;
	return 0;
}
