/* SPDX-License-Identifier: MIT */
/*
 * mxc escape suite: one Check test case per attack (tests/escape/esc-*.c),
 * each running a hostile workload through $MXC_BIN and asserting the
 * contained outcome.
 *
 *   test-escape [--containment=VALUE] [--limits=JSON] [--table=PATH] [--table-fd=N]
 *
 * The backend is the config's `containment` (--containment, else
 * $MXC_ESCAPE_CONTAINMENT; empty or unset: omitted, mxc's namespace backend).
 * --limits / $MXC_ESCAPE_LIMITS, if set, is a JSON object used as the `limits` section of
 * the resource attacks; unset, the small limits that `mxc validate` accepts are used
 * (for the others the bombs rely on mxc's defaults). TAP goes to stdout; the Markdown results table
 * goes to stderr and to --table / $MXC_ESCAPE_TABLE / --table-fd.
 *
 * MXC_E2E_VARIANT=root must run as root, =user must not (as e2e).
 */
#include "escape.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct esc_attack *all[256];
static size_t n_all;

START_TEST(esc_dispatch)
{
	esc_cur = all[_i];
	if (esc_cur->fn)
		esc_cur->fn();
	else
		esc_expect(esc_probe1("%s", esc_cur->probe));
}
END_TEST

/*
 * The `limits` the bombs use: each of these that `mxc validate` accepts here (an
 * unprivileged run may refuse a limit it cannot enforce, e.g. memory without cgroups).
 */
static const char *const small_limits[] = {"\"memoryMiB\": 256", "\"processes\": 256",
					   "\"tmpMiB\": 64"};

static bool limit_accepted(const char *dir, const char *limits)
{
	char *cfg = e2e_strf("%s/limits-probe.json", dir), *cmd;
	FILE *f = fopen(cfg, "we");
	int st;

	if (!f)
		return false;
	fprintf(f,
		"{\"version\": \"0.8.0-alpha\", \"process\": {\"commandLine\": \"true\"}, "
		"\"limits\": %s}\n",
		limits);
	fclose(f);
	cmd = e2e_strf("'%s' validate '%s' >/dev/null 2>&1", getenv("MXC_BIN"), cfg);
	st = system(cmd);
	unlink(cfg);
	free(cmd);
	free(cfg);
	return st == 0;
}

/* A `limits` object of the accepted small limits, or NULL if none is. */
static char *probe_limits(const char *dir)
{
	char *acc = NULL;

	for (size_t i = 0; i < sizeof(small_limits) / sizeof(small_limits[0]); i++) {
		char *one = e2e_strf("{%s}", small_limits[i]), *t;

		if (limit_accepted(dir, one)) {
			t = acc ? e2e_strf("%s, %s", acc, small_limits[i])
				: strdup(small_limits[i]);
			free(acc);
			acc = t;
		}
		free(one);
	}
	if (!acc)
		return NULL;
	char *obj = e2e_strf("{%s}", acc);
	free(acc);
	return obj;
}

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

static void write_table(FILE *f, SRunner *sr, const char *variant, double secs)
{
	TestResult **res = srunner_results(sr);
	int nres = srunner_ntests_run(sr);
	size_t contained = 0, escaped = 0, errors = 0;

	fprintf(f, "## mxc escape suite: %s, backend %s, %.1f s\n\nBombs run with limits: %s\n\n",
		variant, *esc_containment ? esc_containment : "(default: namespaces)", secs,
		esc_limits && *esc_limits ? esc_limits : "none (mxc's defaults)");
	fprintf(f, "| attack | class | expected | observed | verdict |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < n_all; i++) {
		const struct esc_row *r = esc_row_find(all[i]->name);
		const char *verdict = r ? r->verdict : "ERROR";
		char *obs = NULL;

		if (!r) {
			for (int k = 0; k < nres; k++)
				if (!strcmp(tr_tcname(res[k]), all[i]->name))
					obs = e2e_strf("no verdict: %s", tr_msg(res[k]));
			if (!obs)
				obs = strdup("not run");
		} else {
			obs = strdup(r->observed);
		}
		if (!strcmp(verdict, "contained"))
			contained++;
		else if (!strcmp(verdict, "ESCAPED"))
			escaped++;
		else
			errors++;
		char *e = esc_cell(all[i]->expected), *o = esc_cell(obs);
		fprintf(f, "| %s | %s | %s | %s | %s |\n", all[i]->name, all[i]->cls, e, o,
			!strcmp(verdict, "ESCAPED") ? "**ESCAPED**" : verdict);
		free(e);
		free(o);
		free(obs);
	}
	fprintf(f, "\n%zu attacks: %zu contained, %zu escaped, %zu errors\n", n_all, contained,
		escaped, errors);
	free(res);
}

