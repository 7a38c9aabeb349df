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
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
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

/* Waits up to ms for one datagram/segment on fd and reads it: the byte count,
 * or -ETIMEDOUT / -errno. */
static ssize_t recv_within(int fd, void *buf, size_t len, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n;

	if (poll(&pfd, 1, ms) <= 0)
		return -ETIMEDOUT;
	n = recv(fd, buf, len, 0);
	return n < 0 ? -errno : n;
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
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

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

/*
 * ---- escape-suite ops (tests/escape/) ----
 *
 * Each one attempts one hostile operation and reports its result like the
 * others: "OK ..." when the operation succeeded, else the errno name. They
 * are written to be harmless on the host even when they succeed (same-value
 * writes, invalid arguments behind the permission check, sandbox-only paths).
 */
#include <linux/bpf.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <linux/perf_event.h>
#include <linux/rtnetlink.h>
#include <netinet/ip_icmp.h>
#include <sched.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/shm.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <stddef.h>
#include <stdint.h>
#include <grp.h>
#include <sys/ioctl.h>

static int parse_signal(const char *s);

static int esc_result(long r)
{
	return r < 0 ? report_errno(errno) : report_ok();
}

/* The errno name, or "MAX" when a loop stopped at its bound (e = 0). */
static const char *esc_stop_name(int e)
{
	const char *n = e ? strerrorname_np(e) : "MAX";

	return n ? n : "E?";
}

/* mknod PATH fifo|sock|chr-mem|blk-sda */
static int op_mknod(int argc, char **argv)
{
	mode_t m;
	dev_t dev = 0;

	if (argc != 2)
		return usage("mknod PATH fifo|sock|chr-mem|blk-sda");
	if (!strcmp(argv[1], "fifo"))
		m = S_IFIFO;
	else if (!strcmp(argv[1], "sock"))
		m = S_IFSOCK;
	else if (!strcmp(argv[1], "chr-mem"))
		m = S_IFCHR, dev = makedev(1, 1);
	else if (!strcmp(argv[1], "blk-sda"))
		m = S_IFBLK, dev = makedev(8, 0);
	else
		return usage("mknod: bad type");
	return esc_result(mknod(argv[0], m | 0666, dev));
}

static int op_symlink(int argc, char **argv)
{
	if (argc != 2)
		return usage("symlink TARGET LINK");
	return esc_result(symlink(argv[0], argv[1]));
}

static int op_link(int argc, char **argv)
{
	if (argc != 2)
		return usage("link OLD NEW");
	return esc_result(link(argv[0], argv[1]));
}

static int op_rename(int argc, char **argv)
{
	if (argc != 2)
		return usage("rename OLD NEW");
	return esc_result(rename(argv[0], argv[1]));
}

/* reopen-write PATH DATA: open read-only, then reopen /proc/self/fd/N for writing and write. */
static int op_reopen_write(int argc, char **argv)
{
	char p[64];
	int fd, wfd;
	int r;

	if (argc != 2)
		return usage("reopen-write PATH DATA");
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return report_errno(errno);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	wfd = open(p, O_WRONLY | O_CLOEXEC);
	if (wfd < 0)
		return report_errno(errno);
	r = write_all(wfd, argv[1], strlen(argv[1]));
	if (r < 0)
		return report_errno(-r);
	return report_ok();
}

/* openat2-read DIR PATH RESOLVE: openat2(open(DIR), PATH, O_RDONLY, RESOLVE), print the content. */
static int op_openat2_read(int argc, char **argv)
{
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC};
	char *buf;
	size_t len;
	int dfd, fd, r;

	if (argc != 3)
		return usage("openat2-read DIR PATH RESOLVE");
	how.resolve = strtoull(argv[2], NULL, 0);
	dfd = open(argv[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return report_errno(errno);
	fd = (int)syscall(SYS_openat2, dfd, argv[1], &how, sizeof(how));
	if (fd < 0)
		return report_errno(errno);
	r = read_all(fd, &buf, &len);
	if (r < 0)
		return report_errno(-r);
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	return 0;
}

static int op_mount_tmpfs(int argc, char **argv)
{
	if (argc != 1)
		return usage("mount-tmpfs TARGET");
	return esc_result(mount("none", argv[0], "tmpfs", 0, NULL));
}

/* remount-rw TARGET: remount a (read-only) bind mount without MS_RDONLY. */
static int op_remount_rw(int argc, char **argv)
{
	if (argc != 1)
		return usage("remount-rw TARGET");
	return esc_result(mount(NULL, argv[0], NULL, MS_REMOUNT | MS_BIND, NULL));
}

/* mount-setattr-rw TARGET: clear MOUNT_ATTR_RDONLY with the new mount API. */
static int op_mount_setattr_rw(int argc, char **argv)
{
	struct mount_attr a = {.attr_clr = MOUNT_ATTR_RDONLY};

	if (argc != 1)
		return usage("mount-setattr-rw TARGET");
	return esc_result(syscall(SYS_mount_setattr, AT_FDCWD, argv[0], 0, &a, sizeof(a)));
}

static int op_umount(int argc, char **argv)
{
	if (argc != 1)
		return usage("umount PATH");
	return esc_result(umount2(argv[0], MNT_DETACH));
}

static int op_fsopen(int argc, char **argv)
{
	if (argc != 1)
		return usage("fsopen FSTYPE");
	return esc_result(syscall(SYS_fsopen, argv[0], 0));
}

static int op_open_tree(int argc, char **argv)
{
	if (argc != 1)
		return usage("open-tree PATH");
	return esc_result(
		syscall(SYS_open_tree, AT_FDCWD, argv[0], OPEN_TREE_CLONE | AT_RECURSIVE));
}

static int op_chroot(int argc, char **argv)
{
	if (argc != 1)
		return usage("chroot PATH");
	return esc_result(chroot(argv[0]));
}

static int op_pivot_root(int argc, char **argv)
{
	if (argc != 2)
		return usage("pivot-root NEW PUT_OLD");
	return esc_result(syscall(SYS_pivot_root, argv[0], argv[1]));
}

static int op_ptrace_attach(int argc, char **argv)
{
	pid_t pid;

	if (argc != 1)
		return usage("ptrace-attach PID");
	pid = (pid_t)atoi(argv[0]);
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
		return report_errno(errno);
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return report_ok();
}

/* vm-read PID: process_vm_readv of 16 bytes (the address may be unmapped there: EFAULT = allowed).
 */
static int op_vm_read(int argc, char **argv)
{
	char buf[16];
	struct iovec l = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct iovec r = {.iov_base = (void *)&op_vm_read, .iov_len = sizeof(buf)};

	if (argc != 1)
		return usage("vm-read PID");
	return esc_result(process_vm_readv((pid_t)atoi(argv[0]), &l, 1, &r, 1, 0));
}

static int op_kill(int argc, char **argv)
{
	int sig;

	if (argc != 2 || (sig = parse_signal(argv[1])) < 0)
		return usage("kill PID SIG");
	return esc_result(kill((pid_t)atoi(argv[0]), sig));
}

static int op_pidfd_kill(int argc, char **argv)
{
	int sig, fd;

	if (argc != 2 || (sig = parse_signal(argv[1])) < 0)
		return usage("pidfd-kill PID SIG");
	fd = (int)syscall(SYS_pidfd_open, atoi(argv[0]), 0);
	if (fd < 0)
		return report_errno(errno);
	return esc_result(syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0));
}

/* Namespace flags from a comma list: user,mnt,net,pid,ipc,uts,cgroup,time. */
static unsigned long esc_ns_flags(const char *list)
{
	static const struct {
		const char *n;
		unsigned long f;
	} tab[] = {
		{"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},  {"net", CLONE_NEWNET},
		{"pid", CLONE_NEWPID},	     {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
		{"cgroup", CLONE_NEWCGROUP}, {"time", 0x80},
	};
	unsigned long f = 0;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		const char *p = strstr(list, tab[i].n);
		size_t l = strlen(tab[i].n);

		if (p && (p == list || p[-1] == ',') && (p[l] == ',' || p[l] == '\0'))
			f |= tab[i].f;
	}
	return f;
}

static int op_unshare(int argc, char **argv)
{
	if (argc != 1)
		return usage("unshare user,mnt,net,...");
	return esc_result(unshare((int)esc_ns_flags(argv[0])));
}

/* clone-ns FLAGS: raw clone(2) with namespace flags; the child exits at once. */
static int op_clone_ns(int argc, char **argv)
{
	long pid;

	if (argc != 1)
		return usage("clone-ns user,mnt,...");
	pid = syscall(SYS_clone, esc_ns_flags(argv[0]) | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return report_errno(errno);
	waitpid((pid_t)pid, NULL, 0);
	return report_ok();
}

/* clone3-ns FLAGS: clone3(2) with namespace flags. */
static int op_clone3_ns(int argc, char **argv)
{
	uint64_t args[8] = {0}; /* struct clone_args, version 0 */
	long pid;

	if (argc != 1)
		return usage("clone3-ns user,mnt,...");
	args[0] = esc_ns_flags(argv[0]);
	args[4] = SIGCHLD;
	pid = syscall(SYS_clone3, args, sizeof(args));
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return report_errno(errno);
	waitpid((pid_t)pid, NULL, 0);
	return report_ok();
}

static int op_setns(int argc, char **argv)
{
	int fd;

	if (argc != 1)
		return usage("setns NSPATH");
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return report_errno(errno);
	return esc_result(setns(fd, 0));
}

/* add-key: a "user" key in the process keyring (gone when the probe exits). */
static int op_add_key(int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage("add-key");
	return esc_result(
		syscall(SYS_add_key, "user", "mxc-escape", "x", 1, -2 /* process keyring */));
}

static int op_io_uring(int argc, char **argv)
{
	uint32_t params[30] = {0}; /* struct io_uring_params (120 bytes) */

	(void)argv;
	if (argc != 0)
		return usage("io-uring");
	return esc_result(syscall(SYS_io_uring_setup, 1, params));
}

static int op_bpf_map(int argc, char **argv)
{
	union bpf_attr a;

	(void)argv;
	if (argc != 0)
		return usage("bpf-map");
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	return esc_result(syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a)));
}

/* perf-open: a software counter on this process, user space only (allowed at paranoid 2). */
static int op_perf_open(int argc, char **argv)
{
	struct perf_event_attr a;

	(void)argv;
	if (argc != 0)
		return usage("perf-open");
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return esc_result(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
}

/* userfaultfd: with UFFD_USER_MODE_ONLY, which vm.unprivileged_userfaultfd=0 still allows. */
static int op_userfaultfd(int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage("userfaultfd");
	return esc_result(syscall(SYS_userfaultfd, O_CLOEXEC | 1 /* UFFD_USER_MODE_ONLY */));
}

/* socket FAMILY TYPE [PROTO] */
static int op_socket(int argc, char **argv)
{
	static const struct {
		const char *n;
		int v;
	} fam[] =
		{
			{"unix", AF_UNIX},
			{"inet", AF_INET},
			{"inet6", AF_INET6},
			{"netlink", AF_NETLINK},
			{"packet", AF_PACKET},
			{"vsock", 40},
			{"alg", 38},
			{"bluetooth", 31},
			{"can", 29},
			{"key", 15},
			{"xdp", 44},
			{"tipc", 30},
			{"rds", 21},
			{"appletalk", 5},
			{"x25", 9},
			{"ax25", 3},
			{"llc", 26},
		},
	  typ[] = {
		  {"stream", SOCK_STREAM},
		  {"dgram", SOCK_DGRAM},
		  {"raw", SOCK_RAW},
		  {"seqpacket", SOCK_SEQPACKET},
	  };
	int f = -1, t = -1;

	if (argc < 2 || argc > 3)
		return usage("socket FAMILY TYPE [PROTO]");
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
		if (!strcmp(argv[0], fam[i].n))
			f = fam[i].v;
	for (size_t i = 0; i < sizeof(typ) / sizeof(typ[0]); i++)
		if (!strcmp(argv[1], typ[i].n))
			t = typ[i].v;
	if (f < 0 || t < 0)
		return usage("socket: unknown family or type");
	return esc_result(
		socket(f, t | SOCK_CLOEXEC, argc == 3 ? (int)strtol(argv[2], NULL, 0) : 0));
}

/* int80: getpid through the 32-bit entry point; "OK <ret>" if it returned at all. */
static int op_int80(int argc, char **argv)
{
	long ret = -38;

	(void)argv;
	if (argc != 0)
		return usage("int80");
	fflush(stdout);
#if defined(__x86_64__)
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory", "rcx", "r11");
#endif
	printf("OK %ld\n", ret);
	return 0;
}

/* x32: getpid with the x32 syscall bit. */
static int op_x32(int argc, char **argv)
{
	long r;

	(void)argv;
	if (argc != 0)
		return usage("x32");
	fflush(stdout);
	r = syscall(0x40000000L | 39);
	if (r < 0)
		return report_errno(errno);
	printf("OK %ld\n", r);
	return 0;
}

/* personality HEX: set the persona, then read it back. */
static int op_personality(int argc, char **argv)
{
	unsigned long p;

	if (argc != 1)
		return usage("personality HEX");
	p = strtoul(argv[0], NULL, 16);
	if (personality(p) < 0)
		return report_errno(errno);
	if ((unsigned long)personality(0xffffffff) != p)
		return report_errno(EPERM);
	return report_ok();
}

/* tty-inject sti|sti-hi|linux: TIOCSTI "X", TIOCSTI with bits above 32 set, TIOCLINUX paste. */
static int op_tty_inject(int argc, char **argv)
{
	char c = 'X';
	char sub[2] = {3 /* TIOCL_PASTESEL */, 0};

	if (argc != 1)
		return usage("tty-inject sti|sti-hi|linux");
	if (!strcmp(argv[0], "sti"))
		return esc_result(ioctl(0, TIOCSTI, &c));
	if (!strcmp(argv[0], "sti-hi"))
		return esc_result(syscall(SYS_ioctl, 0, (1UL << 32) | TIOCSTI, &c));
	if (!strcmp(argv[0], "linux"))
		return esc_result(ioctl(0, TIOCLINUX, sub));
	return usage("tty-inject: bad mode");
}

/* setid uid|gid|groups N */
static int op_setid(int argc, char **argv)
{
	if (argc != 2)
		return usage("setid uid|gid|groups N");
	if (!strcmp(argv[0], "uid"))
		return esc_result(setuid((uid_t)atoi(argv[1])));
	if (!strcmp(argv[0], "gid"))
		return esc_result(setgid((gid_t)atoi(argv[1])));
	if (!strcmp(argv[0], "groups")) {
		gid_t g = (gid_t)atoi(argv[1]);

		return esc_result(setgroups(1, &g));
	}
	return usage("setid: bad kind");
}

/*
 * sys NAME: one privileged syscall with arguments that make it fail harmlessly
 * once past the permission check (bad fds, garbage images, same values).
 */
static int op_sys(int argc, char **argv)
{
	const char *n = argv[0];

	if (argc != 1)
		return usage("sys NAME");
	if (!strcmp(n, "acct"))
		return esc_result(acct(NULL));
	if (!strcmp(n, "reboot"))
		return esc_result(reboot(RB_DISABLE_CAD));
	if (!strcmp(n, "syslog")) {
		char buf[4096];
		int r = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf));

		if (r < 0)
			return report_errno(errno);
		printf("OK %d\n", r);
		return 0;
	}
	if (!strcmp(n, "kexec"))
		return esc_result(syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 0UL));
	if (!strcmp(n, "kexec-load"))
		return esc_result(
			syscall(SYS_kexec_load, 0UL, 1UL, NULL, 0UL)); /* EFAULT past the check */
	if (!strcmp(n, "init-module")) {
		static const char junk[64] = "not an ELF module";

		return esc_result(syscall(SYS_init_module, junk, sizeof(junk), ""));
	}
	if (!strcmp(n, "finit-module"))
		return esc_result(syscall(SYS_finit_module, -1, "", 0));
	if (!strcmp(n, "swapon"))
		return esc_result(swapon("/dev/null", 0));
	if (!strcmp(n, "clock-settime")) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		return esc_result(clock_settime(CLOCK_REALTIME, &ts));
	}
	return usage("sys: unknown name");
}

