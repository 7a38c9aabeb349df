/* SPDX-License-Identifier: MIT */
/*
 * mxc-probe: a static multi-call helper for the end-to-end tests.
 *
 *   mxc-probe OP ARGS...
 *
 * Performs exactly one operation and prints exactly one line on stdout:
 * "OK" (followed by a space and data for ops that return data), or the
 * errno name of the failure ("EACCES", "EROFS", ...). Data is escaped so the
 * line stays one line: bytes outside 0x21..0x7e and the backslash are
 * written as \xHH (so a space is \x20).
 *
 * Exit status: 0 when the operation ran (even if it failed with an errno),
 * 2 on bad usage. kill-self does not return.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void put_escaped(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c > 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void put_escaped_str(const char *s)
{
	put_escaped(s, strlen(s));
}

static int report_errno(int e)
{
	const char *name = strerrorname_np(e);

	if (name)
		printf("%s\n", name);
	else
		printf("E%d\n", e);
	return 0;
}

static int report_ok(void)
{
	printf("OK\n");
	return 0;
}

static int usage(const char *msg)
{
	fprintf(stderr, "mxc-probe: %s\n", msg);
	return 2;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads the whole fd into a malloc'd buffer. Returns -errno on failure. */
static int read_all(int fd, char **ret, size_t *ret_len)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int op_read(int argc, char **argv)
{
	char *buf;
	size_t len;
	int fd, r;

	if (argc != 1)
		return usage("read PATH");
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return report_errno(errno);
	r = read_all(fd, &buf, &len);
	close(fd);
	if (r < 0)
		return report_errno(-r);
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	free(buf);
	return 0;
}

static int op_write_flags(int argc, char **argv, int flags, const char *u)
{
	int fd, r;

	if (argc != 2)
		return usage(u);
	fd = open(argv[0], O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	if (fd < 0)
		return report_errno(errno);
	r = write_all(fd, argv[1], strlen(argv[1]));
	if (r < 0) {
		close(fd);
		return report_errno(-r);
	}
	if (close(fd) < 0)
		return report_errno(errno);
	return report_ok();
}

static int op_write(int argc, char **argv)
{
	return op_write_flags(argc, argv, O_TRUNC, "write PATH DATA");
}

static int op_append(int argc, char **argv)
{
	return op_write_flags(argc, argv, O_APPEND, "append PATH DATA");
}

static int op_mkdir(int argc, char **argv)
{
	if (argc != 1)
		return usage("mkdir PATH");
	if (mkdir(argv[0], 0755) < 0)
		return report_errno(errno);
	return report_ok();
}

static int op_rmdir(int argc, char **argv)
{
	if (argc != 1)
		return usage("rmdir PATH");
	if (rmdir(argv[0]) < 0)
		return report_errno(errno);
	return report_ok();
}

static int op_unlink(int argc, char **argv)
{
	if (argc != 1)
		return usage("unlink PATH");
	if (unlink(argv[0]) < 0)
		return report_errno(errno);
	return report_ok();
}

static const char *type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "symlink";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	default: return "unknown";
	}
}

/* stat PATH: lstat; prints "OK TYPE MODE SIZE" (mode in octal, permission bits only). */
static int op_stat(int argc, char **argv)
{
	struct stat st;

	if (argc != 1)
		return usage("stat PATH");
	if (lstat(argv[0], &st) < 0)
		return report_errno(errno);
	printf("OK %s %04o %lld\n", type_name(st.st_mode), (unsigned)(st.st_mode & 07777),
	       (long long)st.st_size);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ls DIR: prints "OK" then the sorted entry names (without . and ..), space separated. */
static int op_ls(int argc, char **argv)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if (argc != 1)
		return usage("ls DIR");
	d = opendir(argv[0]);
	if (!d)
		return report_errno(errno);
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				return report_errno(ENOMEM);
		}
		names[n++] = strdup(de->d_name);
	}
	if (errno) {
		int e = errno;
		closedir(d);
		return report_errno(e);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_str);
	printf("OK");
	for (size_t i = 0; i < n; i++) {
		putchar(' ');
		put_escaped_str(names[i]);
		free(names[i]);
	}
	putchar('\n');
	free(names);
	return 0;
}

static int op_readlink(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;

	if (argc != 1)
		return usage("readlink PATH");
	n = readlink(argv[0], buf, sizeof(buf));
	if (n < 0)
		return report_errno(errno);
	printf("OK ");
	put_escaped(buf, (size_t)n);
	putchar('\n');
	return 0;
}

/*
 * connect4 HOST PORT: TCP connect to an IPv4 address, then read until EOF
 * (at most 4 KiB, 5 s). Prints "OK <bytes>" or the errno of connect().
 */
