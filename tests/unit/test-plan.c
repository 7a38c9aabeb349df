/* SPDX-License-Identifier: MIT */
/* Plan compiler tests against a fake host filesystem (no privileges, no real paths). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/strv.h"
#include "../helpers/fake-host.h"
#include "plan/plan.h"
#include "policy/policy.h"

/* ---- fake host (tests/helpers/fake-host.c) ------------------------------ */

static struct plan_host host;

/* ---- config helpers ------------------------------------------------------ */

static struct mxc_config *cfg_new(const char *version)
{
	struct mxc_config *c = calloc(1, sizeof(*c));
	ck_assert_ptr_nonnull(c);
	c->command_line = strdup("true");
	c->cwd = strdup("");
	c->container_id = strdup("");
	c->env = calloc(1, sizeof(char *));
	c->readwrite_paths = calloc(1, sizeof(char *));
	c->readonly_paths = calloc(1, sizeof(char *));
	c->denied_paths = calloc(1, sizeof(char *));
	c->net.allowed_hosts = calloc(1, sizeof(char *));
	c->net.blocked_hosts = calloc(1, sizeof(char *));
	c->lxc_distribution = strdup("");
	c->lxc_release = strdup("");
	if (version) {
		c->has_version = true;
		c->version = strdup(version);
		c->version_parsed = true;
		sscanf(version, "%u.%u.%u", &c->ver_major, &c->ver_minor, &c->ver_patch);
	}
	return c;
}

#define cfg_free(c) policy_free(c)

static struct mxc_plan *compile_ok(struct mxc_config *c)
{
	struct mxc_plan *p = NULL;
	struct mxc_error e = {0};
	int r = plan_compile(c, &host, &p, &e);
	ck_assert_msg(r == 0, "plan_compile failed: %d %s", r, e.msg);
	return p;
}

static struct mxc_error compile_fail(struct mxc_config *c)
{
	struct mxc_plan *p = NULL;
	struct mxc_error e = {0};
	int r = plan_compile(c, &host, &p, &e);
	ck_assert_msg(r < 0, "plan_compile unexpectedly succeeded");
	ck_assert_ptr_null(p);
	return e;
}

/* Index of the op at dst (policy ops only when origin_policy), or -1. */
static int op_at(const struct mxc_plan *p, const char *dst, bool policy_only)
{
	for (size_t i = 0; i < p->n_ops; i++)
		if (strcmp(p->ops[i].dst, dst) == 0 &&
		    (!policy_only || p->ops[i].origin >= PLAN_FROM_READWRITE))
			return (int)i;
	return -1;
}

static bool has_note(const struct mxc_plan *p, const char *frag)
{
	for (size_t i = 0; p->notes && p->notes[i]; i++)
		if (strstr(p->notes[i], frag))
			return true;
	return false;
}

static void setup(void)
{
	host = fake_host;
	fake_host_set_nodes(NULL);
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(test_baseline_and_system_order)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p = compile_ok(c);
	int bin = op_at(p, "/bin", false), usrbin = op_at(p, "/usr/bin", false);
	int dev = op_at(p, "/dev", false), proc = op_at(p, "/proc", false),
	    tmp = op_at(p, "/tmp", false);

	ck_assert_int_ge(bin, 0);
	ck_assert_int_eq(p->ops[bin].kind, PLAN_SYMLINK);
	ck_assert_str_eq(p->ops[bin].src, "usr/bin");
	ck_assert_int_eq(p->ops[usrbin].kind, PLAN_BIND);
	ck_assert(p->ops[usrbin].readonly);
	ck_assert_int_eq(op_at(p, "/lib64", false), -1); /* absent on this fake host */
	ck_assert_int_eq(p->ops[op_at(p, "/var/run", false)].kind, PLAN_SYMLINK);
	ck_assert_int_lt(usrbin, dev);
	ck_assert_int_lt(dev, proc);
	ck_assert_int_lt(proc, tmp);
	ck_assert_int_eq(p->net, PLAN_NET_ISOLATED);
	ck_assert_str_eq(p->argv[0], "/bin/sh");
	ck_assert_str_eq(p->argv[2], "true");
	ck_assert_ptr_null(p->cwd);
	ck_assert_str_eq(p->launcher_cwd, "/home/user");
	ck_assert_int_eq(p->uid, 1000);
	plan_free(p);
	cfg_free(c);
}
END_TEST

