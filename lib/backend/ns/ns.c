/* SPDX-License-Identifier: MIT */
/*
 * The namespace backend, parent side. One clone3() creates the child in new
 * user, mount, pid, ipc, uts, cgroup (and net) namespaces; the parent writes
 * its id maps while the child prepares the root filesystem, then the child
 * becomes PID 1 and serves exec/signal requests over the sync socket.
 *
 *   create  : socketpair -> clone3 -> id maps -> GO -> READY | ERROR
 *   exec    : EXEC (+stdio fds) + EXEC_DATA... -> EXEC_OK (host pid) | ERROR
 *   wait    : EXIT records (kept per process) until the one asked for
 *   signal  : SIGNAL
 *   destroy : SIGKILL init through its pidfd (the kernel kills the whole PID
 *             namespace), reap, close
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/netctl.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/strv.h"
#include "ns-internal.h"
#include "os/fd.h"
#include "os/cgroup.h"
#include "os/netns.h"
#include "os/proc.h"
#include "os/sync.h"
#include "os/userns.h"

struct ns_proc {
	pid_t host_pid;
	pid_t ns_pid;
	bool exited;
	int status;
};

struct ns_state {
	int pidfd;	/* owned: init */
	pid_t init_pid; /* host pid of init */
	int sock;	/* owned: parent end of the sync socket */
	bool dead;	/* init is gone */

	/* Copied from the plan (owned). */
	char **argv;
	char **envp;
	char *cwd;
	char *launcher_cwd;

	struct ns_proc *procs; /* owned */
	size_t n_procs;

	struct cgroup *cgroup; /* owned: resource limits; NULL: none */

	struct ns_harden harden; /* seccomp filter, Landlock ABI and rights (owned) */

	struct netctl *net; /* owned: mxc-netd for a filtered network; or NULL */
};

static void ns_state_free(struct ns_state *s)
{
	int status;

	if (!s)
		return;
	if (s->pidfd >= 0) {
		(void)proc_pidfd_signal(s->pidfd, SIGKILL);
		(void)proc_pidfd_reap(s->pidfd, &status);
		(void)close(s->pidfd);
	}
	/* After the sandbox: its network namespace is then torn down by the
	 * kernel in the background, so the stack's tap closes fast. */
	netctl_free(s->net);
	/* Init is reaped, so the kernel has killed its PID namespace. */
	ns_limits_cgroup_teardown(s->cgroup);
	if (s->sock >= 0)
		(void)close(s->sock);
	strv_free(s->argv);
	strv_free(s->envp);
	free(s->cwd);
	free(s->launcher_cwd);
	free(s->procs);
	ns_harden_release(&s->harden);
	free(s);
}
DEFINE_CLEANUP_FUNC(struct ns_state *, ns_state_free)

static int rebuild_error(const struct ns_msg_error *rec, struct mxc_error *reterr)
{
	int code = rec->code < 0 ? rec->code : -EIO;
	enum mxc_error_kind kind =
		rec->kind > 0 ? (enum mxc_error_kind)rec->kind : MXC_ERROR_BACKEND;

	(void)mxc_error_set_type(reterr, code, kind, "backend_error", "%.*s", (int)sizeof(rec->msg),
				 rec->msg);
	if (rec->where[0])
		mxc_error_where(reterr, rec->where, 0, 0);
	return code;
}

/* ---- the child ---------------------------------------------------------- */

