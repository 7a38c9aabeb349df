/* SPDX-License-Identifier: MIT */
/*
 * Kernel tests of mxc-netd (lib/net/netd-proto.h) with real namespaces.
 * Runs as root. Each test (its own Check fork) builds:
 *   - "srv": a netns with 198.18.0.1/24 on a veth and a TCP server
 *     on 198.18.0.1:8080 that answers "hello";
 *   - "cli": the other end, 198.18.0.2/24, default route via .1, and a
 *     "host loopback" server on 127.0.0.1:8081. netd runs here, so the
 *     user-mode stack's traffic has nowhere to go but the veth: nothing
 *     leaves the machine;
 *   - a holder: a process in a new user+net namespace, the "sandbox".
 * Checks from inside run in a child that joins the holder's namespaces.
 * Skips (77) when not root, when /dev/net/tun cannot be opened or a stack is
 * missing, unless MXC_TEST_MUST_WORK=1 (then it fails).
 */
#include <check.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/macro.h"

#define SRV_ADDR   "198.18.0.1"
#define SRV_PORT   8080
#define HOSTLO_PRT 8081
#define TEST_USER  "mxc-test"

static char netd_path[512];

/* ---- small helpers ------------------------------------------------------ */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	ck_assert_msg(r == 0, "'%s' failed (%d)", cmd, r);
}

/* Output of a shell command (first `len` bytes). */
static void sh_out(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sh_out(char *buf, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	FILE *f;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	f = popen(cmd, "re");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	pclose(f);
}

static void die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(99);
}

static void join_ns_path(const char *path, int type)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || setns(fd, type) < 0)
		_exit(98);
	close(fd);
}

static void test_user(uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(TEST_USER);

	ck_assert_msg(pw != NULL, "user %s is missing", TEST_USER);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
}

/* ---- the environment ---------------------------------------------------- */

struct env {
	char cli_path[128];
	pid_t hostlo; /* the server in the client netns: "a host process" */
	pid_t holder;
};

static struct env E;

