/* SPDX-License-Identifier: MIT */
/* hostmatch: entry kinds, decision order, special addresses, malformed entries. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/hostmatch.h"

#define A HOSTMATCH_ALLOW
#define D HOSTMATCH_DENY

static struct hostmatch *mk(char *const *allowed, char *const *blocked, bool default_allow,
			    bool block_local)
{
	struct hostmatch *m = NULL;
	size_t bad = 99;
	bool bad_block = false;
	int r = hostmatch_new(allowed, blocked, default_allow, block_local, &m, &bad, &bad_block);

	ck_assert_msg(r == 0, "hostmatch_new: %d (bad index %zu, block %d)", r, bad, bad_block);
	ck_assert_ptr_nonnull(m);
	return m;
}

static void to_sockaddr(const char *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		return;
	}
	ck_assert_msg(inet_pton(AF_INET6, s, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1,
		      "bad test address %s", s);
	ss->ss_family = AF_INET6;
}

/* addrs: comma-separated list or NULL. */
static void expect_idx(const struct hostmatch *m, const char *host, const char *addrs,
		       enum hostmatch_verdict v, const char *rule, int idx)
{
	struct sockaddr_storage ss[8];
	struct hostmatch_result res;
	size_t n = 0;

	if (addrs) {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", addrs);
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
		     t = strtok_r(NULL, ",", &save))
			to_sockaddr(t, &ss[n++]);
	}
	memset(&res, 0xaa, sizeof(res));
	hostmatch_decide(m, host, ss, n, &res);
	ck_assert_msg(res.verdict == v && strcmp(res.rule, rule) == 0,
		      "%s [%s]: got %s \"%s\", want %s \"%s\"", host, addrs ? addrs : "",
		      res.verdict == A ? "allow" : "deny", res.rule, v == A ? "allow" : "deny",
		      rule);
	if (idx != -2)
		ck_assert_msg(res.address_index == idx, "%s: address_index %d, want %d", host,
			      res.address_index, idx);
}

static void expect(const struct hostmatch *m, const char *host, const char *addrs,
		   enum hostmatch_verdict v, const char *rule)
{
	expect_idx(m, host, addrs, v, rule, -2);
}

