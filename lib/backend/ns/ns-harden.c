/* SPDX-License-Identifier: MIT */
/*
 * Defence in depth for the namespace backend: the Landlock ruleset that
 * mirrors the plan and the seccomp filter, both applied by the workload as
 * the last steps before execve (after no_new_privs and the capability drop):
 *
 *   parent, before clone3   ns_harden_prepare: compile the seccomp filter
 *                           (libseccomp allocates: not in the child), probe
 *                           the Landlock ABI, decide the handled rights
 *   init, after the root    ns_harden_init: open every plan path O_PATH in
 *                           the new root, add one rule each, keep the
 *                           ruleset fd for every workload
 *   workload, last          ns_harden_workload: landlock_restrict_self, then
 *                           seccomp (so that Landlock's own syscalls are
 *                           never subject to the filter)
 *
 * Landlock is the second wall behind the mounts: the rights derive from
 * where an op comes from in the policy, not from how it was mounted, so a
 * mount that went wrong (writable where the policy says read-only, a real
 * directory where the policy says denied) is still contained. A kernel
 * without Landlock degrades to mounts + seccomp; struct ns_harden says so.
 *
 * The init and workload parts allocate nothing (see ns-internal.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "core/log.h"
#include "ns-internal.h"
#include "os/landlock.h"
#include "os/seccomp.h"

#define LL_READ_EXEC                                                                               \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_EXECUTE)
#define LL_DEVICE                                                                                  \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |                            \
	 LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* Init only (PID 1 of the sandbox): what every workload applies. */
static int child_ruleset_fd = -1;
static const struct sock_fprog *child_seccomp;

uint64_t ns_landlock_access(const struct plan_op *op, uint64_t handled_fs)
{
	uint64_t a = 0;

	switch (op->kind) {
	case PLAN_BIND:
		switch (op->origin) {
		case PLAN_FROM_READWRITE:
			a = handled_fs;
			break;
		case PLAN_FROM_READONLY:
			a = LL_READ_EXEC;
			break;
		case PLAN_FROM_DENIED:
			a = 0;
			break;
		case PLAN_FROM_BASELINE:
		case PLAN_FROM_SYSTEM:
		default:
			a = op->readonly ? LL_READ_EXEC : handled_fs;
			break;
		}
		break;
	case PLAN_TMPFS:
		/* The private /tmp: everything. */
		a = op->origin == PLAN_FROM_DENIED ? 0 : handled_fs;
		break;
	case PLAN_PROC:
		a = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
		break;
	case PLAN_DEV:
		/* The directory itself; its entries get their own rules. */
		a = LANDLOCK_ACCESS_FS_READ_DIR;
		break;
	case PLAN_SYMLINK:
	case PLAN_MASK_FILE:
	case PLAN_MASK_DIR:
		a = 0;
		break;
	}
	return a & handled_fs;
}

int ns_harden_prepare(const struct mxc_plan *p, struct ns_harden *h, struct mxc_error *reterr)
{
	int abi, r;

	memset(h, 0, sizeof(*h));
	r = seccomp_sandbox_build(EPERM, &h->seccomp);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to build the sandbox's seccomp filter: %s",
				     ns_strerror(r));

	abi = landlock_abi_version();
	if (abi < 0) {
		h->landlock_error = abi;
		log_debug("ns: seccomp filter %u instructions; Landlock unavailable (%s): "
			  "filesystem and network rules rest on the mounts and namespaces only",
			  (unsigned)h->seccomp.len, ns_strerror(abi));
		return 0;
	}
	h->landlock_abi = abi;
	h->landlock_fs = landlock_fs_rights(abi);
	/* TCP: isolated and proxy sandboxes bind nothing and connect nowhere
	 * (proxy: except to the proxy's port); behind the firewall, connect is
	 * the firewall's business and only bind is denied. */
	h->landlock_net = landlock_net_rights(abi);
	if (p->net == PLAN_NET_FIREWALL)
		h->landlock_net &= LANDLOCK_ACCESS_NET_BIND_TCP;
	else if (p->net == PLAN_NET_HOST)
		h->landlock_net = 0;
	h->landlock_scoped = landlock_scopes(abi);
	log_debug("ns: seccomp filter %u instructions; Landlock ABI %d: fs rights 0x%llx, "
		  "net rights 0x%llx (TCP bind/connect %s), scopes 0x%llx (abstract unix "
		  "sockets and signals %s)",
		  (unsigned)h->seccomp.len, abi, (unsigned long long)h->landlock_fs,
		  (unsigned long long)h->landlock_net,
		  p->net == PLAN_NET_HOST	? "allowed: host network"
		  : !h->landlock_net		? "not restricted: needs ABI 4"
		  : p->net == PLAN_NET_PROXY	? "denied except connect to the proxy port"
		  : p->net == PLAN_NET_FIREWALL ? "bind denied, connect left to the firewall"
						: "denied",
		  (unsigned long long)h->landlock_scoped,
		  h->landlock_scoped ? "scoped to the workload" : "not scoped: needs ABI 6");
	return 0;
}

