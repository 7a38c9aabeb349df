/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "cgroup.h"

#define CGROUP_PREFIX "mxc-"

struct cgroup {
	enum cgroup_version version;
	unsigned controllers;
	bool memsw;
	char name[64];
	char path[_CGROUP_V1_MAX][PATH_MAX]; /* "" if unused; v2 uses path[0] */
	int dirfd;			     /* v2 only */
	int tasks_fd[_CGROUP_V1_MAX];	     /* v1: cgroup_open_self_attach(), -1 if not open */
};

static const char *const v1_names[_CGROUP_V1_MAX] = {"memory", "pids", "cpu"};
static const unsigned v1_bits[_CGROUP_V1_MAX] = {CGROUP_CTRL_MEMORY, CGROUP_CTRL_PIDS,
						 CGROUP_CTRL_CPU};

/* ---- small file helpers --------------------------------------------------- */

static int write_at(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX + 64];
	size_t len = strlen(value);
	ssize_t n;
	int fd, r = 0;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	(void)close(fd);
	return r;
}

static int write_u64_at(const char *dir, const char *file, uint64_t v)
{
	char buf[32];

	(void)snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return write_at(dir, file, buf);
}

/* Read a small file into buf (NUL-terminated). */
static int read_at(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX + 64];
	size_t off = 0;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (off + 1 < size) {
		ssize_t n = read(fd, buf + off, size - 1 - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	(void)close(fd);
	return (int)off;
}

static bool has_word(const char *list, const char *word, const char *seps)
{
	size_t l = strlen(word);

	for (const char *p = list; *p;) {
		size_t k = strcspn(p, seps);
		if (k == l && strncmp(p, word, l) == 0)
			return true;
		p += k;
		p += strspn(p, seps);
	}
	return false;
}

static bool fs_is(const char *path, long magic)
{
	struct statfs s;

	return statfs(path, &s) == 0 && (long)s.f_type == magic;
}

#define CGROUP_SUPER_MAGIC_  0x27e0eb
#define CGROUP2_SUPER_MAGIC_ 0x63677270

/* ---- probing ------------------------------------------------------------- */

/* A whole /proc text file (malloc'ed, NUL-terminated), or NULL. Read once per
 * probe: procfs renders mountinfo anew on every read, which is the probe's
 * main cost on a host with many mounts. */
static char *read_proc_text(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, size = 0;

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		if (size - len < 4096) {
			char *nb;

			if (size > (64u << 20))
				return NULL;
			size = size ? size * 2 : 16384;
			nb = realloc(buf, size);
			if (!nb)
				return NULL;
			buf = nb;
		}
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!buf)
		return calloc(1, 1);
	buf[len] = '\0';
	return TAKE_PTR(buf);
}

/* Copy the line at *p into line (cut at size - 1 bytes), advance *p past it. */
static bool next_line(const char **p, char *line, size_t size)
{
	const char *nl;
	size_t len;

	if (!**p)
		return false;
	nl = strchrnul(*p, '\n');
	len = (size_t)(nl - *p) < size - 1 ? (size_t)(nl - *p) : size - 1;
	memcpy(line, *p, len);
	line[len] = '\0';
	*p = *nl ? nl + 1 : nl;
	return true;
}

/* The mount of a cgroup hierarchy: fstype "cgroup2", or "cgroup" with
 * `controller` among its super options. */
static bool find_mount(const char *mountinfo, const char *fstype, const char *controller,
		       char *ret_mnt, char *ret_root)
{
	char line[4096];

	if (!mountinfo)
		return false;
	while (next_line(&mountinfo, line, sizeof(line))) {
		char root[PATH_MAX], mnt[PATH_MAX], fs[64], opts[1024];
		char *dash = strstr(line, " - ");

		if (!dash)
			continue;
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2)
			continue;
		if (sscanf(dash + 3, "%63s %*s %1023s", fs, opts) != 2)
			continue;
		if (strcmp(fs, fstype) != 0)
			continue;
		if (controller && !has_word(opts, controller, ","))
			continue;
		if (strchr(mnt, '\\')) /* escaped (unusual) mount point: not ours to guess */
			continue;
		strcpy(ret_mnt, mnt);
		strcpy(ret_root, root);
		return true;
	}
	return false;
}

