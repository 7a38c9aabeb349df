/* SPDX-License-Identifier: MIT */
/*
 * The proxy (lib/net/netproxy.h) in a child process of netd, as netproxy.h
 * asks: it serves the listening sockets the joiner created in the sandbox's
 * netns and connects out from the host's. Its event lines go to a pipe that
 * netd reads, forwards to the events fd and counts for the summary, so that
 * netd is the only writer of fd 4. Closing the stop pipe ends it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "core/strv.h"
#include "net/hostmatch.h"
#include "net/netproxy.h"
#include "netd.h"

#define PROXY_STOP_MS 3000

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every fd >= 3 except those in keep[]. */
static int close_all_but(int *keep, size_t n)
{
	unsigned lo = 3;

	qsort(keep, n, sizeof(*keep), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)lo)
			continue;
		if ((unsigned)keep[i] > lo && syscall(SYS_close_range, lo, keep[i] - 1, 0u) < 0)
			return -errno;
		lo = (unsigned)keep[i] + 1;
	}
	return syscall(SYS_close_range, lo, ~0u, 0u) < 0 ? -errno : 0;
}

static int upstream_addr(const struct netd_request *r, struct netproxy_config *cfg)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&cfg->upstream;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&cfg->upstream;

	memset(&cfg->upstream, 0, sizeof(cfg->upstream));
	if (inet_pton(AF_INET, r->upstream_address, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(r->upstream_port);
		cfg->upstream_len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, r->upstream_address, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(r->upstream_port);
		cfg->upstream_len = sizeof(*sin6);
		return 0;
	}
	return -EINVAL;
}

static _noreturn_ void proxy_main(const struct netd_request *r, const struct netd_joined *j,
				  struct hostmatch *rules, int events_w, int stop_r, pid_t netd)
{
	struct netproxy_config cfg = {
		.listen_fds = j->listen_fds,
		.n_listen_fds = j->n_listen,
		.rules = rules,
		.events_fd = events_w,
		.sandbox_id = r->sandbox_id,
		.stop_fd = stop_r,
	};
	char upstream_name[128];
	int keep[NETD_MAX_LISTEN + 2];
	size_t nk = 0;
	int ret;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != netd)
		_exit(1);
	for (size_t i = 0; i < j->n_listen; i++)
		keep[nk++] = j->listen_fds[i];
	keep[nk++] = events_w;
	keep[nk++] = stop_r;
	if (close_all_but(keep, nk) < 0)
		_exit(1);
	if (r->proxy_role == NETD_PROXY_RELAY) {
		cfg.role = NETPROXY_RELAY;
		if (upstream_addr(r, &cfg) < 0)
			_exit(1);
		(void)snprintf(upstream_name, sizeof(upstream_name),
			       strchr(r->upstream_address, ':') ? "[%s]:%u" : "%s:%u",
			       r->upstream_address, r->upstream_port);
		cfg.upstream_name = upstream_name;
	} else {
		cfg.role = NETPROXY_FILTER;
	}
	ret = netproxy_run(&cfg, NULL);
	if (ret < 0)
		(void)dprintf(2, "mxc-netd: the proxy stopped: %s\n", strerror(-ret));
	_exit(ret < 0 ? 1 : 0);
}

int netd_proxy_start(const struct netd_request *r, const struct netd_joined *j,
		     struct netd_proxy *p, char *err, size_t errlen)
{
	struct hostmatch *rules = NULL;
	struct netproxy_config probe = {0};
	int evp[2], stopp[2], e;
	pid_t self = getpid();

	p->pid = -1;
	p->stop_fd = p->events_fd = -1;
	if (r->proxy_role == NETD_PROXY_NONE)
		return 0;
	if (j->n_listen == 0)
		return netd_err(err, errlen, -EINVAL, "proxy: no listening socket");
	if (r->proxy_role == NETD_PROXY_FILTER) {
		size_t bad = 0;
		bool bad_block = false;

		e = hostmatch_new(r->allow, r->block, r->default_allow, r->block_local, &rules,
				  &bad, &bad_block);
		if (e < 0) {
			char *const *list = bad_block ? r->block : r->allow;

			return netd_err(err, errlen, e, "proxy: %s[%zu] '%s' is not a valid entry",
					bad_block ? "block" : "allow", bad,
					list && bad < strv_length(list) ? list[bad] : "?");
		}
	} else if (upstream_addr(r, &probe) < 0) {
		return netd_err(err, errlen, -EINVAL,
				"proxy: upstream address '%s' is not an IP address",
				r->upstream_address);
	}
	if (pipe2(evp, O_CLOEXEC) < 0) {
		e = -errno;
		hostmatch_free(rules);
		return netd_err(err, errlen, e, "proxy: pipe: %s", strerror(-e));
	}
	if (pipe2(stopp, O_CLOEXEC) < 0) {
		e = -errno;
		(void)close(evp[0]);
		(void)close(evp[1]);
		hostmatch_free(rules);
		return netd_err(err, errlen, e, "proxy: pipe: %s", strerror(-e));
	}
	p->pid = fork();
	if (p->pid < 0) {
		e = -errno;
		(void)close(evp[0]);
		(void)close(evp[1]);
		(void)close(stopp[0]);
		(void)close(stopp[1]);
		hostmatch_free(rules);
		return netd_err(err, errlen, e, "proxy: fork: %s", strerror(-e));
	}
	if (p->pid == 0)
		proxy_main(r, j, rules, evp[1], stopp[0], self);
	hostmatch_free(rules);
	(void)close(evp[1]);
	(void)close(stopp[0]);
	p->events_fd = evp[0];
	p->stop_fd = stopp[1];
	(void)fcntl(p->events_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

void netd_proxy_stop(struct netd_proxy *p)
{
	int64_t deadline = netd_now_ms() + PROXY_STOP_MS;

	_cleanup_close_ int pidfd = -1;

	closep(&p->stop_fd);
	if (p->pid <= 0)
		return;
	/* Woken by the exit itself (pidfd), not by polling: this is on every
	 * sandbox's destroy path. */
	pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	for (;;) {
		pid_t w = waitpid(p->pid, NULL, WNOHANG);
		int64_t left = deadline - netd_now_ms();

		if (w == p->pid || (w < 0 && errno != EINTR))
			break;
		if (left <= 0) {
			(void)kill(p->pid, SIGKILL);
			while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (pidfd >= 0) {
			struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
			(void)poll(&pfd, 1, (int)left);
		} else {
			(void)poll(NULL, 0, 1);
		}
	}
	p->pid = -1;
}