/* open-by-handle: the "shocker" attack: open inode 2 (the root) of the fs under /etc by handle. */
static int op_open_by_handle(int argc, char **argv)
{
	struct {
		struct file_handle h;
		uint32_t ino_gen[2];
	} fh = {.h = {.handle_bytes = 8, .handle_type = 1 /* FILEID_INO32_GEN */},
		.ino_gen = {2, 0}};
	int mfd, fd;

	(void)argv;
	if (argc != 0)
		return usage("open-by-handle");
	mfd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return report_errno(errno);
	fd = open_by_handle_at(mfd, &fh.h, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return report_errno(errno);
	return report_ok();
}

static int op_name_to_handle(int argc, char **argv)
{
	struct {
		struct file_handle h;
		unsigned char buf[128];
	} fh = {.h = {.handle_bytes = 128}};
	int mnt;

	if (argc != 1)
		return usage("name-to-handle PATH");
	if (name_to_handle_at(AT_FDCWD, argv[0], &fh.h, &mnt, 0) < 0)
		return report_errno(errno);
	printf("OK %d\n", fh.h.handle_type);
	return 0;
}

static int op_sethostname(int argc, char **argv)
{
	if (argc != 1)
		return usage("sethostname NAME");
	return esc_result(sethostname(argv[0], strlen(argv[0])));
}

/* A unix sockaddr for PATH, or the abstract name after '@'. */
static socklen_t esc_sun(struct sockaddr_un *sa, const char *path)
{
	size_t l = strlen(path);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (l >= sizeof(sa->sun_path))
		l = sizeof(sa->sun_path) - 1;
	memcpy(sa->sun_path, path, l);
	if (path[0] == '@')
		sa->sun_path[0] = '\0';
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + l + (path[0] == '@' ? 0 : 1));
}

/* Reads what the peer sends (at most 4 KiB, 2 s) and prints "OK <bytes>". */
static int esc_read_reply(int fd)
{
	char buf[4096];
	size_t len = 0;

	while (len < sizeof(buf)) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 2000) <= 0)
			break;
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	return 0;
}

/* connect-unix PATH|@ABSTRACT */
static int op_connect_unix(int argc, char **argv)
{
	struct sockaddr_un sa;
	socklen_t sl;
	int fd;

	if (argc != 1)
		return usage("connect-unix PATH|@NAME");
	sl = esc_sun(&sa, argv[0]);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	if (connect(fd, (struct sockaddr *)&sa, sl) < 0)
		return report_errno(errno);
	return esc_read_reply(fd);
}

/* bind-unix PATH|@NAME: create a listening unix socket. */
static int op_bind_unix(int argc, char **argv)
{
	struct sockaddr_un sa;
	socklen_t sl;
	int fd;

	if (argc != 1)
		return usage("bind-unix PATH|@NAME");
	sl = esc_sun(&sa, argv[0]);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	return esc_result(bind(fd, (struct sockaddr *)&sa, sl));
}

static int esc_sin(struct sockaddr_in *sa, const char *ip, const char *port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)atoi(port));
	return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

/* udp4-send IP PORT DATA: one datagram. */
static int op_udp4_send(int argc, char **argv)
{
	struct sockaddr_in sa;
	int fd;

	if (argc != 3 || esc_sin(&sa, argv[0], argv[1]) < 0)
		return usage("udp4-send IP PORT DATA");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	return esc_result(
		sendto(fd, argv[2], strlen(argv[2]), 0, (struct sockaddr *)&sa, sizeof(sa)));
}

/* dns-query IP PORT NAME: an A query over UDP; "OK <answer bytes>" or the errno (ETIMEDOUT). */
static int op_dns_query(int argc, char **argv)
{
	unsigned char q[512] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
	size_t len = 12;
	struct sockaddr_in sa;
	char ans[512];
	ssize_t n;
	int fd;

	if (argc != 3 || esc_sin(&sa, argv[0], argv[1]) < 0 || strlen(argv[2]) > 200)
		return usage("dns-query IP PORT NAME");
	for (const char *s = argv[2]; *s;) {
		size_t l = strcspn(s, ".");

		q[len++] = (unsigned char)l;
		memcpy(q + len, s, l);
		len += l;
		s += l;
		if (*s == '.')
			s++;
	}
	q[len++] = 0;
	q[len++] = 0, q[len++] = 1; /* A */
	q[len++] = 0, q[len++] = 1; /* IN */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || send(fd, q, len, 0) < 0)
		return report_errno(errno);
	n = recv_within(fd, ans, sizeof(ans), 1000);
	if (n < 0)
		return report_errno((int)-n);
	printf("OK %zd\n", n);
	return 0;
}

/* connect6 IP PORT: TCP over IPv6, then what the peer sends. */
static int op_connect6(int argc, char **argv)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
	int fd;

	if (argc != 2 || inet_pton(AF_INET6, argv[0], &sa.sin6_addr) != 1)
		return usage("connect6 IP PORT");
	sa.sin6_port = htons((uint16_t)atoi(argv[1]));
	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return report_errno(errno);
	return esc_read_reply(fd);
}

/* mptcp4 IP PORT: TCP connect with IPPROTO_MPTCP, then what the peer sends. */
static int op_mptcp4(int argc, char **argv)
{
	struct sockaddr_in sa;
	int fd;

	if (argc != 2 || esc_sin(&sa, argv[0], argv[1]) < 0)
		return usage("mptcp4 IP PORT");
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 262 /* IPPROTO_MPTCP */);
	if (fd < 0)
		return report_errno(errno);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return report_errno(errno);
	return esc_read_reply(fd);
}