/* A TCP server in netns `ns_path` on addr:port answering "hello\n". */
static pid_t start_server(const char *ns_path, const char *addr, unsigned port)
{
	pid_t parent = getpid();
	int p[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
		int one = 1, s;

		die_with_parent(parent);
		join_ns_path(ns_path, CLONE_NEWNET);
		inet_pton(AF_INET, addr, &sin.sin_addr);
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(s, 64) < 0)
			_exit(97);
		(void)!write(p[1], "r", 1);
		for (;;) {
			int c2 = accept4(s, NULL, NULL, SOCK_CLOEXEC);

			if (c2 >= 0) {
				(void)!write(c2, "hello\n", 6);
				close(c2);
			}
		}
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

/* A process alone in a new netns (dies with this test process). */
static pid_t netns_proc_new(void)
{
	pid_t parent = getpid(), pid;
	int p[2];
	char c;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		die_with_parent(parent);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(90);
		(void)!write(p[1], "r", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

/* The two network namespaces are held by processes, not named under
 * /run/netns: nothing to clean up, nothing shared with other tests. */
static void env_up(void)
{
	char srv_path[128];
	pid_t srv = netns_proc_new(), cli = netns_proc_new();

	snprintf(E.cli_path, sizeof(E.cli_path), "/proc/%d/ns/net", (int)cli);
	snprintf(srv_path, sizeof(srv_path), "/proc/%d/ns/net", (int)srv);
	sh("nsenter -t %d -n ip link add veth0 type veth peer name veth1 netns %d", (int)srv,
	   (int)cli);
	sh("nsenter -t %d -n sh -c 'ip addr add " SRV_ADDR
	   "/24 dev veth0 && ip link set veth0 up && "
	   "ip link set lo up'",
	   (int)srv);
	sh("nsenter -t %d -n sh -c 'ip addr add 198.18.0.2/24 dev veth1 && ip link set veth1 up && "
	   "ip link set lo up && ip route add default via " SRV_ADDR "'",
	   (int)cli);
	start_server(srv_path, SRV_ADDR, SRV_PORT);
	E.hostlo = start_server(E.cli_path, "127.0.0.1", HOSTLO_PRT);
}

static void env_down(void)
{
	/* Everything dies with this test process (PDEATHSIG), the netns too. */
}

/* The sandbox: a process in a new user+net namespace. uid 0: the namespace
 * maps every id (as a root-run mxc would); else it belongs to uid/gid and
 * maps only them to 0. */
static pid_t holder_new(uid_t uid, gid_t gid)
{
	pid_t parent = getpid(), pid;
	int p[2], q[2];
	char c = 0, path[64];

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(q, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char map[64];
		int fd;

		die_with_parent(parent);
		join_ns_path(E.cli_path, CLONE_NEWNET);
		if (uid != 0) {
			if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0)
				_exit(96);
			prctl(PR_SET_DUMPABLE, 1);
		}
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			_exit(95);
		if (uid != 0) {
			fd = open("/proc/self/setgroups", O_WRONLY | O_CLOEXEC);
			(void)!write(fd, "deny", 4);
			close(fd);
			snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
			fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
			if (write(fd, map, strlen(map)) < 0)
				_exit(94);
			close(fd);
			snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
			fd = open("/proc/self/gid_map", O_WRONLY | O_CLOEXEC);
			if (write(fd, map, strlen(map)) < 0)
				_exit(93);
			close(fd);
		}
		(void)!write(p[1], "r", 1);
		(void)!read(q[0], &c, 1); /* until the parent goes */
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	if (uid == 0) {
		static const char full[] = "0 0 4294967295";

		for (int i = 0; i < 2; i++) {
			int fd;

			snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid,
				 i ? "gid_map" : "uid_map");
			fd = open(path, O_WRONLY | O_CLOEXEC);
			ck_assert_int_ge(fd, 0);
			ck_assert_int_eq(write(fd, full, strlen(full)), (ssize_t)strlen(full));
			close(fd);
		}
	}
	E.holder = pid;
	return pid;
}

/* Run fn in a child that joined the holder's user and net namespaces;
 * returns its exit status (fn's return value). */
static int inside(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)E.holder);
		join_ns_path(path, CLONE_NEWUSER);
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)E.holder);
		join_ns_path(path, CLONE_NEWNET);
		_exit(fn(arg));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Run fn in a child in the client netns ("the host" of the stack). */
static int in_client(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		join_ns_path(E.cli_path, CLONE_NEWNET);
		_exit(fn(arg));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* ---- netd --------------------------------------------------------------- */

struct netd {
	pid_t pid;
	int ctl; /* our end of the control socket */
	int ev;	 /* read end of the events pipe */
};

/* In a private mount namespace, put a /dev/net/tun node of the given mode
 * over the real one: the test never changes the machine's device. */
static void private_tun(mode_t mode)
{
	/* A tmpfs over /dev/net only: a tmpfs over /tmp would also hide mxc-netd
	 * when the build tree is under /tmp (a CI clone). */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/dev/net", "tmpfs", 0, "mode=0755") < 0 ||
	    mknod("/dev/net/tun", S_IFCHR | mode, makedev(10, 200)) < 0 ||
	    chmod("/dev/net/tun", mode) < 0)
		_exit(89);
}

/* Start mxc-netd in the client netns (as uid/gid when uid != 0), with
 * /dev/net/tun at tun_mode (0: the machine's). */
