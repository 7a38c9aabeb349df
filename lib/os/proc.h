/* SPDX-License-Identifier: MIT */
/* Processes: clone3 with a pidfd, pidfd signals and waits, parent-death signal. */
#ifndef MXC_OS_PROC_H
#define MXC_OS_PROC_H

#include <stdint.h>
#include <sys/types.h>

/* clone3() without a new stack (fork-like) with CLONE_PIDFD added to `flags`.
 * Returns the child's pid in the parent (and *ret_pidfd, O_CLOEXEC), 0 in the
 * child, or a negative errno. The child must leave with _exit(). */
int proc_clone3(uint64_t flags, int *ret_pidfd);

/* The same, started in the cgroup v2 directory `cgroup_fd` (CLONE_INTO_CGROUP,
 * Linux >= 5.7); -1: the caller's cgroup. */
int proc_clone3_into_cgroup(uint64_t flags, int cgroup_fd, int *ret_pidfd);

/* Send `sig` through a pidfd. */
int proc_pidfd_signal(int pidfd, int sig);

/* Reap the child behind `pidfd` (blocking); *ret_status is a wait(2) status. */
int proc_pidfd_reap(int pidfd, int *ret_status);

/* Kill the calling process with `sig` when its parent thread exits. */
int proc_set_pdeathsig(int sig);

/* Monotonic clock in microseconds (for debug timings). */
uint64_t proc_now_usec(void);

#endif
