/* SPDX-License-Identifier: MIT */
/*
 * e2e: terminals and file descriptors.
 *
 *  - fds the caller leaks into mxc (opened without O_CLOEXEC) reach neither
 *    the workload nor the sandbox's init;
 *  - with mxc's stdin on the caller's terminal (a pty this test allocates and
 *    makes mxc's controlling terminal), the workload has no controlling
 *    terminal and cannot inject input into the caller's terminal (TIOCSTI);
 *  - `mxc run --pty`: a new pty of the sandbox is the workload's controlling
 *    terminal and stdin/stdout/stderr; mxc relays it (raw mode, window size,
 *    SIGWINCH, EOF) and restores the caller's terminal.
 */
#include "e2e-util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* ---- a run of mxc with stdin on a pty of ours ---------------------------- */

struct tty_run {
	/* inputs */
	bool stdout_tty;	   /* mxc's stdout and stderr on the caller pty too (else pipes) */
	bool extra_fds;		   /* leak fds 5 (a marker file) and 9 (a pipe) into mxc */
	bool raw_caller;	   /* caller pty non-canonical before the run (injection check) */
	unsigned short rows, cols; /* caller pty size (0: leave) */
	/* state */
	int master, slave; /* caller pty; slave kept open by the test for checks */
	int out, err;	   /* pipes from mxc (-1 once closed) */
	int leak_pipe[2];  /* fd 9 in mxc is leak_pipe[1] */
	char *leak_file;
	pid_t pid;
	int status;
	bool reaped;
	/* outputs: what mxc wrote to stdout (or the terminal), stderr, the terminal */
	char *obuf, *ebuf, *tbuf;
	size_t olen, elen, tlen;
};

static void append(char **b, size_t *len, const char *p, size_t n)
{
	*b = realloc(*b, *len + n + 1);
	memcpy(*b + *len, p, n);
	*len += n;
	(*b)[*len] = '\0';
}

