/* SPDX-License-Identifier: MIT */
/*
 * The bubblewrap backend: the plan rendered as a `bwrap` argument vector in
 * upstream MXC's order (docs/backends.md), run with mxc's seccomp filter,
 * resource limits and timeout.
 *
 * The renderer is a pure function of the plan (no host access, no fds), so
 * plan_compile() keeps its result in the plan (`--dry-run` shows it) and the
 * unit tests compare it with golden vectors. The fds the vector names are
 * fixed: the backend puts the seccomp program on BWRAP_SECCOMP_FD and the
 * info pipe on BWRAP_INFO_FD in the child before exec'ing bwrap.
 */
#ifndef MXC_BACKEND_BWRAP_H
#define MXC_BACKEND_BWRAP_H

#include <stdbool.h>

#include "plan/plan.h"

#define BWRAP_SECCOMP_FD 3
#define BWRAP_INFO_FD	 4
/* Filtered networks: bwrap waits on this fd before running the command, so
 * mxc-netd loads the rules first; the pinned /etc/hosts comes on the next. */
#define BWRAP_BLOCK_FD 5
#define BWRAP_HOSTS_FD 6

/* Upstream's minimum (`--clearenv` is the newest flag it uses). */
#define BWRAP_MIN_MAJOR 0
#define BWRAP_MIN_MINOR 5
#define BWRAP_MIN_PATCH 0

/* The bwrap argv for `p` (argv[0] is "bwrap"), NULL-terminated, malloc'd. */
int bwrap_argv_render(const struct mxc_plan *p, char ***ret);

/* plan_compile()'s last step for the bubblewrap backend: what bwrap enforces
 * differently (the tmpfs inode cap), then the argv into p->bwrap_argv. */
int bwrap_plan_finish(struct mxc_plan *p);

/* Parse `bwrap --version` output: "bubblewrap X.Y.Z" (Debian's "X+reallyY"
 * reports Y). -EINVAL if it is not that shape (the caller fails closed). */
int bwrap_version_parse(const char *out, unsigned *ret_major, unsigned *ret_minor,
			unsigned *ret_patch);

/* Is X.Y.Z at least upstream's minimum? */
bool bwrap_version_ok(unsigned major, unsigned minor, unsigned patch);

#endif
