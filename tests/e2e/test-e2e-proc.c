/* SPDX-License-Identifier: MIT */
/* e2e: the workload process: stdio, exit codes, signals, env, cwd, namespaces, timeout. */
#include "e2e-util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void run_cfg(struct e2e_result *r, struct e2e_cfg *c)
{
	char *cfg = e2e_cfg_write(c);

	e2e_run_config(r, cfg);
	free(cfg);
}

static void run_cfg_opts(struct e2e_result *r, struct e2e_cfg *c, const struct e2e_run_opts *o)
{
	char *cfg = e2e_cfg_write(c);

	e2e_run(r, o, "run", cfg, NULL);
	free(cfg);
}

START_TEST(stdout_binary_exact)
{
	static const char expect[] = "A\0B\377\001\nlast";
	struct e2e_result r;

	run_cfg(&r, e2e_cfg_new("printf 'A\\000B\\377\\001\\nlast'"));
	ck_assert_msg(r.exit_code == 0, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	ck_assert_msg(r.out_len == sizeof(expect) - 1, "stdout has %zu bytes, expected %zu",
		      r.out_len, sizeof(expect) - 1);
	ck_assert(!memcmp(r.out, expect, r.out_len));
	ck_assert_msg(r.err_len == 0, "stderr not empty: [%s]", r.err_esc);
}
END_TEST

START_TEST(stdout_large)
{
	struct e2e_result r;
	size_t cap = 2 * 1024 * 1024, len = 0;
	char *expect = malloc(cap);

	for (int i = 1; i <= 200000; i++)
		len += (size_t)snprintf(expect + len, cap - len, "%d\n", i);
	run_cfg(&r, e2e_cfg_new("seq 1 200000"));
	ck_assert_msg(r.exit_code == 0, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	ck_assert_msg(r.out_len == len, "stdout has %zu bytes, expected %zu", r.out_len, len);
	ck_assert(!memcmp(r.out, expect, len));
	ck_assert_uint_eq(r.err_len, 0);
}
END_TEST

START_TEST(stderr_passthrough)
{
	struct e2e_result r;

	run_cfg(&r, e2e_cfg_new("printf 'to-err\\nline2' >&2; printf 'to-out'; exit 3"));
	e2e_assert_out(&r, 3, "to-out");
	ck_assert_msg(r.err_len == 12 && !memcmp(r.err, "to-err\nline2", 12), "stderr [%s]",
		      r.err_esc);
}
END_TEST

START_TEST(exit_code_passthrough)
{
	static const int codes[] = {0, 1, 7, 42, 126, 200};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct e2e_result r;
		char *cmd = e2e_strf("echo code%d; exit %d", codes[i], codes[i]);
		char *out = e2e_strf("code%d\n", codes[i]);

		run_cfg(&r, e2e_cfg_new(cmd));
		e2e_assert_out(&r, codes[i], out);
		ck_assert_msg(r.err_len == 0, "stderr not empty for exit %d: [%s]", codes[i],
			      r.err_esc);
		e2e_result_free(&r);
	}
}
END_TEST

START_TEST(command_not_found_127)
{
	struct e2e_result r;

	run_cfg(&r, e2e_cfg_new("/no/such/binary-mxc-e2e"));
	ck_assert_int_eq(r.exit_code, 127);
	ck_assert_uint_eq(r.out_len, 0);
}
END_TEST

START_TEST(workload_killed_by_signal)
{
	static const struct {
		const char *sig;
		int code;
	} cases[] = {
		{"KILL", 137},
		{"TERM", 143},
		{"SEGV", 139},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct e2e_result r;

		run_cfg(&r, e2e_cfg_new(e2e_probe_cmd("kill-self %s", cases[i].sig)));
		ck_assert_msg(r.exit_code == cases[i].code,
			      "SIG%s: exit %d, expected %d; stderr=[%s]", cases[i].sig, r.exit_code,
			      cases[i].code, r.err_esc);
		ck_assert_msg(WIFEXITED(r.status), "mxc itself died of a signal for SIG%s",
			      cases[i].sig);
		ck_assert_msg(!strstr(r.out, "SURVIVED"), "probe survived");
		e2e_result_free(&r);
	}
}
END_TEST

struct signal_ctx {
	const char *started;
	int sig;
	bool sent;
};

static void send_when_started(pid_t pid, void *ud)
{
	struct signal_ctx *ctx = ud;

	for (int i = 0; i < 200; i++) {
		if (e2e_exists(ctx->started)) {
			e2e_sleep_ms(100);
			ctx->sent = kill(pid, ctx->sig) == 0;
			return;
		}
		e2e_sleep_ms(50);
	}
}

START_TEST(sigterm_forwarded_to_workload)
{
	char *d = e2e_path("rw");
	char *started = e2e_strf("%s/started", d);
	/* A unique sleep duration doubles as a marker in the workload's argv. */
	char *marker = e2e_strf("29.%d%d", (int)getpid() % 10000, (int)(e2e_now() * 1000) % 100000);
	struct signal_ctx ctx = {.started = started, .sig = SIGTERM};
	struct e2e_run_opts o = {
		.on_started = send_when_started, .userdata = &ctx, .kill_after_ms = 20000};
	struct e2e_result r;

	e2e_mkdir(d);
	struct e2e_cfg *c = e2e_cfg_new(e2e_strf("touch %s; exec sleep %s", started, marker));
	e2e_cfg_rw(c, d);
	run_cfg_opts(&r, c, &o);
	ck_assert_msg(ctx.sent, "workload never started; stderr=[%s]", r.err_esc);
	ck_assert_msg(r.exit_code == 143, "exit %d, expected 143; stderr=[%s]", r.exit_code,
		      r.err_esc);
	ck_assert_msg(WIFEXITED(r.status), "mxc must exit 143, not die of SIGTERM itself");
	ck_assert_msg(r.secs < 10, "took %.1fs", r.secs);
	ck_assert_msg(e2e_wait_no_marker(marker, 3000), "sleep %s still running after mxc exited",
		      marker);
}
END_TEST

START_TEST(stdin_passthrough)
{
	static const char in[] = "line1\nbin\0\377end";
	struct e2e_run_opts o = {.stdin_data = in, .stdin_len = sizeof(in) - 1};
	struct e2e_result r;

	run_cfg_opts(&r, e2e_cfg_new(e2e_probe_cmd("stdin")), &o);
	e2e_assert_out(&r, 0, "OK line1\\x0abin\\x00\\xffend\n");
}
END_TEST

START_TEST(stdin_large_through_cat)
{
	size_t len = 300000;
	char *in = malloc(len);
	struct e2e_run_opts o = {.stdin_data = in, .stdin_len = len};
	struct e2e_result r;

	for (size_t i = 0; i < len; i++)
		in[i] = (char)('a' + i % 26);
	run_cfg_opts(&r, e2e_cfg_new("cat"), &o);
	ck_assert_msg(r.exit_code == 0, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	ck_assert_uint_eq(r.out_len, len);
	ck_assert(!memcmp(r.out, in, len));
}
END_TEST

START_TEST(env_exact)
{
	char *leak = e2e_unique("MXC_E2E_LEAK_");
	char *leak_entry = e2e_strf("%s=from-caller", leak);
	const char *extra[] = {leak_entry, "MXC_CHAR_MARKER=caller", NULL};
	struct e2e_run_opts o = {.extra_env = extra};
	struct e2e_result r;
	struct e2e_cfg *c =
		e2e_cfg_new(e2e_strf("%s env; %s getenv %s", e2e_probe, e2e_probe, leak));

	e2e_cfg_env(c, "A=1");
	e2e_cfg_env(c, "B=x=y=z");
	e2e_cfg_env(c, "NOEQUALS");
	e2e_cfg_env(c, "EMPTY=");
	e2e_cfg_env(c, "SPACED=a b");
	e2e_cfg_cwd(c, "/");
	run_cfg_opts(&r, c, &o);
	e2e_assert_out(&r, 0, e2e_strf("OK A=1 B=x=y=z EMPTY= PWD=/ SPACED=a\\x20b\nUNSET\n"));
}
END_TEST

START_TEST(env_empty_by_default)
{
	const char *extra[] = {"MXC_E2E_SHOULD_NOT_LEAK=1", NULL};
	struct e2e_run_opts o = {.extra_env = extra};
	struct e2e_result r;
	struct e2e_cfg *c = e2e_cfg_new(e2e_probe_cmd("env"));

	e2e_cfg_cwd(c, "/");
	run_cfg_opts(&r, c, &o);
	e2e_assert_out(&r, 0, "OK PWD=/\n");
}
END_TEST

START_TEST(cwd_explicit)
{
	char *d = e2e_path("work");
	struct e2e_result r;

	e2e_mkdir(d);
	struct e2e_cfg *c =
		e2e_cfg_new(e2e_strf("%s cwd; %s getenv PWD; pwd -P", e2e_probe, e2e_probe));
	e2e_cfg_rw(c, d);
	e2e_cfg_cwd(c, d);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, e2e_strf("OK %s\nOK %s\n%s\n", d, d, d));
}
END_TEST

START_TEST(cwd_explicit_baseline)
{
	struct e2e_result r;
	struct e2e_cfg *c = e2e_cfg_new(e2e_probe_cmd("cwd"));

	e2e_cfg_cwd(c, "/usr/bin");
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "OK /usr/bin\n");
}
END_TEST