static void tty_start(struct tty_run *t, const char *const *args)
{
	int out[2] = {-1, -1}, err[2] = {-1, -1};
	struct winsize ws = {.ws_row = t->rows, .ws_col = t->cols};
	const char *argv[32];
	size_t n = 0;

	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	ck_assert_msg(t->master >= 0, "posix_openpt: %m");
	ck_assert(grantpt(t->master) == 0 && unlockpt(t->master) == 0);
	t->slave = open(ptsname(t->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_msg(t->slave >= 0, "open %s: %m", ptsname(t->master));
	if (t->rows)
		ck_assert(ioctl(t->master, TIOCSWINSZ, &ws) == 0);
	if (t->raw_caller) {
		struct termios tio;

		ck_assert(tcgetattr(t->slave, &tio) == 0);
		tio.c_lflag &= ~(tcflag_t)ICANON; /* every byte readable at once; ECHO stays */
		tio.c_cc[VMIN] = 0;
		tio.c_cc[VTIME] = 0;
		ck_assert(tcsetattr(t->slave, TCSANOW, &tio) == 0);
	}
	if (!t->stdout_tty) {
		ck_assert(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
	}
	t->leak_pipe[0] = t->leak_pipe[1] = -1;
	if (t->extra_fds) {
		t->leak_file = e2e_path("leaked-file");
		e2e_write_file(t->leak_file, "secret\n");
		ck_assert(pipe2(t->leak_pipe, O_CLOEXEC) == 0);
	}

	argv[n++] = e2e_mxc;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	t->pid = fork();
	ck_assert(t->pid >= 0);
	if (t->pid == 0) {
		int s;

		/* A session of our own with the pty as its controlling terminal,
		 * like a login shell's. */
		if (setsid() < 0)
			_exit(120);
		s = open(ptsname(t->master), O_RDWR); /* no O_NOCTTY: acquires it */
		if (s < 0 || ioctl(s, TIOCSCTTY, 0) < 0)
			_exit(121);
		dup2(s, 0);
		dup2(t->stdout_tty ? s : out[1], 1);
		dup2(t->stdout_tty ? s : err[1], 2);
		if (t->extra_fds) {
			/* Inherited by mxc: neither O_CLOEXEC nor closed. */
			int f = open(t->leak_file, O_RDONLY);

			if (f < 0 || dup2(f, 5) < 0 || dup2(t->leak_pipe[1], 9) < 0)
				_exit(122);
			close_range(3, 4, 0);
			close_range(6, 8, 0);
			close_range(10, ~0U, 0);
		} else {
			close_range(3, ~0U, 0);
		}
		if (chdir(e2e_root) < 0)
			_exit(123);
		signal(SIGPIPE, SIG_DFL);
		execv(e2e_mxc, (char *const *)argv);
		_exit(127);
	}
	if (!t->stdout_tty) {
		close(out[1]);
		close(err[1]);
		t->out = out[0];
		t->err = err[0];
	} else {
		t->out = t->err = -1;
	}
	append(&t->obuf, &t->olen, "", 0);
	append(&t->ebuf, &t->elen, "", 0);
	append(&t->tbuf, &t->tlen, "", 0);
}

/* Pump mxc's output for up to ms; stop early once `needle` is on stdout
 * (NULL: once mxc exited and its output is closed). Returns whether it did. */
static bool tty_pump(struct tty_run *t, const char *needle, int ms)
{
	double end = e2e_now() + ms / 1000.0;

	for (;;) {
		struct pollfd p[3];
		int n = 0, io = -1, ie = -1, im;
		char buf[4096];
		ssize_t k;

		if (needle && strstr(t->obuf, needle))
			return true;
		if (!t->reaped && waitpid(t->pid, &t->status, WNOHANG) == t->pid)
			t->reaped = true;
		if (!needle && t->reaped && t->out < 0 && t->err < 0) {
			/* the terminal: take what is left without waiting */
			while ((k = read(t->master, buf, sizeof(buf))) > 0) {
				append(&t->tbuf, &t->tlen, buf, (size_t)k);
				if (t->stdout_tty)
					append(&t->obuf, &t->olen, buf, (size_t)k);
			}
			return true;
		}
		if (e2e_now() >= end)
			return false;
		if (t->out >= 0) {
			p[n] = (struct pollfd){.fd = t->out, .events = POLLIN};
			io = n++;
		}
		if (t->err >= 0) {
			p[n] = (struct pollfd){.fd = t->err, .events = POLLIN};
			ie = n++;
		}
		p[n] = (struct pollfd){.fd = t->master, .events = POLLIN};
		im = n++;
		if (poll(p, (nfds_t)n, 20) < 0)
			continue;
		if (io >= 0 && p[io].revents) {
			k = read(t->out, buf, sizeof(buf));
			if (k > 0)
				append(&t->obuf, &t->olen, buf, (size_t)k);
			else if (k == 0 || errno != EINTR) {
				close(t->out);
				t->out = -1;
			}
		}
		if (ie >= 0 && p[ie].revents) {
			k = read(t->err, buf, sizeof(buf));
			if (k > 0)
				append(&t->ebuf, &t->elen, buf, (size_t)k);
			else if (k == 0 || errno != EINTR) {
				close(t->err);
				t->err = -1;
			}
		}
		if (p[im].revents & POLLIN) {
			k = read(t->master, buf, sizeof(buf));
			if (k > 0) {
				append(&t->tbuf, &t->tlen, buf, (size_t)k);
				if (t->stdout_tty)
					append(&t->obuf, &t->olen, buf, (size_t)k);
			}
		}
	}
}

/* Wait for mxc to exit (SIGKILL after ms); returns its exit code. */
static int tty_finish(struct tty_run *t, int ms)
{
	if (!tty_pump(t, NULL, ms)) {
		kill(t->pid, SIGKILL);
		ck_assert(tty_pump(t, NULL, 5000));
		ck_abort_msg("mxc did not exit within %d ms; stdout=[%s] stderr=[%s]", ms,
			     e2e_esc(t->obuf), e2e_esc(t->ebuf));
	}
	return WIFEXITED(t->status) ? WEXITSTATUS(t->status) : 128 + WTERMSIG(t->status);
}

/* Type into the caller's terminal. */
static void tty_type(struct tty_run *t, const char *s)
{
	ck_assert(write(t->master, s, strlen(s)) == (ssize_t)strlen(s));
}

static void tty_resize(struct tty_run *t, unsigned short rows, unsigned short cols)
{
	struct winsize ws = {.ws_row = rows, .ws_col = cols};

	/* The kernel sends SIGWINCH to the terminal's foreground group: mxc. */
	ck_assert(ioctl(t->master, TIOCSWINSZ, &ws) == 0);
}

static void tty_free(struct tty_run *t)
{
	if (t->out >= 0)
		close(t->out);
	if (t->err >= 0)
		close(t->err);
	close(t->master);
	close(t->slave);
	if (t->leak_pipe[0] >= 0)
		close(t->leak_pipe[0]);
	if (t->leak_pipe[1] >= 0)
		close(t->leak_pipe[1]);
	free(t->leak_file);
	free(t->obuf);
	free(t->ebuf);
	free(t->tbuf);
}

/* Bytes waiting in the input queue of the caller's terminal (non-canonical). */
static int pending_input(struct tty_run *t, char *buf, size_t size)
{
	int n = 0;
	ssize_t k;

	ck_assert(ioctl(t->slave, FIONREAD, &n) == 0);
	if (n == 0)
		return 0;
	k = read(t->slave, buf, size - 1);
	buf[k > 0 ? k : 0] = '\0';
	return n;
}

static char *cfg_for(const char *cmd)
{
	return e2e_cfg_write(e2e_cfg_new(cmd));
}

/* The bubblewrap backend has no --pty: it refuses, exit 255, backend_unavailable. */
static bool pty_refused_on_bubblewrap(void)
{
	struct e2e_result r;
	char *code = NULL, *msg = NULL;

	if (!e2e_backend_is("bubblewrap"))
		return false;
	e2e_run(&r, NULL, "run", "--pty", cfg_for("true"), NULL);
	ck_assert_msg(r.exit_code == 255, "exit %d err=[%s]", r.exit_code, r.err_esc);
	e2e_assert_envelope(&r, &code, &msg);
	ck_assert_str_eq(code, "backend_unavailable");
	ck_assert_msg(strstr(msg, "--pty"), "message: %s", msg);
	free(code);
	free(msg);
	e2e_result_free(&r);
	return true;
}

/* ---- fds ------------------------------------------------------------------ */

/* The host pid of mxc's child (the sandbox's init), 0 if none yet. */
static pid_t child_of(pid_t parent)
{
	char *list;
	pid_t found = 0;

	list = e2e_ls("/proc");
	for (char *save = NULL, *s = strtok_r(list, " ", &save); s && !found;
	     s = strtok_r(NULL, " ", &save)) {
		char *path, *st, *pp;

		if (*s < '0' || *s > '9')
			continue;
		path = e2e_strf("/proc/%s/status", s);
		st = e2e_read_file(path, NULL);
		free(path);
		if (st && (pp = strstr(st, "\nPPid:")) && atoi(pp + 6) == parent)
			found = atoi(s);
		free(st);
	}
	free(list);
	return found;
}

START_TEST(leaked_fds_reach_neither_workload_nor_init)
{
	struct tty_run t = {.extra_fds = true};
	char *cfg =
		cfg_for(e2e_strf("%s fds; echo started; %s sleep-ms 1500", e2e_probe, e2e_probe));
	const char *args[] = {"run", cfg, NULL};
	char *leak_pipe_link, *init_fds;
	pid_t init = 0;
	char link[256], path[64];
	ssize_t k;
	int code;

	tty_start(&t, args);
	/* fd 9 of mxc is our pipe: record its identity to look for it in init */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", t.leak_pipe[1]);
	k = readlink(path, link, sizeof(link) - 1);
	ck_assert(k > 0);
	link[k] = '\0';
	leak_pipe_link = strdup(link);

	ck_assert_msg(tty_pump(&t, "started\n", 10000), "no output: stdout=[%s] stderr=[%s]",
		      e2e_esc(t.obuf), e2e_esc(t.ebuf));
	for (int i = 0; i < 100 && !(init = child_of(t.pid)); i++)
		e2e_sleep_ms(10);
	ck_assert_msg(init > 0, "the sandbox's init (child of mxc %d) not found", (int)t.pid);

	/* mxc itself holds the leaked fds (it was given them) ... */
	snprintf(path, sizeof(path), "/proc/%d/fd/9", (int)t.pid);
	k = readlink(path, link, sizeof(link) - 1);
	ck_assert_msg(k > 0, "mxc does not hold fd 9: the test is broken");
	/* ... init holds none of them */
	init_fds = e2e_ls(e2e_strf("/proc/%d/fd", (int)init));
	for (char *save = NULL, *s = strtok_r(init_fds, " ", &save); s;
	     s = strtok_r(NULL, " ", &save)) {
		char *p = e2e_strf("/proc/%d/fd/%s", (int)init, s);

		k = readlink(p, link, sizeof(link) - 1);
		free(p);
		if (k <= 0)
			continue;
		link[k] = '\0';
		ck_assert_msg(strcmp(link, leak_pipe_link) && strcmp(link, t.leak_file),
			      "init holds the caller's fd %s -> %s", s, link);
	}
	code = tty_finish(&t, 20000);
	ck_assert_msg(code == 0, "exit %d stderr=[%s]", code, e2e_esc(t.ebuf));
	ck_assert_msg(!strncmp(t.obuf, "OK 0 1 2\n", 9), "workload fds: [%s]", e2e_esc(t.obuf));
	tty_free(&t);
}
END_TEST

START_TEST(leaked_fds_not_in_pty_mode_either)
{
	struct tty_run t = {.extra_fds = true};
	char *cfg = cfg_for("true");
	const char *args[] = {"run", "--pty", cfg, "--", e2e_probe, "fds", NULL};
	int code;

	if (pty_refused_on_bubblewrap())
		return;

	tty_start(&t, args);
	code = tty_finish(&t, 20000);
	ck_assert_msg(code == 0, "exit %d stderr=[%s]", code, e2e_esc(t.ebuf));
	ck_assert_msg(!strcmp(t.obuf, "OK 0 1 2\r\n"), "workload fds: [%s]", e2e_esc(t.obuf));
	tty_free(&t);
}
END_TEST

/* ---- the caller's terminal without --pty ---------------------------------- */

START_TEST(tiocsti_cannot_inject_into_caller_terminal)
{
	struct tty_run t = {.raw_caller = true};
	char *cfg = cfg_for(
		e2e_strf("%s tiocsti; %s tiocsti; %s isatty", e2e_probe, e2e_probe, e2e_probe));
	const char *args[] = {"run", cfg, NULL};
	char buf[256];
	char *l0, *l1;
	int code, n;

	tty_start(&t, args);
	if (geteuid() == 0) {
		/* Positive control (root may TIOCSTI any tty): the detector sees it. */
		char c = 'y';

		ck_assert(ioctl(t.slave, TIOCSTI, &c) == 0);
		ck_assert_int_eq(pending_input(&t, buf, sizeof(buf)), 1);
		ck_assert_str_eq(buf, "y");
		e2e_sleep_ms(50);
		while (read(t.master, buf, sizeof(buf)) > 0)
			; /* its echo */
	}
	code = tty_finish(&t, 20000);
	ck_assert_msg(code == 0, "exit %d stdout=[%s] stderr=[%s]", code, e2e_esc(t.obuf),
		      e2e_esc(t.ebuf));
	l0 = e2e_strf("%.*s", (int)strcspn(t.obuf, "\n"), t.obuf);
	/* legacy_tiocsti=1: EPERM (not the controlling tty, no CAP_SYS_ADMIN);
	 * legacy_tiocsti=0: EIO; the seccomp rule: EPERM. Never OK. */
	ck_assert_msg(!strcmp(l0, "EPERM") || !strcmp(l0, "EIO") || !strcmp(l0, "ENOTTY"),
		      "TIOCSTI from the workload: [%s]", e2e_esc(t.obuf));
	l1 = strchr(t.obuf, '\n') + 1;
	ck_assert_msg(!strncmp(l1, l0, strlen(l0)), "second TIOCSTI: [%s]", e2e_esc(t.obuf));
	/* stdin is the caller's terminal (the test's precondition) */
	ck_assert_msg(strstr(t.obuf, "\nOK 1 0 0\n"), "isatty: [%s]", e2e_esc(t.obuf));
	n = pending_input(&t, buf, sizeof(buf));
	ck_assert_msg(n == 0, "%d bytes were injected into the caller's terminal: [%s]", n,
		      e2e_esc(buf));
	ck_assert_msg(t.tlen == 0, "the caller's terminal echoed [%s]", e2e_esc(t.tbuf));
	tty_free(&t);
}
END_TEST

START_TEST(no_controlling_terminal_without_pty)
{
	struct tty_run t = {.stdout_tty = true};
	char *cfg = cfg_for(e2e_strf("%s ctty; exec %s sid", e2e_probe, e2e_probe));
	const char *args[] = {"run", cfg, NULL};
	int code;

	tty_start(&t, args);
	code = tty_finish(&t, 20000);
	ck_assert_msg(code == 0, "exit %d out=[%s]", code, e2e_esc(t.obuf));
	/* /dev/tty: ENXIO (no controlling terminal); the workload leads its own
	 * session and is not in the terminal's foreground group. */
	/* On bubblewrap, --new-session makes bwrap's PID 1 the session leader, not the workload. */
	ck_assert_msg(!strcmp(t.obuf, e2e_backend_is("bubblewrap") ? "ENXIO\r\nOK 0 0\r\n"
								   : "ENXIO\r\nOK 1 0\r\n"),
		      "out=[%s]", e2e_esc(t.obuf));
	tty_free(&t);
}
END_TEST

/* ---- --pty ------------------------------------------------------------------ */

START_TEST(pty_terminal_and_session)
{
	struct tty_run t = {.rows = 33, .cols = 111};
	char *cfg = cfg_for("true");
	char *cmd = e2e_strf("%1$s isatty; %1$s sid; %1$s ctty; %1$s ttyname 0; %1$s winsize; "
			     "%1$s tiocsti; %1$s readline",
			     e2e_probe);
	const char *args[] = {"run", "--pty", cfg, "--", "sh", "-c", cmd, NULL};
	struct termios before, after;
	int code;

	if (pty_refused_on_bubblewrap())
		return;

	tty_start(&t, args);
	ck_assert(tcgetattr(t.slave, &before) == 0);
	ck_assert_msg(tty_pump(&t, "OK 1 1 1\r\n", 10000), "out=[%s] err=[%s]", e2e_esc(t.obuf),
		      e2e_esc(t.ebuf));
	/* the caller's terminal is raw while mxc relays */
	{
		struct termios raw;

		ck_assert(tcgetattr(t.slave, &raw) == 0);
		ck_assert_msg(!(raw.c_lflag & (ICANON | ECHO | ISIG)), "caller terminal not raw");
	}
	tty_type(&t, "typed line\r");
	code = tty_finish(&t, 20000);
	ck_assert_msg(code == 0, "exit %d out=[%s] err=[%s]", code, e2e_esc(t.obuf),
		      e2e_esc(t.ebuf));
	ck_assert_msg(t.elen == 0, "stderr: [%s]", e2e_esc(t.ebuf));
	/* the echo of the typed line may come anywhere in between */
	{
		static const char *const lines[] = {
			"OK 1 1 1\r\n", /* isatty(0, 1, 2) */
			"\nOK 0 1\r\n", /* sh leads the session; the probe is in the foreground */
			"\nOK\r\n",	/* /dev/tty opens */
			"\nOK /dev/pts/0\r\n", /* the sandbox's own devpts */
			"\nOK 33 111\r\n",     /* the caller's window size */
			NULL,
		};

		for (size_t i = 0; lines[i]; i++)
			ck_assert_msg(strstr(t.obuf, lines[i]), "no [%s] in out=[%s]",
				      e2e_esc(lines[i]), e2e_esc(t.obuf));
	}
	/* TIOCSTI on its own terminal may or may not work (seccomp); the line typed
	 * on the caller's side arrives either way */
	ck_assert_msg(strstr(t.obuf, "typed\\x20line\r\n"), "typed input: [%s]", e2e_esc(t.obuf));
	/* restored */
	ck_assert(tcgetattr(t.slave, &after) == 0);
	ck_assert_msg(before.c_lflag == after.c_lflag && before.c_iflag == after.c_iflag &&
			      before.c_oflag == after.c_oflag,
		      "the caller's terminal was not restored");
	tty_free(&t);
}
END_TEST

START_TEST(pty_sigwinch_forwarded)
{
	struct tty_run t = {.rows = 20, .cols = 70};
	char *cfg = cfg_for("true");
	const char *args[] = {"run", "--pty", cfg, "--", e2e_probe, "wait-winch", "8000", NULL};
	int code;

	if (pty_refused_on_bubblewrap())
		return;

	tty_start(&t, args);
	ck_assert_msg(tty_pump(&t, "OK ready\r\n", 10000), "out=[%s] err=[%s]", e2e_esc(t.obuf),
		      e2e_esc(t.ebuf));
	tty_resize(&t, 47, 132);
	code = tty_finish(&t, 20000);
	ck_assert_msg(code == 0, "exit %d", code);
	ck_assert_msg(!strcmp(t.obuf, "OK ready\r\nOK 47 132\r\n"), "out=[%s]", e2e_esc(t.obuf));
	tty_free(&t);
}
END_TEST

START_TEST(pty_merged_output_and_status)
{
	struct tty_run t = {0};
	char *cfg = cfg_for("echo out; echo err >&2; exit 7");
	const char *args[] = {"run", "--pty", cfg, NULL};
	int code;

	if (pty_refused_on_bubblewrap())
		return;

	tty_start(&t, args);
	code = tty_finish(&t, 20000);
	ck_assert_int_eq(code, 7);
	ck_assert_msg(!strcmp(t.obuf, "out\r\nerr\r\n"), "out=[%s]", e2e_esc(t.obuf));
	ck_assert_msg(t.elen == 0, "stderr=[%s]", e2e_esc(t.ebuf));
	tty_free(&t);
}
END_TEST

/* stdin not a terminal: no raw mode; EOF reaches the workload as ^D. */
START_TEST(pty_stdin_pipe_eof)
{
	struct e2e_result r;
	char *cfg = cfg_for("true");
	char *cmd = e2e_strf("%1$s readline; %1$s readline; %1$s isatty", e2e_probe);
	struct e2e_run_opts o = {.stdin_data = "one\ntwo", .stdin_len = 7, .kill_after_ms = 15000};
	struct e2e_run_opts o2 = {.stdin_data = "x\n", .stdin_len = 2, .kill_after_ms = 15000};

	if (pty_refused_on_bubblewrap())
		return;

	/* an unterminated last line: it arrives, then the end of input */
	e2e_run(&r, &o, "run", "--pty", cfg, "--", "sh", "-c", cmd, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d out=[%s] err=[%s]", r.exit_code, r.out_esc,
		      r.err_esc);
	ck_assert_msg(strstr(r.out, "OK one\r\n") && strstr(r.out, "EOF two\r\nOK 1 1 1\r\n"),
		      "out=[%s]", r.out_esc);
	e2e_result_free(&r);
	/* a terminated one: exactly one end of input after it */
	e2e_run(&r, &o2, "run", "--pty", cfg, "--", "sh", "-c", cmd, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d out=[%s] err=[%s]", r.exit_code, r.out_esc,
		      r.err_esc);
	ck_assert_msg(strstr(r.out, "OK x\r\nEOF \r\nOK 1 1 1\r\n"), "out=[%s]", r.out_esc);
	e2e_result_free(&r);
}
END_TEST

START_TEST(pty_signal_and_killed_status)
{
	struct e2e_result r;
	char *cfg = cfg_for("true");

	if (pty_refused_on_bubblewrap())
		return;

	e2e_run(&r, NULL, "run", "--pty", cfg, "--", e2e_probe, "kill-self", "TERM", NULL);
	ck_assert_msg(r.exit_code == 128 + SIGTERM, "exit %d out=[%s] err=[%s]", r.exit_code,
		      r.out_esc, r.err_esc);
	e2e_result_free(&r);
}
END_TEST

Suite *e2e_tty_suite(void)
{
	Suite *s = suite_create("e2e-tty");
	TCase *tc = tcase_create("tty");

	e2e_tcase_std(tc, 40);
	tcase_add_test(tc, leaked_fds_reach_neither_workload_nor_init);
	tcase_add_test(tc, tiocsti_cannot_inject_into_caller_terminal);
	tcase_add_test(tc, no_controlling_terminal_without_pty);
	tcase_add_test(tc, leaked_fds_not_in_pty_mode_either);
	tcase_add_test(tc, pty_terminal_and_session);
	tcase_add_test(tc, pty_sigwinch_forwarded);
	tcase_add_test(tc, pty_merged_output_and_status);
	tcase_add_test(tc, pty_stdin_pipe_eof);
	tcase_add_test(tc, pty_signal_and_killed_status);
	suite_add_tcase(s, tc);
	return s;
}