static void netd_start_tun(struct netd *n, uid_t uid, gid_t gid, mode_t tun_mode)
{
	pid_t parent = getpid();
	int sv[2], ev[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(pipe2(ev, O_CLOEXEC), 0);
	n->pid = fork();
	ck_assert_int_ge(n->pid, 0);
	if (n->pid == 0) {
		char *const argv[] = {"mxc-netd", NULL};
		char *const envp[] = {NULL};

		(void)parent;
		join_ns_path(E.cli_path, CLONE_NEWNET);
		if (tun_mode)
			private_tun(tun_mode);
		if (uid != 0 && (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0))
			_exit(96);
		if (dup2(sv[1], 10) < 0 || dup2(ev[1], 11) < 0 || dup2(10, 3) < 0 ||
		    dup2(11, 4) < 0)
			_exit(92);
		close(10);
		close(11);
		execve(netd_path, argv, envp);
		_exit(91);
	}
	close(sv[1]);
	close(ev[1]);
	n->ctl = sv[0];
	n->ev = ev[0];
}

static void netd_start(struct netd *n, uid_t uid, gid_t gid)
{
	netd_start_tun(n, uid, gid, 0);
}

/* Send one message, wait (<= 15 s) for the answer; returns a static buffer. */
static const char *netd_call(struct netd *n, const char *msg)
{
	static char buf[65536];
	struct pollfd pfd = {.fd = n->ctl, .events = POLLIN};
	ssize_t got;

	ck_assert_int_ge(send(n->ctl, msg, strlen(msg), MSG_NOSIGNAL), 0);
	ck_assert_msg(poll(&pfd, 1, 15000) == 1, "mxc-netd did not answer");
	got = recv(n->ctl, buf, sizeof(buf) - 1, 0);
	ck_assert_int_ge(got, 0);
	buf[got] = '\0';
	return buf;
}

/* Wait (<= 5 s) for pid to exit; returns its status or -1. */
static int wait_exit(pid_t pid, int ms)
{
	int64_t end = now_ms() + ms;
	int status;

	while (now_ms() < end) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return status;
		if (w < 0)
			return -1;
		usleep(10000);
	}
	return -2;
}

/* Children of pid (from /proc/PID/task/PID/children). */
static size_t children_of(pid_t pid, pid_t *out, size_t max)
{
	char path[96];
	FILE *f;
	size_t n = 0;
	int c;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d", &c) == 1)
		out[n++] = c;
	fclose(f);
	return n;
}

static bool pid_alive(pid_t pid)
{
	char path[64], state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = '?';
	fclose(f);
	return state != 'Z' && state != 'X';
}

static void request(char *buf, size_t len, const char *stack, const char *nft, int nflog,
		    const char *proxy)
{
	char nft_json[2048] = "null";

	if (nft) {
		size_t o = 0;

		nft_json[o++] = '"';
		for (const char *p = nft; *p && o + 4 < sizeof(nft_json); p++) {
			if (*p == '"' || *p == '\\')
				nft_json[o++] = '\\';
			if (*p == '\n') {
				nft_json[o++] = '\\';
				nft_json[o++] = 'n';
				continue;
			}
			nft_json[o++] = *p;
		}
		nft_json[o++] = '"';
		nft_json[o] = '\0';
	}
	char nfl[16] = "null";

	if (nflog >= 0)
		snprintf(nfl, sizeof(nfl), "%d", nflog);
	snprintf(buf, len,
		 "{\"pid\":%d,\"sandboxId\":\"t%d\",\"nft\":%s,\"ping\":true,\"stack\":%s%s%s,"
		 "\"ipv6\":false,\"nflogGroup\":%s,\"proxy\":%s}",
		 (int)E.holder, (int)getpid(), nft_json, stack ? "\"" : "", stack ? stack : "null",
		 stack ? "\"" : "", nfl, proxy ? proxy : "null");
}

/* ---- checks that run inside --------------------------------------------- */

/* TCP connect with a 2 s limit; 0 on success, else errno. With want_hello,
 * the server's "hello" must arrive too. */
static int tcp_connect(const char *addr, unsigned port, bool want_hello)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct pollfd pfd = {.fd = s, .events = POLLOUT};
	int err = 0;
	socklen_t el = sizeof(err);
	char buf[16] = {0};

	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS)
		return errno;
	if (poll(&pfd, 1, 2000) != 1)
		return ETIMEDOUT;
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err || !want_hello)
		return err;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 2000) != 1 || read(s, buf, sizeof(buf) - 1) < 5)
		return EPROTO;
	return strncmp(buf, "hello", 5) == 0 ? 0 : EPROTO;
}