START_TEST(cwd_omitted_caller_visible)
{
	char *d = e2e_path("visible");
	struct e2e_run_opts o = {.cwd = d};
	struct e2e_result r;

	e2e_mkdir(d);
	struct e2e_cfg *c = e2e_cfg_new(e2e_probe_cmd("cwd"));
	e2e_cfg_ro(c, d);
	run_cfg_opts(&r, c, &o);
	e2e_assert_out(&r, 0, e2e_strf("OK %s\n", d));
}
END_TEST

START_TEST(cwd_omitted_caller_invisible)
{
	char *d = e2e_path("invisible");
	struct e2e_run_opts o = {.cwd = d};
	struct e2e_result r;

	e2e_mkdir(d);
	run_cfg_opts(&r, e2e_cfg_new(e2e_probe_cmd("cwd")), &o);
	e2e_assert_out(&r, 0, "OK /\n");
}
END_TEST

START_TEST(cwd_missing)
{
	/* Does not exist anywhere. */
	{
		struct e2e_result r;
		struct e2e_cfg *c = e2e_cfg_new("echo SHOULD_NOT_RUN");
		e2e_cfg_cwd(c, e2e_path("no-such-cwd"));
		run_cfg(&r, c);
		e2e_assert_backend_error(&r);
		ck_assert(!strstr(r.out, "SHOULD_NOT_RUN"));
	}
	/* Exists on the host but is not visible inside the sandbox. */
	{
		char *d = e2e_path("host-only");
		struct e2e_result r;
		struct e2e_cfg *c = e2e_cfg_new("echo SHOULD_NOT_RUN");

		e2e_mkdir(d);
		e2e_cfg_cwd(c, d);
		run_cfg(&r, c);
		e2e_assert_backend_error(&r);
		ck_assert(!strstr(r.out, "SHOULD_NOT_RUN"));
	}
}
END_TEST

