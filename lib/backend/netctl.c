/* SPDX-License-Identifier: MIT */
/* The backends' side of a filtered network: see netctl.h and lib/net/netd-proto.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/netctl.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/log.h"
#include "core/macro.h"
#include "net/netd-proto.h"
#include "os/proc.h"

#ifndef MXC_LIBEXECDIR
#define MXC_LIBEXECDIR "/usr/local/libexec/mxc"
#endif

/* Setting up: rules, stack start, listeners. pasta is ready in ~10 ms. */
#define NETD_START_TIMEOUT_MS 15000
#define NETD_STOP_TIMEOUT_MS  3000

struct netctl {
	json_t *req;	      /* the request to mxc-netd, without "pid" */
	const char *where;    /* static: the config field errors name */
	const char *what;     /* static: "proxy" or "firewall" */
	int events_fd;	      /* borrowed */
	char *hosts;	      /* pinned /etc/hosts content, or NULL */
	char *relay_address;  /* relay: the proxy's address (resolved once) */
	char *listen_address; /* relay: where the sandbox reaches it */
	char sandbox_id[64];
	pid_t pid;
	int pidfd;
	int sock;
};

void netctl_free(struct netctl *n)
{
	char buf[MXC_NETD_MSG_MAX];
	int status;

	if (!n)
		return;
	if (n->sock >= 0 && n->pidfd >= 0) {
		static const char stop[] = "{\"stop\":true}";
		struct pollfd pfd = {.fd = n->sock, .events = POLLIN};

		if (send(n->sock, stop, sizeof(stop) - 1, MSG_NOSIGNAL) >= 0 &&
		    poll(&pfd, 1, NETD_STOP_TIMEOUT_MS) > 0) {
			ssize_t k = recv(n->sock, buf, sizeof(buf) - 1, 0);
			if (k > 0) {
				buf[k] = '\0';
				log_debug("network: %s", buf);
			}
		}
	}
	if (n->sock >= 0)
		(void)close(n->sock);
	if (n->pidfd >= 0) {
		struct pollfd pfd = {.fd = n->pidfd, .events = POLLIN};
		if (poll(&pfd, 1, NETD_STOP_TIMEOUT_MS) <= 0)
			(void)proc_pidfd_signal(n->pidfd, SIGKILL);
		(void)proc_pidfd_reap(n->pidfd, &status);
		(void)close(n->pidfd);
	}
	json_decref(n->req);
	free(n->hosts);
	free(n->relay_address);
	free(n->listen_address);
	free(n);
}
DEFINE_CLEANUP_FUNC(struct netctl *, netctl_free)

const char *netctl_hosts(const struct netctl *n)
{
	return n ? n->hosts : NULL;
}

/* The host's /etc/hosts without lines naming `name`, after "<addr> <name>". */
static int render_hosts(const char *addr, const char *name, char **ret)
{
	_cleanup_fclose_ FILE *in = fopen("/etc/hosts", "re");
	char *buf = NULL, line[1024];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return -ENOMEM;
	fprintf(out, "# mxc: the proxy endpoint '%s' pinned (resolved once on the host)\n%s\t%s\n",
		name, addr, name);
	while (in && fgets(line, sizeof(line), in)) {
		char copy[1024], *save = NULL, *tok;
		bool names_it = false;

		strcpy(copy, line);
		tok = strtok_r(copy, " \t\r\n", &save);
		if (tok && tok[0] != '#')
			while ((tok = strtok_r(NULL, " \t\r\n", &save)) && tok[0] != '#')
				if (!strcasecmp(tok, name))
					names_it = true;
		if (!names_it)
			fputs(line, out);
	}
	if (fclose(out) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret = buf;
	return 0;
}

/* First IPv4 address of `name`; loopback and 0.0.0.0 answers become 127.0.0.1. */
static int resolve4(const char *name, char ret[INET_ADDRSTRLEN])
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	int r = getaddrinfo(name, NULL, &hints, &ai);

	if (r != 0 || !ai)
		return r == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	(void)inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, ret,
			INET_ADDRSTRLEN);
	freeaddrinfo(ai);
	if (!strncmp(ret, "127.", 4) || !strcmp(ret, "0.0.0.0"))
		strcpy(ret, "127.0.0.1");
	return 0;
}

static json_t *request_json(const struct netctl *n, const struct mxc_plan *p);

