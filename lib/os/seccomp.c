/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "seccomp.h"

/* The EPERM filter, compiled by libseccomp at build time (os/seccomp-gen.c);
 * absent when cross-compiling or when the build host could not compile it. */
#if !defined(MXC_SECCOMP_NO_PREBUILT) && __has_include("os/seccomp-prebuilt.h")
#include "os/seccomp-prebuilt.h"
#endif

/* A syscall by its native number. */
struct deny_entry {
	const char *name;
	int nr;
};

#define NR(x)                                                                                      \
	{                                                                                          \
#x, __NR_##x                                                                       \
	}

/*
 * The syscalls denied outright. Numbers come from the kernel headers rather
 * than from libseccomp's table so that syscalls newer than the installed
 * libseccomp (mount_setattr, quotactl_fd, ...) are still covered.
 */
static const struct deny_entry deny_table[] = {
	/* io_uring: a large kernel surface invisible to seccomp once set up */
	NR(io_uring_setup),
	NR(io_uring_enter),
	NR(io_uring_register),
	/* kernel programmability and introspection */
	NR(bpf),
	NR(perf_event_open),
	NR(userfaultfd),
	/* keyrings are shared across sandboxes of one user */
	NR(keyctl),
	NR(add_key),
	NR(request_key),
	/* replacing the kernel, loading code into it */
	NR(kexec_load),
	NR(kexec_file_load),
	NR(init_module),
	NR(finit_module),
	NR(delete_module),
	/* the mount family: the root filesystem is final */
	NR(mount),
	NR(umount2),
	NR(pivot_root),
	NR(move_mount),
	NR(open_tree),
	NR(fsopen),
	NR(fsconfig),
	NR(fsmount),
	NR(fspick),
	NR(mount_setattr),
	/* namespaces: creating or joining (clone's flags are checked below) */
	NR(unshare),
	NR(setns),
	/* other processes' memory */
	NR(ptrace),
	NR(process_vm_readv),
	NR(process_vm_writev),
	/* host administration */
	NR(acct),
	NR(swapon),
	NR(swapoff),
	NR(reboot),
	NR(syslog),
	NR(quotactl),
	NR(quotactl_fd),
	/* file handles bypass path-based checks (the "shocker" escape) */
	NR(open_by_handle_at),
	NR(name_to_handle_at),
};

/* Namespace flags of clone(): any one of them set answers deny_errno. */
static const unsigned long clone_ns_flags[] = {
	CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID,	CLONE_NEWNET,
};

/* Families other than these answer EAFNOSUPPORT (as from a kernel without them). */
#define SOCKET_MAX_ALLOWED AF_NETLINK /* 16: every family above is denied */
static const int socket_denied_low[] = {AF_UNSPEC, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15};

static void seccomp_ctx_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

static int add_clone_rules(scmp_filter_ctx ctx, int deny_errno)
{
	int r;

	for (size_t i = 0; i < ELEMENTSOF(clone_ns_flags); i++) {
		r = seccomp_rule_add_exact(
			ctx, SCMP_ACT_ERRNO((unsigned)deny_errno), SCMP_SYS(clone), 1,
			SCMP_A0(SCMP_CMP_MASKED_EQ, clone_ns_flags[i], clone_ns_flags[i]));
		if (r < 0)
			return r;
	}
	/* clone3 passes its flags in memory, out of the filter's reach. */
	return seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

static int add_socket_rules(scmp_filter_ctx ctx)
{
	int r;

	/* A 64-bit compare: garbage in the upper half lands here too (denied). */
	r = seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
				   SCMP_A0(SCMP_CMP_GT, SOCKET_MAX_ALLOWED));
	for (size_t i = 0; r >= 0 && i < ELEMENTSOF(socket_denied_low); i++)
		r = seccomp_rule_add_exact(
			ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
			SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)socket_denied_low[i]));
	return r;
}

