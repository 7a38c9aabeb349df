/* SPDX-License-Identifier: MIT */
/*
 * Filesystem part of the plan: baseline, /dev, /proc, /tmp, then the policy
 * paths after object-level normalisation (same inode -> most restrictive),
 * the delegation check, denied-path symlink resolution, and ordering by depth
 * so the deepest entry wins (mxc-config.md §5.2-§5.5).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "plan-internal.h"

const char *const plan_baseline_paths[] = {
	"/bin",
	"/sbin",
	"/lib",
	"/lib32",
	"/lib64",
	"/libx32",
	"/usr/bin",
	"/usr/sbin",
	"/usr/lib",
	"/usr/lib32",
	"/usr/lib64",
	"/usr/libexec",
	"/usr/share",
	"/etc",
	"/run/systemd/resolve",
	"/run/NetworkManager",
	"/run/resolvconf",
	"/mnt/wsl/resolv.conf",
	NULL,
};

/* Intents in increasing strictness; also the tie order at equal depth. */
enum intent { INTENT_READWRITE = 0, INTENT_READONLY, INTENT_DENIED };

static const char *const intent_list[] = {"readwritePaths", "readonlyPaths", "deniedPaths"};
static const char *const intent_name[] = {"readwrite", "readonly", "denied"};

struct fs_entry {
	const char *path;   /* as written (borrowed from the config) */
	enum intent list;   /* the list it was written in */
	enum intent intent; /* after object-level tightening */
	size_t index;	    /* position in input order, for a stable sort */
	int stat_err;	    /* 0, or -errno of stat() */
	struct stat st;
	char *dst; /* path inside the sandbox (owned) */
	size_t depth;
	bool skip;
	bool pin; /* an ancestor bound onto itself (see add_pins) */
};

static int collect(const struct mxc_config *c, struct fs_entry **ret, size_t *ret_n)
{
	char **const lists[] = {c->readwrite_paths, c->readonly_paths, c->denied_paths};
	size_t n = 0, k = 0;
	struct fs_entry *e;

	for (size_t l = 0; l < ELEMENTSOF(lists); l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++)
			n++;
	e = calloc(n ? n : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (size_t l = 0; l < ELEMENTSOF(lists); l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++, k++) {
			e[k].path = lists[l][i];
			e[k].list = e[k].intent = (enum intent)l;
			e[k].index = k;
		}
	*ret = e;
	*ret_n = n;
	return 0;
}

static void entries_free(struct fs_entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++)
		free(e[i].dst);
	free(e);
}

/* §5.2: paths naming the same object are tightened to the strictest intent. */
static int normalize_objects(struct fs_entry *e, size_t n, bool have_denied,
			     const struct plan_host *host, struct mxc_plan *p,
			     struct mxc_error *reterr)
{
	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		e[i].stat_err = host->stat(e[i].path, &e[i].st);
		if (e[i].stat_err == 0 || e[i].stat_err == -ENOENT || e[i].stat_err == -ENOTDIR)
			continue;
		if (have_denied)
			return mxc_error_set(reterr, -EPERM, MXC_ERROR_BACKEND,
					     "Filesystem path '%s' (%s) could not be resolved to a "
					     "filesystem object "
					     "(permission denied, unreachable mount, or I/O "
					     "error). Because deniedPaths "
					     "are present, MXC cannot verify it does not alias a "
					     "denied object and "
					     "rejects the config rather than risk bypassing the "
					     "deny. Ensure the path is "
					     "reachable, or remove the offending entry.",
					     e[i].path, intent_list[e[i].list]);
		(void)plan_note(p, "WARNING: filesystem path '%s' (%s) could not be examined: %s",
				e[i].path, intent_list[e[i].list], strerror(-e[i].stat_err));
	}
	for (size_t i = 0; i < n; i++) {
		enum intent strictest = e[i].intent;
		size_t by = i;

		if (e[i].stat_err)
			continue;
		for (size_t j = 0; j < n; j++)
			if (!e[j].stat_err && e[j].st.st_dev == e[i].st.st_dev &&
			    e[j].st.st_ino == e[i].st.st_ino && e[j].intent > strictest) {
				strictest = e[j].intent;
				by = j;
			}
		if (strictest == e[i].intent)
			continue;
		(void)plan_note(
			p,
			"Filesystem path '%s' (%s) and '%s' (%s) resolve to the same filesystem "
			"object; applying most-restrictive intent (%s) to '%s'",
			e[i].path, intent_list[e[i].list], e[by].path, intent_list[e[by].list],
			intent_name[strictest], e[i].path);
		e[i].intent = strictest;
	}
	return 0;
}

