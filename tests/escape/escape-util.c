/* SPDX-License-Identifier: MIT */
#include "escape.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

const struct esc_attack *esc_cur;
const char *esc_containment = "";
const char *esc_limits;

/* Host helper processes of the current test, killed by the teardown. */
static pid_t helpers[16];
static size_t n_helpers;
static int udp_count_fd = -1;

static void add_helper(pid_t pid)
{
	ck_assert(n_helpers < sizeof(helpers) / sizeof(helpers[0]));
	helpers[n_helpers++] = pid;
}

void esc_setup(void)
{
	n_helpers = 0;
	udp_count_fd = -1;
	e2e_setup();
}

void esc_teardown(void)
{
	for (size_t i = 0; i < n_helpers; i++) {
		kill(helpers[i], SIGKILL);
		waitpid(helpers[i], NULL, 0);
	}
	n_helpers = 0;
	e2e_teardown();
}

struct e2e_cfg *esc_cfg(const char *fmt, ...)
{
	struct e2e_cfg *c;
	va_list ap;
	char *cmd;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	c = e2e_cfg_new(cmd);
	free(cmd);
	e2e_cfg_timeout(c, 10000);
	if (esc_containment && *esc_containment) {
		char *v = e2e_strf("\"%s\"", esc_containment);

		e2e_cfg_set_json(c, "containment", v);
		free(v);
	}
	return c;
}

void esc_cfg_limits(struct e2e_cfg *c)
{
	if (esc_limits && *esc_limits)
		e2e_cfg_set_json(c, "limits", esc_limits);
}

void esc_run(struct e2e_cfg *c, struct e2e_result *r)
{
	char *cfg = e2e_cfg_write(c);

	e2e_run_config(r, cfg);
	free(cfg);
	ck_assert_msg(r->exit_code != 1 && r->exit_code != 2 && r->exit_code != 255,
		      "mxc did not run the workload: exit %d stdout=[%s] stderr=[%s]", r->exit_code,
		      r->out_esc, r->err_esc);
}

char *esc_probe1(const char *fmt, ...)
{
	struct e2e_result r;
	va_list ap;
	char *args, *line;

	va_start(ap, fmt);
	if (vasprintf(&args, fmt, ap) < 0)
		abort();
	va_end(ap);
	esc_run(esc_cfg("%s %s", e2e_probe, args), &r);
	line = e2e_line(&r, 0);
	ck_assert_msg(*line, "the probe printed nothing: exit %d stderr=[%s]", r.exit_code,
		      r.err_esc);
	e2e_result_free(&r);
	free(args);
	return line;
}

bool esc_in(const char *obs, const char *set)
{
	size_t l = strlen(obs);

	for (const char *p = set; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t wl = bar ? (size_t)(bar - p) : strlen(p);

		if (wl == l && !strncmp(p, obs, l))
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

/* Appends one row (tab-separated, tabs and newlines in fields replaced) to $MXC_ESCAPE_ROWS. */
static void record_row(const char *observed, bool contained)
{
	const char *path = getenv("MXC_ESCAPE_ROWS");
	char *row, *obs = strdup(observed);
	int fd;

	for (char *p = obs; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '|')
			*p = *p == '|' ? '/' : ' ';
	row = e2e_strf("%s\t%s\n", contained ? "contained" : "ESCAPED", obs);
	row = e2e_strf("%s\t%s", esc_cur ? esc_cur->name : "?", row);
	if (path && *path) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			(void)!write(fd, row, strlen(row));
			close(fd);
		}
	}
	free(row);
	free(obs);
}

void esc_verdict(bool contained, const char *observed_fmt, ...)
{
	va_list ap;
	char *obs;

	va_start(ap, observed_fmt);
	if (vasprintf(&obs, observed_fmt, ap) < 0)
		abort();
	va_end(ap);
	record_row(obs, contained);
	ck_assert_msg(contained, "ESCAPED: %s: expected %s, observed %s",
		      esc_cur ? esc_cur->name : "?", esc_cur ? esc_cur->expected : "?",
		      e2e_esc(obs));
	free(obs);
}

