/* SPDX-License-Identifier: MIT */
/*
 * PID 1 of the sandbox: reaps every process, forwards signals to the
 * workload and serves the parent's requests on the sync socket (exec,
 * signal). When the parent goes away it kills everything and exits.
 *
 * No malloc here (see ns-internal.h): request buffers come from mmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "ns-internal.h"
#include "os/caps.h"
#include "os/fd.h"
#include "os/pty.h"
#include "os/proctitle.h"
#include "os/sync.h"

#define MAX_WORKLOADS 256

static const int forwarded_signals[] = {SIGTERM, SIGINT,  SIGHUP,   SIGQUIT,
					SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

static pid_t workloads[MAX_WORKLOADS];

static int send_error(int sock, const struct mxc_error *e)
{
	struct ns_msg m;

	memset(&m, 0, NS_MSG_SIZE(error));
	m.type = NS_MSG_ERROR;
	m.error.code = e->code;
	m.error.kind = (int32_t)e->kind;
	(void)snprintf(m.error.msg, sizeof(m.error.msg), "%s", e->msg);
	(void)snprintf(m.error.where, sizeof(m.error.where), "%s", e->where);
	return sync_send(sock, &m, NS_MSG_SIZE(error), NULL, 0, 0);
}

_noreturn_ void ns_child_die(int sock, const struct mxc_error *e)
{
	(void)send_error(sock, e);
	_exit(1);
}

static void forward_signal(int sig)
{
	for (size_t i = 0; i < MAX_WORKLOADS; i++) {
		if (workloads[i] <= 0)
			continue;
		/* Each workload leads its own session and process group. */
		if (kill(-workloads[i], sig) < 0)
			(void)kill(workloads[i], sig);
	}
}

static void kill_all_and_exit(void)
{
	/* From PID 1, -1 means every other process of the namespace. */
	(void)kill(-1, SIGKILL);
	_exit(0);
}

/* Walk `n` NUL-terminated strings starting at *p within [*p, end). */
static int split_strings(char **p, const char *end, char **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		char *nul = memchr(*p, '\0', (size_t)(end - *p));

		if (!nul)
			return -EBADMSG;
		v[i] = *p;
		*p = nul + 1;
	}
	v[n] = NULL;
	return 0;
}

static _noreturn_ void workload_fail(int errfd, struct mxc_error *e)
{
	struct ns_msg_error rec;

	memset(&rec, 0, sizeof(rec));
	rec.code = e->code;
	rec.kind = (int32_t)e->kind;
	(void)snprintf(rec.msg, sizeof(rec.msg), "%s", e->msg);
	(void)snprintf(rec.where, sizeof(rec.where), "%s", e->where);
	(void)!write(errfd, &rec, sizeof(rec));
	_exit(127);
}

static void try_exec(char *const argv[], char *const envp[])
{
	const char *path = NULL;
	char buf[4096];

	if (strchr(argv[0], '/')) {
		(void)execve(argv[0], argv, envp);
		return;
	}
	for (size_t i = 0; envp[i]; i++)
		if (strncmp(envp[i], "PATH=", 5) == 0)
			path = envp[i] + 5;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *s = path; *s;) {
		const char *colon = strchrnul(s, ':');
		int len = (int)(colon - s);

		(void)snprintf(buf, sizeof(buf), "%.*s/%s", len, s, argv[0]);
		(void)execve(len ? buf : argv[0], argv, envp);
		if (errno != ENOENT && errno != EACCES && errno != ENOTDIR)
			return;
		s = *colon ? colon + 1 : colon;
	}
	errno = ENOENT;
}

