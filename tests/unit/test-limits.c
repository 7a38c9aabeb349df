/* SPDX-License-Identifier: MIT */
/*
 * The `limits` extension: the typed walk (one passing and one failing config
 * per field, types, unknown keys, null), the dump, and the plan's defaults and
 * enforcement choices against fake hosts (cgroup v1 / v2 / none, root / user).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/fake-host.h"
#include "plan/plan.h"
#include "test-policy-util.h"

#define P	      "'process':{'commandLine':'true'}"
#define RANGE(lo, hi) "expected an integer between " #lo " and " #hi

static const struct pcase cases[] = {
	{"absent", "{" P "}", 0, NULL, NULL},
	{"null", "{" P ",'limits':null}", 0, NULL, NULL},
	{"empty", "{" P ",'limits':{}}", 0, NULL, NULL},
	{"all-null",
	 "{" P ",'limits':{'memoryMiB':null,'processes':null,'cpuPercent':null,'cpuSeconds':null,'"
	 "openFiles':null,'fileSizeMiB':null,'tmpMiB':null}}",
	 0, NULL, NULL},
	{"memory-ok", "{" P ",'limits':{'memoryMiB':16}}", 0, NULL, NULL},
	{"memory-zero", "{" P ",'limits':{'memoryMiB':0}}", 0,
	 "Invalid configuration at `limits.memoryMiB`: invalid value: integer `0`, " RANGE(
		 16, 16777216) " at line 1 column 57",
	 "limits.memoryMiB"},
	{"memory-huge", "{" P ",'limits':{'memoryMiB':16777217}}", 0,
	 "invalid value: integer `16777217`, " RANGE(16, 16777216), "limits.memoryMiB"},
	{"processes-ok", "{" P ",'limits':{'processes':1}}", 0, NULL, NULL},
	{"processes-zero", "{" P ",'limits':{'processes':0}}", 0,
	 "Invalid configuration at `limits.processes`: invalid value: integer `0`, " RANGE(1,
											   4194304),
	 "limits.processes"},
	{"cpu-percent-ok", "{" P ",'limits':{'cpuPercent':250}}", 0, NULL, NULL},
	{"cpu-percent-big", "{" P ",'limits':{'cpuPercent':100001}}", 0,
	 "Invalid configuration at `limits.cpuPercent`: invalid value: integer `100001`, " RANGE(
		 1, 100000),
	 "limits.cpuPercent"},
	{"cpu-seconds-ok", "{" P ",'limits':{'cpuSeconds':4294967295}}", 0, NULL, NULL},
	{"cpu-seconds-neg", "{" P ",'limits':{'cpuSeconds':-1}}", 0,
	 "Invalid configuration at `limits.cpuSeconds`: invalid value: integer `-1`, " RANGE(
		 1, 4294967295),
	 "limits.cpuSeconds"},
	{"open-files-ok", "{" P ",'limits':{'openFiles':1048576}}", 0, NULL, NULL},
	{"open-files-low", "{" P ",'limits':{'openFiles':15}}", 0,
	 "Invalid configuration at `limits.openFiles`: invalid value: integer `15`, " RANGE(
		 16, 1048576),
	 "limits.openFiles"},
	{"file-size-ok", "{" P ",'limits':{'fileSizeMiB':1}}", 0, NULL, NULL},
	{"file-size-zero", "{" P ",'limits':{'fileSizeMiB':0}}", 0,
	 "Invalid configuration at `limits.fileSizeMiB`: invalid value: integer `0`, " RANGE(
		 1, 1073741824),
	 "limits.fileSizeMiB"},
	{"tmp-ok", "{" P ",'limits':{'tmpMiB':8}}", 0, NULL, NULL},
	{"tmp-zero", "{" P ",'limits':{'tmpMiB':0}}", 0,
	 "Invalid configuration at `limits.tmpMiB`: invalid value: integer `0`, " RANGE(1,
											16777216),
	 "limits.tmpMiB"},
	{"type-string", "{" P ",'limits':{'memoryMiB':'512'}}", 0,
	 "Invalid configuration at `limits.memoryMiB`: invalid type: string \"512\", " RANGE(
		 16, 16777216),
	 "limits.memoryMiB"},
	{"type-float", "{" P ",'limits':{'processes':5.0}}", 0,
	 "invalid type: floating point `5.0`, " RANGE(1, 4194304), "limits.processes"},
	{"type-bool", "{" P ",'limits':{'tmpMiB':true}}", 0,
	 "invalid type: boolean `true`, " RANGE(1, 16777216), "limits.tmpMiB"},
	{"not-object", "{" P ",'limits':5}", 0,
	 "Invalid configuration at `limits`: invalid type: integer `5`, expected struct Limits "
	 "(mxc extension)",
	 "limits"},
	{"unknown", "{" P ",'limits':{'memoryMb':5}}", 0,
	 "Invalid configuration at `limits.memoryMb`: unknown field `memoryMb`, expected one of "
	 "`memoryMiB`, `processes`, `cpuPercent`, `cpuSeconds`, `openFiles`, `fileSizeMiB`, "
	 "`tmpMiB`",
	 "limits.memoryMb"},
	{"duplicate", "{" P ",'limits':{'tmpMiB':5,'tmpMiB':6}}", 0, "duplicate field `tmpMiB`",
	 ""},
};

START_TEST(test_parse)
{
	run_case(&cases[_i]);
}
END_TEST

static struct mxc_config *parse_ok(const char *sq_json)
{
	struct mxc_config *c = NULL;
	struct mxc_error e;
	char *json = dq(sq_json);
	int r = parse_flags(json, 0, &c, &e);

	ck_assert_msg(r == 0, "parse failed: %s", e.msg);
	free(json);
	return c;
}

START_TEST(test_model_and_dump)
{
	struct mxc_config *c =
		parse_ok("{" P ",'limits':{'memoryMiB':512,'processes':null,'tmpMiB':64}}");
	char *s = NULL;

	ck_assert(c->limits.present);
	ck_assert(c->limits.set[MXC_LIMIT_MEMORY_MIB] && c->limits.v[MXC_LIMIT_MEMORY_MIB] == 512);
	ck_assert(!c->limits.set[MXC_LIMIT_PROCESSES]);
	ck_assert(c->limits.set[MXC_LIMIT_TMP_MIB] && c->limits.v[MXC_LIMIT_TMP_MIB] == 64);
	ck_assert_int_eq(policy_to_json(c, &s), 0);
	ck_assert_msg(strstr(s, "\"limits\": {\n    \"memoryMiB\": 512,\n    \"processes\": null"),
		      "%s", s);
	free(s);
	policy_free(c);

	c = parse_ok("{" P "}");
	ck_assert(!c->limits.present);
	ck_assert_int_eq(policy_to_json(c, &s), 0);
	ck_assert_msg(!strstr(s, "\"limits\""), "%s", s);
	free(s);
	policy_free(c);
}
END_TEST

/* ---- plan ------------------------------------------------------------------ */

