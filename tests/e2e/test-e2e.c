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
#include <unistd.h>

static int skip_or_fail(const char *why)
{
	const char *must = getenv("MXC_TEST_MUST_WORK");

	if (must && !strcmp(must, "1")) {
		printf("Bail out! %s (MXC_TEST_MUST_WORK=1)\n", why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return 77;
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

	sr = srunner_create(e2e_cli_suite());
	srunner_add_suite(sr, e2e_proc_suite());
	srunner_add_suite(sr, e2e_fs_suite());
	srunner_add_suite(sr, e2e_net_suite());
	srunner_add_suite(sr, e2e_leftover_suite());
	srunner_add_suite(sr, e2e_upstream_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
