/* SPDX-License-Identifier: MIT */
/*
 * The sandbox's root filesystem, built in the child in two phases:
 *
 *   prepare (host view, before the id maps exist):
 *     / made MS_REC|MS_PRIVATE; every bind source cloned as a detached tree
 *     (open_tree) with its attributes set (mount_setattr, AT_RECURSIVE);
 *     procfs, devpts and every tmpfs created detached (fsmount); then the
 *     root tmpfs attached and pivoted into, and the old root detached.
 *   attach (new root, after the id maps, since creating files needs them):
 *     for each op in order, create its mountpoint and move_mount the tree;
 *     finally the root tmpfs and the masked directories made read-only.
 *
 * Destinations are resolved after pivot_root, so symlinks in them can only
 * lead inside the new root. No malloc here (see ns-internal.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "ns-internal.h"
#include "os/mount.h"

#define BIND_ATTRS (MNT_ATTR_NOSUID | MNT_ATTR_NODEV)

/* Slots of a PLAN_DEV op. */
enum {
	DEV_TMPFS = 0,
	DEV_NODE_FIRST = 1, /* .. DEV_NODE_FIRST + ELEMENTSOF(dev_nodes) - 1 */
	DEV_PTS = 7,
	DEV_SHM = 8,
};
static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};

const char *ns_strerror(int code)
{
	const char *s = strerrordesc_np(code < 0 ? -code : code);

	return s ? s : "Unknown error";
}

