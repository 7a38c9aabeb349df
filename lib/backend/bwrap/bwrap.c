/* SPDX-License-Identifier: MIT */
/*
 * The bubblewrap backend: runs the plan's bwrap argv (bwrap-argv.c).
 *
 *   create  : find bwrap on PATH, probe `bwrap --version` (>= 0.5.0, fail
 *             closed), compile the seccomp filter into a sealed memfd, create
 *             the sandbox's cgroup (as the namespace backend does)
 *   exec    : one process: clone (into the cgroup) -> parent-death signal,
 *             OOM score, rlimits, stdio, the filter on fd 3 and the info
 *             pipe on fd 4, every other fd closed -> exec bwrap; read
 *             {"child-pid": N} from the info pipe and keep a pidfd on N,
 *             bwrap's PID 1 of the sandbox
 *   wait    : the outer bwrap's status (bwrap passes the workload's on,
 *             128+N for signal N)
 *   signal  : to the outer bwrap (it dies; --die-with-parent takes PID 1,
 *             and with it the whole PID namespace)
 *   destroy : SIGKILL the outer bwrap and PID 1, wait until PID 1 is gone
 *             (the kernel has then killed every process of the PID
 *             namespace), kill what is left in the cgroup and remove it
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/netctl.h"
#include "backend/ns/ns-internal.h"
#include "bwrap.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/macro.h"
#include "core/strv.h"
#include "os/cgroup.h"
#include "os/fd.h"
#include "os/proc.h"
#include "os/seccomp.h"

extern char **environ;

#define INSTALL_HINT                                                                               \
	"Install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) "  \
	"or use \"containment\": \"process\" (mxc's namespace sandbox)."

struct bw_state {
	char *path;  /* bwrap's absolute path */
	char **argv; /* the plan's bwrap argv (owned copy) */
	int seccomp_fd;
	struct mxc_plan *limits; /* only .limits is set: for the rlimits in the child */
	struct cgroup *cgroup;	 /* NULL: none */
	bool cgroup_v1;

	struct netctl *net; /* owned: mxc-netd for a filtered network; or NULL */

	pid_t pid; /* the outer bwrap */
	int pidfd;
	int pid1_fd; /* pidfd of bwrap's PID 1 of the sandbox, -1 unknown */
	bool reaped;
};

static void bw_state_free(struct bw_state *s)
{
	int status;

	if (!s)
		return;
	if (s->pidfd >= 0) {
		if (!s->reaped) {
			(void)proc_pidfd_signal(s->pidfd, SIGKILL);
			(void)proc_pidfd_reap(s->pidfd, &status);
		}
		(void)close(s->pidfd);
	}
	if (s->pid1_fd >= 0) {
		/* --die-with-parent already sent it SIGKILL; make sure, then wait until the
		 * kernel has emptied its PID namespace (PID 1 exits last). */
		struct pollfd pfd = {.fd = s->pid1_fd, .events = POLLIN};

		(void)proc_pidfd_signal(s->pid1_fd, SIGKILL);
		if (poll(&pfd, 1, 10000) <= 0)
			log_warning("WARNING: bwrap's PID 1 of the sandbox did not exit");
		(void)close(s->pid1_fd);
	}
	/* After the sandbox (see ns.c): the stack's tap then closes fast. */
	netctl_free(s->net);
	ns_limits_cgroup_teardown(s->cgroup);
	if (s->seccomp_fd >= 0)
		(void)close(s->seccomp_fd);
	free(s->path);
	strv_free(s->argv);
	free(s->limits);
	free(s);
}
DEFINE_CLEANUP_FUNC(struct bw_state *, bw_state_free)

/* ---- finding and probing bwrap ------------------------------------------ */

static int find_bwrap(char **ret)
{
	const char *path = getenv("PATH");
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char buf[4096];
		struct stat st;

		if (*dir != '/' || snprintf(buf, sizeof(buf), "%s/bwrap", dir) >= (int)sizeof(buf))
			continue;
		if (stat(buf, &st) < 0 || !S_ISREG(st.st_mode) || access(buf, X_OK) < 0)
			continue;
		*ret = strdup(buf);
		return *ret ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

/* Run `path --version`; its stdout (NUL-terminated) in buf. */
static int run_version(const char *path, char *buf, size_t len)
{
	int p[2], status = 0;
	size_t off = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int r = -errno;
		(void)close(p[0]);
		(void)close(p[1]);
		return r;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		const int fds[3] = {null, p[1], null};
		char *const argv[] = {(char *)"bwrap", (char *)"--version", NULL};

		if (null < 0 || fd_install_stdio(fds) < 0)
			_exit(126);
		execve(path, argv, environ);
		_exit(127);
	}
	(void)close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], buf + off, len - 1 - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
		if (off >= len - 1)
			break;
	}
	buf[off] = '\0';
	(void)close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126)
		return -ENOEXEC;
	return 0;
}