int netctl_prepare(const struct mxc_plan *p, struct netctl **ret, struct mxc_error *reterr)
{
	_cleanup_(netctl_freep) struct netctl *n = NULL;
	uint32_t rnd = 0;
	int r;

	*ret = NULL;
	if (p->net != PLAN_NET_FIREWALL && p->net != PLAN_NET_PROXY)
		return 0;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->pidfd = n->sock = -1;
	(void)!getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK);
	(void)snprintf(n->sandbox_id, sizeof(n->sandbox_id), "%.40s%s%08x",
		       p->container_id && p->container_id[0] ? p->container_id : "",
		       p->container_id && p->container_id[0] ? "-" : "mxc-", rnd);
	if (p->net == PLAN_NET_PROXY && p->proxy.relay) {
		/* The upstream is resolved once, here (a literal resolves to itself). */
		char addr[INET_ADDRSTRLEN];

		r = strchr(p->proxy.host, ':') ? (strcpy(addr, "::1"), 0)
					       : resolve4(p->proxy.host, addr);
		if (r < 0) {
			r = mxc_error_set(
				reterr, r, MXC_ERROR_BACKEND,
				"The proxy endpoint '%s' does not resolve to an IPv4 "
				"address on the host; mxc refuses to run without its proxy",
				p->proxy.host);
			mxc_error_where(reterr, p->proxy.origin, 0, 0);
			return r;
		}
		n->relay_address = strdup(addr);
		n->listen_address = strdup(p->proxy.listen ? p->proxy.listen : addr);
		if (!n->relay_address || !n->listen_address)
			return -ENOMEM;
		if (p->proxy.pin && render_hosts(addr, p->proxy.host, &n->hosts) < 0)
			return -ENOMEM;
	}
	n->events_fd = p->events_fd;
	n->what = p->net == PLAN_NET_PROXY ? "proxy" : "firewall";
	n->where = p->net == PLAN_NET_PROXY && p->proxy.origin ? p->proxy.origin : "network";
	n->req = request_json(n, p);
	if (!n->req)
		return -ENOMEM;
	*ret = TAKE_PTR(n);
	return 0;
}

/* $MXC_NETD, next to the running program (the build tree, or bin/ with
 * libexec beside it), then the configured libexecdir. */
static int find_netd(char *buf, size_t len)
{
	const char *env = getenv("MXC_NETD");
	char exe[PATH_MAX], *slash;
	ssize_t k;

	if (env && env[0] == '/' && access(env, X_OK) == 0) {
		(void)snprintf(buf, len, "%s", env);
		return 0;
	}
	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k > 0) {
		exe[k] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			(void)snprintf(buf, len, "%s/mxc-netd", exe);
			if (access(buf, X_OK) == 0)
				return 0;
			(void)snprintf(buf, len, "%s/../libexec/mxc/mxc-netd", exe);
			if (access(buf, X_OK) == 0)
				return 0;
		}
	}
	(void)snprintf(buf, len, "%s/mxc-netd", MXC_LIBEXECDIR);
	return access(buf, X_OK) == 0 ? 0 : -ENOENT;
}

static json_t *request_json(const struct netctl *n, const struct mxc_plan *p)
{
	json_t *req = json_pack("{s:s, s:s?, s:b, s:s?, s:b, s:i}", "sandboxId", n->sandbox_id,
				"nft", p->nft, "ping", p->net == PLAN_NET_FIREWALL && p->net_ping,
				"stack", p->net == PLAN_NET_FIREWALL ? PLAN_NET_STACK : NULL,
				"ipv6", 1, "nflogGroup", PLAN_NET_NFLOG_GROUP);
	if (!req)
		return NULL;
	if (p->net_host_loopback)
		json_object_set_new(req, "hostLoopback", json_true());
	/* bwrap brings the sandbox's lo up itself, after reporting its PID 1. */
	if (p->backend == MXC_BACKEND_BUBBLEWRAP)
		json_object_set_new(req, "waitLo", json_true());
	if (p->net == PLAN_NET_PROXY) {
		const struct plan_net_proxy *x = &p->proxy;
		json_t *px = json_pack("{s:s, s:i}", "role", x->relay ? "relay" : "filter", "port",
				       (int)x->port);
		json_t *a = json_array(), *b = json_array();

		for (size_t i = 0; x->allow && x->allow[i]; i++)
			json_array_append_new(a, json_string(x->allow[i]));
		for (size_t i = 0; x->block && x->block[i]; i++)
			json_array_append_new(b, json_string(x->block[i]));
		json_object_set_new(px, "allow", a);
		json_object_set_new(px, "block", b);
		json_object_set_new(px, "defaultAllow", json_boolean(x->default_allow));
		json_object_set_new(px, "blockLocal", json_boolean(x->block_local));
		if (x->relay) {
			json_object_set_new(px, "listenAddress", json_string(n->listen_address));
			json_object_set_new(px, "upstreamAddress", json_string(n->relay_address));
			json_object_set_new(px, "upstreamPort", json_integer(x->port));
		}
		json_object_set_new(req, "proxy", px);
	}
	return req;
}

