/* SPDX-License-Identifier: MIT */
/*
 * e2e: resource limits (the `limits` extension and the defaults). Each test
 * uses small limits so nothing ever comes close to exhausting the machine:
 * rlimits seen from inside, a fork bomb, a memory bomb, a /tmp fill, the
 * fail-closed refusals, and no cgroup left behind (also after kill -9 of mxc).
 */
#include "e2e-util.h"

#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_root(void)
{
	return geteuid() == 0;
}

static char *limits_config(const char *cmd, const char *limits_json)
{
	struct e2e_cfg *c = e2e_cfg_new(cmd);

	if (limits_json)
		e2e_cfg_set_json(c, "limits", limits_json);
	return e2e_cfg_write(c);
}

/* ---- cgroup leftovers ------------------------------------------------------ */

static const char *cg_prefix;
static int cg_found;
static char cg_first[4096];

static int cg_visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if (type == FTW_D && !strncmp(base, cg_prefix, strlen(cg_prefix))) {
		if (!cg_found++)
			snprintf(cg_first, sizeof(cg_first), "%s", path);
	}
	return ftw->level > 4 ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

/* Directories named "<prefix>*" anywhere under /sys/fs/cgroup (4 levels). */
static int cgroups_named(const char *prefix)
{
	cg_prefix = prefix;
	cg_found = 0;
	cg_first[0] = '\0';
	(void)nftw("/sys/fs/cgroup", cg_visit, 16, FTW_PHYS | FTW_ACTIONRETVAL);
	return cg_found;
}

static void record_pid(pid_t pid, void *userdata)
{
	*(pid_t *)userdata = pid;
}

/* ---- rlimits ------------------------------------------------------------- */

START_TEST(limits_rlimits_default)
{
	struct e2e_result r;
	char *cfg = limits_config(e2e_probe_cmd("rlimits"), NULL);

	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
	/* openFiles 1024 (or the host's lower hard limit), processes 1024 + init, no cores */
	ck_assert_msg(strstr(r.out, " nofile=1024/1024 "), "out=[%s]", r.out_esc);
	ck_assert_msg(strstr(r.out, " nproc=1025/1025 "), "out=[%s]", r.out_esc);
	ck_assert_msg(strstr(r.out, " core=0/0 "), "out=[%s]", r.out_esc);
	ck_assert_msg(strstr(r.out, " fsize=-1/-1 ") && strstr(r.out, " cpu=-1/-1 "), "out=[%s]",
		      r.out_esc);
	ck_assert_msg(strstr(r.out, " oom=1000"), "OOM score not raised: out=[%s]", r.out_esc);
	e2e_result_free(&r);
}
END_TEST

START_TEST(limits_rlimits_config)
{
	struct e2e_result r;
	char *cfg = limits_config(e2e_strf("%s rlimits; %s fill /tmp/big 4", e2e_probe, e2e_probe),
				  "{\"openFiles\":64,\"fileSizeMiB\":1,\"cpuSeconds\":7}");

	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
	ck_assert_msg(strstr(r.out, " nofile=64/64 "), "out=[%s]", r.out_esc);
	ck_assert_msg(strstr(r.out, " fsize=1048576/1048576 "), "out=[%s]", r.out_esc);
	ck_assert_msg(strstr(r.out, " cpu=7/7 "), "out=[%s]", r.out_esc);
	/* writing past fileSizeMiB: EFBIG after exactly 1 MiB (SIGXFSZ ignored by the probe) */
	ck_assert_msg(!strcmp(e2e_line(&r, 1), "OK 1 EFBIG"), "fill: [%s]", e2e_line(&r, 1));
	e2e_result_free(&r);
}
END_TEST

START_TEST(limits_sigxfsz_kills_by_default)
{
	struct e2e_result r;
	char *cfg = limits_config("head -c 2097152 /dev/zero > /tmp/x; echo after=$?",
				  "{\"fileSizeMiB\":1}");

	e2e_run_config(&r, cfg);
	/* head gets SIGXFSZ (25): the shell reports 128+25 */
	ck_assert_msg(!strcmp(e2e_line(&r, 0), "after=153"), "out=[%s] err=[%s]", r.out_esc,
		      r.err_esc);
	e2e_result_free(&r);
}
END_TEST

/* ---- bombs ----------------------------------------------------------------- */