/* §5.3: the caller must be able to read (and write) what it delegates. */
static int check_delegation(struct fs_entry *e, size_t n, const struct plan_host *host,
			    struct mxc_error *reterr)
{
	for (size_t i = 0; i < n; i++) {
		int mode, r;

		if (e[i].intent == INTENT_DENIED)
			continue;
		mode = e[i].intent == INTENT_READWRITE ? (R_OK | W_OK) : R_OK;
		r = host->access(e[i].path, mode);
		if (r == 0 || r == -ENOENT || r == -ENOTDIR)
			continue;
		return mxc_error_set(
			reterr, -EACCES, MXC_ERROR_BACKEND,
			"Filesystem path '%s' (%s): the invoking user does not have %s "
			"access, so it cannot be delegated to the sandbox",
			e[i].path, intent_list[e[i].list],
			e[i].intent == INTENT_READWRITE ? "read+write" : "read");
	}
	return 0;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct fs_entry *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	if (x->intent != y->intent)
		return x->intent < y->intent ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

/* Is `path` visible inside the sandbox through some bind op already planned or to come? */
static bool visible_in_sandbox(const struct mxc_plan *p, const struct fs_entry *e, size_t n,
			       const char *path)
{
	for (size_t i = 0; i < p->n_ops; i++)
		if ((p->ops[i].kind == PLAN_BIND || p->ops[i].kind == PLAN_DEV ||
		     p->ops[i].kind == PLAN_PROC) &&
		    plan_path_is_prefix(p->ops[i].dst, path))
			return true;
	for (size_t i = 0; i < n; i++)
		if (!e[i].skip && e[i].intent != INTENT_DENIED &&
		    plan_path_is_prefix(e[i].dst, path))
			return true;
	return false;
}

/* Does a granted path lie below `path`? Then its mountpoint is created inside the denied
 * directory, which must be masked so that this skeleton is an empty read-only directory. */
static bool has_granted_descendant(const struct fs_entry *e, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].intent != INTENT_DENIED && !streq(e[i].dst, path) &&
		    plan_path_is_prefix(path, e[i].dst))
			return true;
	return false;
}

static int plan_baseline(const struct plan_host *host, struct mxc_plan *p)
{
	int r;

	for (size_t i = 0; plan_baseline_paths[i]; i++) {
		const char *path = plan_baseline_paths[i];
		struct stat st;
		char target[4096];
		int len;

		if (p->backend == MXC_BACKEND_BUBBLEWRAP) {
			/* Upstream's choice: every path as --ro-bind-try, whatever the host has
			 * there (bwrap skips what is missing and binds a symlink's target). */
			r = plan_add_op(p, PLAN_BIND, PLAN_FROM_BASELINE, path, path, NULL, true,
					true);
			if (r < 0)
				return r;
			continue;
		}
		if (host->lstat(path, &st) < 0)
			continue; /* --ro-bind-try: absent on this host */
		if (S_ISLNK(st.st_mode)) {
			len = host->readlink(path, target, sizeof(target));
			if (len < 0)
				continue;
			target[len] = '\0';
			r = plan_add_op(p, PLAN_SYMLINK, PLAN_FROM_BASELINE, target, path, NULL,
					true, false);
		} else {
			r = plan_add_op(p, PLAN_BIND, PLAN_FROM_BASELINE, path, path, NULL, true,
					true);
		}
		if (r < 0)
			return r;
	}
	/* So /var/run/... resolv.conf links resolve (upstream: --symlink /run /var/run). */
	r = plan_add_op(p, PLAN_SYMLINK, PLAN_FROM_BASELINE, "/run", "/var/run", NULL, true, false);
	if (r >= 0)
		r = plan_add_op(p, PLAN_DEV, PLAN_FROM_SYSTEM, NULL, "/dev", NULL, false, false);
	if (r >= 0)
		r = plan_add_op(p, PLAN_PROC, PLAN_FROM_SYSTEM, NULL, "/proc", NULL, false, false);
	if (r >= 0)
		r = plan_add_op(p, PLAN_TMPFS, PLAN_FROM_SYSTEM, NULL, "/tmp", NULL, false, false);
	return r;
}