static _noreturn_ void netd_child(const char *path, int sock, int events_fd, bool log_on,
				  pid_t parent)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int c, e;

	if (proc_set_pdeathsig(SIGKILL) < 0 || getppid() != parent || null < 0)
		_exit(127);
	c = fcntl(sock, F_DUPFD_CLOEXEC, 10);
	e = fcntl(events_fd >= 0 ? events_fd : null, F_DUPFD_CLOEXEC, 10);
	/* netd's stderr (its own notices, the stack's messages) is the caller's
	 * only when diagnostics are wanted; it must not mix into the workload's
	 * output otherwise. Failures reach mxc as the JSON reply anyway. */
	if (c < 0 || e < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    (!log_on && dup2(null, 2) < 0) || dup2(c, MXC_NETD_CONTROL_FD) < 0 ||
	    dup2(e, MXC_NETD_EVENTS_FD) < 0)
		_exit(127);
	if (syscall(SYS_close_range, MXC_NETD_EVENTS_FD + 1, ~0U, 0) < 0)
		_exit(127);
	execve(path, (char *[]){(char *)"mxc-netd", NULL}, (char *[]){NULL});
	_exit(127);
}

int netctl_start(struct netctl *n, pid_t pid, struct mxc_error *reterr)
{
	_cleanup_free_ char *req = NULL;
	char path[PATH_MAX], buf[4096];
	struct pollfd pfd;
	json_t *reply;
	json_error_t jerr;
	int fds[2], k, r;
	pid_t child;
	uint64_t t0 = proc_now_usec();

	if (!n)
		return 0;
	if (find_netd(path, sizeof(path)) < 0)
		return mxc_error_set_type(reterr, -ENOENT, MXC_ERROR_BACKEND, "backend_unavailable",
					  "mxc-netd, mxc's network helper, was not found (next to "
					  "the mxc binary or in %s); it is needed for network '%s'",
					  MXC_LIBEXECDIR, n->what);
	if (json_object_set_new(n->req, "pid", json_integer(pid)) < 0 ||
	    !(req = json_dumps(n->req, JSON_COMPACT)))
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
				     "Failed to create the network helper's socket: %s",
				     strerror(errno));
	pid_t parent = getpid();
	child = (pid_t)proc_clone3(0, &n->pidfd);
	if (child < 0) {
		(void)close(fds[0]);
		(void)close(fds[1]);
		return mxc_error_set(reterr, child, MXC_ERROR_BACKEND,
				     "Failed to start the network helper: %s", strerror(-child));
	}
	if (child == 0)
		netd_child(path, fds[1], n->events_fd, mxc_log_enabled(), parent);
	n->pid = child;
	(void)close(fds[1]);
	n->sock = fds[0];

	if (send(n->sock, req, strlen(req), MSG_NOSIGNAL) < 0)
		return mxc_error_set(reterr, -errno, MXC_ERROR_BACKEND,
				     "Failed to talk to the network helper: %s", strerror(errno));
	pfd = (struct pollfd){.fd = n->sock, .events = POLLIN};
	r = poll(&pfd, 1, NETD_START_TIMEOUT_MS);
	if (r <= 0)
		return mxc_error_set(reterr, r < 0 ? -errno : -ETIMEDOUT, MXC_ERROR_BACKEND,
				     "The network helper did not report within %d ms; mxc refuses "
				     "to run with its network policy not in place",
				     NETD_START_TIMEOUT_MS);
	k = (int)recv(n->sock, buf, sizeof(buf) - 1, 0);
	if (k <= 0)
		return mxc_error_set(reterr, -EIO, MXC_ERROR_BACKEND,
				     "The network helper exited during set-up; mxc refuses to run "
				     "with its network policy not in place");
	buf[k] = '\0';
	reply = json_loads(buf, 0, &jerr);
	if (!reply || !json_is_true(json_object_get(reply, "ok"))) {
		const char *msg = json_string_value(json_object_get(reply, "error"));
		r = mxc_error_set(reterr, -EPERM, MXC_ERROR_BACKEND,
				  "Network set-up failed, so mxc refuses to run: %s",
				  msg ? msg : buf);
		mxc_error_where(reterr, n->where, 0, 0);
		json_decref(reply);
		return r;
	}
	log_debug("network: mxc-netd ready in %llu us (sandbox %s): %s",
		  (unsigned long long)(proc_now_usec() - t0), n->sandbox_id, buf);
	json_decref(reply);
	return 0;
}
