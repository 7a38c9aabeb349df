/* SPDX-License-Identifier: MIT */
/*
 * The filtering proxy, in process on loopback: netproxy_run() in a thread,
 * origin servers in threads on 127.0.0.1 / [::1], test names mapped to
 * addresses with the resolve hook.
 */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/hostmatch.h"
#include "net/netevents.h"
#include "net/netproxy.h"

#define BULK_UP	  (2 * 1024 * 1024 + 5)
#define BULK_DOWN (1024 * 1024)

/* ---- helpers ------------------------------------------------------------ */

static void to_sockaddr(const char *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		return;
	}
	ck_assert_msg(inet_pton(AF_INET6, s, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1,
		      "bad address %s", s);
	ss->ss_family = AF_INET6;
}

static socklen_t ss_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static unsigned ss_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* A listening socket on addr:0; returns fd, fills *port. */
static int listen_on(const char *addr, int flags, unsigned *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd;

	to_sockaddr(addr, &ss);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, ss_len(&ss)), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &sl), 0);
	*port = ss_port(&ss);
	return fd;
}

static void set_timeouts(int fd)
{
	struct timeval tv = {.tv_sec = 10};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int connect_to(const char *addr, unsigned port)
{
	struct sockaddr_storage ss;
	int fd;

	to_sockaddr(addr, &ss);
	if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&ss, ss_len(&ss)), 0);
	set_timeouts(fd);
	return fd;
}

static void send_all(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len > 0) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL);
		ck_assert_msg(n > 0, "send: %s", strerror(errno));
		b += n;
		len -= (size_t)n;
	}
}

static void send_str(int fd, const char *s)
{
	send_all(fd, s, strlen(s));
}

/* Read until EOF (or error/timeout); returns the length, NUL-terminates. */
static size_t read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len + 1 < cap) {
		ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return len;
}

static void read_exact(int fd, void *buf, size_t len)
{
	char *b = buf;

	while (len > 0) {
		ssize_t n = recv(fd, b, len, 0);
		ck_assert_msg(n > 0, "read_exact: %zd (%s)", n, n < 0 ? strerror(errno) : "EOF");
		b += n;
		len -= (size_t)n;
	}
}

static char pattern(size_t i)
{
	return (char)('a' + (i * 7 + i / 1000) % 26);
}

/* ---- origin servers ----------------------------------------------------- */

enum origin_mode {
	ORIGIN_HTTP, /* read one request (head + Content-Length body), answer "hello" */
	ORIGIN_SINK, /* read to EOF, answer "got N ok|bad\n" + BULK_DOWN bytes of pattern */
};

struct origin {
	enum origin_mode mode;
	int lfd;
	unsigned port;
	pthread_t thread;
	char req[65536];
	size_t req_len;
	size_t sunk;
	bool sunk_ok;
};

static void *origin_main(void *arg)
{
	struct origin *o = arg;
	int fd = accept4(o->lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return NULL;
	set_timeouts(fd);
	if (o->mode == ORIGIN_HTTP) {
		char *end = NULL;
		while (!end && o->req_len + 1 < sizeof(o->req)) {
			ssize_t n =
				recv(fd, o->req + o->req_len, sizeof(o->req) - 1 - o->req_len, 0);
			if (n <= 0)
				break;
			o->req_len += (size_t)n;
			o->req[o->req_len] = '\0';
			end = strstr(o->req, "\r\n\r\n");
		}
		if (end) {
			const char *cl = strcasestr(o->req, "\r\nContent-Length: ");
			size_t want =
				(size_t)(end + 4 - o->req) + (cl ? strtoul(cl + 18, NULL, 10) : 0);
			while (o->req_len < want && o->req_len + 1 < sizeof(o->req)) {
				ssize_t n = recv(fd, o->req + o->req_len, want - o->req_len, 0);
				if (n <= 0)
					break;
				o->req_len += (size_t)n;
			}
			/* anything more (a pipelined request) must not arrive */
			struct pollfd pf = {fd, POLLIN, 0};
			while (poll(&pf, 1, 200) == 1 && o->req_len + 1 < sizeof(o->req)) {
				ssize_t n = recv(fd, o->req + o->req_len,
						 sizeof(o->req) - 1 - o->req_len, 0);
				if (n <= 0)
					break;
				o->req_len += (size_t)n;
			}
			o->req[o->req_len] = '\0';
			static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: "
						   "5\r\nConnection: close\r\n\r\nhello";
			(void)!send(fd, resp, sizeof(resp) - 1, MSG_NOSIGNAL);
		}
	} else {
		char buf[65536];
		o->sunk_ok = true;
		for (;;) {
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n <= 0) {
				if (n < 0)
					o->sunk_ok = false;
				break;
			}
			for (ssize_t i = 0; i < n; i++)
				if (o->sunk >= 5 && buf[i] != pattern(o->sunk - 5 + (size_t)i))
					o->sunk_ok = false;
			if (o->sunk < 5 && memcmp(buf, "early", n < 5 ? (size_t)n : 5) != 0)
				o->sunk_ok = false;
			o->sunk += (size_t)n;
		}
		char head[64];
		int hl = snprintf(head, sizeof(head), "got %zu %s\n", o->sunk,
				  o->sunk_ok ? "ok" : "bad");
		(void)!send(fd, head, (size_t)hl, MSG_NOSIGNAL);
		for (size_t off = 0; off < BULK_DOWN;) {
			size_t k = BULK_DOWN - off < sizeof(buf) ? BULK_DOWN - off : sizeof(buf);
			for (size_t i = 0; i < k; i++)
				buf[i] = pattern(off + i);
			ssize_t n = send(fd, buf, k, MSG_NOSIGNAL);
			if (n <= 0)
				break;
			off += (size_t)n;
		}
	}
	close(fd);
	return NULL;
}