START_TEST(test_allow_entry_kinds)
{
	char *allowed[] = {"example.com",      "*.wild.test",	   "198.51.100.7",
			   "[2001:db8::1]",    "203.0.113.0/24",   "2001:db8:1::/48",
			   "::ffff:192.0.2.9", "Mixed.Case.Test.", NULL};
	struct hostmatch *m = mk(allowed, NULL, false, false);
	const char *nia = "not in allowedHosts";

	/* exact names: case-insensitive, trailing dot ignored, no subdomains */
	expect(m, "example.com", "93.184.216.34", A, "allowedHosts[0]=example.com");
	expect(m, "EXAMPLE.Com.", "93.184.216.34", A, "allowedHosts[0]=example.com");
	expect(m, "www.example.com", "93.184.216.34", D, nia);
	expect(m, "example.com.evil", "93.184.216.34", D, nia);
	expect(m, "mixed.case.test", "93.184.216.34", A, "allowedHosts[7]=Mixed.Case.Test.");
	/* wildcards: subdomains only */
	expect(m, "a.wild.test", "93.184.216.34", A, "allowedHosts[1]=*.wild.test");
	expect(m, "A.B.Wild.Test.", "93.184.216.34", A, "allowedHosts[1]=*.wild.test");
	expect(m, "wild.test", "93.184.216.34", D, nia);
	expect(m, "evilwild.test", "93.184.216.34", D, nia);
	expect(m, ".wild.test", "93.184.216.34", D, "invalid host name");
	/* literals, with and without brackets */
	expect(m, "198.51.100.7", NULL, A, "allowedHosts[2]=198.51.100.7");
	expect(m, "198.51.100.8", NULL, D, nia);
	expect(m, "2001:db8::1", NULL, A, "allowedHosts[3]=[2001:db8::1]");
	expect(m, "[2001:db8::1]", NULL, A, "allowedHosts[3]=[2001:db8::1]");
	expect(m, "[2001:db8::2]", NULL, D, nia);
	/* CIDR boundaries */
	expect(m, "203.0.113.0", NULL, A, "allowedHosts[4]=203.0.113.0/24");
	expect(m, "203.0.113.255", NULL, A, "allowedHosts[4]=203.0.113.0/24");
	expect(m, "203.0.112.255", NULL, D, nia);
	expect(m, "203.0.114.0", NULL, D, nia);
	expect(m, "[2001:db8:1:ffff:ffff:ffff:ffff:ffff]", NULL, A,
	       "allowedHosts[5]=2001:db8:1::/48");
	expect(m, "2001:db8:1::", NULL, A, "allowedHosts[5]=2001:db8:1::/48");
	expect(m, "2001:db8:2::", NULL, D, nia);
	expect(m, "2001:db8:0:ffff::1", NULL, D, nia);
	/* IPv4-mapped IPv6, in requests and in rules */
	expect(m, "::ffff:198.51.100.7", NULL, A, "allowedHosts[2]=198.51.100.7");
	expect(m, "[::ffff:203.0.113.5]", NULL, A, "allowedHosts[4]=203.0.113.0/24");
	expect(m, "192.0.2.9", NULL, A, "allowedHosts[6]=::ffff:192.0.2.9");
	expect(m, "name.test", "::ffff:192.0.2.9", A, "allowedHosts[6]=::ffff:192.0.2.9");
	/* a name allowed by its addresses: every address must be covered */
	expect(m, "other.test", "203.0.113.9", A, "allowedHosts[4]=203.0.113.0/24");
	expect(m, "other.test", "203.0.113.9,2001:db8:1::5", A, "allowedHosts[4]=203.0.113.0/24");
	expect(m, "other.test", "203.0.113.9,8.8.8.8", D, nia);
	/* before resolution: provisional, the addresses decide later */
	expect(m, "other.test", NULL, A, "pending address check");
	/* junk */
	expect(m, "a b", NULL, D, "invalid host name");
	expect(m, "", NULL, D, "invalid host name");
	expect(m, "fe80::1%eth0", NULL, D, "invalid host name");
	expect(m, "[203.0.113.1]", NULL, D, "invalid host name");
	hostmatch_free(m);
}
END_TEST

START_TEST(test_name_only_allow_list)
{
	char *allowed[] = {"example.com", NULL};
	struct hostmatch *m = mk(allowed, NULL, true, false);

	/* no IP entries: a name not listed is refused before resolution */
	expect(m, "other.test", NULL, D, "not in allowedHosts");
	expect(m, "example.com", NULL, A, "allowedHosts[0]=example.com");
	/* a non-empty allow list overrides defaultPolicy=allow */
	expect(m, "93.184.216.34", NULL, D, "not in allowedHosts");
	hostmatch_free(m);
}
END_TEST

START_TEST(test_block_entry_kinds)
{
	char *blocked[] = {"blocked.test",  "*.evil.test",    "198.51.100.7",
			   "2001:db8::/32", "203.0.113.0/24", NULL};
	struct hostmatch *m = mk(NULL, blocked, true, false);
	const char *dflt = "defaultPolicy=allow";

	expect(m, "blocked.test", NULL, D, "blockedHosts[0]=blocked.test");
	expect(m, "BLOCKED.test.", "93.184.216.34", D, "blockedHosts[0]=blocked.test");
	expect(m, "sub.blocked.test", "93.184.216.34", A, dflt);
	expect(m, "x.evil.test", NULL, D, "blockedHosts[1]=*.evil.test");
	expect(m, "evil.test", "93.184.216.34", A, dflt);
	expect(m, "notevil.test", "93.184.216.34", A, dflt);
	expect_idx(m, "198.51.100.7", NULL, D, "blockedHosts[2]=198.51.100.7", -1);
	expect(m, "::ffff:198.51.100.7", NULL, D, "blockedHosts[2]=198.51.100.7");
	expect_idx(m, "fine.test", "93.184.216.34,198.51.100.7", D, "blockedHosts[2]=198.51.100.7",
		   1);
	expect(m, "[2001:db8:5::1]", NULL, D, "blockedHosts[3]=2001:db8::/32");
	expect(m, "2001:db9::1", NULL, A, dflt);
	expect(m, "203.0.113.255", NULL, D, "blockedHosts[4]=203.0.113.0/24");
	expect(m, "203.0.114.1", NULL, A, dflt);
	hostmatch_free(m);
}
END_TEST

