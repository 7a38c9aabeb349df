/* SPDX-License-Identifier: MIT */
/* The bubblewrap backend's pure parts: golden argv vectors from plans compiled on a fake host,
 * the `bwrap --version` parser, the effective-policy report. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers/fake-host.h"
#include "backend/backend.h"
#include "backend/bwrap/bwrap.h"
#include "core/strv.h"
#include "plan/plan.h"
#include "policy/policy.h"

static struct mxc_config *cfg_new(void)
{
	struct mxc_config *c = calloc(1, sizeof(*c));

	ck_assert_ptr_nonnull(c);
	c->backend = MXC_BACKEND_BUBBLEWRAP;
	c->containment = MXC_CONTAINMENT_BUBBLEWRAP;
	c->command_line = strdup("echo hi");
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
	c->has_version = c->version_parsed = true;
	c->version = strdup("0.8.0-alpha");
	c->ver_minor = 8;
	return c;
}

static char *joined(char *const *v)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; v[i]; i++)
		len += strlen(v[i]) + 1;
	s = calloc(1, len);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; v[i]; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, v[i]);
	}
	return s;
}

static char *argv_of(struct mxc_config *c)
{
	struct mxc_plan *p = NULL;
	struct mxc_error e = {0};
	char *s;
	int r = plan_compile(c, &fake_host, &p, &e);

	if (r == 0)
		r = backend_finish_plan(p);

	ck_assert_msg(r == 0, "plan: %d %s", r, e.msg);
	ck_assert_ptr_nonnull(p->bwrap_argv);
	s = joined(p->bwrap_argv);
	plan_free(p);
	policy_free(c);
	return s;
}

#define HEAD "bwrap --unshare-user --unshare-pid --unshare-ipc --unshare-uts"
#define EXTRAS                                                                                     \
	"--unshare-cgroup --die-with-parent --new-session --cap-drop ALL --seccomp 3 --info-fd 4"
#define BASELINE                                                                                   \
	"--ro-bind-try /bin /bin --ro-bind-try /sbin /sbin --ro-bind-try /lib /lib "               \
	"--ro-bind-try /lib32 /lib32 --ro-bind-try /lib64 /lib64 --ro-bind-try /libx32 /libx32 "   \
	"--ro-bind-try /usr/bin /usr/bin --ro-bind-try /usr/sbin /usr/sbin "                       \
	"--ro-bind-try /usr/lib /usr/lib --ro-bind-try /usr/lib32 /usr/lib32 "                     \
	"--ro-bind-try /usr/lib64 /usr/lib64 --ro-bind-try /usr/libexec /usr/libexec "             \
	"--ro-bind-try /usr/share /usr/share --ro-bind-try /etc /etc "                             \
	"--ro-bind-try /run/systemd/resolve /run/systemd/resolve "                                 \
	"--ro-bind-try /run/NetworkManager /run/NetworkManager "                                   \
	"--ro-bind-try /run/resolvconf /run/resolvconf "                                           \
	"--ro-bind-try /mnt/wsl/resolv.conf /mnt/wsl/resolv.conf --symlink /run /var/run"
#define SYSTEM(size)                                                                               \
	"--dev /dev --size " size " --tmpfs /dev/shm --proc /proc --ro-bind /proc/sys /proc/sys "  \
	"--ro-bind-try /proc/sysrq-trigger /proc/sysrq-trigger --size " size " --tmpfs /tmp"

/* Default 0.8 config: isolated network, no policy paths, no env, no cwd. */
START_TEST(test_golden_default)
{
	char *got = argv_of(cfg_new());

	ck_assert_str_eq(got, HEAD " --unshare-net " EXTRAS " " BASELINE " " SYSTEM(
				      "1073741824") " --remount-ro / --clearenv -- sh -c echo hi");
	free(got);
}
END_TEST