static _noreturn_ void child_main(const struct ns_child_args *a)
{
	struct mxc_error e;
	struct ns_msg m;
	uint64_t t0, t1, t2, t3;
	ssize_t n;
	int rootfd = -1, cgroup_error, r;

	memset(&e, 0, sizeof(e));
	t0 = proc_now_usec();
	/* v1: into the sandbox's cgroup before anything else (the fds go below). */
	cgroup_error = ns_limits_cgroup_join(a->cgroup);
	/* PID 1 of the sandbox: dies with the parent; keeps none of its fds. */
	(void)proc_set_pdeathsig(SIGKILL);
	(void)ns_limits_oom_score(a->plan); /* the host's OOM killer picks the sandbox first */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)signal(sig, SIG_DFL);
	(void)fd_close_all_except(a->sock);
	(void)fd_stdio_to_null();

	if (a->plan->net != PLAN_NET_HOST) {
		r = netns_loopback_up();
		if (r < 0) {
			(void)ns_fail(&e, r, "Failed to bring up 'lo' in the sandbox: %s",
				      ns_strerror(r));
			ns_child_die(a->sock, &e);
		}
	}
	if (ns_rootfs_prepare(a, &rootfd, &e) < 0)
		ns_child_die(a->sock, &e);
	t1 = proc_now_usec();

	n = sync_recv(a->sock, &m, NS_MSG_SIZE(ready), NULL, 0, NULL, NULL, false);
	if (n <= 0 || m.type != NS_MSG_GO)
		_exit(1);
	t2 = proc_now_usec();

	if (ns_rootfs_attach(a, rootfd, &e) < 0)
		ns_child_die(a->sock, &e);
	(void)close(rootfd);
	if (ns_harden_init(a, &e) < 0)
		ns_child_die(a->sock, &e);
	t3 = proc_now_usec();
	ns_limits_keep_for_workloads(a->plan);

	memset(&m, 0, NS_MSG_SIZE(ready));
	m.type = NS_MSG_READY;
	m.ready.usec_prepare = t1 - t0;
	m.ready.usec_wait = t2 - t1;
	m.ready.usec_attach = t3 - t2;
	m.ready.cgroup_error = cgroup_error;
	if (sync_send(a->sock, &m, NS_MSG_SIZE(ready), NULL, 0, 0) < 0)
		_exit(1);
	ns_init_run(a->sock);
}

/* ---- create ------------------------------------------------------------- */

static int copy_plan(struct ns_state *s, const struct mxc_plan *p)
{
	s->argv = strv_copy(p->argv);
	s->envp = p->envp ? strv_copy(p->envp) : calloc(1, sizeof(char *));
	if (!s->argv || !s->envp)
		return -ENOMEM;
	if (p->cwd && !(s->cwd = strdup(p->cwd)))
		return -ENOMEM;
	if (p->launcher_cwd && !(s->launcher_cwd = strdup(p->launcher_cwd)))
		return -ENOMEM;
	return 0;
}