/* NAT64 (64:ff9b::/96) and IPv4-compatible (::a.b.c.d) requests and answers are
 * decided as the IPv4 address they carry (a translating network reaches it). */
START_TEST(test_embedded_ipv4)
{
	char *blocked[] = {"198.51.100.0/24", NULL};
	struct hostmatch *m = mk(NULL, blocked, true, false);
	const char *dflt = "defaultPolicy=allow";

	expect(m, "[64:ff9b::198.51.100.7]", NULL, D, "blockedHosts[0]=198.51.100.0/24");
	expect(m, "::198.51.100.7", NULL, D, "blockedHosts[0]=198.51.100.0/24");
	expect(m, "nat64.test", "64:ff9b::c633:6407", D, "blockedHosts[0]=198.51.100.0/24");
	expect(m, "[64:ff9b::203.0.113.1]", NULL, A, dflt);
	/* the metadata address and the host's loopback through the same forms */
	expect(m, "[64:ff9b::169.254.169.254]", NULL, D, "metadata address");
	expect(m, "[::127.0.0.1]", NULL, D, "loopback address");
	/* ::1 and :: stay what they are */
	expect(m, "::1", NULL, D, "loopback address");
	hostmatch_free(m);
}
END_TEST

START_TEST(test_block_beats_allow)
{
	char *allowed[] = {"*.example.com", "203.0.113.0/24", "bad2.example.com", NULL};
	char *blocked[] = {"bad.example.com", "203.0.113.66", "*.example.com", NULL};
	struct hostmatch *m = mk(allowed, NULL, false, false);
	struct hostmatch *m2 = mk(allowed, blocked, false, false);

	expect(m, "bad.example.com", "93.184.216.34", A, "allowedHosts[0]=*.example.com");
	expect(m2, "bad.example.com", "93.184.216.34", D, "blockedHosts[0]=bad.example.com");
	expect(m2, "bad2.example.com", "93.184.216.34", D, "blockedHosts[2]=*.example.com");
	expect(m2, "203.0.113.66", NULL, D, "blockedHosts[1]=203.0.113.66");
	expect(m2, "203.0.113.65", NULL, A, "allowedHosts[1]=203.0.113.0/24");
	expect(m2, "name.test", "203.0.113.66", D, "blockedHosts[1]=203.0.113.66");
	hostmatch_free(m);
	hostmatch_free(m2);
}
END_TEST

START_TEST(test_default_policy)
{
	char *empty[] = {NULL};
	struct hostmatch *ma = mk(NULL, NULL, true, false);
	struct hostmatch *mb = mk(empty, empty, false, false);

	expect(ma, "example.com", "93.184.216.34", A, "defaultPolicy=allow");
	expect(ma, "93.184.216.34", NULL, A, "defaultPolicy=allow");
	expect(mb, "example.com", "93.184.216.34", D, "defaultPolicy=block");
	expect(mb, "example.com", NULL, D, "defaultPolicy=block");
	hostmatch_free(ma);
	hostmatch_free(mb);
}
END_TEST

