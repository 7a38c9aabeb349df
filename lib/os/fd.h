/* SPDX-License-Identifier: MIT */
/* File descriptor hygiene. */
#ifndef MXC_OS_FD_H
#define MXC_OS_FD_H

/* Close every fd >= 3 except `keep` (-1: none). */
int fd_close_all_except(int keep);

/* Mark every fd >= 3 close-on-exec. */
int fd_cloexec_above_stdio(void);

/* Put /dev/null on 0, 1 and 2. */
int fd_stdio_to_null(void);

/* Install fds[0..2] as stdin/stdout/stderr (the originals are left open;
 * they are expected to be O_CLOEXEC). */
int fd_install_stdio(const int fds[3]);

#endif
