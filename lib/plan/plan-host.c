/* SPDX-License-Identifier: MIT */
/* The real host view for the plan compiler. */
#include <errno.h>
#include <unistd.h>

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

const struct plan_host plan_host_real = {
	.stat = host_stat,
	.lstat = host_lstat,
	.readlink = host_readlink,
	.access = host_access,
	.getcwd = host_getcwd,
	.getuid = getuid,
	.getgid = getgid,
};
