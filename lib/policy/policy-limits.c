/* SPDX-License-Identifier: MIT */
/*
 * The mxc extension `limits`: a closed object of nullable integers, each
 * range-checked during the typed walk with serde-style messages:
 *   Invalid configuration at `limits.memoryMiB`: invalid value: integer `0`,
 *   expected an integer between 16 and 16777216 at line L column C
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "core/macro.h"
#include "policy-internal.h"

struct limit_def {
	const char *name;
	uint64_t min, max;
};

static const struct limit_def limit_defs[_MXC_LIMIT_MAX] = {
	[MXC_LIMIT_MEMORY_MIB] = {"memoryMiB", 16, UINT64_C(16777216)}, /* 16 MiB .. 16 TiB */
	[MXC_LIMIT_PROCESSES] = {"processes", 1, UINT64_C(4194304)},	/* PID_MAX_LIMIT */
	[MXC_LIMIT_CPU_PERCENT] = {"cpuPercent", 1, UINT64_C(100000)},	/* 1000 CPUs */
	[MXC_LIMIT_CPU_SECONDS] = {"cpuSeconds", 1, UINT64_C(4294967295)},
	[MXC_LIMIT_OPEN_FILES] = {"openFiles", 16, UINT64_C(1048576)},	      /* default nr_open */
	[MXC_LIMIT_FILE_SIZE_MIB] = {"fileSizeMiB", 1, UINT64_C(1073741824)}, /* 1 PiB */
	[MXC_LIMIT_TMP_MIB] = {"tmpMiB", 1, UINT64_C(16777216)},
};

const char *mxc_limit_to_string(enum mxc_limit l)
{
	return (unsigned)l < _MXC_LIMIT_MAX ? limit_defs[l].name : NULL;
}

void mxc_limit_range(enum mxc_limit l, uint64_t *ret_min, uint64_t *ret_max)
{
	const struct limit_def *d = &limit_defs[(unsigned)l < _MXC_LIMIT_MAX ? l : 0];

	if (ret_min)
		*ret_min = d->min;
	if (ret_max)
		*ret_max = d->max;
}

/* Row parser: arg is the struct limit_def, target a struct wopt_u64. */
static int jd_limit(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	const struct limit_def *d = arg;
	struct wopt_u64 *o = target;
	char expected[96];
	json_int_t i;

	(void)snprintf(expected, sizeof(expected), "an integer between %" PRIu64 " and %" PRIu64,
		       d->min, d->max);
	if (!json_is_integer(v))
		return jd_type_error(ctx, v, expected);
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i < d->min || (uint64_t)i > d->max)
		return jd_error(ctx, JD_POS_AFTER,
				"invalid value: integer `%" JSON_INTEGER_FORMAT "`, expected %s", i,
				expected);
	o->set = true;
	o->v = (uint64_t)i;
	return 0;
}

/* The wire name is repeated as a literal (a static initializer cannot read limit_defs). */
#define L(id, name)                                                                                \
	{                                                                                          \
		name, NULL, jd_limit, offsetof(struct w_limits, v[id]), 0, &limit_defs[id]         \
	}

const struct jd_table policy_limits_table = {
	"struct Limits (mxc extension)",
	false,
	(const struct jd_field[]){L(MXC_LIMIT_MEMORY_MIB, "memoryMiB"),
				  L(MXC_LIMIT_PROCESSES, "processes"),
				  L(MXC_LIMIT_CPU_PERCENT, "cpuPercent"),
				  L(MXC_LIMIT_CPU_SECONDS, "cpuSeconds"),
				  L(MXC_LIMIT_OPEN_FILES, "openFiles"),
				  L(MXC_LIMIT_FILE_SIZE_MIB, "fileSizeMiB"),
				  L(MXC_LIMIT_TMP_MIB, "tmpMiB"),
				  {}},
};

int policy_validate_limits(struct policy_state *st)
{
	const struct w_limits *w = &st->w->limits;
	struct mxc_limits *l = &st->c->limits;

	l->present = w->present;
	for (size_t i = 0; i < _MXC_LIMIT_MAX; i++) {
		l->set[i] = w->v[i].set;
		l->v[i] = w->v[i].set ? w->v[i].v : 0;
	}
	return 0;
}
