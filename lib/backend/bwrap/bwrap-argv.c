/* SPDX-License-Identifier: MIT */
/*
 * The plan as a bwrap argument vector, in upstream MXC's order
 * (mxc-linux-backends.md §1.3), with mxc's additions marked (+):
 *
 *   bwrap --unshare-user --unshare-pid --unshare-ipc --unshare-uts [--unshare-net]
 *         --unshare-cgroup (+) --die-with-parent (+) --new-session (+) --cap-drop ALL (+)
 *         --seccomp 3 (+) --info-fd 4 (+)
 *         --ro-bind-try P P ...                  baseline, upstream's 18 paths
 *         --symlink /run /var/run
 *         --dev /dev [--size N --tmpfs /dev/shm (+)]
 *         --proc /proc --ro-bind /proc/sys /proc/sys (+)
 *         --ro-bind-try /proc/sysrq-trigger /proc/sysrq-trigger (+)
 *         [--size N (+)] --tmpfs /tmp
 *         policy ops by depth: --bind | --ro-bind | --tmpfs (denied dir)
 *                              | --ro-bind /dev/null P (denied file)
 *         --remount-ro P (+, each denied dir, once every deeper mount is in)
 *         --remount-ro / (+)
 *         [--chdir CWD] --clearenv [--setenv K V ...] -- sh -c CMD
 *
 * Pure: reads the plan only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bwrap.h"
#include "core/cleanup.h"
#include "core/macro.h"
#include "core/strv.h"

static int push(char ***v, const char *a)
{
	return strv_push(v, a);
}

static int push2(char ***v, const char *a, const char *b)
{
	int r = strv_push(v, a);
	return r < 0 ? r : strv_push(v, b);
}

static int push3(char ***v, const char *a, const char *b, const char *c)
{
	int r = push2(v, a, b);
	return r < 0 ? r : strv_push(v, c);
}

/* `--size BYTES` for the next --tmpfs, when /tmp and /dev/shm are capped. */
static int push_size(char ***v, const struct mxc_plan *p)
{
	uint64_t mib = p->limits.l[MXC_LIMIT_TMP_MIB].value;
	char buf[32];

	if (!mib)
		return 0;
	(void)snprintf(buf, sizeof(buf), "%" PRIu64, mib << 20);
	return push2(v, "--size", buf);
}

static int push_op(char ***v, const struct mxc_plan *p, const struct plan_op *op)
{
	int r;

	switch (op->kind) {
	case PLAN_BIND:
		if (op->try_)
			return push3(v, op->readonly ? "--ro-bind-try" : "--bind-try", op->src,
				     op->dst);
		return push3(v, op->readonly ? "--ro-bind" : "--bind", op->src, op->dst);
	case PLAN_SYMLINK:
		return push3(v, "--symlink", op->src, op->dst);
	case PLAN_DEV:
		r = push2(v, "--dev", op->dst);
		if (r >= 0 && p->limits.l[MXC_LIMIT_TMP_MIB].value) {
			/* bwrap's /dev/shm is a directory of the uncapped /dev tmpfs. */
			r = push_size(v, p);
			if (r >= 0)
				r = push2(v, "--tmpfs", "/dev/shm");
		}
		return r;
	case PLAN_PROC: {
		/* bwrap leaves /proc/sys writable: a sandbox of a root caller could write
		 * the host's global sysctls (kernel.core_pattern). Sysctls follow the
		 * reader's namespaces, so binding bwrap's own view read-only is exact. */
		_cleanup_free_ char *sys = NULL, *sysrq = NULL;

		if (asprintf(&sys, "%s/sys", op->dst) < 0 ||
		    asprintf(&sysrq, "%s/sysrq-trigger", op->dst) < 0)
			return -ENOMEM;
		r = push2(v, "--proc", op->dst);
		if (r >= 0)
			r = push3(v, "--ro-bind", "/proc/sys", sys);
		if (r >= 0)
			r = push3(v, "--ro-bind-try", "/proc/sysrq-trigger", sysrq);
		return r;
	}
	case PLAN_TMPFS:
		r = push_size(v, p);
		return r < 0 ? r : push2(v, "--tmpfs", op->dst);
	case PLAN_MASK_FILE:
		return push3(v, "--ro-bind", "/dev/null", op->dst);
	case PLAN_MASK_DIR:
		return push2(v, "--tmpfs", op->dst);
	default:
		return -EINVAL;
	}
}

