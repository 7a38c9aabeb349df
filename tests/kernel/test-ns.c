/* SPDX-License-Identifier: MIT */
/*
 * Kernel tests of the namespace backend: plans built by hand, real sandboxes,
 * real outcomes. Each test runs in its own Check fork. Runs as root and, via
 * run-unprivileged.sh, as an unprivileged user.
 */
#include <check.h>

#include "harden-util.h"
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/macro.h"
#include "core/strv.h"
#include "plan/plan-internal.h"

#define BE (&backend_namespaces)

/* ---- plan building ------------------------------------------------------ */

static char scratch[256]; /* per-test host directory (under /tmp, owned by the test user) */

static void add_op(struct mxc_plan *p, enum plan_op_kind kind, enum plan_origin origin,
		   const char *src, const char *dst, bool readonly, bool try_)
{
	ck_assert_int_eq(plan_add_op(p, kind, origin, src, dst, NULL, readonly, try_), 0);
}

static struct mxc_plan *plan_new(const char *cmd)
{
	struct mxc_plan *p = hu_base_plan();

	ck_assert_int_eq(strv_push(&p->argv, "/bin/sh"), 0);
	ck_assert_int_eq(strv_push(&p->argv, "-c"), 0);
	ck_assert_int_eq(strv_push(&p->argv, cmd), 0);
	ck_assert_int_eq(strv_push(&p->envp, "PATH=/usr/bin:/bin:/usr/sbin:/sbin"), 0);
	ck_assert_int_eq(strv_push(&p->envp, "PWD=/should/be/replaced"), 0);
	return p;
}

/* ---- running ------------------------------------------------------------ */

struct run {
	void *state;
	int pid;
	int status;
	char out[8192];
};

