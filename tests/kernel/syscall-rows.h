/* SPDX-License-Identifier: MIT */
/*
 * One try-syscall probe per seccomp rule, shared by test-seccomp.c (which
 * runs them under the filter directly) and harden-probe.c (which runs them
 * in a real sandbox). Every call is harmless if the filter is missing: bad
 * fds, bad pointers, invalid flags, so the kernel itself answers EBADF,
 * EFAULT, EINVAL, ... and never acts. `native` is what the kernel answers
 * for the rows the filter must let through.
 */
#ifndef MXC_TESTS_SYSCALL_ROWS_H
#define MXC_TESTS_SYSCALL_ROWS_H

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum sc_expect {
	SC_DENY,	 /* the filter's deny errno (EPERM in production) */
	SC_ENOSYS,	 /* clone3 */
	SC_EAFNOSUPPORT, /* socket families */
	SC_ALLOWED,	 /* the filter lets it through: the kernel answers `native` */
};

struct sc_row {
	const char *name;
	enum sc_expect expect;
	int native; /* SC_ALLOWED: the kernel's errno (0: success) */
};

#define SC_HI ((unsigned long)1 << 32) /* garbage in the upper half of a 32-bit argument */

static const struct sc_row sc_rows[] = {
	{"io_uring_setup", SC_DENY, 0},
	{"io_uring_enter", SC_DENY, 0},
	{"io_uring_register", SC_DENY, 0},
	{"bpf", SC_DENY, 0},
	{"perf_event_open", SC_DENY, 0},
	{"userfaultfd", SC_DENY, 0},
	{"keyctl", SC_DENY, 0},
	{"add_key", SC_DENY, 0},
	{"request_key", SC_DENY, 0},
	{"kexec_load", SC_DENY, 0},
	{"kexec_file_load", SC_DENY, 0},
	{"init_module", SC_DENY, 0},
	{"finit_module", SC_DENY, 0},
	{"delete_module", SC_DENY, 0},
	{"mount", SC_DENY, 0},
	{"umount2", SC_DENY, 0},
	{"pivot_root", SC_DENY, 0},
	{"move_mount", SC_DENY, 0},
	{"open_tree", SC_DENY, 0},
	{"fsopen", SC_DENY, 0},
	{"fsconfig", SC_DENY, 0},
	{"fsmount", SC_DENY, 0},
	{"fspick", SC_DENY, 0},
	{"mount_setattr", SC_DENY, 0},
	{"unshare", SC_DENY, 0},
	{"setns", SC_DENY, 0},
	{"clone(CLONE_NEWNS)", SC_DENY, 0},
	{"clone(CLONE_NEWCGROUP)", SC_DENY, 0},
	{"clone(CLONE_NEWUTS)", SC_DENY, 0},
	{"clone(CLONE_NEWIPC)", SC_DENY, 0},
	{"clone(CLONE_NEWUSER)", SC_DENY, 0},
	{"clone(CLONE_NEWPID)", SC_DENY, 0},
	{"clone(CLONE_NEWNET)", SC_DENY, 0},
	{"clone(SIGCHLD) (fork)", SC_ALLOWED, 0},
	{"clone3", SC_ENOSYS, 0},
	{"ptrace", SC_DENY, 0},
	{"process_vm_readv", SC_DENY, 0},
	{"process_vm_writev", SC_DENY, 0},
	{"acct", SC_DENY, 0},
	{"swapon", SC_DENY, 0},
	{"swapoff", SC_DENY, 0},
	{"reboot", SC_DENY, 0},
	{"syslog", SC_DENY, 0},
	{"quotactl", SC_DENY, 0},
	{"quotactl_fd", SC_DENY, 0},
	{"open_by_handle_at", SC_DENY, 0},
	{"name_to_handle_at", SC_DENY, 0},
	{"personality(PER_LINUX32)", SC_DENY, 0},
	{"personality(ADDR_NO_RANDOMIZE)", SC_DENY, 0},
	{"personality(PER_LINUX32 + upper garbage)", SC_DENY, 0},
	{"personality(0xffffffff) (query)", SC_ALLOWED, 0},
	{"personality(PER_LINUX)", SC_ALLOWED, 0},
	{"ioctl(TIOCSTI)", SC_DENY, 0},
	{"ioctl(TIOCSTI + upper garbage)", SC_DENY, 0},
	{"ioctl(TIOCLINUX)", SC_DENY, 0},
	{"ioctl(TCGETS)", SC_ALLOWED, EBADF},
	{"socket(AF_UNSPEC)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_AX25)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_KEY)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_PACKET)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_RDS)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_CAN)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_TIPC)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_BLUETOOTH)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_ALG)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_VSOCK)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_XDP)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_INET + upper garbage)", SC_EAFNOSUPPORT, 0},
	{"socket(AF_UNIX)", SC_ALLOWED, EINVAL},
	{"socket(AF_INET)", SC_ALLOWED, EINVAL},
	{"socket(AF_INET6)", SC_ALLOWED, EINVAL},
	{"socket(AF_NETLINK)", SC_ALLOWED, EINVAL},
};

