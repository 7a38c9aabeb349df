/* SPDX-License-Identifier: MIT */
/*
 * Resource limits: the config's `limits` (an mxc extension) or the defaults,
 * and for each one the mechanism that enforces it on this host:
 *
 *   memoryMiB   cgroup memory controller; without one: RLIMIT_DATA per process
 *               for the default, a refusal when the config asks for it
 *   processes   cgroup pids controller (+1 for the sandbox's init) and
 *               RLIMIT_NPROC (counted per uid in the sandbox's own user
 *               namespace; the kernel ignores it for uid 0)
 *   cpuPercent  cgroup cpu quota (refused without one)
 *   cpuSeconds  RLIMIT_CPU, openFiles RLIMIT_NOFILE, fileSizeMiB RLIMIT_FSIZE
 *   tmpMiB      size= of the /tmp and /dev/shm tmpfs (each)
 *
 * The host is probed through struct plan_host.limits_probe, so the dry-run
 * plan says what a run would enforce, and tests substitute any host.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "plan-internal.h"

#define DEFAULT_MEMORY_CAP_MIB 4096u
#define DEFAULT_PROCESSES      1024u
#define DEFAULT_OPEN_FILES     1024u
#define DEFAULT_TMP_CAP_MIB    1024u
#define SANDBOX_OOM_SCORE_ADJ  1000

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Defaults: memory min(4 GiB, RAM/2), /tmp min(1 GiB, RAM/4); never below the minimum. */
static uint64_t default_value(enum mxc_limit l, uint64_t ram_mib)
{
	uint64_t lo, v;

	mxc_limit_range(l, &lo, NULL);
	switch (l) {
	case MXC_LIMIT_MEMORY_MIB:
		v = ram_mib ? min_u64(DEFAULT_MEMORY_CAP_MIB, ram_mib / 2) : DEFAULT_MEMORY_CAP_MIB;
		break;
	case MXC_LIMIT_PROCESSES:
		return DEFAULT_PROCESSES;
	case MXC_LIMIT_OPEN_FILES:
		return DEFAULT_OPEN_FILES;
	case MXC_LIMIT_TMP_MIB:
		v = ram_mib ? min_u64(DEFAULT_TMP_CAP_MIB, ram_mib / 4) : DEFAULT_TMP_CAP_MIB;
		break;
	case MXC_LIMIT_CPU_PERCENT:
	case MXC_LIMIT_CPU_SECONDS:
	case MXC_LIMIT_FILE_SIZE_MIB:
	default:
		return 0; /* unlimited */
	}
	return v < lo ? lo : v;
}

static int refuse(enum mxc_limit l, const char *why, struct mxc_error *reterr)
{
	const char *name = mxc_limit_to_string(l);
	char where[64];

	(void)mxc_error_set(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND,
			    "limits.%s cannot be enforced on this host: %s; mxc refuses to run "
			    "rather than ignore it (remove limits.%s, or run as root or with a "
			    "writable, delegated cgroup v2 subtree)",
			    name, why, name);
	(void)snprintf(where, sizeof(where), "limits.%s", name);
	mxc_error_where(reterr, where, 0, 0);
	return -EOPNOTSUPP;
}

static const char *cgroup_word(enum plan_cgroup g)
{
	return g == PLAN_CGROUP_V2 ? "cgroup-v2" : g == PLAN_CGROUP_V1 ? "cgroup-v1" : "none";
}

int plan_compile_limits(const struct mxc_config *c, const struct plan_host *host,
			struct mxc_plan *p, struct mxc_error *reterr)
{
	struct plan_host_limits h = {.cgroup = PLAN_CGROUP_NONE};
	struct plan_limits *L = &p->limits;
	const char *no_cg;
	bool v2;