START_TEST(test_special_addresses)
{
	struct hostmatch *m = mk(NULL, NULL, true, false);

	expect(m, "127.0.0.1", NULL, D, "loopback address");
	expect(m, "127.255.255.254", NULL, D, "loopback address");
	expect(m, "::1", NULL, D, "loopback address");
	expect(m, "[::1]", NULL, D, "loopback address");
	expect(m, "::ffff:127.0.0.1", NULL, D, "loopback address");
	expect(m, "127.1", NULL, D, "loopback address");
	expect(m, "2130706433", NULL, D, "loopback address");
	expect_idx(m, "localhost.test", "127.0.0.1", D, "loopback address", 0);
	expect(m, "169.254.169.254", NULL, D, "metadata address");
	expect(m, "fd00:ec2::254", NULL, D, "metadata address");
	expect(m, "[fd00:ec2::254]", NULL, D, "metadata address");
	expect(m, "169.254.1.1", NULL, D, "link-local address");
	expect(m, "fe80::1", NULL, D, "link-local address");
	expect(m, "0.0.0.0", NULL, D, "unspecified address");
	expect(m, "0.1.2.3", NULL, D, "unspecified address");
	expect(m, "::", NULL, D, "unspecified address");
	expect(m, "224.0.0.1", NULL, D, "multicast address");
	expect(m, "239.255.255.255", NULL, D, "multicast address");
	expect(m, "ff02::1", NULL, D, "multicast address");
	expect(m, "255.255.255.255", NULL, D, "broadcast address");
	/* every resolved address is checked (DNS rebinding) */
	expect_idx(m, "rebind.test", "93.184.216.34,169.254.169.254", D, "metadata address", 1);
	/* local ranges only with block_local */
	expect(m, "10.0.0.1", NULL, A, "defaultPolicy=allow");
	expect(m, "fd12::1", NULL, A, "defaultPolicy=allow");
	expect(m, "223.255.255.255", NULL, A, "defaultPolicy=allow");
	hostmatch_free(m);
}
END_TEST

START_TEST(test_block_local)
{
	struct hostmatch *m = mk(NULL, NULL, true, true);
	const char *loc = "allowLocalNetwork=false", *dflt = "defaultPolicy=allow";

	expect(m, "10.0.0.1", NULL, D, loc);
	expect(m, "10.255.255.255", NULL, D, loc);
	expect(m, "172.16.0.1", NULL, D, loc);
	expect(m, "172.31.255.255", NULL, D, loc);
	expect(m, "192.168.1.1", NULL, D, loc);
	expect(m, "100.64.0.1", NULL, D, loc);
	expect(m, "100.127.255.255", NULL, D, loc);
	expect(m, "fd12::1", NULL, D, loc);
	expect(m, "fc00::1", NULL, D, loc);
	expect(m, "::ffff:192.168.0.1", NULL, D, loc);
	expect(m, "lan.test", "192.168.0.10", D, loc);
	expect(m, "172.32.0.1", NULL, A, dflt);
	expect(m, "172.15.255.255", NULL, A, dflt);
	expect(m, "100.128.0.1", NULL, A, dflt);
	expect(m, "11.0.0.1", NULL, A, dflt);
	expect(m, "fe00::1", NULL, A, dflt);
	/* metadata is still metadata */
	expect(m, "fd00:ec2::254", NULL, D, "metadata address");
	hostmatch_free(m);
}
END_TEST