static int add_ioctl_rules(scmp_filter_ctx ctx, int deny_errno)
{
	static const unsigned long cmds[] = {TIOCSTI, TIOCLINUX};
	int r;

	/* The kernel reads the command as 32 bits: compare only those, so that
	 * garbage in the upper half cannot slip past (CVE-2019-10063). */
	for (size_t i = 0; i < ELEMENTSOF(cmds); i++) {
		r = seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO((unsigned)deny_errno),
					   SCMP_SYS(ioctl), 1,
					   SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, cmds[i]));
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_personality_rules(scmp_filter_ctx ctx, int deny_errno)
{
	int r;

	/*
	 * Allowed: PER_LINUX (0) and the query 0xffffffff; the kernel reads
	 * 32 bits. libseccomp takes one comparison per argument, so "neither 0
	 * nor all ones" is written as a cover: a 32-bit value that is neither
	 * has, cyclically, some bit i clear with bit i+1 set. One masked rule
	 * per i.
	 */
	for (unsigned i = 0; i < 32; i++) {
		uint64_t lo = 1ull << i, hi = 1ull << ((i + 1) % 32);

		r = seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO((unsigned)deny_errno),
					   SCMP_SYS(personality), 1,
					   SCMP_A0(SCMP_CMP_MASKED_EQ, lo | hi, hi));
		if (r < 0)
			return r;
	}
	return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *ret)
{
	_cleanup_close_ int fd = -1;
	struct sock_filter *insns;
	struct stat st;
	ssize_t n;
	int r;

	fd = memfd_create("mxc-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return r;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % (off_t)sizeof(*insns) ||
	    st.st_size / (off_t)sizeof(*insns) > BPF_MAXINSNS)
		return -E2BIG;
	insns = malloc((size_t)st.st_size);
	if (!insns)
		return -ENOMEM;
	n = pread(fd, insns, (size_t)st.st_size, 0);
	if (n != st.st_size) {
		free(insns);
		return n < 0 ? -errno : -EIO;
	}
	ret->filter = insns;
	ret->len = (unsigned short)(st.st_size / (off_t)sizeof(*insns));
	return 0;
}

int seccomp_sandbox_compile(int deny_errno, struct sock_fprog *ret)
{
	_cleanup_(seccomp_ctx_releasep) scmp_filter_ctx ctx = NULL;
	int r;

	if (!ret || deny_errno <= 0 || deny_errno > 4095)
		return -EINVAL;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	/* Only the native architecture is in the filter: i386 (int 0x80) and,
	 * on x86_64, x32 (nr | __X32_SYSCALL_BIT) take the bad-arch action. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ELEMENTSOF(deny_table); i++) {
		r = seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO((unsigned)deny_errno),
					   deny_table[i].nr, 0);
		if (r < 0)
			return r;
	}
	r = add_clone_rules(ctx, deny_errno);
	if (r >= 0)
		r = add_socket_rules(ctx);
	if (r >= 0)
		r = add_ioctl_rules(ctx, deny_errno);
	if (r >= 0)
		r = add_personality_rules(ctx, deny_errno);
	if (r < 0)
		return r;
	return export_bpf(ctx, ret);
}

int seccomp_sandbox_build(int deny_errno, struct sock_fprog *ret)
{
#ifdef SECCOMP_PREBUILT_EPERM
	static const struct sock_filter prebuilt[] = {SECCOMP_PREBUILT_EPERM};

	if (deny_errno == EPERM && ret) {
		ret->filter = malloc(sizeof(prebuilt));
		if (!ret->filter)
			return -ENOMEM;
		memcpy(ret->filter, prebuilt, sizeof(prebuilt));
		ret->len = (unsigned short)ELEMENTSOF(prebuilt);
		return 0;
	}
#endif
	return seccomp_sandbox_compile(deny_errno, ret);
}

bool seccomp_sandbox_prebuilt(void)
{
#ifdef SECCOMP_PREBUILT_EPERM
	return true;
#else
	return false;
#endif
}

void seccomp_prog_free(struct sock_fprog *prog)
{
	if (!prog)
		return;
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}

int seccomp_prog_install(const struct sock_fprog *prog)
{
	if (!prog || !prog->filter || prog->len == 0)
		return -EINVAL;
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
		return -errno;
	return 0;
}
