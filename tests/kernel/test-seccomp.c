/* SPDX-License-Identifier: MIT */
/*
 * Kernel tests of the sandbox's seccomp filter (lib/os/seccomp.c), two ways:
 *
 *   filter/   the filter built with a marker errno (EHWPOISON, which none of
 *             these syscalls returns by itself) and installed in the test's
 *             own forked process: each row of syscall-rows.h must answer the
 *             marker (or ENOSYS / EAFNOSUPPORT), which proves the rule, not
 *             the kernel's own permission checks, answered;
 *   sandbox/  the production filter in a real sandbox, the probe as the
 *             workload: each row must answer EPERM / ENOSYS / EAFNOSUPPORT.
 *
 * The x32 and int 0x80 attempts must kill the process with SIGSYS. Runs as
 * root and, via run-unprivileged.sh, as an unprivileged user.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend.h"
#include "harden-util.h"
#include "os/seccomp.h"
#include "syscall-rows.h"

#define MARKER EHWPOISON

static int expected_errno(const struct sc_row *row, int deny_errno)
{
	switch (row->expect) {
	case SC_DENY:
		return deny_errno;
	case SC_ENOSYS:
		return ENOSYS;
	case SC_EAFNOSUPPORT:
		return EAFNOSUPPORT;
	case SC_ALLOWED:
	default:
		return row->native;
	}
}

static void install_marker_filter(void)
{
	struct sock_fprog prog;

	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(seccomp_sandbox_build(MARKER, &prog), 0);
	ck_assert_int_eq(seccomp_prog_install(&prog), 0);
	seccomp_prog_free(&prog);
}

/* Fork, install the marker filter, run fn; the child's wait status. */
static int filtered_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sock_fprog prog;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    seccomp_sandbox_build(MARKER, &prog) < 0 || seccomp_prog_install(&prog) < 0)
			_exit(99);
		fn();
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static void do_x32(void)
{
	(void)sc_x32_getpid();
}

static void do_int80(void)
{
	(void)sc_int80_getpid();
}

#define ck_assert_sigsys(status, what)                                                             \
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,                           \
		      "%s: expected death by SIGSYS, wait status 0x%x", what, (unsigned)(status))

/* ---- filter/ ---------------------------------------------------------------- */

START_TEST(test_filter_row)
{
	const struct sc_row *row = &sc_rows[_i];
	int got;

	install_marker_filter();
	got = sc_row_run((size_t)_i);
	ck_assert_msg(got == expected_errno(row, MARKER), "filter/%s: got %d (%s), expected %d",
		      row->name, got, strerrorname_np(got) ? strerrorname_np(got) : "?",
		      expected_errno(row, MARKER));
}
END_TEST

START_TEST(test_filter_x32_killed)
{
	ck_assert_sigsys(filtered_child(do_x32), "x32 getpid");
}
END_TEST

START_TEST(test_filter_int80_killed)
{
	ck_assert_sigsys(filtered_child(do_int80), "int 0x80 getpid");
}
END_TEST

START_TEST(test_filter_build_twice_same)
{
	struct sock_fprog a, b;

	/* Deterministic, and well under the kernel's program size limit. */
	ck_assert_int_eq(seccomp_sandbox_build(EPERM, &a), 0);
	ck_assert_int_eq(seccomp_sandbox_build(EPERM, &b), 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.filter, b.filter, a.len * sizeof(*a.filter)), 0);
	ck_assert_uint_lt(a.len, 1024);
	ck_assert_int_eq(seccomp_sandbox_build(0, &b), -EINVAL);
	seccomp_prog_free(&a);
	seccomp_prog_free(&b);
}
END_TEST

START_TEST(test_filter_prebuilt_is_compiled)
{
	struct sock_fprog a, b;

	/* The EPERM filter mxc copies (compiled at build time) is the one libseccomp
	 * compiles now; the rules themselves are tested above with a marker errno. */
	ck_assert_int_eq(seccomp_sandbox_build(EPERM, &a), 0);
	ck_assert_int_eq(seccomp_sandbox_compile(EPERM, &b), 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.filter, b.filter, a.len * sizeof(*a.filter)), 0);
	seccomp_prog_free(&a);
	seccomp_prog_free(&b);
	if (!seccomp_sandbox_prebuilt())
		fprintf(stderr, "note: this build has no prebuilt seccomp filter\n");
}
END_TEST

/* ---- sandbox/ --------------------------------------------------------------- */

static int sandbox_probe(const char *op, const char *arg, int *ret_status)
{
	struct mxc_plan *p = hu_plan_new();
	int r = hu_probe(p, op, arg, ret_status);

	plan_free(p);
	return r;
}

START_TEST(test_sandbox_row)
{
	const struct sc_row *row = &sc_rows[_i];
	char arg[16];
	int status, got;

	(void)snprintf(arg, sizeof(arg), "%d", _i);
	got = sandbox_probe("row", arg, &status);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sandbox/%s: status 0x%x",
		      row->name, (unsigned)status);
	ck_assert_msg(got == expected_errno(row, EPERM), "sandbox/%s: got %d (%s), expected %d",
		      row->name, got, strerrorname_np(got) ? strerrorname_np(got) : "?",
		      expected_errno(row, EPERM));
}
END_TEST

START_TEST(test_sandbox_x32_killed)
{
	int status;

	(void)sandbox_probe("x32", "", &status);
	ck_assert_sigsys(status, "x32 getpid in the sandbox");
}
END_TEST

START_TEST(test_sandbox_int80_killed)
{
	int status;

	(void)sandbox_probe("int80", "", &status);
	ck_assert_sigsys(status, "int 0x80 getpid in the sandbox");
}
END_TEST

START_TEST(test_sandbox_tiocsti_pty)
{
	int status;

	/* Its own pty as the controlling terminal: only the filter says no. */
	ck_assert_int_eq(sandbox_probe("tiocsti", "", &status), EPERM);
	ck_assert_int_eq(status, 0);
}
END_TEST

START_TEST(test_sandbox_fork_works)
{
	int status;

	ck_assert_int_eq(sandbox_probe("exec", "/bin/true", &status), 0);
	ck_assert_int_eq(status, 0);
}
END_TEST

/* ---- main ------------------------------------------------------------------- */

static Suite *seccomp_suite(void)
{
	Suite *s = suite_create("seccomp");
	TCase *tf = tcase_create("filter");
	TCase *ts = tcase_create("sandbox");

	tcase_add_loop_test(tf, test_filter_row, 0, (int)SC_N_ROWS);
	tcase_add_test(tf, test_filter_x32_killed);
	tcase_add_test(tf, test_filter_int80_killed);
	tcase_add_test(tf, test_filter_build_twice_same);
	tcase_add_test(tf, test_filter_prebuilt_is_compiled);
	suite_add_tcase(s, tf);

	tcase_set_timeout(ts, 20);
	tcase_add_loop_test(ts, test_sandbox_row, 0, (int)SC_N_ROWS);
	tcase_add_test(ts, test_sandbox_x32_killed);
	tcase_add_test(ts, test_sandbox_int80_killed);
	tcase_add_test(ts, test_sandbox_tiocsti_pty);
	tcase_add_test(ts, test_sandbox_fork_works);
	suite_add_tcase(s, ts);
	return s;
}

int main(void)
{
	int failed, r = hu_kernel_tests_runnable();
	SRunner *sr;

	if (r >= 0)
		return r;
	sr = srunner_create(seccomp_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
