/* SPDX-License-Identifier: MIT */
/*
 * The per-sandbox proxy (see netproxy.h): an accept loop in the caller's
 * thread and one joinable thread per client connection. Every socket is
 * non-blocking; every wait also watches an internal shutdown pipe whose
 * write end is closed when stop_fd fires, so netproxy_run() can join all
 * connection threads before it returns.
 */
#include "net/netproxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "net/netevents.h"

#define DEFAULT_MAX_CONNECTIONS 256
#define HEAD_MAX		16384
#define HEAD_TIMEOUT_MS		30000
#define CONNECT_TIMEOUT_MS	10000
#define LINGER_MS		1000
#define LINGER_MAX_BYTES	((size_t)256 * 1024)
#define COPY_BUF		((size_t)64 * 1024)
#define MAX_ADDRS		32
#define HOST_MAX		256
#define THREAD_STACK		((size_t)512 * 1024)

struct conn;

struct proxy {
	const struct netproxy_config *cfg;
	int shut_rd, shut_wr; /* closing shut_wr wakes every connection thread */
	int reap_fd;	      /* eventfd: a connection thread has finished */
	pthread_mutex_t lock; /* protects conns, active */
	struct conn *conns;
	unsigned active;
	struct netproxy_stats stats; /* atomics */
};

struct conn {
	struct proxy *p;
	pthread_t thread;
	int fd;
	bool done;
	struct conn *next;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void stat_inc(uint64_t *v)
{
	__atomic_fetch_add(v, 1, __ATOMIC_RELAXED);
}

/* ---- waiting and I/O ---------------------------------------------------- */

/* 1: ready, -ETIMEDOUT, -ECANCELED (shutting down), -errno. deadline < 0:
 * no timeout. */
static int wait_fd(struct proxy *p, int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pf[2] = {{fd, events, 0}, {p->shut_rd, POLLIN, 0}};
		int timeout = -1;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();
			if (left <= 0)
				return -ETIMEDOUT;
			timeout = left > 60000 ? 60000 : (int)left;
		}
		int r = poll(pf, 2, timeout);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pf[1].revents)
			return -ECANCELED;
		if (pf[0].revents)
			return 1;
	}
}

static int send_all(struct proxy *p, int fd, const void *buf, size_t len, int64_t deadline)
{
	const char *b = buf;

	while (len > 0) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			b += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int r = wait_fd(p, fd, POLLOUT, deadline);
		if (r < 0)
			return r;
	}
	return 0;
}

/* > 0: bytes read, 0: EOF, < 0: -errno / -ETIMEDOUT / -ECANCELED. */
static ssize_t recv_some(struct proxy *p, int fd, void *buf, size_t len, int64_t deadline)
{
	for (;;) {
		ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int r = wait_fd(p, fd, POLLIN, deadline);
		if (r < 0)
			return r;
	}
}

/* Send our last words and let the client read them: half-close, then drain
 * what it still sends for a moment so that close() does not reset. */
static void linger_close(struct proxy *p, int fd)
{
	char buf[4096];
	int64_t deadline = now_ms() + LINGER_MS;
	size_t total = 0;

	(void)shutdown(fd, SHUT_WR);
	while (total < LINGER_MAX_BYTES) {
		ssize_t n = recv_some(p, fd, buf, sizeof(buf), deadline);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
}

static void set_nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static socklen_t sockaddr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static void set_port(struct sockaddr_storage *ss, unsigned port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
}

static void format_addr(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET6
				? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
				: (const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static unsigned sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* Connected non-blocking socket or -errno. */
static int connect_to(struct proxy *p, const struct sockaddr_storage *ss, socklen_t len)
{
	_cleanup_close_ int fd = -1;
	int err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)ss, len) < 0) {
		if (errno != EINPROGRESS && errno != EINTR)
			return -errno;
		int r = wait_fd(p, fd, POLLOUT, now_ms() + CONNECT_TIMEOUT_MS);
		if (r < 0)
			return r;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
			return -errno;
		if (err)
			return -err;
	}
	set_nodelay(fd);
	return TAKE_FD(fd);
}

/* ---- bidirectional copy ------------------------------------------------- */

struct half {
	int from, to;
	char *buf;
	size_t len, off;
	uint64_t left; /* bytes still to pass on */
	bool eof, shut;
};

#define UNLIMITED UINT64_MAX

/* Copy a<->b until both directions are finished; each EOF is passed on as
 * shutdown(SHUT_WR). `pre` is sent to b first. At most a2b_limit bytes
 * (pre included) go from a to b: then that direction just stops (no
 * shutdown), which keeps a pipelined second HTTP request from reaching the
 * origin unchecked. */
