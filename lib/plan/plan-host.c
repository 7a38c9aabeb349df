/* SPDX-License-Identifier: MIT */
/* The real host view for the plan compiler. */
#include <errno.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "os/cgroup.h"
#include "os/landlock.h"
#include "plan.h"

static int host_stat(const char *path, struct stat *st)
{
	return stat(path, st) < 0 ? -errno : 0;
}

static int host_lstat(const char *path, struct stat *st)
{
	return lstat(path, st) < 0 ? -errno : 0;
}

static int host_readlink(const char *path, char *buf, size_t len)
{
	ssize_t n = readlink(path, buf, len);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	return (int)n;
}

static int host_access(const char *path, int mode)
{
	return access(path, mode) < 0 ? -errno : 0;
}

static int host_getcwd(char *buf, size_t len)
{
	return getcwd(buf, len) ? 0 : -errno;
}

static int host_landlock_abi(void)
{
	int abi = landlock_abi_version();
	return abi > 0 ? abi : 0;
}

static void host_limits_probe(struct plan_host_limits *ret)
{
	struct cgroup_host local, *h = calloc(1, sizeof(*h)); /* kept by the plan */
	struct sysinfo si;

	if (!h)
		h = &local; /* no memory: the backend probes again */
	cgroup_probe(h);
	*ret = (struct plan_host_limits){
		.cgroup = h->version == CGROUP_V2   ? PLAN_CGROUP_V2
			  : h->version == CGROUP_V1 ? PLAN_CGROUP_V1
						    : PLAN_CGROUP_NONE,
		.controllers = (h->controllers & CGROUP_CTRL_MEMORY ? PLAN_CTRL_MEMORY : 0) |
			       (h->controllers & CGROUP_CTRL_PIDS ? PLAN_CTRL_PIDS : 0) |
			       (h->controllers & CGROUP_CTRL_CPU ? PLAN_CTRL_CPU : 0),
		.why_not = h->why_not,
		.cgroup_host = h == &local ? NULL : h,
	};
	if (sysinfo(&si) == 0)
		ret->ram_mib = (uint64_t)si.totalram * si.mem_unit >> 20;
}

const struct plan_host plan_host_real = {
	.stat = host_stat,
	.lstat = host_lstat,
	.readlink = host_readlink,
	.access = host_access,
	.getcwd = host_getcwd,
	.getuid = getuid,
	.getgid = getgid,
	.limits_probe = host_limits_probe,
	.landlock_abi = host_landlock_abi,
};
