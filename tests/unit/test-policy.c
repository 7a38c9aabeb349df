/* SPDX-License-Identifier: MIT */
/* policy: JSON syntax and the strict typed walk (mxc-config.md §0, §3.1 step 2, §3.2). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test-policy-util.h"

#define P "'process':{'commandLine':'true'}"

static const struct pcase cases[] = {
	/* syntax */
	{"syntax-eof", "{'process':", 0, "Invalid JSON syntax: ", ""},
	{"syntax-trailing", "{" P "} x", 0,
	 "Invalid JSON syntax: end of file expected near 'x' at line 1 column", ""},
	{"syntax-trailing-object", "{" P "}{}", 0, "Invalid JSON syntax: end of file expected", ""},
	{"syntax-trailing-ws-ok", "{" P "}\n\t  ", 0, NULL, NULL},
	{"syntax-empty", "", 0, "Invalid JSON syntax: ", ""},
	{"duplicate-key", "{'version':'0.8.0','version':'0.8.0'," P "}", 0,
	 "Invalid configuration: duplicate field `version` at line 1 column 28", ""},
	{"duplicate-nested", "{'process':{'commandLine':'a','commandLine':'b'}}", 0,
	 "Invalid configuration: duplicate field `commandLine`", ""},
	{"duplicate-alias",
	 "{" P ",'containment':'processcontainer','processContainer':{},'appContainer':{}}", 0,
	 "Invalid configuration: duplicate field `processContainer` at line 1 column 103", ""},
	{"root-array", "[1]", 0,
	 "Invalid configuration: invalid type: sequence, expected a configuration object at line 1 "
	 "column 0",
	 ""},
	{"root-string", "'x'", 0,
	 "Invalid configuration: invalid type: string \"x\", expected a configuration object at "
	 "line 1 column 3",
	 ""},
	{"root-int", "5", 0,
	 "Invalid configuration: invalid type: integer `5`, expected a configuration object", ""},
	/* unknown fields */
	{"unknown-top", "{" P ",'bogus':1}", 0,
	 "Invalid configuration at `bogus`: unknown field `bogus`, expected one of `$schema`, "
	 "`_comment`, `version`",
	 "bogus"},
	{"unknown-process", "{'process':{'commandLine':'x','bogus':1}}", 0,
	 "Invalid configuration at `process.bogus`: unknown field `bogus`, expected one of "
	 "`commandLine`, `cwd`, `env`, `timeout` at line 1 column 37",
	 "process.bogus"},
	{"unknown-proxy", "{" P ",'network':{'proxy':{'unexpected':1}}}", 0,
	 "Invalid configuration at `network.proxy.unexpected`: unknown field `unexpected`, "
	 "expected one of `localhost`, `builtinTestServer`, `url`",
	 "network.proxy.unexpected"},
	{"unknown-typo-fileSystem", "{" P ",'fileSystem':{}}", 0, "unknown field `fileSystem`",
	 "fileSystem"},
	{"unknown-legacy-script", "{'script':'x'}", 0, "unknown field `script`", "script"},
	{"unknown-legacy-timeout", "{" P ",'timeout':5}", 0, "unknown field `timeout`", "timeout"},
	{"unknown-top-ui-isolation", "{" P ",'ui':{'isolation':'desktop'}}", 0,
	 "unknown field `isolation`, expected one of `disable`, `clipboard`, `injection`",
	 "ui.isolation"},
	{"unknown-lifecycle-two", "{" P ",'fallback':{'x':1}}", 0,
	 "unknown field `x`, expected `allowDaclMutation`", "fallback.x"},
	{"unknown-lxc-two", "{" P ",'containment':'lxc','lxc':{'x':1}}", 0,
	 "unknown field `x`, expected `distribution` or `release`", "lxc.x"},
	{"unknown-rule",
	 "{'version':'0.8.0'," P
	 ",'network':{'egress':{'allow':[{'to':[{'cidr':'10.0.0.0/8','x':1}]}]}}}",
	 0,
	 "Invalid configuration at `network.egress.allow[0].to[0].x`: unknown field `x`, expected "
	 "`cidr` or `except`",
	 "network.egress.allow[0].to[0].x"},
	/* experimental is open but typed */
	{"experimental-open",
	 "{" P ",'experimental':{'foo':1,'test':{'message':'m','zzz':[1]},'telemetry':{'enabled':"
	 "true,'x':1}}}",
	 0, NULL, NULL},
	{"experimental-wslc-pm-unknown",
	 "{" P ",'containment':'wslc','experimental':{'wslc':{'portMappings':[{'windowsPort':1,'"
	 "containerPort':2,'extra':true}]}}}",
	 0, NULL, NULL},
	{"experimental-typed", "{" P ",'experimental':{'test':{'message':5}}}", 0,
	 "Invalid configuration at `experimental.test.message`: invalid type: integer `5`, "
	 "expected a string",
	 "experimental.test.message"},
	{"experimental-udp",
	 "{" P ",'containment':'wslc','experimental':{'wslc':{'portMappings':[{'windowsPort':1,'"
	 "containerPort':2,'protocol':'udp'}]}}}",
	 0, "unknown variant `udp`, expected `tcp`", "experimental.wslc.portMappings[0].protocol"},
	{"experimental-pm-missing",
	 "{" P
	 ",'containment':'wslc','experimental':{'wslc':{'portMappings':[{'windowsPort':1}]}}}",
	 0, "missing field `containerPort`", "experimental.wslc.portMappings[0]"},
	/* null means absent; _comment takes anything */
	{"nulls",
	 "{'$schema':null,'version':null,'containerId':null,'containment':null,'lifecycle':null,'"
	 "process':{'commandLine':'x','cwd':null,'env':null,'timeout':null},'filesystem':null,'"
	 "network':null,'ui':null,'lxc':null,'runtimeConfig':null}",
	 0, NULL, NULL},
	{"nulls-nested",
	 "{" P ",'network':{'defaultPolicy':null,'proxy':null,'allowedHosts':null},'filesystem':{'"
	 "readwritePaths':null}}",
	 0, NULL, NULL},
	{"comment-any", "{'_comment':{'a':[1,null]}," P "}", 0, NULL, NULL},
	{"comment-null", "{'_comment':null," P "}", 0, NULL, NULL},
	{"schema-string", "{'$schema':'https://x/y.json'," P "}", 0, NULL, NULL},
	{"schema-int", "{'$schema':1," P "}", 0, "invalid type: integer `1`, expected a string",
	 "$schema"},
	/* enums */
	{"enum-unknown", "{" P ",'containment':'docker'}", 0,
	 "Invalid configuration at `containment`: unknown variant `docker`, expected one of "
	 "`process`, `processcontainer`, `lxc`, `seatbelt`, `bubblewrap`, `vm`, `windows_sandbox`, "
	 "`microvm`, `hyperlight`, `wslc`, `isolation_session`, `namespaces` at line 1 column",
	 "containment"},
	{"enum-two", "{" P ",'network':{'defaultPolicy':'outbound'}}", 0,
	 "unknown variant `outbound`, expected `allow` or `block`", "network.defaultPolicy"},
	{"enum-case", "{" P ",'network':{'enforcementMode':'Firewall'}}", 0,
	 "unknown variant `Firewall`, expected one of `capabilities`, `firewall`, `both`",
	 "network.enforcementMode"},
	{"enum-clipboard", "{" P ",'ui':{'clipboard':'readwrite'}}", 0,
	 "unknown variant `readwrite`, expected one of `none`, `read`, `write`, `all`",
	 "ui.clipboard"},
	{"enum-not-string", "{" P ",'containment':5}", 0,
	 "Invalid configuration at `containment`: expected value", "containment"},
	{"alias-appcontainer",
	 "{" P ",'containment':'appcontainer','appContainer':{'leastPrivilege':true}}", 0, NULL,
	 NULL},
	{"alias-macos-sandbox",
	 "{" P ",'containment':'macos_sandbox','macos_sandbox':{'guiAccess':true}}", 0, NULL, NULL},
	{"containment-namespaces", "{" P ",'containment':'namespaces'}", 0, NULL, NULL},
	/* types */
	{"timeout-string", "{'process':{'commandLine':'x','timeout':'x'}}", 0,
	 "Invalid configuration at `process.timeout`: invalid type: string \"x\", expected u32 at "
	 "line 1 column 43",
	 "process.timeout"},
	{"timeout-negative", "{'process':{'commandLine':'x','timeout':-1}}", 0,
	 "invalid value: integer `-1`, expected u32", "process.timeout"},
	{"timeout-too-big", "{'process':{'commandLine':'x','timeout':4294967296}}", 0,
	 "invalid value: integer `4294967296`, expected u32", "process.timeout"},
	{"timeout-max", "{'process':{'commandLine':'x','timeout':4294967295}}", 0, NULL, NULL},
	{"timeout-float", "{'process':{'commandLine':'x','timeout':1.5}}", 0,
	 "invalid type: floating point `1.5`, expected u32", "process.timeout"},
	{"timeout-float-integral", "{'process':{'commandLine':'x','timeout':2.0}}", 0,
	 "invalid type: floating point `2.0`, expected u32", "process.timeout"},
	{"timeout-bool", "{'process':{'commandLine':'x','timeout':true}}", 0,
	 "invalid type: boolean `true`, expected u32", "process.timeout"},
	{"port-too-big",
	 "{'version':'0.8.0'," P ",'network':{'egress':{'allow':[{'ports':[{'port':70000}]}]}}}", 0,
	 "Invalid configuration at `network.egress.allow[0].ports[0].port`: invalid value: integer "
	 "`70000`, expected u16",
	 "network.egress.allow[0].ports[0].port"},
	{"localhost-too-big",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'localhost':65536}}}", 0,
	 "invalid value: integer `65536`, expected u16", "network.proxy.localhost"},
	{"bool-string", "{" P ",'lifecycle':{'destroyOnExit':'yes'}}", 0,
	 "invalid type: string \"yes\", expected a boolean", "lifecycle.destroyOnExit"},
	{"string-bool", "{'process':{'commandLine':true}}", 0,
	 "invalid type: boolean `true`, expected a string", "process.commandLine"},
	{"seq-string", "{'process':{'commandLine':'x','env':'A=B'}}", 0,
	 "invalid type: string \"A=B\", expected a sequence", "process.env"},
	{"seq-map", "{" P ",'filesystem':{'deniedPaths':{}}}", 0,
	 "invalid type: map, expected a sequence", "filesystem.deniedPaths"},
	{"seq-element", "{'process':{'commandLine':'x','env':['A=B',5]}}", 0,
	 "Invalid configuration at `process.env[1]`: invalid type: integer `5`, expected a string",
	 "process.env[1]"},
	{"struct-string", "{'process':'echo hi'}", 0,
	 "Invalid configuration at `process`: invalid type: string \"echo hi\", expected struct "
	 "Process at line 1 column 20",
	 "process"},
	{"struct-seq", "{'process':[]}", 0,
	 "invalid type: sequence, expected struct Process at line 1 column 11", "process"},
	{"missing-cidr",
	 "{'version':'0.8.0'," P ",'network':{'egress':{'allow':[{'to':[{'except':[]}]}]}}}", 0,
	 "Invalid configuration at `network.egress.allow[0].to[0]`: missing field `cidr`",
	 "network.egress.allow[0].to[0]"},
	{"quote-in-string-debug", "{'process':{'commandLine':'x','timeout':'a\\'b'}}", 0,
	 "invalid type: string \"a\\\"b\", expected u32", "process.timeout"},
	/* redaction and escaping (§3.2) */
	{"secret-redacted", "{'process':{'commandLine':'x','password':'hunter2'}}", 0,
	 "Invalid configuration at `process.password`: invalid secret value at line 1 column",
	 "process.password"},
	{"secret-token", "{" P ",'apiToken':'abc'}", 0, "invalid secret value", "apiToken"},
	{"secret-user", "{" P ",'user':'bob'}", 0, "invalid secret value", "user"},
	{"secret-not-username", "{" P ",'username':'bob'}", 0, "unknown field `username`",
	 "username"},
	{"escape-control", "{" P ",'a\\u001bb':1}", 0, "unknown field `a\\u{1b}b`", NULL},
	{"escape-newline", "{" P ",'a\\nb':1}", 0, "unknown field `a\\nb`", NULL},
	{"escape-bidi", "{" P ",'a\\u202eb':1}", 0, "unknown field `a\\u{202e}b`", NULL},
};