int ns_fail(struct mxc_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (code >= 0)
		code = -EIO;
	e->code = code;
	e->kind = MXC_ERROR_BACKEND;
	(void)snprintf(e->type, sizeof(e->type), "backend_error");
	va_start(ap, fmt);
	(void)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

static const char *origin_word(const struct plan_op *op)
{
	switch (op->origin) {
	case PLAN_FROM_READONLY:
		return "readonly";
	case PLAN_FROM_READWRITE:
		return "readwrite";
	case PLAN_FROM_DENIED:
		return "denied";
	case PLAN_FROM_SYSTEM:
		return "system";
	case PLAN_FROM_BASELINE:
	default:
		return op->readonly ? "readonly baseline" : "baseline";
	}
}

static int fail_op(struct mxc_error *e, const struct plan_op *op, const char *what, int r)
{
	(void)ns_fail(e, r, "Failed to %s %s path '%s' at '%s': %s", what, origin_word(op),
		      op->src ? op->src : op->dst, op->dst, ns_strerror(r));
	(void)snprintf(e->where, sizeof(e->where), "%s", op->policy ? op->policy : op->dst);
	return r;
}

static int fail_path(struct mxc_error *e, const char *what, const char *path, int r)
{
	(void)ns_fail(e, r, "Failed to %s '%s' in the sandbox: %s", what, path, ns_strerror(r));
	(void)snprintf(e->where, sizeof(e->where), "%s", path);
	return r;
}

static int new_tmpfs(const char *mode, uint64_t attrs, int *ret_fd)
{
	char opt[32];
	const char *opts[] = {opt, NULL};

	(void)snprintf(opt, sizeof(opt), "mode=%s", mode);
	return mount_new_fs("tmpfs", opts, attrs, ret_fd);
}

/* A writable tmpfs capped at `size_mib` and proportionally many inodes
 * (empty files cost kernel memory but no blocks). */
static int new_tmpfs_capped(const char *mode, uint64_t size_mib, uint64_t attrs, int *ret_fd)
{
	char opt[3][48];
	const char *opts[] = {opt[0], opt[1], opt[2], NULL};
	uint64_t inodes = size_mib * 128 < 4096 ? 4096 : size_mib * 128;

	(void)snprintf(opt[0], sizeof(opt[0]), "mode=%s", mode);
	(void)snprintf(opt[1], sizeof(opt[1]), "size=%llum", (unsigned long long)size_mib);
	(void)snprintf(opt[2], sizeof(opt[2]), "nr_inodes=%llu", (unsigned long long)inodes);
	if (!size_mib)
		opts[1] = NULL;
	return mount_new_fs("tmpfs", opts, attrs, ret_fd);
}

static int prepare_dev(const struct plan_op *op, struct ns_op_slot *s, uint64_t shm_mib,
		       struct mxc_error *e)
{
	static const char *const pts_opts[] = {"newinstance", "ptmxmode=0666", "mode=0620", NULL};
	char path[64];
	int r;

	/* /dev itself holds only mountpoints and symlinks: 1 MiB is plenty. */
	r = new_tmpfs_capped("0755", 1, MNT_ATTR_NOSUID | MNT_ATTR_NODEV | MNT_ATTR_NOEXEC,
			     &s->fd[DEV_TMPFS]);
	if (r < 0)
		return fail_path(e, "create the /dev tmpfs for", op->dst, r);
	for (size_t i = 0; i < ELEMENTSOF(dev_nodes); i++) {
		int *fd = &s->fd[DEV_NODE_FIRST + i];

		(void)snprintf(path, sizeof(path), "/dev/%s", dev_nodes[i]);
		r = mount_clone_tree(path, false, fd, NULL);
		if (r == -ENOENT || r == -ENXIO) {
			*fd = -2;
			continue;
		}
		/* Device nodes cannot be nodev, of course. */
		if (r >= 0)
			r = mount_set_attr(*fd, MNT_ATTR_NOSUID | MNT_ATTR_NOEXEC, 0, false);
		if (r < 0)
			return fail_path(e, "bind the host device", path, r);
	}
	r = mount_new_fs("devpts", pts_opts, MNT_ATTR_NOSUID | MNT_ATTR_NOEXEC, &s->fd[DEV_PTS]);
	if (r < 0)
		return fail_path(e, "mount a devpts instance for", op->dst, r);
	r = new_tmpfs_capped("1777", shm_mib, MNT_ATTR_NOSUID | MNT_ATTR_NODEV, &s->fd[DEV_SHM]);
	if (r < 0)
		return fail_path(e, "mount the shm tmpfs for", op->dst, r);
	return 0;
}

static int prepare_op(const struct plan_op *op, struct ns_op_slot *s, uint64_t tmp_mib,
		      struct mxc_error *e)
{
	uint64_t attrs;
	int r;

	switch (op->kind) {
	case PLAN_BIND:
		r = mount_clone_tree(op->src, true, &s->fd[0], &s->is_dir);
		if (r == -ENOENT && op->try_) {
			s->fd[0] = -2;
			return 0;
		}
		if (r < 0)
			return fail_op(e, op, "mount", r);
		attrs = BIND_ATTRS | (op->readonly ? MNT_ATTR_RDONLY : 0);
		r = mount_set_attr(s->fd[0], attrs, 0, true);
		if (r < 0)
			return fail_op(e, op, "set the mount flags of", r);
		return 0;
	case PLAN_MASK_FILE:
		/* /dev/null must stay a device: no nodev here. */
		r = mount_clone_tree("/dev/null", false, &s->fd[0], &s->is_dir);
		if (r >= 0)
			r = mount_set_attr(s->fd[0],
					   MNT_ATTR_RDONLY | MNT_ATTR_NOSUID | MNT_ATTR_NOEXEC, 0,
					   false);
		if (r < 0)
			return fail_op(e, op, "mask", r);
		return 0;
	case PLAN_TMPFS:
	case PLAN_MASK_DIR:
		s->is_dir = true;
		/* The writable /tmp is capped (limits.tmpMiB); a mask is sealed read-only. */
		r = new_tmpfs_capped("0755", op->kind == PLAN_TMPFS ? tmp_mib : 1,
				     BIND_ATTRS | (op->kind == PLAN_MASK_DIR ? MNT_ATTR_NOEXEC : 0),
				     &s->fd[0]);
		if (r < 0)
			return fail_op(e, op, "mount a tmpfs for", r);
		return 0;
	case PLAN_PROC:
		/* Must happen while the host's procfs is visible (the kernel refuses
		 * a new procfs in a user namespace otherwise). */
		s->is_dir = true;
		r = mount_new_fs("proc", NULL, BIND_ATTRS | MNT_ATTR_NOEXEC, &s->fd[0]);
		if (r < 0)
			return fail_path(e, "mount procfs at", op->dst, r);
		return 0;
	case PLAN_DEV:
		s->is_dir = true;
		return prepare_dev(op, s, tmp_mib, e);
	case PLAN_SYMLINK:
		return 0;
	}
	return ns_fail(e, -EINVAL, "Unknown plan operation %d", (int)op->kind);
}

int ns_rootfs_prepare(const struct ns_child_args *a, int *ret_rootfd, struct mxc_error *e)
{
	const struct mxc_plan *p = a->plan;
	int rootfd = -1, r;

	r = mount_make_rprivate();
	if (r < 0)
		return ns_fail(e, r, "Failed to make '/' private in the sandbox: %s",
			       ns_strerror(r));
	for (size_t i = 0; i < p->n_ops; i++) {
		r = prepare_op(&p->ops[i], &a->slots[i], p->limits.l[MXC_LIMIT_TMP_MIB].value, e);
		if (r < 0)
			return r;
	}
	r = new_tmpfs("0755", BIND_ATTRS, &rootfd);
	if (r < 0)
		return ns_fail(e, r, "Failed to mount the sandbox root tmpfs: %s", ns_strerror(r));
	r = mount_pivot_into(rootfd);
	if (r < 0) {
		(void)close(rootfd);
		return ns_fail(e, r, "Failed to pivot into the sandbox root: %s", ns_strerror(r));
	}
	*ret_rootfd = rootfd;
	return 0;
}

static int attach_at(int fd, const char *dst, bool is_dir)
{
	int r;

	r = mount_make_mountpoint(dst, is_dir);
	if (r < 0)
		return r;
	return mount_attach(fd, dst);
}

static int make_symlink(const char *target, const char *dst)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(dst, '/');
	int r;

	if (slash && slash > dst && (size_t)(slash - dst) < sizeof(parent)) {
		memcpy(parent, dst, (size_t)(slash - dst));
		parent[slash - dst] = '\0';
		r = mount_mkdir_p(parent, 0755);
		if (r < 0)
			return r;
	}
	if (symlink(target, dst) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int attach_dev(const struct plan_op *op, struct ns_op_slot *s, struct mxc_error *e)
{
	static const char *const links[][2] = {
		{"ptmx", "pts/ptmx"},	       {"fd", "/proc/self/fd"},
		{"stdin", "/proc/self/fd/0"},  {"stdout", "/proc/self/fd/1"},
		{"stderr", "/proc/self/fd/2"},
	};
	char path[PATH_MAX];
	int r;

	r = attach_at(s->fd[DEV_TMPFS], op->dst, true);
	if (r < 0)
		return fail_path(e, "mount /dev at", op->dst, r);
	for (size_t i = 0; i < ELEMENTSOF(dev_nodes); i++) {
		if (s->fd[DEV_NODE_FIRST + i] < 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", op->dst, dev_nodes[i]);
		r = attach_at(s->fd[DEV_NODE_FIRST + i], path, false);
		if (r < 0)
			return fail_path(e, "bind a device at", path, r);
	}
	(void)snprintf(path, sizeof(path), "%s/pts", op->dst);
	r = attach_at(s->fd[DEV_PTS], path, true);
	if (r < 0)
		return fail_path(e, "mount devpts at", path, r);
	(void)snprintf(path, sizeof(path), "%s/shm", op->dst);
	r = attach_at(s->fd[DEV_SHM], path, true);
	if (r < 0)
		return fail_path(e, "mount a tmpfs at", path, r);
	for (size_t i = 0; i < ELEMENTSOF(links); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", op->dst, links[i][0]);
		r = make_symlink(links[i][1], path);
		if (r < 0)
			return fail_path(e, "create the symlink", path, r);
	}
	return 0;
}

static int attach_op(const struct plan_op *op, struct ns_op_slot *s, struct mxc_error *e)
{
	int r;

	switch (op->kind) {
	case PLAN_BIND:
		if (s->fd[0] == -2)
			return 0;
		r = attach_at(s->fd[0], op->dst, s->is_dir);
		return r < 0 ? fail_op(e, op, "mount", r) : 0;
	case PLAN_MASK_FILE:
		r = attach_at(s->fd[0], op->dst, false);
		return r < 0 ? fail_op(e, op, "mask", r) : 0;
	case PLAN_TMPFS:
	case PLAN_MASK_DIR:
		r = attach_at(s->fd[0], op->dst, true);
		return r < 0 ? fail_op(e, op, "mount a tmpfs for", r) : 0;
	case PLAN_PROC:
		r = attach_at(s->fd[0], op->dst, true);
		return r < 0 ? fail_path(e, "mount procfs at", op->dst, r) : 0;
	case PLAN_DEV:
		return attach_dev(op, s, e);
	case PLAN_SYMLINK:
		r = make_symlink(op->src, op->dst);
		return r < 0 ? fail_path(e, "create the symlink", op->dst, r) : 0;
	}
	return ns_fail(e, -EINVAL, "Unknown plan operation %d", (int)op->kind);
}

/* A proxy endpoint given by name, pinned (lib/backend/netctl.c): the file is
 * written on the root tmpfs, bound read-only over /etc/hosts (after every
 * policy mount, so it wins), and its name on the root removed again. */
static int attach_hosts(const char *content, struct mxc_error *e)
{
	static const char tmp[] = "/.mxc-hosts";
	size_t len = strlen(content);
	int fd, t = -1, r;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return fail_path(e, "write the pinned hosts file for", "/etc/hosts", -errno);
	r = write(fd, content, len) == (ssize_t)len ? 0 : -EIO;
	(void)close(fd);
	if (r >= 0)
		r = mount_clone_tree(tmp, false, &t, NULL);
	if (r >= 0)
		r = mount_set_attr(t, BIND_ATTRS | MNT_ATTR_RDONLY | MNT_ATTR_NOEXEC, 0, false);
	if (r >= 0)
		r = attach_at(t, "/etc/hosts", false);
	if (t >= 0)
		(void)close(t);
	(void)unlink(tmp);
	return r < 0 ? fail_path(e, "pin the proxy endpoint in", "/etc/hosts", r) : 0;
}

int ns_rootfs_attach(const struct ns_child_args *a, int rootfd, struct mxc_error *e)
{
	const struct mxc_plan *p = a->plan;
	int r;

	for (size_t i = 0; i < p->n_ops; i++) {
		r = attach_op(&p->ops[i], &a->slots[i], e);
		if (r < 0)
			return r;
	}
	if (a->hosts) {
		r = attach_hosts(a->hosts, e);
		if (r < 0)
			return r;
	}
	/* Seal: the root tmpfs, then every masked directory (only that mount:
	 * deeper readwrite paths stay writable). */
	r = mount_set_attr(rootfd, MNT_ATTR_RDONLY, 0, false);
	if (r < 0)
		return ns_fail(e, r, "Failed to make the sandbox root read-only: %s",
			       ns_strerror(r));
	for (size_t i = 0; i < p->n_ops; i++) {
		if (p->ops[i].kind != PLAN_MASK_DIR)
			continue;
		r = mount_set_attr(a->slots[i].fd[0], MNT_ATTR_RDONLY, 0, false);
		if (r < 0)
			return fail_op(e, &p->ops[i], "make read-only the mask of", r);
	}
	for (size_t i = 0; i < p->n_ops; i++)
		for (size_t j = 0; j < NS_OP_MAX_FDS; j++)
			if (a->slots[i].fd[j] >= 0)
				(void)close(a->slots[i].fd[j]);
	return 0;
}