/* Work out each entry's destination; the missing-source and symlink rules. */
static int resolve_entries(struct fs_entry *e, size_t n, const struct plan_host *host,
			   struct mxc_plan *p, struct mxc_error *reterr)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int r;

		if (e[i].path[0] != '/')
			return mxc_error_set(reterr, -EINVAL, MXC_ERROR_BACKEND,
					     "Filesystem path '%s' (%s) is not an absolute path",
					     e[i].path, intent_list[e[i].list]);
		if (e[i].intent != INTENT_DENIED) {
			r = host->stat(e[i].path, &st);
			if (r < 0)
				return mxc_error_set(
					reterr, r, MXC_ERROR_BACKEND,
					"Filesystem path '%s' (%s) cannot be granted: %s",
					e[i].path, intent_list[e[i].list],
					r == -ENOENT || r == -ENOTDIR
						? "it does not exist on the host"
						: strerror(-r));
			if (S_ISSOCK(st.st_mode))
				(void)plan_note(
					p,
					"WARNING: %s entry '%s' is a Unix socket; the workload can "
					"connect to it (see docs/security.md, known limits)",
					intent_list[e[i].list], e[i].path);
			r = plan_path_normalize(e[i].path, &e[i].dst);
		} else {
			r = plan_resolve_through_symlinks(host, e[i].path, &e[i].dst);
			if (r < 0)
				return mxc_error_set(
					reterr, r, MXC_ERROR_BACKEND,
					"deniedPaths entry '%s' cannot be resolved: %s", e[i].path,
					strerror(-r));
		}
		if (r < 0)
			return r;
		e[i].depth = plan_path_depth(e[i].dst);
	}
	return 0;
}

static int emit_entry(struct fs_entry *x, const struct plan_host *host, struct mxc_plan *p)
{
	static const enum plan_origin origin[] = {PLAN_FROM_READWRITE, PLAN_FROM_READONLY,
						  PLAN_FROM_DENIED};
	_cleanup_free_ char *norm = NULL;
	struct stat st;
	int r;

	if (x->pin)
		return plan_add_op(p, PLAN_BIND, PLAN_FROM_READWRITE, x->dst, x->dst, x->path,
				   false, false);
	if (x->intent != INTENT_DENIED)
		return plan_add_op(p, PLAN_BIND, origin[x->list], x->path, x->dst, x->path,
				   x->intent == INTENT_READONLY, false);

	r = plan_path_normalize(x->path, &norm);
	if (r < 0)
		return r;
	if (!streq(norm, x->dst))
		(void)plan_note(
			p,
			"deniedPaths entry '%s' resolves through a symlink; masking its real "
			"path '%s' instead.",
			x->path, x->dst);
	r = host->lstat(x->dst, &st);
	if (r < 0) {
		(void)plan_note(
			p, "deniedPaths entry '%s' does not exist on the host; nothing to mask",
			x->path);
		return 0;
	}
	return plan_add_op(p, S_ISDIR(st.st_mode) ? PLAN_MASK_DIR : PLAN_MASK_FILE, origin[x->list],
			   S_ISDIR(st.st_mode) ? NULL : "/dev/null", x->dst, x->path, true, false);
}

/* The deepest granted (non-denied) entry strictly above `path`, or NULL. */
static const struct fs_entry *cover_of(const struct fs_entry *e, size_t n, const char *path)
{
	const struct fs_entry *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (e[i].intent != INTENT_DENIED && !streq(e[i].dst, path) &&
		    plan_path_is_prefix(e[i].dst, path) && (!best || e[i].depth > best->depth))
			best = &e[i];
	return best;
}