static const struct fake_node data_nodes[] = {
	{"/data", 'd'},
	{"/data/secrets", 'd'},
	{"/data/secrets/key", 'f'},
	{"/data/pub", 'd'},
	{"/data/link_to_secrets", 'l', "/data/secrets"},
	{"/data/link_to_key", 'l', "secrets/key"},
	{"/data/noaccess", 'd', NULL, 0, 0, -EACCES},
	{"/data/broken", 'd', NULL, 0, -EIO},
	{NULL},
};

START_TEST(test_deepest_wins_denied_child)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;
	int rw, mask, maskf;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readwrite_paths, "/data");
	strv_push(&c->denied_paths, "/data/secrets");
	strv_push(&c->denied_paths, "/data/pub/../secrets/key");
	p = compile_ok(c);
	rw = op_at(p, "/data", true);
	mask = op_at(p, "/data/secrets", true);
	maskf = op_at(p, "/data/secrets/key", true);
	ck_assert_int_ge(rw, 0);
	ck_assert_int_eq(p->ops[rw].kind, PLAN_BIND);
	ck_assert(!p->ops[rw].readonly);
	ck_assert_int_eq(p->ops[mask].kind, PLAN_MASK_DIR);
	ck_assert_int_eq(p->ops[maskf].kind, PLAN_MASK_FILE);
	ck_assert_str_eq(p->ops[maskf].src, "/dev/null");
	ck_assert_int_lt(rw, mask);
	ck_assert_int_lt(mask, maskf);
	plan_free(p);
	cfg_free(c);
}
END_TEST

START_TEST(test_deepest_wins_rw_child_of_denied)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->denied_paths, "/data");
	strv_push(&c->readwrite_paths, "/data/secrets");
	p = compile_ok(c);
	/* /data is not visible through a bind, but the rw child's mountpoint lives in it: the
	 * mask keeps it an empty read-only directory. */
	ck_assert_int_eq(p->ops[op_at(p, "/data", true)].kind, PLAN_MASK_DIR);
	ck_assert_int_eq(p->ops[op_at(p, "/data/secrets", true)].kind, PLAN_BIND);
	ck_assert_int_lt(op_at(p, "/data", true), op_at(p, "/data/secrets", true));
	plan_free(p);
	cfg_free(c);

	/* Nothing under it and nothing exposing it: no mask at all. */
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->denied_paths, "/data");
	p = compile_ok(c);
	ck_assert_int_eq(op_at(p, "/data", true), -1);
	ck_assert(has_note(p, "not visible in the sandbox"));

	/* With /data visible read-only: the bind, then the mask, then the deeper grant. */
	cfg_free(c);
	plan_free(p);
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->readonly_paths, "/data");
	strv_push(&c->denied_paths, "/data/secrets");
	strv_push(&c->readwrite_paths, "/data/secrets/key");
	p = compile_ok(c);
	ck_assert_int_lt(op_at(p, "/data", true), op_at(p, "/data/secrets", true));
	ck_assert_int_lt(op_at(p, "/data/secrets", true), op_at(p, "/data/secrets/key", true));
	ck_assert_int_eq(p->ops[op_at(p, "/data/secrets", true)].kind, PLAN_MASK_DIR);
	ck_assert(!p->ops[op_at(p, "/data/secrets/key", true)].readonly);
	plan_free(p);
	cfg_free(c);
}
END_TEST

START_TEST(test_equal_depth_tie_order)
{
	static const struct fake_node nodes[] = {
		{"/a", 'd'}, {"/b", 'd'}, {"/c", 'd'}, {"/ro", 'd'}, {NULL},
	};
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;
	int a, b, ro;

	fake_host_set_nodes(nodes);
	strv_push(&c->readonly_paths, "/ro");
	strv_push(&c->readwrite_paths, "/b");
	strv_push(&c->readwrite_paths, "/a");
	p = compile_ok(c);
	a = op_at(p, "/a", true);
	b = op_at(p, "/b", true);
	ro = op_at(p, "/ro", true);
	ck_assert_int_lt(b, a);	 /* input order kept within a list */
	ck_assert_int_lt(a, ro); /* readwrite before readonly at equal depth */
	ck_assert(p->ops[ro].readonly);
	plan_free(p);
	cfg_free(c);
}
END_TEST

START_TEST(test_same_object_tightened)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readwrite_paths, "/data/secrets");
	strv_push(&c->denied_paths, "/data/link_to_secrets");
	p = compile_ok(c);
	ck_assert(has_note(p, "resolve to the same filesystem object; applying most-restrictive "
			      "intent (denied) to '/data/secrets'"));
	/* Neither path is visible through a bind any more: nothing of it is exposed. */
	ck_assert_int_eq(op_at(p, "/data/secrets", true), -1);
	plan_free(p);
	cfg_free(c);
}
END_TEST