static void make_scratch(void)
{
	(void)snprintf(scratch, sizeof(scratch), "/tmp/mxc-kernel-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void write_file(const char *dir, const char *name, const char *data)
{
	char path[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	fputs(data, f);
	fclose(f);
}

/* exec `argv` (NULL: the plan's) with stdout+stderr captured; wait for it. */
static int exec_capture(void *state, const char *const *argv, const char *cwd, int *ret_status,
			char *out, size_t outlen, struct mxc_error *err)
{
	struct mxc_exec_spec spec = {.argv = argv, .cwd = cwd, .stdio = {-1, -1, -1}};
	int p[2], pid, r;
	size_t got = 0;
	ssize_t n;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	spec.stdio[1] = spec.stdio[2] = p[1];
	pid = BE->exec(state, &spec, err);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return pid;
	}
	while (got + 1 < outlen && (n = read(p[0], out + got, outlen - got - 1)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(p[0]);
	r = BE->wait(state, pid, 10000, ret_status, err);
	return r < 0 ? r : pid;
}

static void run_plan(struct mxc_plan *p, struct run *run)
{
	struct mxc_error err = {0};
	int r;

	r = BE->create(p, &run->state, &err);
	ck_assert_msg(r == 0, "create: %d %s", r, err.msg);
	r = exec_capture(run->state, NULL, NULL, &run->status, run->out, sizeof(run->out), &err);
	ck_assert_msg(r > 0, "exec: %d %s", r, err.msg);
	run->pid = r;
	BE->destroy(run->state);
	run->state = NULL;
}

static void run_cmd(const char *cmd, struct run *run)
{
	struct mxc_plan *p = plan_new(cmd);

	run_plan(p, run);
	plan_free(p);
}

#define ck_assert_exit(run, code)                                                                  \
	ck_assert_msg(WIFEXITED((run)->status) && WEXITSTATUS((run)->status) == (code),            \
		      "status 0x%x, output: %s", (unsigned)(run)->status, (run)->out)

/* ---- tests -------------------------------------------------------------- */

START_TEST(test_pid1_is_init)
{
	struct run run = {0};

	/* the shell reads its own stat: field 4 is the parent pid */
	run_cmd("read -r pid comm state ppid rest < /proc/self/stat; echo \"$ppid\"; "
		"test -d /proc/1 && echo init-visible; ls /proc | grep -c '^[0-9]'",
		&run);
	ck_assert_exit(&run, 0);
	ck_assert_msg(strncmp(run.out, "1\ninit-visible\n", 15) == 0, "output: %s", run.out);
	/* only init, the shell, ls and grep exist in the PID namespace */
	ck_assert_int_le(atoi(run.out + 15), 4);
	ck_assert_int_gt(run.pid, 0);
}
END_TEST

START_TEST(test_uid_map)
{
	struct run run = {0};
	char expect[128];

	run_cmd("id -u; id -g; cat /proc/self/uid_map", &run);
	ck_assert_exit(&run, 0);
	(void)snprintf(expect, sizeof(expect), "%u\n%u\n", getuid(), getgid());
	ck_assert_msg(strncmp(run.out, expect, strlen(expect)) == 0, "output: %s", run.out);
	(void)snprintf(expect, sizeof(expect), "%u", getuid());
	ck_assert_ptr_nonnull(strstr(run.out + strlen(expect), expect));
}
END_TEST

START_TEST(test_readonly_bind_erofs)
{
	struct mxc_plan *p;
	struct run run = {0};
	char cmd[512];

	make_scratch();
	write_file(scratch, "file", "data\n");
	(void)snprintf(cmd, sizeof(cmd),
		       "cat %s/file; (echo x > %s/new) 2>/dev/null || echo write-failed; "
		       "echo x >> %s/file || true",
		       scratch, scratch, scratch);
	p = plan_new(cmd);
	add_op(p, PLAN_BIND, PLAN_FROM_READONLY, scratch, scratch, true, false);
	run_plan(p, &run);
	ck_assert_exit(&run, 0);
	ck_assert_ptr_nonnull(strstr(run.out, "data\nwrite-failed\n"));
	ck_assert_ptr_nonnull(strstr(run.out, "Read-only file system"));
	plan_free(p);
}
END_TEST

START_TEST(test_readwrite_bind)
{
	struct mxc_plan *p;
	struct run run = {0};
	char cmd[512], path[512];

	make_scratch();
	(void)snprintf(cmd, sizeof(cmd), "echo hello > %s/out", scratch);
	p = plan_new(cmd);
	add_op(p, PLAN_BIND, PLAN_FROM_READWRITE, scratch, scratch, false, false);
	run_plan(p, &run);
	ck_assert_exit(&run, 0);
	(void)snprintf(path, sizeof(path), "%s/out", scratch);
	ck_assert_int_eq(access(path, F_OK), 0);
	plan_free(p);
}
END_TEST

START_TEST(test_mask_file)
{
	struct mxc_plan *p;
	struct run run = {0};
	char cmd[512], path[512];

	make_scratch();
	write_file(scratch, "secret", "top secret\n");
	(void)snprintf(path, sizeof(path), "%s/secret", scratch);
	(void)snprintf(cmd, sizeof(cmd),
		       "cat %s; echo rc=$?; (echo x > %s) 2>/dev/null; cat %s/secret", path, path,
		       scratch);
	p = plan_new(cmd);
	add_op(p, PLAN_BIND, PLAN_FROM_READWRITE, scratch, scratch, false, false);
	add_op(p, PLAN_MASK_FILE, PLAN_FROM_DENIED, "/dev/null", path, true, false);
	run_plan(p, &run);
	ck_assert_str_eq(run.out, "rc=0\n");
	plan_free(p);
}
END_TEST

START_TEST(test_mask_dir)
{
	struct mxc_plan *p;
	struct run run = {0};
	char cmd[512], dir[512];

	make_scratch();
	(void)snprintf(dir, sizeof(dir), "%s/private", scratch);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	write_file(dir, "key", "k\n");
	(void)snprintf(cmd, sizeof(cmd), "ls -A %s; echo listed; touch %s/x 2>&1", dir, dir);
	p = plan_new(cmd);
	add_op(p, PLAN_BIND, PLAN_FROM_READWRITE, scratch, scratch, false, false);
	add_op(p, PLAN_MASK_DIR, PLAN_FROM_DENIED, NULL, dir, false, false);
	run_plan(p, &run);
	ck_assert_msg(strncmp(run.out, "listed\n", 7) == 0, "output: %s", run.out);
	ck_assert_ptr_nonnull(strstr(run.out, "Read-only file system"));
	plan_free(p);
}
END_TEST

START_TEST(test_deepest_wins)
{
	struct mxc_plan *p;
	struct run run = {0};
	char cmd[1024], denied[512], rw[600], path[700];

	make_scratch();
	(void)snprintf(denied, sizeof(denied), "%s/denied", scratch);
	(void)snprintf(rw, sizeof(rw), "%s/rw", denied);
	ck_assert_int_eq(mkdir(denied, 0755), 0);
	ck_assert_int_eq(mkdir(rw, 0755), 0);
	write_file(denied, "hidden", "h\n");
	(void)snprintf(cmd, sizeof(cmd), "ls -A %s; echo ok > %s/new && echo wrote", denied, rw);
	p = plan_new(cmd);
	add_op(p, PLAN_MASK_DIR, PLAN_FROM_DENIED, NULL, denied, false, false);
	add_op(p, PLAN_BIND, PLAN_FROM_READWRITE, rw, rw, false, false);
	run_plan(p, &run);
	ck_assert_exit(&run, 0);
	ck_assert_str_eq(run.out, "rw\nwrote\n");
	(void)snprintf(path, sizeof(path), "%s/new", rw);
	ck_assert_int_eq(access(path, F_OK), 0);
	plan_free(p);
}
END_TEST

START_TEST(test_missing_source_error)
{
	struct mxc_plan *p = plan_new("true");
	struct mxc_error err = {0};
	void *state = NULL;
	int r;

	add_op(p, PLAN_BIND, PLAN_FROM_READONLY, "/nonexistent-mxc/data", "/data", true, false);
	r = BE->create(p, &state, &err);
	ck_assert_msg(r == -ENOENT, "create: %d %s", r, err.msg);
	ck_assert_str_eq(err.msg,
			 "Failed to mount readonly path '/nonexistent-mxc/data' at '/data': "
			 "No such file or directory");
	ck_assert_int_eq(err.kind, MXC_ERROR_BACKEND);
	ck_assert_str_eq(err.type, "backend_error");
	plan_free(p);
}
END_TEST

START_TEST(test_missing_try_source_skipped)
{
	struct mxc_plan *p = plan_new("test -e /data && echo present || echo absent");
	struct run run = {0};

	add_op(p, PLAN_BIND, PLAN_FROM_BASELINE, "/nonexistent-mxc/data", "/data", true, true);
	run_plan(p, &run);
	ck_assert_str_eq(run.out, "absent\n");
	plan_free(p);
}
END_TEST

static int listen_loopback(int *ret_port)
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

START_TEST(test_net_isolated)
{
	struct run run = {0};
	char cmd[512];
	int port, fd = listen_loopback(&port);

	(void)snprintf(
		cmd, sizeof(cmd),
		"tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; "
		"python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", %d), 2)' "
		"2>/dev/null && echo connected || echo refused",
		port);
	run_cmd(cmd, &run);
	ck_assert_str_eq(run.out, "lo\nrefused\n");
	close(fd);
}
END_TEST

START_TEST(test_net_host)
{
	struct mxc_plan *p;
	struct run run = {0};
	char cmd[512];
	int port, fd = listen_loopback(&port);

	(void)snprintf(
		cmd, sizeof(cmd),
		"python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", %d), 2)' "
		"&& echo connected",
		port);
	p = plan_new(cmd);
	p->net = PLAN_NET_HOST;
	run_plan(p, &run);
	ck_assert_str_eq(run.out, "connected\n");
	close(fd);
	plan_free(p);
}
END_TEST