/* The forked workload: never returns. `envp` has room for one more entry. */
static _noreturn_ void workload_run(int errfd, const int stdio[3], char **argv, char **envp,
				    uint32_t envc, const char *cwd, uint32_t flags, char *pwd,
				    size_t pwd_size)
{
	struct mxc_error e;
	sigset_t all;
	size_t k = 0;
	int r;

	memset(&e, 0, sizeof(e));
	(void)sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
	if (setsid() < 0) {
		r = -errno;
		(void)ns_fail(&e, r, "Failed to start a new session in the sandbox: %s",
			      ns_strerror(r));
		workload_fail(errfd, &e);
	}
	/* PTY mode: the sandbox's new pty (stdio[0..2]) becomes the controlling
	 * terminal of the new session. */
	if (flags & NS_EXEC_PTY) {
		r = pty_make_controlling(stdio[0]);
		if (r < 0) {
			(void)ns_fail(&e, r,
				      "Failed to make the pseudo-terminal the controlling "
				      "terminal in the sandbox: %s",
				      ns_strerror(r));
			workload_fail(errfd, &e);
		}
	}
	r = fd_install_stdio(stdio);
	if (r >= 0)
		r = fd_cloexec_above_stdio();
	if (r < 0) {
		(void)ns_fail(&e, r, "Failed to set up the standard streams in the sandbox: %s",
			      ns_strerror(r));
		workload_fail(errfd, &e);
	}

	if (chdir(cwd) < 0) {
		if (flags & NS_EXEC_CWD_STRICT) {
			r = -errno;
			(void)ns_fail(&e, r,
				      "Failed to change directory to '%s' in the sandbox: %s", cwd,
				      ns_strerror(r));
			(void)snprintf(e.where, sizeof(e.where), "%s", cwd);
			workload_fail(errfd, &e);
		}
		cwd = "/";
		if (chdir(cwd) < 0) {
			r = -errno;
			(void)ns_fail(&e, r, "Failed to change directory to '/' in the sandbox: %s",
				      ns_strerror(r));
			workload_fail(errfd, &e);
		}
	}
	/* Environment: exactly the given one, PWD replaced by the actual cwd. */
	for (uint32_t i = 0; i < envc; i++)
		if (strncmp(envp[i], "PWD=", 4) != 0)
			envp[k++] = envp[i];
	(void)snprintf(pwd, pwd_size, "PWD=%s", cwd);
	envp[k++] = pwd;
	envp[k] = NULL;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		r = -errno;
		(void)ns_fail(&e, r, "Failed to set no_new_privs: %s", ns_strerror(r));
		workload_fail(errfd, &e);
	}
	r = caps_drop_all();
	if (r < 0) {
		(void)ns_fail(&e, r, "Failed to drop capabilities: %s", ns_strerror(r));
		workload_fail(errfd, &e);
	}
	/* The resource limits (ns-limits.c), then last Landlock and seccomp (ns-harden.c). */
	if (ns_limits_workload(&e) < 0)
		workload_fail(errfd, &e);
	if (ns_harden_workload(&e) < 0)
		workload_fail(errfd, &e);
	try_exec(argv, envp);
	r = -errno;
	(void)ns_fail(&e, r, "Failed to execute '%s' in the sandbox: %s", argv[0], ns_strerror(r));
	(void)snprintf(e.where, sizeof(e.where), "%s", argv[0]);
	workload_fail(errfd, &e);
}

static int track(pid_t pid)
{
	for (size_t i = 0; i < MAX_WORKLOADS; i++)
		if (workloads[i] <= 0) {
			workloads[i] = pid;
			return 0;
		}
	return -EMFILE;
}

/* Reply "Failed to <what> '<arg>' in the sandbox: <errno text>". */
static void reply_error(int sock, int code, const char *what, const char *arg)
{
	struct mxc_error e;

	memset(&e, 0, sizeof(e));
	(void)ns_fail(&e, code, "Failed to %s '%s' in the sandbox: %s", what, arg,
		      ns_strerror(code));
	if (send_error(sock, &e) < 0)
		kill_all_and_exit();
}

