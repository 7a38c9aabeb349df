/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "plan/plan-internal.h"
#include "core/strv.h"
#include "harden-util.h"

bool hu_must_work(void)
{
	const char *v = getenv("MXC_TEST_MUST_WORK");

	return v && !strcmp(v, "1");
}

static int skip(const char *why)
{
	if (hu_must_work()) {
		fprintf(stderr, "%s, and MXC_TEST_MUST_WORK=1\n", why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return 77;
}

int hu_kernel_tests_runnable(void)
{
	/* The plain registration is the root variant; run-unprivileged.sh sets
	 * MXC_TEST_UNPRIVILEGED for the other one. */
	if (!getenv("MXC_TEST_UNPRIVILEGED") && geteuid() != 0)
		return skip("needs root");
	if (backend_namespaces.probe(NULL) < 0)
		return skip("user namespaces unusable");
	return -1;
}

void hu_add_op(struct mxc_plan *p, enum plan_op_kind kind, enum plan_origin origin, const char *src,
	       const char *dst, bool readonly)
{
	ck_assert_int_eq(plan_add_op(p, kind, origin, src, dst, NULL, readonly,
				     origin == PLAN_FROM_BASELINE),
			 0);
}

static void probe_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	(void)snprintf(buf, len, "%s/harden-probe", dirname(self));
}

struct mxc_plan *hu_base_plan(void)
{
	static const char *const baseline[] = {"/bin",	 "/sbin", "/lib", "/lib32",
					       "/lib64", "/usr",  "/etc"};
	struct mxc_plan *p = calloc(1, sizeof(*p));
	struct stat st;

	ck_assert_ptr_nonnull(p);
	p->backend = MXC_BACKEND_NAMESPACES;
	p->net = PLAN_NET_ISOLATED;
	for (size_t i = 0; i < sizeof(baseline) / sizeof(baseline[0]); i++) {
		/* merged-/usr hosts: /bin -> usr/bin is a symlink */
		if (lstat(baseline[i], &st) == 0 && S_ISLNK(st.st_mode)) {
			char target[256];
			ssize_t n = readlink(baseline[i], target, sizeof(target) - 1);

			ck_assert_int_gt(n, 0);
			target[n] = '\0';
			hu_add_op(p, PLAN_SYMLINK, PLAN_FROM_BASELINE, target, baseline[i], false);
		} else {
			hu_add_op(p, PLAN_BIND, PLAN_FROM_BASELINE, baseline[i], baseline[i], true);
		}
	}
	hu_add_op(p, PLAN_DEV, PLAN_FROM_SYSTEM, NULL, "/dev", false);
	hu_add_op(p, PLAN_PROC, PLAN_FROM_SYSTEM, NULL, "/proc", false);
	hu_add_op(p, PLAN_TMPFS, PLAN_FROM_SYSTEM, NULL, "/tmp", false);
	p->uid = getuid();
	p->gid = getgid();
	return p;
}

struct mxc_plan *hu_plan_new(void)
{
	struct mxc_plan *p = hu_base_plan();
	char probe[PATH_MAX];

	probe_path(probe, sizeof(probe));
	hu_add_op(p, PLAN_BIND, PLAN_FROM_READONLY, probe, "/probe", true);
	ck_assert_int_eq(strv_push(&p->argv, "/probe"), 0);
	ck_assert_int_eq(strv_push(&p->envp, "PATH=/usr/bin:/bin"), 0);
	return p;
}

int hu_probe(struct mxc_plan *p, const char *op, const char *arg, int *ret_status)
{
	const char *argv[] = {"/probe", op, arg, NULL};
	struct mxc_exec_spec spec = {.argv = argv, .stdio = {-1, -1, -1}};
	struct mxc_error err = {0};
	char out[256];
	size_t got = 0;
	void *state;
	int pipefd[2], pid, r;
	ssize_t n;

	r = backend_namespaces.create(p, &state, &err);
	ck_assert_msg(r == 0, "create: %d %s", r, err.msg);
	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	spec.stdio[1] = pipefd[1];
	pid = backend_namespaces.exec(state, &spec, &err);
	close(pipefd[1]);
	ck_assert_msg(pid > 0, "exec: %d %s", pid, err.msg);
	while (got + 1 < sizeof(out) && (n = read(pipefd[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(pipefd[0]);
	r = backend_namespaces.wait(state, pid, 10000, ret_status, &err);
	ck_assert_msg(r == 0, "wait: %d %s", r, err.msg);
	backend_namespaces.destroy(state);
	return got > 0 ? atoi(out) : -1;
}

void hu_scratch(char *buf, size_t len)
{
	(void)snprintf(buf, len, "/tmp/mxc-harden-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(buf));
	ck_assert_int_eq(chmod(buf, 0755), 0);
}

void hu_write(const char *dir, const char *name, const char *data)
{
	char path[PATH_MAX];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	fputs(data, f);
	fclose(f);
}