START_TEST(pid_namespace_and_fresh_proc)
{
	struct e2e_result r;
	char *P = e2e_probe;

	run_cfg(&r, e2e_cfg_new(e2e_strf("%s pid; %s ls /proc; %s stat /proc/1", P, P, P)));
	ck_assert_msg(r.exit_code == 0, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	char *l0 = e2e_line(&r, 0);
	int pid = 0, ppid = 0;
	ck_assert_msg(sscanf(l0, "OK %d %d", &pid, &ppid) == 2, "pid: %s", l0);
	ck_assert_msg(pid > 1, "the workload must not be PID 1 (got %d)", pid);
	ck_assert_msg(pid < 100, "pid %d does not look like a fresh pid namespace", pid);
	char *ls = e2e_line(&r, 1);
	int numeric = 0;
	for (char *save = NULL, *t = strtok_r(ls + 2, " ", &save); t;
	     t = strtok_r(NULL, " ", &save))
		if (t[0] >= '0' && t[0] <= '9')
			numeric++;
	ck_assert_msg(numeric >= 2 && numeric <= 8, "%d processes visible in /proc: %s", numeric,
		      ls);
	char *st = e2e_line(&r, 2);
	ck_assert_msg(!strncmp(st, "OK dir", 6), "/proc/1: %s", st);
}
END_TEST

START_TEST(namespaces_unshared)
{
	static const char *const nss[] = {"user", "mnt",    "pid", "ipc",
					  "uts",  "cgroup", "net", NULL};
	char *cmd = strdup("true");
	struct e2e_result r;

	for (size_t i = 0; nss[i]; i++) {
		char *n = e2e_strf("%s; %s readlink /proc/self/ns/%s", cmd, e2e_probe, nss[i]);
		free(cmd);
		cmd = n;
	}
	run_cfg(&r, e2e_cfg_new(cmd));
	ck_assert_msg(r.exit_code == 0, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	for (size_t i = 0; nss[i]; i++) {
		char *l = e2e_line(&r, (int)i);
		char *host = e2e_strf("OK %s", e2e_host_ns(nss[i]));
		ck_assert_msg(!strncmp(l, "OK ", 3), "ns %s: %s", nss[i], l);
		ck_assert_msg(strcmp(l, host), "the %s namespace is shared with the host (%s)",
			      nss[i], l);
	}
}
END_TEST

START_TEST(no_extra_fds)
{
	struct e2e_result r;

	run_cfg(&r, e2e_cfg_new(e2e_probe_cmd("fds")));
	e2e_assert_out(&r, 0, "OK 0 1 2\n");
}
END_TEST

START_TEST(timeout_kills_detached_grandchild)
{
	char *d = e2e_path("rw");
	char *tick = e2e_strf("%s/tick", d);
	char *marker = e2e_unique("mxc-e2e-tmo-");
	struct e2e_result r;
	char *code = NULL, *msg = NULL;

	e2e_mkdir(d);
	struct e2e_cfg *c = e2e_cfg_new(
		e2e_strf("%s daemon-tick %s 100 %s; echo started; exec %s sleep-ms 60000 %s",
			 e2e_probe, tick, marker, e2e_probe, marker));
	e2e_cfg_rw(c, d);
	e2e_cfg_timeout(c, 1500);
	run_cfg(&r, c);
	ck_assert_msg(r.exit_code == 255, "exit %d, expected 255; stdout=[%s] stderr=[%s]",
		      r.exit_code, r.out_esc, r.err_esc);
	e2e_assert_envelope(&r, &code, &msg);
	ck_assert_str_eq(code, "timeout");
	ck_assert_str_eq(msg, "script timed out after 1500ms");
	ck_assert_msg(r.secs >= 1.4 && r.secs < 4.5, "took %.2fs for a 1500ms timeout", r.secs);
	ck_assert_msg(!strncmp(r.out, "OK ", 3) && strstr(r.out, "\nstarted\n"), "stdout [%s]",
		      r.out_esc);
	ck_assert_msg(e2e_file_size(tick) > 0, "the grandchild never ticked");
	e2e_sleep_ms(300);
	off_t s1 = e2e_file_size(tick);
	e2e_sleep_ms(600);
	off_t s2 = e2e_file_size(tick);
	ck_assert_msg(s1 == s2, "the detached grandchild is still running (%lld -> %lld bytes)",
		      (long long)s1, (long long)s2);
	ck_assert_msg(e2e_wait_no_marker(marker, 2000), "a process with %s is still alive", marker);
}
END_TEST

START_TEST(timeout_not_reached)
{
	struct e2e_result r;
	struct e2e_cfg *c = e2e_cfg_new("echo fast");

	e2e_cfg_timeout(c, 20000);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "fast\n");
	ck_assert_uint_eq(r.err_len, 0);
	ck_assert_msg(r.secs < 5, "took %.1fs", r.secs);
}
END_TEST

START_TEST(timeout_exit_code_not_masked)
{
	/* A workload that exits non-zero before the timeout keeps its own status, without an
	 * envelope. */
	struct e2e_result r;
	struct e2e_cfg *c = e2e_cfg_new("exit 9");

	e2e_cfg_timeout(c, 10000);
	run_cfg(&r, c);
	ck_assert_int_eq(r.exit_code, 9);
	ck_assert_msg(!strchr(r.err, '{'), "unexpected envelope: [%s]", r.err_esc);
}
END_TEST

Suite *e2e_proc_suite(void)
{
	Suite *s = suite_create("e2e-proc");
	TCase *tc = tcase_create("proc");
	TCase *tt = tcase_create("timeout");

	e2e_tcase_std(tc, 30);
	tcase_add_test(tc, stdout_binary_exact);
	tcase_add_test(tc, stdout_large);
	tcase_add_test(tc, stderr_passthrough);
	tcase_add_test(tc, exit_code_passthrough);
	tcase_add_test(tc, command_not_found_127);
	tcase_add_test(tc, workload_killed_by_signal);
	tcase_add_test(tc, sigterm_forwarded_to_workload);
	tcase_add_test(tc, stdin_passthrough);
	tcase_add_test(tc, stdin_large_through_cat);
	tcase_add_test(tc, env_exact);
	tcase_add_test(tc, env_empty_by_default);
	tcase_add_test(tc, cwd_explicit);
	tcase_add_test(tc, cwd_explicit_baseline);
	tcase_add_test(tc, cwd_omitted_caller_visible);
	tcase_add_test(tc, cwd_omitted_caller_invisible);
	tcase_add_test(tc, cwd_missing);
	tcase_add_test(tc, pid_namespace_and_fresh_proc);
	tcase_add_test(tc, namespaces_unshared);
	tcase_add_test(tc, no_extra_fds);
	suite_add_tcase(s, tc);

	e2e_tcase_std(tt, 60);
	tcase_add_test(tt, timeout_kills_detached_grandchild);
	tcase_add_test(tt, timeout_not_reached);
	tcase_add_test(tt, timeout_exit_code_not_masked);
	suite_add_tcase(s, tt);
	return s;
}