/* ping4 IP: an ICMP echo over a ping socket; "OK reply" or the errno (ETIMEDOUT). */
static int op_ping4(int argc, char **argv)
{
	struct icmphdr h = {.type = ICMP_ECHO};
	struct sockaddr_in sa;
	ssize_t n;
	char buf[256];
	int fd;

	if (argc != 1 || esc_sin(&sa, argv[0], "0") < 0)
		return usage("ping4 IP");
	h.un.echo.sequence = htons(1);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0)
		return report_errno(errno);
	if (sendto(fd, &h, sizeof(h), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return report_errno(errno);
	n = recv_within(fd, buf, sizeof(buf), 1000);
	if (n < 0)
		return report_errno((int)-n);
	printf("OK reply\n");
	return 0;
}

/* listen4 IP PORT MS: listen for MS ms, answering "PWNED"; "OK <accepted>" or the errno of
 * bind/listen. */
static int op_listen4(int argc, char **argv)
{
	struct sockaddr_in sa;
	int fd, one = 1, n = 0;
	long ms;

	if (argc != 3 || esc_sin(&sa, argv[0], argv[1]) < 0)
		return usage("listen4 IP PORT MS");
	ms = atol(argv[2]);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0)
		return report_errno(errno);
	for (long t = 0; t < ms; t += 20) {
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (poll(&p, 1, 20) > 0) {
			int c = accept(fd, NULL, NULL);

			if (c >= 0) {
				(void)write_all(c, "PWNED", 5);
				close(c);
				n++;
			}
		}
	}
	printf("OK %d\n", n);
	return 0;
}

/* nl-newlink NAME: ask rtnetlink to create a dummy link; the ack's errno or "OK". */
static int op_nl_newlink(int argc, char **argv)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[256];
	} req;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	char ans[1024];
	struct rtattr *rta, *li;
	size_t nl;
	ssize_t n;
	int fd;

	if (argc != 1 || (nl = strlen(argv[0])) > 15)
		return usage("nl-newlink NAME");
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_type = RTM_NEWLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	rta->rta_type = IFLA_IFNAME;
	rta->rta_len = (unsigned short)RTA_LENGTH(nl + 1);
	memcpy(RTA_DATA(rta), argv[0], nl + 1);
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	li = (struct rtattr *)((char *)&req + req.nh.nlmsg_len);
	li->rta_type = IFLA_LINKINFO;
	rta = (struct rtattr *)RTA_DATA(li);
	rta->rta_type = IFLA_INFO_KIND;
	rta->rta_len = (unsigned short)RTA_LENGTH(sizeof("dummy"));
	memcpy(RTA_DATA(rta), "dummy", sizeof("dummy"));
	li->rta_len = (unsigned short)RTA_LENGTH(RTA_ALIGN(rta->rta_len));
	req.nh.nlmsg_len += RTA_ALIGN(li->rta_len);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return report_errno(errno);
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return report_errno(errno);
	n = recv(fd, ans, sizeof(ans), 0);
	if (n < 0)
		return report_errno(errno);
	if ((size_t)n >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		struct nlmsghdr *h = (struct nlmsghdr *)ans;

		if (h->nlmsg_type == NLMSG_ERROR) {
			int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

			if (e < 0)
				return report_errno(-e);
		}
	}
	return report_ok();
}

/* shmget KEY: look up a System V shared memory segment by key. */
static int op_shmget(int argc, char **argv)
{
	int id;

	if (argc != 1)
		return usage("shmget KEY");
	id = shmget((key_t)strtol(argv[0], NULL, 0), 0, 0);
	if (id < 0)
		return report_errno(errno);
	printf("OK %d\n", id);
	return 0;
}

/*
 * proc-grep HEAD TAIL: scan /proc/<pid>/{environ,cmdline} of the other processes for
 * HEAD+TAIL (given in halves so that the caller's shell does not carry it); "OK found=F scanned=S".
 */
static int op_proc_grep(int argc, char **argv)
{
	static const char *const files[] = {"environ", "cmdline"};
	int found = 0, scanned = 0;
	char marker[512];
	struct dirent *de;
	DIR *d;

	if (argc != 2)
		return usage("proc-grep HEAD TAIL");
	snprintf(marker, sizeof(marker), "%s%s", argv[0], argv[1]);
	d = opendir("/proc");
	if (!d)
		return report_errno(errno);
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9' || atoi(de->d_name) == getpid())
			continue;
		scanned++;
		for (size_t i = 0; i < 2; i++) {
			char path[300];
			char *buf;
			size_t len;
			int fd;

			snprintf(path, sizeof(path), "/proc/%s/%s", de->d_name, files[i]);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (read_all(fd, &buf, &len) == 0) {
				if (memmem(buf, len, marker, strlen(marker)))
					found++;
				free(buf);
			}
			close(fd);
		}
	}
	closedir(d);
	printf("OK found=%d scanned=%d\n", found, scanned);
	return 0;
}

/* forkbomb MAX: fork sleeping children until fork fails or MAX; "OK <n> <errno|MAX>". */
static int op_forkbomb(int argc, char **argv)
{
	long max;
	pid_t *kids;
	long n = 0;
	int e = 0;

	if (argc != 1 || (max = atol(argv[0])) <= 0)
		return usage("forkbomb MAX");
	kids = calloc((size_t)max, sizeof(*kids));
	if (!kids)
		return report_errno(ENOMEM);
	fflush(stdout);
	while (n < max) {
		pid_t p = fork();

		if (p < 0) {
			e = errno;
			break;
		}
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		kids[n++] = p;
	}
	for (long i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	printf("OK %ld %s\n", n, esc_stop_name(e));
	return 0;
}

/* membomb MB: map and touch 16 MiB chunks up to MB; "OK <MiB> <errno|MAX>" (or killed). */
static int op_membomb(int argc, char **argv)
{
	const size_t chunk = 16UL << 20;
	long max, mb = 0;
	int e = 0;

	if (argc != 1 || (max = atol(argv[0])) <= 0)
		return usage("membomb MB");
	fflush(stdout);
	while (mb < max) {
		char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			       0);

		if (p == MAP_FAILED) {
			e = errno;
			break;
		}
		memset(p, 0x5a, chunk);
		mb += 16;
	}
	printf("OK %ld %s\n", mb, esc_stop_name(e));
	return 0;
}

/* rlimits: "OK nofile=S/H nproc=S/H fsize=S/H cpu=S/H core=S/H data=S/H oom=N"
 * (-1 for unlimited). */
static int op_rlimits(int argc, char **argv)
{
	static const struct {
		const char *name;
		int res;
	} rl[] = {{"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC}, {"fsize", RLIMIT_FSIZE},
		  {"cpu", RLIMIT_CPU},	     {"core", RLIMIT_CORE},   {"data", RLIMIT_DATA}};
	char oom[32] = "?";
	FILE *f;

	(void)argv;
	if (argc != 0)
		return usage("rlimits");
	printf("OK");
	for (size_t i = 0; i < sizeof(rl) / sizeof(rl[0]); i++) {
		struct rlimit r;

		if (getrlimit(rl[i].res, &r) < 0)
			return report_errno(errno);
		printf(" %s=%lld/%lld", rl[i].name,
		       r.rlim_cur == RLIM_INFINITY ? -1LL : (long long)r.rlim_cur,
		       r.rlim_max == RLIM_INFINITY ? -1LL : (long long)r.rlim_max);
	}
	f = fopen("/proc/self/oom_score_adj", "re");
	if (f) {
		if (!fgets(oom, sizeof(oom), f))
			strcpy(oom, "?");
		oom[strcspn(oom, "\n")] = '\0';
		fclose(f);
	}
	printf(" oom=%s\n", oom);
	return 0;
}

/* fill PATH MB: write 1 MiB blocks until an error or MB; "OK <MiB> <errno|MAX>". */
static int op_fill(int argc, char **argv)
{
	static char block[1 << 20];
	long max, mb = 0;
	int fd, e = 0;

	if (argc != 2 || (max = atol(argv[1])) <= 0)
		return usage("fill PATH MB");
	signal(SIGXFSZ, SIG_IGN);
	memset(block, 'f', sizeof(block));
	fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return report_errno(errno);
	while (mb < max) {
		int r = write_all(fd, block, sizeof(block));

		if (r < 0) {
			e = -r;
			break;
		}
		mb++;
	}
	if (!e && close(fd) < 0)
		e = errno;
	printf("OK %ld %s\n", mb, esc_stop_name(e));
	return 0;
}

/* inode-fill DIR MAX: create empty files until an error or MAX; "OK <n> <errno|MAX>". */
static int op_inode_fill(int argc, char **argv)
{
	long max, n = 0;
	int e = 0;

	if (argc != 2 || (max = atol(argv[1])) <= 0)
		return usage("inode-fill DIR MAX");
	while (n < max) {
		char path[4096];
		int fd;

		snprintf(path, sizeof(path), "%s/i%ld", argv[0], n);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0) {
			e = errno;
			break;
		}
		close(fd);
		n++;
	}
	printf("OK %ld %s\n", n, esc_stop_name(e));
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
	case S_IFREG:
		return "file";
	case S_IFDIR:
		return "dir";
	case S_IFLNK:
		return "symlink";
	case S_IFCHR:
		return "chr";
	case S_IFBLK:
		return "blk";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "sock";
	default:
		return "unknown";
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

/* "OK a b c": the strings sorted, escaped, on one line. */
static void print_sorted(char **v, size_t n)
{
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_str);
	printf("OK");
	for (size_t i = 0; i < n; i++) {
		putchar(' ');
		put_escaped_str(v[i]);
	}
	putchar('\n');
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
	print_sorted(names, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
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
	struct sockaddr_in sa = {.sin_family = AF_INET};
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
		struct pollfd p = {.fd = fd, .events = POLLIN};
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
	print_sorted(names, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
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
	print_sorted(copy, n);
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
	static const struct {
		const char *name;
		int sig;
	} tab[] = {
		{"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ABRT", SIGABRT},
		{"KILL", SIGKILL}, {"SEGV", SIGSEGV}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
		{"TERM", SIGTERM}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2},
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
	struct sigaction sa = {.sa_handler = SIG_DFL};
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

/* spin MS: busy-loop for MS ms of wall time; prints the CPU time it got, in ms. */
static int op_spin(int argc, char **argv)
{
	struct timespec w0, w, c;
	long ms;

	if (argc != 1)
		return usage("spin MS");
	ms = atol(argv[0]);
	clock_gettime(CLOCK_MONOTONIC, &w0);
	do
		clock_gettime(CLOCK_MONOTONIC, &w);
	while ((w.tv_sec - w0.tv_sec) * 1000 + (w.tv_nsec - w0.tv_nsec) / 1000000 < ms);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	printf("OK %ld\n", (long)(c.tv_sec * 1000 + c.tv_nsec / 1000000));
	return 0;
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

/* ---- terminal ops (tests/e2e/test-e2e-tty.c) ---- */

/* tiocsti: try to push "x" into the input queue of the terminal on fd 0. */
static int op_tiocsti(int argc, char **argv)
{
	char c = 'x';

	(void)argv;
	if (argc != 0)
		return usage("tiocsti");
	if (ioctl(0, TIOCSTI, &c) < 0)
		return report_errno(errno);
	return report_ok();
}

/* isatty: "OK A B C", isatty() of fds 0, 1 and 2. */
static int op_isatty(int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage("isatty");
	printf("OK %d %d %d\n", isatty(0), isatty(1), isatty(2));
	return 0;
}

/* ttyname FD: the terminal's name, or the errno. */
static int op_ttyname(int argc, char **argv)
{
	char buf[256];
	int r;

	if (argc != 1)
		return usage("ttyname FD");
	r = ttyname_r(atoi(argv[0]), buf, sizeof(buf));
	if (r != 0)
		return report_errno(r);
	printf("OK ");
	put_escaped_str(buf);
	putchar('\n');
	return 0;
}

/* winsize: "OK ROWS COLS" of the terminal on fd 0. */
static int op_winsize(int argc, char **argv)
{
	struct winsize ws;

	(void)argv;
	if (argc != 0)
		return usage("winsize");
	if (ioctl(0, TIOCGWINSZ, &ws) < 0)
		return report_errno(errno);
	printf("OK %u %u\n", ws.ws_row, ws.ws_col);
	return 0;
}

/* sid: "OK L F": L = 1 if this process leads its session; F = 1 if its process
 * group is the foreground group of the terminal on fd 0 (0 if not or no tty). */
static int op_sid(int argc, char **argv)
{
	pid_t fg;

	(void)argv;
	if (argc != 0)
		return usage("sid");
	fg = tcgetpgrp(0);
	printf("OK %d %d\n", getsid(0) == getpid(), fg > 0 && fg == getpgrp());
	return 0;
}

/* ctty: open /dev/tty (the controlling terminal): "OK" or the errno (ENXIO: none). */
static int op_ctty(int argc, char **argv)
{
	int fd;

	(void)argv;
	if (argc != 0)
		return usage("ctty");
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return report_errno(errno);
	close(fd);
	return report_ok();
}

static volatile sig_atomic_t got_winch;

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

/* wait-winch MS: print "OK ready", wait up to MS for SIGWINCH, then print the
 * window size of fd 0 ("OK ROWS COLS") or "ETIMEDOUT". */
static int op_wait_winch(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_winch};
	struct winsize ws;
	long ms;

	if (argc != 1)
		return usage("wait-winch MS");
	ms = atol(argv[0]);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	printf("OK ready\n");
	fflush(stdout);
	for (long t = 0; !got_winch && t < ms; t += 10)
		sleep_ms(10);
	if (!got_winch)
		return report_errno(ETIMEDOUT);
	if (ioctl(0, TIOCGWINSZ, &ws) < 0)
		return report_errno(errno);
	printf("OK %u %u\n", ws.ws_row, ws.ws_col);
	return 0;
}

/* readline: read one line from fd 0 (byte by byte), print "OK <line>" without
 * the newline, or "EOF <partial>" at end of input. */
static int op_readline(int argc, char **argv)
{
	char buf[4096];
	size_t len = 0;

	(void)argv;
	if (argc != 0)
		return usage("readline");
	while (len < sizeof(buf)) {
		ssize_t n = read(0, buf + len, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return report_errno(errno);
		if (n == 0) {
			printf("EOF ");
			put_escaped(buf, len);
			putchar('\n');
			return 0;
		}
		if (buf[len] == '\n')
			break;
		len++;
	}
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	return 0;
}

/*
 * ---- network-policy ops (tests/e2e/test-e2e-netpolicy.c) ----
 *
 * Addresses are IPv4 or IPv6 literals (the probe is static: no name lookups).
 * Every wait is bounded, so a silently dropped packet shows as ETIMEDOUT.
 */
#include <netinet/icmp6.h>

/* An IPv4 or IPv6 socket address for ADDR PORT. */
static int np_addr(struct sockaddr_storage *ss, socklen_t *sl, const char *addr, const char *port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		*sl = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(port));
		*sl = sizeof(*s6);
		return 0;
	}
	return -1;
}

/* TCP connect with a timeout. Returns the fd (blocking again) or -errno. */
static int np_connect(const char *addr, const char *port, long ms)
{
	struct sockaddr_storage ss;
	socklen_t sl, el = sizeof(int);
	struct pollfd p;
	int fd, e = 0;

	if (np_addr(&ss, &sl, addr, port) < 0)
		return -EINVAL;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno != EINPROGRESS) {
			e = errno;
			close(fd);
			return -e;
		}
		p = (struct pollfd){.fd = fd, .events = POLLOUT};
		if (poll(&p, 1, (int)ms) <= 0) {
			close(fd);
			return -ETIMEDOUT;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
			e = errno;
		if (e) {
			close(fd);
			return -e;
		}
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Reads until EOF, a full buffer or idle_ms without data. Returns the length. */
static size_t np_read(int fd, char *buf, size_t cap, long idle_ms)
{
	size_t len = 0;

	while (len < cap) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, (int)idle_ms) <= 0)
			break;
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	return len;
}

/* Reads a response head up to the blank line (at most cap bytes, 5 s). Returns its length
 * (head included) or 0; *head_len is the head's length including the blank line. */
static size_t np_read_head(int fd, char *buf, size_t cap, size_t *head_len)
{
	size_t len = 0;

	*head_len = 0;
	while (len < cap) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		char *end;
		ssize_t n;

		if (poll(&p, 1, 5000) <= 0)
			break;
		n = read(fd, buf + len, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		end = len >= 4 ? strstr(buf + len - 4, "\r\n\r\n") : NULL;
		if (end) {
			*head_len = len;
			break;
		}
	}
	return len;
}

/* Prints " <escaped first line of s[0..len)>" (nothing when empty). */
static void np_put_first_line(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);
	size_t l = nl ? (size_t)(nl - s) : len;

	if (l && s[l - 1] == '\r')
		l--;
	if (!l)
		return;
	putchar(' ');
	put_escaped(s, l);
}

