/* SPDX-License-Identifier: MIT */
/*
 * policy: the upstream test-config corpus (tests/data/upstream), our own
 * configs (tests/data/configs), base64 decoding and the JSON dump.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "test-policy-util.h"

#ifndef MXC_TEST_DATA_DIR
#error "MXC_TEST_DATA_DIR must be defined"
#endif

/* Upstream configs the parser itself must refuse (the other *_rejected ones are
 * refused later, by the backend) and the message fragment it must give. */
static const struct {
	const char *name;
	const char *msg;
	const char *where;
} upstream_rejected[] = {
	{"rejected_version_too_old",
	 "Config schema version '0.3.0-alpha' is older than supported (supported: >=0.6, <=0.9). "
	 "Update your config.",
	 "version"},
	{"bubblewrap_network_directional_pre08_rejected",
	 "network.egress, network.ingress, runtimeConfig, and processContainer.network require "
	 "schema version 0.8 or later",
	 "network.egress"},
	{"lxc_network_proxy_credentials_rejected",
	 "network.proxy.url must not carry credentials ('http://***@10.0.3.1:3128')",
	 "network.proxy.url"},
};

/* Values for the {{PLACEHOLDER}}s the upstream test scripts fill in. */
static const char *const placeholders[][2] = {
	{"{{PROXY_HOST}}", "127.0.0.1"}, {"{{PROXY_PORT}}", "3128"},  {"{{SUBNET}}", "10.0.2.0/24"},
	{"{{ALLOWED_PORT}}", "8080"},	 {"{{ADDRESS}}", "10.0.2.2"}, {"{{PORT}}", "8080"},
	{"{{LISTENER_PORT}}", "7777"},	 {"{{ROOT}}", "/tmp"},
};

static char **upstream_names;
static char **local_names;

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	ck_assert_msg(f != NULL, "cannot open %s: %s", path, strerror(errno));
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 16384;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	(void)fclose(f);
	return buf;
}

static char *substitute(char *s)
{
	for (size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++) {
		char *p;
		while ((p = strstr(s, placeholders[i][0]))) {
			size_t kl = strlen(placeholders[i][0]), vl = strlen(placeholders[i][1]);
			char *n = malloc(strlen(s) - kl + vl + 1);
			ck_assert_ptr_nonnull(n);
			memcpy(n, s, (size_t)(p - s));
			memcpy(n + (p - s), placeholders[i][1], vl);
			strcpy(n + (p - s) + vl, p + kl);
			free(s);
			s = n;
		}
	}
	return s;
}

static int parse_text(const char *json, bool testing, struct mxc_config **ret, struct mxc_error *e)
{
	struct mxc_parse_options o = {.allow_testing_features = testing};
	mxc_error_clear(e);
	return policy_parse(json, strlen(json), &o, ret, e);
}

START_TEST(test_upstream_config)
{
	const char *name = upstream_names[_i];
	const char *msg = NULL, *where = NULL;
	struct mxc_config *c = NULL;
	struct mxc_error e;
	char path[1024];
	char *json;
	int r;

	(void)snprintf(path, sizeof(path), "%s/upstream/%s/config.json", MXC_TEST_DATA_DIR, name);
	json = substitute(read_file(path));
	for (size_t i = 0; i < sizeof(upstream_rejected) / sizeof(upstream_rejected[0]); i++)
		if (strcmp(upstream_rejected[i].name, name) == 0) {
			msg = upstream_rejected[i].msg;
			where = upstream_rejected[i].where;
		}
	/* the upstream scripts pass --allow-testing-features to the builtin-proxy cases */
	r = parse_text(json, true, &c, &e);
	if (msg) {
		ck_assert_msg(r < 0, "%s: expected rejection", name);
		ck_assert_msg(strstr(e.msg, msg), "%s: '%s' lacks '%s'", name, e.msg, msg);
		ck_assert_str_eq(e.where, where);
	} else {
		char *dump = NULL;
		ck_assert_msg(r == 0, "%s: %s (at %s)", name, e.msg, e.where);
		ck_assert_int_eq(policy_to_json(c, &dump), 0);
		ck_assert_ptr_nonnull(dump);
		free(dump);
		policy_free(c);
	}
	free(json);
}
END_TEST

START_TEST(test_upstream_builtin_needs_flag)
{
	struct mxc_config *c = NULL;
	struct mxc_error e;
	char path[1024], *json;

	(void)snprintf(path, sizeof(path),
		       "%s/upstream/bubblewrap_network_proxy_builtin/config.json",
		       MXC_TEST_DATA_DIR);
	json = read_file(path);
	ck_assert_int_lt(parse_text(json, false, &c, &e), 0);
	ck_assert_ptr_nonnull(strstr(e.msg, "requires the --allow-testing-features flag"));
	ck_assert_str_eq(e.where, "network.proxy.builtinTestServer");
	free(json);
}
END_TEST

/* tests/data/configs/{valid,invalid}/NAME.json; invalid ones have NAME.err with the fragment. */
START_TEST(test_local_config)
{
	const char *name = local_names[_i];
	bool valid = strncmp(name, "valid/", 6) == 0;
	struct mxc_config *c = NULL;
	struct mxc_error e;
	char path[1024], *json;
	int r;

	(void)snprintf(path, sizeof(path), "%s/configs/%s", MXC_TEST_DATA_DIR, name);
	json = read_file(path);
	r = parse_text(json, false, &c, &e);
	if (valid) {
		ck_assert_msg(r == 0, "%s: %s", name, e.msg);
		policy_free(c);
	} else {
		char *want;
		size_t l;
		strcpy(path + strlen(path) - strlen(".json"), ".err");
		want = read_file(path);
		l = strlen(want);
		while (l > 0 && want[l - 1] == '\n')
			want[--l] = '\0';
		ck_assert_msg(r < 0, "%s: expected failure", name);
		ck_assert_msg(strstr(e.msg, want), "%s: '%s' lacks '%s'", name, e.msg, want);
		free(want);
	}
	free(json);
}
END_TEST

