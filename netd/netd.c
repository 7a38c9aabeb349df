/* SPDX-License-Identifier: MIT */
/*
 * mxc-netd: the per-sandbox network helper; the protocol is in
 * lib/net/netd-proto.h. This file: the request, the replies, the lifecycle
 * and the event loop. The mechanisms live beside it: netd-join.c (joiner),
 * netd-addr.c (rtnetlink), netd-nft.c (nftables), netd-stack.c (user-mode
 * stack), netd-nflog.c (firewall events), netd-proxy.c (proxy process),
 * netd-summary.c (counting).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "core/strv.h"
#include "net/netd-proto.h"
#include "netd.h"

#define STOP_DRAIN_MS 3000

int netd_err(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		(void)vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

int64_t netd_now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the request ---------------------------------------------------------- */

void netd_request_done(struct netd_request *r)
{
	free(r->sandbox_id);
	free(r->nft);
	free(r->stack);
	strv_free(r->allow);
	strv_free(r->block);
	free(r->listen_address);
	free(r->upstream_address);
	memset(r, 0, sizeof(*r));
	r->nflog_group = -1;
}

static bool known_key(const char *key, const char *const *keys)
{
	for (; *keys; keys++)
		if (streq(key, *keys))
			return true;
	return false;
}

static int check_keys(json_t *o, const char *const *keys, const char *where, char *err,
		      size_t errlen)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v)
	{
		if (!known_key(key, keys))
			return netd_err(err, errlen, -EINVAL, "request: unknown field '%s%s'",
					where, key);
	}
	return 0;
}

/* Optional string (absent or null: *out stays NULL). */
static int get_str(json_t *o, const char *key, bool required, char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v)) {
		if (required)
			return netd_err(err, errlen, -EINVAL, "request: '%s' is required", key);
		return 0;
	}
	if (!json_is_string(v))
		return netd_err(err, errlen, -EINVAL, "request: '%s' must be a string", key);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return netd_err(err, errlen, -EINVAL, "request: '%s' contains a NUL byte", key);
	*out = strdup(json_string_value(v));
	return *out ? 0 : netd_err(err, errlen, -ENOMEM, "out of memory");
}

static int get_bool(json_t *o, const char *key, bool *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return netd_err(err, errlen, -EINVAL, "request: '%s' must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

static int get_int(json_t *o, const char *key, long lo, long hi, long *out, char *err,
		   size_t errlen)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 1; /* absent */
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return netd_err(err, errlen, -EINVAL,
				"request: '%s' must be an integer in %ld..%ld", key, lo, hi);
	*out = (long)json_integer_value(v);
	return 0;
}

static int get_list(json_t *o, const char *key, char ***out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key), *e;
	size_t i;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return netd_err(err, errlen, -EINVAL, "request: 'proxy.%s' must be a list", key);
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e))
			return netd_err(err, errlen, -EINVAL,
					"request: 'proxy.%s[%zu]' must be a string", key, i);
		if (strv_push(out, json_string_value(e)) < 0)
			return netd_err(err, errlen, -ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_proxy(json_t *p, struct netd_request *r, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"role",	      "port",	       "allow",		  "block",	  "defaultAllow",
		"blockLocal", "listenAddress", "upstreamAddress", "upstreamPort", NULL};
	_cleanup_free_ char *role = NULL;
	long port = 0;
	int e;

	if (!json_is_object(p))
		return netd_err(err, errlen, -EINVAL, "request: 'proxy' must be an object or null");
	e = check_keys(p, keys, "proxy.", err, errlen);
	if (e < 0)
		return e;
	e = get_str(p, "role", true, &role, err, errlen);
	if (e < 0)
		return e;
	e = get_int(p, "port", 1, 65535, &port, err, errlen);
	if (e < 0)
		return e;
	if (e > 0)
		return netd_err(err, errlen, -EINVAL, "request: 'proxy.port' is required");
	r->proxy_port = (uint16_t)port;
	if (streq(role, "filter")) {
		r->proxy_role = NETD_PROXY_FILTER;
		if ((e = get_list(p, "allow", &r->allow, err, errlen)) < 0 ||
		    (e = get_list(p, "block", &r->block, err, errlen)) < 0 ||
		    (e = get_bool(p, "defaultAllow", &r->default_allow, err, errlen)) < 0 ||
		    (e = get_bool(p, "blockLocal", &r->block_local, err, errlen)) < 0)
			return e;
		return 0;
	}
	if (streq(role, "relay")) {
		r->proxy_role = NETD_PROXY_RELAY;
		if ((e = get_str(p, "listenAddress", true, &r->listen_address, err, errlen)) < 0 ||
		    (e = get_str(p, "upstreamAddress", true, &r->upstream_address, err, errlen)) <
			    0)
			return e;
		e = get_int(p, "upstreamPort", 1, 65535, &port, err, errlen);
		if (e < 0)
			return e;
		if (e > 0)
			return netd_err(err, errlen, -EINVAL,
					"request: 'proxy.upstreamPort' is required");
		r->upstream_port = (uint16_t)port;
		return 0;
	}
	return netd_err(err, errlen, -EINVAL,
			"request: 'proxy.role' must be \"filter\" or \"relay\", not \"%s\"", role);
}

