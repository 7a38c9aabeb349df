/* SPDX-License-Identifier: MIT */
/*
 * Resource limits of the namespace backend, as the plan decided them
 * (plan-limits.c):
 *
 *   parent, before clone3 : remove stale mxc cgroups, create the sandbox's
 *                           cgroup and write its limits (v2: init is cloned
 *                           straight into it with CLONE_INTO_CGROUP; v1: the
 *                           parent opens the hierarchies' "tasks" files)
 *   child (PID 1)         : v1: first of all, moves itself in through those
 *                           fds (writing "0": no global lock, no RCU grace
 *                           period, unlike the parent writing init's pid to
 *                           cgroup.procs) and reports the result with READY,
 *                           so no workload starts before init is inside;
 *                           the OOM score at once (inherited by every workload)
 *   workload, before exec : the rlimits; init itself stays unlimited so it can
 *                           always serve requests, reap and report
 *   parent, destroy       : after init is reaped (the kernel has killed the
 *                           PID namespace), kill stragglers and rmdir
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/resource.h>

#include "core/error.h"
#include "core/log.h"
#include "ns-internal.h"
#include "os/cgroup.h"
#include "os/rlimit.h"

#define CPU_PERIOD_US 100000u

/* Is any limit that needs the cgroup asked for explicitly? Which one. */
static int explicit_cgroup_limit(const struct mxc_plan *p)
{
	for (int i = 0; i < _MXC_LIMIT_MAX; i++)
		if ((p->limits.l[i].enforce & PLAN_ENF_CGROUP) && p->limits.l[i].from_config)
			return i;
	return -1;
}

static int cgroup_fail(const struct mxc_plan *p, struct cgroup *cg, int r, const char *what,
		       struct mxc_error *reterr)
{
	int l = explicit_cgroup_limit(p);

	(void)cgroup_destroy(cg);
	if (l >= 0) {
		char where[64];

		(void)mxc_error_set(
			reterr, r, MXC_ERROR_BACKEND,
			"limits.%s cannot be enforced: failed to %s the sandbox's cgroup: "
			"%s",
			mxc_limit_to_string(l), what, ns_strerror(r));
		(void)snprintf(where, sizeof(where), "limits.%s", mxc_limit_to_string(l));
		mxc_error_where(reterr, where, 0, 0);
		return r;
	}
	log_info("Resource limits: failed to %s the sandbox's cgroup (%s); the default memory, "
		 "process and CPU limits are not enforced by a cgroup for this run",
		 what, ns_strerror(r));
	return 0;
}

int ns_limits_cgroup_setup(const struct mxc_plan *p, struct cgroup **ret, struct mxc_error *reterr)
{
	const struct plan_limits *L = &p->limits;
	struct cgroup_host h;
	struct cgroup *cg = NULL;
	unsigned want = 0;
	int n, r;

	*ret = NULL;
	if (L->cgroup == PLAN_CGROUP_NONE)
		return 0;
	/* The probe the plan was compiled with; probe again only without one. */
	if (p->cgroup_host)
		h = *p->cgroup_host;
	else
		cgroup_probe(&h);
	n = cgroup_cleanup_stale(&h);
	if (n > 0)
		log_debug("ns: removed %d stale mxc cgroup(s) left by processes that are gone", n);
	if ((int)h.version != (int)(L->cgroup == PLAN_CGROUP_V2 ? CGROUP_V2 : CGROUP_V1))
		return cgroup_fail(p, NULL, -EOPNOTSUPP, "find the planned cgroup version for",
				   reterr);
	if (L->cgroup_controllers & PLAN_CTRL_MEMORY)
		want |= CGROUP_CTRL_MEMORY;
	if (L->cgroup_controllers & PLAN_CTRL_PIDS)
		want |= CGROUP_CTRL_PIDS;
	if (L->cgroup_controllers & PLAN_CTRL_CPU)
		want |= CGROUP_CTRL_CPU;

	r = cgroup_create(&h, want, &cg);
	if (r < 0)
		return cgroup_fail(p, NULL, r, "create", reterr);
	if (want & CGROUP_CTRL_MEMORY) {
		r = cgroup_set_memory(cg, L->l[MXC_LIMIT_MEMORY_MIB].value << 20);
		if (r < 0)
			return cgroup_fail(p, cg, r, "set the memory limit of", reterr);
	}
	if (want & CGROUP_CTRL_PIDS) {
		r = cgroup_set_pids(cg, L->l[MXC_LIMIT_PROCESSES].value + 1);
		if (r < 0)
			return cgroup_fail(p, cg, r, "set the process limit of", reterr);
	}
	if (want & CGROUP_CTRL_CPU) {
		r = cgroup_set_cpu(cg, L->l[MXC_LIMIT_CPU_PERCENT].value * (CPU_PERIOD_US / 100),
				   CPU_PERIOD_US);
		if (r < 0)
			return cgroup_fail(p, cg, r, "set the CPU quota of", reterr);
	}
	log_debug("ns: cgroup %s (%s): memory %s, pids %s, cpu %s", cgroup_path(cg),
		  h.version == CGROUP_V2 ? "v2" : "v1", want & CGROUP_CTRL_MEMORY ? "limited" : "-",
		  want & CGROUP_CTRL_PIDS ? "limited" : "-",
		  want & CGROUP_CTRL_CPU ? "limited" : "-");
	*ret = cg;
	return 0;
}

