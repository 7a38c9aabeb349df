/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink through libmnl: bring lo up, add the relay's /32 to lo (both in
 * the joiner, inside the sandbox's netns), and tell whether the user-mode
 * stack has installed its default routes (netd, through sockets the joiner
 * created in the netns: a netlink socket stays bound to the netns it was
 * created in).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/cleanup.h"
#include "netd.h"

static void mnl_closep(struct mnl_socket **nl)
{
	if (*nl)
		(void)mnl_socket_close(*nl);
}
#define _cleanup_mnl_ _cleanup_(mnl_closep)

/* Send one request with NLM_F_ACK and wait for its ack. Returns 0 or -errno. */
static int rtnl_transact(struct nlmsghdr *nlh)
{
	_cleanup_mnl_ struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	char buf[NETD_NL_BUF];
	uint32_t seq = (uint32_t)time(NULL);
	ssize_t n;
	int ret;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	ret = mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), NULL, NULL);
	return ret < 0 ? -errno : 0;
}

int netd_addr_lo_up(char *err, size_t errlen)
{
	char buf[NETD_NL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	unsigned idx = if_nametoindex("lo");
	int r;

	if (idx == 0)
		return netd_err(err, errlen, -errno, "bringing lo up: no lo interface: %s",
				strerror(errno));
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)idx;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	r = rtnl_transact(nlh);
	if (r < 0)
		return netd_err(err, errlen, r,
				"bringing lo up in the sandbox's network namespace: %s",
				strerror(-r));
	return 0;
}

int netd_addr_add_lo32(const char *addr, char *err, size_t errlen)
{
	char buf[NETD_NL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct in_addr in;
	unsigned idx = if_nametoindex("lo");
	int r;

	if (inet_pton(AF_INET, addr, &in) != 1)
		return netd_err(err, errlen, -EINVAL, "relay listen address '%s' is not IPv4",
				addr);
	if (idx == 0)
		return netd_err(err, errlen, -ENODEV, "adding %s/32 to lo: no lo interface", addr);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_scope = RT_SCOPE_HOST;
	ifa->ifa_index = idx;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(in), &in);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(in), &in);
	r = rtnl_transact(nlh);
	if (r < 0 && r != -EEXIST)
		return netd_err(err, errlen, r,
				"adding %s/32 to lo in the sandbox's network namespace: %s", addr,
				strerror(-r));
	return 0;
}

int netd_addr_rtnl_open(bool monitor, char *err, size_t errlen)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	unsigned groups = monitor ? RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
					    RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE
				  : 0;
	int fd, saved;

	if (!nl)
		return netd_err(err, errlen, -errno, "opening an rtnetlink socket: %s",
				strerror(errno));
	if (mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) < 0) {
		saved = errno;
		(void)mnl_socket_close(nl);
		return netd_err(err, errlen, -saved, "binding an rtnetlink socket: %s",
				strerror(saved));
	}
	/* Keep the fd, drop libmnl's wrapper (it only holds the fd and address). */
	fd = fcntl(mnl_socket_get_fd(nl), F_DUPFD_CLOEXEC, 3);
	saved = errno;
	(void)mnl_socket_close(nl);
	if (fd < 0)
		return netd_err(err, errlen, -saved, "duplicating the rtnetlink socket: %s",
				strerror(saved));
	return fd;
}

void netd_addr_drain(int rtnl_fd)
{
	char buf[8192];

	while (recv(rtnl_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

struct route_seen {
	bool v4, v6;
};

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_seen *seen = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	uint32_t table = rtm->rtm_table;
	bool has_oif = false;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	if (rtm->rtm_dst_len != 0 || rtm->rtm_type != RTN_UNICAST ||
	    (rtm->rtm_flags & (RTNH_F_DEAD | RTNH_F_LINKDOWN)))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm))
	{
		if (mnl_attr_get_type(a) == RTA_TABLE && mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			table = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == RTA_OIF)
			has_oif = true;
	}
	if (table != RT_TABLE_MAIN || !has_oif)
		return MNL_CB_OK;
	if (rtm->rtm_family == AF_INET)
		seen->v4 = true;
	else if (rtm->rtm_family == AF_INET6)
		seen->v6 = true;
	return MNL_CB_OK;
}

/* Dump the routes of `family` on the query socket (no multicast groups, so
 * only the dump's answers arrive there), waiting at most 1 s. */
static int dump_routes(int fd, int family, struct route_seen *seen)
{
	char buf[NETD_NL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	struct sockaddr_nl sa = {0};
	socklen_t salen = sizeof(sa);
	static uint32_t seq;
	int64_t deadline = netd_now_ms() + 1000;
	int r;

	if (getsockname(fd, (struct sockaddr *)&sa, &salen) < 0)
		return -errno;
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++seq + 0x4d584300u;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	if (send(fd, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - netd_now_ms();
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			/* ENOBUFS: notifications overflowed; ask again. */
			return -errno;
		}
		r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, sa.nl_pid, route_cb, seen);
		if (r == MNL_CB_STOP)
			return 0;
		if (r < 0)
			return errno == ESRCH ? 0 : -errno;
	}
}

int netd_addr_default_routes(int rtnl_fd, bool want4, bool want6)
{
	struct route_seen seen = {0};
	int r;

	if (want4) {
		r = dump_routes(rtnl_fd, AF_INET, &seen);
		if (r < 0)
			return r;
	}
	if (want6) {
		r = dump_routes(rtnl_fd, AF_INET6, &seen);
		if (r < 0)
			return r;
	}
	return (!want4 || seen.v4) && (!want6 || seen.v6);
}