static bool pid_gone(pid_t pid)
{
	char path[64], state = 0, buf[512];
	FILE *f;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return true;
	if (fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');

		if (p && p[1])
			state = p[2];
	}
	fclose(f);
	return state == 'Z' || state == 'X';
}

static pid_t first_child(pid_t pid)
{
	char path[96];
	pid_t child = 0;

	(void)snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	for (int i = 0; i < 200 && child <= 0; i++) {
		FILE *f = fopen(path, "re");

		if (f) {
			if (fscanf(f, "%d", &child) != 1)
				child = 0;
			fclose(f);
		}
		if (child <= 0)
			usleep(10000);
	}
	return child;
}

START_TEST(test_destroy_kills_detached_grandchild)
{
	struct mxc_plan *p = plan_new("setsid sleep 1000 & sleep 1000");
	struct mxc_exec_spec spec = {.stdio = {-1, -1, -1}};
	struct mxc_error err = {0};
	void *state = NULL;
	int pid, status, r;
	pid_t grandchild;

	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	pid = BE->exec(state, &spec, &err);
	ck_assert_int_gt(pid, 0);
	grandchild = first_child(pid);
	ck_assert_int_gt(grandchild, 0);
	r = BE->wait(state, pid, 200, &status, &err);
	ck_assert_int_eq(r, -ETIMEDOUT);
	ck_assert(!pid_gone(pid));
	BE->destroy(state);
	ck_assert(pid_gone(pid));
	ck_assert(pid_gone(grandchild));
	plan_free(p);
}
END_TEST