static int ns_create(const struct mxc_plan *p, void **ret_state, struct mxc_error *reterr)
{
	_cleanup_(ns_state_freep) struct ns_state *s = NULL;
	_cleanup_free_ struct ns_op_slot *slots = NULL;
	_cleanup_close_ int child_sock = -1;
	uint64_t flags, t0, t1, t2, t3;
	struct ns_child_args args;
	const char *map_file = NULL;
	int fds[2], pid, r;
	struct ns_msg m;
	ssize_t n;

	if (!p || !ret_state || !p->argv || !p->argv[0])
		return mxc_error_set(reterr, -EINVAL, MXC_ERROR_BACKEND, "Invalid sandbox plan");

	t0 = proc_now_usec();
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->pidfd = s->sock = -1;
	r = copy_plan(s, p);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND, "Out of memory");
	slots = calloc(p->n_ops ? p->n_ops : 1, sizeof(*slots));
	if (!slots)
		return mxc_error_set(reterr, -ENOMEM, MXC_ERROR_BACKEND, "Out of memory");
	for (size_t i = 0; i < p->n_ops; i++)
		for (size_t j = 0; j < NS_OP_MAX_FDS; j++)
			slots[i].fd[j] = -1;

	r = ns_harden_prepare(p, &s->harden, reterr);
	if (r < 0)
		return r;

	r = sync_socketpair(true, fds);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to create the sandbox sync socket: %s",
				     ns_strerror(r));
	s->sock = fds[0];
	child_sock = fds[1];

	flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
		CLONE_NEWCGROUP;
	if (p->net != PLAN_NET_HOST)
		flags |= CLONE_NEWNET;
	r = netctl_prepare(p, &s->net, reterr);
	if (r < 0)
		return r == -ENOMEM ? mxc_error_set(reterr, r, MXC_ERROR_BACKEND, "Out of memory")
				    : r;
	r = ns_limits_cgroup_setup(p, &s->cgroup, reterr);
	if (r >= 0)
		r = ns_limits_cgroup_prepare_join(p, &s->cgroup, reterr);
	if (r < 0)
		return r;
	args = (struct ns_child_args){.plan = p,
				      .cgroup = s->cgroup,
				      .slots = slots,
				      .sock = child_sock,
				      .harden = &s->harden,
				      .hosts = netctl_hosts(s->net)};

	pid = proc_clone3_into_cgroup(flags, s->cgroup ? cgroup_dirfd(s->cgroup) : -1, &s->pidfd);
	if (pid < 0)
		return mxc_error_set(reterr, pid, MXC_ERROR_BACKEND,
				     "Failed to create the sandbox namespaces: %s",
				     ns_strerror(pid));
	if (pid == 0)
		child_main(&args);
	s->init_pid = pid;
	t1 = proc_now_usec();
	if (s->cgroup)
		cgroup_close_self_attach(s->cgroup); /* init has its copies */

	r = userns_write_maps(pid, p->uid, p->uid, p->gid, p->gid, geteuid() != 0, &map_file);
	if (r < 0) {
		/* A child that failed early is gone, which is why the maps could
		 * not be written: its own report is the better one. */
		struct pollfd pfd = {.fd = s->sock, .events = POLLIN};

		if (poll(&pfd, 1, 0) > 0) {
			n = sync_recv(s->sock, &m, sizeof(m), NULL, 0, NULL, NULL, false);
			if (n >= (ssize_t)NS_MSG_SIZE(error) && m.type == NS_MSG_ERROR)
				return rebuild_error(&m.error, reterr);
		}
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to write the sandbox's %s: %s", map_file,
				     ns_strerror(r));
	}
	memset(&m, 0, NS_MSG_SIZE(type));
	m.type = NS_MSG_GO;
	r = sync_send(s->sock, &m, NS_MSG_SIZE(type), NULL, 0, 0);
	if (r < 0 && r != -EPIPE)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to talk to the sandbox: %s", ns_strerror(r));
	t2 = proc_now_usec();

	n = sync_recv(s->sock, &m, sizeof(m), NULL, 0, NULL, NULL, false);
	if (n > 0 && m.type == NS_MSG_ERROR && (size_t)n >= NS_MSG_SIZE(error))
		return rebuild_error(&m.error, reterr);
	if (n <= 0 || m.type != NS_MSG_READY)
		return mxc_error_set(reterr, n < 0 ? (int)n : -EIO, MXC_ERROR_BACKEND,
				     "The sandbox exited during setup");
	r = ns_limits_cgroup_joined(p, s->cgroup, m.ready.cgroup_error, reterr);
	if (r < 0)
		return r;
	/* The network policy is in place before anything of the workload runs. */
	r = netctl_start(s->net, s->init_pid, reterr);
	if (r < 0)
		return r;
	t3 = proc_now_usec();

	log_debug(
		"ns: clone3 %llu us, id maps %llu us, root filesystem %llu us "
		"(child: prepare %llu us, waited for maps %llu us, attach %llu us), total %llu us",
		(unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1),
		(unsigned long long)(t3 - t2), (unsigned long long)m.ready.usec_prepare,
		(unsigned long long)m.ready.usec_wait, (unsigned long long)m.ready.usec_attach,
		(unsigned long long)(t3 - t0));
	*ret_state = TAKE_PTR(s);
	return 0;
}

/* ---- messages from init -------------------------------------------------- */

static struct ns_proc *find_proc(struct ns_state *s, pid_t host_pid)
{
	for (size_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].host_pid == host_pid)
			return &s->procs[i];
	return NULL;
}

/* Receive one message from init (blocking unless poll said it is there).
 * EXIT records are filed; the message is left in *m for the caller, and an
 * fd that came with it in *ret_fd (may be NULL: closed; -1 if none). */
static int recv_from_init(struct ns_state *s, struct ns_msg *m, pid_t *ret_pid, int *ret_fd,
			  struct mxc_error *reterr)
{
	int fd = -1;
	ssize_t n;

	n = sync_recv(s->sock, m, sizeof(*m), ret_fd ? &fd : NULL, ret_fd ? 1 : 0, NULL, ret_pid,
		      false);
	if (ret_fd)
		*ret_fd = fd;
	if (n <= 0) {
		s->dead = true;
		return mxc_error_set(reterr, n < 0 ? (int)n : -ECHILD, MXC_ERROR_BACKEND,
				     "The sandbox's init process exited unexpectedly");
	}
	if (m->type == NS_MSG_EXIT) {
		for (size_t i = 0; i < s->n_procs; i++)
			if (s->procs[i].ns_pid == m->exit.pid && !s->procs[i].exited) {
				s->procs[i].exited = true;
				s->procs[i].status = m->exit.status;
				break;
			}
	}
	return 0;
}

/* ---- exec --------------------------------------------------------------- */