static int op_connect4(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char buf[4096];
	size_t len = 0;
	int fd;

	if (argc != 2)
		return usage("connect4 HOST PORT");
	if (inet_pton(AF_INET, argv[0], &sa.sin_addr) != 1)
		return usage("connect4: bad IPv4 address");
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return report_errno(e);
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (len == sizeof(buf))
			break;
		if (poll(&p, 1, 5000) <= 0)
			break;
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	return 0;
}

/* netdevs: the interface names of /proc/self/net/dev, sorted. */
static int op_netdevs(int argc, char **argv)
{
	char line[512];
	char *names[256];
	size_t n = 0;
	FILE *f;

	(void)argv;
	if (argc != 0)
		return usage("netdevs");
	f = fopen("/proc/self/net/dev", "re");
	if (!f)
		return report_errno(errno);
	while (fgets(line, sizeof(line), f) && n < 256) {
		char *colon = strchr(line, ':');
		char *s = line;

		if (!colon)
			continue;
		*colon = '\0';
		while (*s == ' ')
			s++;
		names[n++] = strdup(s);
	}
	fclose(f);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_str);
	printf("OK");
	for (size_t i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	putchar('\n');
	return 0;
}

static int op_getenv(int argc, char **argv)
{
	const char *v;

	if (argc != 1)
		return usage("getenv NAME");
	v = getenv(argv[0]);
	if (!v) {
		printf("UNSET\n");
		return 0;
	}
	printf("OK ");
	put_escaped_str(v);
	putchar('\n');
	return 0;
}

/* env: the whole environment, sorted, each entry escaped, space separated. */
static int op_env(int argc, char **argv)
{
	size_t n = 0;
	char **copy;

	(void)argv;
	if (argc != 0)
		return usage("env");
	while (environ[n])
		n++;
	copy = calloc(n + 1, sizeof(*copy));
	if (!copy)
		return report_errno(ENOMEM);
	memcpy(copy, environ, n * sizeof(*copy));
	if (n > 0)
		qsort(copy, n, sizeof(*copy), cmp_str);
	printf("OK");
	for (size_t i = 0; i < n; i++) {
		putchar(' ');
		put_escaped_str(copy[i]);
	}
	putchar('\n');
	free(copy);
	return 0;
}

static int op_cwd(int argc, char **argv)
{
	char buf[4096];

	(void)argv;
	if (argc != 0)
		return usage("cwd");
	if (!getcwd(buf, sizeof(buf)))
		return report_errno(errno);
	printf("OK ");
	put_escaped_str(buf);
	putchar('\n');
	return 0;
}

static int op_pid(int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage("pid");
	printf("OK %d %d\n", (int)getpid(), (int)getppid());
	return 0;
}

/* status-field NAME: the value of NAME from /proc/self/status, whitespace squeezed. */
static int op_status_field(int argc, char **argv)
{
	char line[1024];
	size_t nlen;
	FILE *f;

	if (argc != 1)
		return usage("status-field NAME");
	nlen = strlen(argv[0]);
	f = fopen("/proc/self/status", "re");
	if (!f)
		return report_errno(errno);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, argv[0], nlen) || line[nlen] != ':')
			continue;
		char *v = line + nlen + 1;
		bool sep = false;

		fclose(f);
		printf("OK ");
		while (*v == ' ' || *v == '\t')
			v++;
		for (; *v && *v != '\n'; v++) {
			if (*v == ' ' || *v == '\t') {
				sep = true;
				continue;
			}
			if (sep)
				putchar(' ');
			sep = false;
			putchar(*v);
		}
		putchar('\n');
		return 0;
	}
	fclose(f);
	return report_errno(ENOENT);
}

/* fds: the open fds of this process (excluding the one used to list them), sorted numerically. */
static int op_fds(int argc, char **argv)
{
	int fds[1024];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	(void)argv;
	if (argc != 0)
		return usage("fds");
	d = opendir("/proc/self/fd");
	if (!d)
		return report_errno(errno);
	while ((de = readdir(d)) && n < 1024) {
		if (de->d_name[0] == '.')
			continue;
		int fd = atoi(de->d_name);

		if (fd == dirfd(d))
			continue;
		fds[n++] = fd;
	}
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	printf("OK");
	for (size_t i = 0; i < n; i++)
		printf(" %d", fds[i]);
	putchar('\n');
	return 0;
}

static int parse_signal(const char *s)
{
	static const struct { const char *name; int sig; } tab[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ABRT", SIGABRT },
		{ "KILL", SIGKILL }, { "SEGV", SIGSEGV }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
		{ "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	};
	char *end;
	long v;

	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i].name))
			return tab[i].sig;
	v = strtol(s, &end, 10);
	if (*s && !*end && v > 0 && v < 65)
		return (int)v;
	return -1;
}

