/* SPDX-License-Identifier: MIT */
/*
 * Static probe the seccomp and Landlock kernel tests run inside a sandbox:
 * it performs one operation and prints the errno it got as a number
 * ("0" for success), then exits 0. An operation the filter kills never
 * prints: the caller sees the signal.
 *
 *   row N                   the try-syscall probe N of syscall-rows.h
 *   x32 | int80             a getpid through the x32 ABI / the i386 ABI
 *   tiocsti                 TIOCSTI on a new pty made the controlling terminal
 *   read PATH | write PATH  open + read / open O_WRONLY|O_CREAT + write
 *   exec PATH               fork + execve PATH; its exit status must be 0
 *   mkdir PATH | ls PATH
 *   remount-rw PATH         mount_setattr clearing MOUNT_ATTR_RDONLY, then MS_REMOUNT
 *   bind-tcp                bind a TCP socket to 127.0.0.1:0
 *   connect-tcp PORT        connect to 127.0.0.1:PORT
 *   connect-abstract NAME   connect to the abstract unix socket @NAME
 *   kill PID                kill(PID, 0)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "syscall-rows.h"

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x1
#endif

struct mount_attr_compat {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

static int result(int ok_or_errno)
{
	printf("%d\n", ok_or_errno);
	return 0;
}

static int neg(long r)
{
	return r < 0 ? errno : 0;
}

static int op_tiocsti(void)
{
	int master, slave;
	char c = 'x';

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		return errno;
	slave = open(ptsname(master), O_RDWR | O_CLOEXEC);
	if (slave < 0)
		return errno;
	/* The probe leads its own session: the pty becomes its terminal, so
	 * the kernel itself would allow the injection. */
	(void)setsid();
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return errno;
	return neg(ioctl(slave, TIOCSTI, &c));
}

static int op_exec(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = {(char *)path, NULL};

		(void)execve(path, argv, (char *[]){NULL});
		_exit(100 + (errno & 0x3f));
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 100)
		return WEXITSTATUS(status) - 100;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : EIO;
}

static int op_ls(const char *path)
{
	DIR *d = opendir(path);

	if (!d)
		return errno;
	errno = 0;
	while (readdir(d))
		;
	closedir(d);
	return errno;
}

static int op_remount(const char *path)
{
	struct mount_attr_compat a = {.attr_clr = MOUNT_ATTR_RDONLY};
	int r = neg(syscall(__NR_mount_setattr, AT_FDCWD, path, 0, &a, sizeof(a)));

	if (r)
		return r;
	return neg(mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL));
}

static int op_tcp(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno;
	if (port == 0)
		return neg(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	return neg(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
}

static int op_abstract(const char *name)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t n = strlen(name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno;
	if (n + 1 > sizeof(sa.sun_path))
		return ENAMETOOLONG;
	memcpy(sa.sun_path + 1, name, n);
	return neg(connect(fd, (struct sockaddr *)&sa,
			   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)));
}

static int io(const char *path, bool write_it)
{
	char buf[64];
	int fd = open(path, write_it ? O_WRONLY | O_CREAT | O_CLOEXEC : O_RDONLY | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	return neg(write_it ? write(fd, "x", 1) : read(fd, buf, sizeof(buf)));
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(op, "row"))
		return result(sc_row_run((size_t)atoi(arg)));
	if (!strcmp(op, "x32"))
		return result(sc_x32_getpid());
	if (!strcmp(op, "int80")) {
		long r = sc_int80_getpid();

		return result(r < 0 ? (int)-r : 0);
	}
	if (!strcmp(op, "tiocsti"))
		return result(op_tiocsti());
	if (!strcmp(op, "read"))
		return result(io(arg, false));
	if (!strcmp(op, "write"))
		return result(io(arg, true));
	if (!strcmp(op, "exec"))
		return result(op_exec(arg));
	if (!strcmp(op, "mkdir"))
		return result(neg(mkdir(arg, 0755)));
	if (!strcmp(op, "ls"))
		return result(op_ls(arg));
	if (!strcmp(op, "remount-rw"))
		return result(op_remount(arg));
	if (!strcmp(op, "bind-tcp"))
		return result(op_tcp(0));
	if (!strcmp(op, "connect-tcp"))
		return result(op_tcp(atoi(arg)));
	if (!strcmp(op, "connect-abstract"))
		return result(op_abstract(arg));
	if (!strcmp(op, "kill"))
		return result(neg(kill((pid_t)atoi(arg), 0)));
	fprintf(stderr, "harden-probe: unknown operation '%s'\n", op);
	return 2;
}