static struct plan_host_limits probe_result;
static uid_t probe_uid = 1000;

static void fake_probe(struct plan_host_limits *ret)
{
	*ret = probe_result;
}

static uid_t fake_uid(void)
{
	return probe_uid;
}

static struct mxc_plan *compile(const char *sq_json, struct mxc_error *e, int *ret_r)
{
	struct mxc_config *c = parse_ok(sq_json);
	struct plan_host h = fake_host;
	struct mxc_plan *p = NULL;

	h.limits_probe = fake_probe;
	h.getuid = fake_uid;
	fake_host_set_nodes(NULL);
	mxc_error_clear(e);
	*ret_r = plan_compile(c, &h, &p, e);
	policy_free(c);
	return p;
}

START_TEST(test_plan_defaults_v1_root)
{
	struct mxc_error e;
	struct mxc_plan *p;
	char *s = NULL;
	int r;

	probe_result = (struct plan_host_limits){.cgroup = PLAN_CGROUP_V1,
						 .controllers = PLAN_CTRL_MEMORY | PLAN_CTRL_PIDS |
								PLAN_CTRL_CPU,
						 .ram_mib = 24000};
	probe_uid = 0;
	p = compile("{" P "}", &e, &r);
	ck_assert_msg(r == 0, "%s", e.msg);
	ck_assert_int_eq(p->limits.cgroup, PLAN_CGROUP_V1);
	ck_assert_uint_eq(p->limits.cgroup_controllers, PLAN_CTRL_MEMORY | PLAN_CTRL_PIDS);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_MEMORY_MIB].value, 4096);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_MEMORY_MIB].enforce, PLAN_ENF_CGROUP);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_PROCESSES].value, 1024);
	/* uid 0: RLIMIT_NPROC does not count */
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_PROCESSES].enforce, PLAN_ENF_CGROUP);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_CPU_PERCENT].value, 0);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_OPEN_FILES].value, 1024);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_TMP_MIB].value, 1024);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_TMP_MIB].enforce, PLAN_ENF_TMPFS);
	ck_assert_int_eq(p->limits.oom_score_adj, 1000);
	ck_assert_int_eq(plan_to_json(p, &s), 0);
	ck_assert_msg(strstr(s, "\"memoryMiB\": {\n      \"value\": 4096,\n      \"source\": "
				"\"default\",\n      \"enforcedBy\": [\n        \"cgroup-v1\"\n"),
		      "%s", s);
	free(s);
	plan_free(p);
}
END_TEST

