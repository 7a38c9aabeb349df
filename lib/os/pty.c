/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "pty.h"

int pty_open(const char *ptmx, unsigned short rows, unsigned short cols, int *ret_master,
	     int *ret_slave)
{
	int master, slave, unlock = 0, r;

	master = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return -errno;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		goto fail;
	if (rows && cols) {
		struct winsize ws = {.ws_row = rows, .ws_col = cols};

		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			goto fail;
	}
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		goto fail;
	*ret_master = master;
	*ret_slave = slave;
	return 0;
fail:
	r = -errno;
	(void)close(master);
	return r;
}

int pty_make_controlling(int fd)
{
	return ioctl(fd, TIOCSCTTY, 0) < 0 ? -errno : 0;
}
