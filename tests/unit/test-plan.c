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
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_FIREWALL);
	ck_assert_ptr_nonnull(strstr(p->nft, "\t\taccept\n\t}\n}\n"));
	ck_assert(p->net_ping);
	plan_free(p);
	cfg_free(c);

	/* external proxy below 0.8: enforced by a relay; caller proxy keys dropped */
	c = cfg_new("0.7.0-alpha");
	c->net.proxy.kind = MXC_PROXY_LOCALHOST;
	c->net.proxy.port = 8080;
	c->net.default_policy = MXC_NET_ALLOW;
	strv_push(&c->env, "https_proxy=http://evil:1");
	strv_push(&c->env, "No_Proxy=*");
	strv_push(&c->env, "KEEP=1");
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_PROXY);
	ck_assert(p->proxy.relay);
	ck_assert_int_eq(p->proxy.port, 8080);
	ck_assert_str_eq(p->proxy.listen, "127.0.0.1");
	ck_assert(strv_contains(p->envp, "HTTPS_PROXY=http://127.0.0.1:8080"));
	ck_assert(strv_contains(p->envp, "https_proxy=http://127.0.0.1:8080"));
	ck_assert(strv_contains(p->envp, "all_proxy=http://127.0.0.1:8080"));
	ck_assert(!strv_contains(p->envp, "https_proxy=http://evil:1"));
	ck_assert(!strv_contains(p->envp, "No_Proxy=*"));
	ck_assert(strv_contains(p->envp, "KEEP=1"));
	ck_assert_ptr_nonnull(strstr(p->nft, "log prefix \"proxy-only\" group 7 goto deny"));
	plan_free(p);
	cfg_free(c);

	/* host lists: at 0.8 upstream's refusal; below 0.8 enforced by the filtering proxy */
	c = cfg_new("0.8.0-alpha");
	strv_push(&c->net.allowed_hosts, "10.0.0.1");
	c->net.default_policy = MXC_NET_ALLOW;
	c->net.allow_local_network = true;
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "require an enforcement mechanism"));
	cfg_free(c);
	c = cfg_new("0.7.0-alpha");
	strv_push(&c->net.blocked_hosts, "*.evil.test");
	c->net.default_policy = MXC_NET_ALLOW;
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_PROXY);
	ck_assert(!p->proxy.relay);
	ck_assert_int_eq(p->proxy.port, PLAN_NET_FILTER_PORT);
	ck_assert_str_eq(p->proxy.block[0], "*.evil.test");
	ck_assert(p->proxy.default_allow);
	ck_assert(p->proxy.block_local);
	ck_assert(strv_contains(p->envp, "HTTP_PROXY=http://127.0.0.1:3128"));
	plan_free(p);
	cfg_free(c);
}
END_TEST

static struct mxc_net_rule *add_rule(struct mxc_net_rule **v, size_t *n)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	return &(*v)[(*n)++];
}

static void rule_to(struct mxc_net_rule *r, const char *cidr, const char *except)
{
	r->has_to = true;
	r->to = realloc(r->to, (r->n_to + 1) * sizeof(*r->to));
	r->to[r->n_to].cidr = strdup(cidr);
	r->to[r->n_to].except = calloc(2, sizeof(char *));
	if (except)
		r->to[r->n_to].except[0] = strdup(except);
	r->n_to++;
}

static void rule_port(struct mxc_net_rule *r, enum mxc_net_protocol proto, uint16_t port,
		      uint16_t end)
{
	r->has_ports = true;
	r->ports = realloc(r->ports, (r->n_ports + 1) * sizeof(*r->ports));
	r->ports[r->n_ports] = (struct mxc_net_port){.protocol = proto,
						     .has_port = port != 0,
						     .port = port,
						     .has_end_port = end != 0,
						     .end_port = end};
	r->n_ports++;
}

/* The ruleset text: deny before allow, except sets, port ranges, "any" with
 * a port as TCP+UDP, ICMP per family, v4-mapped as IPv4, the default last. */
