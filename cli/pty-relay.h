/* SPDX-License-Identifier: MIT */
/*
 * `mxc run --pty`: the CLI's half of PTY mode. The library hands back the
 * master of a pty that lives in the sandbox; this relays it to the caller's
 * stdin and stdout and owns the caller's terminal (raw mode, window size).
 * The library never touches the caller's terminal.
 */
#ifndef MXC_CLI_PTY_RELAY_H
#define MXC_CLI_PTY_RELAY_H

#include <stdbool.h>

struct pty_relay {
	int in_fd;	/* caller's input (borrowed; -1: none, as at end of input) */
	int out_fd;	/* caller's output (borrowed) */
	int master;	/* the pty master (borrowed; made non-blocking) */
	int winsize_fd; /* the caller's terminal to copy the window size from (-1: none) */
	int ctl[2];	/* owned: self-pipe, pty_relay_notify() -> the relay loop */
};

/* Set up a relay between in_fd/out_fd and master. */
int pty_relay_init(struct pty_relay *r, int in_fd, int out_fd, int master, int winsize_fd);
void pty_relay_done(struct pty_relay *r);

/*
 * Relay until the master reports EIO (every holder of the pty's other side
 * is gone and its output is drained), or until PTY_RELAY_QUIT was notified
 * and what the master has is drained. Input: bytes from in_fd go to the
 * master; end of input on in_fd is sent as the terminal's VEOF character
 * (twice after an unterminated line in canonical mode), never by closing the
 * master. Output that out_fd does not take (EPIPE) is discarded so the
 * workload never blocks on it. Returns 0 or a negative errno.
 */
int pty_relay_run(struct pty_relay *r);

#define PTY_RELAY_WINCH 'W' /* copy winsize_fd's window size to the master */
#define PTY_RELAY_QUIT	'Q' /* drain what is readable now, then return */

/* Async-signal-safe: wake the relay loop with one of the PTY_RELAY_* events. */
void pty_relay_notify(struct pty_relay *r, char what);

/* The window size of fd (a terminal), 0 if it is none. */
bool pty_get_winsize(int fd, unsigned short *ret_rows, unsigned short *ret_cols);

/*
 * The caller's terminal: term_make_raw() saves fd's settings and puts it in
 * raw mode; term_restore() puts them back. It is idempotent and
 * async-signal-safe, and runs at exit and from the fatal-signal handlers that
 * term_make_raw() installs, so the terminal is restored on every exit path a
 * process can catch.
 */
int term_make_raw(int fd);
void term_restore(void);

#endif