static int in_lo_up(void *arg)
{
	struct ifreq ifr = {0};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)arg;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return 2;
	return (ifr.ifr_flags & IFF_UP) ? 0 : 1;
}

static int in_ping_range(void *arg)
{
	char buf[64] = {0};
	int fd = open("/proc/sys/net/ipv4/ping_group_range", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return 2;
	/* Closed is "1 0"; anything that includes gid 0 is open. */
	return strncmp(buf, "0\t", 2) == 0 ? 0 : 1;
}

static int in_has_ipv4(void *arg)
{
	struct ifaddrs *ifa, *i;
	int found = 1;

	(void)arg;
	if (getifaddrs(&ifa) < 0)
		return 2;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !(i->ifa_flags & IFF_LOOPBACK) && (i->ifa_flags & IFF_UP))
			found = 0;
	freeifaddrs(ifa);
	return found;
}

static int in_reach_server(void *arg)
{
	(void)arg;
	return tcp_connect(SRV_ADDR, SRV_PORT, true) == 0 ? 0 : 1;
}

/* The host-side loopback server must be unreachable by every way in. */
static int in_no_host_loopback(void *arg)
{
	static const char *const via[] = {"127.0.0.1", "10.0.2.2", SRV_ADDR, "198.18.0.2"};

	(void)arg;
	for (size_t i = 0; i < ELEMENTSOF(via); i++)
		if (tcp_connect(via[i], HOSTLO_PRT, true) == 0)
			return 10 + (int)i;
	return 0;
}

static int host_reach_loopback(void *arg)
{
	(void)arg;
	return tcp_connect("127.0.0.1", HOSTLO_PRT, true) == 0 ? 0 : 1;
}

static int in_connect_denied_port(void *arg)
{
	(void)arg;
	return tcp_connect("127.0.0.1", 9, false) == 0 ? 1 : 0;
}

static int in_reach_relay(void *arg)
{
	(void)arg;
	return tcp_connect("10.200.0.1", 3128, true) == 0 ? 0 : 1;
}

/* CONNECT through the filtering proxy at 127.0.0.1:3128; returns the first
 * bytes of the answer (status line, then whatever the target sent). */
static int proxy_connect(const char *target, char *out, size_t len)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(3128)};
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = {.tv_sec = 5};
	char req[256];
	size_t got = 0;
	ssize_t n;

	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return errno;
	snprintf(req, sizeof(req), "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target);
	if (write(s, req, strlen(req)) != (ssize_t)strlen(req))
		return EIO;
	while (got + 1 < len && (n = read(s, out + got, len - 1 - got)) > 0) {
		got += (size_t)n;
		out[got] = '\0';
		if (strstr(out, "hello") || strstr(out, "403"))
			break;
	}
	out[got] = '\0';
	close(s);
	return 0;
}

static int in_proxy_allowed(void *arg)
{
	char buf[1024] = {0};

	(void)arg;
	if (proxy_connect(SRV_ADDR ":8080", buf, sizeof(buf)) != 0)
		return 2;
	return strncmp(buf, "HTTP/1.1 200", 12) == 0 && strstr(buf, "hello") ? 0 : 1;
}

static int in_proxy_denied(void *arg)
{
	char buf[1024] = {0};

	(void)arg;
	if (proxy_connect("198.18.0.9:80", buf, sizeof(buf)) != 0)
		return 2;
	return strncmp(buf, "HTTP/1.1 403", 12) == 0 ? 0 : 1;
}

/* ---- tests -------------------------------------------------------------- */

static const char RULESET[] =
	"table inet mxctest {\n"
	"  chain out {\n"
	"    type filter hook output priority 0; policy accept;\n"
	"    ip daddr 127.0.0.1 tcp dport 9 log prefix \"denied-port-9\" group 5 drop\n"
	"  }\n"
	"}\n";