/* The caller's cgroup path in the hierarchy whose /proc/self/cgroup
 * controller list contains `controller` ("" for the v2 line "0::"). */
static bool own_path(const char *cgroups, const char *controller, char *ret, size_t size)
{
	char line[4096];

	if (!cgroups)
		return false;
	while (next_line(&cgroups, line, sizeof(line))) {
		char *c1 = strchr(line, ':'), *c2;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c2 = '\0';
		if (controller[0] ? !has_word(c1 + 1, controller, ",")
				  : !(line[0] == '0' && c1 == line + 1 && c1[1] == '\0'))
			continue;
		if (snprintf(ret, size, "%s", c2 + 1) >= (int)size)
			return false;
		return true;
	}
	return false;
}

/* mount point + the caller's path, with the mount's own root stripped. */
static bool join_dir(const char *mnt, const char *root, const char *path, char *ret, size_t size)
{
	size_t rl = strlen(root);

	if (strcmp(root, "/") != 0 && strncmp(path, root, rl) == 0 &&
	    (path[rl] == '/' || path[rl] == '\0'))
		path += rl;
	if (strcmp(path, "/") == 0)
		path = "";
	return snprintf(ret, size, "%s%s", mnt, path) < (int)size;
}

static unsigned v2_controller_bits(const char *list)
{
	unsigned bits = 0;

	for (size_t i = 0; i < _CGROUP_V1_MAX; i++)
		if (has_word(list, v1_names[i], " \n"))
			bits |= v1_bits[i];
	return bits;
}

static bool probe_v2(const char *mountinfo, const char *cgroups, struct cgroup_host *h)
{
	char mnt[PATH_MAX], root[PATH_MAX], path[PATH_MAX], dir[PATH_MAX], buf[512];

	if (!find_mount(mountinfo, "cgroup2", NULL, mnt, root) || !fs_is(mnt, CGROUP2_SUPER_MAGIC_))
		return false;
	if (!own_path(cgroups, "", path, sizeof(path)) ||
	    !join_dir(mnt, root, path, dir, sizeof(dir)))
		return false;
	if (strcmp(dir, mnt) == 0) {
		/* The root cgroup: no internal-process rule, enable what it has. */
		if (access(dir, W_OK) < 0 ||
		    read_at(dir, "cgroup.controllers", buf, sizeof(buf)) < 0)
			return false;
		h->controllers = v2_controller_bits(buf);
		h->root_parent = true;
	} else {
		/* A leaf the caller lives in: siblings go into its (delegated) parent. */
		char *slash = strrchr(dir, '/');
		char procs[PATH_MAX + 16];

		if (!slash || slash == dir)
			return false;
		*slash = '\0';
		(void)snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		if (access(dir, W_OK) < 0 || access(procs, W_OK) < 0 ||
		    read_at(dir, "cgroup.subtree_control", buf, sizeof(buf)) < 0)
			return false;
		h->controllers = v2_controller_bits(buf);
		h->root_parent = false;
	}
	if (!(h->controllers & (CGROUP_CTRL_MEMORY | CGROUP_CTRL_PIDS))) {
		h->controllers = 0;
		return false;
	}
	h->version = CGROUP_V2;
	(void)snprintf(h->parent[0], sizeof(h->parent[0]), "%s", dir);
	return true;
}

static bool probe_v1(const char *mountinfo, const char *cgroups, struct cgroup_host *h)
{
	for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
		char mnt[PATH_MAX], root[PATH_MAX], path[PATH_MAX], dir[PATH_MAX];

		if (!find_mount(mountinfo, "cgroup", v1_names[i], mnt, root) ||
		    !fs_is(mnt, CGROUP_SUPER_MAGIC_))
			continue;
		if (!own_path(cgroups, v1_names[i], path, sizeof(path)) ||
		    !join_dir(mnt, root, path, dir, sizeof(dir)))
			continue;
		if (access(dir, W_OK) < 0)
			continue;
		(void)snprintf(h->parent[i], sizeof(h->parent[i]), "%s", dir);
		h->controllers |= v1_bits[i];
		if (i == CGROUP_V1_MEMORY) {
			char f[PATH_MAX + 40];
			(void)snprintf(f, sizeof(f), "%s/memory.memsw.limit_in_bytes", dir);
			h->memsw = access(f, F_OK) == 0;
		}
	}
	if (!h->controllers)
		return false;
	h->version = CGROUP_V1;
	return true;
}