START_TEST(test_parent_death_kills_sandbox)
{
	int pfd[2];
	pid_t middle, workload = 0;

	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	middle = fork();
	ck_assert_int_ge(middle, 0);
	if (middle == 0) {
		struct mxc_plan *p = plan_new("sleep 1000");
		struct mxc_exec_spec spec = {.stdio = {-1, -1, -1}};
		void *state = NULL;
		int pid = -1;

		if (BE->create(p, &state, NULL) == 0)
			pid = BE->exec(state, &spec, NULL);
		(void)!write(pfd[1], &pid, sizeof(pid));
		pause();
		_exit(0);
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], &workload, sizeof(workload)), (ssize_t)sizeof(workload));
	ck_assert_int_gt(workload, 0);
	ck_assert(!pid_gone(workload));
	kill(middle, SIGKILL);
	waitpid(middle, NULL, 0);
	for (int i = 0; i < 200 && !pid_gone(workload); i++)
		usleep(10000);
	ck_assert(pid_gone(workload));
}
END_TEST

START_TEST(test_no_fds_above_stdio)
{
	struct mxc_plan *p = plan_new("exec sleep 1000");
	struct mxc_exec_spec spec = {.stdio = {-1, -1, -1}};
	struct mxc_error err = {0};
	char path[64], comm[32] = "", list[64] = "";
	void *state = NULL;
	int pid;

	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	pid = BE->exec(state, &spec, &err);
	ck_assert_int_gt(pid, 0);
	/* Look from the host once the shell has become sleep. */
	(void)snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	for (int i = 0; i < 200 && strncmp(comm, "sleep", 5) != 0; i++) {
		FILE *f = fopen(path, "re");

		if (f) {
			if (!fgets(comm, sizeof(comm), f))
				comm[0] = '\0';
			fclose(f);
		}
		usleep(5000);
	}
	ck_assert_str_eq(comm, "sleep\n");
	(void)snprintf(path, sizeof(path), "ls /proc/%d/fd | sort -n | tr '\\n' ' '", pid);
	{
		FILE *f = popen(path, "re");

		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(list, sizeof(list), f));
		pclose(f);
	}
	ck_assert_str_eq(list, "0 1 2 ");
	BE->destroy(state);
	plan_free(p);
}
END_TEST

START_TEST(test_nnp_and_caps)
{
	struct run run = {0};

	run_cmd("grep -E '^(NoNewPrivs|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' /proc/self/status",
		&run);
	ck_assert_exit(&run, 0);
	ck_assert_ptr_nonnull(strstr(run.out, "NoNewPrivs:\t1"));
	ck_assert_ptr_nonnull(strstr(run.out, "CapEff:\t0000000000000000"));
	ck_assert_ptr_nonnull(strstr(run.out, "CapPrm:\t0000000000000000"));
	ck_assert_ptr_nonnull(strstr(run.out, "CapBnd:\t0000000000000000"));
	ck_assert_ptr_nonnull(strstr(run.out, "CapAmb:\t0000000000000000"));
}
END_TEST

START_TEST(test_own_session)
{
	struct run run = {0};

	/* field 6 of stat is the session id: the shell leads its own */
	run_cmd("read -r pid comm state ppid pgrp sid rest < /proc/self/stat; "
		"test \"$sid\" = \"$pid\" && test \"$pgrp\" = \"$pid\" && echo leader",
		&run);
	ck_assert_str_eq(run.out, "leader\n");
}
END_TEST

START_TEST(test_exit_status)
{
	struct run run = {0};

	run_cmd("exit 42", &run);
	ck_assert_exit(&run, 42);
}
END_TEST