	if (host->limits_probe)
		host->limits_probe(&h);
	free(p->cgroup_host);
	p->cgroup_host = h.cgroup_host; /* owned by the plan from here on */
	if (h.cgroup == PLAN_CGROUP_NONE)
		h.controllers = 0;
	no_cg = h.why_not ? h.why_not : "no usable cgroup controller";
	v2 = h.cgroup == PLAN_CGROUP_V2;
	memset(L, 0, sizeof(*L));
	L->oom_score_adj = SANDBOX_OOM_SCORE_ADJ;
	for (size_t i = 0; i < _MXC_LIMIT_MAX; i++) {
		L->l[i].from_config = c->limits.set[i];
		L->l[i].value = c->limits.set[i] ? c->limits.v[i] : default_value(i, h.ram_mib);
	}

	/* memory */
	{
		struct plan_limit *m = &L->l[MXC_LIMIT_MEMORY_MIB];
		if (h.controllers & PLAN_CTRL_MEMORY) {
			m->enforce = PLAN_ENF_CGROUP;
			m->how = v2 ? "memory.max, memory.swap.max=0"
				    : "memory.limit_in_bytes (+ memory.memsw.limit_in_bytes)";
			L->cgroup_controllers |= PLAN_CTRL_MEMORY;
		} else if (m->from_config) {
			return refuse(MXC_LIMIT_MEMORY_MIB, no_cg, reterr);
		} else {
			m->enforce = PLAN_ENF_RLIMIT;
			m->how = "RLIMIT_DATA (per process)";
			m->why_not =
				"no usable cgroup memory controller: the default is applied "
				"per process only; the sandbox's OOM score is raised to 1000 so "
				"the host's OOM killer picks it first";
		}
	}
	/* processes */
	{
		struct plan_limit *n = &L->l[MXC_LIMIT_PROCESSES];
		bool nproc = p->uid != 0; /* the kernel exempts uid 0 (INIT_USER) */
		if (h.controllers & PLAN_CTRL_PIDS) {
			n->enforce = PLAN_ENF_CGROUP | (nproc ? PLAN_ENF_RLIMIT : 0);
			n->how = nproc ? "pids.max (+1 for the sandbox's init), RLIMIT_NPROC"
				       : "pids.max (+1 for the sandbox's init)";
			L->cgroup_controllers |= PLAN_CTRL_PIDS;
		} else if (nproc) {
			n->enforce = PLAN_ENF_RLIMIT;
			n->how = "RLIMIT_NPROC (+1 for the sandbox's init; counted per uid in the "
				 "sandbox's own user namespace)";
		} else if (n->from_config) {
			return refuse(
				MXC_LIMIT_PROCESSES,
				"no usable cgroup pids controller, and the kernel does not apply "
				"RLIMIT_NPROC to uid 0",
				reterr);
		} else {
			n->why_not =
				"no usable cgroup pids controller, and the kernel does not apply "
				"RLIMIT_NPROC to uid 0";
		}
	}
	/* cpuPercent (no default) */
	{
		struct plan_limit *q = &L->l[MXC_LIMIT_CPU_PERCENT];
		if (q->value && (h.controllers & PLAN_CTRL_CPU)) {
			q->enforce = PLAN_ENF_CGROUP;
			q->how = v2 ? "cpu.max" : "cpu.cfs_quota_us / cpu.cfs_period_us";
			L->cgroup_controllers |= PLAN_CTRL_CPU;
		} else if (q->value) {
			return refuse(MXC_LIMIT_CPU_PERCENT, no_cg, reterr);
		}
	}
	if (L->l[MXC_LIMIT_CPU_SECONDS].value) {
		L->l[MXC_LIMIT_CPU_SECONDS].enforce = PLAN_ENF_RLIMIT;
		L->l[MXC_LIMIT_CPU_SECONDS].how = "RLIMIT_CPU (CPU time of each process)";
	}
	L->l[MXC_LIMIT_OPEN_FILES].enforce = PLAN_ENF_RLIMIT;
	L->l[MXC_LIMIT_OPEN_FILES].how = "RLIMIT_NOFILE";
	if (L->l[MXC_LIMIT_FILE_SIZE_MIB].value) {
		L->l[MXC_LIMIT_FILE_SIZE_MIB].enforce = PLAN_ENF_RLIMIT;
		L->l[MXC_LIMIT_FILE_SIZE_MIB].how = "RLIMIT_FSIZE";
	}
	L->l[MXC_LIMIT_TMP_MIB].enforce = PLAN_ENF_TMPFS;
	L->l[MXC_LIMIT_TMP_MIB].how = "size= and nr_inodes= of the /tmp and /dev/shm tmpfs (each)";