/* The status code of an HTTP response head, or -1. */
static int np_status(const char *head)
{
	int code;

	if (strncmp(head, "HTTP/1.", 7) || sscanf(head + 8, " %3d", &code) != 1)
		return -1;
	return code;
}

/* Prints "OK CODE <first body line>" for an HTTP response in buf, or "BAD <bytes>". */
static int np_report_http(const char *buf, size_t len)
{
	const char *body = memmem(buf, len, "\r\n\r\n", 4);
	int code = np_status(buf);

	if (code < 0 || !body) {
		printf("BAD");
		np_put_first_line(buf, len);
		putchar('\n');
		return 0;
	}
	body += 4;
	printf("OK %d", code);
	np_put_first_line(body, len - (size_t)(body - buf));
	putchar('\n');
	return 0;
}

/* The authority of an absolute URI ("http://h:p/x" -> "h:p"), in out. */
static void np_authority(const char *uri, char *out, size_t cap)
{
	const char *s = strstr(uri, "://");
	size_t l;

	s = s ? s + 3 : uri;
	l = strcspn(s, "/?#");
	if (l >= cap)
		l = cap - 1;
	memcpy(out, s, l);
	out[l] = '\0';
}

/*
 * tcp ADDR PORT [MS]: TCP connect (IPv4 or IPv6, MS ms, default 3000), then what
 * the peer sends until EOF (4 KiB, 2 s idle). "OK <bytes>", the errno of connect()
 * or ETIMEDOUT.
 */
static int op_tcp(int argc, char **argv)
{
	char buf[4096];
	size_t len;
	int fd;

	if (argc < 2 || argc > 3)
		return usage("tcp ADDR PORT [MS]");
	fd = np_connect(argv[0], argv[1], argc == 3 ? atol(argv[2]) : 3000);
	if (fd == -EINVAL)
		return usage("tcp: bad address");
	if (fd < 0)
		return report_errno(-fd);
	len = np_read(fd, buf, sizeof(buf), 2000);
	close(fd);
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	return 0;
}

/*
 * udp ADDR PORT DATA [MS]: one datagram (IPv4 or IPv6), then the first reply
 * within MS ms (default 2000). "OK <reply>", the errno of sendto() or ETIMEDOUT.
 */
static int op_udp(int argc, char **argv)
{
	struct sockaddr_storage ss;
	char buf[2048];
	socklen_t sl;
	ssize_t n;
	int fd;

	if (argc < 3 || argc > 4 || np_addr(&ss, &sl, argv[0], argv[1]) < 0)
		return usage("udp ADDR PORT DATA [MS]");
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	if (sendto(fd, argv[2], strlen(argv[2]), 0, (struct sockaddr *)&ss, sl) < 0)
		return report_errno(errno);
	n = recv_within(fd, buf, sizeof(buf), argc == 4 ? atoi(argv[3]) : 2000);
	if (n < 0)
		return report_errno((int)-n);
	printf("OK ");
	put_escaped(buf, (size_t)n);
	putchar('\n');
	return 0;
}

/*
 * ping ADDR [MS]: one ICMP or ICMPv6 echo over a datagram ("ping") socket.
 * "OK reply", the errno of socket() (EACCES: ping_group_range closed) or
 * sendto() (EPERM: dropped), or ETIMEDOUT.
 */
static int op_ping(int argc, char **argv)
{
	struct sockaddr_storage ss;
	unsigned char pkt[8] = {0};
	ssize_t n;
	char buf[256];
	socklen_t sl;
	int fd;

	if (argc < 1 || argc > 2 || np_addr(&ss, &sl, argv[0], "0") < 0)
		return usage("ping ADDR [MS]");
	pkt[0] = ss.ss_family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	pkt[7] = 1; /* sequence 1; the kernel sets the identifier and checksum */
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC,
		    ss.ss_family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0)
		return report_errno(errno);
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl) < 0)
		return report_errno(errno);
	n = recv_within(fd, buf, sizeof(buf), argc == 2 ? atoi(argv[1]) : 2000);
	if (n < 0)
		return report_errno((int)-n);
	printf("OK reply\n");
	return 0;
}