static int op_kill_self(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t set;
	int sig;

	if (argc != 1)
		return usage("kill-self SIG");
	sig = parse_signal(argv[0]);
	if (sig < 0)
		return usage("kill-self: bad signal");
	fflush(stdout);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	sleep_ms(5000);
	printf("SURVIVED\n");
	return 0;
}

static int op_sleep_ms(int argc, char **argv)
{
	if (argc < 1)
		return usage("sleep-ms N [TAG...]");
	sleep_ms(atol(argv[0]));
	return report_ok();
}

static void tick_forever(const char *path, long ms)
{
	for (;;) {
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd >= 0) {
			(void)write_all(fd, ".", 1);
			close(fd);
		}
		sleep_ms(ms);
	}
}

/* tick PATH MS: append one byte to PATH every MS ms, forever (in the foreground). */
static int op_tick(int argc, char **argv)
{
	if (argc < 2)
		return usage("tick PATH MS [TAG...]");
	tick_forever(argv[0], atol(argv[1]));
	return 0;
}

/*
 * daemon-tick PATH MS: start a detached grandchild (double fork + setsid,
 * stdio on /dev/null, SIGTERM/SIGHUP ignored) that appends one byte to PATH every
 * MS ms forever; print "OK <grandchild pid>" once the first byte is written.
 */
static int op_daemon_tick(int argc, char **argv)
{
	int pfd[2];
	pid_t child;
	int gc = 0;

	if (argc < 2)
		return usage("daemon-tick PATH MS [TAG...]");
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return report_errno(errno);
	child = fork();
	if (child < 0)
		return report_errno(errno);
	if (child == 0) {
		pid_t g;

		close(pfd[0]);
		if (setsid() < 0)
			_exit(1);
		g = fork();
		if (g < 0)
			_exit(1);
		if (g > 0) {
			int gpid = (int)g;
			(void)write_all(pfd[1], (const char *)&gpid, sizeof(gpid));
			_exit(0);
		}
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
			if (nul > 2)
				close(nul);
		}
		close(pfd[1]);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		tick_forever(argv[0], atol(argv[1]));
	}
	close(pfd[1]);
	if (read(pfd[0], &gc, sizeof(gc)) != (ssize_t)sizeof(gc))
		return report_errno(EIO);
	close(pfd[0]);
	waitpid(child, NULL, 0);
	/* Wait until the grandchild has written at least one byte. */
	for (int i = 0; i < 500; i++) {
		struct stat st;

		if (stat(argv[0], &st) == 0 && st.st_size > 0)
			break;
		sleep_ms(10);
	}
	printf("OK %d\n", gc);
	return 0;
}

/* stdin: read all of stdin, print "OK <bytes>". */
static int op_stdin(int argc, char **argv)
{
	char *buf;
	size_t len;
	int r;

	(void)argv;
	if (argc != 0)
		return usage("stdin");
	r = read_all(0, &buf, &len);
	if (r < 0)
		return report_errno(-r);
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	free(buf);
	return 0;
}

/* argv ARGS...: print "OK" and each argument escaped, space separated. */
static int op_argv(int argc, char **argv)
{
	printf("OK");
	for (int i = 0; i < argc; i++) {
		putchar(' ');
		put_escaped_str(argv[i]);
	}
	putchar('\n');
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} ops[] = {
	{ "read", op_read },
	{ "write", op_write },
	{ "append", op_append },
	{ "mkdir", op_mkdir },
	{ "rmdir", op_rmdir },
	{ "unlink", op_unlink },
	{ "stat", op_stat },
	{ "ls", op_ls },
	{ "readlink", op_readlink },
	{ "connect4", op_connect4 },
	{ "netdevs", op_netdevs },
	{ "getenv", op_getenv },
	{ "env", op_env },
	{ "cwd", op_cwd },
	{ "pid", op_pid },
	{ "status-field", op_status_field },
	{ "fds", op_fds },
	{ "kill-self", op_kill_self },
	{ "sleep-ms", op_sleep_ms },
	{ "tick", op_tick },
	{ "daemon-tick", op_daemon_tick },
	{ "stdin", op_stdin },
	{ "argv", op_argv },
};

int main(int argc, char **argv)
{
	int r;

	if (argc < 2)
		return usage("usage: mxc-probe OP ARGS...");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(argv[1], ops[i].name))
			continue;
		r = ops[i].fn(argc - 2, argv + 2);
		if (fflush(stdout) != 0)
			return 1;
		return r;
	}
	return usage("unknown operation");
}
