/* SPDX-License-Identifier: MIT */
/*
 * seccomp: the sandbox's syscall filter, compiled with libseccomp into a
 * classic BPF program in the parent (where allocating is fine), then
 * installed in the workload with a raw seccomp(2) call that allocates
 * nothing. Only seccomp.c includes libseccomp's header.
 *
 * The filter (see docs/security.md, "seccomp", for the table and reasons):
 *   - any architecture other than the native one, and x32 on x86_64: the
 *     process is killed (SIGSYS);
 *   - kernel-surface and escape syscalls: `deny_errno` (EPERM in
 *     production; tests pass a marker errno no syscall returns natively, to
 *     prove that each rule, not the kernel, answered);
 *   - clone3: ENOSYS, so that libc falls back to clone, whose flags the
 *     filter can inspect;
 *   - socket() with a family other than unix, inet, inet6, netlink:
 *     EAFNOSUPPORT;
 *   - everything else: allowed.
 */
#ifndef MXC_OS_SECCOMP_H
#define MXC_OS_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

/* Build the sandbox filter for the native architecture. On success *ret
 * holds a malloc'd program; release it with seccomp_prog_free().
 * seccomp_sandbox_compile() always runs libseccomp (about 0.2 ms: context,
 * kernel API probes, rules, BPF generation); seccomp_sandbox_build() returns a
 * copy of the same program compiled at build time for EPERM, when the build
 * has one (seccomp_sandbox_prebuilt()), and compiles otherwise. */
int seccomp_sandbox_build(int deny_errno, struct sock_fprog *ret);
int seccomp_sandbox_compile(int deny_errno, struct sock_fprog *ret);
bool seccomp_sandbox_prebuilt(void);

void seccomp_prog_free(struct sock_fprog *prog);

/* Install `prog` on the calling thread (needs no_new_privs or
 * CAP_SYS_ADMIN). Async-signal-safe: one syscall, no allocation. */
int seccomp_prog_install(const struct sock_fprog *prog);

#endif