/* Handle one EXEC request (header in *req, its 3 stdio fds came with it). */
static void serve_exec(int sock, const struct ns_msg *req, const int stdio[3])
{
	static struct ns_msg_chunk chunk; /* PID 1 only: a static buffer is fine */
	uint32_t argc = req->exec.argc, envc = req->exec.envc, len = req->exec.data_len;
	uint32_t flags = req->exec.flags;
	size_t vec_size = sizeof(char *) * ((size_t)argc + envc + 4);
	size_t map_size = (size_t)len + 1 + vec_size + 4096 + 4096;
	char *map, *data, *p, **argv, **envp, *cwd, *pwd;
	struct ns_msg_error rec;
	int errpipe[2] = {-1, -1}, pty_master = -1, pty_slave = -1, pty_stdio[3];
	uint32_t got = 0;
	ssize_t n;
	pid_t pid;
	int r;

	if (argc == 0 || argc > (1u << 20) || envc > (1u << 20) || len > (256u << 20)) {
		reply_error(sock, -E2BIG, "start", "?");
		return;
	}
	map = mmap(NULL, map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		reply_error(sock, -ENOMEM, "start", "?");
		return;
	}
	argv = (char **)map;
	envp = argv + argc + 1;
	data = (char *)(envp + envc + 2);
	pwd = data + len + 1;
	while (got < len) {
		size_t k;

		n = sync_recv(sock, &chunk, sizeof(chunk), NULL, 0, NULL, NULL, false);
		if (n <= 0)
			kill_all_and_exit();
		k = (size_t)n - offsetof(struct ns_msg_chunk, data);
		if (chunk.type != NS_MSG_EXEC_DATA ||
		    (size_t)n <= offsetof(struct ns_msg_chunk, data) || k > len - got)
			kill_all_and_exit(); /* protocol violation: the parent is broken */
		memcpy(data + got, chunk.data, k);
		got += (uint32_t)k;
	}
	data[len] = '\0';
	p = data;
	r = split_strings(&p, data + len + 1, argv, argc);
	if (r >= 0)
		r = split_strings(&p, data + len + 1, envp, envc);
	cwd = p < data + len ? p : (char *)"/";
	if (r < 0) {
		reply_error(sock, r, "start", "?");
		goto out;
	}

	if (flags & NS_EXEC_PTY) {
		/* From this sandbox's own devpts instance: the workload's terminal
		 * has a name (/dev/pts/N) and /dev/tty works inside. */
		r = pty_open("/dev/pts/ptmx", req->exec.pty_rows, req->exec.pty_cols, &pty_master,
			     &pty_slave);
		if (r < 0) {
			reply_error(sock, r, "open a pseudo-terminal for", argv[0]);
			goto out;
		}
		pty_stdio[0] = pty_stdio[1] = pty_stdio[2] = pty_slave;
		stdio = pty_stdio;
	}
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		reply_error(sock, -errno, "start", argv[0]);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		reply_error(sock, -errno, "fork", argv[0]);
		goto out;
	}
	if (pid == 0) {
		(void)close(errpipe[0]);
		workload_run(errpipe[1], stdio, argv, envp, envc, cwd, flags, pwd, 4096);
	}
	(void)close(errpipe[1]);
	errpipe[1] = -1;
	if (pty_slave >= 0) {
		/* Only the workload holds the slave: EIO on the master once it is gone. */
		(void)close(pty_slave);
		pty_slave = -1;
	}
	do
		n = read(errpipe[0], &rec, sizeof(rec));
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		struct ns_msg m;

		(void)waitpid(pid, NULL, 0);
		memset(&m, 0, NS_MSG_SIZE(error));
		m.type = NS_MSG_ERROR;
		m.error = rec;
		m.error.msg[sizeof(m.error.msg) - 1] = '\0';
		m.error.where[sizeof(m.error.where) - 1] = '\0';
		(void)sync_send(sock, &m, NS_MSG_SIZE(error), NULL, 0, 0);
		goto out;
	}
	if (track(pid) < 0) {
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		reply_error(sock, -EMFILE, "track", argv[0]);
		goto out;
	}
	{
		struct ns_msg m;

		memset(&m, 0, NS_MSG_SIZE(exec_ok));
		m.type = NS_MSG_EXEC_OK;
		m.exec_ok.pid = pid;
		/* SCM_CREDENTIALS naming the workload: the kernel translates the
		 * pid into the parent's PID namespace. */
		if (sync_send(sock, &m, NS_MSG_SIZE(exec_ok), pty_master >= 0 ? &pty_master : NULL,
			      pty_master >= 0 ? 1 : 0, pid) < 0)
			kill_all_and_exit();
	}
out:
	if (errpipe[0] >= 0)
		(void)close(errpipe[0]);
	if (pty_slave >= 0)
		(void)close(pty_slave);
	if (pty_master >= 0)
		(void)close(pty_master); /* the parent has its copy */
	(void)munmap(map, map_size);
}

static void reap_children(int sock)
{
	struct ns_msg m;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < MAX_WORKLOADS; i++) {
			if (workloads[i] != pid)
				continue;
			workloads[i] = 0;
			memset(&m, 0, NS_MSG_SIZE(exit));
			m.type = NS_MSG_EXIT;
			m.exit.pid = pid;
			m.exit.status = status;
			if (sync_send(sock, &m, NS_MSG_SIZE(exit), NULL, 0, 0) < 0)
				kill_all_and_exit();
			break;
		}
	}
}

_noreturn_ void ns_init_run(int sock)
{
	struct ns_msg buf;
	struct pollfd pfd[2];
	sigset_t mask;
	int sfd;

	/* init is a clone of the caller: without this, /proc/1/cmdline inside the sandbox
	 * shows the caller's argv (a --config-base64 config included). */
	(void)proctitle_set("mxc-init");

	(void)sigemptyset(&mask);
	(void)sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < ELEMENTSOF(forwarded_signals); i++)
		(void)sigaddset(&mask, forwarded_signals[i]);
	(void)sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		kill_all_and_exit();

	pfd[0] = (struct pollfd){.fd = sock, .events = POLLIN};
	pfd[1] = (struct pollfd){.fd = sfd, .events = POLLIN};
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			kill_all_and_exit();
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					reap_children(sock);
				else
					forward_signal((int)si.ssi_signo);
			}
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			int fds[SYNC_MAX_FDS];
			size_t n_fds = 0;
			ssize_t n;

			n = sync_recv(sock, &buf, sizeof(buf), fds, SYNC_MAX_FDS, &n_fds, NULL,
				      false);
			if (n <= 0)
				kill_all_and_exit();
			if (buf.type == NS_MSG_EXEC &&
			    (n_fds == 3 || (n_fds == 0 && (buf.exec.flags & NS_EXEC_PTY))))
				serve_exec(sock, &buf, fds);
			else if (buf.type == NS_MSG_EXEC)
				reply_error(sock, -EBADMSG, "start", "?");
			else if (buf.type == NS_MSG_SIGNAL)
				forward_signal(buf.signal.sig);
			for (size_t i = 0; i < n_fds; i++)
				(void)close(fds[i]);
		}
	}
}