static int probe_bwrap(char **ret_path, struct mxc_error *reterr)
{
	_cleanup_free_ char *path = NULL;
	unsigned maj, min, pat;
	char out[256], esc[128];
	int r;

	r = find_bwrap(&path);
	if (r == -ENOMEM)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND, "Out of memory");
	if (r < 0)
		return mxc_error_set_type(
			reterr, -ENOENT, MXC_ERROR_BACKEND, "backend_unavailable",
			"Bubblewrap (bwrap) is not installed or not on PATH. "
			"The bubblewrap backend needs bwrap 0.5.0 or newer. " INSTALL_HINT);
	r = run_version(path, out, sizeof(out));
	if (r < 0)
		return mxc_error_set_type(reterr, -ENOENT, MXC_ERROR_BACKEND, "backend_unavailable",
					  "Bubblewrap (bwrap) is not installed or not on PATH: '%s "
					  "--version' failed. " INSTALL_HINT,
					  path);
	out[strcspn(out, "\n")] = '\0';
	mxc_escape_diag(esc, sizeof(esc), out);
	if (bwrap_version_parse(out, &maj, &min, &pat) < 0)
		return mxc_error_set_type(reterr, -EPROTO, MXC_ERROR_BACKEND, "backend_unavailable",
					  "Bubblewrap (bwrap) at %s reported a version mxc cannot "
					  "parse ('%s'); refusing to run. " INSTALL_HINT,
					  path, esc);
	if (!bwrap_version_ok(maj, min, pat))
		return mxc_error_set_type(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND,
					  "backend_unavailable",
					  "Bubblewrap (bwrap) %u.%u.%u at %s is too old: version "
					  "0.5.0 or newer is required. " INSTALL_HINT,
					  maj, min, pat, path);
	log_debug("bwrap: %s, version %u.%u.%u", path, maj, min, pat);
	*ret_path = TAKE_PTR(path);
	return 0;
}

/* ---- create ------------------------------------------------------------- */

/* The filter as bwrap reads it: the sock_filter array, nothing else. */
static int seccomp_memfd(struct mxc_error *reterr)
{
	struct sock_fprog prog = {0};
	_cleanup_close_ int fd = -1;
	size_t len, off = 0;
	int r;

	r = seccomp_sandbox_build(EPERM, &prog);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to build the seccomp filter: %s", strerror(-r));
	len = (size_t)prog.len * sizeof(*prog.filter);
	fd = memfd_create("mxc-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		r = -errno;
		seccomp_prog_free(&prog);
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
				     "Failed to create the seccomp memfd: %s", strerror(-r));
	}
	while (off < len) {
		ssize_t n = write(fd, (const char *)prog.filter + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			seccomp_prog_free(&prog);
			return mxc_error_set(reterr, r, MXC_ERROR_BACKEND,
					     "Failed to write the seccomp filter: %s",
					     strerror(-r));
		}
		off += (size_t)n;
	}
	seccomp_prog_free(&prog);
	(void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
				     "Failed to rewind the seccomp memfd: %s", strerror(errno));
	return TAKE_FD(fd);
}

