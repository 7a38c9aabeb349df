/* SPDX-License-Identifier: MIT */
/* e2e: CLI surface: config sources, config errors, usage errors, dry-run, validate, command
 * override. */
#include "e2e-util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char good_cfg[] =
	"{\"version\":\"0.8.0-alpha\",\"process\":{\"commandLine\":\"printf cfg-ok\"}}";

START_TEST(cli_version)
{
	struct e2e_result r;

	e2e_run(&r, NULL, "--version", NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	ck_assert_msg(r.out_len > 0 && strpbrk(r.out, "0123456789"), "no version on stdout: [%s]",
		      r.out_esc);
}
END_TEST

START_TEST(cli_help)
{
	static const char *const forms[] = {"help", "--help"};

	for (size_t i = 0; i < 2; i++) {
		struct e2e_result r;

		e2e_run(&r, NULL, forms[i], NULL);
		ck_assert_msg(r.exit_code == 0, "%s: exit %d stderr=[%s]", forms[i], r.exit_code,
			      r.err_esc);
		ck_assert_msg(strstr(r.out, "run") && strstr(r.out, "validate"),
			      "%s does not describe run/validate: [%s]", forms[i], r.out_esc);
		e2e_result_free(&r);
	}
}
END_TEST

START_TEST(cli_usage_errors)
{
	char *cfg = e2e_write_config_text(good_cfg);
	const char *const cases[][4] = {
		{"run", "--no-such-flag", cfg, NULL},
		{"frobnicate", NULL},
		{"run", "--config", NULL},
		{"run", cfg, "--config-base64", NULL},
		{"--no-such-global-flag", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct e2e_result r;

		e2e_runv(&r, NULL, cases[i]);
		ck_assert_msg(r.exit_code == 2,
			      "case %zu (%s %s): exit %d, expected 2; stdout=[%s] stderr=[%s]", i,
			      cases[i][0], cases[i][1] ? cases[i][1] : "", r.exit_code, r.out_esc,
			      r.err_esc);
		ck_assert_msg(r.err_len > 0, "case %zu: no usage message on stderr", i);
		ck_assert_msg(!strstr(r.out, "cfg-ok"), "case %zu ran the workload", i);
		e2e_result_free(&r);
	}
}
END_TEST

START_TEST(cli_config_positional_and_flag)
{
	char *cfg = e2e_write_config_text(good_cfg);
	struct e2e_result r;

	e2e_run(&r, NULL, "run", cfg, NULL);
	e2e_assert_out(&r, 0, "cfg-ok");
	e2e_result_free(&r);
	e2e_run(&r, NULL, "run", "--config", cfg, NULL);
	e2e_assert_out(&r, 0, "cfg-ok");
	ck_assert_uint_eq(r.err_len, 0);
}
END_TEST

START_TEST(cli_config_base64)
{
	char *b64 = e2e_base64(good_cfg, strlen(good_cfg));
	struct e2e_result r;

	e2e_run(&r, NULL, "run", "--config-base64", b64, NULL);
	e2e_assert_out(&r, 0, "cfg-ok");
	ck_assert_uint_eq(r.err_len, 0);
}
END_TEST

START_TEST(cli_config_base64_invalid)
{
	struct e2e_result r;

	e2e_run(&r, NULL, "run", "--config-base64", "!!!not-base64***", NULL);
	e2e_assert_config_error(&r, "Failed to decode base64 configuration");
	ck_assert_uint_eq(r.out_len, 0);
}
END_TEST

/* Runs a broken config whose workload would create a marker; asserts exit 1 + message and no
 * marker. */
static void expect_config_error(const char *json_tmpl, const char *msg)
{
	char *d = e2e_path("rw");
	char *marker = e2e_strf("%s/marker", d);
	struct e2e_result r;

	if (!e2e_exists(d))
		e2e_mkdir(d);
	/* json_tmpl has two %s: the rw dir and the marker path, in that order. */
	char *json = strdup(json_tmpl);
	const char *subst[] = {d, marker};
	for (int i = 0; i < 2; i++) {
		char *at = strstr(json, "%s");
		ck_assert(at);
		*at = '\0';
		char *n = e2e_strf("%s%s%s", json, subst[i], at + 2);
		free(json);
		json = n;
	}
	char *cfg = e2e_write_config_text(json);

	e2e_run(&r, NULL, "run", cfg, NULL);
	e2e_assert_config_error(&r, msg);
	ck_assert_msg(r.out_len == 0, "stdout not empty: [%s]", r.out_esc);
	ck_assert_msg(!e2e_exists(marker), "the workload ran despite a config error");
	e2e_result_free(&r);
}

#define RW_FS "\"filesystem\":{\"readwritePaths\":[\"%s\"]}"

START_TEST(cli_config_error_unknown_field)
{
	expect_config_error("{\"version\":\"0.8.0-alpha\"," RW_FS
			    ",\"process\":{\"commandLine\":\"touch %s\",\"bogus\":1}}",
			    "bogus");
	expect_config_error("{\"version\":\"0.8.0-alpha\"," RW_FS
			    ",\"process\":{\"commandLine\":\"touch %s\"},\"fileSystem\":{}}",
			    "fileSystem");
}
END_TEST

START_TEST(cli_config_error_syntax)
{
	expect_config_error("{\"version\":\"0.8.0-alpha\"," RW_FS
			    ",\"process\":{\"commandLine\":\"touch %s\"}",
			    "Invalid JSON syntax");
	expect_config_error("{\"version\":\"0.8.0-alpha\"," RW_FS
			    ",\"process\":{\"commandLine\":\"touch %s\"}} trailing",
			    "Invalid JSON syntax");
}
END_TEST

START_TEST(cli_config_error_semantic)
{
	expect_config_error("{\"version\":\"0.8.0-alpha\"," RW_FS
			    ",\"_comment\":\"%s\",\"process\":{\"commandLine\":\"\"}}",
			    "process.commandLine cannot be empty");
	expect_config_error("{\"version\":\"0.5.0-alpha\"," RW_FS
			    ",\"process\":{\"commandLine\":\"touch %s\"}}",
			    "older than supported");
	expect_config_error("{\"version\":\"0.8.0-alpha\"," RW_FS
			    ",\"process\":{\"commandLine\":\"touch %s\",\"timeout\":-1}}",
			    "process.timeout");
	expect_config_error("{\"version\":\"0.8.0-alpha\"," RW_FS
			    ",\"network\":{\"defaultPolicy\":\"sideways\"},"
			    "\"process\":{\"commandLine\":\"touch %s\"}}",
			    "sideways");
}
END_TEST

START_TEST(cli_config_error_missing_process)
{
	struct e2e_result r;
	char *cfg = e2e_write_config_text("{\"version\":\"0.8.0-alpha\"}");

	e2e_run(&r, NULL, "run", cfg, NULL);
	e2e_assert_config_error(&r, "'process' section is required");
}
END_TEST

START_TEST(cli_config_error_missing_file)
{
	struct e2e_result r;
	char *missing = e2e_path("no-such-config.json");

	e2e_run(&r, NULL, "run", missing, NULL);
	e2e_assert_config_error(&r, "Configuration file not found");
	ck_assert_msg(strstr(r.err, "no-such-config.json"), "message does not name the file: [%s]",
		      r.err_esc);
}
END_TEST

static char *marker_config(char **ret_marker)
{
	char *d = e2e_path("rw");
	char *marker = e2e_strf("%s/marker", d);
	struct e2e_cfg *c;

	e2e_mkdir(d);
	c = e2e_cfg_new(e2e_strf("touch %s; echo RAN", marker));
	e2e_cfg_rw(c, d);
	*ret_marker = marker;
	return e2e_cfg_write(c);
}

START_TEST(cli_dry_run)
{
	char *marker;
	char *cfg = marker_config(&marker);
	struct e2e_result r;
	json_error_t jerr;
	json_t *j;

	e2e_run(&r, NULL, "run", "--dry-run", cfg, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d stdout=[%s] stderr=[%s]", r.exit_code, r.out_esc,
		      r.err_esc);
	ck_assert_msg(!e2e_exists(marker), "--dry-run ran the workload");
	/* The JSON may quote the commandLine ("...; echo RAN"), but no line may be the output
	 * "RAN". */
	ck_assert_msg(strncmp(r.out, "RAN\n", 4) && !strstr(r.out, "\nRAN\n"),
		      "--dry-run ran the workload: [%s]", r.out_esc);
	j = json_loadb(r.out, r.out_len, 0, &jerr);
	ck_assert_msg(j, "--dry-run stdout is not JSON (%s): [%s]", jerr.text, r.out_esc);
	ck_assert_msg(json_is_object(j), "--dry-run JSON is not an object");
	/* The effective-policy report: each layer and what it enforces. */
	{
		json_t *layers = json_object_get(json_object_get(j, "plan"), "layers");
		json_t *net = json_object_get(json_object_get(j, "plan"), "network");
		json_t *mounts = json_object_get(json_object_get(j, "plan"), "mounts");

		ck_assert_msg(json_is_true(json_object_get(json_object_get(layers, "seccomp"),
							   "enforced")),
			      "no seccomp layer in the report");
		ck_assert_msg(json_is_boolean(json_object_get(json_object_get(layers, "landlock"),
							      "enforced")),
			      "no Landlock verdict in the report");
		ck_assert_msg(json_array_size(json_object_get(net, "enforcedBy")) >= 1,
			      "network enforcement not reported");
		ck_assert_msg(json_array_size(mounts) > 0 &&
				      json_is_array(json_object_get(json_array_get(mounts, 0),
								    "enforcedBy")),
			      "mount enforcement not reported");
		ck_assert_msg(json_object_get(json_object_get(j, "plan"), "limits"),
			      "no limits report");
	}
	json_decref(j);
}
END_TEST

START_TEST(cli_dry_run_invalid_config)
{
	struct e2e_result r;
	char *cfg =
		e2e_write_config_text("{\"process\":{\"commandLine\":\"echo RAN\",\"nope\":true}}");

	e2e_run(&r, NULL, "run", "--dry-run", cfg, NULL);
	e2e_assert_config_error(&r, "nope");
	ck_assert(!strstr(r.out, "RAN"));
}
END_TEST

START_TEST(cli_validate)
{
	char *marker;
	char *cfg = marker_config(&marker);
	char *bad =
		e2e_write_config_text("{\"process\":{\"commandLine\":\"echo RAN\"},\"extra\":1}");
	struct e2e_result r;

	e2e_run(&r, NULL, "validate", cfg, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d stdout=[%s] stderr=[%s]", r.exit_code, r.out_esc,
		      r.err_esc);
	ck_assert_msg(!e2e_exists(marker), "validate ran the workload");
	ck_assert(!strstr(r.out, "RAN"));
	e2e_result_free(&r);

	e2e_run(&r, NULL, "validate", bad, NULL);
	e2e_assert_config_error(&r, "extra");
	ck_assert(!strstr(r.out, "RAN"));
}
END_TEST

START_TEST(cli_command_override)
{
	char *marker;
	char *cfg = marker_config(&marker);
	struct e2e_result r;

	e2e_run(&r, NULL, "run", cfg, "--", e2e_probe, "argv", "a b", "it's", "say \"hi\"", "$HOME",
		"*", "back\\slash", "; echo pwned", "", NULL);
	e2e_assert_out(
		&r, 0,
		"OK a\\x20b it's say\\x20\"hi\" $HOME * back\\x5cslash ;\\x20echo\\x20pwned \n");
	ck_assert_msg(!e2e_exists(marker), "the config's commandLine ran instead of the override");
}
END_TEST

START_TEST(cli_command_override_without_commandline)
{
	struct e2e_result r;
	char *cfg =
		e2e_write_config_text(e2e_strf("{\"version\":\"0.8.0-alpha\",\"process\":{},"
					       "\"filesystem\":{\"readonlyPaths\":[\"%s/bin\"]}}",
					       e2e_root));

	e2e_run(&r, NULL, "run", cfg, "--", e2e_probe, "argv", "x y", NULL);
	e2e_assert_out(&r, 0, "OK x\\x20y\n");
}
END_TEST

START_TEST(cli_flags_accepted)
{
	char *log = e2e_path("mxc.log");
	char *cfg = e2e_write_config_text(good_cfg);
	struct e2e_result r;

	e2e_run(&r, NULL, "run", "--log-file", log, "--experimental", "--allow-testing-features",
		cfg, NULL);
	e2e_assert_out(&r, 0, "cfg-ok");
	ck_assert_msg(e2e_exists(log), "--log-file did not create %s", log);
	e2e_result_free(&r);

	e2e_run(&r, NULL, "run", "--debug", cfg, NULL);
	ck_assert_msg(r.exit_code == 0, "--debug: exit %d stderr=[%s]", r.exit_code, r.err_esc);
	ck_assert_msg(strstr(r.out, "cfg-ok"), "--debug: workload output missing: [%s]", r.out_esc);
}
END_TEST

/* --debug with --log-file: every step goes to the file, the workload's stdout is untouched. */
START_TEST(cli_debug_log_file_keeps_stdout)
{
	char *cfg = e2e_write_config_text(good_cfg);
	char *log = e2e_path("debug.log");
	struct e2e_result r;
	char *text;

	e2e_run(&r, NULL, "run", "--debug", "--log-file", log, cfg, NULL);
	e2e_assert_out(&r, 0, "cfg-ok");
	ck_assert_uint_eq(r.err_len, 0);
	text = e2e_read_file(log, NULL);
	ck_assert_msg(text, "no log file");
	ck_assert_msg(strstr(text, "Script code length:") && strstr(text, "mount ") &&
			      strstr(text, "Sandbox created in") && strstr(text, "Exit code: 0"),
		      "log lacks the steps: [%s]", e2e_esc(text));
}
END_TEST

/* The same binary called mxc-exec behaves as `mxc run` (a drop-in for upstream's lxc-exec). */
START_TEST(cli_mxc_exec_name)
{
	char *cfg = e2e_write_config_text(good_cfg);
	const char *saved = e2e_mxc;
	char *exec_bin = e2e_strf("%.*s/mxc-exec", (int)(strrchr(saved, '/') - saved), saved);
	struct e2e_result r;

	ck_assert_msg(access(exec_bin, X_OK) == 0, "%s is missing", exec_bin);
	e2e_mxc = exec_bin;
	e2e_run(&r, NULL, cfg, NULL);
	e2e_mxc = saved;
	e2e_assert_out(&r, 0, "cfg-ok");
	ck_assert_uint_eq(r.err_len, 0);
}
END_TEST

Suite *e2e_cli_suite(void)
{
	Suite *s = suite_create("e2e-cli");
	TCase *tc = tcase_create("cli");

	e2e_tcase_std(tc, 30);
	tcase_add_test(tc, cli_version);
	tcase_add_test(tc, cli_help);
	tcase_add_test(tc, cli_usage_errors);
	tcase_add_test(tc, cli_config_positional_and_flag);
	tcase_add_test(tc, cli_config_base64);
	tcase_add_test(tc, cli_config_base64_invalid);
	tcase_add_test(tc, cli_config_error_unknown_field);
	tcase_add_test(tc, cli_config_error_syntax);
	tcase_add_test(tc, cli_config_error_semantic);
	tcase_add_test(tc, cli_config_error_missing_process);
	tcase_add_test(tc, cli_config_error_missing_file);
	tcase_add_test(tc, cli_dry_run);
	tcase_add_test(tc, cli_dry_run_invalid_config);
	tcase_add_test(tc, cli_validate);
	tcase_add_test(tc, cli_command_override);
	tcase_add_test(tc, cli_command_override_without_commandline);
	tcase_add_test(tc, cli_flags_accepted);
	tcase_add_test(tc, cli_mxc_exec_name);
	tcase_add_test(tc, cli_debug_log_file_keeps_stdout);
	suite_add_tcase(s, tc);
	return s;
}