void cgroup_probe(struct cgroup_host *ret)
{
	_cleanup_free_ char *mountinfo = read_proc_text("/proc/self/mountinfo");
	_cleanup_free_ char *cgroups = read_proc_text("/proc/self/cgroup");

	memset(ret, 0, sizeof(*ret));
	if (probe_v2(mountinfo, cgroups, ret)) {
		if ((ret->controllers & 7u) != 7u)
			ret->why_not = "the writable cgroup v2 subtree lacks some controllers";
		return;
	}
	memset(ret, 0, sizeof(*ret));
	if (probe_v1(mountinfo, cgroups, ret)) {
		if ((ret->controllers & 7u) != 7u)
			ret->why_not = "some cgroup v1 controllers are missing or not writable";
		return;
	}
	memset(ret, 0, sizeof(*ret));
	ret->why_not = "no cgroup v2 subtree with the memory or pids controller and no cgroup v1 "
		       "controller hierarchy is writable by this user";
}

/* ---- one sandbox's cgroup ------------------------------------------------- */

const char *cgroup_name(const struct cgroup *cg)
{
	return cg->name;
}

const char *cgroup_path(const struct cgroup *cg)
{
	for (size_t i = 0; i < _CGROUP_V1_MAX; i++)
		if (cg->path[i][0])
			return cg->path[i];
	return "";
}

int cgroup_dirfd(const struct cgroup *cg)
{
	return cg->version == CGROUP_V2 ? cg->dirfd : -1;
}

/* Each distinct directory once (co-mounted v1 controllers share one). */
static bool path_seen(const struct cgroup *cg, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(cg->path[j], cg->path[i]) == 0)
			return true;
	return false;
}

int cgroup_create(const struct cgroup_host *h, unsigned controllers, struct cgroup **ret)
{
	_cleanup_free_ struct cgroup *cg = NULL;
	uint32_t rnd = 0;
	int r;

	if (h->version == CGROUP_NONE || !controllers || (controllers & ~h->controllers))
		return -EOPNOTSUPP;
	cg = calloc(1, sizeof(*cg));
	if (!cg)
		return -ENOMEM;
	cg->version = h->version;
	cg->controllers = controllers;
	cg->memsw = h->memsw;
	cg->dirfd = -1;
	for (size_t i = 0; i < _CGROUP_V1_MAX; i++)
		cg->tasks_fd[i] = -1;
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 12;
	(void)snprintf(cg->name, sizeof(cg->name), CGROUP_PREFIX "%d-%08" PRIx32, (int)getpid(),
		       rnd);

	if (h->version == CGROUP_V2) {
		char buf[512];
		unsigned have;

		if (h->root_parent)
			for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
				char add[16];
				if (!(controllers & v1_bits[i]))
					continue;
				(void)snprintf(add, sizeof(add), "+%s", v1_names[i]);
				(void)write_at(h->parent[0], "cgroup.subtree_control", add);
			}
		if (snprintf(cg->path[0], sizeof(cg->path[0]), "%s/%s", h->parent[0], cg->name) >=
		    (int)sizeof(cg->path[0]))
			return -ENAMETOOLONG;
		if (mkdir(cg->path[0], 0755) < 0)
			return -errno;
		r = read_at(cg->path[0], "cgroup.controllers", buf, sizeof(buf));
		have = r >= 0 ? v2_controller_bits(buf) : 0;
		cg->dirfd = open(cg->path[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (r < 0 || (controllers & ~have) || cg->dirfd < 0) {
			r = r < 0 ? r : cg->dirfd < 0 ? -errno : -EOPNOTSUPP;
			(void)cgroup_destroy(TAKE_PTR(cg));
			return r;
		}
		*ret = TAKE_PTR(cg);
		return 0;
	}

	for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
		if (!(controllers & v1_bits[i]))
			continue;
		if (snprintf(cg->path[i], sizeof(cg->path[i]), "%s/%s", h->parent[i], cg->name) >=
		    (int)sizeof(cg->path[i])) {
			cg->path[i][0] = '\0';
			(void)cgroup_destroy(TAKE_PTR(cg));
			return -ENAMETOOLONG;
		}
		if (path_seen(cg, i))
			continue;
		if (mkdir(cg->path[i], 0755) < 0) {
			r = -errno;
			cg->path[i][0] = '\0';
			(void)cgroup_destroy(TAKE_PTR(cg));
			return r;
		}
	}
	*ret = TAKE_PTR(cg);
	return 0;
}