static bool path_under(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);

	if (streq(prefix, "/"))
		return true;
	return strncmp(prefix, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Will bwrap find the plan's cwd inside? (It would otherwise exit 1 with "Can't chdir";
 * the namespace backend's answer is exit 255 with this message, so is ours.) */
static int check_cwd(const struct mxc_plan *p, struct mxc_error *reterr)
{
	const struct plan_op *cover = NULL;
	bool visible = false;
	struct stat st;

	if (!p->cwd)
		return 0;
	for (size_t i = 0; i < p->n_ops; i++) {
		if (path_under(p->cwd, p->ops[i].dst) && p->ops[i].kind != PLAN_MASK_FILE &&
		    p->ops[i].kind != PLAN_SYMLINK)
			visible = true; /* a mount point at or below it: bwrap creates it */
		if (path_under(p->ops[i].dst, p->cwd))
			cover = &p->ops[i];
	}
	if (!visible && cover) {
		switch (cover->kind) {
		case PLAN_BIND: {
			char host[4096];

			if (snprintf(host, sizeof(host), "%s%s", cover->src,
				     p->cwd + strlen(cover->dst)) < (int)sizeof(host))
				visible = stat(host, &st) == 0 && S_ISDIR(st.st_mode);
			break;
		}
		case PLAN_DEV:
		case PLAN_PROC:
			visible = true; /* let bwrap decide */
			break;
		default:
			break;
		}
	}
	if (visible || streq(p->cwd, "/"))
		return 0;
	(void)mxc_error_set(reterr, -ENOENT, MXC_ERROR_BACKEND,
			    "Failed to change directory to '%s' in the sandbox: %s", p->cwd,
			    strerror(ENOENT));
	mxc_error_where(reterr, p->cwd, 0, 0);
	return -ENOENT;
}

static int bw_create(const struct mxc_plan *p, void **ret_state, struct mxc_error *reterr)
{
	_cleanup_(bw_state_freep) struct bw_state *s = NULL;
	uint64_t t0 = proc_now_usec(), t1;
	int r;

	if (!p || !ret_state || !p->bwrap_argv || !p->bwrap_argv[0])
		return mxc_error_set(reterr, -EINVAL, MXC_ERROR_BACKEND,
				     "Invalid sandbox plan: no bwrap argument vector");
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->seccomp_fd = s->pidfd = s->pid1_fd = -1;
	s->argv = strv_copy(p->bwrap_argv);
	s->limits = calloc(1, sizeof(*s->limits));
	if (!s->argv || !s->limits)
		return mxc_error_set(reterr, -ENOMEM, MXC_ERROR_BACKEND, "Out of memory");
	s->limits->limits = p->limits;

	r = check_cwd(p, reterr);
	if (r < 0)
		return r;
	r = probe_bwrap(&s->path, reterr);
	if (r < 0)
		return r;
	r = netctl_prepare(p, &s->net, reterr);
	if (r < 0)
		return r == -ENOMEM ? mxc_error_set(reterr, r, MXC_ERROR_BACKEND, "Out of memory")
				    : r;
	t1 = proc_now_usec();
	r = seccomp_memfd(reterr);
	if (r < 0)
		return r;
	s->seccomp_fd = r;
	r = ns_limits_cgroup_setup(p, &s->cgroup, reterr);
	if (r < 0)
		return r;
	s->cgroup_v1 = s->cgroup && cgroup_dirfd(s->cgroup) < 0;
	log_debug("bwrap: probe %llu us, seccomp and cgroup %llu us", (unsigned long long)(t1 - t0),
		  (unsigned long long)(proc_now_usec() - t1));
	*ret_state = TAKE_PTR(s);
	return 0;
}

/* ---- exec --------------------------------------------------------------- */

static _noreturn_ void child_exec(struct bw_state *s, const int stdio[3], int info_w, int block_r,
				  int hosts_fd, pid_t parent)
{
	struct mxc_error e;
	int sec, info, block = -1, hosts = -1, last = BWRAP_INFO_FD;

	/* Dies with mxc; bwrap's own --die-with-parent takes the sandbox with it. */
	if (proc_set_pdeathsig(SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)signal(sig, SIG_DFL);
	{
		sigset_t none;
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
	}
	memset(&e, 0, sizeof(e));
	(void)ns_limits_oom_score(s->limits);
	/* v1: move ourselves (fast: no pid write to cgroup.procs, see os/cgroup.h). */
	if (s->cgroup_v1 && ns_limits_cgroup_join(s->cgroup) < 0)
		_exit(1);
	if (ns_limits_apply_rlimits(s->limits, &e) < 0)
		_exit(1);
	/* Out of the way of 0-4 first, then into place. */
	sec = fcntl(s->seccomp_fd, F_DUPFD_CLOEXEC, 10);
	info = fcntl(info_w, F_DUPFD_CLOEXEC, 10);
	if (block_r >= 0 && (block = fcntl(block_r, F_DUPFD_CLOEXEC, 10)) < 0)
		_exit(1);
	if (hosts_fd >= 0 && (hosts = fcntl(hosts_fd, F_DUPFD_CLOEXEC, 10)) < 0)
		_exit(1);
	if (sec < 0 || info < 0 || fd_install_stdio(stdio) < 0)
		_exit(1);
	if (dup2(sec, BWRAP_SECCOMP_FD) < 0 || dup2(info, BWRAP_INFO_FD) < 0)
		_exit(1);
	if (block >= 0 && dup2(block, (last = BWRAP_BLOCK_FD)) < 0)
		_exit(1);
	if (hosts >= 0 && dup2(hosts, (last = BWRAP_HOSTS_FD)) < 0)
		_exit(1);
	if (syscall(SYS_close_range, last + 1, ~0U, 0) < 0)
		(void)fd_close_all_except(-1); /* not reached on Linux >= 5.9 */
	/* An empty environment: bwrap's PID 1 stays in the sandbox, and its
	 * /proc/1/environ would show the caller's (upstream passes it on). */
	execve(s->path, s->argv, (char *[]){NULL});
	_exit(127);
}

/* bwrap's --info-fd: {"child-pid": N, ...}; N is PID 1 of the sandbox. */
static pid_t read_child_pid(int fd)
{
	char buf[512];
	size_t off = 0;
	const char *k;

	while (off < sizeof(buf) - 1) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, 10000) <= 0)
			break;
		n = read(fd, buf + off, sizeof(buf) - 1 - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
		buf[off] = '\0';
		if (strchr(buf, '}'))
			break;
	}
	buf[off] = '\0';
	k = strstr(buf, "\"child-pid\"");
	if (!k || !(k = strchr(k, ':')))
		return -1;
	return (pid_t)strtol(k + 1, NULL, 10);
}