static int pack_strings(const char *const *argv, const char *const *envp, const char *cwd,
			char **ret, size_t *ret_len)
{
	size_t len = strlen(cwd) + 1, off = 0;
	char *buf;

	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	for (size_t i = 0; envp[i]; i++)
		len += strlen(envp[i]) + 1;
	if (len > (256u << 20))
		return -E2BIG;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; argv[i]; i++)
		off += (size_t)stpcpy(buf + off, argv[i]) - (size_t)(buf + off) + 1;
	for (size_t i = 0; envp[i]; i++)
		off += (size_t)stpcpy(buf + off, envp[i]) - (size_t)(buf + off) + 1;
	(void)strcpy(buf + off, cwd);
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int ns_exec(void *state, const struct mxc_exec_spec *spec, struct mxc_error *reterr)
{
	struct ns_state *s = state;
	const char *const *argv = spec->argv ? spec->argv : (const char *const *)s->argv;
	const char *const *envp = spec->envp ? spec->envp : (const char *const *)s->envp;
	const char *cwd = spec->cwd ? spec->cwd : s->cwd;
	_cleanup_close_ int null0 = -1, null1 = -1, null2 = -1;
	int *nulls[3] = {&null0, &null1, &null2};
	_cleanup_free_ char *data = NULL;
	_cleanup_free_ struct ns_msg_chunk *chunk = NULL;
	struct ns_proc *procs;
	struct ns_msg m;
	uint64_t t0 = proc_now_usec();
	size_t len = 0, argc = 0, envc = 0;
	_cleanup_close_ int pty_master = -1;
	pid_t host_pid = 0;
	int stdio[3], r;

	if (!argv || !argv[0])
		return mxc_error_set(reterr, -EINVAL, MXC_ERROR_BACKEND, "No command to execute");
	if (s->dead)
		return mxc_error_set(reterr, -ESRCH, MXC_ERROR_BACKEND,
				     "The sandbox is not running");
	memset(&m, 0, sizeof(m));
	if (spec->pty && !spec->ret_pty_master)
		return mxc_error_set(reterr, -EINVAL, MXC_ERROR_BACKEND,
				     "A pty needs somewhere to return its master");
	if (cwd)
		m.exec.flags = NS_EXEC_CWD_STRICT;
	else
		cwd = s->launcher_cwd ? s->launcher_cwd : "/";
	if (spec->pty) {
		m.exec.flags |= NS_EXEC_PTY;
		m.exec.pty_rows = spec->pty_rows;
		m.exec.pty_cols = spec->pty_cols;
	}
	chunk = malloc(sizeof(*chunk));
	if (!chunk)
		return mxc_error_set(reterr, -ENOMEM, MXC_ERROR_BACKEND, "Out of memory");
	r = pack_strings(argv, envp, cwd, &data, &len);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND, "Failed to start '%s': %s",
				     argv[0], ns_strerror(r));
	for (int i = 0; i < 3; i++) {
		stdio[i] = spec->stdio[i];
		if (stdio[i] >= 0)
			continue;
		*nulls[i] = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (*nulls[i] < 0)
			return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
					     "Failed to open '/dev/null': %s", ns_strerror(errno));
		stdio[i] = *nulls[i];
	}
	procs = realloc(s->procs, (s->n_procs + 1) * sizeof(*procs));
	if (!procs)
		return mxc_error_set(reterr, -ENOMEM, MXC_ERROR_BACKEND, "Out of memory");
	s->procs = procs;

	while (argv[argc])
		argc++;
	while (envp[envc])
		envc++;
	m.type = NS_MSG_EXEC;
	m.exec.argc = (uint32_t)argc;
	m.exec.envc = (uint32_t)envc;
	m.exec.data_len = (uint32_t)len;
	r = sync_send(s->sock, &m, NS_MSG_SIZE(exec), stdio, spec->pty ? 0 : 3, 0);
	for (size_t off = 0; r >= 0 && off < len; off += NS_CHUNK_SIZE) {
		size_t k = len - off < NS_CHUNK_SIZE ? len - off : NS_CHUNK_SIZE;

		chunk->type = NS_MSG_EXEC_DATA;
		chunk->pad = 0;
		memcpy(chunk->data, data + off, k);
		r = sync_send(s->sock, chunk, offsetof(struct ns_msg_chunk, data) + k, NULL, 0, 0);
	}
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to send the exec request to the sandbox: %s",
				     ns_strerror(r));

	for (;;) {
		r = recv_from_init(s, &m, &host_pid, &pty_master, reterr);
		if (r < 0)
			return r;
		if (m.type == NS_MSG_ERROR)
			return rebuild_error(&m.error, reterr);
		if (m.type == NS_MSG_EXEC_OK)
			break;
		if (pty_master >= 0)
			(void)close(TAKE_FD(pty_master));
	}
	if (host_pid <= 0)
		return mxc_error_set(reterr, -EIO, MXC_ERROR_BACKEND,
				     "The sandbox did not report the process id of '%s'", argv[0]);
	if (spec->pty && pty_master < 0)
		return mxc_error_set(reterr, -EIO, MXC_ERROR_BACKEND,
				     "The sandbox did not pass the pseudo-terminal of '%s'",
				     argv[0]);
	s->procs[s->n_procs++] = (struct ns_proc){.host_pid = host_pid, .ns_pid = m.exec_ok.pid};
	if (spec->pty)
		*spec->ret_pty_master = TAKE_FD(pty_master);
	log_debug("ns: exec '%s' -> pid %d (%d in the sandbox) in %llu us", argv[0], (int)host_pid,
		  (int)m.exec_ok.pid, (unsigned long long)(proc_now_usec() - t0));
	return host_pid;
}