int main(int argc, char **argv)
{
	const char *variant = getenv("MXC_E2E_VARIANT");
	const char *table = getenv("MXC_ESCAPE_TABLE");
	int table_fd = -1;
	const struct esc_attack *lists[] = {esc_fs_attacks, esc_proc_attacks, esc_kernel_attacks,
					    esc_net_attacks, esc_res_attacks};
	/*
	 * Fixtures live outside /tmp: the sandbox has a private /tmp, so a host path
	 * under /tmp would hide writes that land there instead of failing.
	 */
	char run_dir[] = "/var/tmp/mxc-escape-XXXXXX";
	SRunner *sr;
	Suite *s;
	double start;
	int failed;

	esc_containment = getenv("MXC_ESCAPE_CONTAINMENT") ? getenv("MXC_ESCAPE_CONTAINMENT") : "";
	esc_limits = getenv("MXC_ESCAPE_LIMITS");
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--containment=", 14))
			esc_containment = argv[i] + 14;
		else if (!strncmp(argv[i], "--limits=", 9))
			esc_limits = argv[i] + 9;
		else if (!strncmp(argv[i], "--table=", 8))
			table = argv[i] + 8;
		else if (!strncmp(argv[i], "--table-fd=", 11))
			table_fd = atoi(argv[i] + 11);
		else {
			printf("Bail out! unknown argument %s\n", argv[i]);
			return 1;
		}
	}
	if (table_fd >= 0)
		fcntl(table_fd, F_SETFD, FD_CLOEXEC);
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
	if (!mkdtemp(run_dir) || chmod(run_dir, 0755) < 0) {
		printf("Bail out! cannot create a fixture directory in /var/tmp: %m\n");
		return 1;
	}
	setenv("MXC_E2E_RUN_DIR", run_dir, 1);
	if (!esc_limits)
		esc_limits = probe_limits(run_dir);
	char *rows_path = e2e_strf("%s/rows.tsv", run_dir);
	setenv("MXC_ESCAPE_ROWS", rows_path, 1);

	s = suite_create("escape");
	for (size_t g = 0; g < sizeof(lists) / sizeof(lists[0]); g++)
		for (const struct esc_attack *a = lists[g]; a->name; a++) {
			TCase *tc = tcase_create(a->name);

			if (n_all == sizeof(all) / sizeof(all[0]))
				break;
			tcase_add_checked_fixture(tc, esc_setup, esc_teardown);
			tcase_set_timeout(tc, a->timeout > 0 ? a->timeout : 30);
			tcase_add_loop_test(tc, esc_dispatch, (int)n_all, (int)n_all + 1);
			suite_add_tcase(s, tc);
			all[n_all++] = a;
		}
	sr = srunner_create(s);
	start = e2e_now();
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);

	esc_rows_load(rows_path);
	const char *vname = variant ? variant : (geteuid() == 0 ? "root" : "user");
	double secs = e2e_now() - start;
	write_table(stderr, sr, vname, secs);
	if (table && *table) {
		FILE *f = fopen(table, "we");

		if (f) {
			write_table(f, sr, vname, secs);
			fclose(f);
		} else {
			fprintf(stderr, "cannot write %s: %m\n", table);
		}
	}
	if (table_fd >= 0) {
		FILE *f = fdopen(table_fd, "w");

		if (f) {
			write_table(f, sr, vname, secs);
			fclose(f);
		}
	}
	srunner_free(sr);
	e2e_rm_rf(run_dir);
	return failed ? 1 : 0;
}
