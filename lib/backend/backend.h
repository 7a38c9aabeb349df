/* SPDX-License-Identifier: MIT */
/*
 * Backends execute a plan. Each backend is a vtable registered in backend.c.
 * The lifecycle is split so a sandbox can outlive one command:
 *   create  : namespaces, root filesystem, PID 1 ready; nothing of the workload runs
 *   exec    : start one process inside (may be called again while the sandbox lives)
 *   wait    : wait for a started process
 *   signal  : forward a signal to the workload
 *   destroy : kill everything, release everything
 */
#ifndef MXC_BACKEND_BACKEND_H
#define MXC_BACKEND_BACKEND_H

#include "mxc/mxc.h"
#include "plan/plan.h"

struct backend_ops {
	const char *name;
	/* Optional, pure: add the backend's own rendering to a compiled plan (e.g. the bwrap
	 * argv), so --dry-run shows exactly what will run. */
	int (*finish_plan)(struct mxc_plan *p);
	/* 0 if usable on this host, else a negative errno with the reason in reterr. */
	int (*probe)(struct mxc_error *reterr);
	int (*create)(const struct mxc_plan *p, void **ret_state, struct mxc_error *reterr);
	int (*exec)(void *state, const struct mxc_exec_spec *spec, struct mxc_error *reterr);
	int (*wait)(void *state, int pid, int timeout_ms, int *ret_status,
		    struct mxc_error *reterr);
	int (*signal)(void *state, int sig);
	void (*destroy)(void *state);
};

/* The backend for a plan's backend id, or NULL if mxc has none for it. */
const struct backend_ops *backend_lookup(enum mxc_backend_id id);

/* Run the plan's backend's finish_plan hook, if any (0 when there is none). */
int backend_finish_plan(struct mxc_plan *p);

extern const struct backend_ops backend_namespaces;
extern const struct backend_ops backend_bubblewrap; /* bwrap/ */

#endif
