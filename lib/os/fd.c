/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <unistd.h>

#include "fd.h"

int fd_close_all_except(int keep)
{
	if (keep < 3)
		return close_range(3, ~0u, 0) < 0 ? -errno : 0;
	if (keep > 3 && close_range(3, (unsigned)keep - 1, 0) < 0)
		return -errno;
	if (close_range((unsigned)keep + 1, ~0u, 0) < 0)
		return -errno;
	return 0;
}

int fd_cloexec_above_stdio(void)
{
	return close_range(3, ~0u, CLOSE_RANGE_CLOEXEC) < 0 ? -errno : 0;
}

int fd_stdio_to_null(void)
{
	int fd, r = 0;

	fd = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (int i = 0; i < 3; i++)
		if (fd != i && dup2(fd, i) < 0)
			r = -errno;
	if (fd > 2)
		(void)close(fd);
	return r;
}

int fd_install_stdio(const int fds[3])
{
	for (int i = 0; i < 3; i++) {
		if (fds[i] == i) {
			/* Same slot: just drop close-on-exec. */
			if (fcntl(i, F_SETFD, 0) < 0)
				return -errno;
			continue;
		}
		if (dup2(fds[i], i) < 0)
			return -errno;
	}
	return 0;
}