bool esc_backend_is(const char *containment)
{
	const char *b = esc_containment && *esc_containment ? esc_containment : "namespaces";

	if (!strcmp(b, "process"))
		b = "namespaces";
	return !strcmp(b, containment);
}

void esc_known_limit(bool as_documented, const char *observed_fmt, ...)
{
	va_list ap;
	char *obs, *row;

	va_start(ap, observed_fmt);
	if (vasprintf(&obs, observed_fmt, ap) < 0)
		abort();
	va_end(ap);
	row = e2e_strf("KNOWN LIMIT of %s (docs/backends.md): %s", esc_containment, obs);
	record_row(row, true);
	ck_assert_msg(as_documented, "%s: the documented limit did not show as documented: %s",
		      esc_cur ? esc_cur->name : "?", e2e_esc(obs));
	free(row);
	free(obs);
}

void esc_expect(const char *obs)
{
	esc_verdict(esc_in(obs, esc_cur->expected), "%s", obs);
}

/* ---- host helpers ------------------------------------------------------ */

static pid_t fork_helper(void)
{
	pid_t pid = fork();

	ck_assert(pid >= 0);
	if (pid == 0)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	else
		add_helper(pid);
	return pid;
}

pid_t esc_host_sleeper(void)
{
	pid_t pid = fork_helper();

	if (pid == 0) {
		execl("/bin/sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	e2e_sleep_ms(20);
	ck_assert_msg(esc_alive(pid), "the host sleeper did not start");
	return pid;
}

bool esc_alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0 && kill(pid, 0) == 0;
}

static void serve_token(int fd, const char *token)
{
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			continue;
		(void)!write(c, token, strlen(token));
		close(c);
	}
}

int esc_tcp_server(int family, const char *addr, int port, const char *token)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	ck_assert_msg(fd >= 0, "socket: %m");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		ck_assert(inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		ck_assert(inet_pton(AF_INET, addr, &s4->sin_addr) == 1);
		sl = sizeof(*s4);
	}
	ck_assert_msg(bind(fd, (struct sockaddr *)&ss, sl) == 0, "bind %s:%d: %m", addr, port);
	ck_assert(listen(fd, 16) == 0);
	ck_assert(getsockname(fd, (struct sockaddr *)&ss, &sl) == 0);
	port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					: ((struct sockaddr_in *)&ss)->sin_port);
	if (fork_helper() == 0)
		serve_token(fd, token);
	close(fd);
	return port;
}

int esc_udp_server(const char *addr, int port, bool reply)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int p[2];

	ck_assert(fd >= 0);
	ck_assert(inet_pton(AF_INET, addr, &sa.sin_addr) == 1);
	ck_assert_msg(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind udp %s:%d: %m", addr,
		      port);
	ck_assert(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	ck_assert(pipe2(p, O_CLOEXEC) == 0);
	if (fork_helper() == 0) {
		close(p[0]);
		for (;;) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);
			unsigned char buf[512];
			ssize_t n =
				recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

			if (n < 0)
				continue;
			(void)!write(p[1], "d", 1);
			if (reply && n >= 12) {
				buf[2] |= 0x80; /* QR: a response */
				sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
			}
		}
	}
	close(p[1]);
	close(fd);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	udp_count_fd = p[0];
	return ntohs(sa.sin_port);
}

int esc_udp_count(void)
{
	static int count;
	char buf[64];
	ssize_t n;

	while ((n = read(udp_count_fd, buf, sizeof(buf))) > 0)
		count += (int)n;
	return count;
}

void esc_unix_server(const char *path, const char *token)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t l = strlen(path);
	socklen_t sl;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert(fd >= 0 && l < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, l);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + l + (path[0] == '@' ? 0 : 1));
	ck_assert_msg(bind(fd, (struct sockaddr *)&sa, sl) == 0, "bind %s: %m", path);
	ck_assert(listen(fd, 16) == 0);
	if (fork_helper() == 0)
		serve_token(fd, token);
	close(fd);
}

char *esc_host_ipv4(void)
{
	struct ifaddrs *ifa, *i;
	char *ret = NULL;

	if (getifaddrs(&ifa) < 0)
		return NULL;
	for (i = ifa; i && !ret; i = i->ifa_next) {
		char buf[INET_ADDRSTRLEN];

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & IFF_LOOPBACK) || !(i->ifa_flags & IFF_UP))
			continue;
		if (inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf,
			      sizeof(buf)))
			ret = strdup(buf);
	}
	freeifaddrs(ifa);
	return ret;
}