static struct origin *origin_start(const char *addr, enum origin_mode mode)
{
	struct origin *o = calloc(1, sizeof(*o));

	ck_assert_ptr_nonnull(o);
	o->mode = mode;
	o->lfd = listen_on(addr, 0, &o->port);
	ck_assert_int_eq(pthread_create(&o->thread, NULL, origin_main, o), 0);
	return o;
}

static void origin_join(struct origin *o)
{
	pthread_join(o->thread, NULL);
	close(o->lfd);
}

/* A listener nobody accepts from: did anyone connect to it? */
static bool listener_got_connection(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	return false;
}

/* ---- the proxy under test ----------------------------------------------- */

static const struct {
	const char *name, *addrs;
} names[] = {
	{"allowed.test", "127.0.0.1"},
	{"allowed6.test", "::1"},
	{"blocked.test", "198.51.100.7,2001:db8::7"},
	{"rebind.test", "169.254.169.254"},
	{"rebindlo.test", "127.0.0.5"},
	{"mixed.test", "127.0.0.1,169.254.169.254"},
	{"other.test", "192.0.2.1"},
};

static int resolve_calls;

static int fake_resolve(const char *host, struct sockaddr_storage *out, size_t max, void *data)
{
	__atomic_fetch_add(&resolve_calls, 1, __ATOMIC_RELAXED);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(host, names[i].name) != 0)
			continue;
		char buf[128];
		size_t n = 0;
		snprintf(buf, sizeof(buf), "%s", names[i].addrs);
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && n < max;
		     t = strtok_r(NULL, ",", &save))
			to_sockaddr(t, &out[n++]);
		return (int)n;
	}
	return -ENOENT;
}

struct fx {
	int lfd;
	unsigned port;
	int stop[2], events[2];
	pthread_t thread;
	struct netproxy_config cfg;
	struct hostmatch *rules;
	struct netproxy_stats stats;
	int ret;
	bool running;
};

static void *proxy_main(void *arg)
{
	struct fx *f = arg;

	f->ret = netproxy_run(&f->cfg, &f->stats);
	return NULL;
}

static char *default_allowed[] = {"allowed.test", "allowed6.test", "rebind.test", "rebindlo.test",
				  "mixed.test",	  "127.0.0.1/32",  "::1",	  NULL};
static char *default_blocked[] = {"blocked.test", "*.evil.test", NULL};

