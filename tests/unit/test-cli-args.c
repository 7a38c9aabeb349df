/* SPDX-License-Identifier: MIT */
/* CLI argument parsing: every option, precedence inputs, and garbage rejected. */
#include <errno.h>
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/args.h"

static int parse(struct cli_args *a, bool exec, int n, ...)
{
	char *argv[32];
	va_list ap;

	va_start(ap, n);
	argv[0] = exec ? "mxc-exec" : "mxc";
	for (int i = 0; i < n; i++)
		argv[i + 1] = va_arg(ap, char *);
	va_end(ap);
	argv[n + 1] = NULL;
	return cli_parse_args(n + 1, argv, exec, a);
}

START_TEST(test_run_flags)
{
	struct cli_args a;

	ck_assert_int_eq(parse(&a, false, 8, "run", "--debug", "--experimental",
			       "--allow-testing-features", "--dry-run", "--log-file", "/tmp/l",
			       "cfg.json"),
			 0);
	ck_assert_int_eq(a.verb, CLI_VERB_RUN);
	ck_assert(a.debug && a.experimental && a.allow_testing_features && a.dry_run);
	ck_assert_str_eq(a.log_file, "/tmp/l");
	ck_assert_str_eq(a.config_path, "cfg.json");
	ck_assert_ptr_null(a.command);
	cli_args_free(&a);

	/* flag order does not matter; --opt=value works */
	ck_assert_int_eq(parse(&a, false, 3, "run", "cfg.json", "--config-base64=e30="), 0);
	ck_assert_str_eq(a.config_base64, "e30=");
	cli_args_free(&a);

	/* --events PATH | fd:N (run only) */
	ck_assert_int_eq(parse(&a, false, 4, "run", "--events", "fd:3", "cfg.json"), 0);
	ck_assert_str_eq(a.events, "fd:3");
	cli_args_free(&a);
	ck_assert_int_eq(parse(&a, false, 3, "run", "--events=/tmp/ev", "cfg.json"), 0);
	ck_assert_str_eq(a.events, "/tmp/ev");
	cli_args_free(&a);
	ck_assert_int_eq(parse(&a, false, 2, "run", "--events"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(a.usage_error, "--events"));
	cli_args_free(&a);
	ck_assert_int_eq(parse(&a, false, 4, "validate", "--events", "x", "cfg.json"), -EINVAL);
	cli_args_free(&a);
}
END_TEST

START_TEST(test_command_override)
{
	struct cli_args a;

	ck_assert_int_eq(parse(&a, false, 5, "run", "cfg.json", "--", "echo", "a b"), 0);
	ck_assert_str_eq(a.config_path, "cfg.json");
	ck_assert_str_eq(a.command[0], "echo");
	ck_assert_str_eq(a.command[1], "a b");
	ck_assert_ptr_null(a.command[2]);
	cli_args_free(&a);

	/* with --config, a stray positional is the first command word */
	ck_assert_int_eq(parse(&a, false, 6, "run", "--config", "c.json", "ls", "--", "-l"), 0);
	ck_assert_ptr_null(a.config_path);
	ck_assert_str_eq(a.config_file, "c.json");
	ck_assert_str_eq(a.command[0], "ls");
	ck_assert_str_eq(a.command[1], "-l");
	cli_args_free(&a);

	/* arguments after -- are never options */
	ck_assert_int_eq(parse(&a, false, 4, "run", "c.json", "--", "--debug"), 0);
	ck_assert(!a.debug);
	ck_assert_str_eq(a.command[0], "--debug");
	cli_args_free(&a);
}
END_TEST

START_TEST(test_mxc_exec_is_run)
{
	struct cli_args a;

	ck_assert_int_eq(parse(&a, true, 2, "--debug", "cfg.json"), 0);
	ck_assert_int_eq(a.verb, CLI_VERB_RUN);
	ck_assert_str_eq(a.config_path, "cfg.json");
	ck_assert(a.debug);
	cli_args_free(&a);
}
END_TEST

START_TEST(test_help_and_version)
{
	struct cli_args a;

	ck_assert_int_eq(parse(&a, false, 1, "--version"), 0);
	ck_assert_int_eq(a.verb, CLI_VERB_VERSION);
	ck_assert_int_eq(parse(&a, false, 1, "--help"), 0);
	ck_assert_int_eq(a.verb, CLI_VERB_HELP);
	ck_assert_int_eq(parse(&a, false, 2, "help", "run"), 0);
	ck_assert_int_eq(a.help_for, CLI_VERB_RUN);
	ck_assert_int_eq(parse(&a, false, 3, "run", "cfg.json", "--help"), 0);
	ck_assert_int_eq(a.verb, CLI_VERB_HELP);
	ck_assert_int_eq(a.help_for, CLI_VERB_RUN);
	ck_assert_int_eq(parse(&a, false, 2, "validate", "-h"), 0);
	ck_assert_int_eq(a.help_for, CLI_VERB_VALIDATE);
	ck_assert_ptr_nonnull(strstr(cli_help_text(CLI_VERB_RUN), "--config-base64"));
}
END_TEST

START_TEST(test_pty_flag)
{
	struct cli_args a;

	ck_assert_int_eq(parse(&a, false, 5, "run", "--pty", "cfg.json", "--", "sh"), 0);
	ck_assert(a.pty);
	ck_assert_str_eq(a.config_path, "cfg.json");
	ck_assert_str_eq(a.command[0], "sh");
	cli_args_free(&a);
	ck_assert_int_eq(parse(&a, true, 2, "cfg.json", "--pty"), 0);
	ck_assert(a.pty);
	cli_args_free(&a);
	/* a run flag only */
	ck_assert_int_lt(parse(&a, false, 3, "validate", "--pty", "cfg.json"), 0);
	ck_assert_ptr_nonnull(strstr(a.usage_error, "unexpected argument '--pty' found"));
	ck_assert_ptr_nonnull(strstr(cli_help_text(CLI_VERB_RUN), "--pty"));
}
END_TEST

START_TEST(test_garbage_rejected)
{
	struct cli_args a;

	ck_assert_int_lt(parse(&a, false, 2, "run", "--bogus"), 0);
	ck_assert_ptr_nonnull(strstr(a.usage_error, "unexpected argument '--bogus' found"));
	ck_assert_int_lt(parse(&a, false, 2, "run", "--config"), 0);
	ck_assert_ptr_nonnull(strstr(a.usage_error, "a value is required for '--config <VALUE>'"));
	ck_assert_int_lt(parse(&a, false, 3, "run", "a.json", "b.json"), 0);
	ck_assert_ptr_nonnull(strstr(a.usage_error, "unexpected argument 'b.json'"));
	ck_assert_int_lt(parse(&a, false, 1, "frobnicate"), 0);
	ck_assert_ptr_nonnull(strstr(a.usage_error, "unrecognized subcommand 'frobnicate'"));
	ck_assert_int_lt(parse(&a, false, 0), 0);
	ck_assert_int_lt(parse(&a, false, 3, "validate", "c.json", "--"), 0);
	ck_assert_int_lt(parse(&a, false, 3, "validate", "--log-file", "x"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-args");
	TCase *tc = tcase_create("unit");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_run_flags);
	tcase_add_test(tc, test_command_override);
	tcase_add_test(tc, test_mxc_exec_is_run);
	tcase_add_test(tc, test_help_and_version);
	tcase_add_test(tc, test_garbage_rejected);
	tcase_add_test(tc, test_pty_flag);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
