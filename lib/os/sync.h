/* SPDX-License-Identifier: MIT */
/*
 * Sync sockets: SOCK_SEQPACKET pairs carrying fixed records between a parent
 * and a child, with optional SCM_RIGHTS fds and SCM_CREDENTIALS.
 */
#ifndef MXC_OS_SYNC_H
#define MXC_OS_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SYNC_MAX_FDS 8

/* socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC). With `passcred`, the
 * first end receives SCM_CREDENTIALS (pids translated by the kernel). */
int sync_socketpair(bool passcred, int ret_fds[2]);

/* Send one record. `fds` (may be NULL) travel with SCM_RIGHTS; with
 * `cred_pid` > 0 the record carries SCM_CREDENTIALS naming that pid (needs
 * CAP_SYS_ADMIN over the sender's PID namespace unless it is the sender). */
int sync_send(int sock, const void *buf, size_t len, const int *fds, size_t n_fds, pid_t cred_pid);

/* Receive one record (blocking, restarted on EINTR unless `eintr`). Returns
 * its length, 0 on EOF, or a negative errno; -EMSGSIZE if it was truncated.
 * Received fds are O_CLOEXEC and stored in fds[] (unused slots -1);
 * *ret_pid (may be NULL) is the SCM_CREDENTIALS pid, 0 if none. */
ssize_t sync_recv(int sock, void *buf, size_t len, int *fds, size_t max_fds, size_t *ret_n_fds,
		  pid_t *ret_pid, bool eintr);

#endif