START_TEST(test_special_explicit_allow)
{
	char *allowed[] = {"127.0.0.1/32", "10.0.0.0/8", "allowed.test", "[::1]", NULL};
	char *wide[] = {"169.254.0.0/16", "0.0.0.0/0", "::/0", NULL};
	char *meta[] = {"169.254.169.254", "[fd00:ec2::254]", NULL};
	struct hostmatch *m = mk(allowed, NULL, false, true);
	struct hostmatch *w = mk(wide, NULL, false, true);
	struct hostmatch *md = mk(meta, NULL, false, false);

	expect(m, "127.0.0.1", NULL, A, "allowedHosts[0]=127.0.0.1/32");
	expect(m, "127.0.0.2", NULL, D, "loopback address");
	expect(m, "::1", NULL, A, "allowedHosts[3]=[::1]");
	expect(m, "10.2.3.4", NULL, A, "allowedHosts[1]=10.0.0.0/8");
	expect(m, "192.168.0.1", NULL, D, "allowLocalNetwork=false");
	expect(m, "allowed.test", "127.0.0.1", A, "allowedHosts[2]=allowed.test");
	expect(m, "allowed.test", "10.1.1.1", A, "allowedHosts[2]=allowed.test");
	/* an allowed name resolving to a special address (rebinding) */
	expect(m, "allowed.test", "127.0.0.2", D, "loopback address");
	expect(m, "allowed.test", "169.254.169.254", D, "metadata address");
	expect(m, "allowed.test", "93.184.216.34,::1,fe80::1", D, "link-local address");
	/* an unlisted name whose addresses are all explicitly allowed */
	expect(m, "other.test", "127.0.0.1", A, "allowedHosts[0]=127.0.0.1/32");

	/* entries wider than the special range do not count */
	expect(w, "127.0.0.1", NULL, D, "loopback address");
	expect(w, "::1", NULL, D, "loopback address");
	expect(w, "10.0.0.1", NULL, D, "allowLocalNetwork=false");
	expect(w, "93.184.216.34", NULL, A, "allowedHosts[1]=0.0.0.0/0");
	expect(w, "2001:4860::8888", NULL, A, "allowedHosts[2]=::/0");
	expect(w, "169.254.1.1", NULL, A, "allowedHosts[0]=169.254.0.0/16");
	expect(w, "169.254.169.254", NULL, D, "metadata address");

	/* metadata only by its exact address */
	expect(md, "169.254.169.254", NULL, A, "allowedHosts[0]=169.254.169.254");
	expect(md, "[fd00:ec2::254]", NULL, A, "allowedHosts[1]=[fd00:ec2::254]");
	expect(md, "169.254.169.253", NULL, D, "link-local address");
	hostmatch_free(m);
	hostmatch_free(w);
	hostmatch_free(md);
}
END_TEST

static const char *const malformed[] = {
	"10.0.0.0/33", "*.",	       "a b",	       "",	  "*",
	"a.*.com",     "1.2.3",	       "[10.0.0.1]",   "::1/129", "10.0.0.1/",
	"300.1.1.1",   "-a.com",       "foo..com",     "[::1",	  "*.a b",
	"10.0.0.0/-1", "10.0.0.0/+8",  "exa$mple.com", "127.1",	  ".",
	"a.com/8",     "*example.com",
};

START_TEST(test_malformed)
{
	const char *bad = malformed[_i];
	char *good = "ok.test";
	struct hostmatch *m = NULL;
	size_t idx = 77;
	bool is_block = false;

	for (int side = 0; side < 2; side++) {
		char *list[] = {good, (char *)bad, NULL};
		m = NULL;
		idx = 77;
		is_block = !side;
		int r = hostmatch_new(side ? NULL : list, side ? list : NULL, true, false, &m, &idx,
				      &is_block);
		ck_assert_msg(r == -EINVAL, "'%s': r=%d", bad, r);
		ck_assert_ptr_null(m);
		ck_assert_uint_eq(idx, 1);
		ck_assert_int_eq(is_block, side == 1);
	}
}
END_TEST

START_TEST(test_wellformed)
{
	char *ok[] = {"EXAMPLE.com.", "*.a.b",
		      "[::1]",	      "::1",
		      "10.0.0.0/8",   "10.1.2.3/8",
		      "fd00::/8",     "_srv.example.com",
		      "xn--d1a.test", "[2001:db8::]/32",
		      "0.0.0.0/0",    "a-b.c",
		      "*.com",	      NULL};
	struct hostmatch *m = mk(ok, ok, false, false);

	hostmatch_free(m);
	/* host bits are masked */
	m = mk((char *[]){"10.1.2.3/8", NULL}, NULL, false, true);
	expect(m, "10.200.0.1", NULL, A, "allowedHosts[0]=10.1.2.3/8");
	expect(m, "11.0.0.1", NULL, D, "not in allowedHosts");
	hostmatch_free(m);
}
END_TEST

