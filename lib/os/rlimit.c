/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rlimit.h"

int rlimit_cap(int resource, uint64_t value)
{
	struct rlimit rl;
	rlim_t v = value >= (uint64_t)RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)value;

	if (getrlimit(resource, &rl) < 0)
		return -errno;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < v)
		v = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = v;
	if (setrlimit(resource, &rl) < 0)
		return -errno;
	return 0;
}

int rlimit_get(int resource, uint64_t *ret_soft, uint64_t *ret_hard)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0)
		return -errno;
	if (ret_soft)
		*ret_soft = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
	if (ret_hard)
		*ret_hard = rl.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_max;
	return 0;
}

int oom_score_adj_set(int value)
{
	char buf[16];
	ssize_t w;
	int fd, n, r = 0;

	if (value < -1000 || value > 1000)
		return -EINVAL;
	n = snprintf(buf, sizeof(buf), "%d", value);
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	w = write(fd, buf, (size_t)n);
	if (w < 0)
		r = -errno;
	else if (w != n)
		r = -EIO;
	(void)close(fd);
	return r;
}