static void fx_init(struct fx *f, char **allowed, char **blocked, bool default_allow)
{
	size_t bad;
	bool bad_block;

	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(
		hostmatch_new(allowed, blocked, default_allow, true, &f->rules, &bad, &bad_block),
		0);
	f->lfd = listen_on("127.0.0.1", SOCK_NONBLOCK, &f->port);
	ck_assert_int_eq(pipe2(f->stop, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(f->events, O_CLOEXEC | O_NONBLOCK), 0);
	f->cfg.role = NETPROXY_FILTER;
	f->cfg.listen_fds = &f->lfd;
	f->cfg.n_listen_fds = 1;
	f->cfg.rules = f->rules;
	f->cfg.events_fd = f->events[1];
	f->cfg.sandbox_id = "sb-test";
	f->cfg.stop_fd = f->stop[0];
	f->cfg.resolve = fake_resolve;
}

static void fx_start(struct fx *f)
{
	ck_assert_int_eq(pthread_create(&f->thread, NULL, proxy_main, f), 0);
	f->running = true;
}

static void fx_setup(struct fx *f)
{
	fx_init(f, default_allowed, default_blocked, false);
	fx_start(f);
}

/* Threads of this process named `prefix`* (connection threads are
 * "mxc-proxy-conn"; sanitizers may add helper threads of their own). */
static int task_count(const char *prefix)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		char path[300], comm[64] = "";
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		FILE *fp = fopen(path, "re");
		if (!fp)
			continue;
		if (!fgets(comm, sizeof(comm), fp))
			comm[0] = '\0';
		fclose(fp);
		if (strncmp(comm, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void fx_stop(struct fx *f)
{
	struct timespec ts;

	if (f->running) {
		ck_assert_int_eq(write(f->stop[1], "x", 1), 1);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 5;
		ck_assert_msg(pthread_timedjoin_np(f->thread, NULL, &ts) == 0,
			      "netproxy_run did not return after stop");
		ck_assert_int_eq(f->ret, 0);
		f->running = false;
	}
	close(f->lfd);
	close(f->stop[0]);
	close(f->stop[1]);
	close(f->events[0]);
	close(f->events[1]);
	hostmatch_free(f->rules);
}

/* All event lines written so far, parsed; *n gets the count. */
static json_t *read_events(struct fx *f)
{
	static char buf[65536];
	size_t len = 0;
	json_t *arr = json_array();

	for (;;) {
		ssize_t n = read(f->events[0], buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	ck_assert_msg(len == 0 || buf[len - 1] == '\n', "event stream ends mid-line");
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		json_error_t err;
		json_t *j = json_loads(l, 0, &err);
		ck_assert_msg(j != NULL, "event is not JSON: %s (%s)", l, err.text);
		json_array_append_new(arr, j);
	}
	return arr;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void expect_event(json_t *ev, const char *decision, const char *protocol, const char *host,
			 const char *address, unsigned port, const char *rule)
{
	char *dump = json_dumps(ev, JSON_COMPACT);
	const char *t = jstr(ev, "time");

	ck_assert_msg(t && strlen(t) == 24 && t[10] == 'T' && t[19] == '.' && t[23] == 'Z',
		      "time: %s", dump);
	ck_assert_str_eq(jstr(ev, "sandbox"), "sb-test");
	ck_assert_str_eq(jstr(ev, "kind"), "network");
	ck_assert_str_eq(jstr(ev, "source"), "proxy");
	ck_assert_msg(jstr(ev, "decision") && strcmp(jstr(ev, "decision"), decision) == 0, "%s",
		      dump);
	ck_assert_msg(jstr(ev, "protocol") && strcmp(jstr(ev, "protocol"), protocol) == 0, "%s",
		      dump);
	ck_assert_msg(jstr(ev, "host") && strcmp(jstr(ev, "host"), host) == 0, "%s", dump);
	if (address)
		ck_assert_msg(jstr(ev, "address") && strcmp(jstr(ev, "address"), address) == 0,
			      "%s", dump);
	else
		ck_assert_msg(!json_object_get(ev, "address"), "%s", dump);
	ck_assert_msg(json_integer_value(json_object_get(ev, "port")) == (json_int_t)port, "%s",
		      dump);
	ck_assert_msg(jstr(ev, "rule") && strcmp(jstr(ev, "rule"), rule) == 0, "%s", dump);
	free(dump);
}

/* One request on a fresh connection; the whole answer up to EOF. */
static char *roundtrip(struct fx *f, const char *req)
{
	static char resp[65536];
	int fd = connect_to("127.0.0.1", f->port);

	send_str(fd, req);
	read_all(fd, resp, sizeof(resp));
	close(fd);
	return resp;
}

static void expect_403(struct fx *f, const char *req, const char *reason)
{
	char *resp = roundtrip(f, req);

	ck_assert_msg(strncmp(resp, "HTTP/1.1 403 Forbidden\r\n", 24) == 0, "%s -> %s", req, resp);
	ck_assert_msg(strstr(resp, "\r\nContent-Type: text/plain"), "%s", resp);
	const char *body = strstr(resp, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	body += 4;
	ck_assert_msg(strstr(body, reason), "%s: body '%s' lacks '%s'", req, body, reason);
	/* one line */
	ck_assert_msg(strchr(body, '\n') == body + strlen(body) - 1, "body: %s", body);
}

/* ---- HTTP --------------------------------------------------------------- */

START_TEST(test_http_get_allowed)
{
	struct fx f;
	struct origin *o = origin_start("127.0.0.1", ORIGIN_HTTP);
	char req[1024], want[256];

	fx_setup(&f);
	snprintf(req, sizeof(req),
		 "GET http://allowed.test:%u/path/x?q=1&r=%%20 HTTP/1.1\r\n"
		 "Host: allowed.test:%u\r\n"
		 "User-Agent: t/1\r\n"
		 "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n"
		 "Proxy-Connection: keep-alive\r\n"
		 "Connection: keep-alive, X-Hop\r\n"
		 "X-Hop: secret\r\n"
		 "Keep-Alive: timeout=5\r\n"
		 "X-Keep:   yes  \r\n"
		 "\r\n"
		 "GET http://other.test/ HTTP/1.1\r\nProxy-Authorization: Basic eA==\r\n\r\n",
		 o->port, o->port);
	char *resp = roundtrip(&f, req);
	ck_assert_str_eq(resp,
			 "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
	origin_join(o);

	snprintf(want, sizeof(want),
		 "GET /path/x?q=1&r=%%20 HTTP/1.1\r\nHost: allowed.test:%u\r\nUser-Agent: "
		 "t/1\r\nX-Keep: yes\r\nConnection: close\r\n\r\n",
		 o->port);
	ck_assert_str_eq(o->req, want);

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 1);
	expect_event(json_array_get(evs, 0), "allow", "http", "allowed.test", "127.0.0.1", o->port,
		     "allowedHosts[0]=allowed.test");
	json_decref(evs);
	fx_stop(&f);
	ck_assert_int_eq(f.stats.allowed, 1);
	ck_assert_int_eq(f.stats.denied, 0);
	free(o);
}
END_TEST

START_TEST(test_http_post_body_and_host_added)
{
	struct fx f;
	struct origin *o = origin_start("127.0.0.1", ORIGIN_HTTP);
	char req[1024], want[256];

	fx_setup(&f);
	/* no Host header; the literal 127.0.0.1 is allowed by "127.0.0.1/32" */
	snprintf(req, sizeof(req),
		 "POST http://127.0.0.1:%u HTTP/1.0\r\nContent-Length: 11\r\n\r\nhello world"
		 "GET http://other.test/ HTTP/1.0\r\n\r\n",
		 o->port);
	char *resp = roundtrip(&f, req);
	ck_assert_msg(strncmp(resp, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", resp);
	origin_join(o);
	snprintf(want, sizeof(want),
		 "POST / HTTP/1.0\r\nHost: 127.0.0.1:%u\r\nContent-Length: 11\r\nConnection: "
		 "close\r\n\r\nhello world",
		 o->port);
	ck_assert_str_eq(o->req, want);

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 1);
	expect_event(json_array_get(evs, 0), "allow", "http", "127.0.0.1", "127.0.0.1", o->port,
		     "allowedHosts[5]=127.0.0.1/32");
	json_decref(evs);
	fx_stop(&f);
	free(o);
}
END_TEST

START_TEST(test_http_get_denied)
{
	struct fx f;

	fx_setup(&f);
	expect_403(&f, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n",
		   "not in allowedHosts");
	expect_403(&f, "GET http://blocked.test/x HTTP/1.1\r\n\r\n",
		   "blockedHosts[0]=blocked.test");
	expect_403(&f, "GET http://a.b.EVIL.test./ HTTP/1.1\r\n\r\n",
		   "blockedHosts[1]=*.evil.test");

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 3);
	/* other.test is refused after resolution (the allow list has IP entries),
	 * but by no single address: no "address" */
	expect_event(json_array_get(evs, 0), "deny", "http", "other.test", NULL, 80,
		     "not in allowedHosts");
	expect_event(json_array_get(evs, 1), "deny", "http", "blocked.test", NULL, 80,
		     "blockedHosts[0]=blocked.test");
	expect_event(json_array_get(evs, 2), "deny", "http", "a.b.EVIL.test.", NULL, 80,
		     "blockedHosts[1]=*.evil.test");
	json_decref(evs);
	fx_stop(&f);
	ck_assert_int_eq(f.stats.denied, 3);
	ck_assert_int_eq(f.stats.allowed, 0);
}
END_TEST

START_TEST(test_bad_requests)
{
	struct fx f;
	char *resp;

	fx_setup(&f);
	resp = roundtrip(&f, "GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "GET https://allowed.test/ HTTP/1.1\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "GET http://user@allowed.test/ HTTP/1.1\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "CONNECT allowed.test HTTP/1.1\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "GET http://allowed.test/ HTTP/1.1\r\nHost: allowed.test\r\n"
			     " folded\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "GET http://allowed.test/ HTTP/1.1\r\nHost: allowed.test\r\n"
			     "Host: allowed.test\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "POST http://allowed.test/ HTTP/1.1\r\nContent-Length: 1\r\n"
			     "Content-Length: 2\r\n\r\nab");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "POST http://allowed.test/ HTTP/1.1\r\nContent-Length: 1\r\n"
			     "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 400 ", 13) == 0, "%s", resp);
	resp = roundtrip(&f, "GET http://allowed.test/ HTTP/2.0\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 505 ", 13) == 0, "%s", resp);
	fx_stop(&f);
	ck_assert_int_eq(f.stats.allowed + f.stats.denied, 0);
}
END_TEST

START_TEST(test_host_header_mismatch)
{
	struct fx f;
	unsigned port;
	int lfd = listen_on("127.0.0.1", SOCK_NONBLOCK, &port);
	char req[512];

	fx_setup(&f);
	snprintf(req, sizeof(req),
		 "GET http://allowed.test:%u/ HTTP/1.1\r\nHost: other.test\r\n\r\n", port);
	expect_403(&f, req, "Host header does not match request target");
	snprintf(req, sizeof(req),
		 "GET http://allowed.test:%u/ HTTP/1.1\r\nHost: allowed.test:%u\r\n\r\n", port,
		 port + 1);
	expect_403(&f, req, "Host header does not match request target");
	snprintf(req, sizeof(req), "CONNECT allowed.test:%u HTTP/1.1\r\nHost: evil.test:%u\r\n\r\n",
		 port, port);
	expect_403(&f, req, "Host header does not match request target");
	snprintf(req, sizeof(req), "CONNECT 127.0.0.1:%u HTTP/1.1\r\nHost: allowed.test\r\n\r\n",
		 port);
	expect_403(&f, req, "Host header does not match request target");
	ck_assert(!listener_got_connection(lfd));

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 4);
	expect_event(json_array_get(evs, 2), "deny", "https", "allowed.test", NULL, port,
		     "Host header mismatch");
	json_decref(evs);

	/* the same host spelled differently is not a mismatch */
	snprintf(req, sizeof(req),
		 "CONNECT allowed.test:%u HTTP/1.1\r\nHost: ALLOWED.test.:%u\r\n\r\n", port, port);
	int fd = connect_to("127.0.0.1", f.port);
	send_str(fd, req);
	char buf[64];
	read_exact(fd, buf, 39);
	ck_assert(memcmp(buf, "HTTP/1.1 200 Connection established\r\n\r\n", 39) == 0);
	close(fd);
	ck_assert(listener_got_connection(lfd));
	close(lfd);
	fx_stop(&f);
}
END_TEST

START_TEST(test_blocked_name_literals)
{
	struct fx f;

	fx_setup(&f);
	expect_403(&f, "GET http://198.51.100.7/ HTTP/1.1\r\n\r\n",
		   "blockedHosts[0]=blocked.test (resolves to 198.51.100.7)");
	expect_403(&f, "GET http://[2001:db8::7]:8080/ HTTP/1.1\r\n\r\n",
		   "blockedHosts[0]=blocked.test (resolves to 2001:db8::7)");
	expect_403(&f, "CONNECT [::ffff:198.51.100.7]:443 HTTP/1.1\r\n\r\n",
		   "blockedHosts[0]=blocked.test (resolves to 198.51.100.7)");

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 3);
	expect_event(json_array_get(evs, 0), "deny", "http", "198.51.100.7", "198.51.100.7", 80,
		     "blockedHosts[0]=blocked.test (resolves to 198.51.100.7)");
	expect_event(json_array_get(evs, 1), "deny", "http", "2001:db8::7", "2001:db8::7", 8080,
		     "blockedHosts[0]=blocked.test (resolves to 2001:db8::7)");
	json_decref(evs);
	fx_stop(&f);
}
END_TEST

START_TEST(test_dns_rebinding)
{
	struct fx f;
	unsigned port;
	int lfd = listen_on("127.0.0.5", SOCK_NONBLOCK, &port);
	char req[512];

	fx_setup(&f);
	snprintf(req, sizeof(req), "GET http://rebind.test:%u/ HTTP/1.1\r\n\r\n", port);
	expect_403(&f, req, "metadata address");
	snprintf(req, sizeof(req), "GET http://rebindlo.test:%u/ HTTP/1.1\r\n\r\n", port);
	expect_403(&f, req, "loopback address");
	snprintf(req, sizeof(req), "CONNECT mixed.test:%u HTTP/1.1\r\n\r\n", port);
	expect_403(&f, req, "metadata address");
	snprintf(req, sizeof(req), "GET http://127.0.0.5:%u/ HTTP/1.1\r\n\r\n", port);
	expect_403(&f, req, "loopback address");
	/* nothing reached the loopback listener */
	ck_assert(!listener_got_connection(lfd));
	close(lfd);

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 4);
	expect_event(json_array_get(evs, 0), "deny", "http", "rebind.test", "169.254.169.254", port,
		     "metadata address");
	expect_event(json_array_get(evs, 1), "deny", "http", "rebindlo.test", "127.0.0.5", port,
		     "loopback address");
	expect_event(json_array_get(evs, 2), "deny", "https", "mixed.test", "169.254.169.254", port,
		     "metadata address");
	json_decref(evs);
	fx_stop(&f);
}
END_TEST