/* Policy mounts in depth order, masks, cwd, env (split at the first '='), host network. */
START_TEST(test_golden_policy)
{
	static const struct fake_node nodes[] = {
		{"/home", 'd', NULL, 0, 0, 0},
		{"/home/user", 'd', NULL, 0, 0, 0},
		{"/home/user/proj", 'd', NULL, 0, 0, 0},
		{"/home/user/proj/secret", 'd', NULL, 0, 0, 0},
		{"/home/user/proj/secret/ok", 'd', NULL, 0, 0, 0},
		{"/home/user/ref", 'd', NULL, 0, 0, 0},
		{NULL, 0, NULL, 0, 0, 0},
	};
	struct mxc_config *c = cfg_new();
	char *got;

	fake_host_set_nodes(nodes);
	ck_assert_int_ge(strv_push(&c->readwrite_paths, "/home/user/proj"), 0);
	ck_assert_int_ge(strv_push(&c->readonly_paths, "/home/user/ref"), 0);
	ck_assert_int_ge(strv_push(&c->readonly_paths, "/home/user/proj/secret/ok"), 0);
	ck_assert_int_ge(strv_push(&c->denied_paths, "/home/user/proj/secret"), 0);
	ck_assert_int_ge(strv_push(&c->denied_paths, "/etc/passwd"), 0);
	ck_assert_int_ge(strv_push(&c->env, "A=1"), 0);
	ck_assert_int_ge(strv_push(&c->env, "B=x=y"), 0);
	ck_assert_int_ge(strv_push(&c->env, "NOEQUALS"), 0);
	free(c->cwd);
	c->cwd = strdup("/home/user/proj");
	c->net.format = MXC_NET_LEGACY;
	c->net.default_policy = MXC_NET_ALLOW;
	c->net.allow_local_network = true;
	got = argv_of(c);
	ck_assert_str_eq(got,
			 HEAD " " EXTRAS " " BASELINE " " SYSTEM(
				 "1073741824") " --ro-bind /dev/null /etc/passwd"
					       " --bind /home/user/proj /home/user/proj"
					       " --ro-bind /home/user/ref /home/user/ref"
					       " --tmpfs /home/user/proj/secret"
					       " --ro-bind /home/user/proj/secret/ok "
					       "/home/user/proj/secret/ok"
					       " --remount-ro /home/user/proj/secret --remount-ro /"
					       " --chdir /home/user/proj --clearenv --setenv A 1 "
					       "--setenv B x=y"
					       " -- sh -c echo hi");
	free(got);
}
END_TEST

START_TEST(test_version_parse)
{
	unsigned a, b, c;

	ck_assert_int_eq(bwrap_version_parse("bubblewrap 0.8.0\n", &a, &b, &c), 0);
	ck_assert(a == 0 && b == 8 && c == 0 && bwrap_version_ok(a, b, c));
	ck_assert_int_eq(bwrap_version_parse("bubblewrap 0.4.1\n", &a, &b, &c), 0);
	ck_assert(!bwrap_version_ok(a, b, c));
	/* Debian: X+reallyY is Y. */
	ck_assert_int_eq(bwrap_version_parse("bubblewrap 0.8.0+really0.4.0\n", &a, &b, &c), 0);
	ck_assert(a == 0 && b == 4 && c == 0 && !bwrap_version_ok(a, b, c));
	ck_assert_int_eq(bwrap_version_parse("bubblewrap 0.4.0+really0.6.1", &a, &b, &c), 0);
	ck_assert(b == 6 && c == 1 && bwrap_version_ok(a, b, c));
	ck_assert_int_eq(bwrap_version_parse("bubblewrap 0.10.0", &a, &b, &c), 0);
	ck_assert(b == 10 && bwrap_version_ok(a, b, c));
	ck_assert_int_eq(bwrap_version_parse("bubblewrap 1.0", &a, &b, &c), 0);
	ck_assert(a == 1 && bwrap_version_ok(a, b, c));
	ck_assert(bwrap_version_ok(0, 5, 0));
	ck_assert(!bwrap_version_ok(0, 4, 99));
	/* Unparsable: fail closed. */
	ck_assert_int_eq(bwrap_version_parse("bwrap 0.8.0", &a, &b, &c), -EINVAL);
	ck_assert_int_eq(bwrap_version_parse("bubblewrap", &a, &b, &c), -EINVAL);
	ck_assert_int_eq(bwrap_version_parse("bubblewrap unknown", &a, &b, &c), -EINVAL);
	ck_assert_int_eq(bwrap_version_parse("bubblewrap 0.8x", &a, &b, &c), -EINVAL);
	ck_assert_int_eq(bwrap_version_parse("", &a, &b, &c), -EINVAL);
	ck_assert_int_eq(bwrap_version_parse(NULL, &a, &b, &c), -EINVAL);
}
END_TEST

/* The report says what bwrap enforces: the argv, no Landlock, no inode cap. */
START_TEST(test_report)
{
	struct mxc_config *c = cfg_new();
	struct mxc_plan *p = NULL;
	struct mxc_error e = {0};
	char *json = NULL;

	ck_assert_int_eq(plan_compile(c, &fake_host, &p, &e), 0);
	ck_assert_int_eq(backend_finish_plan(p), 0);
	ck_assert_int_eq(plan_to_json(p, &json), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"bwrapArgv\": ["));
	ck_assert_ptr_nonnull(strstr(json, "the bubblewrap backend has no Landlock"));
	ck_assert_ptr_null(strstr(json, "landlock: "));
	ck_assert_ptr_nonnull(strstr(json, "no inode cap"));
	free(json);
	plan_free(p);
	policy_free(c);
}
END_TEST

static void setup(void)
{
	fake_host_set_nodes(NULL);
}

int main(void)
{
	Suite *s = suite_create("bwrap");
	TCase *tc = tcase_create("unit");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_golden_default);
	tcase_add_test(tc, test_golden_policy);
	tcase_add_test(tc, test_version_parse);
	tcase_add_test(tc, test_report);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