START_TEST(test_nft_lo_ping)
{
	struct netd n;
	char req[4096], out[8192], host[64];
	const char *rep;

	env_up();
	holder_new(0, 0);
	netd_start(&n, 0, 0);
	request(req, sizeof(req), NULL, RULESET, -1, NULL);
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":true"), "reply: %s", rep);
	ck_assert_msg(strstr(rep, "\"stack\":null"), "reply: %s", rep);
	sh_out(out, sizeof(out), "nsenter -t %d -U -n nft list ruleset 2>&1", (int)E.holder);
	ck_assert_msg(strstr(out, "table inet mxctest") && strstr(out, "denied-port-9"),
		      "ruleset in the sandbox: %s", out);
	ck_assert_int_eq(inside(in_lo_up, NULL), 0);
	ck_assert_int_eq(inside(in_ping_range, NULL), 0);
	/* The host's (here: the test's) namespace is untouched. */
	sh_out(host, sizeof(host), "cat /proc/sys/net/ipv4/ping_group_range");
	sh_out(out, sizeof(out), "nsenter -t %d -U -n cat /proc/sys/net/ipv4/ping_group_range",
	       (int)E.holder);
	ck_assert_msg(strcmp(out, "0\t2147483647\n") == 0, "sandbox range: %s", out);
	ck_assert_msg(strcmp(host, out) != 0, "the host's range changed: %s", host);
	rep = netd_call(&n, "{\"stop\":true}");
	ck_assert_msg(strstr(rep, "\"summary\""), "stop reply: %s", rep);
	ck_assert_int_eq(wait_exit(n.pid, 5000), 0);
	env_down();
}
END_TEST

START_TEST(test_bad_ruleset)
{
	struct netd n;
	char req[4096];
	const char *rep;

	env_up();
	holder_new(0, 0);
	netd_start(&n, 0, 0);
	request(req, sizeof(req), NULL, "table inet t { chain c { bogus_keyword; } }", -1, NULL);
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":false"), "reply: %s", rep);
	ck_assert_msg(strstr(rep, "loading nftables rules into the sandbox's network namespace: "
				  "Error:"),
		      "reply: %s", rep);
	ck_assert_msg(strstr(rep, "bogus_keyword"), "nft's text missing: %s", rep);
	ck_assert_msg(!strchr(rep, '\n'), "multi-line reply: %s", rep);
	ck_assert_int_eq(WEXITSTATUS(wait_exit(n.pid, 5000)), 1);
	env_down();
}
END_TEST

START_TEST(test_bad_request)
{
	struct netd n;
	const char *rep;

	env_up();
	holder_new(0, 0);
	netd_start(&n, 0, 0);
	rep = netd_call(&n, "{\"pid\":1,\"bogus\":2}");
	ck_assert_msg(strstr(rep, "\"ok\":false") && strstr(rep, "unknown field 'bogus'"),
		      "reply: %s", rep);
	ck_assert_int_eq(WEXITSTATUS(wait_exit(n.pid, 5000)), 1);
	env_down();
}
END_TEST

/* A pid in netd's own netns: netd must not touch the host's network. */
START_TEST(test_refuses_host_netns)
{
	struct netd n;
	char req[4096];
	const char *rep;

	env_up();
	holder_new(0, 0);
	E.holder = E.hostlo;
	netd_start(&n, 0, 0);
	request(req, sizeof(req), NULL, RULESET, -1, NULL);
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":false") &&
			      strstr(rep, "shares mxc-netd's network namespace"),
		      "reply: %s", rep);
	ck_assert_int_eq(WEXITSTATUS(wait_exit(n.pid, 5000)), 1);
	env_down();
}
END_TEST

