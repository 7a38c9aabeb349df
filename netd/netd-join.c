/* SPDX-License-Identifier: MIT */
/*
 * The namespace joiner: a child of netd that enters the sandbox's user
 * namespace (when it is not netd's own) and network namespace, where it
 * holds CAP_NET_ADMIN as the namespace's owner, sets the namespace up and
 * hands back the sockets it created there (SCM_RIGHTS), then exits. netd
 * itself never leaves the host's namespaces.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "netd.h"

#define JOIN_TIMEOUT_MS 10000
#define JOIN_MAX_FDS	(NETD_MAX_LISTEN + 3)

/* The joiner's one message; the fds ride along in this order: listeners,
 * NFLOG (has_nflog), rtnetlink query and monitor (has_rtnl). */
struct join_reply {
	int32_t status; /* 0 or -errno */
	uint8_t n_listen;
	uint8_t has_nflog;
	uint8_t has_rtnl;
	uint8_t same_userns;
	char err[NETD_ERR_MAX];
};

void netd_joined_done(struct netd_joined *j)
{
	for (size_t i = 0; i < NETD_MAX_LISTEN; i++)
		closep(&j->listen_fds[i]);
	closep(&j->nflog_fd);
	closep(&j->rtnl_fd);
	closep(&j->rtmon_fd);
	j->n_listen = 0;
}

static void joined_init(struct netd_joined *j)
{
	memset(j, 0, sizeof(*j));
	for (size_t i = 0; i < NETD_MAX_LISTEN; i++)
		j->listen_fds[i] = -1;
	j->nflog_fd = j->rtnl_fd = j->rtmon_fd = -1;
}

/* ---- in the joiner -------------------------------------------------------- */

static int open_ns(pid_t pid, const char *ns, int *ret, char *err, size_t errlen)
{
	char path[64];

	(void)snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	*ret = open(path, O_RDONLY | O_CLOEXEC);
	if (*ret < 0)
		return netd_err(err, errlen, -errno,
				"opening %s (is the sandbox process alive?): %s", path,
				strerror(errno));
	return 0;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static int join_namespaces(pid_t pid, bool *same_userns, char *err, size_t errlen)
{
	_cleanup_close_ int user = -1, net = -1, self_user = -1, self_net = -1;
	int r;

	r = open_ns(pid, "net", &net, err, errlen);
	if (r < 0)
		return r;
	/* The user namespace that owns the network namespace, which is not
	 * always the process's own (bwrap moves its PID 1 into a nested one). */
	user = ioctl(net, NS_GET_USERNS);
	if (user < 0)
		return netd_err(err, errlen, -errno,
				"finding the owner of the sandbox's network namespace: %s",
				strerror(errno));
	(void)fcntl(user, F_SETFD, FD_CLOEXEC);
	self_user = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	self_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self_user < 0 || self_net < 0)
		return netd_err(err, errlen, -errno, "opening /proc/self/ns: %s", strerror(errno));
	/* Rules, sysctls and addresses meant for the sandbox must never land
	 * in the host's network namespace. */
	if (same_file(net, self_net))
		return netd_err(err, errlen, -EINVAL,
				"process %d shares mxc-netd's network namespace: refusing to "
				"change the host's network",
				(int)pid);
	*same_userns = same_file(user, self_user);
	if (!*same_userns && setns(user, CLONE_NEWUSER) < 0)
		return netd_err(err, errlen, -errno,
				"joining the user namespace that owns process %d's network: %s",
				(int)pid, strerror(errno));
	if (setns(net, CLONE_NEWNET) < 0)
		return netd_err(err, errlen, -errno,
				"joining the sandbox's network namespace (/proc/%d/ns/net): %s",
				(int)pid, strerror(errno));
	return 0;
}

static int write_sysctl(const char *path, const char *value)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(value);

	if (fd < 0)
		return -errno;
	if (write(fd, value, n) != (ssize_t)n)
		return errno ? -errno : -EIO;
	return 0;
}

/* The sandbox process's effective gid as seen from inside its user namespace
 * (we are in it now), or -1. */