static int bw_exec(void *state, const struct mxc_exec_spec *spec, struct mxc_error *reterr)
{
	struct bw_state *s = state;
	_cleanup_close_ int null0 = -1, null1 = -1, null2 = -1, info_r = -1, info_w = -1;
	_cleanup_close_ int block_r = -1, block_w = -1, hosts_fd = -1;
	int *nulls[3] = {&null0, &null1, &null2};
	uint64_t t0 = proc_now_usec();
	int stdio[3], fds[2], pidfd = -1, pid;
	pid_t pid1;

	if (spec->pty)
		return mxc_error_set_type(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND,
					  "backend_unavailable",
					  "--pty is not supported by the bubblewrap backend; use "
					  "\"containment\": \"process\" (mxc's namespace sandbox)");
	if (spec->argv || spec->envp || spec->cwd)
		return mxc_error_set(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND,
				     "The bubblewrap backend runs only the plan's command");
	if (s->pidfd >= 0)
		return mxc_error_set(reterr, -EBUSY, MXC_ERROR_BACKEND,
				     "The bubblewrap backend runs one command per sandbox");
	for (int i = 0; i < 3; i++) {
		stdio[i] = spec->stdio[i];
		if (stdio[i] >= 0)
			continue;
		*nulls[i] = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (*nulls[i] < 0)
			return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
					     "Failed to open '/dev/null': %s", strerror(errno));
		stdio[i] = *nulls[i];
	}
	if (s->cgroup_v1) {
		int r = ns_limits_cgroup_prepare_join(s->limits, &s->cgroup, reterr);
		if (r < 0)
			return r;
		s->cgroup_v1 = s->cgroup != NULL;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
				     "Failed to create the bwrap info pipe: %s", strerror(errno));
	info_r = fds[0];
	info_w = fds[1];
	if (s->net) {
		const char *hosts = netctl_hosts(s->net);

		if (pipe2(fds, O_CLOEXEC) < 0)
			return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
					     "Failed to create the bwrap block pipe: %s",
					     strerror(errno));
		block_r = fds[0];
		block_w = fds[1];
		if (hosts) {
			size_t len = strlen(hosts);
			hosts_fd = memfd_create("mxc-hosts", MFD_CLOEXEC);
			if (hosts_fd < 0 || write(hosts_fd, hosts, len) != (ssize_t)len ||
			    lseek(hosts_fd, 0, SEEK_SET) != 0)
				return mxc_error_set(reterr, -EIO, MXC_ERROR_BACKEND,
						     "Failed to prepare the pinned /etc/hosts");
		}
	}

	pid = proc_clone3_into_cgroup(0, s->cgroup && !s->cgroup_v1 ? cgroup_dirfd(s->cgroup) : -1,
				      &pidfd);
	if (pid < 0)
		return mxc_error_set(reterr, pid, MXC_ERROR_BACKEND, "Failed to start bwrap: %s",
				     strerror(-pid));
	if (pid == 0)
		child_exec(s, stdio, info_w, block_r, hosts_fd, (pid_t)syscall(SYS_getppid));
	if (s->cgroup_v1)
		cgroup_close_self_attach(s->cgroup); /* the child holds its own copies */
	s->pid = pid;
	s->pidfd = pidfd;
	(void)close(TAKE_FD(info_w));

	pid1 = read_child_pid(info_r);
	if (pid1 > 0) {
		s->pid1_fd = (int)syscall(SYS_pidfd_open, pid1, 0);
		if (s->pid1_fd < 0)
			log_debug("bwrap: pidfd_open(%d) of the sandbox's PID 1: %s", (int)pid1,
				  strerror(errno));
	}
	if (s->net) {
		/* bwrap waits on the block fd: the rules go in before the command runs. */
		int r = pid1 > 0 ? netctl_start(s->net, pid1, reterr)
				 : mxc_error_set(reterr, -EIO, MXC_ERROR_BACKEND,
						 "bwrap did not report the sandbox's PID 1; mxc "
						 "cannot set up its network policy");
		if (r < 0) {
			/* Kill before block_w closes: EOF on the block fd releases bwrap. */
			if (s->pid1_fd >= 0)
				(void)proc_pidfd_signal(s->pid1_fd, SIGKILL);
			(void)proc_pidfd_signal(s->pidfd, SIGKILL);
			return r;
		}
		if (write(block_w, "g", 1) != 1)
			return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
					     "Failed to release bwrap: %s", strerror(errno));
	}
	log_debug("bwrap: started %d (PID 1 of the sandbox: host pid %d) in %llu us", pid,
		  (int)pid1, (unsigned long long)(proc_now_usec() - t0));
	return pid;
}