void ns_harden_release(struct ns_harden *h)
{
	if (h)
		seccomp_prog_free(&h->seccomp);
}

/* ---- init ---------------------------------------------------------------- */

static int allow_path(int ruleset, const char *path, uint64_t access, bool optional,
		      struct mxc_error *e)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (access == 0)
		return 0;
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		if (optional && errno == ENOENT)
			return 0;
		r = -errno;
		goto fail;
	}
	r = landlock_allow_beneath(ruleset, fd, access);
	if (r >= 0)
		return 0;
fail:
	(void)ns_fail(e, r, "Failed to add the Landlock rule for '%s': %s", path, ns_strerror(r));
	(void)snprintf(e->where, sizeof(e->where), "%s", path);
	return r;
}

static int allow_dev(int ruleset, const struct plan_op *op, uint64_t fs, struct mxc_error *e)
{
	static const char *const nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
	char path[4096];
	int r;

	for (size_t i = 0; i < ELEMENTSOF(nodes); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", op->dst, nodes[i]);
		r = allow_path(ruleset, path, LL_DEVICE & fs, true, e);
		if (r < 0)
			return r;
	}
	(void)snprintf(path, sizeof(path), "%s/pts", op->dst);
	r = allow_path(ruleset, path, (LL_DEVICE | LANDLOCK_ACCESS_FS_READ_DIR) & fs, false, e);
	if (r < 0)
		return r;
	(void)snprintf(path, sizeof(path), "%s/shm", op->dst);
	return allow_path(ruleset, path, fs, false, e);
}

int ns_harden_init(const struct ns_child_args *a, struct mxc_error *e)
{
	const struct ns_harden *h = a->harden;
	const struct mxc_plan *p = a->plan;
	_cleanup_close_ int ruleset = -1;
	int r;

	child_seccomp = &h->seccomp;
	if (h->landlock_abi < 1)
		return 0;
	ruleset = landlock_ruleset_new(h->landlock_abi, h->landlock_fs, h->landlock_net,
				       h->landlock_scoped);
	if (ruleset < 0)
		return ns_fail(e, ruleset, "Failed to create the Landlock ruleset: %s",
			       ns_strerror(ruleset));
	/* Directory listings of the root (names only; contents follow the rules below). */
	r = allow_path(ruleset, "/", LANDLOCK_ACCESS_FS_READ_DIR, false, e);
	for (size_t i = 0; r >= 0 && i < p->n_ops; i++) {
		const struct plan_op *op = &p->ops[i];
		uint64_t access = ns_landlock_access(op, h->landlock_fs);

		if (op->kind == PLAN_BIND && a->slots[i].fd[0] == -2)
			continue; /* optional source missing: nothing was mounted */
		r = allow_path(ruleset, op->dst, access, false, e);
		if (r >= 0 && op->kind == PLAN_DEV)
			r = allow_dev(ruleset, op, h->landlock_fs, e);
	}
	if (r >= 0 && p->net == PLAN_NET_PROXY &&
	    (h->landlock_net & LANDLOCK_ACCESS_NET_CONNECT_TCP)) {
		r = landlock_allow_port(ruleset, p->proxy.port, LANDLOCK_ACCESS_NET_CONNECT_TCP);
		if (r < 0)
			r = ns_fail(e, r, "Failed to allow the proxy port %u in Landlock: %s",
				    p->proxy.port, ns_strerror(r));
	}
	if (r < 0)
		return r;
	child_ruleset_fd = TAKE_FD(ruleset);
	return 0;
}

/* ---- workload ------------------------------------------------------------ */

int ns_harden_workload(struct mxc_error *e)
{
	int r;

	if (child_ruleset_fd >= 0) {
		r = landlock_restrict(child_ruleset_fd);
		if (r < 0)
			return ns_fail(e, r, "Failed to apply the Landlock ruleset: %s",
				       ns_strerror(r));
		(void)close(child_ruleset_fd);
		child_ruleset_fd = -1;
	}
	if (child_seccomp) {
		r = seccomp_prog_install(child_seccomp);
		if (r < 0)
			return ns_fail(e, r, "Failed to load the seccomp filter: %s",
				       ns_strerror(r));
	}
	return 0;
}