int netd_request_parse(const char *msg, size_t len, struct netd_request *r, char *err,
		       size_t errlen)
{
	static const char *const keys[] = {"pid",	   "sandboxId", "nft",	      "ping",
					   "stack",	   "ipv6",	"nflogGroup", "proxy",
					   "hostLoopback", "waitLo",	NULL};
	_cleanup_(json_decrefp) json_t *o = NULL;
	json_error_t je;
	json_t *proxy;
	long v = 0;
	int e;

	memset(r, 0, sizeof(*r));
	r->nflog_group = -1;
	o = json_loadb(msg, len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return netd_err(err, errlen, -EINVAL, "request: invalid JSON: %s", je.text);
	if (!json_is_object(o))
		return netd_err(err, errlen, -EINVAL, "request: not a JSON object");
	e = check_keys(o, keys, "", err, errlen);
	if (e < 0)
		return e;
	e = get_int(o, "pid", 1, 0x3fffffff, &v, err, errlen);
	if (e != 0)
		return e < 0 ? e : netd_err(err, errlen, -EINVAL, "request: 'pid' is required");
	r->pid = (pid_t)v;
	if ((e = get_str(o, "sandboxId", false, &r->sandbox_id, err, errlen)) < 0 ||
	    (e = get_str(o, "nft", false, &r->nft, err, errlen)) < 0 ||
	    (e = get_bool(o, "ping", &r->ping, err, errlen)) < 0 ||
	    (e = get_str(o, "stack", false, &r->stack, err, errlen)) < 0 ||
	    (e = get_bool(o, "ipv6", &r->ipv6, err, errlen)) < 0 ||
	    (e = get_bool(o, "hostLoopback", &r->host_loopback, err, errlen)) < 0 ||
	    (e = get_bool(o, "waitLo", &r->wait_lo, err, errlen)) < 0)
		return e;
	if (r->stack && !streq(r->stack, NETD_STACK_PASTA) && !streq(r->stack, NETD_STACK_SLIRP))
		return netd_err(err, errlen, -EINVAL,
				"request: 'stack' must be \"pasta\", \"slirp4netns\" or null, "
				"not \"%s\"",
				r->stack);
	e = get_int(o, "nflogGroup", 0, 65535, &v, err, errlen);
	if (e < 0)
		return e;
	if (e == 0)
		r->nflog_group = (int)v;
	proxy = json_object_get(o, "proxy");
	if (proxy && !json_is_null(proxy))
		return parse_proxy(proxy, r, err, errlen);
	return 0;
}

/* ---- replies -------------------------------------------------------------- */

static int send_json(int fd, json_t *o)
{
	_cleanup_free_ char *s = json_dumps(o, JSON_COMPACT);

	if (!s)
		return -ENOMEM;
	return send(fd, s, strlen(s), MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static void reply_error(int fd, const char *msg)
{
	_cleanup_(json_decrefp) json_t *o = json_object();

	if (!o)
		return;
	(void)json_object_set_new(o, "ok", json_false());
	(void)json_object_set_new(o, "error", json_string(msg));
	(void)send_json(fd, o);
	(void)fprintf(stderr, "mxc-netd: %s\n", msg);
}

static int reply_ok(int fd, const struct netd_stack *st)
{
	_cleanup_(json_decrefp) json_t *o = json_object();

	if (!o)
		return -ENOMEM;
	(void)json_object_set_new(o, "ok", json_true());
	(void)json_object_set_new(o, "stack", st->pid > 0 ? json_string(st->name) : json_null());
	(void)json_object_set_new(o, "ipv6", json_boolean(st->pid > 0 && st->ipv6));
	return send_json(fd, o);
}

/* ---- the running state ---------------------------------------------------- */

struct netd {
	int ctl, events;
	struct netd_request req;
	struct netd_joined joined;
	struct netd_stack stack;
	struct netd_proxy proxy;
	struct netd_summary sum;
	char linebuf[65536]; /* partial proxy event line */
	size_t linelen;
};

static void write_all(int fd, const char *p, size_t n)
{
	while (fd >= 0 && n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Forward complete proxy event lines to the events fd and count them.
 * Returns false at EOF (the proxy is gone). */
static bool read_proxy_events(struct netd *d)
{
	for (;;) {
		ssize_t n = read(d->proxy.events_fd, d->linebuf + d->linelen,
				 sizeof(d->linebuf) - d->linelen);
		char *start, *nl;

		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (n == 0)
			return false;
		d->linelen += (size_t)n;
		start = d->linebuf;
		while ((nl = memchr(start, '\n', d->linelen - (size_t)(start - d->linebuf)))) {
			size_t len = (size_t)(nl - start) + 1;

			write_all(d->events, start, len);
			netd_summary_add_line(&d->sum, start, len - 1);
			start = nl + 1;
		}
		d->linelen -= (size_t)(start - d->linebuf);
		memmove(d->linebuf, start, d->linelen);
		if (d->linelen == sizeof(d->linebuf))
			d->linelen = 0; /* an over-long line: drop it */
	}
}

static void forward_stack_stderr(struct netd *d)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(d->stack.stderr_fd, buf, sizeof(buf))) > 0)
		(void)fprintf(stderr, "mxc-netd: %s: %.*s", d->stack.name, (int)n, buf);
	if (n == 0)
		closep(&d->stack.stderr_fd);
}

static void shutdown_all(struct netd *d)
{
	int64_t deadline = netd_now_ms() + STOP_DRAIN_MS;

	if (d->proxy.pid > 0 || d->proxy.stop_fd >= 0) {
		netd_proxy_stop(&d->proxy);
		/* The proxy has exited: its last lines are in the pipe. */
		while (d->proxy.events_fd >= 0 && netd_now_ms() < deadline) {
			struct pollfd pfd = {.fd = d->proxy.events_fd, .events = POLLIN};

			(void)poll(&pfd, 1, 100);
			if (!read_proxy_events(d))
				break;
		}
	}
	closep(&d->proxy.events_fd);
	if (d->joined.nflog_fd >= 0)
		netd_nflog_read(d->joined.nflog_fd, d->events, d->req.sandbox_id, &d->sum);
	/* Our sockets in the sandbox's netns keep it alive: closed first, a netns
	 * whose sandbox is gone is torn down by the kernel in the background, and
	 * the stack's tap goes with it instead of costing ~15 ms in its close. */
	netd_joined_done(&d->joined);
	netd_stack_stop(&d->stack);
}

/* A control message while running: {"stop":true} -> true. */
static bool is_stop(const char *msg, size_t len)
{
	_cleanup_(json_decrefp) json_t *o = json_loadb(msg, len, 0, NULL);

	return o && json_is_true(json_object_get(o, "stop"));
}

static int serve(struct netd *d)
{
	static char msg[(size_t)MXC_NETD_MSG_MAX];

	for (;;) {
		struct pollfd pfd[5] = {
			{.fd = d->ctl, .events = POLLIN},
			{.fd = d->joined.nflog_fd, .events = POLLIN},
			{.fd = d->proxy.events_fd, .events = POLLIN},
			{.fd = d->stack.pidfd, .events = POLLIN},
			{.fd = d->stack.stderr_fd, .events = POLLIN},
		};

		if (poll(pfd, ELEMENTSOF(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents)
			netd_nflog_read(d->joined.nflog_fd, d->events, d->req.sandbox_id, &d->sum);
		if (pfd[2].revents && !read_proxy_events(d)) {
			(void)fprintf(stderr, "mxc-netd: the proxy exited\n");
			closep(&d->proxy.events_fd);
		}
		if (pfd[4].revents)
			forward_stack_stderr(d);
		if (pfd[3].revents) {
			/* The sandbox keeps no way out without its stack: closed. */
			(void)fprintf(stderr, "mxc-netd: the user-mode stack %s exited\n",
				      d->stack.name);
			netd_stack_stop(&d->stack);
		}
		if (pfd[0].revents) {
			ssize_t n = recv(d->ctl, msg, sizeof(msg), MSG_DONTWAIT);
			char *sum;

			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0) { /* EOF or error: stop without a summary */
				shutdown_all(d);
				return 0;
			}
			if (!is_stop(msg, (size_t)n)) {
				(void)fprintf(stderr,
					      "mxc-netd: ignoring an unknown control message\n");
				continue;
			}
			shutdown_all(d);
			sum = netd_summary_json(&d->sum);
			if (sum)
				(void)send(d->ctl, sum, strlen(sum), MSG_NOSIGNAL);
			free(sum);
			return 0;
		}
	}
}

static int fd_valid(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

int main(void)
{
	static struct netd d;
	static char msg[(size_t)MXC_NETD_MSG_MAX + 1];
	char err[NETD_ERR_MAX];
	pid_t parent = getppid();
	ssize_t n;
	int type = 0;
	socklen_t tl = sizeof(type);

	/* Die with whoever started us; if it is already gone, stop here. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		return 1;
	(void)signal(SIGPIPE, SIG_IGN);
	d.ctl = MXC_NETD_CONTROL_FD;
	d.events = fd_valid(MXC_NETD_EVENTS_FD) ? MXC_NETD_EVENTS_FD : -1;
	d.stack.pid = d.proxy.pid = -1;
	d.stack.pidfd = d.stack.stderr_fd = d.stack.exit_fd = -1;
	d.proxy.stop_fd = d.proxy.events_fd = -1;
	d.joined.nflog_fd = d.joined.rtnl_fd = d.joined.rtmon_fd = -1;
	d.req.nflog_group = -1;
	if (getsockopt(d.ctl, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 || type != SOCK_SEQPACKET) {
		(void)fprintf(stderr,
			      "mxc-netd: fd %d must be a SOCK_SEQPACKET socket (see "
			      "lib/net/netd-proto.h)\n",
			      d.ctl);
		return 2;
	}
	(void)fcntl(d.ctl, F_SETFD, FD_CLOEXEC);
	if (d.events >= 0)
		(void)fcntl(d.events, F_SETFD, FD_CLOEXEC);

	do
		n = recv(d.ctl, msg, sizeof(msg), MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n == 0 ? 0 : 1;
	if ((size_t)n > (size_t)MXC_NETD_MSG_MAX) {
		reply_error(d.ctl, "request: larger than MXC_NETD_MSG_MAX");
		return 1;
	}
	if (netd_request_parse(msg, (size_t)n, &d.req, err, sizeof(err)) < 0 ||
	    netd_join(&d.req, &d.joined, err, sizeof(err)) < 0 ||
	    (d.req.stack && netd_stack_start(&d.req, &d.joined, &d.stack, err, sizeof(err)) < 0) ||
	    netd_proxy_start(&d.req, &d.joined, &d.proxy, err, sizeof(err)) < 0) {
		reply_error(d.ctl, err);
		shutdown_all(&d);
		netd_request_done(&d.req);
		return 1;
	}
	/* The listeners live in the proxy process now; the rtnetlink sockets
	 * were only needed for the stack's readiness. */
	for (size_t i = 0; i < d.joined.n_listen; i++)
		closep(&d.joined.listen_fds[i]);
	closep(&d.joined.rtnl_fd);
	closep(&d.joined.rtmon_fd);
	if (reply_ok(d.ctl, &d.stack) < 0) {
		shutdown_all(&d);
		netd_request_done(&d.req);
		return 1;
	}
	if (serve(&d) < 0) {
		shutdown_all(&d);
		netd_request_done(&d.req);
		return 1;
	}
	netd_request_done(&d.req);
	return 0;
}