START_TEST(test_signal_status)
{
	struct run run = {0};

	run_cmd("kill -TERM $$", &run);
	ck_assert(WIFSIGNALED(run.status));
	ck_assert_int_eq(WTERMSIG(run.status), SIGTERM);
}
END_TEST

START_TEST(test_two_execs)
{
	struct mxc_plan *p = plan_new("echo first > /tmp/state; exit 3");
	const char *const second[] = {"/bin/sh", "-c", "cat /tmp/state; exit 4", NULL};
	struct mxc_error err = {0};
	void *state = NULL;
	char out[256];
	int status;

	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	ck_assert_int_gt(exec_capture(state, NULL, NULL, &status, out, sizeof(out), &err), 0);
	ck_assert_int_eq(WEXITSTATUS(status), 3);
	ck_assert_int_gt(exec_capture(state, second, NULL, &status, out, sizeof(out), &err), 0);
	ck_assert_int_eq(WEXITSTATUS(status), 4);
	ck_assert_str_eq(out, "first\n");
	BE->destroy(state);
	plan_free(p);
}
END_TEST

START_TEST(test_signal_forwarding)
{
	struct mxc_plan *p = plan_new("exec sleep 1000");
	const char *const quick[] = {"/bin/sh", "-c", "exit 5", NULL};
	struct mxc_exec_spec spec = {.stdio = {-1, -1, -1}};
	struct mxc_error err = {0};
	void *state = NULL;
	char out[64];
	int pid, status;

	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	pid = BE->exec(state, &spec, &err);
	ck_assert_int_gt(pid, 0);
	/* a second process while the first runs */
	ck_assert_int_gt(exec_capture(state, quick, NULL, &status, out, sizeof(out), &err), 0);
	ck_assert_int_eq(WEXITSTATUS(status), 5);
	ck_assert_int_eq(BE->signal(state, SIGTERM), 0);
	ck_assert_int_eq(BE->wait(state, pid, 5000, &status, &err), 0);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	BE->destroy(state);
	plan_free(p);
}
END_TEST

static void on_alarm(int sig)
{
	(void)sig;
}

START_TEST(test_wait_interrupted)
{
	struct mxc_plan *p = plan_new("sleep 1000");
	struct mxc_exec_spec spec = {.stdio = {-1, -1, -1}};
	struct sigaction sa = {.sa_handler = on_alarm};
	struct mxc_error err = {0};
	void *state = NULL;
	int pid, status;

	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	pid = BE->exec(state, &spec, &err);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	alarm(1);
	ck_assert_int_eq(BE->wait(state, pid, -1, &status, &err), -EINTR);
	ck_assert_int_eq(BE->wait(state, pid, 50, &status, &err), -ETIMEDOUT);
	BE->destroy(state);
	plan_free(p);
}
END_TEST

START_TEST(test_cwd_missing_is_error)
{
	struct mxc_plan *p = plan_new("pwd");
	struct mxc_error err = {0};
	void *state = NULL;
	char out[64];
	int status;

	p->cwd = strdup("/nonexistent-cwd");
	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	ck_assert_int_eq(exec_capture(state, NULL, NULL, &status, out, sizeof(out), &err), -ENOENT);
	ck_assert_str_eq(err.msg,
			 "Failed to change directory to '/nonexistent-cwd' in the sandbox: "
			 "No such file or directory");
	ck_assert_int_eq(err.kind, MXC_ERROR_BACKEND);
	BE->destroy(state);
	plan_free(p);
}
END_TEST

START_TEST(test_cwd_and_env)
{
	struct mxc_plan *p = plan_new("pwd; env | sort");
	struct run run = {0};

	p->cwd = strdup("/usr");
	run_plan(p, &run);
	ck_assert_str_eq(run.out, "/usr\nPATH=/usr/bin:/bin:/usr/sbin:/sbin\nPWD=/usr\n");
	plan_free(p);

	/* no cwd: the launcher's if visible, else "/" */
	p = plan_new("pwd");
	p->launcher_cwd = strdup("/etc");
	run_plan(p, &run);
	ck_assert_str_eq(run.out, "/etc\n");
	plan_free(p);
	p = plan_new("pwd");
	p->launcher_cwd = strdup("/root/not-visible");
	run_plan(p, &run);
	ck_assert_str_eq(run.out, "/\n");
	plan_free(p);
}
END_TEST

