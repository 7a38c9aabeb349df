/* SPDX-License-Identifier: MIT */
/* Pseudo-terminals: a new pair from a devpts instance's ptmx, the controlling terminal. */
#ifndef MXC_OS_PTY_H
#define MXC_OS_PTY_H

/*
 * Open a new pty pair from `ptmx` (a devpts instance's ptmx node): the master
 * unlocked, the window size set when rows and cols are both non-zero, the
 * peer (slave) opened through the master (TIOCGPTPEER, so no path lookup in
 * /dev/pts can be raced). Both are O_CLOEXEC and O_NOCTTY. Allocates nothing.
 */
int pty_open(const char *ptmx, unsigned short rows, unsigned short cols, int *ret_master,
	     int *ret_slave);

/* Make the terminal on `fd` the controlling terminal of the calling session
 * leader (which must have none yet). */
int pty_make_controlling(int fd);

#endif