START_TEST(test_metadata_default_policy)
{
	struct fx f;

	fx_init(&f, NULL, NULL, true); /* allow everything, but special addresses */
	fx_start(&f);
	expect_403(&f, "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\n\r\n",
		   "metadata address");
	expect_403(&f, "CONNECT [fd00:ec2::254]:80 HTTP/1.1\r\n\r\n", "metadata address");
	expect_403(&f, "GET http://[fd00:ec2::254]/ HTTP/1.1\r\n\r\n", "metadata address");
	expect_403(&f, "GET http://127.0.0.1:1/ HTTP/1.1\r\n\r\n", "loopback address");
	expect_403(&f, "GET http://[::1]:1/ HTTP/1.1\r\n\r\n", "loopback address");
	expect_403(&f, "GET http://10.1.2.3/ HTTP/1.1\r\n\r\n", "allowLocalNetwork=false");
	expect_403(&f, "GET http://allowed.test:1/ HTTP/1.1\r\n\r\n", "loopback address");
	fx_stop(&f);
	ck_assert_int_eq(f.stats.denied, 7);
}
END_TEST

START_TEST(test_oversized_head)
{
	struct fx f;
	char *req = malloc(21000);
	char resp[4096];

	fx_setup(&f);
	strcpy(req, "GET http://allowed.test/ HTTP/1.1\r\nX-Big: ");
	size_t l = strlen(req);
	memset(req + l, 'a', 20000);
	strcpy(req + l + 20000, "\r\n\r\n");
	int fd = connect_to("127.0.0.1", f.port);
	/* the proxy may stop reading early: ignore send errors */
	(void)!send(fd, req, strlen(req), MSG_NOSIGNAL);
	read_all(fd, resp, sizeof(resp));
	ck_assert_msg(strncmp(resp, "HTTP/1.1 431 ", 13) == 0, "%s", resp);
	close(fd);
	free(req);
	fx_stop(&f);
}
END_TEST