#define SC_N_ROWS (sizeof(sc_rows) / sizeof(sc_rows[0]))

static inline long sc_socket(unsigned long family)
{
	/* An invalid type: the kernel answers EINVAL for a family it has, so
	 * EAFNOSUPPORT can only be the filter's. */
	return syscall(__NR_socket, family, 999, 0);
}

static inline long sc_clone_ns(unsigned long ns_flag)
{
	/* CLONE_THREAD without CLONE_SIGHAND: the kernel refuses with EINVAL
	 * before looking at anything else, so nothing is ever created. */
	return syscall(__NR_clone, ns_flag | CLONE_THREAD, 0, NULL, NULL, 0);
}

static inline long sc_fork(void)
{
	long pid = syscall(__NR_clone, SIGCHLD, 0, NULL, NULL, 0);
	int status;

	if (pid == 0)
		_exit(7);
	if (pid < 0)
		return pid;
	if (waitpid((pid_t)pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 7)
		return errno = ECHILD, -1;
	return 0;
}

/* Run row i; returns 0 on success, else the errno. */
static inline int sc_row_run(size_t i)
{
	void *bad = (void *)8; /* an unmapped address */
	long r = -1;

	errno = 0;
	switch (i) {
	case 0:
		r = syscall(__NR_io_uring_setup, 0, NULL);
		break;
	case 1:
		r = syscall(__NR_io_uring_enter, -1, 0, 0, 0, NULL, 0);
		break;
	case 2:
		r = syscall(__NR_io_uring_register, -1, 0, NULL, 0);
		break;
	case 3:
		r = syscall(__NR_bpf, -1, NULL, 0);
		break;
	case 4:
		r = syscall(__NR_perf_event_open, NULL, 0, -1, -1, 0);
		break;
	case 5:
		r = syscall(__NR_userfaultfd, ~0u);
		break;
	case 6:
		r = syscall(__NR_keyctl, -1, 0, 0, 0, 0);
		break;
	case 7:
		r = syscall(__NR_add_key, NULL, NULL, NULL, 0, 0);
		break;
	case 8:
		r = syscall(__NR_request_key, NULL, NULL, NULL, 0);
		break;
	case 9:
		r = syscall(__NR_kexec_load, 0, 0, NULL, ~0ul);
		break;
	case 10:
		r = syscall(__NR_kexec_file_load, -1, -1, 0, NULL, ~0ul);
		break;
	case 11:
		r = syscall(__NR_init_module, bad, 0, bad);
		break;
	case 12:
		r = syscall(__NR_finit_module, -1, "", 0);
		break;
	case 13:
		r = syscall(__NR_delete_module, "mxc_no_such_module", O_NONBLOCK);
		break;
	case 14:
		r = syscall(__NR_mount, bad, bad, bad, 0, NULL);
		break;
	case 15:
		r = syscall(__NR_umount2, "/nonexistent/mxc", 0);
		break;
	case 16:
		r = syscall(__NR_pivot_root, bad, bad);
		break;
	case 17:
		r = syscall(__NR_move_mount, -1, "", -1, "", 0);
		break;
	case 18:
		r = syscall(__NR_open_tree, -1, bad, 0);
		break;
	case 19:
		r = syscall(__NR_fsopen, bad, 0);
		break;
	case 20:
		r = syscall(__NR_fsconfig, -1, 0, NULL, NULL, 0);
		break;
	case 21:
		r = syscall(__NR_fsmount, -1, 0, 0);
		break;
	case 22:
		r = syscall(__NR_fspick, -1, bad, 0);
		break;
	case 23:
		r = syscall(__NR_mount_setattr, -1, bad, 0, NULL, 0);
		break;
	case 24:
		r = syscall(__NR_unshare, 0);
		break; /* a no-op for the kernel */
	case 25:
		r = syscall(__NR_setns, -1, 0);
		break;
	case 26:
		r = sc_clone_ns(CLONE_NEWNS);
		break;
	case 27:
		r = sc_clone_ns(CLONE_NEWCGROUP);
		break;
	case 28:
		r = sc_clone_ns(CLONE_NEWUTS);
		break;
	case 29:
		r = sc_clone_ns(CLONE_NEWIPC);
		break;
	case 30:
		r = sc_clone_ns(CLONE_NEWUSER);
		break;
	case 31:
		r = sc_clone_ns(CLONE_NEWPID);
		break;
	case 32:
		r = sc_clone_ns(CLONE_NEWNET);
		break;
	case 33:
		r = sc_fork();
		break;
	case 34:
		r = syscall(__NR_clone3, NULL, 0);
		break;
	case 35:
		r = syscall(__NR_ptrace, 0x7fff, -1, NULL, NULL);
		break;
	case 36:
		r = syscall(__NR_process_vm_readv, -1, NULL, 0, NULL, 0, 0);
		break;
	case 37:
		r = syscall(__NR_process_vm_writev, -1, NULL, 0, NULL, 0, 0);
		break;
	case 38:
		r = syscall(__NR_acct, bad);
		break;
	case 39:
		r = syscall(__NR_swapon, bad, 0);
		break;
	case 40:
		r = syscall(__NR_swapoff, bad);
		break;
	case 41:
		r = syscall(__NR_reboot, 0, 0, 0, NULL);
		break; /* bad magic */
	case 42:
		r = syscall(__NR_syslog, 999, NULL, 0);
		break;
	case 43:
		r = syscall(__NR_quotactl, 0, bad, 0, NULL);
		break;
	case 44:
		r = syscall(__NR_quotactl_fd, -1, 0, 0, NULL);
		break;
	case 45:
		r = syscall(__NR_open_by_handle_at, -1, bad, 0);
		break;
	case 46:
		r = syscall(__NR_name_to_handle_at, -1, bad, bad, bad, 0);
		break;
	case 47:
		r = syscall(__NR_personality, PER_LINUX32);
		break;
	case 48:
		r = syscall(__NR_personality, PER_LINUX | ADDR_NO_RANDOMIZE);
		break;
	case 49:
		r = syscall(__NR_personality, SC_HI | PER_LINUX32);
		break;
	case 50:
		r = syscall(__NR_personality, 0xffffffffUL);
		break;
	case 51:
		r = syscall(__NR_personality, PER_LINUX);
		break;
	case 52:
		r = syscall(__NR_ioctl, -1, (unsigned long)TIOCSTI, bad);
		break;
	case 53:
		r = syscall(__NR_ioctl, -1, SC_HI | TIOCSTI, bad);
		break;
	case 54:
		r = syscall(__NR_ioctl, -1, (unsigned long)TIOCLINUX, bad);
		break;
	case 55:
		r = syscall(__NR_ioctl, -1, (unsigned long)TCGETS, bad);
		break;
	case 56:
		r = sc_socket(AF_UNSPEC);
		break;
	case 57:
		r = sc_socket(AF_AX25);
		break;
	case 58:
		r = sc_socket(AF_KEY);
		break;
	case 59:
		r = sc_socket(AF_PACKET);
		break;
	case 60:
		r = sc_socket(AF_RDS);
		break;
	case 61:
		r = sc_socket(AF_CAN);
		break;
	case 62:
		r = sc_socket(AF_TIPC);
		break;
	case 63:
		r = sc_socket(AF_BLUETOOTH);
		break;
	case 64:
		r = sc_socket(AF_ALG);
		break;
	case 65:
		r = sc_socket(AF_VSOCK);
		break;
	case 66:
		r = sc_socket(AF_XDP);
		break;
	case 67:
		r = sc_socket(SC_HI | AF_INET);
		break;
	case 68:
		r = sc_socket(AF_UNIX);
		break;
	case 69:
		r = sc_socket(AF_INET);
		break;
	case 70:
		r = sc_socket(AF_INET6);
		break;
	case 71:
		r = sc_socket(AF_NETLINK);
		break;
	default:
		return -1;
	}
	if (r >= 0) {
		/* A socket or an fd that should not exist: close it; success. */
		if (i >= 56 && r > 2)
			(void)close((int)r);
		return 0;
	}
	return errno;
}

/* x32 (x86_64 only): getpid with __X32_SYSCALL_BIT. Returns the errno. */
static inline int sc_x32_getpid(void)
{
#if defined(__x86_64__)
	return syscall(0x40000000 | __NR_getpid) < 0 ? errno : 0;
#else
	return ENOSYS;
#endif
}

/* i386 through int 0x80 (x86_64 only): getpid (20). Returns the raw result. */
static inline long sc_int80_getpid(void)
{
#if defined(__x86_64__)
	long ret = 20;

	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory", "r8", "r9", "r10", "r11");
	return ret;
#else
	return -ENOSYS;
#endif
}

#endif