START_TEST(test_unresolvable_with_denied_fails_closed)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_error e;
	struct mxc_plan *p;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readonly_paths, "/data/broken");
	strv_push(&c->denied_paths, "/data/secrets");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "Filesystem path '/data/broken' (readonlyPaths) could "
					    "not be resolved to a filesystem object"));
	ck_assert_int_eq(e.kind, MXC_ERROR_BACKEND);
	cfg_free(c);

	/* Without denied paths it is only a warning (and then the grant itself fails). */
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->readonly_paths, "/data/broken");
	strv_push(&c->readonly_paths, "/data/pub");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "'/data/broken' (readonlyPaths) cannot be granted"));
	cfg_free(c);
	(void)p;
}
END_TEST

START_TEST(test_delegation)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_error e;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readwrite_paths, "/data/noaccess");
	e = compile_fail(c);
	ck_assert_str_eq(e.msg,
			 "Filesystem path '/data/noaccess' (readwritePaths): the invoking user "
			 "does not have read+write access, so it cannot be delegated to the "
			 "sandbox");
	cfg_free(c);
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->readonly_paths, "/data/noaccess");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "does not have read access"));
	cfg_free(c);
}
END_TEST

START_TEST(test_missing_paths)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_error e;
	struct mxc_plan *p;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readonly_paths, "/nope/x");
	e = compile_fail(c);
	ck_assert_str_eq(e.msg, "Filesystem path '/nope/x' (readonlyPaths) cannot be granted: it "
				"does not exist on the host");
	cfg_free(c);

	c = cfg_new("0.8.0-alpha");
	strv_push(&c->readwrite_paths, "/data");
	strv_push(&c->denied_paths, "/data/ghost");
	p = compile_ok(c);
	ck_assert_int_eq(op_at(p, "/data/ghost", true), -1);
	ck_assert(has_note(p, "deniedPaths entry '/data/ghost' does not exist on the host"));
	plan_free(p);
	cfg_free(c);

	c = cfg_new("0.8.0-alpha");
	strv_push(&c->readwrite_paths, "relative/dir");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "is not an absolute path"));
	cfg_free(c);
}
END_TEST

START_TEST(test_denied_symlinks_resolved)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;
	int i;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readwrite_paths, "/data");
	strv_push(&c->denied_paths, "/data/link_to_key");
	p = compile_ok(c);
	i = op_at(p, "/data/secrets/key", true);
	ck_assert_int_ge(i, 0);
	ck_assert_int_eq(p->ops[i].kind, PLAN_MASK_FILE);
	ck_assert_str_eq(p->ops[i].policy, "/data/link_to_key");
	ck_assert(has_note(p, "deniedPaths entry '/data/link_to_key' resolves through a symlink; "
			      "masking its real path '/data/secrets/key' instead."));
	plan_free(p);
	cfg_free(c);
}
END_TEST

START_TEST(test_resolve_through_symlinks)
{
	char *r = NULL;

	fake_host_set_nodes(data_nodes);
	ck_assert_int_eq(
		plan_resolve_through_symlinks(&host, "/data/link_to_secrets/missing/../key", &r),
		0);
	ck_assert_str_eq(r, "/data/secrets/key");
	free(r);
	ck_assert_int_eq(plan_resolve_through_symlinks(&host, "/bin/sh", &r), 0);
	ck_assert_str_eq(r, "/usr/bin/sh");
	free(r);
	ck_assert_int_eq(plan_resolve_through_symlinks(&host, "//data/./pub/", &r), 0);
	ck_assert_str_eq(r, "/data/pub");
	free(r);
	ck_assert_int_eq(plan_path_depth("/data/"), 1);
	ck_assert_int_eq(plan_path_depth("/data"), 1);
	ck_assert_int_eq(plan_path_depth("\\a\\b"), 2);
	ck_assert_int_eq(plan_path_depth("/"), 0);
}
END_TEST

