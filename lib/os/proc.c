/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

int proc_clone3(uint64_t flags, int *ret_pidfd)
{
	return proc_clone3_into_cgroup(flags, -1, ret_pidfd);
}

int proc_clone3_into_cgroup(uint64_t flags, int cgroup_fd, int *ret_pidfd)
{
	struct clone_args args;
	int pidfd = -1;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = flags | CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	args.exit_signal = SIGCHLD;
	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
	}

	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return -errno;
	if (pid == 0)
		return 0;
	/* clone3 pidfds are always O_CLOEXEC. */
	*ret_pidfd = pidfd;
	return (int)pid;
}

int proc_pidfd_signal(int pidfd, int sig)
{
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		return -errno;
	return 0;
}

int proc_pidfd_reap(int pidfd, int *ret_status)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED) == 0)
			break;
		if (errno != EINTR)
			return -errno;
	}
	if (ret_status) {
		if (si.si_code == CLD_EXITED)
			*ret_status = (si.si_status & 0xff) << 8;
		else
			*ret_status = (si.si_status & 0x7f) | (si.si_code == CLD_DUMPED ? 0x80 : 0);
	}
	return 0;
}

int proc_set_pdeathsig(int sig)
{
	if (prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

uint64_t proc_now_usec(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
