/* SPDX-License-Identifier: MIT */
/*
 * Firewall events. The sandbox's ruleset logs each denial with
 * `log prefix "<rule name>" group G` before dropping it. The joiner binds an
 * NFLOG socket to G inside the sandbox's netns (copying the first 128 bytes
 * of each packet); netd reads it and writes one netevents line per packet:
 * source "firewall", decision "deny", rule <prefix>, the destination
 * address, the protocol and the destination port (or the ICMP type).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/cleanup.h"
#include "net/netevents.h"
#include "netd.h"

#define NFLOG_COPY_RANGE 128

static struct nlmsghdr *cfg_header(char *buf, uint16_t group, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(group);
	return nlh;
}

static int send_cfg(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[NETD_NL_BUF];
	ssize_t n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, mnl_socket_get_portid(nl), NULL, NULL) < 0)
		return -errno;
	return 0;
}

int netd_nflog_open(uint16_t group, char *err, size_t errlen)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	char buf[NETD_NL_BUF];
	struct nfulnl_msg_config_cmd cmd = {.command = NFULNL_CFG_CMD_BIND};
	struct nfulnl_msg_config_mode mode = {
		.copy_range = htonl(NFLOG_COPY_RANGE),
		.copy_mode = NFULNL_COPY_PACKET,
	};
	struct nlmsghdr *nlh;
	int rcvbuf = 1 << 20, fd, r;

	if (!nl)
		return netd_err(err, errlen, -errno, "opening the NFLOG socket: %s",
				strerror(errno));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto fail_msg;
	}
	nlh = cfg_header(buf, group, 1);
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	r = send_cfg(nl, nlh);
	if (r < 0)
		goto fail_msg;
	nlh = cfg_header(buf, group, 2);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	/* One packet per message, at once: the kernel's default batches up to
	 * 100 packets for up to a second, and a sandbox that ends sooner would
	 * take its denials with it. */
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	mnl_attr_put_u32(nlh, NFULA_CFG_TIMEOUT, htonl(1));
	r = send_cfg(nl, nlh);
	if (r < 0)
		goto fail_msg;
	(void)setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	fd = fcntl(mnl_socket_get_fd(nl), F_DUPFD_CLOEXEC, 3);
	r = -errno;
	(void)mnl_socket_close(nl);
	if (fd < 0)
		return netd_err(err, errlen, r, "duplicating the NFLOG socket: %s", strerror(-r));
	return fd;
fail_msg:
	(void)mnl_socket_close(nl);
	return netd_err(err, errlen, r, "binding the NFLOG socket to group %u: %s", group,
			strerror(-r));
}

/* ---- reading ------------------------------------------------------------ */

struct pkt {
	char prefix[128];
	const uint8_t *payload;
	size_t len;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct pkt *p = data;

	switch (mnl_attr_get_type(a)) {
	case NFULA_PREFIX: {
		size_t n = mnl_attr_get_payload_len(a);
		const char *s = mnl_attr_get_payload(a);

		n = strnlen(s, n);
		if (n >= sizeof(p->prefix))
			n = sizeof(p->prefix) - 1;
		memcpy(p->prefix, s, n);
		p->prefix[n] = '\0';
		break;
	}
	case NFULA_PAYLOAD:
		p->payload = mnl_attr_get_payload(a);
		p->len = mnl_attr_get_payload_len(a);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/* The rule name as the ruleset wrote it: printable, no trailing ": " that
 * log prefixes often carry. */
static void clean_prefix(char *s)
{
	size_t n;

	for (char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
			*c = ' ';
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ':'))
		s[--n] = '\0';
}

struct decoded {
	char address[INET6_ADDRSTRLEN];
	const char *protocol;
	unsigned port;
	char reason[48];
};

static void l4(uint8_t proto, const uint8_t *h, size_t left, struct decoded *d)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		d->protocol = proto == IPPROTO_TCP ? "tcp" : "udp";
		if (left >= 4)
			d->port = (unsigned)h[2] << 8 | h[3];
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		d->protocol = proto == IPPROTO_ICMP ? "icmp" : "icmpv6";
		if (left >= 1)
			(void)snprintf(d->reason, sizeof(d->reason), "%s type %u", d->protocol,
				       h[0]);
		break;
	default:
		d->protocol = "ip";
		(void)snprintf(d->reason, sizeof(d->reason), "IP protocol %u", proto);
		break;
	}
}