/* Skips a (possibly compressed) DNS name at off; returns the offset after it or 0. */
static size_t np_dns_skip_name(const unsigned char *m, size_t len, size_t off)
{
	while (off < len) {
		if (!m[off])
			return off + 1;
		if ((m[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		off += 1 + m[off];
	}
	return 0;
}

/*
 * dns SERVER PORT NAME A|AAAA udp|tcp: one query (server IPv4 or IPv6).
 * "OK <RCODE> [<address>...]" (RCODE NOERROR, NXDOMAIN, ... or RCODE<n>), the
 * errno of send/connect, or ETIMEDOUT (2 s).
 */
static int op_dns(int argc, char **argv)
{
	static const char *const rcodes[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN"};
	unsigned char q[300] = {0x12, 0x35, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}, m[1024];
	struct sockaddr_storage ss;
	bool tcp, aaaa;
	size_t len = 12, off, mlen;
	unsigned an, rcode;
	socklen_t sl;
	ssize_t n;
	int fd;

	if (argc != 5 || np_addr(&ss, &sl, argv[0], argv[1]) < 0 || strlen(argv[2]) > 200)
		return usage("dns SERVER PORT NAME A|AAAA udp|tcp");
	aaaa = !strcmp(argv[3], "AAAA");
	tcp = !strcmp(argv[4], "tcp");
	for (const char *s = argv[2]; *s;) {
		size_t l = strcspn(s, ".");

		q[len++] = (unsigned char)l;
		memcpy(q + len, s, l);
		len += l;
		s += l;
		if (*s == '.')
			s++;
	}
	q[len++] = 0;
	q[len++] = 0, q[len++] = aaaa ? 28 : 1;
	q[len++] = 0, q[len++] = 1; /* IN */
	if (tcp) {
		unsigned char pre[2] = {(unsigned char)(len >> 8), (unsigned char)len};
		int r;

		fd = np_connect(argv[0], argv[1], 2000);
		if (fd < 0)
			return report_errno(-fd);
		r = write_all(fd, (const char *)pre, 2);
		if (r == 0)
			r = write_all(fd, (const char *)q, len);
		if (r < 0)
			return report_errno(-r);
		mlen = np_read(fd, (char *)m, sizeof(m), 2000);
		if (mlen < 2)
			return report_errno(mlen ? EPROTO : ETIMEDOUT);
		memmove(m, m + 2, mlen - 2);
		mlen -= 2;
	} else {

		fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return report_errno(errno);
		if (sendto(fd, q, len, 0, (struct sockaddr *)&ss, sl) < 0)
			return report_errno(errno);
		n = recv_within(fd, m, sizeof(m), 2000);
		if (n < 0)
			return report_errno((int)-n);
		mlen = (size_t)n;
	}
	if (mlen < 12)
		return report_errno(EPROTO);
	rcode = m[3] & 0x0f;
	an = (unsigned)m[6] << 8 | m[7];
	if (rcode < 4)
		printf("OK %s", rcodes[rcode]);
	else
		printf("OK RCODE%u", rcode);
	off = np_dns_skip_name(m, mlen, 12);
	off = off ? off + 4 : 0;
	for (unsigned i = 0; off && i < an; i++) {
		unsigned type, rdlen;
		char a[INET6_ADDRSTRLEN];

		off = np_dns_skip_name(m, mlen, off);
		if (!off || off + 10 > mlen)
			break;
		type = (unsigned)m[off] << 8 | m[off + 1];
		rdlen = (unsigned)m[off + 8] << 8 | m[off + 9];
		off += 10;
		if (off + rdlen > mlen)
			break;
		if ((type == 1 && rdlen == 4 && inet_ntop(AF_INET, m + off, a, sizeof(a))) ||
		    (type == 28 && rdlen == 16 && inet_ntop(AF_INET6, m + off, a, sizeof(a))))
			printf(" %s", a);
		off += rdlen;
	}
	putchar('\n');
	return 0;
}

/*
 * http-proxy PROXY PORT TARGET [HOST]: "GET TARGET HTTP/1.1" to PROXY:PORT with
 * the Host header HOST (default: TARGET's authority). TARGET is an absolute URI
 * for a proxy, or a path for a server. "OK <status> <first body line>", "BAD
 * <first line>" for a non-HTTP answer, or the errno of connect().
 */
static int op_http_proxy(int argc, char **argv)
{
	char host[256], req[1024], buf[16384];
	size_t len;
	int fd, r;

	if (argc < 3 || argc > 4)
		return usage("http-proxy PROXY PORT TARGET [HOST]");
	if (argc == 4)
		snprintf(host, sizeof(host), "%s", argv[3]);
	else
		np_authority(argv[2], host, sizeof(host));
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
		 argv[2], host);
	fd = np_connect(argv[0], argv[1], 3000);
	if (fd < 0)
		return report_errno(-fd);
	r = write_all(fd, req, strlen(req));
	if (r < 0)
		return report_errno(-r);
	len = np_read(fd, buf, sizeof(buf) - 1, 3000);
	buf[len] = '\0';
	close(fd);
	return np_report_http(buf, len);
}

/*
 * After a tunnel opened: with inner_host, a "GET /tunnel HTTP/1.0" with that Host
 * header is sent through it and the answer's first body line printed; else the
 * first line the far end sends (a token server speaks first).
 */
static void np_tunnel_report(int fd, const char *inner_host)
{
	char buf[8192];
	size_t len;

	if (inner_host) {
		char req[512];

		snprintf(req, sizeof(req), "GET /tunnel HTTP/1.0\r\nHost: %s\r\n\r\n", inner_host);
		if (write_all(fd, req, strlen(req)) < 0)
			return;
		len = np_read(fd, buf, sizeof(buf) - 1, 3000);
		buf[len] = '\0';
		const char *body = memmem(buf, len, "\r\n\r\n", 4);
		if (!body) {
			printf(" BAD");
			np_put_first_line(buf, len);
			return;
		}
		body += 4;
		np_put_first_line(body, len - (size_t)(body - buf));
		return;
	}
	len = np_read(fd, buf, sizeof(buf), 2000);
	np_put_first_line(buf, len);
}

/*
 * connect-proxy PROXY PORT TARGET [HOST|-] [INNER-HOST]: "CONNECT TARGET" with the
 * Host header HOST (default or "-": TARGET). "OK <status>" plus, for a 2xx, what
 * came through the tunnel (see np_tunnel_report); "BAD <first line>" for a
 * non-HTTP answer, or the errno of connect().
 */
static int op_connect_proxy(int argc, char **argv)
{
	char req[1024], head[8192];
	size_t len, head_len;
	int fd, code, r;

	if (argc < 3 || argc > 5)
		return usage("connect-proxy PROXY PORT TARGET [HOST|-] [INNER-HOST]");
	snprintf(req, sizeof(req), "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", argv[2],
		 argc >= 4 && strcmp(argv[3], "-") ? argv[3] : argv[2]);
	fd = np_connect(argv[0], argv[1], 3000);
	if (fd < 0)
		return report_errno(-fd);
	r = write_all(fd, req, strlen(req));
	if (r < 0)
		return report_errno(-r);
	len = np_read_head(fd, head, sizeof(head) - 1, &head_len);
	head[len] = '\0';
	code = np_status(head);
	if (code < 0 || !head_len) {
		printf("BAD");
		np_put_first_line(head, len);
		putchar('\n');
		return 0;
	}
	printf("OK %d", code);
	if (code >= 200 && code < 300)
		np_tunnel_report(fd, argc == 5 ? argv[4] : NULL);
	putchar('\n');
	close(fd);
	return 0;
}

/* Reads exactly len bytes (5 s each); 0 or -1. */
static int np_read_exact(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 5000) <= 0)
			return -1;
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/*
 * socks5 PROXY PORT domain|ipv4|ipv6 HOST DPORT [INNER-HOST]: a SOCKS5 CONNECT
 * without authentication. "OK <reply code>" (0 = succeeded, 2 = not allowed by
 * ruleset, ...) plus, for 0, what came through the tunnel (np_tunnel_report);
 * "BAD <what>" for a broken exchange, or the errno of connect().
 */
static int op_socks5(int argc, char **argv)
{
	unsigned char req[300] = {5, 1, 0}, rep[300];
	size_t len = 4;
	uint16_t dport;
	int fd, r;

	if (argc < 5 || argc > 6)
		return usage("socks5 PROXY PORT domain|ipv4|ipv6 HOST DPORT [INNER-HOST]");
	if (!strcmp(argv[2], "domain") && strlen(argv[3]) < 256) {
		req[3] = 3;
		req[len++] = (unsigned char)strlen(argv[3]);
		memcpy(req + len, argv[3], strlen(argv[3]));
		len += strlen(argv[3]);
	} else if (!strcmp(argv[2], "ipv4") && inet_pton(AF_INET, argv[3], req + 4) == 1) {
		req[3] = 1;
		len += 4;
	} else if (!strcmp(argv[2], "ipv6") && inet_pton(AF_INET6, argv[3], req + 4) == 1) {
		req[3] = 4;
		len += 16;
	} else {
		return usage("socks5: bad address type or address");
	}
	dport = htons((uint16_t)atoi(argv[4]));
	memcpy(req + len, &dport, 2);
	len += 2;

	fd = np_connect(argv[0], argv[1], 3000);
	if (fd < 0)
		return report_errno(-fd);
	r = write_all(fd, "\x05\x01\x00", 3);
	if (r < 0)
		return report_errno(-r);
	if (np_read_exact(fd, rep, 2) < 0 || rep[0] != 5 || rep[1] != 0) {
		printf("BAD greeting\n");
		return 0;
	}
	r = write_all(fd, (const char *)req, len);
	if (r < 0)
		return report_errno(-r);
	if (np_read_exact(fd, rep, 4) < 0 || rep[0] != 5) {
		printf("BAD reply\n");
		return 0;
	}
	printf("OK %u", rep[1]);
	if (rep[1] == 0) {
		size_t alen = rep[3] == 1 ? 4 : 16;

		if (rep[3] == 3) {
			if (np_read_exact(fd, rep + 4, 1) < 0) {
				printf(" BAD bound address\n");
				return 0;
			}
			alen = rep[4];
		}
		/* The bound address and port. */
		if (np_read_exact(fd, rep + 5, alen + 2) < 0) {
			printf(" BAD bound address\n");
			return 0;
		}
		np_tunnel_report(fd, argc == 6 ? argv[5] : NULL);
	}
	putchar('\n');
	close(fd);
	return 0;
}

/*
 * udp-echo ADDR PORT MS: bind a UDP socket, wait up to MS ms for one datagram,
 * answer it with "ECHO <data>". "OK <data>", the errno of bind() or ETIMEDOUT.
 */
static int op_udp_echo(int argc, char **argv)
{
	struct sockaddr_storage ss, peer;
	socklen_t sl, pl = sizeof(peer);
	char buf[2048] = "ECHO ";
	struct pollfd p;
	ssize_t n;
	int fd;

	if (argc != 3 || np_addr(&ss, &sl, argv[0], argv[1]) < 0)
		return usage("udp-echo ADDR PORT MS");
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report_errno(errno);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		return report_errno(errno);
	p = (struct pollfd){.fd = fd, .events = POLLIN};
	if (poll(&p, 1, atoi(argv[2])) <= 0)
		return report_errno(ETIMEDOUT);
	n = recvfrom(fd, buf + 5, sizeof(buf) - 5, 0, (struct sockaddr *)&peer, &pl);
	if (n < 0)
		return report_errno(errno);
	(void)sendto(fd, buf, (size_t)n + 5, 0, (struct sockaddr *)&peer, pl);
	printf("OK ");
	put_escaped(buf + 5, (size_t)n);
	putchar('\n');
	return 0;
}

/*
 * ---- network-policy escape ops (tests/escape/esc-netpolicy.c) ----
 *
 * Attacks on the filtered network modes from inside the sandbox: netlink
 * against the ruleset and the routes, namespace tricks, the helpers, socket
 * options that change how a packet leaves, raw protocol exchanges with the
 * proxy. Same conventions: one line, "OK ..." or the errno name; an errno of
 * a step before the one that matters carries the step's name after it.
 */
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
#include <netinet/tcp.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef SOCK_DCCP
#define SOCK_DCCP 6
#endif

/* "ADDR" or "ADDR%IFNAME" (IPv6 scope) and PORT into a socket address. */
static int enp_addr(struct sockaddr_storage *ss, socklen_t *sl, const char *spec, const char *port)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	char *pct;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	pct = strchr(buf, '%');
	if (pct)
		*pct = '\0';
	if (np_addr(ss, sl, buf, port) < 0)
		return -1;
	if (pct) {
		unsigned idx = if_nametoindex(pct + 1);

		if (ss->ss_family != AF_INET6 || !idx)
			return -1;
		((struct sockaddr_in6 *)ss)->sin6_scope_id = idx;
	}
	return 0;
}

/* Undoes \r \n \t \\ and \xHH in s (in place); returns the length. */
static size_t enp_unescape(char *s)
{
	char *o = s;

	for (const char *p = s; *p; p++) {
		unsigned v;

		if (p[0] != '\\' || !p[1]) {
			*o++ = *p;
			continue;
		}
		p++;
		if (*p == 'r')
			*o++ = '\r';
		else if (*p == 'n')
			*o++ = '\n';
		else if (*p == 't')
			*o++ = '\t';
		else if (*p == 'x' && sscanf(p + 1, "%2x", &v) == 1) {
			*o++ = (char)v;
			p += 2;
		} else
			*o++ = *p;
	}
	return (size_t)(o - s);
}

/* Prints "<ERRNO> <step>" for a failure before the step that matters. */
static int enp_step_errno(int e, const char *step)
{
	const char *name = strerrorname_np(e);

	printf("%s %s\n", name ? name : "E?", step);
	return 0;
}

/* Sends one netlink message or batch on fd and returns the first error of
 * its acknowledgements (0: every one acknowledged without error), or
 * -ETIMEDOUT. *dump_msgs counts the other messages (dump replies). */
static int enp_nl_talk(int fd, const void *msg, size_t len, unsigned acks, int *dump_msgs)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	char ans[16384];
	unsigned seen = 0;

	*dump_msgs = 0;
	if (sendto(fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	while (seen < acks) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 2000) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, ans, sizeof(ans), 0);
		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)ans; NLMSG_OK(h, (unsigned)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

				if (e < 0)
					return e;
				seen++;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				seen++;
			} else {
				(*dump_msgs)++;
			}
		}
	}
	return 0;
}

