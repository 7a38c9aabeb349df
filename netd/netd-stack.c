/* SPDX-License-Identifier: MIT */
/*
 * The user-mode stack: slirp4netns or pasta attached to the sandbox's netns
 * (docs/network.md, "User-mode stack", says why these flags and which one).
 * Started from a child of netd that dies with netd (PR_SET_PDEATHSIG), stdin
 * and stdout /dev/null, stderr a pipe netd reads; netd waits at most 5 s for
 * it to be ready and fails closed with its stderr otherwise.
 */
#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "netd.h"

#define STACK_READY_MS 5000
#define STACK_ERR_MAX  2048

int netd_find_exe(const char *name, char *buf, size_t len)
{
	static const char *const sys_dirs[] = {"/usr/bin", "/bin", "/usr/sbin", "/sbin"};
	const char *path = getenv("PATH");

	if (path) {
		for (const char *p = path; *p;) {
			size_t n = strcspn(p, ":");

			if (n > 0 && p[0] == '/' &&
			    (size_t)snprintf(buf, len, "%.*s/%s", (int)n, p, name) < len &&
			    access(buf, X_OK) == 0)
				return 0;
			p += n + (p[n] == ':' ? 1 : 0);
		}
	}
	for (size_t i = 0; i < ELEMENTSOF(sys_dirs); i++)
		if ((size_t)snprintf(buf, len, "%s/%s", sys_dirs[i], name) < len &&
		    access(buf, X_OK) == 0)
			return 0;
	return -ENOENT;
}

/* Does the host (netd's netns) have a default route of this family on an
 * interface other than lo? Read from /proc/net, which is netd's netns. */
static bool host_default_route(int family)
{
	_cleanup_fclose_ FILE *f =
		fopen(family == AF_INET ? "/proc/net/route" : "/proc/net/ipv6_route", "re");
	char line[512];

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *field[10], *save = NULL, *tok = strtok_r(line, " \t\n", &save);
		size_t n = 0;

		while (tok && n < ELEMENTSOF(field)) {
			field[n++] = tok;
			tok = strtok_r(NULL, " \t\n", &save);
		}
		/* route: Iface Destination Gateway Flags RefCnt Use Metric Mask ...
		 * ipv6_route: dst dst_len src src_len nexthop metric ref use flags dev */
		if (family == AF_INET && n >= 8 && streq(field[1], "00000000") &&
		    (strtoul(field[3], NULL, 16) & 1) && strtoul(field[7], NULL, 16) == 0 &&
		    !streq(field[0], "lo"))
			return true;
		if (family == AF_INET6 && n >= 10 && strspn(field[0], "0") == 32 &&
		    strtoul(field[1], NULL, 16) == 0 && (strtoul(field[8], NULL, 16) & 1) &&
		    !streq(field[9], "lo"))
			return true;
	}
	return false;
}

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The stack's stderr so far, as one line (for the error reply). */
struct errbuf {
	char text[STACK_ERR_MAX];
	size_t len;
};

static void errbuf_read(struct errbuf *b, int fd)
{
	char tmp[1024];
	ssize_t n;

	while ((n = read(fd, tmp, sizeof(tmp))) > 0) {
		for (ssize_t i = 0; i < n && b->len + 1 < sizeof(b->text); i++) {
			unsigned char c = (unsigned char)tmp[i];

			if (c == '\n')
				c = ';';
			else if (c < 0x20 || c == 0x7f)
				c = ' ';
			b->text[b->len++] = (char)c;
		}
		b->text[b->len] = '\0';
	}
}

static const char *errbuf_text(struct errbuf *b)
{
	while (b->len > 0 && (b->text[b->len - 1] == ';' || b->text[b->len - 1] == ' '))
		b->text[--b->len] = '\0';
	return b->len ? b->text : "no output";
}

/* In the child: fds 0-2 (and 3-4 for slirp4netns) in place, the owner of the
 * sandbox's network namespace on 5 (named /proc/self/fd/5 in argv), the rest
 * closed. */