static long inside_egid(pid_t pid)
{
	char path[64], line[256], *end;
	_cleanup_fclose_ FILE *f = NULL;
	long eff;

	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Gid:", 4) != 0)
			continue;
		(void)strtol(line + 4, &end, 10); /* real */
		errno = 0;
		eff = strtol(end, &end, 10);
		return errno || eff < 0 ? -1 : eff;
	}
	return -1;
}

/* net.ipv4.ping_group_range of the netns we are in (the kernel resolves
 * /proc/sys/net against the opener's netns). The full range first; a user
 * namespace that maps only some gids rejects ids it cannot map (EINVAL),
 * then the gid_map extent that holds the sandbox's gid is opened instead. */
static int open_ping(pid_t pid, char *err, size_t errlen)
{
	static const char path[] = "/proc/sys/net/ipv4/ping_group_range";
	_cleanup_fclose_ FILE *map = NULL;
	unsigned long in, count;
	long gid;
	char value[64], line[128], *end;
	int r;

	r = write_sysctl(path, "0 2147483647");
	if (r != -EINVAL)
		goto done;
	gid = inside_egid(pid);
	map = fopen("/proc/self/gid_map", "re");
	if (gid < 0 || !map)
		goto done;
	while (fgets(line, sizeof(line), map)) {
		in = strtoul(line, &end, 10);
		(void)strtoul(end, &end, 10); /* outside */
		count = strtoul(end, &end, 10);
		if (count > 0 && (unsigned long)gid >= in && (unsigned long)gid - in < count) {
			(void)snprintf(value, sizeof(value), "%lu %lu", in, in + count - 1);
			r = write_sysctl(path, value);
			break;
		}
	}
done:
	if (r < 0)
		return netd_err(err, errlen, r,
				"setting net.ipv4.ping_group_range in the sandbox's network "
				"namespace: %s",
				strerror(-r));
	return 0;
}

/* bwrap configures the sandbox's lo itself (address, then up) after it has
 * reported its PID 1; bringing lo up first makes the kernel add 127.0.0.1,
 * and bwrap's own RTM_NEWADDR then fails. So, when asked ("waitLo"), wait
 * (bounded) until lo is up; only if nobody did, bring it up ourselves. */
static int wait_lo(char *err, size_t errlen)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int64_t deadline = netd_now_ms() + 2000;
	struct ifreq ifr = {0};

	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	while (fd >= 0 && netd_now_ms() < deadline) {
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP))
			return 0;
		(void)poll(NULL, 0, 1);
	}
	return netd_addr_lo_up(err, errlen);
}

/* For the stack's interface, created later: no duplicate address detection
 * (an address is usable at once, the stack is the only other node) and a
 * router solicitation as soon as the link is up (the stack answers with the
 * prefix and the default route), so IPv6 is ready within milliseconds. */
static int prepare_ipv6(char *err, size_t errlen)
{
	static const char *const keys[] = {"accept_dad", "router_solicitation_delay"};
	char path[128];

	for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
		int r;
		(void)snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/default/%s", keys[i]);
		r = write_sysctl(path, "0");
		if (r < 0 && r != -ENOENT) /* no IPv6 in this kernel: nothing to prepare */
			return netd_err(err, errlen, r,
					"setting net.ipv6.conf.default.%s in the sandbox's network "
					"namespace: %s",
					keys[i], strerror(-r));
	}
	return 0;
}

static int listen_on(int family, const void *addr, uint16_t port, int *ret, char *err,
		     size_t errlen)
{
	_cleanup_close_ int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_storage ss = {0};
	socklen_t len;
	char text[INET6_ADDRSTRLEN] = "?";
	int one = 1;

	(void)inet_ntop(family, addr, text, sizeof(text));
	if (fd < 0)
		return netd_err(err, errlen, -errno, "creating the proxy socket for %s: %s", text,
				strerror(errno));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr, sizeof(sin->sin_addr));
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr, sizeof(sin6->sin6_addr));
		len = sizeof(*sin6);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
			return netd_err(err, errlen, -errno, "IPV6_V6ONLY: %s", strerror(errno));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		return netd_err(err, errlen, -errno, "SO_REUSEADDR: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return netd_err(err, errlen, -errno,
				"binding the proxy to %s%s%s:%u in the sandbox's network "
				"namespace: %s",
				family == AF_INET6 ? "[" : "", text, family == AF_INET6 ? "]" : "",
				port, strerror(errno));
	if (listen(fd, 128) < 0)
		return netd_err(err, errlen, -errno, "listening on %s:%u: %s", text, port,
				strerror(errno));
	*ret = TAKE_FD(fd);
	return 0;
}