START_TEST(test_pins_inside_readwrite)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;
	int rw, pin, mask;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readwrite_paths, "/data");
	strv_push(&c->denied_paths, "/data/secrets/key");
	p = compile_ok(c);
	rw = op_at(p, "/data", true);
	pin = op_at(p, "/data/secrets", true);
	mask = op_at(p, "/data/secrets/key", true);
	/* The parent of the mask is a mount point of its own, so it cannot be renamed. */
	ck_assert_int_ge(pin, 0);
	ck_assert_int_eq(p->ops[pin].kind, PLAN_BIND);
	ck_assert_str_eq(p->ops[pin].src, "/data/secrets");
	ck_assert(!p->ops[pin].readonly);
	ck_assert_int_lt(rw, pin);
	ck_assert_int_lt(pin, mask);
	ck_assert(has_note(p, "is bound onto itself so that it cannot be renamed"));
	plan_free(p);
	cfg_free(c);

	/* Inside a read-only grant nothing can be renamed anyway: no pin. */
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->readonly_paths, "/data");
	strv_push(&c->denied_paths, "/data/secrets/key");
	p = compile_ok(c);
	ck_assert_int_eq(op_at(p, "/data/secrets", true), -1);
	ck_assert_int_ge(op_at(p, "/data/secrets/key", true), 0);
	plan_free(p);
	cfg_free(c);

	/* A read-only grant inside a read-write one is pinned the same way. */
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->readwrite_paths, "/data");
	strv_push(&c->readonly_paths, "/data/secrets/key");
	p = compile_ok(c);
	ck_assert_int_ge(op_at(p, "/data/secrets", true), 0);
	plan_free(p);
	cfg_free(c);
}
END_TEST

static int abi7(void)
{
	return 7;
}

START_TEST(test_effective_policy_report)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;
	char *json = NULL;

	fake_host_set_nodes(data_nodes);
	strv_push(&c->readwrite_paths, "/data");
	strv_push(&c->denied_paths, "/data/secrets/key");
	/* Without Landlock the report says so, and mounts are the only filesystem wall. */
	p = compile_ok(c);
	ck_assert_int_eq(plan_to_json(p, &json), 0);
	ck_assert_ptr_nonnull(strstr(json, "this kernel has no Landlock"));
	ck_assert_ptr_null(strstr(json, "landlock: "));
	ck_assert_ptr_nonnull(strstr(json, "network namespace: only lo"));
	free(json);
	plan_free(p);

	/* With ABI 7: Landlock on grants, TCP, scoping; not on a mask inside a rw grant. */
	host.landlock_abi = abi7;
	p = compile_ok(c);
	ck_assert_int_eq(p->landlock_abi, 7);
	ck_assert_int_eq(plan_to_json(p, &json), 0);
	ck_assert_ptr_nonnull(strstr(json, "landlock: TCP bind and connect denied"));
	ck_assert_ptr_nonnull(strstr(json, "abstract unix sockets"));
	ck_assert_ptr_nonnull(strstr(json, "landlock: full access"));
	ck_assert_ptr_null(strstr(json, "landlock: no access granted"));
	free(json);
	plan_free(p);
	cfg_free(c);
}
END_TEST

START_TEST(test_env_and_cwd)
{
	struct mxc_config *c = cfg_new("0.7.0-alpha");
	struct mxc_plan *p;

	strv_push(&c->env, "A=1");
	strv_push(&c->env, "NOEQUALS");
	strv_push(&c->env, "=empty");
	strv_push(&c->env, "A=2");
	strv_push(&c->env, "C=x=y");
	free(c->cwd);
	c->cwd = strdup("/work");
	c->timeout_ms = 1500;
	p = compile_ok(c);
	ck_assert_int_eq(strv_length(p->envp), 2);
	ck_assert_str_eq(p->envp[0], "A=2");
	ck_assert_str_eq(p->envp[1], "C=x=y");
	ck_assert_str_eq(p->cwd, "/work");
	ck_assert_int_eq(p->timeout_ms, 1500);
	plan_free(p);
	cfg_free(c);
}
END_TEST