int ns_limits_cgroup_prepare_join(const struct mxc_plan *p, struct cgroup **cg,
				  struct mxc_error *reterr)
{
	int r;

	if (!*cg || cgroup_dirfd(*cg) >= 0) /* none, or v2: init is cloned straight into it */
		return 0;
	r = cgroup_open_self_attach(*cg);
	if (r < 0) {
		struct cgroup *c = *cg;

		*cg = NULL;
		return cgroup_fail(p, c, r, "open the tasks files of", reterr);
	}
	return 0;
}

int ns_limits_cgroup_join(const struct cgroup *cg)
{
	return cg && cgroup_dirfd(cg) < 0 ? cgroup_attach_self(cg) : 0;
}

int ns_limits_cgroup_joined(const struct mxc_plan *p, struct cgroup *cg, int child_error,
			    struct mxc_error *reterr)
{
	int l = explicit_cgroup_limit(p);

	if (!cg || child_error >= 0)
		return 0;
	/* Init is alive and (perhaps partly) inside: the cgroup stays until destroy. */
	if (l >= 0) {
		char where[64];

		(void)mxc_error_set(reterr, child_error, MXC_ERROR_BACKEND,
				    "limits.%s cannot be enforced: failed to move the sandbox's "
				    "init into the sandbox's cgroup: %s",
				    mxc_limit_to_string(l), ns_strerror(child_error));
		(void)snprintf(where, sizeof(where), "limits.%s", mxc_limit_to_string(l));
		mxc_error_where(reterr, where, 0, 0);
		return child_error;
	}
	log_info("Resource limits: failed to move the sandbox's init into the sandbox's cgroup "
		 "(%s); the default memory, process and CPU limits are not enforced by a cgroup "
		 "for this run",
		 ns_strerror(child_error));
	return 0;
}

void ns_limits_cgroup_teardown(struct cgroup *cg)
{
	uint64_t kills;
	int r;

	if (!cg)
		return;
	kills = cgroup_oom_kills(cg);
	if (kills)
		log_info("The sandbox reached limits.memoryMiB: the kernel's OOM killer killed "
			 "%" PRIu64 " process(es) in it",
			 kills);
	r = cgroup_destroy(cg);
	if (r < 0)
		log_warning("WARNING: failed to remove the sandbox's cgroup: %s (the next run "
			    "removes it once it is empty)",
			    ns_strerror(r));
}

static int cap(int resource, const char *name, uint64_t v, struct mxc_error *e)
{
	int r = rlimit_cap(resource, v);

	if (r < 0)
		return ns_fail(e, r, "Failed to set %s in the sandbox: %s", name, ns_strerror(r));
	return 0;
}

/* The plan, kept by the sandbox's init for the workloads it starts. */
static const struct mxc_plan *workload_plan;

void ns_limits_keep_for_workloads(const struct mxc_plan *p)
{
	workload_plan = p;
}

int ns_limits_workload(struct mxc_error *e)
{
	return workload_plan ? ns_limits_apply_rlimits(workload_plan, e) : 0;
}

int ns_limits_apply_rlimits(const struct mxc_plan *p, struct mxc_error *e)
{
	const struct plan_limit *l = p->limits.l;
	int r;

	r = cap(RLIMIT_CORE, "RLIMIT_CORE", 0, e);
	if (r >= 0 && l[MXC_LIMIT_OPEN_FILES].value)
		r = cap(RLIMIT_NOFILE, "RLIMIT_NOFILE", l[MXC_LIMIT_OPEN_FILES].value, e);
	if (r >= 0 && l[MXC_LIMIT_PROCESSES].value)
		r = cap(RLIMIT_NPROC, "RLIMIT_NPROC", l[MXC_LIMIT_PROCESSES].value + 1, e);
	if (r >= 0 && l[MXC_LIMIT_FILE_SIZE_MIB].value)
		r = cap(RLIMIT_FSIZE, "RLIMIT_FSIZE", l[MXC_LIMIT_FILE_SIZE_MIB].value << 20, e);
	if (r >= 0 && l[MXC_LIMIT_CPU_SECONDS].value)
		r = cap(RLIMIT_CPU, "RLIMIT_CPU", l[MXC_LIMIT_CPU_SECONDS].value, e);
	if (r >= 0 && (l[MXC_LIMIT_MEMORY_MIB].enforce & PLAN_ENF_RLIMIT))
		r = cap(RLIMIT_DATA, "RLIMIT_DATA", l[MXC_LIMIT_MEMORY_MIB].value << 20, e);
	return r;
}

int ns_limits_oom_score(const struct mxc_plan *p)
{
	return oom_score_adj_set(p->limits.oom_score_adj);
}
