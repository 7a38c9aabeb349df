/* SPDX-License-Identifier: MIT */
/*
 * e2e: nothing is left behind after success, failure, timeout, config/backend
 * errors, or kill -9 of mxc: no processes, no host mounts, no files in /tmp or
 * in granted directories other than what the workload wrote.
 */
#include "e2e-util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct snapshot {
	char *tmp;
	char *mountinfo;
	char *rw_ls;
	char *ro_ls;
};

static char *rw_dir, *ro_dir;

static void leftover_setup(void)
{
	e2e_setup();
	rw_dir = e2e_path("rw");
	ro_dir = e2e_path("ro");
	e2e_mkdir(rw_dir);
	e2e_mkdir(ro_dir);
	e2e_write_file(e2e_strf("%s/existing.txt", rw_dir), "E");
	e2e_write_file(e2e_strf("%s/secret.txt", rw_dir), "S");
	e2e_mkdir(e2e_strf("%s/secret_dir", rw_dir));
	e2e_write_file(e2e_strf("%s/lib.txt", ro_dir), "L");
}

static void snap(struct snapshot *s)
{
	s->tmp = e2e_ls("/tmp");
	s->mountinfo = e2e_mountinfo();
	s->rw_ls = e2e_ls(rw_dir);
	s->ro_ls = e2e_ls(ro_dir);
}

/* expect_rw_ls: the rw dir listing the workload should have produced. */
static void assert_clean(const struct snapshot *before, const char *marker,
			 const char *expect_rw_ls)
{
	char *mi = e2e_mountinfo();
	char *newtmp = e2e_tmp_new_entries(before->tmp);

	if (marker)
		ck_assert_msg(e2e_wait_no_marker(marker, 3000),
			      "a process carrying %s survived mxc", marker);
	ck_assert_msg(!strcmp(mi, before->mountinfo),
		      "host mountinfo changed:\nBEFORE:\n%s\nAFTER:\n%s",
		      e2e_esc(before->mountinfo), e2e_esc(mi));
	ck_assert_msg(!*newtmp, "new entries left in /tmp: %s", newtmp);
	ck_assert_str_eq(e2e_ls(rw_dir), expect_rw_ls);
	ck_assert_str_eq(e2e_ls(ro_dir), before->ro_ls);
	ck_assert_str_eq(e2e_ls(e2e_strf("%s/secret_dir", rw_dir)), "");
	free(mi);
	free(newtmp);
}

/* A config with rw, ro, denied file, denied dir, denied missing path under rw. */
static char *policy_config(const char *cmd, long timeout)
{
	struct e2e_cfg *c = e2e_cfg_new(cmd);

	e2e_cfg_rw(c, rw_dir);
	e2e_cfg_ro(c, ro_dir);
	e2e_cfg_deny(c, e2e_strf("%s/secret.txt", rw_dir));
	e2e_cfg_deny(c, e2e_strf("%s/secret_dir", rw_dir));
	e2e_cfg_deny(c, e2e_strf("%s/ghost", rw_dir));
	e2e_cfg_deny(c, e2e_strf("%s/ghost_dir/deeper", rw_dir));
	if (timeout)
		e2e_cfg_timeout(c, timeout);
	return e2e_cfg_write(c);
}

START_TEST(leftover_after_success)
{
	struct snapshot s;
	struct e2e_result r;
	char *marker = e2e_unique("mxc-e2e-ok-");
	char *cfg = policy_config(e2e_strf("%s write %s/out.txt done; %s sleep-ms 10 %s", e2e_probe,
					   rw_dir, e2e_probe, marker),
				  0);

	snap(&s);
	e2e_run_config(&r, cfg);
	e2e_assert_out(&r, 0, "OK\nOK\n");
	assert_clean(&s, marker, "existing.txt out.txt secret.txt secret_dir");
}
END_TEST

START_TEST(leftover_after_failure)
{
	struct snapshot s;
	struct e2e_result r;
	char *marker = e2e_unique("mxc-e2e-fail-");
	char *cfg = policy_config(e2e_strf("%s sleep-ms 10 %s; exit 3", e2e_probe, marker), 0);

	snap(&s);
	e2e_run_config(&r, cfg);
	ck_assert_int_eq(r.exit_code, 3);
	assert_clean(&s, marker, s.rw_ls);
}
END_TEST