static int make_listeners(const struct netd_request *r, struct netd_joined *j, char *err,
			  size_t errlen)
{
	struct in_addr v4;
	int ret;

	if (r->proxy_role == NETD_PROXY_FILTER) {
		v4.s_addr = htonl(INADDR_LOOPBACK);
		ret = listen_on(AF_INET, &v4, r->proxy_port, &j->listen_fds[j->n_listen], err,
				errlen);
		if (ret < 0)
			return ret;
		j->n_listen++;
		ret = listen_on(AF_INET6, &in6addr_loopback, r->proxy_port,
				&j->listen_fds[j->n_listen], err, errlen);
		/* No IPv6 in this kernel or netns: IPv4 only is still closed. */
		if (ret == -EAFNOSUPPORT || ret == -EADDRNOTAVAIL)
			return 0;
		if (ret < 0)
			return ret;
		j->n_listen++;
		return 0;
	}
	if (r->proxy_role == NETD_PROXY_RELAY) {
		struct in6_addr v6;

		/* A pre-0.8 proxy at [::1]: the sandbox's own ::1. */
		if (inet_pton(AF_INET6, r->listen_address, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6)) {
			ret = listen_on(AF_INET6, &v6, r->proxy_port, &j->listen_fds[j->n_listen],
					err, errlen);
			if (ret < 0)
				return ret;
			j->n_listen++;
			return 0;
		}
		if (inet_pton(AF_INET, r->listen_address, &v4) != 1)
			return netd_err(err, errlen, -EINVAL,
					"relay listen address '%s' is neither IPv4 nor ::1",
					r->listen_address);
		if ((ntohl(v4.s_addr) >> 24) != 127) {
			ret = netd_addr_add_lo32(r->listen_address, err, errlen);
			if (ret < 0)
				return ret;
		}
		ret = listen_on(AF_INET, &v4, r->proxy_port, &j->listen_fds[j->n_listen], err,
				errlen);
		if (ret < 0)
			return ret;
		j->n_listen++;
	}
	return 0;
}

static int send_reply(int sock, const struct join_reply *rep, const int *fds, size_t n)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * JOIN_MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = (void *)rep, .iov_len = sizeof(*rep)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

	memset(&u, 0, sizeof(u));
	if (n > 0) {
		struct cmsghdr *c;

		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static _noreturn_ void joiner_main(const struct netd_request *r, int sock, pid_t netd)
{
	static struct join_reply rep;
	struct netd_joined j;
	int fds[JOIN_MAX_FDS];
	size_t n = 0;
	bool same = false;
	int ret;

	joined_init(&j);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != netd)
		_exit(1);
	ret = join_namespaces(r->pid, &same, rep.err, sizeof(rep.err));
	if (ret == 0)
		ret = r->wait_lo ? wait_lo(rep.err, sizeof(rep.err))
				 : netd_addr_lo_up(rep.err, sizeof(rep.err));
	if (ret == 0 && r->nft)
		ret = netd_nft_load(r->nft, rep.err, sizeof(rep.err));
	if (ret == 0 && r->ping)
		ret = open_ping(r->pid, rep.err, sizeof(rep.err));
	if (ret == 0 && r->stack && r->ipv6)
		ret = prepare_ipv6(rep.err, sizeof(rep.err));
	if (ret == 0)
		ret = make_listeners(r, &j, rep.err, sizeof(rep.err));
	if (ret == 0 && r->nflog_group >= 0) {
		ret = netd_nflog_open((uint16_t)r->nflog_group, rep.err, sizeof(rep.err));
		if (ret >= 0)
			j.nflog_fd = ret;
		ret = ret < 0 ? ret : 0;
	}
	if (ret == 0 && r->stack) {
		ret = netd_addr_rtnl_open(false, rep.err, sizeof(rep.err));
		if (ret >= 0)
			j.rtnl_fd = ret;
		ret = ret < 0 ? ret : netd_addr_rtnl_open(true, rep.err, sizeof(rep.err));
		if (ret >= 0)
			j.rtmon_fd = ret;
		ret = ret < 0 ? ret : 0;
	}
	rep.status = ret;
	rep.same_userns = same;
	if (ret == 0) {
		for (size_t i = 0; i < j.n_listen; i++)
			fds[n++] = j.listen_fds[i];
		rep.n_listen = (uint8_t)j.n_listen;
		if (j.nflog_fd >= 0) {
			fds[n++] = j.nflog_fd;
			rep.has_nflog = 1;
		}
		if (j.rtnl_fd >= 0) {
			fds[n++] = j.rtnl_fd;
			fds[n++] = j.rtmon_fd;
			rep.has_rtnl = 1;
		}
	}
	_exit(send_reply(sock, &rep, fds, n) < 0 ? 1 : 0);
}