static _noreturn_ void exec_stack(const char *exe, char *const *argv, pid_t netd, int err_w,
				  int ready_w, int exit_r, int userns_fd)
{
	static char *const envp[] = {NULL};
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != netd || null < 0)
		_exit(127);
	/* Move the sources above the targets first so dup2 never clobbers one. */
	err_w = fcntl(err_w, F_DUPFD_CLOEXEC, 10);
	if (userns_fd >= 0)
		userns_fd = fcntl(userns_fd, F_DUPFD_CLOEXEC, 10);
	if (ready_w >= 0)
		ready_w = fcntl(ready_w, F_DUPFD_CLOEXEC, 10);
	if (exit_r >= 0)
		exit_r = fcntl(exit_r, F_DUPFD_CLOEXEC, 10);
	if (err_w < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(err_w, 2) < 0)
		_exit(127);
	if (ready_w >= 0 && dup2(ready_w, 3) < 0)
		_exit(127);
	if (exit_r >= 0 && dup2(exit_r, 4) < 0)
		_exit(127);
	if (userns_fd >= 0 && dup2(userns_fd, 5) < 0)
		_exit(127);
	if (syscall(SYS_close_range, userns_fd >= 0 ? 6u : ready_w >= 0 ? 5u : 3u, ~0u, 0u) < 0)
		_exit(127);
	/* slirp4netns --enable-sandbox (as root) builds its own mount namespace
	 * and unmounts the old root in it; from a copy of the host's with shared
	 * propagation, those unmounts would reach the host (every /run/netns
	 * mount, for one). It gets a private copy first. */
	if (geteuid() == 0 &&
	    (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)) {
		(void)dprintf(2, "making a private mount namespace for %s: %s\n", exe,
			      strerror(errno));
		_exit(127);
	}
	(void)signal(SIGPIPE, SIG_DFL);
	execve(exe, argv, envp);
	(void)dprintf(2, "exec %s: %s\n", exe, strerror(errno));
	_exit(127);
}

void netd_stack_stop(struct netd_stack *st)
{
	if (st->pid > 0) {
		(void)kill(st->pid, SIGKILL);
		while (waitpid(st->pid, NULL, 0) < 0 && errno == EINTR)
			;
		st->pid = -1;
	}
	closep(&st->pidfd);
	closep(&st->stderr_fd);
	closep(&st->exit_fd);
}

static int check_tun(char *err, size_t errlen)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		(void)close(fd);
		return 0;
	}
	if (errno == EACCES || errno == EPERM)
		return netd_err(
			err, errlen, -errno,
			"/dev/net/tun is not accessible (mode 0600?): chmod 0666 /dev/net/tun");
	return netd_err(err, errlen, -errno,
			"/dev/net/tun cannot be opened (%s): the user-mode stack needs the tun "
			"device (modprobe tun)",
			strerror(errno));
}

/* slirp4netns is ready before the kernel has the IPv6 prefix and default
 * route from its router advertisement: wait for them (bounded). Without them
 * the sandbox has no IPv6 at all, which is reported, not an error. */
static bool wait_ipv6_route(const struct netd_joined *j, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = {.fd = j->rtmon_fd, .events = POLLIN};
		int64_t left = deadline - netd_now_ms();
		int ready = netd_addr_default_routes(j->rtnl_fd, false, true);

		if (ready != 0)
			return ready > 0;
		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)(left > 2000 ? 2000 : left)) > 0)
			netd_addr_drain(j->rtmon_fd);
	}
}

int netd_stack_start(const struct netd_request *r, const struct netd_joined *j,
		     struct netd_stack *st, char *err, size_t errlen)
{
	bool pasta = streq(r->stack, NETD_STACK_PASTA);
	bool want4 = host_default_route(AF_INET);
	bool want6 = r->ipv6 && host_default_route(AF_INET6);
	char exe[256], netns[64], userns[64], userns_arg[96];
	char *argv[40];
	size_t n = 0;
	int errp[2] = {-1, -1}, readyp[2] = {-1, -1}, exitp[2] = {-1, -1};
	_cleanup_close_ int ready_r = -1, userns_fd = -1;
	struct errbuf eb = {.len = 0};
	pid_t self = getpid();
	int64_t deadline;
	int e;