START_TEST(test_head_timeout)
{
	struct fx f;
	char resp[4096];
	struct timespec a, b;

	fx_init(&f, default_allowed, default_blocked, false);
	f.cfg.head_timeout_ms = 300;
	fx_start(&f);
	int fd = connect_to("127.0.0.1", f.port);
	send_str(fd, "GET http://allowed.test/ HTTP/1.1\r\nHost: allo");
	clock_gettime(CLOCK_MONOTONIC, &a);
	read_all(fd, resp, sizeof(resp));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ck_assert_msg(strncmp(resp, "HTTP/1.1 408 ", 13) == 0, "%s", resp);
	ck_assert_int_lt(b.tv_sec - a.tv_sec, 3);
	close(fd);
	/* a silent client is dropped too */
	fd = connect_to("127.0.0.1", f.port);
	ck_assert_uint_eq(read_all(fd, resp, sizeof(resp)), 0);
	close(fd);
	fx_stop(&f);
}
END_TEST

START_TEST(test_upstream_failure_502)
{
	struct fx f;
	unsigned port;
	int lfd = listen_on("127.0.0.1", 0, &port);
	char req[256];

	close(lfd); /* nothing listens there now */
	fx_setup(&f);
	snprintf(req, sizeof(req), "CONNECT allowed.test:%u HTTP/1.1\r\n\r\n", port);
	char *resp = roundtrip(&f, req);
	ck_assert_msg(strncmp(resp, "HTTP/1.1 502 Bad Gateway\r\n", 26) == 0, "%s", resp);
	resp = roundtrip(&f, "GET http://nxdomain.test/ HTTP/1.1\r\n\r\n");
	ck_assert_msg(strncmp(resp, "HTTP/1.1 502 Bad Gateway\r\n", 26) == 0, "%s", resp);
	fx_stop(&f);
	ck_assert_int_eq(f.stats.failed, 2);
}
END_TEST

/* ---- CONNECT ------------------------------------------------------------ */

/* Over an established tunnel: "early" + BULK_UP-5 bytes up, half-close,
 * then the origin's verdict and BULK_DOWN bytes down, then EOF. */
static void tunnel_bulk(int fd, struct origin *o, bool early_sent)
{
	size_t chunk = 65536;
	char *buf = malloc(chunk);
	char line[64];

	if (!early_sent)
		send_str(fd, "early");
	for (size_t off = 0; off < BULK_UP - 5;) {
		size_t k = BULK_UP - 5 - off < chunk ? BULK_UP - 5 - off : chunk;
		for (size_t i = 0; i < k; i++)
			buf[i] = pattern(off + i);
		send_all(fd, buf, k);
		off += k;
	}
	/* half-close: the origin only answers after it saw our EOF */
	ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
	size_t ll = 0;
	while (ll + 1 < sizeof(line)) {
		read_exact(fd, line + ll, 1);
		if (line[ll++] == '\n')
			break;
	}
	line[ll] = '\0';
	snprintf(buf, chunk, "got %d ok\n", BULK_UP);
	ck_assert_str_eq(line, buf);
	size_t got = 0;
	bool ok = true;
	for (;;) {
		ssize_t n = recv(fd, buf, chunk, 0);
		ck_assert_int_ge(n, 0);
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			ok = ok && buf[i] == pattern(got + (size_t)i);
		got += (size_t)n;
	}
	ck_assert_uint_eq(got, BULK_DOWN);
	ck_assert(ok);
	free(buf);
	origin_join(o);
	ck_assert_uint_eq(o->sunk, BULK_UP);
	ck_assert(o->sunk_ok);
}

