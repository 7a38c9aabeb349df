/* SPDX-License-Identifier: MIT */
/* e2e: upstream MXC test configs that make sense on this backend, with their expected outcome. */
#include "e2e-util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *upstream_config(const char *name)
{
	const char *dirs[] = {getenv("MXC_UPSTREAM_DIR"), "/work/shared/upstream-configs"};

	for (size_t i = 0; i < 2; i++) {
		if (!dirs[i])
			continue;
		char *p = e2e_strf("%s/%s/config.json", dirs[i], name);
		if (e2e_exists(p))
			return p;
		free(p);
	}
	ck_abort_msg("upstream config %s not found (MXC_UPSTREAM_DIR=%s)", name,
		     getenv("MXC_UPSTREAM_DIR") ? getenv("MXC_UPSTREAM_DIR") : "");
	return NULL;
}

static void run_upstream(struct e2e_result *r, const char *name, const char *const *extra_env)
{
	struct e2e_run_opts o = {.extra_env = extra_env, .cwd = "/"};

	e2e_run(r, &o, "run", upstream_config(name), NULL);
}

START_TEST(upstream_default_stdout)
{
	struct e2e_result r;

	run_upstream(&r, "default_stdout", NULL);
	e2e_assert_out(&r, 0, "CHAR_BWRAP_STDOUT_71c4d\n");
	ck_assert_uint_eq(r.err_len, 0);
}
END_TEST

START_TEST(upstream_default_exit_code)
{
	struct e2e_result r;

	run_upstream(&r, "default_exit_code", NULL);
	e2e_assert_out(&r, 7, "");
	ck_assert_msg(r.err_len == 0, "stderr [%s]", r.err_esc);
}
END_TEST

START_TEST(upstream_default_env_applied)
{
	const char *env[] = {"MXC_CHAR_SET=from_caller_must_not_win", NULL};
	struct e2e_result r;

	run_upstream(&r, "default_env_applied", env);
	e2e_assert_out(&r, 0, "SET=[from_config_c93b]\n");
}
END_TEST

START_TEST(upstream_default_env_cleared)
{
	const char *env[] = {"MXC_CHAR_MARKER=leaked_from_caller", NULL};
	struct e2e_result r;

	run_upstream(&r, "default_env_cleared", env);
	e2e_assert_out(&r, 0, "MARKER=[]\n");
}
END_TEST

START_TEST(upstream_default_cwd)
{
	struct e2e_result r;

	run_upstream(&r, "default_cwd", NULL);
	e2e_assert_out(&r, 0, "/\n");
}
END_TEST

START_TEST(upstream_default_timeout)
{
	struct e2e_result r;
	char *code = NULL, *msg = NULL;

	run_upstream(&r, "default_timeout", NULL);
	e2e_assert_out(&r, 255, "CHAR_BEFORE\n");
	e2e_assert_envelope(&r, &code, &msg);
	ck_assert_str_eq(code, "timeout");
	ck_assert_str_eq(msg, "script timed out after 1500ms");
	ck_assert_msg(r.secs >= 1.4 && r.secs < 4.5, "took %.2fs", r.secs);
}
END_TEST

static void linux_process(const char *name, const char *hello)
{
	struct e2e_result r;

	run_upstream(&r, name, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d stdout=[%s] stderr=[%s]", r.exit_code, r.out_esc,
		      r.err_esc);
	ck_assert_msg(strstr(r.out, hello), "stdout lacks [%s]: [%s]", hello, r.out_esc);
	ck_assert_msg(strstr(r.out, "OK: default backend ran the command\n"), "stdout [%s]",
		      r.out_esc);
	ck_assert_msg(strstr(r.out, "PRETTY_NAME=") || strstr(r.out, "NAME="),
		      "/etc/os-release unreadable: [%s]", r.out_esc);
	ck_assert_msg(!strstr(r.out, "SANDBOX_PID1_COMM=unknown"), "/proc/1/comm unreadable: [%s]",
		      r.out_esc);
	ck_assert_msg(strstr(r.out, "SANDBOX_PIDNS=pid:["), "no pid namespace link: [%s]",
		      r.out_esc);
	char *host_pidns = e2e_strf("SANDBOX_PIDNS=%s\n", e2e_host_ns("pid"));
	ck_assert_msg(!strstr(r.out, host_pidns), "runs in the host pid namespace: [%s]",
		      r.out_esc);
}

START_TEST(upstream_linux_process_default)
{
	linux_process("linux_process_default", "Hello from default Linux process sandbox\n");
}
END_TEST

START_TEST(upstream_linux_process_abstract)
{
	linux_process("linux_process_abstract", "Hello from abstract process containment\n");
}
END_TEST

START_TEST(upstream_rejected_version_too_old)
{
	struct e2e_result r;

	run_upstream(&r, "rejected_version_too_old", NULL);
	e2e_assert_config_error(&r, "Config schema version '0.3.0-alpha' is older than supported");
	ck_assert(!strstr(r.out, "This should not run"));
}
END_TEST

Suite *e2e_upstream_suite(void)
{
	Suite *s = suite_create("e2e-upstream");
	TCase *tc = tcase_create("upstream");

	e2e_tcase_std(tc, 30);
	tcase_add_test(tc, upstream_default_stdout);
	tcase_add_test(tc, upstream_default_exit_code);
	tcase_add_test(tc, upstream_default_env_applied);
	tcase_add_test(tc, upstream_default_env_cleared);
	tcase_add_test(tc, upstream_default_cwd);
	tcase_add_test(tc, upstream_default_timeout);
	tcase_add_test(tc, upstream_linux_process_default);
	tcase_add_test(tc, upstream_linux_process_abstract);
	tcase_add_test(tc, upstream_rejected_version_too_old);
	suite_add_tcase(s, tc);
	return s;
}
