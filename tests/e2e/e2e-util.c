/* SPDX-License-Identifier: MIT */
#include "e2e-util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

char *e2e_root;
char *e2e_probe;
const char *e2e_mxc;

void e2e_sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

double e2e_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *e2e_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

char *e2e_path(const char *rel)
{
	return e2e_strf("%s/%s", e2e_root, rel);
}

void e2e_mkdir(const char *path)
{
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s: %m", path);
}

void e2e_write_bytes(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_msg(fd >= 0, "open %s: %m", path);
	ck_assert_msg(write(fd, data, len) == (ssize_t)len, "write %s: %m", path);
	close(fd);
}

void e2e_write_file(const char *path, const char *data)
{
	e2e_write_bytes(path, data, strlen(data));
}

char *e2e_read_file(const char *path, size_t *ret_len)
{
	size_t cap = 4096, len = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return buf;
}

bool e2e_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

off_t e2e_file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	return st.st_size;
}

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) < 0 && errno != ENOENT) {
		/* A read-only dir left by a test: make it writable and retry. */
		(void)chmod(path, 0755);
		(void)remove(path);
	}
	return 0;
}

void e2e_rm_rf(const char *path)
{
	(void)nftw(path, rm_cb, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void e2e_setup(void)
{
	/* Under the per-run directory made by main(), which removes it even when a test failed. */
	const char *run_dir = getenv("MXC_E2E_RUN_DIR");
	char *tmpl = e2e_strf("%s/t-XXXXXX", run_dir && *run_dir ? run_dir : "/tmp");
	char *bin;
	char *data;
	size_t len;
	const char *probe_src = getenv("MXC_PROBE");

	e2e_mxc = getenv("MXC_BIN");
	ck_assert_msg(e2e_mxc && *e2e_mxc, "MXC_BIN is not set");
	ck_assert_msg(probe_src && *probe_src, "MXC_PROBE is not set");
	ck_assert_msg(access(e2e_mxc, X_OK) == 0, "MXC_BIN '%s' is not executable by uid %d: %m",
		      e2e_mxc, (int)getuid());
	ck_assert_msg(mkdtemp(tmpl), "mkdtemp: %m");
	ck_assert(chmod(tmpl, 0755) == 0);
	e2e_root = tmpl;
	bin = e2e_path("bin");
	e2e_mkdir(bin);
	e2e_probe = e2e_strf("%s/mxc-probe", bin);
	data = e2e_read_file(probe_src, &len);
	ck_assert_msg(data, "cannot read MXC_PROBE '%s': %m", probe_src);
	e2e_write_bytes(e2e_probe, data, len);
	ck_assert(chmod(e2e_probe, 0755) == 0);
	free(data);
	free(bin);
}

void e2e_teardown(void)
{
	if (e2e_root)
		e2e_rm_rf(e2e_root);
	free(e2e_root);
	free(e2e_probe);
	e2e_root = NULL;
	e2e_probe = NULL;
}

void e2e_tcase_std(TCase *tc, double timeout)
{
	tcase_add_checked_fixture(tc, e2e_setup, e2e_teardown);
	tcase_set_timeout(tc, timeout);
}

/* ---- config builder ---------------------------------------------------- */

struct e2e_cfg {
	json_t *root;
	json_t *process;
	json_t *fs; /* NULL until needed */
	bool no_probe;
};

const char *e2e_backend(void)
{
	const char *b = getenv("MXC_E2E_CONTAINMENT");

	return b ? b : "";
}

bool e2e_backend_is(const char *containment)
{
	const char *b = e2e_backend();

	if (!*b || !strcmp(b, "process") || !strcmp(b, "namespaces"))
		b = "namespaces";
	return !strcmp(b, containment);
}

struct e2e_cfg *e2e_cfg_new(const char *command_line)
{
	struct e2e_cfg *c = calloc(1, sizeof(*c));

	c->root = json_object();
	c->process = json_object();
	json_object_set_new(c->root, "version", json_string("0.8.0-alpha"));
	if (*e2e_backend())
		json_object_set_new(c->root, "containment", json_string(e2e_backend()));
	if (command_line)
		json_object_set_new(c->process, "commandLine", json_string(command_line));
	json_object_set(c->root, "process", c->process);
	return c;
}

void e2e_cfg_version(struct e2e_cfg *c, const char *version)
{
	if (version)
		json_object_set_new(c->root, "version", json_string(version));
	else
		json_object_del(c->root, "version");
}

void e2e_cfg_no_probe(struct e2e_cfg *c)
{
	c->no_probe = true;
}

static void cfg_add_path(struct e2e_cfg *c, const char *list, const char *path)
{
	json_t *arr;

	if (!c->fs) {
		c->fs = json_object();
		json_object_set(c->root, "filesystem", c->fs);
	}
	arr = json_object_get(c->fs, list);
	if (!arr) {
		arr = json_array();
		json_object_set_new(c->fs, list, arr);
	}
	json_array_append_new(arr, json_string(path));
}

void e2e_cfg_rw(struct e2e_cfg *c, const char *path)
{
	cfg_add_path(c, "readwritePaths", path);
}

void e2e_cfg_ro(struct e2e_cfg *c, const char *path)
{
	cfg_add_path(c, "readonlyPaths", path);
}

void e2e_cfg_deny(struct e2e_cfg *c, const char *path)
{
	cfg_add_path(c, "deniedPaths", path);
}

void e2e_cfg_env(struct e2e_cfg *c, const char *entry)
{
	json_t *arr = json_object_get(c->process, "env");

	if (!arr) {
		arr = json_array();
		json_object_set_new(c->process, "env", arr);
	}
	json_array_append_new(arr, json_string(entry));
}

void e2e_cfg_cwd(struct e2e_cfg *c, const char *cwd)
{
	json_object_set_new(c->process, "cwd", json_string(cwd));
}

void e2e_cfg_timeout(struct e2e_cfg *c, long ms)
{
	json_object_set_new(c->process, "timeout", json_integer(ms));
}

void e2e_cfg_network(struct e2e_cfg *c, const char *default_policy, int allow_local)
{
	json_t *net = json_object();

	if (default_policy)
		json_object_set_new(net, "defaultPolicy", json_string(default_policy));
	if (allow_local >= 0)
		json_object_set_new(net, "allowLocalNetwork", json_boolean(allow_local));
	json_object_set_new(c->root, "network", net);
}

void e2e_cfg_set_json(struct e2e_cfg *c, const char *key, const char *json_text)
{
	json_error_t jerr;
	json_t *v = json_loads(json_text, JSON_DECODE_ANY, &jerr);

	ck_assert_msg(v, "e2e_cfg_set_json %s: bad JSON (%s): %s", key, jerr.text, json_text);
	json_object_set_new(c->root, key, v);
}

char *e2e_cfg_dump(struct e2e_cfg *c)
{
	if (!c->no_probe) {
		char *bin = e2e_path("bin");

		c->no_probe = true;
		e2e_cfg_ro(c, bin);
		free(bin);
	}
	return json_dumps(c->root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

char *e2e_write_config_text(const char *text)
{
	static int counter;
	char *path = e2e_strf("%s/config-%d.json", e2e_root, ++counter);

	e2e_write_file(path, text);
	return path;
}

char *e2e_cfg_write(struct e2e_cfg *c)
{
	char *text = e2e_cfg_dump(c);
	char *path = e2e_write_config_text(text);

	free(text);
	json_decref(c->fs);
	json_decref(c->process);
	json_decref(c->root);
	free(c);
	return path;
}

char *e2e_probe_cmd(const char *args_fmt, ...)
{
	va_list ap;
	char *args, *s;

	va_start(ap, args_fmt);
	if (vasprintf(&args, args_fmt, ap) < 0)
		abort();
	va_end(ap);
	s = e2e_strf("%s %s", e2e_probe, args);
	free(args);
	return s;
}

/* ---- running the CLI --------------------------------------------------- */

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = realloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void e2e_runv(struct e2e_result *r, const struct e2e_run_opts *opts, const char *const *args)
{
	static const struct e2e_run_opts none;
	int out[2], err[2], in[2];
	struct buf bo = {0}, be = {0};
	size_t in_off = 0;
	size_t nargs = 0;
	const char **argv;
	double start, deadline;
	bool killed = false;
	pid_t pid;
	int st;

	if (!opts)
		opts = &none;
	while (args[nargs])
		nargs++;
	argv = calloc(nargs + 2, sizeof(*argv));
	argv[0] = e2e_mxc;
	memcpy(argv + 1, args, nargs * sizeof(*argv));

	ck_assert(pipe2(out, O_CLOEXEC) == 0);
	ck_assert(pipe2(err, O_CLOEXEC) == 0);
	ck_assert(pipe2(in, O_CLOEXEC) == 0);
	buf_add(&bo, "", 0);
	buf_add(&be, "", 0);

	start = e2e_now();
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		const char *cwd = opts->cwd ? opts->cwd : e2e_root;

		if (opts->stdin_data) {
			dup2(in[0], 0);
		} else {
			int nul = open("/dev/null", O_RDONLY);
			dup2(nul, 0);
		}
		dup2(out[1], 1);
		dup2(err[1], 2);
		close_range(3, ~0U, 0);
		if (opts->extra_env)
			for (size_t i = 0; opts->extra_env[i]; i++)
				putenv((char *)opts->extra_env[i]);
		if (cwd && chdir(cwd) < 0)
			_exit(121);
		signal(SIGPIPE, SIG_DFL);
		execv(e2e_mxc, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	close(in[0]);
	if (!opts->stdin_data) {
		close(in[1]);
		in[1] = -1;
	} else {
		fcntl(in[1], F_SETFL, O_NONBLOCK);
		signal(SIGPIPE, SIG_IGN);
	}
	if (opts->on_started)
		opts->on_started(pid, opts->userdata);

	deadline = start + (opts->kill_after_ms > 0 ? opts->kill_after_ms : 60000) / 1000.0;
	for (;;) {
		struct pollfd p[3];
		int n = 0, io = -1, ie = -1, ii = -1;

		if (out[0] >= 0) {
			p[n] = (struct pollfd){.fd = out[0], .events = POLLIN};
			io = n++;
		}
		if (err[0] >= 0) {
			p[n] = (struct pollfd){.fd = err[0], .events = POLLIN};
			ie = n++;
		}
		if (in[1] >= 0) {
			p[n] = (struct pollfd){.fd = in[1], .events = POLLOUT};
			ii = n++;
		}
		if (n == 0)
			break;
		int timeout = (int)((deadline - e2e_now()) * 1000);
		if (timeout <= 0) {
			if (!killed) {
				kill(pid, SIGKILL);
				killed = true;
			}
			timeout = 1000;
			deadline = e2e_now() + 5;
		}
		if (poll(p, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			ck_abort_msg("poll: %m");
		}
		char tmp[65536];
		if (io >= 0 && p[io].revents) {
			ssize_t k = read(out[0], tmp, sizeof(tmp));
			if (k > 0)
				buf_add(&bo, tmp, (size_t)k);
			else if (k == 0 || errno != EINTR) {
				close(out[0]);
				out[0] = -1;
			}
		}
		if (ie >= 0 && p[ie].revents) {
			ssize_t k = read(err[0], tmp, sizeof(tmp));
			if (k > 0)
				buf_add(&be, tmp, (size_t)k);
			else if (k == 0 || errno != EINTR) {
				close(err[0]);
				err[0] = -1;
			}
		}
		if (ii >= 0 && p[ii].revents) {
			ssize_t k = 0;
			if (in_off < opts->stdin_len)
				k = write(in[1], opts->stdin_data + in_off,
					  opts->stdin_len - in_off);
			if (k > 0)
				in_off += (size_t)k;
			if (in_off >= opts->stdin_len ||
			    (k < 0 && errno != EAGAIN && errno != EINTR)) {
				close(in[1]);
				in[1] = -1;
			}
		}
		/* A detached process keeping the pipes open must not hang us forever. */
		if (!killed && waitpid(pid, &st, WNOHANG) == pid) {
			pid = -st - 1; /* remember that it was reaped */
			deadline = e2e_now() + 5;
			killed = true; /* do not kill again: just stop waiting for EOF */
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	if (out[0] >= 0)
		close(out[0]);
	if (err[0] >= 0)
		close(err[0]);
	if (pid > 0)
		ck_assert(waitpid(pid, &st, 0) == pid);
	else
		st = -(pid + 1);
	r->secs = e2e_now() - start;
	r->status = st;
	r->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = bo.data;
	r->out_len = bo.len;
	r->err = be.data;
	r->err_len = be.len;
	r->out_esc = e2e_esc(r->out);
	r->err_esc = e2e_esc(r->err);
	free(argv);
}

void e2e_run(struct e2e_result *r, const struct e2e_run_opts *opts, ...)
{
	const char *args[64];
	size_t n = 0;
	va_list ap;

	va_start(ap, opts);
	while (n < 63 && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	args[n] = NULL;
	e2e_runv(r, opts, args);
}

void e2e_run_config(struct e2e_result *r, const char *config_path)
{
	e2e_run(r, NULL, "run", config_path, NULL);
}

void e2e_result_free(struct e2e_result *r)
{
	free(r->out);
	free(r->err);
	free(r->out_esc);
	free(r->err_esc);
	r->out = r->err = r->out_esc = r->err_esc = NULL;
}

/* ---- error assertions -------------------------------------------------- */

/* Splits text into non-empty lines (pointers into a copy). */
static size_t split_lines(const char *text, char ***ret_lines, char **ret_copy)
{
	char *copy = strdup(text);
	char **lines = NULL;
	size_t n = 0;

	for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = l;
	}
	*ret_lines = lines;
	*ret_copy = copy;
	return n;
}

void e2e_assert_envelope(const struct e2e_result *r, char **ret_code, char **ret_message)
{
	char **lines, *copy;
	size_t n = split_lines(r->err, &lines, &copy);
	json_error_t jerr;
	json_t *j, *e, *code, *msg;

	ck_assert_msg(r->err_len > 0 && r->err[r->err_len - 1] == '\n',
		      "stderr must end with the envelope line and a newline: [%s]", r->err_esc);
	ck_assert_msg(n >= 2, "expected a message line and an envelope line on stderr: [%s]",
		      r->err_esc);
	ck_assert_msg(lines[n - 1][0] == '{', "last stderr line is not a JSON envelope: [%s]",
		      r->err_esc);
	j = json_loads(lines[n - 1], JSON_REJECT_DUPLICATES, &jerr);
	ck_assert_msg(j, "envelope is not JSON (%s): [%s]", jerr.text, lines[n - 1]);
	e = json_object_get(j, "error");
	ck_assert_msg(json_is_object(e), "envelope has no error object: [%s]", lines[n - 1]);
	code = json_object_get(e, "code");
	msg = json_object_get(e, "message");
	ck_assert_msg(json_is_string(code) && json_is_string(msg),
		      "envelope lacks code/message: [%s]", lines[n - 1]);
	ck_assert_msg(strlen(lines[n - 2]) > 0, "no human message line before the envelope");
	if (ret_code)
		*ret_code = strdup(json_string_value(code));
	if (ret_message)
		*ret_message = strdup(json_string_value(msg));
	json_decref(j);
	free(lines);
	free(copy);
}

void e2e_assert_backend_error(const struct e2e_result *r)
{
	char *code = NULL;

	ck_assert_msg(r->exit_code == 255, "exit %d, expected 255; stdout=[%s] stderr=[%s]",
		      r->exit_code, r->out_esc, r->err_esc);
	e2e_assert_envelope(r, &code, NULL);
	ck_assert_str_eq(code, "backend_error");
	free(code);
}

void e2e_assert_config_error(const struct e2e_result *r, const char *msg_substring)
{
	char **lines, *copy;
	size_t n;
	bool req = false, parse = false;

	ck_assert_msg(r->exit_code == 1, "exit %d, expected 1; stdout=[%s] stderr=[%s]",
		      r->exit_code, r->out_esc, r->err_esc);
	n = split_lines(r->err, &lines, &copy);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(lines[i], "Request error"))
			req = true;
		else if (req && !strncmp(lines[i], "Configuration parse error: ", 27)) {
			if (!msg_substring || strstr(lines[i], msg_substring))
				parse = true;
		}
	}
	ck_assert_msg(req, "no 'Request error' line on stderr: [%s]", r->err_esc);
	ck_assert_msg(parse, "no 'Configuration parse error: ...%s...' line after it: [%s]",
		      msg_substring ? msg_substring : "", r->err_esc);
	free(lines);
	free(copy);
}

/* ---- processes, namespaces, mounts ------------------------------------- */

bool e2e_process_with_marker(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	bool found = false;
	size_t mlen = strlen(marker);

	ck_assert(d);
	while (!found && (de = readdir(d))) {
		char path[300], buf[8192];
		ssize_t n;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n <= 0)
			continue;
		for (ssize_t i = 0; i + (ssize_t)mlen <= n; i++)
			if (!memcmp(buf + i, marker, mlen)) {
				found = true;
				break;
			}
	}
	closedir(d);
	return found;
}

bool e2e_wait_no_marker(const char *marker, int ms)
{
	double end = e2e_now() + ms / 1000.0;

	do {
		if (!e2e_process_with_marker(marker))
			return true;
		e2e_sleep_ms(50);
	} while (e2e_now() < end);
	return !e2e_process_with_marker(marker);
}

char *e2e_unique(const char *prefix)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return e2e_strf("%s%d%09ld", prefix, (int)getpid(), ts.tv_nsec);
}

char *e2e_host_ns(const char *ns)
{
	char path[64], buf[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	n = readlink(path, buf, sizeof(buf) - 1);
	ck_assert_msg(n > 0, "readlink %s: %m", path);
	buf[n] = '\0';
	return strdup(buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *e2e_ls(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	struct buf b = {0};

	buf_add(&b, "", 0);
	if (!d)
		return b.data;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_add(&b, " ", 1);
		buf_add(&b, names[i], strlen(names[i]));
		free(names[i]);
	}
	free(names);
	return b.data;
}

char *e2e_mountinfo(void)
{
	char *s = e2e_read_file("/proc/self/mountinfo", NULL);

	ck_assert(s);
	return s;
}

char *e2e_line(const struct e2e_result *r, int i)
{
	const char *p = r->out, *end = r->out + r->out_len;

	for (; i > 0 && p < end; i--) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return strdup("");
		p = nl + 1;
	}
	if (p >= end)
		return strdup("");
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return strndup(p, nl ? (size_t)(nl - p) : (size_t)(end - p));
}

int e2e_nlines(const struct e2e_result *r)
{
	int n = 0;

	for (size_t i = 0; i < r->out_len; i++)
		if (r->out[i] == '\n')
			n++;
	if (r->out_len && r->out[r->out_len - 1] != '\n')
		n++;
	return n;
}

char *e2e_base64(const char *data, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	const unsigned char *d = (const unsigned char *)data;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		*o++ = tab[d[i] >> 2];
		*o++ = tab[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		*o++ = tab[((d[i + 1] & 15) << 2) | (d[i + 2] >> 6)];
		*o++ = tab[d[i + 2] & 63];
	}
	if (i < len) {
		*o++ = tab[d[i] >> 2];
		if (i + 1 < len) {
			*o++ = tab[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
			*o++ = tab[(d[i + 1] & 15) << 2];
		} else {
			*o++ = tab[(d[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

char *e2e_tmp_new_entries(const char *before)
{
	char *now = e2e_ls("/tmp");
	/* The name of our own top-level directory in /tmp (the run dir, or e2e_root itself). */
	const char *run_dir = getenv("MXC_E2E_RUN_DIR");
	const char *top = run_dir && *run_dir ? run_dir : e2e_root;
	const char *root_name = top ? strrchr(top, '/') + 1 : NULL;
	struct buf b = {0};

	buf_add(&b, "", 0);
	for (char *save = NULL, *t = strtok_r(now, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		size_t tl = strlen(t);
		bool found = false;

		if (root_name && !strcmp(t, root_name))
			continue;
		/* gcc's temporary files (ccXXXXXX.s/.o/...) from concurrent builds on this machine.
		 */
		if (tl >= 10 && !strncmp(t, "cc", 2) && t[8] == '.')
			continue;
		for (const char *p = before; (p = strstr(p, t)); p += tl)
			if ((p == before || p[-1] == ' ') && (p[tl] == ' ' || p[tl] == '\0')) {
				found = true;
				break;
			}
		if (!found) {
			if (b.len)
				buf_add(&b, " ", 1);
			buf_add(&b, t, tl);
		}
	}
	free(now);
	return b.data;
}

char *e2e_esc(const char *s)
{
	struct buf b = {0};

	buf_add(&b, "", 0);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		/* Check's messages are limited in size. */
		if (b.len > 1200) {
			buf_add(&b, "...", 3);
			break;
		}
		char tmp[8];

		if (c == '\n')
			buf_add(&b, "\\n", 2);
		else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			buf_add(&b, tmp, 4);
		} else
			buf_add(&b, (const char *)&c, 1);
	}
	return b.data;
}

char *e2e_unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		abort();
	for (; *s; s++) {
		unsigned v;

		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1 && v) {
			*o++ = (char)v;
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

bool e2e_in_list(const char *word, const char *bar_list)
{
	size_t wl = strlen(word);

	for (const char *p = bar_list; *p;) {
		size_t l = strcspn(p, "|");

		if (l == wl && !strncmp(p, word, l))
			return true;
		p += l + (p[l] == '|');
	}
	return false;
}