START_TEST(test_plan_small_host_defaults)
{
	struct mxc_error e;
	struct mxc_plan *p;
	int r;

	probe_result = (struct plan_host_limits){.cgroup = PLAN_CGROUP_V2,
						 .controllers = PLAN_CTRL_MEMORY | PLAN_CTRL_PIDS,
						 .ram_mib = 2000};
	probe_uid = 1000;
	p = compile("{" P "}", &e, &r);
	ck_assert_msg(r == 0, "%s", e.msg);
	ck_assert_int_eq(p->limits.cgroup, PLAN_CGROUP_V2);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_MEMORY_MIB].value, 1000); /* RAM/2 */
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_TMP_MIB].value, 500);	  /* RAM/4 */
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_PROCESSES].enforce,
			  PLAN_ENF_CGROUP | PLAN_ENF_RLIMIT);
	plan_free(p);
}
END_TEST

START_TEST(test_plan_no_cgroup_user)
{
	struct mxc_error e;
	struct mxc_plan *p;
	int r;

	probe_result = (struct plan_host_limits){.cgroup = PLAN_CGROUP_NONE, .why_not = "nope"};
	probe_uid = 1000;
	/* defaults fall back to rlimits */
	p = compile("{" P "}", &e, &r);
	ck_assert_msg(r == 0, "%s", e.msg);
	ck_assert_int_eq(p->limits.cgroup, PLAN_CGROUP_NONE);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_MEMORY_MIB].enforce, PLAN_ENF_RLIMIT);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_PROCESSES].enforce, PLAN_ENF_RLIMIT);
	plan_free(p);
	/* explicit processes: RLIMIT_NPROC is sandbox-wide (own user namespace): accepted */
	p = compile("{" P
		    ",'limits':{'processes':10,'openFiles':100,'fileSizeMiB':2,'cpuSeconds':3}}",
		    &e, &r);
	ck_assert_msg(r == 0, "%s", e.msg);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_PROCESSES].value, 10);
	ck_assert(p->limits.l[MXC_LIMIT_PROCESSES].from_config);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_FILE_SIZE_MIB].enforce, PLAN_ENF_RLIMIT);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_CPU_SECONDS].enforce, PLAN_ENF_RLIMIT);
	plan_free(p);
	/* explicit memory and cpuPercent: refused, naming the field */
	p = compile("{" P ",'limits':{'memoryMiB':512}}", &e, &r);
	ck_assert_int_lt(r, 0);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(e.kind, MXC_ERROR_BACKEND);
	ck_assert_str_eq(e.where, "limits.memoryMiB");
	ck_assert_msg(strstr(e.msg, "limits.memoryMiB cannot be enforced on this host: nope;"),
		      "%s", e.msg);
	p = compile("{" P ",'limits':{'cpuPercent':50}}", &e, &r);
	ck_assert_int_lt(r, 0);
	ck_assert_str_eq(e.where, "limits.cpuPercent");
}
END_TEST

START_TEST(test_plan_root_without_pids)
{
	struct mxc_error e;
	struct mxc_plan *p;
	int r;

	probe_result = (struct plan_host_limits){.cgroup = PLAN_CGROUP_V1,
						 .controllers = PLAN_CTRL_MEMORY};
	probe_uid = 0;
	p = compile("{" P "}", &e, &r);
	ck_assert_msg(r == 0, "%s", e.msg);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_PROCESSES].enforce, 0);
	ck_assert_ptr_nonnull(p->limits.l[MXC_LIMIT_PROCESSES].why_not);
	plan_free(p);
	p = compile("{" P ",'limits':{'processes':100}}", &e, &r);
	ck_assert_int_lt(r, 0);
	ck_assert_str_eq(e.where, "limits.processes");
}
END_TEST

START_TEST(test_plan_host_without_probe)
{
	struct mxc_config *c = parse_ok("{" P "}");
	struct mxc_plan *p = NULL;
	struct mxc_error e;

	/* the shared fake host has no limits_probe: no cgroup, RAM unknown */
	fake_host_set_nodes(NULL);
	ck_assert_int_eq(plan_compile(c, &fake_host, &p, &e), 0);
	ck_assert_int_eq(p->limits.cgroup, PLAN_CGROUP_NONE);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_MEMORY_MIB].value, 4096);
	ck_assert_uint_eq(p->limits.l[MXC_LIMIT_TMP_MIB].value, 1024);
	plan_free(p);
	policy_free(c);
}
END_TEST

static Suite *limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("unit");

	tcase_add_loop_test(tc, test_parse, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_model_and_dump);
	tcase_add_test(tc, test_plan_defaults_v1_root);
	tcase_add_test(tc, test_plan_small_host_defaults);
	tcase_add_test(tc, test_plan_no_cgroup_user);
	tcase_add_test(tc, test_plan_root_without_pids);
	tcase_add_test(tc, test_plan_host_without_probe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(limits_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
