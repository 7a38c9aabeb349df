/* SPDX-License-Identifier: MIT */
/*
 * Kernel tests of Landlock, the second wall behind the mounts:
 *
 *   direct/   lib/os/landlock.c against a temporary tree in the test's own
 *             forked process: allowed vs denied read, write, exec,
 *             truncate, TCP, signals and abstract unix sockets;
 *   sandbox/  the ruleset the namespace backend derives from a plan, seen
 *             by the probe as the workload, including mounts that "went
 *             wrong" (writable where the policy says read-only, a real
 *             directory where it says denied): Landlock still refuses;
 *   rules/    the derivation itself (pure).
 *
 * Tests needing a Landlock ABI the kernel lacks are not registered (a skip);
 * MXC_TEST_MUST_WORK=1 turns a missing ABI into a failure.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/ns/ns-internal.h"
#include "harden-util.h"
#include "os/landlock.h"

#define RX (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_EXECUTE)

static int abi;
static char tree[PATH_MAX];

/* ---- helpers ---------------------------------------------------------------- */

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	ck_assert_int_ge(in, 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

static char *tpath(const char *rel)
{
	static char bufs[4][PATH_MAX];
	static int k;
	char *b = bufs[k++ % 4];

	(void)snprintf(b, PATH_MAX, "%s/%s", tree, rel);
	return b;
}

/* tree/{ro,rw,hidden}/{file,true} */
static void make_tree(void)
{
	static const char *const dirs[] = {"ro", "rw", "hidden"};
	char d[PATH_MAX];

	hu_scratch(tree, sizeof(tree));
	for (size_t i = 0; i < 3; i++) {
		(void)snprintf(d, sizeof(d), "%s/%s", tree, dirs[i]);
		ck_assert_int_eq(mkdir(d, 0755), 0);
		hu_write(d, "file", "DATA");
		(void)snprintf(d, sizeof(d), "%s/%s/true", tree, dirs[i]);
		copy_file("/bin/true", d);
	}
}

static void allow(int rs, const char *path, uint64_t access)
{
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(landlock_allow_beneath(rs, fd, access), 0);
	close(fd);
}

/* Restrict this process: the system directories and ro/ read+exec, rw/ all. */
static void restrict_self(uint64_t net, uint64_t scoped)
{
	static const char *const sys[] = {"/usr", "/lib", "/lib64", "/bin", "/etc"};
	uint64_t fs = landlock_fs_rights(abi);
	int rs = landlock_ruleset_new(abi, fs, net, scoped);

	ck_assert_int_ge(rs, 0);
	for (size_t i = 0; i < ELEMENTSOF(sys); i++)
		allow(rs, sys[i], RX);
	allow(rs, tpath("ro"), RX);
	allow(rs, tpath("rw"), fs);
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(landlock_restrict(rs), 0);
	close(rs);
}

static int err_of(int r)
{
	return r < 0 ? errno : 0;
}

static int try_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int try_exec(const char *path)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		(void)execl(path, path, (char *)NULL);
		_exit(100 + (errno & 0x3f));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status) >= 100 ? WEXITSTATUS(status) - 100 : WEXITSTATUS(status);
}

static int listen_tcp(int *ret_port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*ret_port = ntohs(sa.sin_port);
	return fd;
}

static socklen_t abstract_addr(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int listen_abstract(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, len), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	return fd;
}

static int connect_abstract(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	ck_assert_int_ge(fd, 0);
	r = err_of(connect(fd, (struct sockaddr *)&sa, len));
	close(fd);
	return r;
}

/* ---- direct/ ---------------------------------------------------------------- */

START_TEST(test_direct_fs)
{
	restrict_self(0, 0);
	ck_assert_int_eq(try_open(tpath("ro/file"), O_RDONLY), 0);
	ck_assert_int_eq(try_open(tpath("ro/file"), O_WRONLY), EACCES);
	ck_assert_int_eq(try_open(tpath("ro/new"), O_WRONLY | O_CREAT), EACCES);
	ck_assert_int_eq(err_of(unlink(tpath("ro/file"))), EACCES);
	ck_assert_int_eq(err_of(mkdir(tpath("ro/d"), 0755)), EACCES);
	ck_assert_int_eq(try_exec(tpath("ro/true")), 0);

	ck_assert_int_eq(try_open(tpath("rw/file"), O_RDWR), 0);
	ck_assert_int_eq(try_open(tpath("rw/new"), O_WRONLY | O_CREAT), 0);
	ck_assert_int_eq(err_of(mkdir(tpath("rw/d"), 0755)), 0);
	ck_assert_int_eq(try_exec(tpath("rw/true")), 0);

	/* Not in the ruleset: nothing, although the file modes allow it all. */
	ck_assert_int_eq(try_open(tpath("hidden/file"), O_RDONLY), EACCES);
	ck_assert_int_eq(try_open(tpath("hidden/file"), O_WRONLY), EACCES);
	ck_assert_int_eq(try_open(tpath("hidden"), O_RDONLY | O_DIRECTORY), EACCES);
	ck_assert_int_eq(try_exec(tpath("hidden/true")), EACCES);
	ck_assert_int_eq(try_open("/root", O_RDONLY | O_DIRECTORY), EACCES);
}
END_TEST

