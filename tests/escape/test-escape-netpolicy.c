/* SPDX-License-Identifier: MIT */
/*
 * mxc escape suite, filtered network modes (esc-netpolicy*.c): one Check test
 * case per attack, run inside the network test topology (tests/net/in-cli.sh).
 *
 *   test-escape-netpolicy [--containment=VALUE] [--table=PATH]
 *
 * The backend is the config's `containment`: --containment, else
 * $MXC_ESCAPE_CONTAINMENT, else $MXC_E2E_CONTAINMENT (the one as-user.sh
 * passes on); unset: omitted, mxc's namespace backend. TAP goes to stdout;
 * the Markdown results table to stderr and to --table / $MXC_ESCAPE_TABLE.
 * MXC_E2E_VARIANT=root must run as root, =user must not (as e2e).
 */
#include "esc-netpolicy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct esc_attack *all[128];
static size_t n_all;

START_TEST(enp_dispatch)
{
	esc_cur = all[_i];
	esc_cur->fn();
}
END_TEST

static void write_table(FILE *f, SRunner *sr, const char *variant, double secs)
{
	TestResult **res = srunner_results(sr);
	int nres = srunner_ntests_run(sr);
	size_t contained = 0, escaped = 0, errors = 0;

	fprintf(f, "## mxc escape suite, filtered network modes: %s, backend %s, %.1f s\n\n",
		variant, *esc_containment ? esc_containment : "(default: namespaces)", secs);
	fprintf(f, "| attack | mode | expected | observed | verdict |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < n_all; i++) {
		const struct esc_row *r = esc_row_find(all[i]->name);
		const char *verdict = r ? r->verdict : "ERROR";
		char *obs = NULL, *e, *o;

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
		e = esc_cell(all[i]->expected);
		o = esc_cell(obs);
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

static const char *first_set(const char *a, const char *b, const char *c)
{
	if (a)
		return a;
	return b ? b : c;
}

int main(int argc, char **argv)
{
	const char *variant = getenv("MXC_E2E_VARIANT");
	const char *table = getenv("MXC_ESCAPE_TABLE");
	const char *containment = NULL;
	const struct esc_attack *lists[] = {esc_netpolicy_attacks, esc_netpolicy_proxy_attacks};
	char run_dir[] = "/var/tmp/mxc-escape-net-XXXXXX";
	char *rows_path;
	SRunner *sr;
	Suite *s;
	double start, secs;
	int failed;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--containment=", 14)) {
			containment = argv[i] + 14;
		} else if (!strncmp(argv[i], "--table=", 8)) {
			table = argv[i] + 8;
		} else {
			printf("Bail out! unknown argument %s\n", argv[i]);
			return 1;
		}
	}
	esc_containment = first_set(containment, getenv("MXC_ESCAPE_CONTAINMENT"),
				    getenv("MXC_E2E_CONTAINMENT"));
	if (!esc_containment)
		esc_containment = "";
	if (variant && !strcmp(variant, "root") && geteuid() != 0) {
		printf("1..0 # SKIP the root variant needs root\n");
		return 0;
	}
	if (variant && !strcmp(variant, "user") && geteuid() == 0) {
		printf("Bail out! the unprivileged variant is running as root\n");
		return 1;
	}
	if (!getenv("MXC_BIN") || !getenv("MXC_PROBE")) {
		printf("Bail out! MXC_BIN and MXC_PROBE must be set\n");
		return 1;
	}
	/* Fixtures outside /tmp, which is private in the sandbox. */
	if (!mkdtemp(run_dir) || chmod(run_dir, 0755) < 0) {
		printf("Bail out! cannot create a fixture directory in /var/tmp: %m\n");
		return 1;
	}
	setenv("MXC_E2E_RUN_DIR", run_dir, 1);
	rows_path = e2e_strf("%s/rows.tsv", run_dir);
	setenv("MXC_ESCAPE_ROWS", rows_path, 1);

	s = suite_create("escape-net");
	for (size_t g = 0; g < sizeof(lists) / sizeof(lists[0]); g++)
		for (const struct esc_attack *a = lists[g]; a->name; a++) {
			TCase *tc = tcase_create(a->name);

			if (n_all == sizeof(all) / sizeof(all[0]))
				break;
			tcase_add_checked_fixture(tc, esc_setup, esc_teardown);
			tcase_set_timeout(tc, a->timeout > 0 ? a->timeout : 45);
			tcase_add_loop_test(tc, enp_dispatch, (int)n_all, (int)n_all + 1);
			suite_add_tcase(s, tc);
			all[n_all++] = a;
		}
	sr = srunner_create(s);
	start = e2e_now();
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	secs = e2e_now() - start;

	esc_rows_load(rows_path);
	if (!variant)
		variant = geteuid() == 0 ? "root" : "user";
	write_table(stderr, sr, variant, secs);
	if (table && *table) {
		FILE *f = fopen(table, "we");

		if (f) {
			write_table(f, sr, variant, secs);
			fclose(f);
		} else {
			fprintf(stderr, "cannot write %s: %m\n", table);
		}
	}
	srunner_free(sr);
	e2e_rm_rf(run_dir);
	free(rows_path);
	return failed ? 1 : 0;
}