static void stack_round_trip(const char *stack)
{
	struct netd n;
	char req[4096];
	const char *rep;
	pid_t kids[8];
	size_t nk;

	env_up();
	holder_new(0, 0);
	netd_start(&n, 0, 0);
	request(req, sizeof(req), stack, NULL, -1, NULL);
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":true"), "%s: reply: %s", stack, rep);
	ck_assert_msg(strstr(rep, stack), "%s: reply: %s", stack, rep);
	nk = children_of(n.pid, kids, ELEMENTSOF(kids));
	ck_assert_msg(nk == 1, "%s: netd has %zu children", stack, nk);
	ck_assert_int_eq(inside(in_has_ipv4, NULL), 0);
	ck_assert_int_eq(inside(in_reach_server, NULL), 0);
	/* The host loopback server is there (sanity), but not from inside. */
	ck_assert_int_eq(in_client(host_reach_loopback, NULL), 0);
	ck_assert_int_eq(inside(in_no_host_loopback, NULL), 0);
	rep = netd_call(&n, "{\"stop\":true}");
	ck_assert_msg(strstr(rep, "{\"summary\":{\"allowed\":0,\"denied\":0"), "stop: %s", rep);
	ck_assert_int_eq(wait_exit(n.pid, 5000), 0);
	ck_assert_msg(!pid_alive(kids[0]), "%s: the stack (%d) outlived netd", stack, (int)kids[0]);
	ck_assert_int_ne(inside(in_reach_server, NULL), 0);
	env_down();
}

START_TEST(test_stack_slirp4netns)
{
	stack_round_trip("slirp4netns");
}
END_TEST

START_TEST(test_stack_pasta)
{
	stack_round_trip("pasta");
}
END_TEST

START_TEST(test_firewall_event)
{
	struct netd n;
	char req[4096], ev[4096] = {0};
	struct pollfd pfd;
	const char *rep;
	ssize_t got;

	env_up();
	holder_new(0, 0);
	netd_start(&n, 0, 0);
	request(req, sizeof(req), NULL, RULESET, 5, NULL);
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":true"), "reply: %s", rep);
	ck_assert_int_eq(inside(in_connect_denied_port, NULL), 0);
	pfd = (struct pollfd){.fd = n.ev, .events = POLLIN};
	ck_assert_msg(poll(&pfd, 1, 5000) == 1, "no firewall event");
	got = read(n.ev, ev, sizeof(ev) - 1);
	ck_assert_int_gt(got, 0);
	ck_assert_msg(strstr(ev, "\"source\":\"firewall\"") &&
			      strstr(ev, "\"decision\":\"deny\"") &&
			      strstr(ev, "\"rule\":\"denied-port-9\"") &&
			      strstr(ev, "\"address\":\"127.0.0.1\"") && strstr(ev, "\"port\":9") &&
			      strstr(ev, "\"protocol\":\"tcp\"") && ev[got - 1] == '\n',
		      "event: %s", ev);
	rep = netd_call(&n, "{\"stop\":true}");
	ck_assert_msg(strstr(rep, "\"denied\":") && !strstr(rep, "\"denied\":0") &&
			      strstr(rep, "\"address\":\"127.0.0.1\",\"port\":9"),
		      "stop: %s", rep);
	ck_assert_int_eq(wait_exit(n.pid, 5000), 0);
	env_down();
}
END_TEST

START_TEST(test_relay_proxy)
{
	struct netd n;
	char req[4096], out[4096];
	const char *rep;

	env_up();
	holder_new(0, 0);
	netd_start(&n, 0, 0);
	request(req, sizeof(req), NULL, NULL, -1,
		"{\"role\":\"relay\",\"port\":3128,\"listenAddress\":\"10.200.0.1\","
		"\"upstreamAddress\":\"" SRV_ADDR "\",\"upstreamPort\":8080}");
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":true"), "reply: %s", rep);
	sh_out(out, sizeof(out), "nsenter -t %d -U -n ip -4 addr show dev lo", (int)E.holder);
	ck_assert_msg(strstr(out, "10.200.0.1/32"), "lo: %s", out);
	/* The sandbox has no route out; the relay carries it to the upstream. */
	ck_assert_int_eq(inside(in_reach_relay, NULL), 0);
	rep = netd_call(&n, "{\"stop\":true}");
	ck_assert_msg(strstr(rep, "\"summary\""), "stop: %s", rep);
	ck_assert_int_eq(wait_exit(n.pid, 5000), 0);
	env_down();
}
END_TEST