	st->pid = -1;
	st->pidfd = st->stderr_fd = st->exit_fd = -1;
	st->name = pasta ? NETD_STACK_PASTA : NETD_STACK_SLIRP;
	st->ipv6 = false;
	if (!pasta && !streq(r->stack, NETD_STACK_SLIRP))
		return netd_err(err, errlen, -EINVAL, "unknown user-mode stack '%s'", r->stack);
	if (netd_find_exe(st->name, exe, sizeof(exe)) < 0)
		return netd_err(err, errlen, -ENOENT,
				"the user-mode stack %s is not installed (not in PATH, /usr/bin, "
				"/bin, /usr/sbin or /sbin): apt-get install %s",
				st->name, pasta ? "passt" : "slirp4netns");
	e = check_tun(err, errlen);
	if (e < 0)
		return e;
	if (!want4 && !want6)
		return netd_err(err, errlen, -ENETUNREACH,
				"starting %s: the host has no default route, so the sandbox's "
				"network would lead nowhere",
				st->name);
	if (j->rtnl_fd < 0 || j->rtmon_fd < 0)
		return netd_err(err, errlen, -EINVAL, "starting %s: no rtnetlink socket", st->name);

	(void)snprintf(netns, sizeof(netns), "/proc/%d/ns/net", (int)r->pid);
	if (!j->same_userns) {
		/* The owner of the network namespace (bwrap's PID 1 sits in a nested
		 * user namespace that has no rights over it), kept open on fd 5. */
		_cleanup_close_ int net = open(netns, O_RDONLY | O_CLOEXEC);
		if (net < 0 || (userns_fd = ioctl(net, NS_GET_USERNS)) < 0) {
			e = -errno;
			goto fail_errno;
		}
		(void)fcntl(userns_fd, F_SETFD, FD_CLOEXEC);
		(void)snprintf(userns, sizeof(userns), "/proc/self/fd/5");
	}
	argv[n++] = (char *)st->name;
	if (pasta) {
		/* Foreground, errors only, to stderr and not to syslog; no port
		 * forwarding in either direction; the gateway address is the
		 * real gateway, never the host's loopback. */
		static char *const fixed[] = {
			"--foreground", "--quiet",     "--log-file",  "/dev/null",   "--tcp-ports",
			"none",		"--udp-ports", "none",	      "--tcp-ns",    "none",
			"--udp-ns",	"none",	       "--no-map-gw", "--config-net"};

		for (size_t i = 0; i < ELEMENTSOF(fixed); i++)
			argv[n++] = fixed[i];
		if (!want6)
			argv[n++] = "--ipv4-only";
		else if (!want4)
			argv[n++] = "--ipv6-only";
		/* As root, pasta would switch to "nobody", who cannot enter the
		 * sandbox's namespaces; it drops its capabilities itself. */
		if (geteuid() == 0) {
			argv[n++] = "--runas";
			argv[n++] = "0:0";
		}
		argv[n++] = "--netns";
		argv[n++] = netns;
		if (j->same_userns) {
			argv[n++] = "--netns-only";
		} else {
			argv[n++] = "--userns";
			argv[n++] = userns;
		}
	} else {
		/* --disable-host-loopback: 10.0.2.2 does not lead to the host's
		 * 127.0.0.1; sandbox+seccomp confine slirp4netns itself. */
		if (pipe2(readyp, O_CLOEXEC) < 0 || pipe2(exitp, O_CLOEXEC) < 0) {
			e = -errno;
			goto fail_errno;
		}
		ready_r = readyp[0];
		argv[n++] = "--configure";
		argv[n++] = "--mtu=65520";
		if (!r->host_loopback)
			argv[n++] = "--disable-host-loopback";
		/* --enable-sandbox needs slirp4netns to become root in the user
		 * namespace it joins: only when mxc runs as root (the sandbox maps
		 * the caller's uid to itself). Its seccomp filter applies always. */
		if (geteuid() == 0)
			argv[n++] = "--enable-sandbox";
		argv[n++] = "--enable-seccomp";
		argv[n++] = "--ready-fd=3";
		argv[n++] = "--exit-fd=4";
		if (want6)
			argv[n++] = "--enable-ipv6";
		if (!j->same_userns) {
			(void)snprintf(userns_arg, sizeof(userns_arg), "--userns-path=%s", userns);
			argv[n++] = userns_arg;
		}
		argv[n++] = "--netns-type=path";
		argv[n++] = netns;
		argv[n++] = "tap0";
	}
	argv[n] = NULL;