int esc_free_port(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert(fd >= 0);
	ck_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ck_assert(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	close(fd);
	return ntohs(sa.sin_port);
}

/* Reads fd into b until EOF or deadline. */
static void drain(int fd, char **data, size_t *len, double deadline)
{
	size_t cap = 4096;

	*data = malloc(cap + 1);
	*len = 0;
	while (e2e_now() < deadline) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		if (*len == cap) {
			cap *= 2;
			*data = realloc(*data, cap + 1);
		}
		n = read(fd, *data + *len, cap - *len);
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	(*data)[*len] = '\0';
}

void esc_spawn(struct e2e_result *r, const char *cfg, int stdin_fd, int keep_fd)
{
	int out[2], err[2], st;
	pid_t pid;
	double deadline = e2e_now() + 30;

	ck_assert(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		int in = stdin_fd >= 0 ? stdin_fd : open("/dev/null", O_RDONLY);

		setsid();
		if (isatty(in))
			ioctl(in, TIOCSCTTY, 0);
		dup2(in, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (keep_fd >= 3) {
			close_range(3, (unsigned)keep_fd - 1, 0);
			close_range((unsigned)keep_fd + 1, ~0U, 0);
			fcntl(keep_fd, F_SETFD, 0);
		} else {
			close_range(3, ~0U, 0);
		}
		if (chdir(e2e_root) < 0)
			_exit(121);
		execl(e2e_mxc, e2e_mxc, "run", cfg, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	drain(out[0], &r->out, &r->out_len, deadline);
	drain(err[0], &r->err, &r->err_len, deadline);
	close(out[0]);
	close(err[0]);
	for (int i = 0; waitpid(pid, &st, WNOHANG) == 0; i++) {
		if (i == 100) {
			kill(pid, SIGKILL);
			ck_assert(waitpid(pid, &st, 0) == pid);
			break;
		}
		e2e_sleep_ms(50);
	}
	r->status = st;
	r->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out_esc = e2e_esc(r->out);
	r->err_esc = e2e_esc(r->err);
	ck_assert_msg(r->exit_code != 1 && r->exit_code != 2 && r->exit_code != 255,
		      "mxc did not run the workload: exit %d stdout=[%s] stderr=[%s]", r->exit_code,
		      r->out_esc, r->err_esc);
}

char *esc_run_lines(struct e2e_cfg *c, int *ret_exit)
{
	struct e2e_result r;
	char *s = strdup("");
	int n;

	esc_run(c, &r);
	n = e2e_nlines(&r);
	for (int i = 0; i < n; i++) {
		char *l = e2e_line(&r, i), *t = e2e_strf("%s%s%s", s, i ? " ; " : "", l);

		free(s);
		free(l);
		s = t;
	}
	if (ret_exit)
		*ret_exit = r.exit_code;
	e2e_result_free(&r);
	return s;
}

/* ---- the result table ------------------------------------------------------ */

static struct esc_row *rows;
static size_t n_rows;

void esc_rows_load(const char *path)
{
	char *data = e2e_read_file(path, NULL);

	if (!data)
		return;
	for (char *save = NULL, *l = strtok_r(data, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(l, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;

		if (!t2)
			continue;
		*t1 = *t2 = '\0';
		rows = realloc(rows, (n_rows + 1) * sizeof(*rows));
		rows[n_rows++] = (struct esc_row){strdup(l), strdup(t1 + 1), strdup(t2 + 1)};
	}
	free(data);
}

const struct esc_row *esc_row_find(const char *name)
{
	for (size_t i = n_rows; i > 0; i--)
		if (!strcmp(rows[i - 1].name, name))
			return &rows[i - 1];
	return NULL;
}

char *esc_cell(const char *s)
{
	char *c = strdup(s ? s : "");

	for (char *p = c; *p; p++)
		if (*p == '|' || *p == '\n' || *p == '\t')
			*p = *p == '|' ? '/' : ' ';
	return c;
}