/* The filtering proxy: one allowed and one denied CONNECT; both decisions
 * reach the events fd through netd and are counted in the summary. */
START_TEST(test_filter_proxy)
{
	struct netd n;
	char req[4096], ev[8192] = {0};
	const char *rep;
	size_t got = 0;
	int64_t end;

	env_up();
	holder_new(0, 0);
	netd_start(&n, 0, 0);
	request(req, sizeof(req), NULL, NULL, -1,
		"{\"role\":\"filter\",\"port\":3128,\"allow\":[\"" SRV_ADDR "\"],\"block\":[],"
		"\"defaultAllow\":false,\"blockLocal\":false}");
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":true"), "reply: %s", rep);
	ck_assert_int_eq(inside(in_proxy_allowed, NULL), 0);
	ck_assert_int_eq(inside(in_proxy_denied, NULL), 0);
	end = now_ms() + 5000;
	while (now_ms() < end && !(strstr(ev, "\"allow\"") && strstr(ev, "\"deny\""))) {
		struct pollfd pfd = {.fd = n.ev, .events = POLLIN};
		ssize_t r;

		if (poll(&pfd, 1, 200) != 1)
			continue;
		r = read(n.ev, ev + got, sizeof(ev) - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		ev[got] = '\0';
	}
	ck_assert_msg(strstr(ev, "\"source\":\"proxy\"") && strstr(ev, "\"decision\":\"allow\"") &&
			      strstr(ev, "\"decision\":\"deny\""),
		      "events: %s", ev);
	rep = netd_call(&n, "{\"stop\":true}");
	ck_assert_msg(strstr(rep, "\"allowed\":1,\"denied\":1") && strstr(rep, "198.18.0.9"),
		      "stop: %s", rep);
	ck_assert_int_eq(wait_exit(n.pid, 5000), 0);
	env_down();
}
END_TEST

/* SIGKILL of netd's parent: netd and the stack go too. */
static void parent_killed(const char *stack)
{
	char req[4096];
	int p[2];
	pid_t mid, got[2] = {0, 0};

	env_up();
	holder_new(0, 0);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	request(req, sizeof(req), stack, NULL, -1, NULL);
	mid = fork();
	ck_assert_int_ge(mid, 0);
	if (mid == 0) {
		struct netd n;
		const char *rep;
		pid_t kids[4];

		netd_start(&n, 0, 0);
		rep = netd_call(&n, req);
		if (!strstr(rep, "\"ok\":true") || children_of(n.pid, kids, 4) != 1)
			_exit(1);
		got[0] = n.pid;
		got[1] = kids[0];
		(void)!write(p[1], got, sizeof(got));
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], got, sizeof(got)), (ssize_t)sizeof(got));
	ck_assert(pid_alive(got[0]) && pid_alive(got[1]));
	kill(mid, SIGKILL);
	ck_assert_int_ge(wait_exit(mid, 5000), 0);
	/* Both are reparented to us (subreaper): reap them. */
	ck_assert_msg(wait_exit(got[0], 5000) >= 0, "mxc-netd %d survived", (int)got[0]);
	ck_assert_msg(wait_exit(got[1], 5000) >= 0 || !pid_alive(got[1]), "the stack %d survived",
		      (int)got[1]);
	env_down();
}

START_TEST(test_parent_killed_slirp4netns)
{
	parent_killed("slirp4netns");
}
END_TEST

START_TEST(test_parent_killed_pasta)
{
	parent_killed("pasta");
}
END_TEST