START_TEST(test_network_nft_directional)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_net_rule *r;
	struct mxc_plan *p;
	struct mxc_error e;
	const char *deny, *allow, *dflt;

	c->net.format = MXC_NET_DIRECTIONAL;
	r = add_rule(&c->net.egress_allow, &c->net.n_egress_allow);
	rule_to(r, "198.18.1.0/24", "198.18.1.128/25");
	rule_port(r, MXC_PROTO_TCP, 80, 90);
	rule_port(r, MXC_PROTO_ANY, 53, 0);
	r = add_rule(&c->net.egress_allow, &c->net.n_egress_allow);
	rule_to(r, "::ffff:198.18.3.0/120", NULL);
	r = add_rule(&c->net.egress_deny, &c->net.n_egress_deny);
	rule_to(r, "198.18.1.5", NULL);
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_FIREWALL);
	deny = strstr(p->nft,
		      "ip daddr 198.18.1.5 log prefix \"egress.deny[0]\" group 7 goto deny");
	allow = strstr(p->nft, "ip daddr != { 198.18.1.128/25 } ip daddr 198.18.1.0/24 tcp dport "
			       "80-90 accept");
	dflt = strstr(p->nft, "log prefix \"egress.default\" group 7 goto deny");
	ck_assert_ptr_nonnull(deny);
	ck_assert_ptr_nonnull(allow);
	ck_assert_ptr_nonnull(dflt);
	ck_assert(deny < allow && allow < dflt);
	ck_assert_ptr_nonnull(strstr(p->nft, "ip daddr 198.18.1.0/24 udp dport 53 accept"));
	ck_assert_ptr_nonnull(strstr(p->nft, "ip daddr 198.18.1.0/24 tcp dport 53 accept"));
	ck_assert_ptr_nonnull(strstr(p->nft, "meta nfproto ipv4 ip daddr 198.18.3.0/24 accept"));
	ck_assert_ptr_null(strstr(p->nft, "::ffff"));
	ck_assert(p->net_ping); /* the second allow rule has no ports */
	plan_free(p);

	/* icmp without `to`: both families */
	cfg_free(c);
	c = cfg_new("0.8.0-alpha");
	c->net.format = MXC_NET_DIRECTIONAL;
	r = add_rule(&c->net.egress_allow, &c->net.n_egress_allow);
	rule_port(r, MXC_PROTO_ICMP, 0, 0);
	p = compile_ok(c);
	ck_assert_ptr_nonnull(strstr(p->nft, "meta nfproto ipv4 meta l4proto icmp accept"));
	ck_assert_ptr_nonnull(strstr(p->nft, "meta nfproto ipv6 meta l4proto ipv6-icmp accept"));
	plan_free(p);

	/* an IPv6 block shorter than /96 holding the mapped range is refused */
	r = add_rule(&c->net.egress_deny, &c->net.n_egress_deny);
	rule_to(r, "::/0", NULL);
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "contains the IPv4-mapped range"));
	ck_assert_str_eq(e.where, "network.egress.deny[0].to[0].cidr");
	cfg_free(c);
}
END_TEST

START_TEST(test_network_legacy_firewall)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;
	struct mxc_error e;

	c->net.enforcement_mode = MXC_NET_ENF_FIREWALL;
	strv_push(&c->net.allowed_hosts, "198.18.1.0/24");
	strv_push(&c->net.blocked_hosts, "198.18.1.7");
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_FIREWALL);
	ck_assert(strstr(p->nft, "blockedHosts[0]") < strstr(p->nft, "198.18.1.0/24 accept"));
	ck_assert_ptr_nonnull(strstr(p->nft, "log prefix \"defaultPolicy\" group 7 goto deny"));
	plan_free(p);
	/* 0.8: names are refused (a firewall filters addresses) */
	strv_push(&c->net.allowed_hosts, "api.github.com");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "is not an IP address or CIDR block"));
	ck_assert_str_eq(e.where, "network.allowedHosts[1]");
	cfg_free(c);
	/* 0.7: names go to the filtering proxy */
	c = cfg_new("0.7.0-alpha");
	c->net.enforcement_mode = MXC_NET_ENF_FIREWALL;
	strv_push(&c->net.allowed_hosts, "api.github.com");
	p = compile_ok(c);
	ck_assert_int_eq(p->net, PLAN_NET_PROXY);
	ck_assert(!p->proxy.relay);
	ck_assert_str_eq(p->proxy.allow[0], "api.github.com");
	plan_free(p);
	cfg_free(c);
}
END_TEST

/* upstream's own bubblewrap network configs: accepted in the mode mxc maps
 * them to, or refused with upstream's message fragment. */
static const struct {
	const char *name;
	int mode; /* enum plan_net_mode, or -1: refused */
	const char *refusal;
} upstream_net[] = {
	{"bubblewrap_network_block", PLAN_NET_ISOLATED, NULL},
	{"bubblewrap_network_directional_block", PLAN_NET_ISOLATED, NULL},
	{"bubblewrap_network_directional_cidr", PLAN_NET_FIREWALL, NULL},
	{"bubblewrap_network_directional_except", PLAN_NET_FIREWALL, NULL},
	{"bubblewrap_network_directional_hostloopback_allow_rejected", -1,
	 "network.ingress.hostLoopback='allow' is not supported"},
	{"bubblewrap_network_directional_ingress_allow_rejected", -1,
	 "network.ingress.default='allow' is not supported"},
	{"bubblewrap_network_firewall", PLAN_NET_PROXY, NULL},
	{"bubblewrap_network_firewall_cidr", PLAN_NET_FIREWALL, NULL},
	{"bubblewrap_network_firewall_denylist", PLAN_NET_FIREWALL, NULL},
	{"bubblewrap_network_firewall_hostname_rejected", -1, "is not an IP address or CIDR block"},
	{"bubblewrap_network_hostrules_unenforced_rejected", -1,
	 "require an enforcement mechanism"},
	{"bubblewrap_network_localnet_acknowledged", PLAN_NET_HOST, NULL},
	{"bubblewrap_network_localnet_legacy", PLAN_NET_HOST, NULL},
	{"bubblewrap_network_localnet_omitted_rejected", -1,
	 "is not enforced while the sandbox shares the host network namespace"},
	{"bubblewrap_network_localnet_private_rejected", -1,
	 "is confined to the sandbox's own network namespace"},
	{"bubblewrap_network_localnet_shared_rejected", -1,
	 "is not enforced while the sandbox shares the host network namespace"},
	{"bubblewrap_network_proxy_allowlist", PLAN_NET_PROXY, NULL},
	{"bubblewrap_network_proxy_blocklist", PLAN_NET_PROXY, NULL},
	{"bubblewrap_network_proxy_builtin", PLAN_NET_PROXY, NULL},
	{"bubblewrap_network_proxy_egress_denied", PLAN_NET_PROXY, NULL},
	{"bubblewrap_network_proxy_host_rules", PLAN_NET_PROXY, NULL},
	{"bubblewrap_network_proxy_legacy", PLAN_NET_PROXY, NULL},
	{"bubblewrap_network_proxy_namespace", PLAN_NET_PROXY, NULL},
	{"bwrap_directional_ports", PLAN_NET_FIREWALL, NULL},
	{"bwrap_firewall_reachability_probe", PLAN_NET_FIREWALL, NULL},
	{"bwrap_proxy_legacy_denied_hosts", PLAN_NET_PROXY, NULL},
	{"bwrap_proxy_pin_denied_hosts", -1, "the filesystem policy denies that path"},
};