START_TEST(test_direct_truncate)
{
	restrict_self(0, 0);
	ck_assert_int_eq(err_of(truncate(tpath("ro/file"), 0)), EACCES);
	ck_assert_int_eq(try_open(tpath("rw/file"), O_WRONLY | O_TRUNC), 0);
	ck_assert_int_eq(err_of(truncate(tpath("rw/file"), 1)), 0);
}
END_TEST

START_TEST(test_direct_tcp)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int port, lfd = listen_tcp(&port), fd;

	restrict_self(landlock_net_rights(abi), 0);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(err_of(bind(fd, (struct sockaddr *)&sa, sizeof(sa))), EACCES);
	sa.sin_port = htons((uint16_t)port);
	ck_assert_int_eq(err_of(connect(fd, (struct sockaddr *)&sa, sizeof(sa))), EACCES);
	close(fd);
	close(lfd);
}
END_TEST

START_TEST(test_direct_scope_signal)
{
	int gate[2], status;
	pid_t outside, inside;
	char c;

	ck_assert_int_eq(pipe2(gate, O_CLOEXEC), 0);
	outside = fork(); /* before the restriction: outside the domain */
	ck_assert_int_ge(outside, 0);
	if (outside == 0) {
		close(gate[1]);
		(void)!read(gate[0], &c, 1); /* until the test process is gone */
		_exit(0);
	}
	close(gate[0]);
	restrict_self(0, landlock_scopes(abi));
	ck_assert_int_eq(err_of(kill(outside, 0)), EPERM);
	ck_assert_int_eq(err_of(kill(outside, SIGKILL)), EPERM);
	inside = fork();
	ck_assert_int_ge(inside, 0);
	if (inside == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(err_of(kill(inside, SIGKILL)), 0); /* same domain */
	ck_assert_int_eq(waitpid(inside, &status, 0), inside);
	ck_assert_int_eq(err_of(kill(getpid(), 0)), 0);
}
END_TEST

START_TEST(test_direct_scope_abstract)
{
	char name[64];
	int lfd;

	(void)snprintf(name, sizeof(name), "mxc-landlock-test-%d", (int)getpid());
	lfd = listen_abstract(name);
	ck_assert_int_eq(connect_abstract(name), 0); /* control: reachable before */
	restrict_self(0, landlock_scopes(abi));
	ck_assert_int_eq(connect_abstract(name), EPERM);
	close(lfd);
}
END_TEST

/* ---- sandbox/ --------------------------------------------------------------- */

static int probe(struct mxc_plan *p, const char *op, const char *arg)
{
	int status, r = hu_probe(p, op, arg, &status);

	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "probe %s %s: status 0x%x", op,
		      arg, (unsigned)status);
	return r;
}

/* A plan with tree/ro bound at /data as `origin`, mounted writable or not. */
static struct mxc_plan *plan_with_data(enum plan_origin origin, bool readonly_mount)
{
	struct mxc_plan *p = hu_plan_new();

	if (!tree[0])
		make_tree();
	hu_add_op(p, PLAN_BIND, origin, tpath("ro"), "/data", readonly_mount);
	return p;
}

START_TEST(test_sandbox_readonly_mount_gone_wrong)
{
	/* The policy says read-only, the mount came out writable: Landlock says no. */
	struct mxc_plan *p = plan_with_data(PLAN_FROM_READONLY, false);

	ck_assert_int_eq(probe(p, "read", "/data/file"), 0);
	ck_assert_int_eq(probe(p, "exec", "/data/true"), 0);
	ck_assert_int_eq(probe(p, "write", "/data/file"), EACCES);
	ck_assert_int_eq(probe(p, "write", "/data/new"), EACCES);
	ck_assert_int_eq(probe(p, "mkdir", "/data/dir"), EACCES);
	plan_free(p);

	/* Control: the same writable mount as a readwrite path is writable. */
	p = plan_with_data(PLAN_FROM_READWRITE, false);
	ck_assert_int_eq(probe(p, "write", "/data/new"), 0);
	plan_free(p);
}
END_TEST