static void splice_pair(struct proxy *p, int a, int b, const char *pre, size_t pre_len,
			uint64_t a2b_limit)
{
	_cleanup_free_ char *mem = malloc(2 * (size_t)COPY_BUF);
	struct half h[2] = {{.from = a, .to = b, .left = a2b_limit},
			    {.from = b, .to = a, .left = UNLIMITED}};

	if (!mem || pre_len > COPY_BUF)
		return;
	h[0].buf = mem;
	h[1].buf = mem + COPY_BUF;
	if (pre_len > a2b_limit)
		pre_len = (size_t)a2b_limit;
	if (pre_len) {
		memcpy(h[0].buf, pre, pre_len);
		h[0].len = pre_len;
		h[0].left -= pre_len;
	}

	while (!(h[0].shut && h[1].shut)) {
		for (int i = 0; i < 2; i++) {
			struct half *x = &h[i];
			if (!x->eof && x->len == 0 && x->left == 0) {
				/* limit reached: done, the peer is not told */
				x->eof = x->shut = true;
			}
			if (!x->eof && x->len == 0) {
				size_t want = x->left < COPY_BUF ? (size_t)x->left : COPY_BUF;
				ssize_t n = recv(x->from, x->buf, want, MSG_DONTWAIT);
				if (n > 0) {
					x->len = (size_t)n;
					x->off = 0;
					if (x->left != UNLIMITED)
						x->left -= (uint64_t)n;
				} else if (n == 0) {
					x->eof = true;
				} else if (errno != EAGAIN && errno != EWOULDBLOCK &&
					   errno != EINTR) {
					return;
				}
			}
			if (x->len > 0) {
				ssize_t n = send(x->to, x->buf + x->off, x->len,
						 MSG_NOSIGNAL | MSG_DONTWAIT);
				if (n > 0) {
					x->off += (size_t)n;
					x->len -= (size_t)n;
				} else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
					   errno != EINTR) {
					return;
				}
			}
			if (x->eof && x->len == 0 && !x->shut) {
				(void)shutdown(x->to, SHUT_WR);
				x->shut = true;
			}
		}
		if (h[0].shut && h[1].shut)
			break;

		short ev_a = 0, ev_b = 0;
		if (!h[0].eof && h[0].len == 0)
			ev_a |= POLLIN;
		if (h[0].len > 0)
			ev_b |= POLLOUT;
		if (!h[1].eof && h[1].len == 0)
			ev_b |= POLLIN;
		if (h[1].len > 0)
			ev_a |= POLLOUT;
		/* An fd we wait nothing from is left out: its POLLHUP would spin. */
		struct pollfd pf[3] = {{ev_a ? a : -1, ev_a, 0},
				       {ev_b ? b : -1, ev_b, 0},
				       {p->shut_rd, POLLIN, 0}};
		int r = poll(pf, 3, -1);
		if (r < 0 && errno != EINTR)
			return;
		if (pf[2].revents)
			return;
		if ((pf[0].revents | pf[1].revents) & POLLERR)
			return;
	}
}

/* ---- events and decisions ----------------------------------------------- */

static void emit(struct proxy *p, const char *decision, const char *protocol, const char *host,
		 const char *address, unsigned port, const char *rule, const char *reason)
{
	struct netevent ev = {
		.source = "proxy",
		.decision = decision,
		.protocol = protocol,
		.host = host,
		.address = address,
		.port = port,
		.rule = rule,
		.reason = reason,
	};

	(void)netevent_write(p->cfg->events_fd, p->cfg->sandbox_id, &ev);
}

enum target_status {
	TARGET_OK,
	TARGET_DENIED,
	TARGET_UNRESOLVED,
	TARGET_UNREACHABLE,
};

struct target {
	const char *protocol;
	char host[HOST_MAX];
	unsigned port;
	struct hostmatch_result res;
	int err; /* positive errno for UNRESOLVED/UNREACHABLE */
};

static void deny(struct proxy *p, struct target *t, const char *address)
{
	stat_inc(&p->stats.denied);
	emit(p, "deny", t->protocol, t->host, address, t->port, t->res.rule, NULL);
}

/* Decide on the name, resolve, decide on every address, connect to a
 * checked address. Fills *out_fd on TARGET_OK. */
static enum target_status open_target(struct proxy *p, struct target *t, int *out_fd)
{
	const struct netproxy_config *cfg = p->cfg;
	struct sockaddr_storage addrs[MAX_ADDRS];
	char abuf[INET6_ADDRSTRLEN];
	bool literal;
	int n;

	hostmatch_refresh(cfg->rules, cfg->resolve, cfg->resolve_data);

	literal = hostmatch_parse_literal(t->host, &addrs[0]);
	if (literal)
		format_addr(&addrs[0], abuf, sizeof(abuf));

	/* 1. the name alone (no lookup for a refused name) */
	hostmatch_decide(cfg->rules, t->host, NULL, 0, &t->res);
	if (t->res.verdict != HOSTMATCH_ALLOW) {
		deny(p, t, literal ? abuf : NULL);
		return TARGET_DENIED;
	}