START_TEST(test_typed_walk)
{
	run_case(&cases[_i]);
}
END_TEST

START_TEST(test_multiline_position)
{
	struct mxc_config *c = NULL;
	struct mxc_error e;
	const char *json =
		"{\n  \"process\": {\n    \"commandLine\": \"x\",\n    \"timeout\": -5\n  }\n}\n";
	int r = parse_flags(json, 0, &c, &e);

	ck_assert_int_lt(r, 0);
	ck_assert_str_eq(e.msg,
			 "Invalid configuration at `process.timeout`: invalid value: integer "
			 "`-5`, expected u32 at line 4 column 17");
	ck_assert_str_eq(e.where, "process.timeout");
	ck_assert_uint_eq(e.line, 4);
	ck_assert_uint_eq(e.column, 17);
}
END_TEST

START_TEST(test_nul_in_other_string)
{
	struct mxc_config *c = NULL;
	struct mxc_error e;
	const char *json = "{\"process\":{\"commandLine\":\"x\",\"cwd\":\"/a\\u0000b\"}}";
	int r = parse_flags(json, 0, &c, &e);

	ck_assert_int_lt(r, 0);
	ck_assert_ptr_nonnull(strstr(e.msg, "expected a string without NUL characters"));
	ck_assert_str_eq(e.where, "process.cwd");
}
END_TEST

START_TEST(test_no_raw_control_in_message)
{
	struct mxc_config *c = NULL;
	struct mxc_error e;
	const char *json = "{\"process\":{\"commandLine\":\"x\",\"timeout\":\"\\u001b[31m\"}}";
	int r = parse_flags(json, 0, &c, &e);

	ck_assert_int_lt(r, 0);
	ck_assert_ptr_null(strchr(e.msg, '\x1b'));
	ck_assert_ptr_nonnull(strstr(e.msg, "\\u{1b}[31m"));
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("unit");

	tcase_add_loop_test(tc, test_typed_walk, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_multiline_position);
	tcase_add_test(tc, test_nul_in_other_string);
	tcase_add_test(tc, test_no_raw_control_in_message);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