START_TEST(test_is_ip_or_cidr)
{
	ck_assert(hostmatch_is_ip_or_cidr("10.0.0.0/8"));
	ck_assert(hostmatch_is_ip_or_cidr("1.2.3.4"));
	ck_assert(hostmatch_is_ip_or_cidr("::1"));
	ck_assert(hostmatch_is_ip_or_cidr("[::1]"));
	ck_assert(hostmatch_is_ip_or_cidr("fd00::/8"));
	ck_assert(!hostmatch_is_ip_or_cidr("example.com"));
	ck_assert(!hostmatch_is_ip_or_cidr("*.example.com"));
	ck_assert(!hostmatch_is_ip_or_cidr("10.0.0.0/33"));
	ck_assert(!hostmatch_is_ip_or_cidr("127.1"));
	ck_assert(!hostmatch_is_ip_or_cidr(""));
	ck_assert(!hostmatch_is_ip_or_cidr(NULL));
}
END_TEST

START_TEST(test_parse_literal)
{
	struct sockaddr_storage ss;
	char buf[INET6_ADDRSTRLEN];

	ck_assert(hostmatch_parse_literal("[::1]", &ss));
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "::1");
	ck_assert(hostmatch_parse_literal("::ffff:1.2.3.4", &ss));
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	ck_assert(hostmatch_parse_literal("127.1", &ss));
	ck_assert_int_eq(ss.ss_family, AF_INET);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "127.0.0.1");
	ck_assert(!hostmatch_parse_literal("example.com", &ss));
	ck_assert(!hostmatch_parse_literal("1.2.3.4 x", &ss));
	ck_assert(!hostmatch_parse_literal("[1.2.3.4]", &ss));
}
END_TEST

static int resolve_calls;

static int fake_resolve(const char *host, struct sockaddr_storage *out, size_t max, void *data)
{
	ck_assert_ptr_eq(data, &resolve_calls);
	resolve_calls++;
	if (strcmp(host, "blocked.test") != 0 || max < 2)
		return -ENOENT;
	to_sockaddr("198.51.100.7", &out[0]);
	to_sockaddr("2001:db8::7", &out[1]);
	return 2;
}

START_TEST(test_refresh_blocked_names)
{
	char *blocked[] = {"*.wild.test", "blocked.test", "unknown.test", NULL};
	struct hostmatch *m = mk(NULL, blocked, true, false);

	expect(m, "198.51.100.7", NULL, A, "defaultPolicy=allow");
	resolve_calls = 0;
	hostmatch_refresh(m, fake_resolve, &resolve_calls);
	ck_assert_int_eq(resolve_calls, 2); /* names only, not the wildcard */
	expect(m, "198.51.100.7", NULL, D,
	       "blockedHosts[1]=blocked.test (resolves to 198.51.100.7)");
	expect(m, "[2001:db8::7]", NULL, D,
	       "blockedHosts[1]=blocked.test (resolves to 2001:db8::7)");
	expect(m, "::ffff:198.51.100.7", NULL, D,
	       "blockedHosts[1]=blocked.test (resolves to 198.51.100.7)");
	expect_idx(m, "alias.test", "93.184.216.34,2001:db8::7", D,
		   "blockedHosts[1]=blocked.test (resolves to 2001:db8::7)", 1);
	expect(m, "198.51.100.8", NULL, A, "defaultPolicy=allow");
	/* at most once a minute */
	hostmatch_refresh(m, fake_resolve, &resolve_calls);
	ck_assert_int_eq(resolve_calls, 2);
	hostmatch_free(m);
}
END_TEST

static Suite *hostmatch_suite(void)
{
	Suite *s = suite_create("hostmatch");
	TCase *tc = tcase_create("unit");

	tcase_add_test(tc, test_allow_entry_kinds);
	tcase_add_test(tc, test_name_only_allow_list);
	tcase_add_test(tc, test_block_entry_kinds);
	tcase_add_test(tc, test_block_beats_allow);
	tcase_add_test(tc, test_default_policy);
	tcase_add_test(tc, test_special_addresses);
	tcase_add_test(tc, test_block_local);
	tcase_add_test(tc, test_special_explicit_allow);
	tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof(malformed) / sizeof(malformed[0])));
	tcase_add_test(tc, test_wellformed);
	tcase_add_test(tc, test_is_ip_or_cidr);
	tcase_add_test(tc, test_parse_literal);
	tcase_add_test(tc, test_refresh_blocked_names);
	tcase_add_test(tc, test_embedded_ipv4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hostmatch_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