START_TEST(test_connect_allowed_bulk_halfclose)
{
	struct fx f;
	struct origin *o = origin_start("127.0.0.1", ORIGIN_SINK);
	char req[256], resp[64];

	fx_setup(&f);
	int fd = connect_to("127.0.0.1", f.port);
	/* the first tunnel bytes travel with the CONNECT head */
	snprintf(req, sizeof(req),
		 "CONNECT allowed.test:%u HTTP/1.1\r\nHost: allowed.test:%u\r\n"
		 "Proxy-Connection: keep-alive\r\n\r\nearly",
		 o->port, o->port);
	send_str(fd, req);
	read_exact(fd, resp, 39);
	ck_assert(memcmp(resp, "HTTP/1.1 200 Connection established\r\n\r\n", 39) == 0);
	tunnel_bulk(fd, o, true);
	close(fd);

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 1);
	expect_event(json_array_get(evs, 0), "allow", "https", "allowed.test", "127.0.0.1", o->port,
		     "allowedHosts[0]=allowed.test");
	json_decref(evs);
	fx_stop(&f);
	free(o);
}
END_TEST

START_TEST(test_connect_ipv6_origin)
{
	struct fx f;
	struct origin *o = origin_start("::1", ORIGIN_SINK);
	char req[256], resp[64];

	fx_setup(&f);
	int fd = connect_to("127.0.0.1", f.port);
	snprintf(req, sizeof(req), "CONNECT allowed6.test:%u HTTP/1.1\r\n\r\n", o->port);
	send_str(fd, req);
	read_exact(fd, resp, 39);
	ck_assert(memcmp(resp, "HTTP/1.1 200 Connection established\r\n\r\n", 39) == 0);
	tunnel_bulk(fd, o, false);
	close(fd);
	json_t *evs = read_events(&f);
	expect_event(json_array_get(evs, 0), "allow", "https", "allowed6.test", "::1", o->port,
		     "allowedHosts[1]=allowed6.test");
	json_decref(evs);
	fx_stop(&f);
	free(o);
}
END_TEST

START_TEST(test_connect_denied)
{
	struct fx f;

	fx_setup(&f);
	expect_403(&f, "CONNECT blocked.test:443 HTTP/1.1\r\nHost: blocked.test:443\r\n\r\n",
		   "blockedHosts[0]=blocked.test");
	expect_403(&f, "CONNECT other.test:443 HTTP/1.1\r\n\r\n", "not in allowedHosts");
	expect_403(&f, "CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\n", "metadata address");
	expect_403(&f, "CONNECT [fd00:ec2::254]:443 HTTP/1.1\r\n\r\n", "metadata address");
	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 4);
	expect_event(json_array_get(evs, 0), "deny", "https", "blocked.test", NULL, 443,
		     "blockedHosts[0]=blocked.test");
	expect_event(json_array_get(evs, 1), "deny", "https", "other.test", NULL, 443,
		     "not in allowedHosts");
	expect_event(json_array_get(evs, 3), "deny", "https", "fd00:ec2::254", "fd00:ec2::254", 443,
		     "metadata address");
	json_decref(evs);
	fx_stop(&f);
}
END_TEST

/* ---- SOCKS5 ------------------------------------------------------------- */

/* Negotiate and send a CONNECT; returns the reply code, leaves fd open. */
static int socks_connect(int fd, uint8_t cmd, uint8_t atyp, const void *addr, size_t alen,
			 unsigned port)
{
	uint8_t req[300] = {0x05, 0x01, 0x00}, rep[22];
	size_t len = 0;

	/* greeting and request in one send: the proxy must cope */
	len = 3;
	req[len++] = 0x05;
	req[len++] = cmd;
	req[len++] = 0x00;
	req[len++] = atyp;
	if (atyp == 0x03)
		req[len++] = (uint8_t)alen;
	memcpy(req + len, addr, alen);
	len += alen;
	req[len++] = (uint8_t)(port >> 8);
	req[len++] = (uint8_t)port;
	send_all(fd, req, len);

	read_exact(fd, rep, 2);
	ck_assert_int_eq(rep[0], 0x05);
	ck_assert_int_eq(rep[1], 0x00);
	read_exact(fd, rep, 4);
	ck_assert_int_eq(rep[0], 0x05);
	ck_assert_int_eq(rep[2], 0x00);
	ck_assert(rep[3] == 0x01 || rep[3] == 0x04);
	read_exact(fd, rep + 4, rep[3] == 0x01 ? 6 : 18);
	return rep[1];
}

static void socks_ok(struct fx *f, const char *origin_addr, uint8_t atyp, const void *addr,
		     size_t alen)
{
	struct origin *o = origin_start(origin_addr, ORIGIN_SINK);
	int fd = connect_to("127.0.0.1", f->port);

	ck_assert_int_eq(socks_connect(fd, 0x01, atyp, addr, alen, o->port), 0x00);
	tunnel_bulk(fd, o, false);
	close(fd);
	free(o);
}

static int socks_code(struct fx *f, uint8_t cmd, uint8_t atyp, const void *addr, size_t alen,
		      unsigned port)
{
	int fd = connect_to("127.0.0.1", f->port);
	int code = socks_connect(fd, cmd, atyp, addr, alen, port);
	char c;

	/* then the proxy closes */
	ck_assert_int_eq(recv(fd, &c, 1, 0), 0);
	close(fd);
	return code;
}