int cgroup_set_memory(struct cgroup *cg, uint64_t bytes)
{
	int r;

	if (!(cg->controllers & CGROUP_CTRL_MEMORY))
		return -EOPNOTSUPP;
	if (cg->version == CGROUP_V2) {
		r = write_u64_at(cg->path[0], "memory.max", bytes);
		if (r >= 0) {
			int k = write_at(cg->path[0], "memory.swap.max", "0");
			if (k < 0 && k != -ENOENT)
				r = k;
		}
		return r;
	}
	r = write_u64_at(cg->path[CGROUP_V1_MEMORY], "memory.limit_in_bytes", bytes);
	if (r >= 0 && cg->memsw)
		r = write_u64_at(cg->path[CGROUP_V1_MEMORY], "memory.memsw.limit_in_bytes", bytes);
	return r;
}

int cgroup_set_pids(struct cgroup *cg, uint64_t max)
{
	if (!(cg->controllers & CGROUP_CTRL_PIDS))
		return -EOPNOTSUPP;
	return write_u64_at(cg->path[cg->version == CGROUP_V2 ? 0 : CGROUP_V1_PIDS], "pids.max",
			    max);
}

int cgroup_set_cpu(struct cgroup *cg, uint64_t quota_us, uint64_t period_us)
{
	char buf[64];
	int r;

	if (!(cg->controllers & CGROUP_CTRL_CPU))
		return -EOPNOTSUPP;
	if (cg->version == CGROUP_V2) {
		(void)snprintf(buf, sizeof(buf), "%" PRIu64 " %" PRIu64, quota_us, period_us);
		return write_at(cg->path[0], "cpu.max", buf);
	}
	r = write_u64_at(cg->path[CGROUP_V1_CPU], "cpu.cfs_period_us", period_us);
	if (r >= 0)
		r = write_u64_at(cg->path[CGROUP_V1_CPU], "cpu.cfs_quota_us", quota_us);
	return r;
}

int cgroup_attach(struct cgroup *cg, pid_t pid)
{
	for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
		int r;

		if (!cg->path[i][0] || path_seen(cg, i))
			continue;
		r = write_u64_at(cg->path[i], "cgroup.procs", (uint64_t)pid);
		if (r < 0)
			return r;
	}
	return 0;
}

int cgroup_open_self_attach(struct cgroup *cg)
{
	char path[PATH_MAX + 16];

	if (cg->version != CGROUP_V1)
		return -EOPNOTSUPP;
	for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
		if (!cg->path[i][0] || path_seen(cg, i) || cg->tasks_fd[i] >= 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/tasks", cg->path[i]);
		cg->tasks_fd[i] = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (cg->tasks_fd[i] < 0) {
			int r = -errno;

			cgroup_close_self_attach(cg);
			return r;
		}
	}
	return 0;
}

int cgroup_attach_self(const struct cgroup *cg)
{
	for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
		ssize_t n;

		if (cg->tasks_fd[i] < 0)
			continue;
		do
			n = write(cg->tasks_fd[i], "0", 1);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		if (n != 1)
			return -EIO;
	}
	return 0;
}

void cgroup_close_self_attach(struct cgroup *cg)
{
	for (size_t i = 0; i < _CGROUP_V1_MAX; i++)
		if (cg->tasks_fd[i] >= 0) {
			(void)close(cg->tasks_fd[i]);
			cg->tasks_fd[i] = -1;
		}
}

