/* SPDX-License-Identifier: MIT */
/*
 * Control groups for one sandbox: find a hierarchy the caller may write to
 * (cgroup v2, else the v1 controllers), create a uniquely named child cgroup
 * below the caller's own cgroup, set memory / pids / cpu limits, move a
 * process in, and kill and remove it again. Plain numbers and paths only.
 *
 * v2: the parent is the caller's cgroup when that is the hierarchy's root,
 * or its parent when that one is writable and already delegates the
 * controllers (a supervisor put the caller in a leaf). v1: for each of the
 * memory, pids and cpu controllers, the caller's cgroup in that hierarchy,
 * when writable.
 *
 * Cgroups are named "mxc-<pid>-<8 hex digits>" (<pid>: the creating process);
 * cgroup_cleanup_stale() removes empty ones whose creator is gone.
 */
#ifndef MXC_OS_CGROUP_H
#define MXC_OS_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum cgroup_version {
	CGROUP_NONE = 0,
	CGROUP_V1,
	CGROUP_V2,
};

enum {
	CGROUP_CTRL_MEMORY = 1u << 0,
	CGROUP_CTRL_PIDS = 1u << 1,
	CGROUP_CTRL_CPU = 1u << 2,
};

enum { CGROUP_V1_MEMORY = 0, CGROUP_V1_PIDS, CGROUP_V1_CPU, _CGROUP_V1_MAX };

struct cgroup_host {
	enum cgroup_version version;
	unsigned controllers; /* CGROUP_CTRL_* usable by the caller */
	bool memsw;	      /* v1: memory.memsw.* (swap accounting) exists */
	bool root_parent; /* v2: the parent is the hierarchy's root (enable controllers there) */
	char parent[_CGROUP_V1_MAX][PATH_MAX]; /* v2: parent[0]; v1: per controller, "" if none */
	const char *why_not; /* static: why nothing (or not everything) is usable */
};

struct cgroup;

/* Look at /proc/self/cgroup and /proc/self/mountinfo. Never fails: an
 * unusable host gives version CGROUP_NONE and why_not. */
void cgroup_probe(struct cgroup_host *ret);

/* Create the sandbox's cgroup with `controllers` (a subset of h->controllers). */
int cgroup_create(const struct cgroup_host *h, unsigned controllers, struct cgroup **ret);

/* Limits. memory: bytes (v1 also caps memory+swap when it can; v2 sets
 * memory.swap.max to 0); pids: tasks; cpu: quota and period in microseconds. */
int cgroup_set_memory(struct cgroup *cg, uint64_t bytes);
int cgroup_set_pids(struct cgroup *cg, uint64_t max);
int cgroup_set_cpu(struct cgroup *cg, uint64_t quota_us, uint64_t period_us);

/* v2: an O_DIRECTORY fd for clone3(CLONE_INTO_CGROUP); -1 for v1. Borrowed. */
int cgroup_dirfd(const struct cgroup *cg);

/* Move `pid` (all its threads) into the cgroup (every v1 hierarchy). */
int cgroup_attach(struct cgroup *cg, pid_t pid);

/*
 * v1: a process moving itself. cgroup_open_self_attach() opens the "tasks"
 * file of each hierarchy (O_CLOEXEC; the caller makes sure only the process
 * to move inherits them, e.g. a child of clone3 that closes them at once);
 * cgroup_attach_self(), called by that (single-threaded) process, writes "0"
 * to each: the kernel moves the calling thread without taking its global
 * threadgroup lock, which cgroup_attach() (a pid written to cgroup.procs)
 * takes and which waits for an RCU grace period (milliseconds). Allocates
 * nothing. The fds are closed by cgroup_close_self_attach() or destroy.
 */
int cgroup_open_self_attach(struct cgroup *cg);
int cgroup_attach_self(const struct cgroup *cg);
void cgroup_close_self_attach(struct cgroup *cg);

/* How many OOM kills the memory limit caused so far (0 if unknown). */
uint64_t cgroup_oom_kills(const struct cgroup *cg);

/* The name ("mxc-<pid>-<hex>") and the path of the first directory. */
const char *cgroup_name(const struct cgroup *cg);
const char *cgroup_path(const struct cgroup *cg);

/* Kill every process left in the cgroup, remove its directories (retrying
 * while the kernel still counts exiting tasks, up to about a second), free
 * it. Returns the first error (-EBUSY if something could not be removed). */
int cgroup_destroy(struct cgroup *cg);

/* Remove empty "mxc-<pid>-*" cgroups under h's parents whose <pid> no longer
 * exists (left behind by a creator that was SIGKILLed). Returns how many. */
int cgroup_cleanup_stale(const struct cgroup_host *h);

#endif