START_TEST(limits_fork_bomb)
{
	struct e2e_result r;
	char *cfg = limits_config(e2e_probe_cmd("forkbomb 2000"), "{\"processes\":32}");
	long n = -1;
	char err[32] = "";
	pid_t p;
	int st;

	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
	ck_assert_msg(sscanf(r.out, "OK %ld %31s", &n, err) == 2, "out=[%s]", r.out_esc);
	/* sh execs the probe: it and its children share the 32 (+ init) */
	ck_assert_msg(n > 0 && n < 32, "forked %ld processes with processes=32", n);
	ck_assert_msg(!strcmp(err, "EAGAIN"), "fork stopped with %s", err);
	ck_assert_msg(r.secs < 10, "took %.1fs", r.secs);
	/* the host is fine: this process can still fork */
	p = fork();
	ck_assert_int_ge(p, 0);
	if (p == 0)
		_exit(7);
	ck_assert_int_eq(waitpid(p, &st, 0), p);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	e2e_result_free(&r);
}
END_TEST

START_TEST(limits_memory_bomb)
{
	struct e2e_result r;
	char *cfg = limits_config(e2e_probe_cmd("membomb 1024"), "{\"memoryMiB\":64}");

	e2e_run_config(&r, cfg);
	if (!is_root()) {
		/* no cgroup for this user on this host: refused, not silently per-process */
		e2e_assert_backend_error(&r);
		ck_assert_msg(strstr(r.err, "limits.memoryMiB cannot be enforced on this host"),
			      "err=[%s]", r.err_esc);
		e2e_result_free(&r);
		return;
	}
	/* the cgroup's OOM killer kills the bomb (137), or an allocation fails */
	if (r.exit_code == 137) {
		ck_assert_msg(r.out_len == 0, "out=[%s]", r.out_esc);
	} else {
		long mb = -1;
		ck_assert_msg(r.exit_code == 0 && sscanf(r.out, "OK %ld", &mb) == 1 && mb <= 64,
			      "exit %d out=[%s] err=[%s]", r.exit_code, r.out_esc, r.err_esc);
	}
	e2e_result_free(&r);
}
END_TEST

START_TEST(limits_tmp_fill)
{
	struct e2e_result r;
	char *cfg = limits_config(
		e2e_strf("%s fill /tmp/f 64; %s fill /dev/shm/f 64", e2e_probe, e2e_probe),
		"{\"tmpMiB\":8}");

	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
	ck_assert_msg(!strcmp(e2e_line(&r, 0), "OK 8 ENOSPC"), "/tmp: [%s]", e2e_line(&r, 0));
	ck_assert_msg(!strcmp(e2e_line(&r, 1), "OK 8 ENOSPC"), "/dev/shm: [%s]", e2e_line(&r, 1));
	e2e_result_free(&r);
}
END_TEST

START_TEST(limits_tmp_inode_cap)
{
	struct e2e_result r;
	char *cfg = limits_config(e2e_probe_cmd("inode-fill /tmp 100000"), "{\"tmpMiB\":8}");

	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
	if (e2e_backend_is("bubblewrap")) {
		/* bwrap has --size but no nr_inodes: the files fit (docs/backends.md). */
		ck_assert_msg(!strcmp(r.out, "OK 100000 MAX\n"), "out=[%s]", r.out_esc);
		e2e_result_free(&r);
		return;
	}
	/* nr_inodes = max(4096, 128 per MiB): about 4096 files, then ENOSPC */
	ck_assert_msg(strstr(r.out, " ENOSPC"), "out=[%s]", r.out_esc);
	e2e_result_free(&r);
}
END_TEST

/* ---- refusals and the report ------------------------------------------------ */

START_TEST(limits_cpu_percent)
{
	struct e2e_result r;
	char *cfg = limits_config("true", "{\"cpuPercent\":50}");

	e2e_run(&r, NULL, "run", "--dry-run", cfg, NULL);
	if (!is_root()) {
		ck_assert_msg(r.exit_code == 255 && strstr(r.err, "limits.cpuPercent cannot be "
								  "enforced on this host"),
			      "exit %d err=[%s]", r.exit_code, r.err_esc);
	} else {
		ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
		ck_assert_msg(strstr(r.out, "\"cpuPercent\": {\n      \"value\": 50"), "out=[%s]",
			      r.out_esc);
		e2e_result_free(&r);
		/* The real outcome: 600 ms of busy wall time get about half as much CPU. */
		cfg = limits_config(e2e_strf("%s spin 600", e2e_probe), "{\"cpuPercent\":50}");
		e2e_run_config(&r, cfg);
		ck_assert_msg(r.exit_code == 0 && !strncmp(r.out, "OK ", 3), "exit %d: %s %s",
			      r.exit_code, r.out_esc, r.err_esc);
		ck_assert_msg(atol(r.out + 3) < 450,
			      "cpuPercent 50 gave %s ms of CPU in 600 ms (not throttled)",
			      r.out_esc);
	}
	e2e_result_free(&r);
}
END_TEST

