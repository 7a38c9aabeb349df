/* SPDX-License-Identifier: MIT */
/*
 * The namespace backend's internals: the parent <-> PID 1 protocol on the
 * sync socket, the root filesystem builder and the init loop.
 *
 * Everything that runs in the child (ns-rootfs.c, ns-init.c) is careful not
 * to allocate with malloc: the child comes from a raw clone3() of a caller
 * that may have other threads holding allocator locks.
 */
#ifndef MXC_BACKEND_NS_INTERNAL_H
#define MXC_BACKEND_NS_INTERNAL_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/macro.h"
#include "mxc/mxc.h"
#include "plan/plan.h"

struct cgroup;

enum ns_msg_type {
	NS_MSG_GO = 1,	  /* parent -> child: id maps written, go on */
	NS_MSG_READY,	  /* child -> parent: root filesystem done, init serving */
	NS_MSG_ERROR,	  /* either way: a failure record */
	NS_MSG_EXEC,	  /* parent -> init: start a process (+3 stdio fds, none with a pty) */
	NS_MSG_EXEC_DATA, /* parent -> init: a chunk of the EXEC strings */
	NS_MSG_EXEC_OK,	  /* init -> parent: started (SCM_CREDENTIALS: its pid; + pty master) */
	NS_MSG_EXIT,	  /* init -> parent: a started process exited */
	NS_MSG_SIGNAL,	  /* parent -> init: forward a signal to the workload */
};

/* A failure in the child, rebuilt in the parent's reterr. */
struct ns_msg_error {
	int32_t code; /* negative errno */
	int32_t kind; /* enum mxc_error_kind */
	char msg[1024];
	char where[256];
};

#define NS_EXEC_CWD_STRICT 0x1u /* cwd must exist; otherwise try it, then "/" */
#define NS_EXEC_PTY	   0x2u /* a new pty of the sandbox; EXEC_OK carries its master */
#define NS_CHUNK_SIZE	   32768u

struct ns_msg {
	uint32_t type;
	uint32_t pad;
	union {
		struct {
			uint64_t usec_prepare; /* host view: trees cloned, root pivoted */
			uint64_t usec_wait;    /* waiting for the id maps */
			uint64_t usec_attach;  /* mounts attached in the new root */
			int32_t cgroup_error;  /* v1: init moving itself into its cgroup */
			int32_t pad;
		} ready;
		struct ns_msg_error error;
		struct {
			/* Strings follow in EXEC_DATA chunks, NUL-separated: argv,
			 * envp, cwd. */
			uint32_t argc, envc, flags, data_len;
			uint16_t pty_rows, pty_cols; /* NS_EXEC_PTY: window size, 0 = unset */
		} exec;
		struct {
			int32_t pid; /* in the sandbox's PID namespace */
		} exec_ok;
		struct {
			int32_t pid; /* in the sandbox's PID namespace */
			int32_t status;
		} exit;
		struct {
			int32_t sig;
		} signal;
	};
};

/* NS_MSG_EXEC_DATA: a piece of the strings of the EXEC before it. */
struct ns_msg_chunk {
	uint32_t type;
	uint32_t pad;
	char data[NS_CHUNK_SIZE];
};

#define NS_MSG_SIZE(field) (offsetof(struct ns_msg, field) + sizeof(((struct ns_msg *)0)->field))

/* Per-op scratch, allocated by the parent before clone3 (the child uses its copy). */
#define NS_OP_MAX_FDS 9
struct ns_op_slot {
	int fd[NS_OP_MAX_FDS]; /* detached mounts; -1 none, -2 skipped (try_) */
	bool is_dir;
};

/* Defence in depth (ns-harden.c), decided by the parent before clone3: what
 * the workload gets on top of the namespaces, and why not more. */
