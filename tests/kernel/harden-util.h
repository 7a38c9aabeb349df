/* SPDX-License-Identifier: MIT */
/* Helpers shared by the seccomp and Landlock kernel tests (Check, fork per test). */
#ifndef MXC_TESTS_HARDEN_UTIL_H
#define MXC_TESTS_HARDEN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"

/* MXC_TEST_MUST_WORK=1: a missing kernel feature is a failure, not a skip. */
bool hu_must_work(void);

/* The start of every kernel test's main(): -1 when the tests can run here (root, or
 * the unprivileged variant, and usable user namespaces); otherwise the exit code to
 * return (77 with a TAP skip line, or 1 under MXC_TEST_MUST_WORK=1). */
int hu_kernel_tests_runnable(void);

/* The baseline plan of the kernel tests: read-only system paths, /dev, /proc,
 * /tmp, isolated network, the caller's ids. No process. Free with plan_free(). */
struct mxc_plan *hu_base_plan(void);
/* The same plus the static probe at /probe as the command. */
struct mxc_plan *hu_plan_new(void);
void hu_add_op(struct mxc_plan *p, enum plan_op_kind kind, enum plan_origin origin, const char *src,
	       const char *dst, bool readonly);

/* Create a sandbox from `p`, run /probe OP ARG in it, destroy it. Returns
 * the number the probe printed (an errno, 0 for success), or -1 when it
 * printed nothing; *ret_status gets its wait status. */
int hu_probe(struct mxc_plan *p, const char *op, const char *arg, int *ret_status);

/* A fresh directory under /tmp owned by the caller (path in buf). */
void hu_scratch(char *buf, size_t len);
/* Write `data` to dir/name (created). */
void hu_write(const char *dir, const char *name, const char *data);

#endif