START_TEST(test_network_modes)
{
	struct mxc_config *c;
	struct mxc_plan *p;
	struct mxc_error e;

	/* legacy allow below 0.8: host network, allowLocalNetwork=false only warned */
	c = cfg_new("0.7.0-alpha");
	c->net.default_policy = MXC_NET_ALLOW;
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_HOST);
	ck_assert(has_note(p, "WARNING: network.allowLocalNetwork=false is not enforced"));
	plan_free(p);
	cfg_free(c);

	/* 0.8: allow needs allowLocalNetwork=true */
	c = cfg_new("0.8.0-alpha");
	c->net.default_policy = MXC_NET_ALLOW;
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "is not enforced while the sandbox shares the host "
					    "network namespace"));
	c->net.allow_local_network = true;
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_HOST);
	plan_free(p);
	cfg_free(c);

	/* 0.8: allowLocalNetwork=true with an isolated namespace is refused */
	c = cfg_new("0.8.0-alpha");
	c->net.allow_local_network = true;
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "is confined to the sandbox's own network namespace"));
	cfg_free(c);

	/* directional deny without rules: isolated; ingress allow refused */
	c = cfg_new("0.8.0-alpha");
	c->net.format = MXC_NET_DIRECTIONAL;
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_ISOLATED);
	plan_free(p);
	c->net.ingress_default = MXC_NET_PERMIT;
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "network.ingress.default='allow' is not supported"));
	ck_assert_str_eq(e.where, "network.ingress.default");
	c->net.ingress_default = MXC_NET_DENY;
	c->net.host_loopback = MXC_NET_PERMIT;
	e = compile_fail(c);
	ck_assert_ptr_nonnull(
		strstr(e.msg, "network.ingress.hostLoopback='allow' is not supported"));
	c->net.host_loopback = MXC_NET_DENY;
	c->net.egress_default = MXC_NET_PERMIT;
	e = compile_fail(c);
	ck_assert_str_eq(e.where, "network.egress.default");
	cfg_free(c);

	/* proxy: refused, naming the field */
	c = cfg_new("0.7.0-alpha");
	c->net.proxy.kind = MXC_PROXY_LOCALHOST;
	c->net.proxy.port = 8080;
	c->net.default_policy = MXC_NET_ALLOW;
	e = compile_fail(c);
	ck_assert_str_eq(e.where, "network.proxy");
	cfg_free(c);

	/* host lists: at 0.8 upstream's refusal; below 0.8 mxc refuses rather than ignore them */
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->net.allowed_hosts, "10.0.0.1");
	c->net.default_policy = MXC_NET_ALLOW;
	c->net.allow_local_network = true;
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "require an enforcement mechanism"));
	cfg_free(c);
	c = cfg_new("0.7.0-alpha");
	strv_push(&c->net.blocked_hosts, "10.0.0.1");
	e = compile_fail(c);
	ck_assert_str_eq(e.where, "network.blockedHosts");
	cfg_free(c);
}
END_TEST

START_TEST(test_backend_selection)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_error e;

	struct mxc_plan *p;

	/* bubblewrap is implemented: its finish_plan hook renders the argv (golden tests:
	 * test-bwrap.c). */
	c->backend = MXC_BACKEND_BUBBLEWRAP;
	c->containment = MXC_CONTAINMENT_BUBBLEWRAP;
	p = compile_ok(c);
	ck_assert_ptr_null(p->bwrap_argv);
	ck_assert_int_eq(backend_finish_plan(p), 0);
	ck_assert_ptr_nonnull(p->bwrap_argv);
	ck_assert_str_eq(p->bwrap_argv[0], "bwrap");
	plan_free(p);

	c->backend = MXC_BACKEND_LXC;
	c->containment = MXC_CONTAINMENT_LXC;
	e = compile_fail(c);
	ck_assert_str_eq(e.msg,
			 "LXC distribution and release are required (e.g., \"distribution\": "
			 "\"alpine\", \"release\": \"3.23\")");

	c->backend = MXC_BACKEND_MICROVM;
	c->containment = MXC_CONTAINMENT_MICROVM;
	e = compile_fail(c);
	ck_assert_str_eq(e.msg, "MicroVM is an experimental feature. Use --experimental flag.");
	ck_assert_int_eq(e.kind, MXC_ERROR_SELECT);
	cfg_free(c);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("unit");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_baseline_and_system_order);
	tcase_add_test(tc, test_deepest_wins_denied_child);
	tcase_add_test(tc, test_deepest_wins_rw_child_of_denied);
	tcase_add_test(tc, test_equal_depth_tie_order);
	tcase_add_test(tc, test_same_object_tightened);
	tcase_add_test(tc, test_unresolvable_with_denied_fails_closed);
	tcase_add_test(tc, test_delegation);
	tcase_add_test(tc, test_missing_paths);
	tcase_add_test(tc, test_denied_symlinks_resolved);
	tcase_add_test(tc, test_resolve_through_symlinks);
	tcase_add_test(tc, test_pins_inside_readwrite);
	tcase_add_test(tc, test_effective_policy_report);
	tcase_add_test(tc, test_env_and_cwd);
	tcase_add_test(tc, test_network_modes);
	tcase_add_test(tc, test_backend_selection);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plan_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
