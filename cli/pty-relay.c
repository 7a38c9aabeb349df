/* SPDX-License-Identifier: MIT */
/* The PTY-mode relay and the caller's terminal mode (see pty-relay.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "pty-relay.h"

#define RELAY_BUF 65536

bool pty_get_winsize(int fd, unsigned short *ret_rows, unsigned short *ret_cols)
{
	struct winsize ws;

	if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return false;
	*ret_rows = ws.ws_row;
	*ret_cols = ws.ws_col;
	return true;
}

int pty_relay_init(struct pty_relay *r, int in_fd, int out_fd, int master, int winsize_fd)
{
	int flags;

	*r = (struct pty_relay){.in_fd = in_fd,
				.out_fd = out_fd,
				.master = master,
				.winsize_fd = winsize_fd,
				.ctl = {-1, -1}};
	flags = fcntl(master, F_GETFL);
	if (flags < 0 || fcntl(master, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	if (pipe2(r->ctl, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

void pty_relay_done(struct pty_relay *r)
{
	for (int i = 0; i < 2; i++)
		if (r->ctl[i] >= 0) {
			(void)close(r->ctl[i]);
			r->ctl[i] = -1;
		}
}

void pty_relay_notify(struct pty_relay *r, char what)
{
	int saved = errno;

	if (r->ctl[1] >= 0)
		(void)!write(r->ctl[1], &what, 1);
	errno = saved;
}

static void copy_winsize(const struct pty_relay *r)
{
	struct winsize ws;

	if (r->winsize_fd >= 0 && ioctl(r->winsize_fd, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(r->master, TIOCSWINSZ, &ws);
}

static void write_out(struct pty_relay *r, const char *p, size_t n)
{
	while (n > 0 && r->out_fd >= 0) {
		ssize_t k = write(r->out_fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = r->out_fd, .events = POLLOUT};

			(void)poll(&pfd, 1, -1);
			continue;
		}
		if (k <= 0) {
			r->out_fd = -1; /* gone (EPIPE): discard from now on */
			return;
		}
		p += k;
		n -= (size_t)k;
	}
}

/* Read what the master has now. 0: more may come; -EIO: the other side is
 * closed and everything was read. */
static int drain_master(struct pty_relay *r, char *buf)
{
	for (;;) {
		ssize_t n = read(r->master, buf, RELAY_BUF);

		if (n > 0) {
			write_out(r, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		return -EIO; /* EIO (or 0): no slave left */
	}
}

/* The bytes that stand for end of input: VEOF, twice when an unterminated
 * line is pending in canonical mode (the first only ends the line). */
static size_t eof_bytes(const struct pty_relay *r, char last, char out[2])
{
	struct termios t;
	size_t n = 0;
	cc_t veof;

	/* On a master, the termios calls act on the slave's settings. */
	if (tcgetattr(r->master, &t) < 0)
		return 0;
	veof = t.c_cc[VEOF];
	if (veof == _POSIX_VDISABLE)
		return 0;
	out[n++] = (char)veof;
	if ((t.c_lflag & ICANON) && last != '\0' && last != '\n' && last != (char)veof &&
	    last != (char)t.c_cc[VEOL] && last != (char)t.c_cc[VEOL2])
		out[n++] = (char)veof;
	return n;
}

int pty_relay_run(struct pty_relay *r)
{
	char *buf = malloc(RELAY_BUF), *in = malloc(RELAY_BUF);
	size_t in_len = 0, in_off = 0;
	bool in_open = r->in_fd >= 0, eof_pending = !in_open, quit = false;
	char last = '\0';
	int ret = 0;

	if (!buf || !in) {
		free(buf);
		free(in);
		return -ENOMEM;
	}
	while (!quit) {
		struct pollfd p[3];
		int ii = -1, im, ic;
		nfds_t n = 0;

		if (in_len == 0 && eof_pending) {
			in_len = eof_bytes(r, last, in);
			in_off = 0;
			eof_pending = false;
		}
		p[n] = (struct pollfd){.fd = r->master, .events = POLLIN};
		if (in_off < in_len)
			p[n].events |= POLLOUT;
		im = (int)n++;
		p[n] = (struct pollfd){.fd = r->ctl[0], .events = POLLIN};
		ic = (int)n++;
		if (in_open && in_off >= in_len) {
			p[n] = (struct pollfd){.fd = r->in_fd, .events = POLLIN};
			ii = (int)n++;
		}
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (p[ic].revents & POLLIN) {
			char ev[16];
			ssize_t k = read(r->ctl[0], ev, sizeof(ev));

			for (ssize_t i = 0; i < k; i++) {
				if (ev[i] == PTY_RELAY_WINCH)
					copy_winsize(r);
				else if (ev[i] == PTY_RELAY_QUIT)
					quit = true;
			}
		}
		if (p[im].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (drain_master(r, buf) < 0)
				break;
		}
		if ((p[im].revents & POLLOUT) && in_off < in_len) {
			ssize_t k = write(r->master, in + in_off, in_len - in_off);

			if (k > 0)
				in_off += (size_t)k;
			else if (k < 0 && errno != EAGAIN && errno != EINTR)
				in_off = in_len; /* the terminal is gone; EIO ends the loop */
		}
		if (ii >= 0 && (p[ii].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t k = read(r->in_fd, in, RELAY_BUF);

			if (k > 0) {
				in_len = (size_t)k;
				in_off = 0;
				last = in[k - 1];
			} else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
				/* End of input (or the caller's terminal hung up). */
				in_open = false;
				eof_pending = true;
				in_len = in_off = 0;
			}
		}
	}
	if (quit)
		(void)drain_master(r, buf);
	free(buf);
	free(in);
	return ret;
}

/* ---- the caller's terminal ------------------------------------------------ */

static struct termios saved_termios;
static volatile int saved_fd = -1;

void term_restore(void)
{
	int fd = saved_fd;

	if (fd < 0)
		return;
	saved_fd = -1;
	(void)tcsetattr(fd, TCSANOW, &saved_termios);
}

static void fatal_signal(int sig)
{
	term_restore();
	/* SA_RESETHAND: the default action runs on re-delivery. */
	(void)raise(sig);
}

int term_make_raw(int fd)
{
	static const int fatal[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL,	SIGABRT,   SIGTRAP,
				    SIGSYS,  SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF};
	static bool installed;
	struct termios raw;

	if (tcgetattr(fd, &saved_termios) < 0)
		return -errno;
	raw = saved_termios;
	cfmakeraw(&raw);
	if (!installed) {
		struct sigaction sa = {.sa_handler = fatal_signal, .sa_flags = SA_RESETHAND};

		(void)sigemptyset(&sa.sa_mask);
		for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
			(void)sigaction(fatal[i], &sa, NULL);
		(void)atexit(term_restore);
		installed = true;
	}
	saved_fd = fd;
	/* TCSANOW: input already typed stays queued for the workload. */
	if (tcsetattr(fd, TCSANOW, &raw) < 0) {
		int r = -errno;

		saved_fd = -1;
		return r;
	}
	return 0;
}