static bool decode(const uint8_t *p, size_t len, struct decoded *d)
{
	memset(d, 0, sizeof(*d));
	if (len < 1)
		return false;
	if (p[0] >> 4 == 4) {
		size_t ihl = (size_t)(p[0] & 0xf) * 4;
		bool first_fragment;

		if (len < 20 || ihl < 20)
			return false;
		(void)inet_ntop(AF_INET, p + 16, d->address, sizeof(d->address));
		first_fragment = ((p[6] & 0x1f) << 8 | p[7]) == 0;
		if (first_fragment && ihl <= len)
			l4(p[9], p + ihl, len - ihl, d);
		else
			l4(p[9], p, 0, d);
		return true;
	}
	if (p[0] >> 4 == 6) {
		uint8_t next;
		size_t off = 40;

		if (len < 40)
			return false;
		(void)inet_ntop(AF_INET6, p + 24, d->address, sizeof(d->address));
		next = p[6];
		/* Skip extension headers that fit in the copied bytes. */
		for (int i = 0; i < 8; i++) {
			if (next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING ||
			    next == IPPROTO_DSTOPTS) {
				if (off + 2 > len)
					break;
				next = p[off];
				off += ((size_t)p[off + 1] + 1) * 8;
			} else if (next == IPPROTO_FRAGMENT) {
				if (off + 8 > len)
					break;
				if (((p[off + 2] << 8 | p[off + 3]) & 0xfff8) != 0) {
					l4(p[off], p, 0, d); /* not the first fragment */
					return true;
				}
				next = p[off];
				off += 8;
			} else {
				break;
			}
		}
		if (off <= len)
			l4(next, p + off, len - off, d);
		else
			l4(next, p, 0, d);
		return true;
	}
	return false;
}

struct read_ctx {
	int events_fd;
	const char *sandbox_id;
	struct netd_summary *sum;
};

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct read_ctx *rc = data;
	struct pkt p = {0};
	struct decoded d;
	struct netevent ev = {
		.source = "firewall",
		.decision = "deny",
	};

	if (nlh->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, &p) < 0)
		return MNL_CB_OK;
	clean_prefix(p.prefix);
	if (!p.payload || !decode(p.payload, p.len, &d)) {
		memset(&d, 0, sizeof(d));
		d.protocol = "ip";
	}
	ev.protocol = d.protocol;
	ev.address = d.address[0] ? d.address : NULL;
	ev.port = d.port;
	ev.rule = p.prefix[0] ? p.prefix : NULL;
	ev.reason = d.reason[0] ? d.reason : NULL;
	(void)netevent_write(rc->events_fd, rc->sandbox_id, &ev);
	netd_summary_add(rc->sum, false, NULL, ev.address, d.port, d.protocol);
	return MNL_CB_OK;
}

void netd_nflog_read(int nflog_fd, int events_fd, const char *sandbox_id, struct netd_summary *sum)
{
	char buf[65536];
	struct read_ctx rc = {.events_fd = events_fd, .sandbox_id = sandbox_id, .sum = sum};

	for (;;) {
		ssize_t n = recv(nflog_fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* The kernel dropped log messages: say so once per burst. */
				(void)fprintf(stderr,
					      "mxc-netd: firewall events were lost (ENOBUFS)\n");
				continue;
			}
			return;
		}
		if (n == 0)
			return;
		(void)mnl_cb_run(buf, (size_t)n, 0, 0, msg_cb, &rc);
	}
}