START_TEST(leftover_after_backend_error)
{
	struct snapshot s;
	struct e2e_result r;
	struct e2e_cfg *c = e2e_cfg_new("echo SHOULD_NOT_RUN");

	e2e_cfg_rw(c, rw_dir);
	e2e_cfg_deny(c, e2e_strf("%s/secret.txt", rw_dir));
	e2e_cfg_ro(c, e2e_path("missing-ro"));
	char *cfg = e2e_cfg_write(c);

	snap(&s);
	e2e_run_config(&r, cfg);
	e2e_assert_backend_error(&r);
	assert_clean(&s, NULL, s.rw_ls);
}
END_TEST

START_TEST(leftover_after_config_error)
{
	struct snapshot s;
	struct e2e_result r;
	char *cfg = e2e_write_config_text(
		"{\"process\":{\"commandLine\":\"true\"},\"unknownTopLevel\":1}");

	snap(&s);
	e2e_run_config(&r, cfg);
	e2e_assert_config_error(&r, "unknownTopLevel");
	assert_clean(&s, NULL, s.rw_ls);
}
END_TEST

START_TEST(leftover_after_timeout)
{
	struct snapshot s;
	struct e2e_result r;
	char *marker = e2e_unique("mxc-e2e-to-");
	char *tick = e2e_strf("%s/tick", rw_dir);
	char *cfg = policy_config(e2e_strf("%s daemon-tick %s 100 %s; exec %s sleep-ms 60000 %s",
					   e2e_probe, tick, marker, e2e_probe, marker),
				  1000);
	char *code = NULL;

	snap(&s);
	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 255, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	e2e_assert_envelope(&r, &code, NULL);
	ck_assert_str_eq(code, "timeout");
	assert_clean(&s, marker, "existing.txt secret.txt secret_dir tick");
	off_t s1 = e2e_file_size(tick);
	e2e_sleep_ms(500);
	ck_assert_msg(e2e_file_size(tick) == s1,
		      "the detached grandchild still ticks after the timeout");
}
END_TEST

static void kill9_when_started(pid_t pid, void *ud)
{
	const char *started = ud;

	for (int i = 0; i < 200; i++) {
		if (e2e_exists(started)) {
			e2e_sleep_ms(100);
			kill(pid, SIGKILL);
			return;
		}
		e2e_sleep_ms(50);
	}
}

START_TEST(leftover_after_kill9_of_mxc)
{
	struct snapshot s;
	struct e2e_result r;
	char *marker = e2e_unique("mxc-e2e-k9-");
	char *tick = e2e_strf("%s/tick", rw_dir);
	char *started = e2e_strf("%s/started", rw_dir);
	char *cfg = policy_config(
		e2e_strf("%s daemon-tick %s 100 %s; %s write %s x; exec %s sleep-ms 60000 %s",
			 e2e_probe, tick, marker, e2e_probe, started, e2e_probe, marker),
		0);
	struct e2e_run_opts o = {
		.on_started = kill9_when_started, .userdata = started, .kill_after_ms = 30000};

	snap(&s);
	e2e_run(&r, &o, "run", cfg, NULL);
	ck_assert_msg(e2e_exists(started), "workload never started: stderr=[%s]", r.err_esc);
	ck_assert_msg(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL,
		      "mxc was not killed (status %d)", r.status);
	ck_assert_msg(r.secs < 20, "mxc kill took %.1fs", r.secs);
	assert_clean(&s, marker, "existing.txt secret.txt secret_dir started tick");
	off_t s1 = e2e_file_size(tick);
	e2e_sleep_ms(500);
	ck_assert_msg(e2e_file_size(tick) == s1, "the detached grandchild survived kill -9 of mxc");
}
END_TEST

Suite *e2e_leftover_suite(void)
{
	Suite *s = suite_create("e2e-leftover");
	TCase *tc = tcase_create("leftover");

	tcase_add_checked_fixture(tc, leftover_setup, e2e_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, leftover_after_success);
	tcase_add_test(tc, leftover_after_failure);
	tcase_add_test(tc, leftover_after_backend_error);
	tcase_add_test(tc, leftover_after_config_error);
	tcase_add_test(tc, leftover_after_timeout);
	tcase_add_test(tc, leftover_after_kill9_of_mxc);
	suite_add_tcase(s, tc);
	return s;
}
