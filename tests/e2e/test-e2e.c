/* SPDX-License-Identifier: MIT */
/*
 * mxc end-to-end tests: drive the real CLI ($MXC_BIN) with real configs and a
 * static probe ($MXC_PROBE) inside the sandbox.
 *
 * MXC_E2E_VARIANT=root: must run as root (skips with 77 otherwise, unless
 * MXC_TEST_MUST_WORK=1). MXC_E2E_VARIANT=user: must run unprivileged
 * (as-user.sh drops to the mxc-test user).
 */
#include "e2e-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Skip: "1..0 # SKIP" plus exit 77. meson 1.0's TAP protocol reports any
 * non-zero exit as ERROR, so when TAP goes to stdout (CK_TAP_LOG_FILE_NAME=-,
 * as meson runs us) the skip plan alone carries the skip and we exit 0.
 */
static int skip_or_fail(const char *why)
{
	const char *must = getenv("MXC_TEST_MUST_WORK");
	const char *tap = getenv("CK_TAP_LOG_FILE_NAME");

	if (must && !strcmp(must, "1")) {
		printf("Bail out! %s (MXC_TEST_MUST_WORK=1)\n", why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return tap && !strcmp(tap, "-") ? 0 : 77;
}

int main(void)
{
	const char *variant = getenv("MXC_E2E_VARIANT");
	SRunner *sr;
	int failed;

	if (variant && !strcmp(variant, "root") && geteuid() != 0)
		return skip_or_fail("the root variant needs root");
	if (variant && !strcmp(variant, "user") && geteuid() == 0) {
		printf("Bail out! the unprivileged variant is running as root\n");
		return 1;
	}
	if (!getenv("MXC_BIN") || !getenv("MXC_PROBE")) {
		printf("Bail out! MXC_BIN and MXC_PROBE must be set\n");
		return 1;
	}

	/*
	 * One directory per run for all fixtures: a failed test exits its forked
	 * child before the checked teardown runs, so the run dir is removed here.
	 */
	char run_dir[] = "/tmp/mxc-e2e-XXXXXX";
	if (!mkdtemp(run_dir) || chmod(run_dir, 0755) < 0) {
		printf("Bail out! cannot create a fixture directory in /tmp: %m\n");
		return 1;
	}
	setenv("MXC_E2E_RUN_DIR", run_dir, 1);

	sr = srunner_create(e2e_cli_suite());
	srunner_add_suite(sr, e2e_proc_suite());
	srunner_add_suite(sr, e2e_fs_suite());
	srunner_add_suite(sr, e2e_net_suite());
	srunner_add_suite(sr, e2e_leftover_suite());
	srunner_add_suite(sr, e2e_limits_suite());
	srunner_add_suite(sr, e2e_upstream_suite());
	srunner_add_suite(sr, e2e_tty_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	e2e_rm_rf(run_dir);
	return failed ? 1 : 0;
}
