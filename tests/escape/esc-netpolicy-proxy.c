/* SPDX-License-Identifier: MIT */
/*
 * Escape attacks on the filtering proxy's and the relay's protocol handling
 * (the runner and the configurations are in esc-netpolicy.c): direct traffic
 * without the proxy, the host's loopback in every spelling, the proxy's own
 * listener, userinfo, Host header smuggling, name spelling, SOCKS5 commands,
 * and the relay's loopback.
 */
#include "esc-netpolicy.h"

#include <stdlib.h>
#include <sys/socket.h>

/* ---- 6. proxy mode ------------------------------------------------------------------- */

static void px_direct(void)
{
	static const struct enp_step steps[] = {
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"tcp " BLOCKED " 7001", NOROUTE},
		{"tcp " V6A " 7001", NOROUTE},
		{"tcp ::ffff:" ALLOWED " 7001", NOROUTE},
		{"udp " ALLOWED " 7001 x", "ENETUNREACH"},
		{"udp-via connect - " ALLOWED " 7001 x", "^ENETUNREACH"},
		{"tcp-via fastopen x " ALLOWED " 7001", NOROUTE},
		{"ping " ALLOWED, "ENETUNREACH|EACCES|EPERM"},
		{"tcp 10.0.2.2 7777", NOROUTE},
		{"tcp " CLI " 7777", NOROUTE},
		{"udp-via broadcast - 255.255.255.255 7001 x", "ENETUNREACH|EPERM"},
		{"netdevs", "=OK lo"},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

static void px_dns_direct(void)
{
	static const struct enp_step steps[] = {
		{"dns " SRV " 53 allowed.test A udp", "ENETUNREACH"},
		{"dns " SRV " 53 allowed.test A tcp", NOROUTE},
		{"dns " SRV6 " 53 allowed.test AAAA udp", "ENETUNREACH"},
		{"dns 10.0.2.3 53 allowed.test A udp", "ENETUNREACH"},
		{"dns fd00::3 53 allowed.test A udp", "ENETUNREACH"},
		{"dns 127.0.0.1 53 allowed.test A udp", "ECONNREFUSED|ETIMEDOUT"},
		{"dns ::1 53 allowed.test A udp", "ECONNREFUSED|ETIMEDOUT"},
		{"sh:getent ahosts nope.test >/dev/null 2>&1; echo rc=$?", "^rc= && not rc=0"},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

/* The proxy's own listener through itself: the host's 127.0.0.1:3128 is not the sandbox's. */
static void px_loop(void)
{
	static const struct enp_step steps[] = {
		{"connect-proxy " PX " 127.0.0.1:3128", "=OK 403"},
		{"connect-proxy " PX " [::1]:3128", "=OK 403"},
		{"connect-proxy " PX " localhost:3128", "=OK 403"},
		{"connect-proxy " PX6 " 127.0.0.1:3128", "=OK 403"},
		{"http-proxy " PX " http://127.0.0.1:3128/", "^OK 403"},
		{"http-proxy " PX " http://localhost:3128/", "^OK 403"},
		{"socks5 " PX " ipv4 127.0.0.1 3128", "=OK 2"},
		{"socks5 " PX " domain localhost 3128", "=OK 2"},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_open, steps);
}

/* Every spelling of the host's loopback in a CONNECT, with defaultPolicy allow. */
static void px_loopback_connect(void)
{
	static const struct enp_step steps[] = {
		{"connect-proxy " PX " 127.0.0.1:7777", "=OK 403"},
		{"connect-proxy " PX " localhost:7777", "=OK 403"},
		{"connect-proxy " PX " localhost.:7777", "=OK 403"},
		{"connect-proxy " PX " LOCALHOST:7777", "=OK 403"},
		{"connect-proxy " PX " ip6-localhost:7777", "=OK 403"},
		{"connect-proxy " PX " [::1]:7777", "=OK 403"},
		{"connect-proxy " PX " [0:0:0:0:0:0:0:1]:7777", "=OK 403"},
		{"connect-proxy " PX " 0.0.0.0:7777", "=OK 403"},
		{"connect-proxy " PX " 0:7777", "=OK 403"},
		{"connect-proxy " PX " [::]:7777", "=OK 403"},
		{"connect-proxy " PX " 127.1:7777", "=OK 403"},
		{"connect-proxy " PX " 127.0.1:7777", "=OK 403"},
		{"connect-proxy " PX " 2130706433:7777", "=OK 403"},
		{"connect-proxy " PX " 0x7f.1:7777", "=OK 403"},
		{"connect-proxy " PX " 0x7f000001:7777", "=OK 403"},
		{"connect-proxy " PX " 0177.0.0.1:7777", "=OK 403"},
		{"connect-proxy " PX " 017700000001:7777", "=OK 403"},
		{"connect-proxy " PX " 127.0.0.1.:7777", "=OK 403 || =OK 400"},
		{"connect-proxy " PX " 127.255.255.254:7777", "=OK 403"},
		{"connect-proxy " PX " [::ffff:127.0.0.1]:7777", "=OK 403"},
		{"connect-proxy " PX " [::ffff:7f00:1]:7777", "=OK 403"},
		/* not loopback on Linux: other IPv6 destinations (no route beyond mxct-srv) */
		{"connect-proxy " PX " [::127.0.0.1]:7777", "not CLIHOST && not OK 200"},
		{"connect-proxy " PX " [64:ff9b::127.0.0.1]:7777", "not CLIHOST && not OK 200"},
		{"connect-proxy " PX " [fe80::1%25lo]:7777", "=OK 400"},
		{"connect-proxy " PX " 127.0.0.1:7777 localhost:7777", "=OK 403"},
		{"connect-proxy " PX " other.test:7001", "ok 200 TOK 198.18.3.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_open, steps);
}

static void px_loopback_http_socks(void)
{
	static const struct enp_step steps[] = {
		{"http-proxy " PX " http://127.1:8081/", "^OK 403"},
		{"http-proxy " PX " http://2130706433:8081/", "^OK 403"},
		{"http-proxy " PX " http://0x7f.1:8081/", "^OK 403"},
		{"http-proxy " PX " http://0.0.0.0:8081/", "^OK 403"},
		{"http-proxy " PX " http://[::ffff:127.0.0.1]:8081/", "^OK 403"},
		{"http-proxy " PX " http://LocalHost.:8081/", "^OK 403"},
		{"http-proxy " PX " http://[::]:8081/", "^OK 403"},
		{"socks5 " PX " ipv4 127.0.0.1 7777", "=OK 2"},
		{"socks5 " PX " ipv4 0.0.0.0 7777", "=OK 2"},
		{"socks5 " PX " ipv6 ::1 7777", "=OK 2"},
		{"socks5 " PX " ipv6 :: 7777", "=OK 2"},
		{"socks5 " PX " ipv6 ::ffff:127.0.0.1 7777", "=OK 2"},
		{"socks5 " PX " domain localhost 7777", "=OK 2"},
		{"socks5 " PX " domain LOCALHOST. 7777", "=OK 2"},
		{"socks5 " PX " domain 127.1 7777", "=OK 2"},
		{"socks5 " PX " domain 2130706433 7777", "=OK 2"},
		{"socks5 " PX " domain 0x7f.1 7777", "=OK 2"},
		{"socks5 " PX " domain ::1 7777", "=OK 2"},
		{"socks5 " PX " domain [::1] 7777", "=OK 2"},
		{"socks5 " PX " domain other.test 7001", "ok 0 TOK 198.18.3.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_open, steps);
}

/* The host's own address is no way around an allow list. */
static void px_host_address(void)
{
	char *tok = e2e_unique("ENPHOST");
	int p_any = esc_tcp_server(AF_INET, "0.0.0.0", 0, tok);
	char *c1 = e2e_strf("connect-proxy " PX " " CLI ":%d", p_any);
	char *c2 = e2e_strf("socks5 " PX " ipv4 " CLI " %d", p_any);
	char *c3 = e2e_strf("http-proxy " PX " http://" CLI ":%d/", p_any);
	const struct enp_step steps[] = {
		{c1, "=OK 403"},
		{c2, "=OK 2"},
		{c3, "^OK 403"},
		{"connect-proxy " PX " " CLI ":7777", "=OK 403"},
		{"connect-proxy " PX " [" CLI6 "]:7777", "=OK 403"},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
	free(c1);
	free(c2);
	free(c3);
	free(tok);
}

static void px_userinfo(void)
{
	static const struct enp_step steps[] = {
		{"http-proxy " PX " http://allowed.test@blocked.test/ allowed.test",
		 "^OK 400 || ^OK 403"},
		{"http-proxy " PX " http://allowed.test@blocked.test/ blocked.test",
		 "^OK 400 || ^OK 403"},
		{"http-proxy " PX " http://allowed.test:80@blocked.test/ allowed.test",
		 "^OK 400 || ^OK 403"},
		{"http-proxy " PX " 'http://allowed.test\\@blocked.test/' allowed.test",
		 "^OK 400 || ^OK 403"},
		{"http-proxy " PX " http://blocked.test#@allowed.test/ allowed.test",
		 "^OK 400 || ^OK 403"},
		{"http-proxy " PX " http://blocked.test?@allowed.test/ allowed.test",
		 "^OK 400 || ^OK 403"},
		{"http-proxy " PX " http://blocked.test/@allowed.test/ allowed.test",
		 "^OK 400 || ^OK 403"},
		{"http-proxy " PX
		 " http://allowed.test%40blocked.test/ allowed.test%40blocked.test",
		 "^OK 400 || ^OK 403"},
		{"connect-proxy " PX " allowed.test@blocked.test:7001", "=OK 400 || =OK 403"},
		{"connect-proxy " PX " allowed.test:7001@blocked.test:7001", "=OK 400 || =OK 403"},
		{"http-proxy " PX " http://allowed.test/u", "ok 200 host=allowed.test", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

/* Raw requests: duplicate and folded Host headers, absolute URI against Host,
 * pipelining and body smuggling towards a blocked host. */
#define RAW "raw-tcp " PX " "
static void px_host_smuggling(void)
{
	static const struct enp_step steps[] = {
		{RAW "'GET http://allowed.test/ HTTP/1.1\\r\\nHost: allowed.test\\r\\nHost: "
		     "blocked.test\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 400 && not server="},
		{RAW "'GET http://allowed.test/ HTTP/1.1\\r\\nHost: blocked.test\\r\\nHost: "
		     "allowed.test\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 400 && not server="},
		{RAW "'GET http://allowed.test/ HTTP/1.1\\r\\nHost: blocked.test\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 403 && not server="},
		{RAW "'GET http://blocked.test/ HTTP/1.1\\r\\nHost: allowed.test\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 403 && not server="},
		{RAW "'GET / HTTP/1.1\\r\\nHost: blocked.test\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 400 && not server="},
		{RAW "'GET http://allowed.test/ HTTP/1.1\\r\\nHost: allowed.test\\r\\n "
		     "blocked.test\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 400 && not server="},
		{RAW "'GET http://allowed.test/ HTTP/1.1\\r\\nHost : blocked.test\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 400 && not server="},
		{RAW "'GET http://allowed.test/ HTTP/1.1\\r\\nHost: allowed.test\\x00blocked.test"
		     "\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 400 && not server="},
		{RAW "'GET http://blocked.test/ HTTP/1.1\\nHost: allowed.test\\n\\n'",
		 "^OK HTTP/1.1 403 && not server="},
		{RAW "'GET http://blocked.test/ HTTP/1.0\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 403 && not server="},
		{RAW "'CONNECT allowed.test:80 HTTP/1.1\\r\\nHost: blocked.test:80\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 403 && not server="},
		{RAW "'GET http://allowed.test/a HTTP/1.1\\r\\nHost: allowed.test\\r\\n"
		     "Content-Length: 0\\r\\n\\r\\nGET http://blocked.test/b HTTP/1.1\\r\\n"
		     "Host: blocked.test\\r\\n\\r\\n'",
		 "has server=198.18.1.1:80 && not server=198.18.2.1"},
		{RAW "'POST http://allowed.test/c HTTP/1.1\\r\\nHost: allowed.test\\r\\n"
		     "Transfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\nGET http://blocked.test/d "
		     "HTTP/1.1\\r\\nHost: blocked.test\\r\\n\\r\\n'",
		 "has server=198.18.1.1:80 && not server=198.18.2.1"},
		{RAW "'POST http://blocked.test/ HTTP/1.1\\r\\nHost: blocked.test\\r\\n"
		     "Content-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n'",
		 "^OK HTTP/1.1 40 && not server="},
		{RAW "'GET http://allowed.test/ok HTTP/1.1\\r\\nHost: ALLOWED.test.\\r\\n\\r\\n'",
		 "has server=198.18.1.1:80", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

/* Case and trailing dots: the allowed name still works, the blocked one never does. */
static void px_name_spelling(void)
{
	static const struct enp_step steps[] = {
		{"connect-proxy " PX " ALLOWED.TEST.:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{"connect-proxy " PX " Allowed.Test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{"connect-proxy " PX " BLOCKED.TEST:7001", "=OK 403"},
		{"connect-proxy " PX " blocked.test.:7001", "=OK 403"},
		{"connect-proxy " PX " Blocked.Test.:7001", "=OK 403"},
		{"connect-proxy " PX " blocked.test..:7001", "=OK 403 || =OK 400"},
		{"connect-proxy " PX " .blocked.test:7001", "=OK 403 || =OK 400"},
		{"connect-proxy " PX " BLOCKED6.TEST.:7001", "=OK 403"},
		{"connect-proxy " PX " " BLOCKED ":7001", "=OK 403"},
		{"connect-proxy " PX " [::ffff:" BLOCKED "]:7001", "=OK 403"},
		{"http-proxy " PX " http://BLOCKED.TEST./", "^OK 403"},
		{"socks5 " PX " domain BLOCKED.TEST. 7001", "=OK 2"},
		{"socks5 " PX " domain blocked.test.. 7001", "=OK 2"},
		/* a NUL inside the SOCKS5 name */
		{RAW "'\\x05\\x01\\x00\\x05\\x01\\x00\\x03\\x0dblocked.test\\x00\\x1b\\x59'",
		 "raw^OK \\x05\\x00\\x05\\x02"},
		{RAW "'\\x05\\x01\\x00\\x05\\x01\\x00\\x03\\x14allowed.test\\x00blocked\\x1b\\x59'",
		 "raw^OK \\x05\\x00\\x05\\x02"},
		{"socks5 " PX " domain other.test 7001", "=OK 2"},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

static void px_socks5_metadata(void)
{
	static const struct enp_step steps[] = {
		{"socks5 " PX " domain rebind.test 7001", "=OK 2"},
		{"socks5 " PX " domain REBIND.TEST. 7001", "=OK 2"},
		{"socks5 " PX " ipv4 169.254.169.254 7001", "=OK 2"},
		{"socks5 " PX " ipv6 fd00:ec2::254 7001", "=OK 2"},
		{"socks5 " PX " ipv6 ::ffff:169.254.169.254 7001", "=OK 2"},
		{"socks5 " PX " domain 169.254.169.254 7001", "=OK 2"},
		{"socks5 " PX " domain 0xa9fea9fe 7001", "=OK 2"},
		{"socks5 " PX " domain 169.254.43518 7001", "=OK 2"},
		{"connect-proxy " PX " rebind.test:7001", "=OK 403"},
		{"connect-proxy " PX " [::ffff:a9fe:a9fe]:7001", "=OK 403"},
		{"http-proxy " PX " http://rebind.test/latest/meta-data/", "^OK 403"},
		{"http-proxy " PX " http://2852039166/latest/meta-data/", "^OK 403"},
		{"socks5 " PX " domain allowed.test 7001", "ok 0 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

/* SOCKS5 BIND and UDP ASSOCIATE, unknown address types and methods, SOCKS4. */
static void px_socks_commands(void)
{
	static const struct enp_step steps[] = {
		/* BIND to allowed.test:7001 */
		{RAW "'\\x05\\x01\\x00\\x05\\x02\\x00\\x01\\xc6\\x12\\x01\\x01\\x1b\\x59'",
		 "raw^OK \\x05\\x00\\x05\\x07"},
		/* UDP ASSOCIATE */
		{RAW "'\\x05\\x01\\x00\\x05\\x03\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00'",
		 "raw^OK \\x05\\x00\\x05\\x07"},
		{RAW "'\\x05\\x01\\x00\\x05\\x03\\x00\\x03\\x0cblocked.test\\x1b\\x59'",
		 "raw^OK \\x05\\x00\\x05\\x07"},
		/* an unknown address type */
		{RAW "'\\x05\\x01\\x00\\x05\\x01\\x00\\x05\\xc6\\x12\\x02\\x01\\x1b\\x59'",
		 "raw^OK \\x05\\x00\\x05\\x08"},
		/* username/password only */
		{RAW "'\\x05\\x01\\x02\\x05\\x01\\x00\\x01\\xc6\\x12\\x02\\x01\\x1b\\x59'",
		 "raw^OK \\x05\\xff"},
		/* an empty name, port 0 */
		{RAW "'\\x05\\x01\\x00\\x05\\x01\\x00\\x03\\x00\\x1b\\x59'",
		 "raw^OK \\x05\\x00\\x05\\x02 || raw^OK \\x05\\x00\\x05\\x04"},
		{RAW "'\\x05\\x01\\x00\\x05\\x01\\x00\\x01\\xc6\\x12\\x01\\x01\\x00\\x00'",
		 "raw^OK \\x05\\x00\\x05\\x01"},
		/* SOCKS4 and SOCKS4a CONNECT to blocked.test:7001 */
		{RAW "'\\x04\\x01\\x1b\\x59\\xc6\\x12\\x02\\x01\\x00'",
		 "not TOK && rawnot \\x00\\x5a"},
		{RAW "'\\x04\\x01\\x1b\\x59\\x00\\x00\\x00\\x01\\x00blocked.test\\x00'",
		 "not TOK && rawnot \\x00\\x5a"},
		{"socks5 " PX " domain allowed.test 7001", "ok 0 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

/* IPv4-compatible and NAT64 spellings of blocked and metadata addresses (no NAT64
 * in the topology: they must not arrive anywhere). */
static void px_v4compat_nat64(void)
{
	static const struct enp_step steps[] = {
		{"connect-proxy " PX " [::" BLOCKED "]:7001", "not TOK && not OK 200"},
		{"connect-proxy " PX " [64:ff9b::" BLOCKED "]:7001", "not TOK && not OK 200"},
		{"connect-proxy " PX " [64:ff9b::169.254.169.254]:7001", "not TOK && not OK 200"},
		{"connect-proxy " PX " [::169.254.169.254]:7001", "not TOK && not OK 200"},
		{"socks5 " PX " ipv6 64:ff9b::" BLOCKED " 7001", "not TOK && not OK 0"},
		{"connect-proxy " PX " other.test:7001", "ok 200 TOK 198.18.3.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_open, steps);
}

/* Pre-0.8 host lists (the same proxy, started without any flag). */
static void px_legacy_lists(void)
{
	static const struct enp_step steps[] = {
		{"connect-proxy " PX " 127.1:7777", "=OK 403"},
		{"connect-proxy " PX " localhost:7777", "=OK 403"},
		{"connect-proxy " PX " [::ffff:127.0.0.1]:7777", "=OK 403"},
		{"connect-proxy " PX " BLOCKED.TEST.:7001", "=OK 403"},
		{"connect-proxy " PX " 169.254.169.254:7001", "=OK 403"},
		{"http-proxy " PX " http://allowed.test@blocked.test/ allowed.test",
		 "^OK 400 || ^OK 403"},
		{"socks5 " PX " domain localhost 7777", "=OK 2"},
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"dns " SRV " 53 allowed.test A udp", "ENETUNREACH"},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_legacy, steps);
}

/* ---- 7. relay ------------------------------------------------------------------------ */

static void relay_own_loopback(void)
{
	static const struct enp_step steps[] = {
		{"tcp 127.0.0.1 7777", OWNLO},
		{"tcp 127.0.0.1 8081", OWNLO},
		{"tcp 127.0.0.1 3128", OWNLO},
		{"tcp ::1 3129", OWNLO},
		{"tcp ::1 7777", OWNLO},
		{"tcp 127.0.0.2 3129", OWNLO},
		{"udp 127.0.0.1 3129 x 1000", "ECONNREFUSED|ETIMEDOUT"},
		{"udp 127.0.0.1 7777 x 1000", "ECONNREFUSED|ETIMEDOUT"},
		{"tcp 10.0.2.2 7777", NOROUTE},
		{"tcp " CLI " 3129", NOROUTE},
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"dns " SRV " 53 allowed.test A udp", "ENETUNREACH"},
		{"netdevs", "=OK lo"},
		{"connect-proxy 127.0.0.1 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001",
		 CTL},
		{0},
	};

	enp_attack(&enp_relay_lo, steps);
}

static void relay_own_address(void)
{
	static const struct enp_step steps[] = {
		{"tcp " OTHER " 7001", OWNLO},
		{"tcp " OTHER " 80", OWNLO},
		{"tcp " OTHER " 3128", OWNLO},
		{"udp " OTHER " 7001 x 1000", "ECONNREFUSED|ETIMEDOUT"},
		{"tcp ::ffff:" OTHER " 7001", OWNLO},
		{"tcp 127.0.0.1 3129", OWNLO},
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"tcp " V6A " 7001", NOROUTE},
		{"connect-proxy " OTHER " 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001",
		 CTL},
		{0},
	};

	enp_attack(&enp_relay_url, steps);
}

const struct esc_attack esc_netpolicy_proxy_attacks[] = {
	/* 6. proxy */
	{"px_direct_no_route", "net-proxy", "ENETUNREACH/EACCES", px_direct},
	{"px_dns_direct", "net-proxy", "ENETUNREACH", px_dns_direct},
	{"px_connect_own_listener", "net-proxy", "403 / SOCKS 2", px_loop},
	{"px_loopback_spellings_connect", "net-proxy", "403 (400 when malformed)",
	 px_loopback_connect, NULL, 60},
	{"px_loopback_spellings_http_socks", "net-proxy", "403 / SOCKS 2", px_loopback_http_socks},
	{"px_host_address", "net-proxy", "403 / SOCKS 2", px_host_address},
	{"px_userinfo", "net-proxy", "400 / 403", px_userinfo},
	{"px_host_header_smuggling", "net-proxy", "400 / 403; blocked.test never reached",
	 px_host_smuggling},
	{"px_name_case_trailing_dot", "net-proxy", "403 / SOCKS 2", px_name_spelling},
	{"px_socks5_metadata", "net-proxy", "SOCKS 2 / 403", px_socks5_metadata},
	{"px_socks5_bind_udp_socks4", "net-proxy", "SOCKS 7/8/ff; SOCKS4 refused",
	 px_socks_commands},
	{"px_v4compat_nat64", "net-proxy", "arrives nowhere", px_v4compat_nat64, NULL, 60},
	{"px_legacy_hostlists", "net-proxy", "403 / SOCKS 2; no route", px_legacy_lists},
	/* 7. relay */
	{"relay_loopback_is_own", "net-relay", "only the relay port; the rest is its own lo",
	 relay_own_loopback},
	{"relay_proxy_address_is_own", "net-relay", "198.18.3.1 other ports: its own lo",
	 relay_own_address},
	{NULL},
};