START_TEST(test_socks5_allowed)
{
	struct fx f;
	uint8_t v4[4], v6[16];

	inet_pton(AF_INET, "127.0.0.1", v4);
	inet_pton(AF_INET6, "::1", v6);
	fx_setup(&f);
	socks_ok(&f, "127.0.0.1", 0x03, "allowed.test", 12);
	socks_ok(&f, "127.0.0.1", 0x01, v4, 4);
	socks_ok(&f, "::1", 0x04, v6, 16);

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 3);
	ck_assert_str_eq(jstr(json_array_get(evs, 0), "host"), "allowed.test");
	ck_assert_str_eq(jstr(json_array_get(evs, 0), "rule"), "allowedHosts[0]=allowed.test");
	ck_assert_str_eq(jstr(json_array_get(evs, 1), "host"), "127.0.0.1");
	ck_assert_str_eq(jstr(json_array_get(evs, 1), "rule"), "allowedHosts[5]=127.0.0.1/32");
	ck_assert_str_eq(jstr(json_array_get(evs, 2), "host"), "::1");
	ck_assert_str_eq(jstr(json_array_get(evs, 2), "address"), "::1");
	ck_assert_str_eq(jstr(json_array_get(evs, 2), "rule"), "allowedHosts[6]=::1");
	for (size_t i = 0; i < 3; i++) {
		ck_assert_str_eq(jstr(json_array_get(evs, i), "protocol"), "socks5");
		ck_assert_str_eq(jstr(json_array_get(evs, i), "decision"), "allow");
	}
	json_decref(evs);
	fx_stop(&f);
}
END_TEST

START_TEST(test_socks5_refused)
{
	struct fx f;
	uint8_t v4[4], v6[16];
	unsigned port;
	int lfd = listen_on("127.0.0.5", SOCK_NONBLOCK, &port);

	fx_setup(&f);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x03, "blocked.test", 12, 443), 0x02);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x03, "rebind.test", 11, 80), 0x02);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x03, "rebindlo.test", 13, port), 0x02);
	inet_pton(AF_INET, "169.254.169.254", v4);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x01, v4, 4, 80), 0x02);
	inet_pton(AF_INET, "127.0.0.5", v4);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x01, v4, 4, port), 0x02);
	inet_pton(AF_INET6, "fd00:ec2::254", v6);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x04, v6, 16, 80), 0x02);
	inet_pton(AF_INET6, "2001:db8::7", v6);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x04, v6, 16, 80), 0x02);
	ck_assert_int_eq(socks_code(&f, 0x01, 0x03, "a\0b.test", 8, 80), 0x02);
	/* BIND and UDP ASSOCIATE are not supported */
	ck_assert_int_eq(socks_code(&f, 0x02, 0x03, "allowed.test", 12, 80), 0x07);
	ck_assert_int_eq(socks_code(&f, 0x03, 0x03, "allowed.test", 12, 80), 0x07);
	ck_assert(!listener_got_connection(lfd));
	close(lfd);

	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 8);
	expect_event(json_array_get(evs, 0), "deny", "socks5", "blocked.test", NULL, 443,
		     "blockedHosts[0]=blocked.test");
	expect_event(json_array_get(evs, 3), "deny", "socks5", "169.254.169.254", "169.254.169.254",
		     80, "metadata address");
	expect_event(json_array_get(evs, 6), "deny", "socks5", "2001:db8::7", "2001:db8::7", 80,
		     "blockedHosts[0]=blocked.test (resolves to 2001:db8::7)");
	json_decref(evs);

	/* no acceptable authentication method */
	int fd = connect_to("127.0.0.1", f.port);
	uint8_t greet[] = {0x05, 0x01, 0x02}, rep[2];
	send_all(fd, greet, sizeof(greet));
	read_exact(fd, rep, 2);
	ck_assert_int_eq(rep[0], 0x05);
	ck_assert_int_eq(rep[1], 0xff);
	close(fd);
	fx_stop(&f);
	ck_assert_int_eq(f.stats.denied, 8);
}
END_TEST

/* ---- relay, lifecycle --------------------------------------------------- */

START_TEST(test_relay)
{
	struct fx f;
	struct origin *o = origin_start("127.0.0.1", ORIGIN_SINK);

	fx_init(&f, NULL, NULL, false);
	f.cfg.role = NETPROXY_RELAY;
	f.cfg.rules = NULL;
	to_sockaddr("127.0.0.1", &f.cfg.upstream);
	((struct sockaddr_in *)&f.cfg.upstream)->sin_port = htons((uint16_t)o->port);
	f.cfg.upstream_len = sizeof(struct sockaddr_in);
	f.cfg.upstream_name = "proxy.corp:3128";
	fx_start(&f);

	int fd = connect_to("127.0.0.1", f.port);
	tunnel_bulk(fd, o, false);
	close(fd);
	json_t *evs = read_events(&f);
	ck_assert_int_eq(json_array_size(evs), 1);
	expect_event(json_array_get(evs, 0), "allow", "tcp", "proxy.corp:3128", "127.0.0.1",
		     o->port, "relay");
	json_decref(evs);
	fx_stop(&f);
	free(o);
}
END_TEST

START_TEST(test_stop_ends_everything)
{
	struct fx f;
	unsigned port;
	int up = listen_on("127.0.0.1", SOCK_NONBLOCK, &port); /* never accepts */
	char req[256], resp[64];

	fx_setup(&f);
	/* an idle client mid-head, and an idle established tunnel */
	int idle = connect_to("127.0.0.1", f.port);
	send_str(idle, "GET http://allowed.test/ HTTP/1.1\r\n");
	int tun = connect_to("127.0.0.1", f.port);
	snprintf(req, sizeof(req), "CONNECT allowed.test:%u HTTP/1.1\r\n\r\n", port);
	send_str(tun, req);
	read_exact(tun, resp, 39);
	ck_assert(memcmp(resp, "HTTP/1.1 200 Connection established\r\n\r\n", 39) == 0);
	ck_assert_int_eq(task_count("mxc-proxy-conn"), 2);

	fx_stop(&f); /* netproxy_run returned: checked there */
	ck_assert_int_eq(task_count("mxc-proxy-conn"), 0);
	/* both clients see the end */
	ck_assert_uint_eq(read_all(idle, resp, sizeof(resp)), 0);
	ck_assert_uint_eq(read_all(tun, resp, sizeof(resp)), 0);
	close(idle);
	close(tun);
	close(up);
}
END_TEST