/* ---- in netd -------------------------------------------------------------- */

static int recv_reply(int sock, struct join_reply *rep, int *fds, size_t *n)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * JOIN_MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = rep, .iov_len = sizeof(*rep)};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct pollfd pfd = {.fd = sock, .events = POLLIN};
	ssize_t got;
	int r;

	*n = 0;
	do
		r = poll(&pfd, 1, JOIN_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (got < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < k && *n < JOIN_MAX_FDS; i++)
				memcpy(&fds[(*n)++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
		}
	}
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -EMSGSIZE;
	if (got != (ssize_t)sizeof(*rep))
		return got == 0 ? -EPIPE : -EPROTO;
	return 0;
}

static int take(const int *fds, size_t n, size_t *i)
{
	return *i < n && *i < JOIN_MAX_FDS ? fds[(*i)++] : -1;
}

int netd_join(const struct netd_request *r, struct netd_joined *ret, char *err, size_t errlen)
{
	static struct join_reply rep;
	int sv[2], fds[JOIN_MAX_FDS] = {-1, -1, -1, -1, -1};
	size_t n = 0, want;
	pid_t self = getpid(), child;
	int status, e;

	joined_init(ret);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return netd_err(err, errlen, -errno, "socketpair: %s", strerror(errno));
	child = fork();
	if (child < 0) {
		e = errno;
		(void)close(sv[0]);
		(void)close(sv[1]);
		return netd_err(err, errlen, -e, "fork: %s", strerror(e));
	}
	if (child == 0) {
		(void)close(sv[0]);
		joiner_main(r, sv[1], self);
	}
	(void)close(sv[1]);
	memset(&rep, 0, sizeof(rep));
	e = recv_reply(sv[0], &rep, fds, &n);
	(void)close(sv[0]);
	if (e == -ETIMEDOUT)
		(void)kill(child, SIGKILL);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	want = rep.n_listen + (rep.has_nflog ? 1u : 0u) + (rep.has_rtnl ? 2u : 0u);
	if (e == 0 && rep.status == 0 && (n != want || rep.n_listen > NETD_MAX_LISTEN))
		e = -EPROTO;
	if (e < 0 || rep.status < 0) {
		for (size_t i = 0; i < n; i++)
			(void)close(fds[i]);
		if (e == -ETIMEDOUT)
			return netd_err(err, errlen, e,
					"setting up the sandbox's network namespace timed out");
		if (e < 0)
			return netd_err(err, errlen, e,
					"setting up the sandbox's network namespace: the joiner "
					"failed (%s)",
					strerror(-e));
		rep.err[sizeof(rep.err) - 1] = '\0';
		return netd_err(err, errlen, rep.status, "%s", rep.err);
	}
	/* n == want <= JOIN_MAX_FDS here; take() only guards the indexing. */
	want = 0;
	for (size_t i = 0; i < rep.n_listen; i++)
		ret->listen_fds[ret->n_listen++] = take(fds, n, &want);
	if (rep.has_nflog)
		ret->nflog_fd = take(fds, n, &want);
	if (rep.has_rtnl) {
		ret->rtnl_fd = take(fds, n, &want);
		ret->rtmon_fd = take(fds, n, &want);
	}
	ret->same_userns = rep.same_userns;
	return 0;
}