struct ns_harden {
	struct sock_fprog seccomp; /* owned: the workload's filter */
	int landlock_abi;	   /* the kernel's Landlock ABI, 0: none */
	int landlock_error;	   /* without Landlock: why (negative errno) */
	uint64_t landlock_fs;	   /* handled rights; 0 when Landlock is not applied */
	uint64_t landlock_net;	   /* TCP bind/connect: ABI >= 4 and an isolated network */
	uint64_t landlock_scoped;  /* abstract unix sockets, signals: ABI >= 6 */
};

struct ns_child_args {
	const struct mxc_plan *plan;
	const struct cgroup *cgroup;	/* v1: the cgroup init moves itself into; or NULL */
	struct ns_op_slot *slots;	/* plan->n_ops entries */
	int sock;			/* child end of the sync socket */
	const struct ns_harden *harden; /* the child's copy of the parent's */
	const char *hosts;		/* content pinned at /etc/hosts, or NULL */
};

/* Parent: build the seccomp filter, probe Landlock. */
int ns_harden_prepare(const struct mxc_plan *p, struct ns_harden *h, struct mxc_error *reterr);
void ns_harden_release(struct ns_harden *h);
/* Child, once the root is final: the Landlock ruleset every workload applies. */
int ns_harden_init(const struct ns_child_args *a, struct mxc_error *e);
/* Workload, last before execve: Landlock, then seccomp. */
int ns_harden_workload(struct mxc_error *e);
/* The Landlock rights the plan grants at op->dst (0: none), within handled_fs. */
uint64_t ns_landlock_access(const struct plan_op *op, uint64_t handled_fs);

/* Child side: fill *e and return its code (never allocates). */
int ns_fail(struct mxc_error *e, int code, const char *fmt, ...) _printf_(3, 4);
const char *ns_strerror(int code);

/* Child: host-view preparation before the id maps exist (clones, procfs,
 * tmpfs mounts, pivot into the new root). */
int ns_rootfs_prepare(const struct ns_child_args *a, int *ret_rootfd, struct mxc_error *e);
/* Child: after the id maps: create mountpoints, attach everything, seal. */
int ns_rootfs_attach(const struct ns_child_args *a, int rootfd, struct mxc_error *e);

/* Child: send a failure record and _exit. */
_noreturn_ void ns_child_die(int sock, const struct mxc_error *e);

/* Child, as PID 1 once the sandbox is ready: serve the parent until it goes. */
_noreturn_ void ns_init_run(int sock);

/* Resource limits (ns-limits.c). Parent: the sandbox's cgroup (NULL: none). */
int ns_limits_cgroup_setup(const struct mxc_plan *p, struct cgroup **ret, struct mxc_error *reterr);
/* v1, parent before clone3: open what init needs to move itself in (v2 clones it
 * there); drops *cg when that fails for defaults only. */
int ns_limits_cgroup_prepare_join(const struct mxc_plan *p, struct cgroup **cg,
				  struct mxc_error *reterr);
/* v1, init first of all (no malloc): move itself in. Returns 0 or a negative errno. */
int ns_limits_cgroup_join(const struct cgroup *cg);
/* Parent, with READY: init's result; fails for explicit limits only. */
int ns_limits_cgroup_joined(const struct mxc_plan *p, struct cgroup *cg, int child_error,
			    struct mxc_error *reterr);
/* Report OOM kills, kill what is left, remove the cgroup. */
void ns_limits_cgroup_teardown(struct cgroup *cg);
/* Child (no malloc): rlimits inherited by every process init forks; the OOM score. */
int ns_limits_apply_rlimits(const struct mxc_plan *p, struct mxc_error *e);
/* Init: remember the plan; workload, last before execve: apply its rlimits (init itself
 * stays unlimited, so it can always serve, reap and report). */
void ns_limits_keep_for_workloads(const struct mxc_plan *p);
int ns_limits_workload(struct mxc_error *e);
int ns_limits_oom_score(const struct mxc_plan *p);

#endif