START_TEST(test_base64)
{
	char *out = NULL;
	size_t len = 0;

	ck_assert_int_eq(policy_base64_decode("eyJhIjoxfQ==", &out, &len), 0);
	ck_assert_str_eq(out, "{\"a\":1}");
	ck_assert_uint_eq(len, 7);
	free(out);
	ck_assert_int_eq(policy_base64_decode("", &out, &len), 0);
	ck_assert_uint_eq(len, 0);
	free(out);
	ck_assert_int_eq(policy_base64_decode("aGk=", &out, &len), 0);
	ck_assert_str_eq(out, "hi");
	free(out);
	/* padding required, standard alphabet, strict */
	ck_assert_int_lt(policy_base64_decode("aGk", &out, &len), 0);
	ck_assert_int_lt(policy_base64_decode("aG-_", &out, &len), 0);
	ck_assert_int_lt(policy_base64_decode("aGk=\n", &out, &len), 0);
	ck_assert_int_lt(policy_base64_decode("a=Gk", &out, &len), 0);
	ck_assert_int_lt(policy_base64_decode("aGl=", &out, &len), 0); /* non-zero trailing bits */
	ck_assert_int_lt(policy_base64_decode("aGk=aGk=", &out, &len), 0);
	ck_assert_int_ne(policy_base64_decode("aGk", &out, &len), -EILSEQ);
	/* valid base64 of invalid UTF-8 */
	ck_assert_int_eq(policy_base64_decode("/w==", &out, &len), -EILSEQ);
	ck_assert_int_eq(policy_base64_decode("wK8=", &out, &len), -EILSEQ); /* overlong */
	ck_assert_int_eq(policy_base64_decode("7aCA", &out, &len), -EILSEQ); /* surrogate */
	ck_assert_int_eq(policy_base64_decode("w6k=", &out, &len), 0);	     /* é */
	free(out);
}
END_TEST

START_TEST(test_dump)
{
	static const char *const json =
		"{\"version\":\"0.8.0\",\"containment\":\"namespaces\",\"process\":{"
		"\"commandLine\":\"echo hi\",\"env\":[\"A=1\"]},"
		"\"filesystem\":{\"readwritePaths\":[\"/tmp\"],\"deniedPaths\":[\"/tmp\"]},"
		"\"network\":{\"egress\":{\"allow\":[{\"to\":[{\"cidr\":\"10.0.0.0/"
		"8\"}],\"ports\":[{\"protocol\":\"tcp\",\"port\":443}]}]}}}";
	struct mxc_config *c = NULL;
	struct mxc_error e;
	json_t *root, *v;
	char *dump = NULL;

	ck_assert_int_eq(parse_text(json, false, &c, &e), 0);
	ck_assert_int_eq(policy_to_json(c, &dump), 0);
	root = json_loads(dump, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(
		json_string_value(json_object_get(json_object_get(root, "mxc"), "backend")),
		"namespaces");
	ck_assert_str_eq(
		json_string_value(json_object_get(json_object_get(root, "process"), "commandLine")),
		"echo hi");
	ck_assert(
		json_is_true(json_object_get(json_object_get(root, "lifecycle"), "destroyOnExit")));
	v = json_object_get(json_object_get(root, "filesystem"), "readwritePaths");
	ck_assert_uint_eq(json_array_size(v), 0); /* normalised */
	v = json_object_get(json_object_get(json_object_get(root, "network"), "egress"), "allow");
	ck_assert_uint_eq(json_array_size(v), 1);
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_array_get(json_object_get(json_array_get(v, 0), "ports"), 0), "port")),
		443);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(root, "network"), "ingress"),
				 "hostLoopback")),
			 "deny");
	json_decref(root);
	free(dump);
	policy_free(c);
}
END_TEST

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **list_dir(const char *dir, const char *prefix, const char *suffix)
{
	char **v = calloc(1, sizeof(char *));
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return v;
	while ((de = readdir(d))) {
		char name[512];
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		if (suffix &&
		    (l < strlen(suffix) || strcmp(de->d_name + l - strlen(suffix), suffix)))
			continue;
		if (!suffix && de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		(void)snprintf(name, sizeof(name), "%s%s", prefix, de->d_name);
		if (strv_push(&v, name) < 0)
			abort();
	}
	closedir(d);
	qsort(v, strv_length(v), sizeof(char *), cmpstr);
	return v;
}

int main(void)
{
	Suite *s = suite_create("policy-upstream");
	TCase *tc = tcase_create("unit");
	SRunner *sr;
	char **invalid;
	int failed;

	upstream_names = list_dir(MXC_TEST_DATA_DIR "/upstream", "", NULL);
	local_names = list_dir(MXC_TEST_DATA_DIR "/configs/valid", "valid/", ".json");
	invalid = list_dir(MXC_TEST_DATA_DIR "/configs/invalid", "invalid/", ".json");
	if (strv_extend(&local_names, invalid) < 0)
		abort();
	strv_free(invalid);

	tcase_add_loop_test(tc, test_upstream_config, 0, (int)strv_length(upstream_names));
	tcase_add_test(tc, test_upstream_builtin_needs_flag);
	tcase_add_loop_test(tc, test_local_config, 0, (int)strv_length(local_names));
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_dump);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	strv_free(upstream_names);
	strv_free(local_names);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
