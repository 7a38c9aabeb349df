/* SPDX-License-Identifier: MIT */
#ifndef MXC_PLAN_INTERNAL_H
#define MXC_PLAN_INTERNAL_H

#include "core/macro.h"
#include "core/strv.h"
#include "plan.h"

/* Lexically normalise an absolute path ("//a/./b/../c/" -> "/a/c"). -EINVAL if relative. */
int plan_path_normalize(const char *path, char **ret);
/* Component-wise prefix test: "/a" is a prefix of "/a" and "/a/b", not of "/ab". */
bool plan_path_is_prefix(const char *prefix, const char *path);

/* Append an op (strings copied; src/policy may be NULL). */
int plan_add_op(struct mxc_plan *p, enum plan_op_kind kind, enum plan_origin origin,
		const char *src, const char *dst, const char *policy, bool readonly, bool try_);
#define plan_note(p, ...) strv_pushf(&(p)->notes, __VA_ARGS__)

int plan_compile_network(const struct mxc_config *c, struct mxc_plan *p, struct mxc_error *reterr);
int plan_compile_limits(const struct mxc_config *c, const struct plan_host *host,
			struct mxc_plan *p, struct mxc_error *reterr);
int plan_compile_filesystem(const struct mxc_config *c, const struct plan_host *host,
			    struct mxc_plan *p, struct mxc_error *reterr);

#endif