START_TEST(test_exec_failure)
{
	struct mxc_plan *p = plan_new("true");
	const char *const argv[] = {"/nonexistent-binary", NULL};
	struct mxc_error err = {0};
	void *state = NULL;
	char out[64];
	int status;

	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	ck_assert_int_eq(exec_capture(state, argv, NULL, &status, out, sizeof(out), &err), -ENOENT);
	ck_assert_str_eq(err.msg, "Failed to execute '/nonexistent-binary' in the sandbox: "
				  "No such file or directory");
	BE->destroy(state);
	plan_free(p);
}
END_TEST

START_TEST(test_rootfs_layout)
{
	struct run run = {0};

	run_cmd("touch /newfile 2>/dev/null || echo root-ro; echo x > /dev/null && echo null-ok; "
		"head -c 4 /dev/zero | wc -c; test -c /dev/pts/ptmx && echo pts; "
		"readlink /dev/ptmx; touch /tmp/x && echo tmp-rw; test -e /home || echo no-home; "
		"grep -c . /proc/self/mountinfo >/dev/null && echo proc",
		&run);
	ck_assert_str_eq(run.out, "root-ro\nnull-ok\n4\npts\npts/ptmx\ntmp-rw\nno-home\nproc\n");
}
END_TEST

START_TEST(test_init_reaps_orphans)
{
	struct run run = {0};

	/* the subshell's child is orphaned to init, which must reap it */
	run_cmd("(true &); sleep 0.3; grep -l '^State:.Z' /proc/[0-9]*/status | wc -l", &run);
	ck_assert_str_eq(run.out, "0\n");
}
END_TEST

START_TEST(test_init_drops_caller_fds)
{
	struct mxc_plan *p = plan_new("true");
	struct mxc_error err = {0};
	void *state = NULL;
	int pfd[2];
	char c;

	/* an inheritable fd of the caller must not be held by the sandbox */
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(BE->create(p, &state, &err), 0);
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], &c, 1), 0);
	close(pfd[0]);
	BE->destroy(state);
	plan_free(p);
}
END_TEST

START_TEST(test_probe)
{
	struct mxc_error err = {0};

	ck_assert_int_eq(BE->probe(&err), 0);
}
END_TEST

/* ---- main --------------------------------------------------------------- */

static void cleanup_scratch(void)
{
	char cmd[300];

	if (scratch[0]) {
		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		(void)!system(cmd);
	}
}

static void teardown(void)
{
	cleanup_scratch();
}

static Suite *ns_suite(void)
{
	Suite *s = suite_create("namespaces");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_pid1_is_init);
	tcase_add_test(tc, test_uid_map);
	tcase_add_test(tc, test_readonly_bind_erofs);
	tcase_add_test(tc, test_readwrite_bind);
	tcase_add_test(tc, test_mask_file);
	tcase_add_test(tc, test_mask_dir);
	tcase_add_test(tc, test_deepest_wins);
	tcase_add_test(tc, test_missing_source_error);
	tcase_add_test(tc, test_missing_try_source_skipped);
	tcase_add_test(tc, test_net_isolated);
	tcase_add_test(tc, test_net_host);
	tcase_add_test(tc, test_destroy_kills_detached_grandchild);
	tcase_add_test(tc, test_parent_death_kills_sandbox);
	tcase_add_test(tc, test_no_fds_above_stdio);
	tcase_add_test(tc, test_nnp_and_caps);
	tcase_add_test(tc, test_own_session);
	tcase_add_test(tc, test_exit_status);
	tcase_add_test(tc, test_signal_status);
	tcase_add_test(tc, test_two_execs);
	tcase_add_test(tc, test_signal_forwarding);
	tcase_add_test(tc, test_wait_interrupted);
	tcase_add_test(tc, test_cwd_missing_is_error);
	tcase_add_test(tc, test_cwd_and_env);
	tcase_add_test(tc, test_exec_failure);
	tcase_add_test(tc, test_rootfs_layout);
	tcase_add_test(tc, test_init_reaps_orphans);
	tcase_add_test(tc, test_init_drops_caller_fds);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int failed, r = hu_kernel_tests_runnable();
	SRunner *sr;

	if (r >= 0)
		return r;
	sr = srunner_create(ns_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