int bwrap_argv_render(const struct mxc_plan *p, char ***ret)
{
	_cleanup_(strv_freep) char **v = NULL;
	char fd[4][16];
	int r;

	if (!p || !p->argv || !p->argv[0])
		return -EINVAL;
	(void)snprintf(fd[0], sizeof(fd[0]), "%d", BWRAP_SECCOMP_FD);
	(void)snprintf(fd[1], sizeof(fd[1]), "%d", BWRAP_INFO_FD);
	(void)snprintf(fd[2], sizeof(fd[2]), "%d", BWRAP_BLOCK_FD);
	(void)snprintf(fd[3], sizeof(fd[3]), "%d", BWRAP_HOSTS_FD);

	r = push(&v, "bwrap");
	if (r >= 0)
		r = push(&v, "--unshare-user");
	if (r >= 0)
		r = push3(&v, "--unshare-pid", "--unshare-ipc", "--unshare-uts");
	if (r >= 0 && p->net != PLAN_NET_HOST)
		r = push(&v, "--unshare-net");
	if (r >= 0)
		r = push3(&v, "--unshare-cgroup", "--die-with-parent", "--new-session");
	if (r >= 0)
		r = push2(&v, "--cap-drop", "ALL");
	if (r >= 0)
		r = push2(&v, "--seccomp", fd[0]);
	if (r >= 0)
		r = push2(&v, "--info-fd", fd[1]);
	if (r >= 0 && (p->net == PLAN_NET_FIREWALL || p->net == PLAN_NET_PROXY))
		r = push2(&v, "--block-fd", fd[2]);
	for (size_t i = 0; r >= 0 && i < p->n_ops; i++)
		r = push_op(&v, p, &p->ops[i]);
	for (size_t i = 0; r >= 0 && i < p->n_ops; i++)
		if (p->ops[i].kind == PLAN_MASK_DIR)
			r = push2(&v, "--remount-ro", p->ops[i].dst);
	if (r >= 0)
		r = push2(&v, "--remount-ro", "/");
	if (r >= 0 && p->cwd)
		r = push2(&v, "--chdir", p->cwd);
	if (r >= 0)
		r = push(&v, "--clearenv");
	for (size_t i = 0; r >= 0 && p->envp && p->envp[i]; i++) {
		const char *eq = strchr(p->envp[i], '=');
		_cleanup_free_ char *key = NULL;

		if (!eq)
			continue;
		key = strndup(p->envp[i], (size_t)(eq - p->envp[i]));
		r = key ? push3(&v, "--setenv", key, eq + 1) : -ENOMEM;
	}
	/* Like upstream, the pin goes last, so it wins over every policy mount. */
	if (r >= 0 && p->net == PLAN_NET_PROXY && p->proxy.relay && p->proxy.pin)
		r = push3(&v, "--ro-bind-data", fd[3], "/etc/hosts");
	if (r >= 0)
		r = push2(&v, "--", "sh"); /* upstream's COMMAND_TAIL: sh -c CMD */
	for (size_t i = 1; r >= 0 && p->argv[i]; i++)
		r = push(&v, p->argv[i]);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(v);
	return 0;
}

/* "X.Y.Z" (Z optional) at s; returns the end or NULL. */
static const char *parse_triplet(const char *s, unsigned out[3])
{
	for (int i = 0; i < 3; i++) {
		char *end;
		unsigned long n;

		if (*s < '0' || *s > '9') {
			if (i == 2)
				break; /* "0.8" */
			return NULL;
		}
		n = strtoul(s, &end, 10);
		if (n > 100000)
			return NULL;
		out[i] = (unsigned)n;
		s = end;
		if (i < 2 && *s != '.') {
			if (i == 1)
				break;
			return NULL;
		}
		if (i < 2)
			s++;
	}
	return s;
}

int bwrap_version_parse(const char *out, unsigned *ret_major, unsigned *ret_minor,
			unsigned *ret_patch)
{
	static const char prefix[] = "bubblewrap";
	unsigned v[3] = {0, 0, 0};
	const char *s, *really;

	if (!out || strncmp(out, prefix, sizeof(prefix) - 1) != 0)
		return -EINVAL;
	s = out + sizeof(prefix) - 1;
	if (*s != ' ' && *s != '\t')
		return -EINVAL;
	while (*s == ' ' || *s == '\t')
		s++;
	/* Debian: "0.8.0+really0.7.0" (or "X+reallyY") means Y. */
	really = strstr(s, "+really");
	if (really && (!strchr(s, '\n') || really < strchr(s, '\n')))
		s = really + strlen("+really");
	s = parse_triplet(s, v);
	if (!s)
		return -EINVAL;
	if (*s && *s != '\n' && *s != ' ' && *s != '\r' && *s != '+' && *s != '-' && *s != '~')
		return -EINVAL;
	*ret_major = v[0];
	*ret_minor = v[1];
	*ret_patch = v[2];
	return 0;
}

bool bwrap_version_ok(unsigned major, unsigned minor, unsigned patch)
{
	unsigned long long have =
		((unsigned long long)major << 40) | ((unsigned long long)minor << 20) | patch;
	unsigned long long need = ((unsigned long long)BWRAP_MIN_MAJOR << 40) |
				  ((unsigned long long)BWRAP_MIN_MINOR << 20) | BWRAP_MIN_PATCH;

	return have >= need;
}

int bwrap_plan_finish(struct mxc_plan *p)
{
	struct plan_limit *tmp = &p->limits.l[MXC_LIMIT_TMP_MIB];

	if (tmp->enforce & PLAN_ENF_TMPFS) {
		tmp->how = "bwrap --size of the /tmp and /dev/shm tmpfs (each)";
		tmp->why_not = "bwrap sets no inode cap (nr_inodes) on its tmpfs";
	}
	if (strv_push(&p->notes, "bubblewrap backend: no Landlock (bwrap has no Landlock "
				 "support); namespaces, mounts, capabilities, no_new_privs and "
				 "mxc's seccomp filter apply") < 0)
		return -ENOMEM;
	strv_free(p->bwrap_argv);
	p->bwrap_argv = NULL;
	return bwrap_argv_render(p, &p->bwrap_argv);
}