/* ---- wait, signal, destroy ---------------------------------------------- */

static int bw_wait(void *state, int pid, int timeout_ms, int *ret_status, struct mxc_error *reterr)
{
	struct bw_state *s = state;
	struct pollfd pfd;
	int r, status = 0;

	if (pid != s->pid || s->pidfd < 0 || s->reaped)
		return mxc_error_set(reterr, -ESRCH, MXC_ERROR_BACKEND,
				     "No process %d was started in the sandbox", pid);
	pfd = (struct pollfd){.fd = s->pidfd, .events = POLLIN};
	r = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (r < 0) {
		if (errno == EINTR)
			return -EINTR;
		return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
				     "Failed to wait for bwrap: %s", strerror(errno));
	}
	if (r == 0)
		return mxc_error_set_type(reterr, -ETIMEDOUT, MXC_ERROR_TIMEOUT, NULL,
					  "script timed out after %dms", timeout_ms);
	r = proc_pidfd_reap(s->pidfd, &status);
	if (r < 0)
		return mxc_error_set(reterr, r, MXC_ERROR_BACKEND, "Failed to reap bwrap: %s",
				     strerror(-r));
	s->reaped = true;
	if (ret_status)
		*ret_status = status;
	return 0;
}

static int bw_signal(void *state, int sig)
{
	struct bw_state *s = state;

	if (s->pidfd < 0 || s->reaped)
		return -ESRCH;
	if (sig <= 0 || sig >= NSIG)
		return -EINVAL;
	return proc_pidfd_signal(s->pidfd, sig);
}

static void bw_destroy(void *state)
{
	uint64_t t0 = proc_now_usec();

	bw_state_free(state);
	log_debug("bwrap: destroy %llu us", (unsigned long long)(proc_now_usec() - t0));
}

static int bw_probe(struct mxc_error *reterr)
{
	_cleanup_free_ char *path = NULL;

	return probe_bwrap(&path, reterr);
}

const struct backend_ops backend_bubblewrap = {
	.name = "bubblewrap",
	.finish_plan = bwrap_plan_finish,
	.probe = bw_probe,
	.create = bw_create,
	.exec = bw_exec,
	.wait = bw_wait,
	.signal = bw_signal,
	.destroy = bw_destroy,
};