static bool has_entry_at(const struct fs_entry *e, size_t n, const char *dst)
{
	for (size_t i = 0; i < n; i++)
		if (streq(e[i].dst, dst))
			return true;
	return false;
}

/*
 * A read-only grant or a mask inside a read-write grant could be moved away on
 * the host by renaming one of its parent directories (a rename may carry a
 * mount point along), and another file put in its place. Every directory
 * between the read-write grant and the protected path is therefore bound onto
 * itself: a mount point cannot be renamed or removed (EBUSY).
 */
static int add_pins(struct fs_entry **pe, size_t *pn, const struct plan_host *host,
		    struct mxc_plan *p)
{
	size_t n0 = *pn;

	for (size_t i = 0; i < n0; i++) {
		const struct fs_entry *cover;
		const char *cover_path;
		size_t cover_depth;
		char anc[PATH_MAX];
		struct stat st;
		char *slash;

		if ((*pe)[i].intent == INTENT_READWRITE || host->lstat((*pe)[i].dst, &st) < 0)
			continue;
		cover = cover_of(*pe, *pn, (*pe)[i].dst);
		if (!cover || cover->intent != INTENT_READWRITE ||
		    strlen((*pe)[i].dst) >= sizeof(anc))
			continue;
		/* Values, not the pointer: the array grows below. */
		cover_path = cover->path;
		cover_depth = cover->depth;
		strcpy(anc, (*pe)[i].dst);
		while ((slash = strrchr(anc, '/')) && slash != anc) {
			struct fs_entry *ne;

			*slash = '\0';
			if (plan_path_depth(anc) <= cover_depth)
				break;
			if (has_entry_at(*pe, *pn, anc) || host->stat(anc, &st) < 0 ||
			    !S_ISDIR(st.st_mode))
				continue;
			ne = realloc(*pe, (*pn + 1) * sizeof(*ne));
			if (!ne)
				return -ENOMEM;
			*pe = ne;
			ne[*pn] = (struct fs_entry){.path = cover_path,
						    .list = INTENT_READWRITE,
						    .intent = INTENT_READWRITE,
						    .index = *pn,
						    .pin = true,
						    .depth = plan_path_depth(anc)};
			ne[*pn].dst = strdup(anc);
			if (!ne[*pn].dst)
				return -ENOMEM;
			(void)plan_note(
				p,
				"'%s' is bound onto itself so that it cannot be renamed: it "
				"holds protected path '%s' inside read-write '%s'",
				anc, (*pe)[i].dst, cover_path);
			(*pn)++;
		}
	}
	return 0;
}

int plan_compile_filesystem(const struct mxc_config *c, const struct plan_host *host,
			    struct mxc_plan *p, struct mxc_error *reterr)
{
	struct fs_entry *e = NULL;
	size_t n = 0;
	int r;

	r = plan_baseline(host, p);
	if (r < 0)
		return r;
	r = collect(c, &e, &n);
	if (r < 0)
		return r;
	r = normalize_objects(e, n, c->denied_paths && c->denied_paths[0], host, p, reterr);
	if (r >= 0)
		r = check_delegation(e, n, host, reterr);
	if (r >= 0)
		r = resolve_entries(e, n, host, p, reterr);
	if (r >= 0)
		r = add_pins(&e, &n, host, p);
	if (r < 0)
		goto out;
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_entries);
	for (size_t i = 0; i < n; i++) {
		/* A denied path nothing makes visible needs no mask. */
		if (e[i].intent == INTENT_DENIED && !visible_in_sandbox(p, e, n, e[i].dst) &&
		    !has_granted_descendant(e, n, e[i].dst)) {
			(void)plan_note(
				p,
				"deniedPaths entry '%s' is not visible in the sandbox; no mask "
				"needed",
				e[i].path);
			e[i].skip = true;
			continue;
		}
		r = emit_entry(&e[i], host, p);
		if (r < 0)
			goto out;
	}
out:
	entries_free(e, n);
	return r;
}