	L->cgroup = L->cgroup_controllers ? h.cgroup : PLAN_CGROUP_NONE;

	for (size_t i = 0; i < _MXC_LIMIT_MAX; i++) {
		const struct plan_limit *x = &L->l[i];
		char val[32], by[64];

		if (x->value)
			(void)snprintf(val, sizeof(val), "%llu", (unsigned long long)x->value);
		else
			(void)snprintf(val, sizeof(val), "unlimited");
		(void)snprintf(by, sizeof(by), "%s%s%s",
			       x->enforce & PLAN_ENF_CGROUP ? cgroup_word(L->cgroup) : "",
			       x->enforce & PLAN_ENF_RLIMIT
				       ? (x->enforce & PLAN_ENF_CGROUP ? " + rlimit" : "rlimit")
				       : "",
			       x->enforce & PLAN_ENF_TMPFS ? "tmpfs" : "");
		if (x->enforce &&
		    plan_note(p, "limits.%s = %s (%s): enforced by %s (%s)%s%s",
			      mxc_limit_to_string(i), val, x->from_config ? "config" : "default",
			      by, x->how, x->why_not ? "; " : "", x->why_not ? x->why_not : "") < 0)
			return -ENOMEM;
		if (!x->enforce && x->value &&
		    plan_note(p, "limits.%s = %s (%s): not enforced (%s)", mxc_limit_to_string(i),
			      val, x->from_config ? "config" : "default",
			      x->why_not ? x->why_not : "no mechanism") < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- JSON ------------------------------------------------------------------ */

void *plan_limits_to_json(const struct plan_limits *L)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "cgroup",
			    json_string(L->cgroup == PLAN_CGROUP_V2   ? "v2"
					: L->cgroup == PLAN_CGROUP_V1 ? "v1"
								      : "none"));
	json_object_set_new(o, "oomScoreAdj", json_integer(L->oom_score_adj));
	for (size_t i = 0; i < _MXC_LIMIT_MAX; i++) {
		const struct plan_limit *x = &L->l[i];
		json_t *e = json_object(), *by = json_array();

		if (!e || !by) {
			json_decref(e);
			json_decref(by);
			json_decref(o);
			return NULL;
		}
		if (x->enforce & PLAN_ENF_CGROUP)
			json_array_append_new(by, json_string(cgroup_word(L->cgroup)));
		if (x->enforce & PLAN_ENF_RLIMIT)
			json_array_append_new(by, json_string("rlimit"));
		if (x->enforce & PLAN_ENF_TMPFS)
			json_array_append_new(by, json_string("tmpfs"));
		json_object_set_new(e, "value",
				    x->value ? json_integer((json_int_t)x->value) : json_null());
		json_object_set_new(e, "source",
				    json_string(x->from_config ? "config" : "default"));
		json_object_set_new(e, "enforcedBy", by);
		if (x->how)
			json_object_set_new(e, "mechanism", json_string(x->how));
		if (x->why_not)
			json_object_set_new(e, "note", json_string(x->why_not));
		json_object_set_new(o, mxc_limit_to_string(i), e);
	}
	json_object_set_new(o, "coreDumps",
			    json_pack("{s:i, s:[s], s:s}", "value", 0, "enforcedBy", "rlimit",
				      "mechanism", "RLIMIT_CORE"));
	return o;
}