	/* 2. resolve once; these addresses are the only ones we connect to */
	if (literal) {
		n = 1;
	} else {
		n = cfg->resolve ? cfg->resolve(t->host, addrs, MAX_ADDRS, cfg->resolve_data)
				 : hostmatch_resolve_default(t->host, addrs, MAX_ADDRS, NULL);
		if (n > MAX_ADDRS)
			n = MAX_ADDRS;
		if (n <= 0) {
			t->err = n < 0 ? -n : ENOENT;
			stat_inc(&p->stats.failed);
			return TARGET_UNRESOLVED;
		}
	}

	/* 3. every address */
	hostmatch_decide(cfg->rules, t->host, addrs, (size_t)n, &t->res);
	if (t->res.verdict != HOSTMATCH_ALLOW) {
		int i = t->res.address_index;
		if (i >= 0 && i < n)
			format_addr(&addrs[i], abuf, sizeof(abuf));
		deny(p, t, (i >= 0 && i < n) || literal ? abuf : NULL);
		return TARGET_DENIED;
	}

	/* 4. connect, in resolver order */
	int fd = -ENOENT;
	int used = 0;
	for (int i = 0; i < n; i++) {
		set_port(&addrs[i], t->port);
		fd = connect_to(p, &addrs[i], sockaddr_len(&addrs[i]));
		used = i;
		if (fd >= 0 || fd == -ECANCELED)
			break;
	}
	format_addr(&addrs[used], abuf, sizeof(abuf));
	stat_inc(&p->stats.allowed);
	if (fd < 0) {
		char reason[128];
		snprintf(reason, sizeof(reason), "connect failed: %s", strerror(-fd));
		emit(p, "allow", t->protocol, t->host, abuf, t->port, t->res.rule, reason);
		stat_inc(&p->stats.failed);
		t->err = -fd;
		return TARGET_UNREACHABLE;
	}
	emit(p, "allow", t->protocol, t->host, abuf, t->port, t->res.rule, NULL);
	*out_fd = fd;
	return TARGET_OK;
}

/* ---- HTTP --------------------------------------------------------------- */

static const char *status_text(int code)
{
	switch (code) {
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 408:
		return "Request Timeout";
	case 431:
		return "Request Header Fields Too Large";
	case 502:
		return "Bad Gateway";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Error";
	}
}

/* Answer with a one-line text/plain body and close. */
static void http_error(struct proxy *p, int fd, int code, const char *fmt, ...) _printf_(4, 5);

static void http_error(struct proxy *p, int fd, int code, const char *fmt, ...)
{
	char body[256], msg[512];
	va_list ap;
	int len;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body) - 1, fmt, ap);
	va_end(ap);
	/* one line: no CR/LF from the arguments */
	for (char *c = body; *c; c++)
		if (*c == '\r' || *c == '\n')
			*c = ' ';
	strcat(body, "\n");
	len = snprintf(msg, sizeof(msg),
		       "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
		       "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
		       code, status_text(code), strlen(body), body);
	if (len > 0)
		(void)send_all(p, fd, msg,
			       (size_t)len < sizeof(msg) ? (size_t)len : sizeof(msg) - 1,
			       now_ms() + LINGER_MS);
	linger_close(p, fd);
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Parse "host[:port]" / "[v6][:port]" (len bytes). default_port 0: a port
 * is required. Sets *has_port. */
static bool parse_authority(const char *s, size_t len, char *host, unsigned *port,
			    unsigned default_port, bool *has_port)
{
	const char *h = s, *colon = NULL;
	size_t hlen;
	bool bracket = false;

	if (len == 0)
		return false;
	if (s[0] == '[') {
		const char *end = memchr(s, ']', len);
		if (!end || end == s + 1)
			return false;
		h = s + 1;
		hlen = (size_t)(end - h);
		bracket = true;
		if (end + 1 < s + len) {
			if (end[1] != ':')
				return false;
			colon = end + 1;
		}
	} else {
		colon = memchr(s, ':', len);
		if (colon && memchr(colon + 1, ':', len - (size_t)(colon + 1 - s)))
			return false; /* unbracketed IPv6 */
		hlen = colon ? (size_t)(colon - s) : len;
	}
	if (hlen == 0 || hlen >= HOST_MAX)
		return false;
	for (size_t i = 0; i < hlen; i++)
		if ((unsigned char)h[i] <= 0x20 || h[i] == 0x7f || h[i] == '@' || h[i] == '/')
			return false;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (bracket) {
		struct in6_addr a6;
		if (inet_pton(AF_INET6, host, &a6) != 1)
			return false;
	}

	*has_port = false;
	*port = default_port;
	if (colon) {
		const char *q = colon + 1, *end = s + len;
		unsigned v = 0;
		if (q == end || end - q > 5)
			return false;
		for (; q < end; q++) {
			if (*q < '0' || *q > '9')
				return false;
			v = v * 10 + (unsigned)(*q - '0');
		}
		if (v == 0 || v > 65535)
			return false;
		*port = v;
		*has_port = true;
	}
	return *port != 0;
}