START_TEST(test_max_connections)
{
	struct fx f;
	struct origin *o = origin_start("127.0.0.1", ORIGIN_SINK);
	char req[256], resp[64], *r = NULL;

	fx_init(&f, default_allowed, default_blocked, false);
	f.cfg.max_connections = 1;
	fx_start(&f);
	int tun = connect_to("127.0.0.1", f.port);
	snprintf(req, sizeof(req), "CONNECT allowed.test:%u HTTP/1.1\r\n\r\n", o->port);
	send_str(tun, req);
	read_exact(tun, resp, 39);
	/* over the cap: closed without an answer */
	int extra = connect_to("127.0.0.1", f.port);
	ck_assert_uint_eq(read_all(extra, resp, sizeof(resp)), 0);
	close(extra);
	/* once the tunnel is gone, connections are served again */
	close(tun);
	origin_join(o);
	for (int i = 0; i < 100; i++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		r = roundtrip(&f, "GET http://other.test/ HTTP/1.1\r\n\r\n");
		if (strncmp(r, "HTTP/1.1 403 ", 13) == 0)
			break;
		nanosleep(&ts, NULL);
	}
	ck_assert_msg(strncmp(r, "HTTP/1.1 403 ", 13) == 0, "%s", r);
	fx_stop(&f);
	ck_assert_uint_ge(f.stats.failed, 1);
	free(o);
}
END_TEST

START_TEST(test_bad_config)
{
	struct netproxy_config cfg = {.role = NETPROXY_FILTER, .stop_fd = -1, .events_fd = -1};
	int lfd = -1;

	ck_assert_int_eq(netproxy_run(&cfg, NULL), -EINVAL);
	cfg.listen_fds = &lfd;
	cfg.n_listen_fds = 1;
	ck_assert_int_eq(netproxy_run(&cfg, NULL), -EINVAL); /* no rules */
	cfg.role = NETPROXY_RELAY;
	ck_assert_int_eq(netproxy_run(&cfg, NULL), -EINVAL); /* no upstream */
}
END_TEST

START_TEST(test_netevent_write)
{
	int fds[2];
	char buf[1024];
	struct netevent ev = {.source = "firewall",
			      .decision = "deny",
			      .protocol = "udp",
			      .address = "192.0.2.1",
			      .rule = "r\"1\n",
			      .reason = "bad \xff\xfe utf8"};

	ck_assert_int_eq(netevent_write(-1, "x", &ev), 0);
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
	ck_assert_int_eq(netevent_write(fds[1], NULL, &ev), 0);
	ev.host = "h.test";
	ev.port = 53;
	ck_assert_int_eq(netevent_write(fds[1], "sb", &ev), 0);
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';

	char *nl = strchr(buf, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_ptr_eq(strchr(nl + 1, '\n'), buf + n - 1); /* two lines exactly */
	*nl = '\0';
	json_error_t err;
	json_t *a = json_loads(buf, 0, &err), *b = json_loads(nl + 1, 0, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	/* sandbox, host and port omitted when unknown */
	ck_assert_ptr_null(json_object_get(a, "sandbox"));
	ck_assert_ptr_null(json_object_get(a, "host"));
	ck_assert_ptr_null(json_object_get(a, "port"));
	ck_assert_str_eq(jstr(a, "kind"), "network");
	ck_assert_str_eq(jstr(a, "source"), "firewall");
	ck_assert_str_eq(jstr(a, "rule"), "r\"1\n");
	ck_assert_str_eq(jstr(a, "reason"), "bad ?? utf8");
	ck_assert_str_eq(jstr(b, "sandbox"), "sb");
	ck_assert_str_eq(jstr(b, "host"), "h.test");
	ck_assert_int_eq(json_integer_value(json_object_get(b, "port")), 53);
	/* "time" first, ISO-8601 UTC with milliseconds */
	ck_assert(strncmp(buf, "{\"time\":\"20", 11) == 0);
	const char *t = jstr(b, "time");
	ck_assert(t && strlen(t) == 24 && t[4] == '-' && t[10] == 'T' && t[13] == ':' &&
		  t[19] == '.' && t[23] == 'Z');
	json_decref(a);
	json_decref(b);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static Suite *netproxy_suite(void)
{
	Suite *s = suite_create("netproxy");
	TCase *tc = tcase_create("loopback");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_http_get_allowed);
	tcase_add_test(tc, test_http_post_body_and_host_added);
	tcase_add_test(tc, test_http_get_denied);
	tcase_add_test(tc, test_bad_requests);
	tcase_add_test(tc, test_host_header_mismatch);
	tcase_add_test(tc, test_blocked_name_literals);
	tcase_add_test(tc, test_dns_rebinding);
	tcase_add_test(tc, test_metadata_default_policy);
	tcase_add_test(tc, test_oversized_head);
	tcase_add_test(tc, test_head_timeout);
	tcase_add_test(tc, test_upstream_failure_502);
	tcase_add_test(tc, test_connect_allowed_bulk_halfclose);
	tcase_add_test(tc, test_connect_ipv6_origin);
	tcase_add_test(tc, test_connect_denied);
	tcase_add_test(tc, test_socks5_allowed);
	tcase_add_test(tc, test_socks5_refused);
	tcase_add_test(tc, test_relay);
	tcase_add_test(tc, test_stop_ends_everything);
	tcase_add_test(tc, test_max_connections);
	tcase_add_test(tc, test_bad_config);
	tcase_add_test(tc, test_netevent_write);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(netproxy_suite());
	int failed;

	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