	if (pipe2(errp, O_CLOEXEC) < 0) {
		e = -errno;
		goto fail_errno;
	}
	/* Subscribed before the stack starts: no change can be missed. */
	netd_addr_drain(j->rtmon_fd);
	st->pid = fork();
	if (st->pid < 0) {
		e = -errno;
		goto fail_errno;
	}
	if (st->pid == 0)
		exec_stack(exe, argv, self, errp[1], readyp[1], exitp[0], userns_fd);
	closep(&errp[1]);
	closep(&readyp[1]);
	closep(&exitp[0]);
	st->stderr_fd = TAKE_FD(errp[0]);
	st->exit_fd = TAKE_FD(exitp[1]);
	(void)fcntl(st->stderr_fd, F_SETFL, O_NONBLOCK);
	st->pidfd = pidfd_open_(st->pid);
	if (st->pidfd < 0) {
		e = -errno;
		goto fail_errno;
	}

	deadline = netd_now_ms() + STACK_READY_MS;
	for (;;) {
		struct pollfd pfd[4] = {
			{.fd = st->pidfd, .events = POLLIN},
			{.fd = st->stderr_fd, .events = POLLIN},
			{.fd = pasta ? j->rtmon_fd : ready_r, .events = POLLIN},
		};
		int64_t left = deadline - netd_now_ms();
		int ready;

		if (pasta) {
			ready = netd_addr_default_routes(j->rtnl_fd, want4, want6);
			if (ready < 0) {
				e = ready;
				(void)netd_err(err, errlen, e,
					       "starting %s: reading the sandbox's routes: %s",
					       st->name, strerror(-e));
				goto fail;
			}
			if (ready > 0)
				break;
		}
		if (left <= 0) {
			errbuf_read(&eb, st->stderr_fd);
			e = -ETIMEDOUT;
			(void)netd_err(
				err, errlen, e,
				"the user-mode stack %s was not ready after %d s (stderr: %s)",
				st->name, STACK_READY_MS / 1000, errbuf_text(&eb));
			goto fail;
		}
		if (poll(pfd, 3, (int)(left < 100 ? left : 100)) < 0 && errno != EINTR) {
			e = -errno;
			goto fail_errno;
		}
		if (pfd[1].revents)
			errbuf_read(&eb, st->stderr_fd);
		if (pfd[0].revents) {
			int status = 0;

			errbuf_read(&eb, st->stderr_fd);
			while (waitpid(st->pid, &status, 0) < 0 && errno == EINTR)
				;
			st->pid = -1;
			e = -ECHILD;
			(void)netd_err(err, errlen, e, "the user-mode stack %s exited (%s %d): %s",
				       st->name, WIFSIGNALED(status) ? "signal" : "status",
				       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
				       errbuf_text(&eb));
			goto fail;
		}
		if (pasta && pfd[2].revents) {
			netd_addr_drain(j->rtmon_fd);
		} else if (!pasta && pfd[2].revents) {
			char c = 0;
			ssize_t got = read(ready_r, &c, 1);

			if (got == 1 && c == '1') {
				if (want6)
					st->ipv6 = wait_ipv6_route(j, deadline);
				return 0;
			}
			if (got == 0) /* closed without a word: wait for its exit */
				closep(&ready_r);
		}
	}
	st->ipv6 = want6;
	return 0;

fail_errno:
	(void)netd_err(err, errlen, e, "starting the user-mode stack %s: %s", st->name,
		       strerror(-e));
fail:
	closep(&errp[0]);
	closep(&errp[1]);
	closep(&readyp[1]);
	closep(&exitp[0]);
	closep(&exitp[1]);
	netd_stack_stop(st);
	return e;
}
