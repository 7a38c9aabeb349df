/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sync.h"

int sync_socketpair(bool passcred, int ret_fds[2])
{
	int fds[2], one = 1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return -errno;
	if (passcred && setsockopt(fds[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		int r = -errno;
		(void)close(fds[0]);
		(void)close(fds[1]);
		return r;
	}
	ret_fds[0] = fds[0];
	ret_fds[1] = fds[1];
	return 0;
}

int sync_send(int sock, const void *buf, size_t len, const int *fds, size_t n_fds, pid_t cred_pid)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cmsg;
	size_t clen = 0;
	ssize_t n;

	if (n_fds > SYNC_MAX_FDS)
		return -EINVAL;
	memset(&control, 0, sizeof(control));
	mh.msg_control = control.buf;
	mh.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&mh);
	if (fds && n_fds > 0) {
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n_fds);
		clen += CMSG_SPACE(sizeof(int) * n_fds);
		cmsg = CMSG_NXTHDR(&mh, cmsg);
	}
	if (cred_pid > 0) {
		struct ucred uc = {.pid = cred_pid, .uid = getuid(), .gid = getgid()};

		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_CREDENTIALS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(uc));
		memcpy(CMSG_DATA(cmsg), &uc, sizeof(uc));
		clen += CMSG_SPACE(sizeof(uc));
	}
	mh.msg_controllen = clen;
	if (clen == 0)
		mh.msg_control = NULL;

	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

ssize_t sync_recv(int sock, void *buf, size_t len, int *fds, size_t max_fds, size_t *ret_n_fds,
		  pid_t *ret_pid, bool eintr)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	size_t n_fds = 0;
	pid_t pid = 0;
	ssize_t n;

	for (size_t i = 0; fds && i < max_fds; i++)
		fds[i] = -1;
	mh.msg_control = control.buf;
	mh.msg_controllen = sizeof(control.buf);
	for (;;) {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (n >= 0)
			break;
		if (errno != EINTR || eintr)
			return -errno;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			int tmp[sizeof(control) / sizeof(int)];

			memcpy(tmp, CMSG_DATA(c), k * sizeof(int));
			for (size_t i = 0; i < k; i++) {
				if (fds && n_fds < max_fds)
					fds[n_fds++] = tmp[i];
				else
					(void)close(tmp[i]);
			}
		} else if (c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred uc;

			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			pid = uc.pid;
		}
	}
	if (ret_n_fds)
		*ret_n_fds = n_fds;
	if (ret_pid)
		*ret_pid = pid;
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		for (size_t i = 0; i < n_fds; i++) {
			(void)close(fds[i]);
			fds[i] = -1;
		}
		return -EMSGSIZE;
	}
	return n;
}