START_TEST(test_sandbox_denied_mount_gone_wrong)
{
	/* The policy says denied, but the real directory got mounted. */
	struct mxc_plan *p = plan_with_data(PLAN_FROM_DENIED, false);

	ck_assert_int_eq(probe(p, "read", "/data/file"), EACCES);
	ck_assert_int_eq(probe(p, "write", "/data/file"), EACCES);
	ck_assert_int_eq(probe(p, "exec", "/data/true"), EACCES);
	plan_free(p);
}
END_TEST

START_TEST(test_sandbox_readonly_no_remount)
{
	struct mxc_plan *p = plan_with_data(PLAN_FROM_READONLY, true);

	ck_assert_int_eq(probe(p, "write", "/data/file"), EROFS); /* the mount, first */
	ck_assert_int_eq(probe(p, "remount-rw", "/data"), EPERM); /* seccomp */
	plan_free(p);
}
END_TEST

START_TEST(test_sandbox_still_usable)
{
	struct mxc_plan *p = plan_with_data(PLAN_FROM_READWRITE, false);

	ck_assert_int_eq(probe(p, "write", "/data/new"), 0);
	ck_assert_int_eq(probe(p, "write", "/tmp/x"), 0);
	ck_assert_int_eq(probe(p, "mkdir", "/tmp/d"), 0);
	ck_assert_int_eq(probe(p, "write", "/dev/null"), 0);
	ck_assert_int_eq(probe(p, "read", "/dev/urandom"), 0);
	ck_assert_int_eq(probe(p, "write", "/dev/shm/x"), 0);
	ck_assert_int_eq(probe(p, "read", "/proc/self/status"), 0);
	ck_assert_int_eq(probe(p, "write", "/proc/self/comm"), EACCES);
	ck_assert_int_eq(probe(p, "read", "/etc/passwd"), 0);
	ck_assert_int_eq(probe(p, "exec", "/bin/true"), 0);
	ck_assert_int_eq(probe(p, "ls", "/"), 0);
	ck_assert_int_eq(probe(p, "ls", "/etc"), 0);
	ck_assert_int_eq(probe(p, "write", "/etc/x"), EROFS);
	plan_free(p);
}
END_TEST

START_TEST(test_sandbox_tcp_blocked)
{
	struct mxc_plan *p = hu_plan_new();

	ck_assert_int_eq(probe(p, "bind-tcp", ""), EACCES);
	p->net = PLAN_NET_HOST; /* not handled with the host network */
	ck_assert_int_eq(probe(p, "bind-tcp", ""), 0);
	plan_free(p);
}
END_TEST

START_TEST(test_sandbox_abstract_socket_scoped)
{
	struct mxc_plan *p = hu_plan_new();
	char name[64];
	int lfd;

	(void)snprintf(name, sizeof(name), "mxc-landlock-host-%d", (int)getpid());
	lfd = listen_abstract(name);
	p->net = PLAN_NET_HOST; /* same network namespace: only Landlock separates */
	ck_assert_int_eq(probe(p, "connect-abstract", name), EPERM);
	plan_free(p);
	close(lfd);
}
END_TEST

START_TEST(test_sandbox_signal_scoped)
{
	struct mxc_plan *p = hu_plan_new();

	/* init (PID 1) is outside the workload's domain. */
	ck_assert_int_eq(probe(p, "kill", "1"), EPERM);
	plan_free(p);
}
END_TEST

/* ---- rules/ ------------------------------------------------------------------ */

START_TEST(test_rights_per_abi)
{
	ck_assert_uint_eq(landlock_fs_rights(0), 0);
	ck_assert_uint_eq(landlock_fs_rights(1), 0x1fff);
	ck_assert_uint_eq(landlock_fs_rights(2), 0x3fff);
	ck_assert_uint_eq(landlock_fs_rights(3), 0x7fff);
	ck_assert_uint_eq(landlock_fs_rights(4), 0x7fff);
	ck_assert_uint_eq(landlock_fs_rights(5), 0xffff);
	ck_assert_uint_eq(landlock_fs_rights(7), 0xffff);
	ck_assert_uint_eq(landlock_net_rights(3), 0);
	ck_assert_uint_eq(landlock_net_rights(4), 3);
	ck_assert_uint_eq(landlock_scopes(5), 0);
	ck_assert_uint_eq(landlock_scopes(6), 3);
	/* Rights beyond the ABI are refused, not silently dropped. */
	ck_assert_int_eq(landlock_ruleset_new(1, LANDLOCK_ACCESS_FS_TRUNCATE, 0, 0), -EINVAL);
}
END_TEST

