/* SPDX-License-Identifier: MIT */
/*
 * Per-process resource limits of the calling process: rlimits and the OOM
 * score. Plain numbers only; every call is async-signal-safe (no malloc), so
 * it can run in a child right after clone.
 */
#ifndef MXC_OS_RLIMIT_H
#define MXC_OS_RLIMIT_H

#include <stdint.h>

/* Lower (never raise) `resource` (RLIMIT_*): soft = hard = min(value, current
 * hard). A process without CAP_SYS_RESOURCE in the initial user namespace can
 * never raise it again. */
int rlimit_cap(int resource, uint64_t value);

/* Read the current soft and hard values (RLIM_INFINITY as UINT64_MAX). */
int rlimit_get(int resource, uint64_t *ret_soft, uint64_t *ret_hard);

/* Write /proc/self/oom_score_adj (-1000..1000; raising needs no privilege). */
int oom_score_adj_set(int value);

#endif