/* Appends an attribute to the netlink message at m (capacity cap). */
static void enp_nl_attr(struct nlmsghdr *m, size_t cap, unsigned short type, const void *data,
			size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)m + NLMSG_ALIGN(m->nlmsg_len));

	if (NLMSG_ALIGN(m->nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > cap)
		abort();
	a->nla_type = type;
	a->nla_len = (unsigned short)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	m->nlmsg_len = (unsigned)(NLMSG_ALIGN(m->nlmsg_len) + NLA_ALIGN(a->nla_len));
}

/* One nfnetlink message at buf+off; returns the new offset. */
static size_t enp_nfnl_msg(char *buf, size_t off, unsigned short type, unsigned short flags,
			   unsigned char family, unsigned short res_id, unsigned seq)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(buf + off);
	struct nfgenmsg *g = NLMSG_DATA(h);

	memset(h, 0, NLMSG_LENGTH(sizeof(*g)));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return off + NLMSG_ALIGN(h->nlmsg_len);
}

/*
 * nfnl list|flush|deltable|newtable|accept [TABLE]: nf_tables over a raw
 * NETLINK_NETFILTER socket. list dumps the tables ("OK tables=N"); flush
 * deletes every table (what `nft flush ruleset` sends); deltable deletes
 * table inet TABLE; newtable adds it; accept adds a table with an output
 * chain whose policy accepts. "OK" or the errno of the first failed ack.
 */
static int op_nfnl(int argc, char **argv)
{
	const char *table = argc == 2 ? argv[1] : "mxc";
	unsigned short sub = NFNL_SUBSYS_NFTABLES << 8;
	char buf[4096] = {0};
	size_t off = 0;
	unsigned acks = 1;
	int fd, r, dumped;

	if (argc < 1 || argc > 2)
		return usage("nfnl list|flush|deltable|newtable|accept [TABLE]");
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return report_errno(errno);
	if (!strcmp(argv[0], "list")) {
		off = enp_nfnl_msg(buf, 0, sub | NFT_MSG_GETTABLE, NLM_F_REQUEST | NLM_F_DUMP,
				   NFPROTO_UNSPEC, 0, 1);
		r = enp_nl_talk(fd, buf, off, 1, &dumped);
		if (r < 0)
			return report_errno(-r);
		printf("OK tables=%d\n", dumped);
		return 0;
	}
	off = enp_nfnl_msg(buf, off, NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, NFPROTO_UNSPEC,
			   NFNL_SUBSYS_NFTABLES, 1);
	if (!strcmp(argv[0], "flush")) {
		off = enp_nfnl_msg(buf, off, sub | NFT_MSG_DELTABLE, NLM_F_REQUEST | NLM_F_ACK,
				   NFPROTO_UNSPEC, 0, 2);
	} else if (!strcmp(argv[0], "deltable") || !strcmp(argv[0], "newtable") ||
		   !strcmp(argv[0], "accept")) {
		bool del = !strcmp(argv[0], "deltable");
		struct nlmsghdr *h = (struct nlmsghdr *)(buf + off);

		off = enp_nfnl_msg(buf, off, sub | (del ? NFT_MSG_DELTABLE : NFT_MSG_NEWTABLE),
				   NLM_F_REQUEST | NLM_F_ACK | (del ? 0 : NLM_F_CREATE),
				   NFPROTO_INET, 0, 2);
		enp_nl_attr(h, sizeof(buf) - (size_t)((char *)h - buf), NFTA_TABLE_NAME, table,
			    strlen(table) + 1);
		off = (size_t)((char *)h - buf) + NLMSG_ALIGN(h->nlmsg_len);
		if (!strcmp(argv[0], "accept")) {
			/* chain "out": type filter hook output priority -1000; policy accept */
			char hook[32] = {0};
			struct nlattr *a = (struct nlattr *)hook;
			uint32_t v;

			h = (struct nlmsghdr *)(buf + off);
			off = enp_nfnl_msg(buf, off, sub | NFT_MSG_NEWCHAIN,
					   NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, NFPROTO_INET,
					   0, 3);
			enp_nl_attr(h, sizeof(buf) - (size_t)((char *)h - buf), NFTA_CHAIN_TABLE,
				    table, strlen(table) + 1);
			enp_nl_attr(h, sizeof(buf) - (size_t)((char *)h - buf), NFTA_CHAIN_NAME,
				    "out", 4);
			a->nla_type = NFTA_HOOK_HOOKNUM;
			a->nla_len = NLA_HDRLEN + 4;
			v = htonl(NF_INET_LOCAL_OUT);
			memcpy(hook + NLA_HDRLEN, &v, 4);
			a = (struct nlattr *)(hook + NLA_HDRLEN + 4);
			a->nla_type = NFTA_HOOK_PRIORITY;
			a->nla_len = NLA_HDRLEN + 4;
			v = htonl((uint32_t)-1000);
			memcpy((char *)a + NLA_HDRLEN, &v, 4);
			enp_nl_attr(h, sizeof(buf) - (size_t)((char *)h - buf),
				    NFTA_CHAIN_HOOK | NLA_F_NESTED, hook, 2 * (NLA_HDRLEN + 4));
			v = htonl(NF_ACCEPT);
			enp_nl_attr(h, sizeof(buf) - (size_t)((char *)h - buf), NFTA_CHAIN_POLICY,
				    &v, 4);
			enp_nl_attr(h, sizeof(buf) - (size_t)((char *)h - buf), NFTA_CHAIN_TYPE,
				    "filter", 7);
			off = (size_t)((char *)h - buf) + NLMSG_ALIGN(h->nlmsg_len);
			acks = 2;
		}
	} else {
		return usage("nfnl: unknown request");
	}
	off = enp_nfnl_msg(buf, off, NFNL_MSG_BATCH_END, NLM_F_REQUEST, NFPROTO_UNSPEC,
			   NFNL_SUBSYS_NFTABLES, 9);
	r = enp_nl_talk(fd, buf, off, acks, &dumped);
	return r < 0 ? report_errno(-r) : report_ok();
}

/* The binary form of an address of family af, or -1. */
static int enp_pton(const char *s, int *af, unsigned char *out)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*af = AF_INET;
		return 4;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*af = AF_INET6;
		return 16;
	}
	return -1;
}

/*
 * rtnl addr IFNAME ADDR/LEN | route DEST/LEN IFNAME | up|down IFNAME | del IFNAME:
 * rtnetlink requests that change the sandbox's addresses, routes and links.
 * "OK" or the errno of the ack.
 */
static int op_rtnl(int argc, char **argv)
{
	char buf[512] = {0};
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	unsigned char a[16];
	int fd, r, dumped, af, alen = -1;
	unsigned plen = 0, idx;
	char spec[64];

	if (argc < 2 || argc > 3)
		return usage("rtnl addr IFNAME ADDR/LEN | route DEST/LEN IFNAME | up|down|del "
			     "IFNAME");
	if (argc == 3) {
		char *slash;

		snprintf(spec, sizeof(spec), "%s", !strcmp(argv[0], "addr") ? argv[2] : argv[1]);
		slash = strchr(spec, '/');
		if (!slash)
			return usage("rtnl: ADDR/LEN");
		*slash = '\0';
		plen = (unsigned)atoi(slash + 1);
		alen = enp_pton(spec, &af, a);
		if (alen < 0)
			return usage("rtnl: bad address");
	}
	idx = if_nametoindex(!strcmp(argv[0], "route") ? argv[2] : argv[1]);
	if (!idx)
		return report_errno(ENODEV);
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = 1;
	if (!strcmp(argv[0], "addr") && argc == 3) {
		struct ifaddrmsg *m = NLMSG_DATA(h);

		h->nlmsg_type = RTM_NEWADDR;
		h->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
		h->nlmsg_len = NLMSG_LENGTH(sizeof(*m));
		m->ifa_family = (unsigned char)af;
		m->ifa_prefixlen = (unsigned char)plen;
		m->ifa_index = idx;
		enp_nl_attr(h, sizeof(buf), IFA_LOCAL, a, (size_t)alen);
		enp_nl_attr(h, sizeof(buf), IFA_ADDRESS, a, (size_t)alen);
	} else if (!strcmp(argv[0], "route") && argc == 3) {
		struct rtmsg *m = NLMSG_DATA(h);

		h->nlmsg_type = RTM_NEWROUTE;
		h->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
		h->nlmsg_len = NLMSG_LENGTH(sizeof(*m));
		m->rtm_family = (unsigned char)af;
		m->rtm_dst_len = (unsigned char)plen;
		m->rtm_table = RT_TABLE_MAIN;
		m->rtm_protocol = RTPROT_BOOT;
		m->rtm_scope = RT_SCOPE_LINK;
		m->rtm_type = RTN_UNICAST;
		if (plen)
			enp_nl_attr(h, sizeof(buf), RTA_DST, a, (size_t)alen);
		enp_nl_attr(h, sizeof(buf), RTA_OIF, &idx, sizeof(idx));
	} else if (argc == 2 && (!strcmp(argv[0], "up") || !strcmp(argv[0], "down") ||
				 !strcmp(argv[0], "del"))) {
		struct ifinfomsg *m = NLMSG_DATA(h);

		h->nlmsg_type = !strcmp(argv[0], "del") ? RTM_DELLINK : RTM_NEWLINK;
		h->nlmsg_len = NLMSG_LENGTH(sizeof(*m));
		m->ifi_family = AF_UNSPEC;
		m->ifi_index = (int)idx;
		m->ifi_change = !strcmp(argv[0], "del") ? 0 : IFF_UP;
		m->ifi_flags = !strcmp(argv[0], "up") ? IFF_UP : 0;
	} else {
		return usage("rtnl: unknown request");
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return report_errno(errno);
	r = enp_nl_talk(fd, buf, h->nlmsg_len, 1, &dumped);
	return r < 0 ? report_errno(-r) : report_ok();
}

/* The inode of a namespace file, or 0. */
static unsigned long enp_ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* Tries setns() on one /proc/.../ns/net; updates the counters. */
static void enp_try_ns(const char *path, unsigned long self, int *seen, int *foreign, int *joined,
		       int *first_err)
{
	unsigned long ino = enp_ns_ino(path);
	int fd;

	if (!ino)
		return;
	(*seen)++;
	if (ino != self)
		(*foreign)++;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!*first_err)
			*first_err = errno;
		return;
	}
	if (setns(fd, CLONE_NEWNET) == 0)
		(*joined)++;
	else if (!*first_err)
		*first_err = errno;
	close(fd);
}