uint64_t cgroup_oom_kills(const struct cgroup *cg)
{
	const char *dir = cg->path[cg->version == CGROUP_V2 ? 0 : CGROUP_V1_MEMORY];
	const char *file = cg->version == CGROUP_V2 ? "memory.events" : "memory.oom_control";
	char buf[1024], *p;

	if (!(cg->controllers & CGROUP_CTRL_MEMORY) || read_at(dir, file, buf, sizeof(buf)) < 0)
		return 0;
	p = strstr(buf, "oom_kill ");
	return p ? strtoull(p + strlen("oom_kill "), NULL, 10) : 0;
}

/* SIGKILL every pid listed in dir/cgroup.procs. */
static void kill_listed(const char *dir)
{
	char buf[8192];

	if (read_at(dir, "cgroup.procs", buf, sizeof(buf)) <= 0)
		return;
	for (char *p = buf; *p;) {
		char *end;
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0)
			(void)kill((pid_t)pid, SIGKILL);
		p = end + strspn(end, "\n");
	}
}

int cgroup_destroy(struct cgroup *cg)
{
	const struct timespec pause = {.tv_sec = 0, .tv_nsec = 5L * 1000 * 1000};
	bool done[_CGROUP_V1_MAX] = {};
	int r = 0;

	if (!cg)
		return 0;
	if (cg->version == CGROUP_V2 && cg->path[0][0])
		(void)write_at(cg->path[0], "cgroup.kill", "1"); /* Linux >= 5.14 */
	for (int attempt = 0; attempt < 200; attempt++) {
		bool busy = false;

		for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
			int k;

			if (done[i] || !cg->path[i][0] || path_seen(cg, i)) {
				done[i] = true;
				continue;
			}
			/* Usually empty by now (the caller reaped its processes): try
			 * first, kill what is listed only when it is still busy. */
			k = rmdir(cg->path[i]) == 0 ? 0 : -errno;
			if (k == -EBUSY) {
				kill_listed(cg->path[i]);
				k = rmdir(cg->path[i]) == 0 ? 0 : -errno;
			}
			if (k == 0 || k == -ENOENT)
				done[i] = true;
			else if (k == -EBUSY)
				busy = true;
			else {
				if (r == 0)
					r = k;
				done[i] = true;
			}
		}
		if (!busy)
			break;
		if (attempt == 199)
			r = -EBUSY;
		else
			(void)nanosleep(&pause, NULL);
	}
	if (cg->dirfd >= 0)
		(void)close(cg->dirfd);
	cgroup_close_self_attach(cg);
	free(cg);
	return r;
}

/* "mxc-<pid>-<8 hex>" -> pid, or -1. */
static pid_t stale_pid(const char *name)
{
	const char *p = name + strlen(CGROUP_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, CGROUP_PREFIX, strlen(CGROUP_PREFIX)) != 0)
		return -1;
	pid = strtol(p, &end, 10);
	if (end == p || *end != '-' || pid <= 0 || strlen(end + 1) != 8 ||
	    strspn(end + 1, "0123456789abcdef") != 8)
		return -1;
	return (pid_t)pid;
}

int cgroup_cleanup_stale(const struct cgroup_host *h)
{
	int n = 0;

	for (size_t i = 0; i < _CGROUP_V1_MAX; i++) {
		DIR *d;
		struct dirent *de;
		bool seen = false;

		if (!h->parent[i][0])
			continue;
		for (size_t j = 0; j < i; j++)
			seen = seen || strcmp(h->parent[j], h->parent[i]) == 0;
		if (seen || !(d = opendir(h->parent[i])))
			continue;
		while ((de = readdir(d))) {
			char path[PATH_MAX + 300];
			pid_t pid = stale_pid(de->d_name);

			if (pid <= 0 || pid == getpid())
				continue;
			if (kill(pid, 0) == 0 || errno != ESRCH)
				continue; /* the creator is alive (or not ours to judge) */
			(void)snprintf(path, sizeof(path), "%s/%s", h->parent[i], de->d_name);
			if (rmdir(path) == 0)
				n++;
		}
		(void)closedir(d);
	}
	return n;
}
