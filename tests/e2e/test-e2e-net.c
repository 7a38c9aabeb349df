/* SPDX-License-Identifier: MIT */
/* e2e: network policy: blocked (own netns with only lo) and allowed (host network shared). */
#include "e2e-util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t server_pid = -1;
static int server_port;
static char server_token[64];

/* Starts a TCP server on the host's 127.0.0.1 that writes a token to every client. */
static void server_start(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert(fd >= 0);
	ck_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ck_assert(listen(fd, 16) == 0);
	ck_assert(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	server_port = ntohs(sa.sin_port);
	snprintf(server_token, sizeof(server_token), "HELLO-%d-%d", (int)getpid(), server_port);

	server_pid = fork();
	ck_assert(server_pid >= 0);
	if (server_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			int c = accept(fd, NULL, NULL);
			if (c < 0)
				continue;
			(void)!write(c, server_token, strlen(server_token));
			close(c);
		}
	}
	close(fd);
}

static void server_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
	server_pid = -1;
}

static void net_setup(void)
{
	e2e_setup();
	server_start();
}

static void net_teardown(void)
{
	server_stop();
	e2e_teardown();
}

/* Sanity: the server is reachable from the host, so "unreachable" results inside mean something. */
static void assert_server_reachable_from_host(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons((uint16_t)server_port)};
	char buf[64] = {0};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ck_assert(read(fd, buf, sizeof(buf) - 1) > 0);
	ck_assert_str_eq(buf, server_token);
	close(fd);
}

static void run_blocked(struct e2e_cfg *c)
{
	struct e2e_result r;
	char *cfg;

	assert_server_reachable_from_host();
	c = c ? c : e2e_cfg_new(NULL);
	cfg = e2e_cfg_write(c);
	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 0, "exit %d stdout=[%s] stderr=[%s]", r.exit_code, r.out_esc,
		      r.err_esc);
	char *l0 = e2e_line(&r, 0);
	/* EACCES: Landlock (ABI >= 4) denies TCP connect when the network is blocked. */
	ck_assert_msg(!strcmp(l0, "ECONNREFUSED") || !strcmp(l0, "ENETUNREACH") ||
			      !strcmp(l0, "EACCES"),
		      "connect to the host's 127.0.0.1:%d from a blocked sandbox gave [%s]",
		      server_port, l0);
	ck_assert_msg(!strstr(r.out, server_token), "the host server was reached");
	char *l1 = e2e_line(&r, 1);
	ck_assert_msg(!strcmp(l1, "OK lo"),
		      "interfaces in a blocked sandbox: [%s], expected only lo", l1);
	char *l2 = e2e_line(&r, 2);
	char *host_net = e2e_strf("OK %s", e2e_host_ns("net"));
	ck_assert_msg(strcmp(l2, host_net), "blocked sandbox shares the host net namespace");
}

static char *probe_net_cmd(void)
{
	return e2e_strf("%s connect4 127.0.0.1 %d; %s netdevs; %s readlink /proc/self/ns/net",
			e2e_probe, server_port, e2e_probe, e2e_probe);
}

START_TEST(net_blocked_by_default)
{
	struct e2e_cfg *c = e2e_cfg_new(probe_net_cmd());

	run_blocked(c);
}
END_TEST

START_TEST(net_blocked_explicit)
{
	struct e2e_cfg *c = e2e_cfg_new(probe_net_cmd());

	e2e_cfg_network(c, "block", -1);
	run_blocked(c);
}
END_TEST

START_TEST(net_blocked_v07)
{
	struct e2e_cfg *c = e2e_cfg_new(probe_net_cmd());

	e2e_cfg_version(c, "0.7.0-alpha");
	e2e_cfg_network(c, "block", -1);
	run_blocked(c);
}
END_TEST

static void run_allowed(struct e2e_cfg *c)
{
	struct e2e_result r;
	char *cfg = e2e_cfg_write(c);

	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 0, "exit %d stdout=[%s] stderr=[%s]", r.exit_code, r.out_esc,
		      r.err_esc);
	char *l0 = e2e_line(&r, 0);
	char *expect = e2e_strf("OK %s", server_token);
	ck_assert_msg(!strcmp(l0, expect), "connect to the host server gave [%s], expected [%s]",
		      l0, expect);
	char *l2 = e2e_line(&r, 2);
	char *host_net = e2e_strf("OK %s", e2e_host_ns("net"));
	ck_assert_msg(!strcmp(l2, host_net),
		      "allowed sandbox has its own net namespace [%s] vs host [%s]", l2, host_net);
}

START_TEST(net_allowed_v07)
{
	struct e2e_cfg *c = e2e_cfg_new(probe_net_cmd());

	e2e_cfg_version(c, "0.7.0-alpha");
	e2e_cfg_network(c, "allow", -1);
	run_allowed(c);
}
END_TEST

START_TEST(net_allowed_v08_local_network)
{
	struct e2e_cfg *c = e2e_cfg_new(probe_net_cmd());

	e2e_cfg_version(c, "0.8.0-alpha");
	e2e_cfg_network(c, "allow", 1);
	run_allowed(c);
}
END_TEST

Suite *e2e_net_suite(void)
{
	Suite *s = suite_create("e2e-net");
	TCase *tc = tcase_create("net");

	tcase_add_checked_fixture(tc, net_setup, net_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, net_blocked_by_default);
	tcase_add_test(tc, net_blocked_explicit);
	tcase_add_test(tc, net_blocked_v07);
	tcase_add_test(tc, net_allowed_v07);
	tcase_add_test(tc, net_allowed_v08_local_network);
	suite_add_tcase(s, tc);
	return s;
}