/*
 * setns-scan: every network namespace visible in /proc (each process and
 * thread), and setns() into each. "OK seen=N foreign=F joined=J err=ERRNO"
 * (foreign: not the probe's own namespace; err: the first failure).
 */
static int op_setns_scan(int argc, char **argv)
{
	unsigned long self = enp_ns_ino("/proc/self/ns/net");
	int seen = 0, foreign = 0, joined = 0, first_err = 0;
	struct dirent *de;
	DIR *d;

	(void)argv;
	if (argc != 0)
		return usage("setns-scan");
	d = opendir("/proc");
	if (!d)
		return report_errno(errno);
	while ((de = readdir(d))) {
		char path[300];
		struct dirent *te;
		DIR *td;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		enp_try_ns(path, self, &seen, &foreign, &joined, &first_err);
		snprintf(path, sizeof(path), "/proc/%s/task", de->d_name);
		td = opendir(path);
		if (!td)
			continue;
		while ((te = readdir(td))) {
			if (te->d_name[0] < '0' || te->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/ns/net", de->d_name,
				 te->d_name);
			enp_try_ns(path, self, &seen, &foreign, &joined, &first_err);
		}
		closedir(td);
	}
	closedir(d);
	printf("OK seen=%d foreign=%d joined=%d err=%s\n", seen, foreign, joined,
	       first_err ? strerrorname_np(first_err) : "none");
	return 0;
}

/*
 * netns-escape ADDR PORT: the whole way to a network of one's own: a new user
 * and network namespace (together), root in it, lo up, then a TCP connect to
 * ADDR PORT from there. Prints the errno and the step that failed, or the
 * connect's result followed by "in-new-netns".
 */
static int op_netns_escape(int argc, char **argv)
{
	char map[64], buf[512];
	uid_t uid = getuid();
	gid_t gid = getgid();
	struct ifreq ifr = {0};
	size_t len;
	int fd;

	if (argc != 2)
		return usage("netns-escape ADDR PORT");
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return enp_step_errno(errno, "unshare");
	fd = open("/proc/self/setgroups", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!write(fd, "deny", 4);
		close(fd);
	}
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, strlen(map)) < 0)
		return enp_step_errno(errno, "uid_map");
	close(fd);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	fd = open("/proc/self/gid_map", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, strlen(map)) < 0)
		return enp_step_errno(errno, "gid_map");
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return enp_step_errno(errno, "lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return enp_step_errno(errno, "lo-up");
	close(fd);
	fd = np_connect(argv[0], argv[1], 3000);
	if (fd < 0)
		return enp_step_errno(-fd, "in-new-netns");
	len = np_read(fd, buf, sizeof(buf), 2000);
	printf("OK ");
	put_escaped(buf, len);
	printf(" in-new-netns\n");
	return 0;
}

/* Runs each "+"-separated segment of argv as "<this probe> SEGMENT", one after the other. */
static void enp_run_segments(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *args[32];
		int n = 0;
		pid_t pid;

		if (strcmp(argv[i], "+"))
			continue;
		args[n++] = "mxc-probe";
		while (i + 1 < argc && strcmp(argv[i + 1], "+") && n < 31)
			args[n++] = argv[++i];
		args[n] = NULL;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execv("/proc/self/exe", args);
			printf("%s exec\n", strerrorname_np(errno));
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

/*
 * kill-all SIG [+ OP ARGS...]...: kill(-1, SIG) (every process the probe may
 * signal), "OK" or the errno; then, after 300 ms, each segment as a probe op of
 * its own (one line each). Run it with exec as the workload's last command:
 * the shell that started it is among the victims.
 */
static int op_kill_all(int argc, char **argv)
{
	int sig;

	if (argc < 1 || (sig = parse_signal(argv[0])) < 0)
		return usage("kill-all SIG [+ OP ARGS...]...");
	if (kill(-1, sig) < 0)
		report_errno(errno);
	else
		report_ok();
	sleep_ms(300);
	enp_run_segments(argc - 1, argv + 1);
	return 0;
}

/*
 * ptrace-scan: PTRACE_ATTACH to every other visible process (detaching at
 * once). "OK tried=N attached=A err=ERRNO" (err: the first failure).
 */
static int op_ptrace_scan(int argc, char **argv)
{
	int tried = 0, attached = 0, first_err = 0;
	struct dirent *de;
	DIR *d;

	(void)argv;
	if (argc != 0)
		return usage("ptrace-scan");
	d = opendir("/proc");
	if (!d)
		return report_errno(errno);
	while ((de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		tried++;
		if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) == 0) {
			attached++;
			waitpid(pid, NULL, __WALL);
			ptrace(PTRACE_DETACH, pid, NULL, NULL);
		} else if (!first_err) {
			first_err = errno;
		}
	}
	closedir(d);
	printf("OK tried=%d attached=%d err=%s\n", tried, attached,
	       first_err ? strerrorname_np(first_err) : "none");
	return 0;
}

static int enp_cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * proc-comms: the names (comm) of every visible process, sorted and without
 * duplicates. "OK name,name,..."
 */
static int op_proc_comms(int argc, char **argv)
{
	char names[64][17];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	(void)argv;
	if (argc != 0)
		return usage("proc-comms");
	d = opendir("/proc");
	if (!d)
		return report_errno(errno);
	while ((de = readdir(d)) && n < 64) {
		char path[300], comm[17] = "";
		bool dup = false;
		ssize_t len;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (len <= 0)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		for (size_t i = 0; i < n && !dup; i++)
			dup = !strcmp(names[i], comm);
		if (!dup)
			snprintf(names[n++], sizeof(names[0]), "%s", comm);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), enp_cmp_names);
	printf("OK");
	for (size_t i = 0; i < n; i++) {
		putchar(i ? ',' : ' ');
		put_escaped_str(names[i]);
	}
	putchar('\n');
	return 0;
}

/*
 * raw-tcp ADDR PORT DATA [MS]: TCP connect, send DATA (with \r \n \t \\ \xHH
 * escapes), then what comes back until EOF, 16 KiB or MS ms of silence
 * (default 3000). "OK <reply>" or the errno of connect().
 */
static int op_raw_tcp(int argc, char **argv)
{
	char buf[16384];
	size_t len;
	int fd, r;

	if (argc < 3 || argc > 4)
		return usage("raw-tcp ADDR PORT DATA [MS]");
	fd = np_connect(argv[0], argv[1], 3000);
	if (fd == -EINVAL)
		return usage("raw-tcp: bad address");
	if (fd < 0)
		return report_errno(-fd);
	len = enp_unescape(argv[2]);
	r = write_all(fd, argv[2], len);
	if (r < 0)
		return enp_step_errno(-r, "write");
	len = np_read(fd, buf, sizeof(buf), argc == 4 ? atol(argv[3]) : 3000);
	close(fd);
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	return 0;
}

/* Reads what a connected TCP socket sends (2 s idle) and prints "OK <bytes>". */
static int enp_report_stream(int fd)
{
	char buf[4096];
	size_t len = np_read(fd, buf, sizeof(buf), 2000);

	close(fd);
	printf("OK ");
	put_escaped(buf, len);
	putchar('\n');
	return 0;
}

/* Waits for a non-blocking connect; 0 or the errno (ETIMEDOUT after ms). */
static int enp_wait_connect(int fd, long ms)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	socklen_t el = sizeof(int);
	int e = 0;

	if (poll(&p, 1, (int)ms) <= 0)
		return ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		return errno;
	if (!e)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return e;
}

/*
 * tcp-via MODE ARG ADDR PORT: a TCP (or TCP-like) connection made in an
 * unusual way, then what the peer sends. MODE:
 *   fastopen DATA      sendto(MSG_FASTOPEN) carrying DATA in the SYN
 *   freebind SRC       IP_FREEBIND / IPV6_FREEBIND, bound to the foreign SRC
 *   transparent SRC    IP_TRANSPARENT / IPV6_TRANSPARENT, bound to SRC
 *   bindtodev IFNAME   SO_BINDTODEVICE
 *   repair -           TCP_REPAIR (a connection without a handshake)
 *   proto mptcp|sctp|sctp-seq|dccp   another transport protocol
 * ADDR may carry an IPv6 scope (fe80::2%tap0). "OK <bytes>", the connect's
 * errno, or "<ERRNO> <step>" for an earlier step.
 */
static int op_tcp_via(int argc, char **argv)
{
	const char *mode, *arg;
	struct sockaddr_storage ss, src;
	socklen_t sl, srcl;
	int fd, one = 1, type = SOCK_STREAM, proto = 0, e;

	if (argc != 4)
		return usage("tcp-via MODE ARG ADDR PORT");
	mode = argv[0];
	arg = argv[1];
	if (enp_addr(&ss, &sl, argv[2], argv[3]) < 0)
		return usage("tcp-via: bad address");
	if (!strcmp(mode, "proto")) {
		if (!strcmp(arg, "mptcp"))
			proto = IPPROTO_MPTCP;
		else if (!strcmp(arg, "sctp"))
			proto = IPPROTO_SCTP;
		else if (!strcmp(arg, "sctp-seq"))
			proto = IPPROTO_SCTP;
		else if (!strcmp(arg, "dccp"))
			proto = IPPROTO_DCCP;
		else
			return usage("tcp-via proto: mptcp|sctp|sctp-seq|dccp");
		if (!strcmp(arg, "sctp-seq"))
			type = SOCK_SEQPACKET;
		else if (!strcmp(arg, "dccp"))
			type = SOCK_DCCP;
	}
	fd = socket(ss.ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
	if (fd < 0)
		return enp_step_errno(errno, "socket");
	if (!strcmp(mode, "freebind") || !strcmp(mode, "transparent")) {
		bool v6 = ss.ss_family == AF_INET6;
		int opt = !strcmp(mode, "freebind") ? (v6 ? IPV6_FREEBIND : IP_FREEBIND)
						    : (v6 ? IPV6_TRANSPARENT : IP_TRANSPARENT);

		if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, opt, &one, sizeof(one)) < 0)
			return enp_step_errno(errno, "setsockopt");
		if (enp_addr(&src, &srcl, arg, "0") < 0 || src.ss_family != ss.ss_family)
			return usage("tcp-via: bad source address");
		if (bind(fd, (struct sockaddr *)&src, srcl) < 0)
			return enp_step_errno(errno, "bind");
	} else if (!strcmp(mode, "bindtodev")) {
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, arg, (socklen_t)strlen(arg)) < 0)
			return enp_step_errno(errno, "setsockopt");
	} else if (!strcmp(mode, "repair")) {
		if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &one, sizeof(one)) < 0)
			return enp_step_errno(errno, "setsockopt");
	} else if (strcmp(mode, "fastopen") && strcmp(mode, "proto")) {
		return usage("tcp-via: unknown mode");
	}
	if (!strcmp(mode, "fastopen")) {
		if (sendto(fd, arg, strlen(arg), MSG_FASTOPEN, (struct sockaddr *)&ss, sl) < 0 &&
		    errno != EINPROGRESS)
			return report_errno(errno);
	} else if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		return report_errno(errno);
	}
	e = enp_wait_connect(fd, 3000);
	if (e)
		return report_errno(e);
	return enp_report_stream(fd);
}