START_TEST(limits_dry_run_report)
{
	struct e2e_result r;
	char *cfg = limits_config("true", NULL);

	e2e_run(&r, NULL, "run", "--dry-run", cfg, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
	ck_assert_msg(strstr(r.out, "\"limits\": {"), "out=[%s]", r.out_esc);
	if (is_root())
		ck_assert_msg(strstr(r.out, "\"cgroup-v1\"") || strstr(r.out, "\"cgroup-v2\""),
			      "root: no cgroup enforcement reported: %s", r.out_esc);
	else
		ck_assert_msg(strstr(r.out, "RLIMIT_DATA (per process)") &&
				      strstr(r.out, "\"cgroup\": \"none\""),
			      "user: %s", r.out_esc);
	e2e_result_free(&r);
}
END_TEST

/* ---- cleanup ---------------------------------------------------------------- */

START_TEST(limits_cgroup_removed)
{
	struct e2e_result r;
	pid_t pid = 0;
	struct e2e_run_opts o = {.on_started = record_pid, .userdata = &pid};
	char *cfg = limits_config("exit 3", "{\"processes\":16}");

	e2e_run(&r, &o, "run", cfg, NULL);
	ck_assert_msg(r.exit_code == 3, "exit %d: %s", r.exit_code, r.err_esc);
	ck_assert_int_gt(pid, 0);
	ck_assert_msg(cgroups_named(e2e_strf("mxc-%d-", (int)pid)) == 0, "left behind: %s",
		      cg_first);
	e2e_result_free(&r);
}
END_TEST

static void kill9_later(pid_t pid, void *userdata)
{
	*(pid_t *)userdata = pid;
	e2e_sleep_ms(700);
	kill(pid, SIGKILL);
}

START_TEST(limits_stale_cgroup_cleaned_by_next_run)
{
	struct e2e_result r;
	pid_t pid = 0;
	struct e2e_run_opts o = {
		.on_started = kill9_later, .userdata = &pid, .kill_after_ms = 20000};
	char *cfg = limits_config(e2e_probe_cmd("sleep-ms 30000"), NULL);
	char *prefix;

	if (!is_root())
		return; /* no cgroup is created for this user on this host */
	e2e_run(&r, &o, "run", cfg, NULL);
	ck_assert_msg(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL, "status %d",
		      r.status);
	prefix = e2e_strf("mxc-%d-", (int)pid);
	/* init dies with mxc (PDEATHSIG); the empty cgroup stays until a next run */
	for (int i = 0; i < 100 && cgroups_named(prefix) == 0; i++)
		e2e_sleep_ms(10);
	e2e_result_free(&r);
	e2e_run_config(&r, limits_config("true", NULL));
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err_esc);
	ck_assert_msg(cgroups_named(prefix) == 0, "stale cgroup not removed: %s", cg_first);
	e2e_result_free(&r);
}
END_TEST

Suite *e2e_limits_suite(void)
{
	Suite *s = suite_create("e2e-limits");
	TCase *tc = tcase_create("limits");

	e2e_tcase_std(tc, 60);
	tcase_add_test(tc, limits_rlimits_default);
	tcase_add_test(tc, limits_rlimits_config);
	tcase_add_test(tc, limits_sigxfsz_kills_by_default);
	tcase_add_test(tc, limits_fork_bomb);
	tcase_add_test(tc, limits_memory_bomb);
	tcase_add_test(tc, limits_tmp_fill);
	tcase_add_test(tc, limits_tmp_inode_cap);
	tcase_add_test(tc, limits_cpu_percent);
	tcase_add_test(tc, limits_dry_run_report);
	tcase_add_test(tc, limits_cgroup_removed);
	tcase_add_test(tc, limits_stale_cgroup_cleaned_by_next_run);
	suite_add_tcase(s, tc);
	return s;
}
