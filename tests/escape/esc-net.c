/* SPDX-License-Identifier: MIT */
/*
 * Network attacks with the network blocked (the default): reaching host
 * listeners over TCP, UDP, DNS, IPv6, MPTCP, ICMP and raw sockets, listening
 * where the host can connect, and changing network devices.
 */
#include "escape.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define P	e2e_probe
#define REFUSED "ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|EACCES|EPERM"

static void tcp_host(const char *op, int family, const char *bind_addr, const char *target)
{
	char *token = e2e_unique("HOSTTOKEN");
	int port = esc_tcp_server(family, bind_addr, 0, token);
	char *out = esc_probe1("%s %s %d", op, target, port);

	esc_verdict(esc_in(out, esc_cur->expected) && !strstr(out, token), "%s", out);
}

static void tcp_loopback(void)
{
	tcp_host("connect4", AF_INET, "127.0.0.1", "127.0.0.1");
}

static void tcp_host_ip(void)
{
	char *ip = esc_host_ipv4();

	if (!ip) {
		esc_verdict(true, "n/a: the host has no non-loopback IPv4 address");
		return;
	}
	tcp_host("connect4", AF_INET, "0.0.0.0", ip);
}

static void tcp_ipv6_loopback(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	bool have6 = fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;

	if (fd >= 0)
		close(fd);
	if (!have6) {
		esc_verdict(true, "n/a: the host has no ::1");
		return;
	}
	tcp_host("connect6", AF_INET6, "::1", "::1");
}

static void mptcp_loopback(void)
{
	tcp_host("mptcp4", AF_INET, "127.0.0.1", "127.0.0.1");
}

static void udp_host(void)
{
	int port = esc_udp_server("127.0.0.1", 0, false);
	char *out = esc_probe1("udp4-send 127.0.0.1 %d exfiltrated-data", port);
	int n;

	e2e_sleep_ms(200);
	n = esc_udp_count();
	esc_verdict(n == 0, "%s; host listener received %d datagram(s)", out, n);
}

/* A real resolver query to a host DNS server on 127.0.0.1 (port 53 when we may bind it). */
static void dns_host(void)
{
	int port = 53, s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons(53),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char *out;
	int n;

	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		port = 0; /* not root, or a resolver already listens: any port */
	if (s >= 0)
		close(s);
	port = esc_udp_server("127.0.0.1", port, true);
	out = esc_probe1("dns-query 127.0.0.1 %d example.com", port);
	e2e_sleep_ms(100);
	n = esc_udp_count();
	esc_verdict(esc_in(out, "ECONNREFUSED|ETIMEDOUT|ENETUNREACH|EACCES|EPERM") && n == 0,
		    "%s (port %d); host resolver received %d quer%s", out, port, n,
		    n == 1 ? "y" : "ies");
}

static void ping_host(void)
{
	char *ip = esc_host_ipv4();
	char *out = esc_probe1("ping4 %s", ip ? ip : "127.0.0.1");

	esc_expect(out);
}

/* The sandbox listens on a free host port; the host must not reach it. */
static int listen_port;
static bool reached;

static void connect_during_run(pid_t pid, void *userdata)
{
	double end = e2e_now() + 1.5;

	(void)pid;
	(void)userdata;
	while (e2e_now() < end && !reached) {
		struct sockaddr_in sa = {.sin_family = AF_INET,
					 .sin_port = htons((uint16_t)listen_port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		char buf[16] = "";

		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		    read(fd, buf, sizeof(buf) - 1) > 0 && strstr(buf, "PWNED"))
			reached = true;
		close(fd);
		e2e_sleep_ms(50);
	}
}

static void bind_visible_on_host(void)
{
	struct e2e_run_opts o = {.on_started = connect_during_run};
	struct e2e_result r;
	char *cfg;

	listen_port = esc_free_port();
	cfg = e2e_cfg_write(esc_cfg("%s listen4 0.0.0.0 %d 2000", P, listen_port));
	e2e_run(&r, &o, "run", cfg, NULL);
	esc_verdict(!reached, "%s; host %s", e2e_line(&r, 0),
		    reached ? "REACHED the sandbox's listener" : "could not connect");
}

static void interfaces_only_lo(void)
{
	char *out = esc_probe1("netdevs");

	esc_verdict(!strcmp(out, "OK lo"), "%s", out);
}

static void newlink(bool host_net)
{
	char name[16];
	struct e2e_cfg *c;
	struct e2e_result r;
	char *l0;
	bool on_host;

	snprintf(name, sizeof(name), "mxe%d", (int)(getpid() % 100000));
	c = esc_cfg("%s nl-newlink %s", P, name);
	if (host_net)
		e2e_cfg_network(c, "allow", 1);
	esc_run(c, &r);
	l0 = e2e_line(&r, 0);
	on_host = if_nametoindex(name) != 0;
	if (on_host && geteuid() == 0) /* repair the host when it escaped */
		(void)!system(e2e_strf("ip link del %s 2>/dev/null", name));
	esc_verdict(esc_in(l0, "EPERM|EACCES|EOPNOTSUPP") && !on_host, "%s; %s", l0,
		    on_host ? "LINK CREATED ON THE HOST" : "host links unchanged");
}

static void newlink_blocked(void)
{
	newlink(false);
}

static void newlink_host_net(void)
{
	newlink(true);
}

static void dev_tcp_bash(void)
{
	char *token = e2e_unique("HOSTTOKEN");
	int port;
	struct e2e_result r;

	if (access("/bin/bash", X_OK) != 0) {
		esc_verdict(true, "n/a: no /bin/bash");
		return;
	}
	port = esc_tcp_server(AF_INET, "127.0.0.1", 0, token);
	esc_run(esc_cfg("bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d && cat <&3' 2>&1; echo rc=$?",
			port),
		&r);
	esc_verdict(!strstr(r.out, token) && !strstr(r.out, "rc=0"), "%s", r.out_esc);
}

const struct esc_attack esc_net_attacks[] = {
	{"tcp_host_loopback", "network", REFUSED, tcp_loopback},
	{"tcp_host_ip", "network", REFUSED, tcp_host_ip},
	{"tcp_ipv6_loopback", "network", REFUSED "|EADDRNOTAVAIL", tcp_ipv6_loopback},
	{"mptcp_host_loopback", "network", REFUSED "|EPROTONOSUPPORT|ENOPROTOOPT", mptcp_loopback},
	{"udp_host_loopback", "network", "host listener receives nothing", udp_host},
	{"dns_query_host_resolver", "network",
	 "ECONNREFUSED/ETIMEDOUT; host resolver receives nothing", dns_host},
	{"dev_tcp_bash", "network", "no connection (bash /dev/tcp)", dev_tcp_bash},
	{"raw_socket", "network", "EPERM|EACCES", NULL, "socket inet raw 1"},
	{"icmp_ping_host", "network", "EACCES|EPERM|ENETUNREACH|ETIMEDOUT", ping_host},
	{"listen_visible_on_host", "network", "host cannot connect to the sandbox's port",
	 bind_visible_on_host},
	{"interfaces_only_lo", "network", "only lo", interfaces_only_lo},
	{"netlink_newlink", "network", "EPERM; no host link", newlink_blocked},
	{"netlink_newlink_host_net", "network", "EPERM; no host link", newlink_host_net},
	{NULL},
};
