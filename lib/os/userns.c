/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "proc.h"
#include "userns.h"

static int write_proc_file(pid_t pid, const char *name, const char *data)
{
	_cleanup_close_ int fd = -1;
	char path[64];
	size_t len = strlen(data);
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

int userns_write_maps(pid_t pid, uid_t uid_inside, uid_t uid_outside, gid_t gid_inside,
		      gid_t gid_outside, bool deny_setgroups, const char **ret_file)
{
	char line[64];
	int r;

	(void)snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)uid_inside,
		       (unsigned)uid_outside);
	r = write_proc_file(pid, "uid_map", line);
	if (r < 0) {
		*ret_file = "uid_map";
		return r;
	}
	if (deny_setgroups) {
		r = write_proc_file(pid, "setgroups", "deny\n");
		/* Kernels without the setgroups file have no such restriction. */
		if (r < 0 && r != -ENOENT) {
			*ret_file = "setgroups";
			return r;
		}
	}
	(void)snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)gid_inside,
		       (unsigned)gid_outside);
	r = write_proc_file(pid, "gid_map", line);
	if (r < 0) {
		*ret_file = "gid_map";
		return r;
	}
	return 0;
}

int userns_probe(void)
{
	int pidfd = -1, status = 0, r;

	r = proc_clone3(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID, &pidfd);
	if (r < 0)
		return r;
	if (r == 0)
		_exit(0);
	r = proc_pidfd_reap(pidfd, &status);
	(void)close(pidfd);
	if (r < 0)
		return r;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}