/* The unprivileged case: sandbox and netd belong to mxc-test. */
START_TEST(test_unprivileged)
{
	struct netd n;
	char req[4096], out[256];
	const char *rep;
	uid_t uid;
	gid_t gid;

	test_user(&uid, &gid);
	env_up();
	holder_new(uid, gid);
	/* /dev/net/tun at 0600 (netd sees a private node; the machine's is untouched):
	 * the caller cannot use a stack, and the error says so. */
	netd_start_tun(&n, uid, gid, 0600);
	request(req, sizeof(req), "slirp4netns", RULESET, -1, NULL);
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":false") &&
			      strstr(rep, "/dev/net/tun is not accessible (mode 0600?): chmod 0666 "
					  "/dev/net/tun"),
		      "reply: %s", rep);
	wait_exit(n.pid, 5000);
	/* Debian's default mode: everything works as the user. */
	netd_start_tun(&n, uid, gid, 0666);
	rep = netd_call(&n, req);
	ck_assert_msg(strstr(rep, "\"ok\":true"), "reply: %s", rep);
	ck_assert_int_eq(inside(in_reach_server, NULL), 0);
	ck_assert_int_eq(inside(in_no_host_loopback, NULL), 0);
	ck_assert_int_eq(inside(in_ping_range, NULL), 0);
	sh_out(out, sizeof(out), "nsenter -t %d -U -n cat /proc/sys/net/ipv4/ping_group_range",
	       (int)E.holder);
	/* Only gid 0 is mapped in this namespace: the range is that extent. */
	ck_assert_msg(strcmp(out, "0\t0\n") == 0, "sandbox range: %s", out);
	rep = netd_call(&n, "{\"stop\":true}");
	ck_assert_msg(strstr(rep, "\"summary\""), "stop: %s", rep);
	ck_assert_int_eq(wait_exit(n.pid, 5000), 0);
	env_down();
}
END_TEST

static Suite *netd_suite(void)
{
	Suite *s = suite_create("netd");
	TCase *tc = tcase_create("netd");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_nft_lo_ping);
	tcase_add_test(tc, test_bad_ruleset);
	tcase_add_test(tc, test_bad_request);
	tcase_add_test(tc, test_refuses_host_netns);
	tcase_add_test(tc, test_stack_slirp4netns);
	tcase_add_test(tc, test_stack_pasta);
	tcase_add_test(tc, test_firewall_event);
	tcase_add_test(tc, test_relay_proxy);
	tcase_add_test(tc, test_filter_proxy);
	tcase_add_test(tc, test_parent_killed_slirp4netns);
	tcase_add_test(tc, test_parent_killed_pasta);
	tcase_add_test(tc, test_unprivileged);
	suite_add_tcase(s, tc);
	return s;
}

static bool must_work(void)
{
	const char *v = getenv("MXC_TEST_MUST_WORK");

	return v && streq(v, "1");
}

static int skip(const char *why)
{
	if (must_work()) {
		fprintf(stderr, "test-netd: %s (MXC_TEST_MUST_WORK=1)\n", why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return 77;
}

static bool have_exe(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

int main(void)
{
	char exe[512], *slash;
	struct stat st;
	ssize_t n;
	int failed, fd;
	SRunner *sr;

	if (geteuid() != 0 || getenv("MXC_TEST_UNPRIVILEGED"))
		return skip("mxc-netd's kernel tests run as root (they build network namespaces)");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	if (getenv("MXC_NETD"))
		snprintf(netd_path, sizeof(netd_path), "%s", getenv("MXC_NETD"));
	else
		snprintf(netd_path, sizeof(netd_path), "%s/../../cli/mxc-netd", exe);
	if (access(netd_path, X_OK) < 0)
		return skip("mxc-netd is not built");
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0 || stat("/dev/net/tun", &st) < 0)
		return skip("/dev/net/tun is not accessible (modprobe tun)");
	close(fd);
	if (!have_exe("ip") || !have_exe("nft") || !have_exe("nsenter"))
		return skip("ip, nft and nsenter are needed (apt-get install iproute2 nftables)");
	if (!have_exe("slirp4netns") || !have_exe("pasta"))
		return skip("slirp4netns and pasta are needed (apt-get install slirp4netns passt)");
	if (!getpwnam(TEST_USER))
		return skip("the user " TEST_USER " is missing (useradd --system " TEST_USER ")");
	sr = srunner_create(netd_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