/*
 * A source route through HOP on fd: IPv4 LSRR (IP_OPTIONS) or an IPv6 segment
 * routing header (IPV6_RTHDR, type 4), so that the packet's header names HOP
 * while the route ends at dst. 0 or -errno.
 */
static int enp_source_route(int fd, const char *mode, const char *hop,
			    const struct sockaddr_storage *dst)
{
	unsigned char opt[48] = {0};
	size_t len;

	if (!strcmp(mode, "lsrr")) {
		if (dst->ss_family != AF_INET || inet_pton(AF_INET, hop, opt + 4) != 1)
			return -EINVAL;
		opt[0] = 1;    /* NOP, for alignment */
		opt[1] = 0x83; /* LSRR */
		opt[2] = 11;   /* type, length, pointer, two addresses */
		opt[3] = 4;
		memcpy(opt + 8, &((const struct sockaddr_in *)dst)->sin_addr, 4);
		len = 12;
		return setsockopt(fd, IPPROTO_IP, IP_OPTIONS, opt, (socklen_t)len) < 0 ? -errno : 0;
	}
	/* next header, length in 8-byte units (2 segments: 4), type 4, segments left 1,
	 * last entry 1, flags, tag; segment 0 is the final destination, 1 the first hop */
	if (dst->ss_family != AF_INET6 || inet_pton(AF_INET6, hop, opt + 24) != 1)
		return -EINVAL;
	opt[1] = 4;
	opt[2] = 4;
	opt[3] = 1;
	opt[4] = 1;
	memcpy(opt + 8, &((const struct sockaddr_in6 *)dst)->sin6_addr, 16);
	len = 40;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_RTHDR, opt, (socklen_t)len) < 0 ? -errno : 0;
}

/*
 * udp-via MODE ARG ADDR PORT DATA: one datagram sent in an unusual way, then
 * the first reply (1500 ms). MODE:
 *   connect -          connect() then send()
 *   broadcast -        SO_BROADCAST, sendto()
 *   bindtodev IFNAME   SO_BINDTODEVICE, sendto()
 *   freebind SRC       IP_FREEBIND / IPV6_FREEBIND, bound to the foreign SRC
 *   pktinfo IFNAME     sendmsg() with IP_PKTINFO / IPV6_PKTINFO naming IFNAME
 *   udplite -          IPPROTO_UDPLITE
 *   lsrr HOP           IPv4 loose source route: the header names HOP, the option ADDR
 *   srh HOP            IPv6 segment routing header: the header names HOP, the segment
 *                      list ADDR
 * "OK <reply>", the errno of the send, ETIMEDOUT, or "<ERRNO> <step>".
 */
static int op_udp_via(int argc, char **argv)
{
	struct sockaddr_storage ss, src;
	socklen_t sl, srcl;
	const char *mode, *arg, *data;
	char buf[2048];
	int fd, one = 1;
	bool v6;
	ssize_t n;

	if (argc != 5)
		return usage("udp-via MODE ARG ADDR PORT DATA");
	mode = argv[0];
	arg = argv[1];
	data = argv[4];
	if (enp_addr(&ss, &sl, argv[2], argv[3]) < 0)
		return usage("udp-via: bad address");
	v6 = ss.ss_family == AF_INET6;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC,
		    !strcmp(mode, "udplite") ? IPPROTO_UDPLITE : 0);
	if (fd < 0)
		return enp_step_errno(errno, "socket");
	if (!strcmp(mode, "connect")) {
		if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
			return enp_step_errno(errno, "connect");
		if (send(fd, data, strlen(data), 0) < 0)
			return report_errno(errno);
	} else if (!strcmp(mode, "pktinfo")) {
		char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = {0};
		struct iovec iov = {.iov_base = (void *)data, .iov_len = strlen(data)};
		struct msghdr mh = {.msg_name = &ss,
				    .msg_namelen = sl,
				    .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf};
		struct cmsghdr *c = (struct cmsghdr *)cbuf;
		unsigned idx = if_nametoindex(arg);

		if (!idx)
			return enp_step_errno(ENODEV, "ifname");
		if (v6) {
			struct in6_pktinfo pi = {.ipi6_ifindex = idx};

			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		} else {
			struct in_pktinfo pi = {.ipi_ifindex = (int)idx};

			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		}
		if (sendmsg(fd, &mh, 0) < 0)
			return report_errno(errno);
	} else {
		if (!strcmp(mode, "broadcast")) {
			if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0)
				return enp_step_errno(errno, "setsockopt");
		} else if (!strcmp(mode, "bindtodev")) {
			if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, arg,
				       (socklen_t)strlen(arg)) < 0)
				return enp_step_errno(errno, "setsockopt");
		} else if (!strcmp(mode, "freebind")) {
			if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
				       v6 ? IPV6_FREEBIND : IP_FREEBIND, &one, sizeof(one)) < 0)
				return enp_step_errno(errno, "setsockopt");
			if (enp_addr(&src, &srcl, arg, "0") < 0 || src.ss_family != ss.ss_family)
				return usage("udp-via: bad source address");
			if (bind(fd, (struct sockaddr *)&src, srcl) < 0)
				return enp_step_errno(errno, "bind");
		} else if (!strcmp(mode, "lsrr") || !strcmp(mode, "srh")) {
			int r = enp_source_route(fd, mode, arg, &ss);

			if (r < 0)
				return enp_step_errno(-r, "setsockopt");
		} else if (strcmp(mode, "udplite")) {
			return usage("udp-via: unknown mode");
		}
		if (sendto(fd, data, strlen(data), 0, (struct sockaddr *)&ss, sl) < 0)
			return report_errno(errno);
	}
	n = recv_within(fd, buf, sizeof(buf), 1500);
	if (n < 0)
		return report_errno((int)-n);
	printf("OK ");
	put_escaped(buf, (size_t)n);
	putchar('\n');
	return 0;
}

/*
 * icmp-type ADDR TYPE: an ICMP (IPv4) or ICMPv6 message of TYPE (code 0) over
 * a ping socket, e.g. a neighbour solicitation (135) that the ruleset lets
 * out to any address. "OK reply", the errno of socket() or sendto(), or
 * ETIMEDOUT (1 s).
 */
static int op_icmp_type(int argc, char **argv)
{
	struct sockaddr_storage ss;
	unsigned char pkt[24] = {0};
	ssize_t n;
	char buf[256];
	socklen_t sl;
	int fd;

	if (argc != 2 || enp_addr(&ss, &sl, argv[0], "0") < 0)
		return usage("icmp-type ADDR TYPE");
	pkt[0] = (unsigned char)atoi(argv[1]);
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC,
		    ss.ss_family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0)
		return report_errno(errno);
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl) < 0)
		return report_errno(errno);
	n = recv_within(fd, buf, sizeof(buf), 1000);
	if (n < 0)
		return report_errno((int)-n);
	printf("OK reply\n");
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} ops[] = {
	/* escape-suite ops (tests/escape/) */
	{"mknod", op_mknod},
	{"symlink", op_symlink},
	{"link", op_link},
	{"rename", op_rename},
	{"reopen-write", op_reopen_write},
	{"openat2-read", op_openat2_read},
	{"mount-tmpfs", op_mount_tmpfs},
	{"remount-rw", op_remount_rw},
	{"mount-setattr-rw", op_mount_setattr_rw},
	{"umount", op_umount},
	{"fsopen", op_fsopen},
	{"open-tree", op_open_tree},
	{"chroot", op_chroot},
	{"pivot-root", op_pivot_root},
	{"ptrace-attach", op_ptrace_attach},
	{"vm-read", op_vm_read},
	{"kill", op_kill},
	{"pidfd-kill", op_pidfd_kill},
	{"unshare", op_unshare},
	{"clone-ns", op_clone_ns},
	{"clone3-ns", op_clone3_ns},
	{"setns", op_setns},
	{"add-key", op_add_key},
	{"io-uring", op_io_uring},
	{"bpf-map", op_bpf_map},
	{"perf-open", op_perf_open},
	{"userfaultfd", op_userfaultfd},
	{"socket", op_socket},
	{"int80", op_int80},
	{"x32", op_x32},
	{"personality", op_personality},
	{"tty-inject", op_tty_inject},
	{"setid", op_setid},
	{"sys", op_sys},
	{"open-by-handle", op_open_by_handle},
	{"name-to-handle", op_name_to_handle},
	{"sethostname", op_sethostname},
	{"connect-unix", op_connect_unix},
	{"bind-unix", op_bind_unix},
	{"udp4-send", op_udp4_send},
	{"dns-query", op_dns_query},
	{"connect6", op_connect6},
	{"mptcp4", op_mptcp4},
	{"ping4", op_ping4},
	{"listen4", op_listen4},
	{"nl-newlink", op_nl_newlink},
	{"shmget", op_shmget},
	{"proc-grep", op_proc_grep},
	{"forkbomb", op_forkbomb},
	{"membomb", op_membomb},
	{"fill", op_fill},
	{"rlimits", op_rlimits},
	{"inode-fill", op_inode_fill},
	/* general ops */
	{"read", op_read},
	{"write", op_write},
	{"append", op_append},
	{"mkdir", op_mkdir},
	{"rmdir", op_rmdir},
	{"unlink", op_unlink},
	{"stat", op_stat},
	{"ls", op_ls},
	{"readlink", op_readlink},
	{"connect4", op_connect4},
	{"netdevs", op_netdevs},
	{"getenv", op_getenv},
	{"env", op_env},
	{"cwd", op_cwd},
	{"pid", op_pid},
	{"status-field", op_status_field},
	{"fds", op_fds},
	{"kill-self", op_kill_self},
	{"sleep-ms", op_sleep_ms},
	{"spin", op_spin},
	{"tick", op_tick},
	{"daemon-tick", op_daemon_tick},
	{"stdin", op_stdin},
	{"argv", op_argv},
	{"tiocsti", op_tiocsti},
	{"isatty", op_isatty},
	{"ttyname", op_ttyname},
	{"winsize", op_winsize},
	{"sid", op_sid},
	{"ctty", op_ctty},
	{"wait-winch", op_wait_winch},
	{"readline", op_readline},
	/* network-policy ops (tests/e2e/test-e2e-netpolicy.c) */
	{"tcp", op_tcp},
	{"udp", op_udp},
	{"ping", op_ping},
	{"dns", op_dns},
	{"http-proxy", op_http_proxy},
	{"connect-proxy", op_connect_proxy},
	{"socks5", op_socks5},
	{"udp-echo", op_udp_echo},
	/* network-policy escape ops (tests/escape/esc-netpolicy.c) */
	{"nfnl", op_nfnl},
	{"rtnl", op_rtnl},
	{"setns-scan", op_setns_scan},
	{"netns-escape", op_netns_escape},
	{"kill-all", op_kill_all},
	{"ptrace-scan", op_ptrace_scan},
	{"proc-comms", op_proc_comms},
	{"raw-tcp", op_raw_tcp},
	{"tcp-via", op_tcp_via},
	{"udp-via", op_udp_via},
	{"icmp-type", op_icmp_type},
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