START_TEST(test_rules_from_plan)
{
	uint64_t all1 = landlock_fs_rights(1), all7 = landlock_fs_rights(7);
	struct plan_op op = {.kind = PLAN_BIND, .origin = PLAN_FROM_READWRITE};

	ck_assert_uint_eq(ns_landlock_access(&op, all7), all7);
	ck_assert_uint_eq(ns_landlock_access(&op, all1), all1); /* no truncate/ioctl on ABI 1 */
	op.origin = PLAN_FROM_READONLY;
	ck_assert_uint_eq(ns_landlock_access(&op, all7), RX);
	op.readonly = false; /* the mount flag does not widen a readonly origin */
	ck_assert_uint_eq(ns_landlock_access(&op, all7), RX);
	op.origin = PLAN_FROM_DENIED;
	ck_assert_uint_eq(ns_landlock_access(&op, all7), 0);
	op = (struct plan_op){.kind = PLAN_BIND, .origin = PLAN_FROM_BASELINE, .readonly = true};
	ck_assert_uint_eq(ns_landlock_access(&op, all7), RX);
	op = (struct plan_op){.kind = PLAN_TMPFS, .origin = PLAN_FROM_SYSTEM};
	ck_assert_uint_eq(ns_landlock_access(&op, all7), all7);
	op.kind = PLAN_PROC;
	ck_assert_uint_eq(ns_landlock_access(&op, all7),
			  LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR);
	op.kind = PLAN_DEV;
	ck_assert_uint_eq(ns_landlock_access(&op, all7), LANDLOCK_ACCESS_FS_READ_DIR);
	op = (struct plan_op){.kind = PLAN_MASK_FILE, .origin = PLAN_FROM_DENIED};
	ck_assert_uint_eq(ns_landlock_access(&op, all7), 0);
	op.kind = PLAN_MASK_DIR;
	ck_assert_uint_eq(ns_landlock_access(&op, all7), 0);
}
END_TEST

/* ---- main ------------------------------------------------------------------- */

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	if (tree[0]) {
		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
		(void)!system(cmd);
		tree[0] = '\0';
	}
}

static void add(TCase *tc, const TTest *t, int min_abi)
{
	if (abi >= min_abi)
		_tcase_add_test(tc, t, 0, 0, 0, 1);
	else
		fprintf(stderr, "# SKIP %s: needs Landlock ABI %d, the kernel has %d\n", t->name,
			min_abi, abi < 0 ? 0 : abi);
}

static Suite *landlock_suite(void)
{
	Suite *s = suite_create("landlock");
	TCase *td = tcase_create("direct"), *ts = tcase_create("sandbox"),
	      *tr = tcase_create("rules");

	/* Restricted test processes cannot remove their tree: the runner does. */
	tcase_add_unchecked_fixture(td, make_tree, teardown);
	add(td, test_direct_fs, 1);
	add(td, test_direct_truncate, 3);
	add(td, test_direct_tcp, 4);
	add(td, test_direct_scope_signal, 6);
	add(td, test_direct_scope_abstract, 6);
	suite_add_tcase(s, td);

	tcase_set_timeout(ts, 20);
	tcase_add_checked_fixture(ts, NULL, teardown);
	add(ts, test_sandbox_readonly_mount_gone_wrong, 1);
	add(ts, test_sandbox_denied_mount_gone_wrong, 1);
	add(ts, test_sandbox_readonly_no_remount, 1);
	add(ts, test_sandbox_still_usable, 1);
	add(ts, test_sandbox_tcp_blocked, 4);
	add(ts, test_sandbox_abstract_socket_scoped, 6);
	add(ts, test_sandbox_signal_scoped, 6);
	suite_add_tcase(s, ts);

	tcase_add_test(tr, test_rights_per_abi);
	tcase_add_test(tr, test_rules_from_plan);
	suite_add_tcase(s, tr);
	return s;
}

int main(void)
{
	int failed, r = hu_kernel_tests_runnable();
	SRunner *sr;

	if (r >= 0)
		return r;
	abi = landlock_abi_version();
	if (abi < 6 && hu_must_work()) {
		fprintf(stderr, "Landlock ABI %d < 6, and MXC_TEST_MUST_WORK=1\n",
			abi < 0 ? 0 : abi);
		return 1;
	}
	sr = srunner_create(landlock_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