START_TEST(test_network_upstream_configs)
{
	struct mxc_parse_options o = {.allow_testing_features = true};
	struct mxc_config *c = NULL;
	struct mxc_plan *p = NULL;
	struct mxc_error e = {0};
	char path[512];
	int r;

	(void)snprintf(path, sizeof(path), "%s/upstream/%s/config.json", MXC_TEST_DATA_DIR,
		       upstream_net[_i].name);
	r = mxc_config_load_file(path, &o, &c, &e);
	ck_assert_msg(r == 0, "%s: parse: %s", upstream_net[_i].name, e.msg);
	r = plan_compile(c, &plan_host_real, &p, &e);
	if (upstream_net[_i].mode < 0) {
		ck_assert_msg(r < 0, "%s: accepted", upstream_net[_i].name);
		ck_assert_msg(strstr(e.msg, upstream_net[_i].refusal), "%s: [%s]",
			      upstream_net[_i].name, e.msg);
	} else {
		ck_assert_msg(r == 0, "%s: %s", upstream_net[_i].name, e.msg);
		ck_assert_int_eq(p->net, upstream_net[_i].mode);
		if (p->net == PLAN_NET_FIREWALL || p->net == PLAN_NET_PROXY)
			ck_assert_ptr_nonnull(strstr(p->nft, "table inet mxc"));
	}
	if (!strcmp(upstream_net[_i].name, "bwrap_proxy_legacy_denied_hosts")) {
		ck_assert(p->proxy.relay && !p->proxy.pin);
		ck_assert(strv_contains(p->envp, "HTTP_PROXY=http://127.0.0.1:3128"));
	}
	if (!strcmp(upstream_net[_i].name, "bubblewrap_network_proxy_allowlist")) {
		ck_assert(!p->proxy.relay);
		ck_assert_str_eq(p->proxy.allow[0], "api.github.com");
	}
	plan_free(p);
	mxc_config_free(c);
}
END_TEST

START_TEST(test_network_relay_endpoints)
{
	struct mxc_config *c = cfg_new("0.8.0-alpha");
	struct mxc_plan *p;
	struct mxc_error e;

	c->net.proxy.kind = MXC_PROXY_URL;
	c->net.proxy.port = 3128;
	c->net.proxy.from_runtime_config = true;
	c->net.proxy.url = strdup("http://[::1]:3128");
	c->net.proxy.host = strdup("[::1]");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "uses the IPv6 loopback"));
	ck_assert_str_eq(e.where, "runtimeConfig.networkProxy");

	free(c->net.proxy.url);
	free(c->net.proxy.host);
	c->net.proxy.url = strdup("http://proxy.corp:3128");
	c->net.proxy.host = strdup("proxy.corp");
	p = compile_ok(c);
	ck_assert(p->proxy.relay && p->proxy.pin);
	ck_assert_str_eq(p->proxy.host, "proxy.corp");
	ck_assert(strv_contains(p->envp, "HTTP_PROXY=http://proxy.corp:3128"));
	plan_free(p);
	strv_push(&c->denied_paths, "/etc/../etc");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "deniedPaths"));
	strv_free(c->denied_paths);
	c->denied_paths = NULL;

	free(c->net.proxy.url);
	free(c->net.proxy.host);
	c->net.proxy.url = strdup("http://10.0.2.7:3128");
	c->net.proxy.host = strdup("10.0.2.7");
	e = compile_fail(c);
	ck_assert_ptr_nonnull(strstr(e.msg, "10.0.2.0/24"));
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
	tcase_add_test(tc, test_network_nft_directional);
	tcase_add_test(tc, test_network_legacy_firewall);
	tcase_add_test(tc, test_network_relay_endpoints);
	tcase_add_loop_test(tc, test_network_upstream_configs, 0,
			    (int)(sizeof(upstream_net) / sizeof(upstream_net[0])));
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
