/* SPDX-License-Identifier: MIT */
/* cli/pty-relay.c against real ptys and pipes: output, input, end of input, window size, quit. */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "../../cli/pty-relay.h"

struct fixture {
	int master, slave; /* the "sandbox" pty */
	int in[2], out[2]; /* caller's stdin and stdout */
	struct pty_relay r;
	pthread_t th;
};

static void *run(void *p)
{
	return (void *)(intptr_t)pty_relay_run(p);
}

static void start(struct fixture *f, int winsize_fd)
{
	f->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(f->master, 0);
	ck_assert(grantpt(f->master) == 0 && unlockpt(f->master) == 0);
	f->slave = open(ptsname(f->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(f->slave, 0);
	ck_assert(pipe2(f->in, O_CLOEXEC) == 0 && pipe2(f->out, O_CLOEXEC) == 0);
	ck_assert_int_eq(pty_relay_init(&f->r, f->in[0], f->out[1], f->master, winsize_fd), 0);
	ck_assert_int_eq(pthread_create(&f->th, NULL, run, &f->r), 0);
}

static int finish(struct fixture *f)
{
	void *ret;

	ck_assert_int_eq(pthread_join(f->th, &ret), 0);
	pty_relay_done(&f->r);
	return (int)(intptr_t)ret;
}

/* Read from the slave until n bytes or EOF reads (VEOF): returns the bytes, "<EOF>" marks. */
static char *slave_read(int fd, int reads)
{
	static char buf[256];
	size_t len = 0;

	for (int i = 0; i < reads; i++) {
		ssize_t k = read(fd, buf + len, sizeof(buf) - len - 8);

		ck_assert_int_ge(k, 0);
		if (k == 0) {
			memcpy(buf + len, "<EOF>", 5);
			len += 5;
		}
		len += (size_t)k;
	}
	buf[len] = '\0';
	return buf;
}

START_TEST(test_output_then_eio)
{
	struct fixture f;
	char buf[64];
	ssize_t n;

	start(&f, -1);
	ck_assert_int_eq(write(f.slave, "hello\n", 6), 6);
	close(f.slave); /* the workload is gone: the relay drains and ends */
	ck_assert_int_eq(finish(&f), 0);
	close(f.out[1]);
	n = read(f.out[0], buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 7);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "hello\r\n"); /* ONLCR of the pty */
}
END_TEST

START_TEST(test_input_and_eof_unterminated)
{
	struct fixture f;
	struct termios t;

	start(&f, -1);
	ck_assert(tcgetattr(f.slave, &t) == 0);
	t.c_lflag &= ~(tcflag_t)ECHO;
	ck_assert(tcsetattr(f.slave, TCSANOW, &t) == 0);
	ck_assert_int_eq(write(f.in[1], "ab\ncd", 5), 5);
	close(f.in[1]); /* end of input: VEOF twice after "cd" */
	ck_assert_str_eq(slave_read(f.slave, 3), "ab\ncd<EOF>");
	pty_relay_notify(&f.r, PTY_RELAY_QUIT);
	ck_assert_int_eq(finish(&f), 0);
	close(f.slave);
}
END_TEST

START_TEST(test_eof_after_newline_once)
{
	struct fixture f;
	struct termios t;
	int avail = -1;

	start(&f, -1);
	ck_assert(tcgetattr(f.slave, &t) == 0);
	t.c_lflag &= ~(tcflag_t)ECHO;
	ck_assert(tcsetattr(f.slave, TCSANOW, &t) == 0);
	ck_assert_int_eq(write(f.in[1], "x\n", 2), 2);
	close(f.in[1]);
	ck_assert_str_eq(slave_read(f.slave, 2), "x\n<EOF>");
	usleep(100000);
	/* no second VEOF queued */
	t.c_lflag &= ~(tcflag_t)ICANON;
	ck_assert(tcsetattr(f.slave, TCSANOW, &t) == 0);
	ck_assert(ioctl(f.slave, FIONREAD, &avail) == 0);
	ck_assert_int_eq(avail, 0);
	pty_relay_notify(&f.r, PTY_RELAY_QUIT);
	ck_assert_int_eq(finish(&f), 0);
	close(f.slave);
}
END_TEST

START_TEST(test_winsize_copied)
{
	struct fixture f;
	struct winsize ws = {.ws_row = 12, .ws_col = 34}, got;
	int caller = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	unsigned short rows, cols;

	ck_assert_int_ge(caller, 0);
	ck_assert(ioctl(caller, TIOCSWINSZ, &ws) == 0);
	ck_assert(pty_get_winsize(caller, &rows, &cols));
	ck_assert_uint_eq(rows, 12);
	ck_assert_uint_eq(cols, 34);
	start(&f, caller);
	pty_relay_notify(&f.r, PTY_RELAY_WINCH);
	pty_relay_notify(&f.r, PTY_RELAY_QUIT);
	ck_assert_int_eq(finish(&f), 0);
	ck_assert(ioctl(f.slave, TIOCGWINSZ, &got) == 0);
	ck_assert_uint_eq(got.ws_row, 12);
	ck_assert_uint_eq(got.ws_col, 34);
	ck_assert(!pty_get_winsize(f.in[0], &rows, &cols));
}
END_TEST

START_TEST(test_raw_and_restore)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s;
	struct termios before, raw, after;

	ck_assert(grantpt(m) == 0 && unlockpt(m) == 0);
	s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert(tcgetattr(s, &before) == 0);
	ck_assert_int_eq(term_make_raw(s), 0);
	ck_assert(tcgetattr(s, &raw) == 0);
	ck_assert(!(raw.c_lflag & (ICANON | ECHO | ISIG)));
	term_restore();
	term_restore(); /* idempotent */
	ck_assert(tcgetattr(s, &after) == 0);
	ck_assert(before.c_lflag == after.c_lflag && before.c_iflag == after.c_iflag &&
		  before.c_oflag == after.c_oflag);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pty-relay");
	TCase *tc = tcase_create("unit");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_output_then_eio);
	tcase_add_test(tc, test_input_and_eof_unterminated);
	tcase_add_test(tc, test_eof_after_newline_once);
	tcase_add_test(tc, test_winsize_copied);
	tcase_add_test(tc, test_raw_and_restore);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