/* ---- wait, signal, destroy ---------------------------------------------- */

static int ns_wait(void *state, int pid, int timeout_ms, int *ret_status, struct mxc_error *reterr)
{
	struct ns_state *s = state;
	uint64_t deadline = 0;
	struct ns_msg m;
	size_t idx;

	if (!find_proc(s, pid))
		return mxc_error_set(reterr, -ESRCH, MXC_ERROR_BACKEND,
				     "No process %d was started in the sandbox", pid);
	if (timeout_ms >= 0)
		deadline = proc_now_usec() + (uint64_t)timeout_ms * 1000u;
	for (;;) {
		struct ns_proc *proc = find_proc(s, pid);
		struct pollfd pfd = {.fd = s->sock, .events = POLLIN};
		int wait_ms = -1, r;

		if (proc->exited) {
			if (ret_status)
				*ret_status = proc->status;
			idx = (size_t)(proc - s->procs);
			memmove(&s->procs[idx], &s->procs[idx + 1],
				(s->n_procs - idx - 1) * sizeof(*s->procs));
			s->n_procs--;
			return 0;
		}
		if (s->dead)
			return mxc_error_set(reterr, -ECHILD, MXC_ERROR_BACKEND,
					     "The sandbox's init process exited unexpectedly");
		if (timeout_ms >= 0) {
			uint64_t now = proc_now_usec();

			if (now >= deadline)
				return mxc_error_set_type(reterr, -ETIMEDOUT, MXC_ERROR_TIMEOUT,
							  NULL, "script timed out after %dms",
							  timeout_ms);
			wait_ms = (int)((deadline - now + 999) / 1000);
		}
		r = poll(&pfd, 1, wait_ms);
		if (r < 0) {
			if (errno == EINTR)
				return -EINTR;
			return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
					     "Failed to wait for the sandbox: %s",
					     ns_strerror(errno));
		}
		if (r > 0) {
			r = recv_from_init(s, &m, NULL, NULL, reterr);
			if (r < 0)
				return r;
		}
	}
}

static int ns_signal(void *state, int sig)
{
	struct ns_state *s = state;
	struct ns_msg m;

	if (s->dead)
		return -ESRCH;
	if (sig <= 0 || sig >= NSIG)
		return -EINVAL;
	memset(&m, 0, NS_MSG_SIZE(signal));
	m.type = NS_MSG_SIGNAL;
	m.signal.sig = sig;
	return sync_send(s->sock, &m, NS_MSG_SIZE(signal), NULL, 0, 0);
}

static void ns_destroy(void *state)
{
	uint64_t t0 = proc_now_usec();

	ns_state_free(state);
	log_debug("ns: destroy %llu us", (unsigned long long)(proc_now_usec() - t0));
}

static int ns_probe(struct mxc_error *reterr)
{
	int r = userns_probe();

	if (r < 0)
		return mxc_error_set_type(reterr, r, MXC_ERROR_BACKEND, "backend_unavailable",
					  "User namespaces are not usable on this host (%s); check "
					  "/proc/sys/user/max_user_namespaces and "
					  "/proc/sys/kernel/unprivileged_userns_clone",
					  ns_strerror(r));
	return 0;
}

const struct backend_ops backend_namespaces = {
	.name = "namespaces",
	.probe = ns_probe,
	.create = ns_create,
	.exec = ns_exec,
	.wait = ns_wait,
	.signal = ns_signal,
	.destroy = ns_destroy,
};