static void host_norm(const char *in, char *out)
{
	size_t len = strlen(in);

	if (len > 0 && in[len - 1] == '.')
		len--;
	for (size_t i = 0; i < len; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
	out[len] = '\0';
}

static bool same_host(const char *a, const char *b)
{
	char na[HOST_MAX], nb[HOST_MAX];
	struct sockaddr_storage sa, sb;

	if (hostmatch_parse_literal(a, &sa) && hostmatch_parse_literal(b, &sb))
		return sa.ss_family == sb.ss_family && memcmp(&sa, &sb, sizeof(sa)) == 0;
	host_norm(a, na);
	host_norm(b, nb);
	return streq(na, nb);
}

struct header {
	const char *name, *value;
	size_t nlen, vlen;
};

static bool header_is(const struct header *h, const char *name)
{
	return h->nlen == strlen(name) && strncasecmp(h->name, name, h->nlen) == 0;
}

/* Is `name` one of the comma-separated tokens in `list`? */
static bool token_listed(const char *list, size_t len, const char *name, size_t nlen)
{
	size_t i = 0;

	while (i < len) {
		while (i < len && (list[i] == ' ' || list[i] == '\t' || list[i] == ','))
			i++;
		size_t start = i;
		while (i < len && list[i] != ',' && list[i] != ' ' && list[i] != '\t')
			i++;
		if (i - start == nlen && strncasecmp(list + start, name, nlen) == 0)
			return true;
		while (i < len && list[i] != ',')
			i++;
	}
	return false;
}

static bool drop_header(const struct header *h, const struct header *hs, size_t n)
{
	static const char *const hop[] = {"connection", "keep-alive", "proxy-connection", "te",
					  "upgrade"};

	if (h->nlen >= 6 && strncasecmp(h->name, "proxy-", 6) == 0)
		return true;
	for (size_t i = 0; i < ELEMENTSOF(hop); i++)
		if (header_is(h, hop[i]))
			return true;
	/* Headers named by Connection, except those that frame the body. */
	if (header_is(h, "host") || header_is(h, "content-length") ||
	    header_is(h, "transfer-encoding"))
		return false;
	for (size_t i = 0; i < n; i++)
		if (header_is(&hs[i], "connection") &&
		    token_listed(hs[i].value, hs[i].vlen, h->name, h->nlen))
			return true;
	return false;
}

/* Offset just past the blank line ending the head, or 0. */
static size_t head_end(const char *b, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (b[i] != '\n')
			continue;
		if (b[i + 1] == '\n')
			return i + 2;
		if (b[i + 1] == '\r' && i + 2 < len && b[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

struct buf {
	char *d;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *d = realloc(b->d, cap);
		if (!d)
			return -ENOMEM;
		b->d = d;
		b->cap = cap;
	}
	if (!b->d)
		return -ENOMEM;
	memcpy(b->d + b->len, s, len);
	b->len += len;
	b->d[b->len] = '\0';
	return 0;
}

static int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

static void handle_http(struct proxy *p, int fd, char *in, size_t have, int64_t deadline)
{
	size_t end;

	/* the head, at most HEAD_MAX bytes, before the deadline */
	while (!(end = head_end(in, have))) {
		if (have >= HEAD_MAX) {
			http_error(p, fd, 431, "request head larger than %d bytes", HEAD_MAX);
			return;
		}
		ssize_t n = recv_some(p, fd, in + have, HEAD_MAX - have, deadline);
		if (n == -ETIMEDOUT) {
			http_error(p, fd, 408, "request head not received in time");
			return;
		}
		if (n <= 0)
			return;
		have += (size_t)n;
	}

	/* split into lines (in place) */
	size_t max_lines = 1;
	for (size_t i = 0; i < end; i++)
		max_lines += in[i] == '\n';
	_cleanup_free_ struct header *hs = calloc(max_lines, sizeof(*hs));
	if (!hs)
		return;
	char *line = in, *stop = in + end;
	char *req = NULL;
	size_t n_hs = 0;
	while (line < stop) {
		char *nl = memchr(line, '\n', (size_t)(stop - line));
		size_t llen = (size_t)(nl - line);
		if (llen > 0 && line[llen - 1] == '\r')
			llen--;
		line[llen] = '\0';
		if (llen == 0) {
			if (!req) { /* tolerate leading empty lines */
				line = nl + 1;
				continue;
			}
			break;
		}
		if (memchr(line, '\0', llen) || memchr(line, '\r', llen)) {
			http_error(p, fd, 400, "malformed request head");
			return;
		}
		if (!req) {
			req = line;
		} else {
			if (line[0] == ' ' || line[0] == '\t') {
				http_error(p, fd, 400, "folded header lines are not supported");
				return;
			}
			char *colon = memchr(line, ':', llen);
			if (!colon || colon == line) {
				http_error(p, fd, 400, "malformed header line");
				return;
			}
			for (char *c = line; c < colon; c++) {
				if (!is_tchar(*c)) {
					http_error(p, fd, 400, "malformed header name");
					return;
				}
			}
			struct header *h = &hs[n_hs++];
			h->name = line;
			h->nlen = (size_t)(colon - line);
			char *v = colon + 1, *ve = line + llen;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			h->value = v;
			h->vlen = (size_t)(ve - v);
		}
		line = nl + 1;
	}
	if (!req) {
		http_error(p, fd, 400, "empty request");
		return;
	}

	/* request line: METHOD SP TARGET SP HTTP/1.x */
	char *sp1 = strchr(req, ' ');
	char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || sp1 == req || sp2 == sp1 + 1 || strchr(sp2 + 1, ' ')) {
		http_error(p, fd, 400, "malformed request line");
		return;
	}
	*sp1 = *sp2 = '\0';
	const char *method = req, *target = sp1 + 1, *version = sp2 + 1;
	for (const char *c = method; *c; c++) {
		if (!is_tchar(*c)) {
			http_error(p, fd, 400, "malformed request method");
			return;
		}
	}
	for (const char *c = target; *c; c++) {
		if ((unsigned char)*c <= 0x20 || *c == 0x7f) {
			http_error(p, fd, 400, "malformed request target");
			return;
		}
	}
	if (strcmp(version, "HTTP/1.1") != 0 && strcmp(version, "HTTP/1.0") != 0) {
		http_error(p, fd, 505, "only HTTP/1.0 and HTTP/1.1 are supported");
		return;
	}

	bool is_connect = streq(method, "CONNECT");
	struct target t = {.protocol = is_connect ? "https" : "http"};
	const char *path = "/";
	bool has_port;
	_cleanup_free_ char *path_buf = NULL;

	if (is_connect) {
		if (!parse_authority(target, strlen(target), t.host, &t.port, 0, &has_port)) {
			http_error(p, fd, 400, "CONNECT target must be host:port");
			return;
		}
	} else {
		if (strncasecmp(target, "http://", 7) != 0) {
			if (strncasecmp(target, "https://", 8) == 0)
				http_error(p, fd, 400, "use CONNECT for https:// targets");
			else
				http_error(p, fd, 400,
					   "request target must be an absolute http:// URI");
			return;
		}
		const char *auth = target + 7;
		size_t alen = strcspn(auth, "/?#");
		if (!parse_authority(auth, alen, t.host, &t.port, 80, &has_port)) {
			http_error(p, fd, 400, "malformed request target authority");
			return;
		}
		const char *rest = auth + alen;
		if (*rest == '/') {
			path = rest;
		} else if (*rest == '?') {
			if (asprintf(&path_buf, "/%s", rest) < 0)
				return;
			path = path_buf;
		}
	}

	/* Host header(s): at most one, naming the target */
	const struct header *host_h = NULL;
	for (size_t i = 0; i < n_hs; i++) {
		if (!header_is(&hs[i], "host"))
			continue;
		if (host_h) {
			http_error(p, fd, 400, "more than one Host header");
			return;
		}
		host_h = &hs[i];
	}
	if (host_h) {
		char hh[HOST_MAX];
		unsigned hport;
		bool hhas_port;
		if (!parse_authority(host_h->value, host_h->vlen, hh, &hport, t.port, &hhas_port) ||
		    !same_host(hh, t.host) || (hhas_port && hport != t.port)) {
			t.res.verdict = HOSTMATCH_DENY;
			snprintf(t.res.rule, sizeof(t.res.rule), "Host header mismatch");
			stat_inc(&p->stats.denied);
			emit(p, "deny", t.protocol, t.host, NULL, t.port, t.res.rule,
			     "Host header does not match request target");
			http_error(p, fd, 403, "Host header does not match request target");
			return;
		}
	}

	/* The request body: Content-Length bytes; chunked: to the end. */
	uint64_t body = 0;
	bool have_cl = false, chunked = false;
	for (size_t i = 0; !is_connect && i < n_hs; i++) {
		if (header_is(&hs[i], "transfer-encoding")) {
			chunked = true;
		} else if (header_is(&hs[i], "content-length")) {
			uint64_t v = 0;
			bool ok = hs[i].vlen > 0 && hs[i].vlen <= 18;
			for (size_t k = 0; ok && k < hs[i].vlen; k++) {
				char c = hs[i].value[k];
				ok = c >= '0' && c <= '9';
				v = v * 10 + (uint64_t)(c - '0');
			}
			if (!ok || (have_cl && v != body)) {
				http_error(p, fd, 400, "invalid Content-Length");
				return;
			}
			body = v;
			have_cl = true;
		}
	}
	if (chunked && have_cl) {
		http_error(p, fd, 400, "both Content-Length and Transfer-Encoding");
		return;
	}

	_cleanup_close_ int up = -1;
	switch (open_target(p, &t, &up)) {
	case TARGET_OK:
		break;
	case TARGET_DENIED:
		http_error(p, fd, 403, "blocked by the sandbox network policy (%s)", t.res.rule);
		return;
	case TARGET_UNRESOLVED:
		http_error(p, fd, 502, "cannot resolve %s: %s", t.host, strerror(t.err));
		return;
	case TARGET_UNREACHABLE:
		http_error(p, fd, 502, "cannot connect to %s port %u: %s", t.host, t.port,
			   strerror(t.err));
		return;
	}

	const char *rest = in + end;
	size_t rest_len = have - end;
	if (is_connect) {
		static const char ok[] = "HTTP/1.1 200 Connection established\r\n\r\n";
		if (send_all(p, fd, ok, sizeof(ok) - 1, now_ms() + CONNECT_TIMEOUT_MS) < 0)
			return;
		splice_pair(p, fd, up, rest, rest_len, UNLIMITED);
		return;
	}

	/* origin-form request, hop-by-hop and Proxy-* headers removed */
	struct buf out = {0};
	int r = 0;
	r |= buf_adds(&out, method);
	r |= buf_adds(&out, " ");
	r |= buf_adds(&out, path);
	r |= buf_adds(&out, " ");
	r |= buf_adds(&out, version);
	r |= buf_adds(&out, "\r\n");
	if (!host_h) {
		char hv[HOST_MAX + 16];
		bool v6 = strchr(t.host, ':') != NULL;
		if (t.port == 80)
			snprintf(hv, sizeof(hv), "Host: %s%s%s\r\n", v6 ? "[" : "", t.host,
				 v6 ? "]" : "");
		else
			snprintf(hv, sizeof(hv), "Host: %s%s%s:%u\r\n", v6 ? "[" : "", t.host,
				 v6 ? "]" : "", t.port);
		r |= buf_adds(&out, hv);
	}
	for (size_t i = 0; i < n_hs; i++) {
		if (drop_header(&hs[i], hs, n_hs))
			continue;
		r |= buf_add(&out, hs[i].name, hs[i].nlen);
		r |= buf_adds(&out, ": ");
		r |= buf_add(&out, hs[i].value, hs[i].vlen);
		r |= buf_adds(&out, "\r\n");
	}
	r |= buf_adds(&out, "Connection: close\r\n\r\n");
	if (r == 0)
		r = send_all(p, up, out.d, out.len, now_ms() + CONNECT_TIMEOUT_MS);
	free(out.d);
	if (r < 0)
		return;
	splice_pair(p, fd, up, rest, rest_len, chunked ? UNLIMITED : body);
	/* bytes the client sent beyond the request are dropped, not reset */
	linger_close(p, fd);
}

/* ---- SOCKS5 ------------------------------------------------------------- */

enum {
	SOCKS_OK = 0x00,
	SOCKS_FAIL = 0x01,
	SOCKS_NOT_ALLOWED = 0x02,
	SOCKS_HOST_UNREACHABLE = 0x04,
	SOCKS_REFUSED = 0x05,
	SOCKS_BAD_COMMAND = 0x07,
	SOCKS_BAD_ATYP = 0x08,
};

static int socks_reply(struct proxy *p, int fd, uint8_t code, int up)
{
	uint8_t msg[22] = {0x05, code, 0x00, 0x01};
	size_t len = 10;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (up >= 0 && getsockname(up, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
			msg[3] = 0x04;
			memcpy(msg + 4, &s6->sin6_addr, 16);
			memcpy(msg + 20, &s6->sin6_port, 2);
			len = 22;
		} else if (ss.ss_family == AF_INET) {
			const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
			memcpy(msg + 4, &s4->sin_addr, 4);
			memcpy(msg + 8, &s4->sin_port, 2);
		}
	}
	return send_all(p, fd, msg, len, now_ms() + CONNECT_TIMEOUT_MS);
}

/* Read until `in` holds at least `want` bytes. */
static bool need(struct proxy *p, int fd, char *in, size_t *have, size_t want, int64_t deadline)
{
	if (want > HEAD_MAX)
		return false;
	while (*have < want) {
		ssize_t n = recv_some(p, fd, in + *have, HEAD_MAX - *have, deadline);
		if (n <= 0)
			return false;
		*have += (size_t)n;
	}
	return true;
}

static void handle_socks5(struct proxy *p, int fd, char *in, size_t have, int64_t deadline)
{
	const uint8_t *u = (const uint8_t *)in;

	/* greeting: VER NMETHODS METHODS... ; we take "no authentication" */
	if (!need(p, fd, in, &have, 2, deadline))
		return;
	size_t greet = 2 + u[1];
	if (!need(p, fd, in, &have, greet, deadline))
		return;
	if (!memchr(in + 2, 0x00, u[1])) {
		static const uint8_t no[] = {0x05, 0xff};
		(void)send_all(p, fd, no, sizeof(no), deadline);
		linger_close(p, fd);
		return;
	}
	static const uint8_t yes[] = {0x05, 0x00};
	if (send_all(p, fd, yes, sizeof(yes), deadline) < 0)
		return;

	/* request: VER CMD RSV ATYP DST.ADDR DST.PORT */
	size_t base = greet;
	if (!need(p, fd, in, &have, base + 5, deadline))
		return;
	if (u[base] != 0x05)
		return;
	uint8_t cmd = u[base + 1], atyp = u[base + 3];
	size_t alen;
	switch (atyp) {
	case 0x01:
		alen = 4;
		break;
	case 0x04:
		alen = 16;
		break;
	case 0x03:
		alen = 1 + (size_t)u[base + 4];
		break;
	default:
		(void)socks_reply(p, fd, SOCKS_BAD_ATYP, -1);
		linger_close(p, fd);
		return;
	}
	size_t req_len = base + 4 + alen + 2;
	if (!need(p, fd, in, &have, req_len, deadline))
		return;

	struct target t = {.protocol = "socks5"};
	const uint8_t *a = u + base + 4;
	if (atyp == 0x01) {
		inet_ntop(AF_INET, a, t.host, sizeof(t.host));
	} else if (atyp == 0x04) {
		inet_ntop(AF_INET6, a, t.host, sizeof(t.host));
	} else {
		size_t nl = a[0]; /* < HOST_MAX */
		/* A NUL inside the name leaves an empty (invalid) host. */
		if (nl > 0 && !memchr(a + 1, 0, nl)) {
			memcpy(t.host, a + 1, nl);
			t.host[nl] = '\0';
		}
	}
	t.port = (unsigned)a[alen] << 8 | a[alen + 1];

	if (cmd != 0x01) {
		(void)socks_reply(p, fd, SOCKS_BAD_COMMAND, -1);
		linger_close(p, fd);
		return;
	}
	if (t.port == 0) {
		(void)socks_reply(p, fd, SOCKS_FAIL, -1);
		linger_close(p, fd);
		return;
	}

	_cleanup_close_ int up = -1;
	uint8_t code;
	switch (open_target(p, &t, &up)) {
	case TARGET_OK:
		code = SOCKS_OK;
		break;
	case TARGET_DENIED:
		code = SOCKS_NOT_ALLOWED;
		break;
	case TARGET_UNRESOLVED:
		code = SOCKS_HOST_UNREACHABLE;
		break;
	default:
		code = t.err == ECONNREFUSED ? SOCKS_REFUSED : SOCKS_HOST_UNREACHABLE;
		break;
	}
	if (socks_reply(p, fd, code, up) < 0)
		return;
	if (code != SOCKS_OK) {
		linger_close(p, fd);
		return;
	}
	splice_pair(p, fd, up, in + req_len, have - req_len, UNLIMITED);
}

/* ---- roles -------------------------------------------------------------- */

static void handle_filter(struct proxy *p, int fd)
{
	unsigned ms = p->cfg->head_timeout_ms ? p->cfg->head_timeout_ms : HEAD_TIMEOUT_MS;
	int64_t deadline = now_ms() + ms;
	_cleanup_free_ char *in = malloc(HEAD_MAX + 1);

	if (!in)
		return;
	ssize_t n = recv_some(p, fd, in, HEAD_MAX, deadline);
	if (n <= 0)
		return;
	if (in[0] == 0x05)
		handle_socks5(p, fd, in, (size_t)n, deadline);
	else
		handle_http(p, fd, in, (size_t)n, deadline);
}

static void handle_relay(struct proxy *p, int fd)
{
	const struct netproxy_config *cfg = p->cfg;
	char abuf[INET6_ADDRSTRLEN];
	char reason[128];
	_cleanup_close_ int up = -1;

	format_addr(&cfg->upstream, abuf, sizeof(abuf));
	up = connect_to(p, &cfg->upstream, cfg->upstream_len);
	stat_inc(&p->stats.allowed);
	if (up < 0) {
		if (up == -ECANCELED)
			return;
		stat_inc(&p->stats.failed);
		snprintf(reason, sizeof(reason), "connect failed: %s", strerror(-up));
		emit(p, "allow", "tcp", cfg->upstream_name, abuf, sockaddr_port(&cfg->upstream),
		     "relay", reason);
		return;
	}
	emit(p, "allow", "tcp", cfg->upstream_name, abuf, sockaddr_port(&cfg->upstream), "relay",
	     NULL);
	splice_pair(p, fd, up, NULL, 0, UNLIMITED);
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct proxy *p = c->p;
	uint64_t one = 1;

	(void)pthread_setname_np(pthread_self(), "mxc-proxy-conn");
	set_nodelay(c->fd);
	if (p->cfg->role == NETPROXY_RELAY)
		handle_relay(p, c->fd);
	else
		handle_filter(p, c->fd);
	(void)close(c->fd);
	c->fd = -1;

	pthread_mutex_lock(&p->lock);
	c->done = true;
	p->active--;
	pthread_mutex_unlock(&p->lock);
	(void)!write(p->reap_fd, &one, sizeof(one));
	return NULL;
}

/* ---- accept loop -------------------------------------------------------- */

/* Join finished connection threads (all of them when `all`). */
static void reap(struct proxy *p, bool all)
{
	struct conn *list = NULL;

	pthread_mutex_lock(&p->lock);
	for (struct conn **pp = &p->conns; *pp;) {
		struct conn *c = *pp;
		if (all || c->done) {
			*pp = c->next;
			c->next = list;
			list = c;
		} else {
			pp = &c->next;
		}
	}
	pthread_mutex_unlock(&p->lock);
	while (list) {
		struct conn *c = list;
		list = c->next;
		pthread_join(c->thread, NULL);
		free(c);
	}
}

static void spawn(struct proxy *p, int fd, unsigned max)
{
	pthread_attr_t attr;
	struct conn *c;

	pthread_mutex_lock(&p->lock);
	if (p->active >= max) {
		pthread_mutex_unlock(&p->lock);
		stat_inc(&p->stats.failed);
		(void)close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		pthread_mutex_unlock(&p->lock);
		(void)close(fd);
		return;
	}
	c->p = p;
	c->fd = fd;
	c->next = p->conns;
	p->conns = c;
	p->active++;
	pthread_mutex_unlock(&p->lock);

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	int r = pthread_create(&c->thread, &attr, conn_main, c);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		pthread_mutex_lock(&p->lock);
		for (struct conn **pp = &p->conns; *pp; pp = &(*pp)->next) {
			if (*pp == c) {
				*pp = c->next;
				break;
			}
		}
		p->active--;
		pthread_mutex_unlock(&p->lock);
		stat_inc(&p->stats.failed);
		(void)close(fd);
		free(c);
	}
}

int netproxy_run(const struct netproxy_config *cfg, struct netproxy_stats *stats)
{
	struct proxy p = {.cfg = cfg, .shut_rd = -1, .shut_wr = -1, .reap_fd = -1};
	_cleanup_free_ struct pollfd *pf = NULL;
	int pipefd[2];
	int ret = 0;

	if (!cfg || !cfg->listen_fds || cfg->n_listen_fds == 0)
		return -EINVAL;
	if (cfg->role == NETPROXY_FILTER && !cfg->rules)
		return -EINVAL;
	if (cfg->role == NETPROXY_RELAY &&
	    (cfg->upstream_len == 0 ||
	     (cfg->upstream.ss_family != AF_INET && cfg->upstream.ss_family != AF_INET6)))
		return -EINVAL;
	unsigned max = cfg->max_connections ? cfg->max_connections : DEFAULT_MAX_CONNECTIONS;

	pf = calloc(cfg->n_listen_fds + 2, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	p.shut_rd = pipefd[0];
	p.shut_wr = pipefd[1];
	p.reap_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p.reap_fd < 0) {
		ret = -errno;
		goto out_fds;
	}
	if (pthread_mutex_init(&p.lock, NULL) != 0) {
		ret = -ENOMEM;
		goto out_fds;
	}

	/* jansson seeds its hash on first use; do it before any thread exists. */
	json_object_seed(0);
	/* Blocked names are resolved before the first request is served. */
	if (cfg->role == NETPROXY_FILTER)
		hostmatch_refresh(cfg->rules, cfg->resolve, cfg->resolve_data);

	pf[0] = (struct pollfd){cfg->stop_fd, POLLIN, 0};
	pf[1] = (struct pollfd){p.reap_fd, POLLIN, 0};
	for (size_t i = 0; i < cfg->n_listen_fds; i++)
		pf[i + 2] = (struct pollfd){cfg->listen_fds[i], POLLIN, 0};
	nfds_t nfds = (nfds_t)cfg->n_listen_fds + 2;
	int64_t accept_pause_until = 0;

	for (;;) {
		int timeout = -1;
		bool paused = accept_pause_until > now_ms();
		for (size_t i = 0; i < cfg->n_listen_fds; i++)
			pf[i + 2].fd = paused ? -1 : cfg->listen_fds[i];
		if (paused)
			timeout = (int)(accept_pause_until - now_ms()) + 1;

		int r = poll(pf, nfds, timeout);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (pf[0].revents)
			break;
		if (pf[1].revents) {
			uint64_t v;
			(void)!read(p.reap_fd, &v, sizeof(v));
			reap(&p, false);
		}
		for (size_t i = 0; i < cfg->n_listen_fds; i++) {
			if (!pf[i + 2].revents)
				continue;
			for (int k = 0; k < 64; k++) {
				int fd = accept4(cfg->listen_fds[i], NULL, NULL,
						 SOCK_CLOEXEC | SOCK_NONBLOCK);
				if (fd >= 0) {
					spawn(&p, fd, max);
					continue;
				}
				if (errno == EINTR || errno == ECONNABORTED)
					continue;
				if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
				    errno == ENOMEM)
					accept_pause_until = now_ms() + 100;
				break;
			}
		}
	}

	/* Wake every connection thread and wait for all of them. */
	(void)close(p.shut_wr);
	p.shut_wr = -1;
	reap(&p, true);
	pthread_mutex_destroy(&p.lock);

	if (stats) {
		stats->allowed = __atomic_load_n(&p.stats.allowed, __ATOMIC_RELAXED);
		stats->denied = __atomic_load_n(&p.stats.denied, __ATOMIC_RELAXED);
		stats->failed = __atomic_load_n(&p.stats.failed, __ATOMIC_RELAXED);
	}
out_fds:
	closep(&p.shut_rd);
	closep(&p.shut_wr);
	closep(&p.reap_fd);
	return ret;
}
