/* SPDX-License-Identifier: MIT */
/*
 * The plan: what a backend must build, as plain data. Compiled from a
 * validated struct mxc_config by plan_compile(); pure given the host view
 * (struct plan_host), so it is unit-testable with a fake filesystem, and
 * dumpable as JSON (mxc run --dry-run).
 */
#ifndef MXC_PLAN_PLAN_H
#define MXC_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "mxc/mxc.h"
#include "policy/policy.h"

enum plan_op_kind {
	/* Bind host `src` at `dst`, recursively; read-only when `readonly`.
	 * With `try_`, a missing src is skipped (baseline paths). */
	PLAN_BIND,
	/* Create symlink `dst` -> `src` (a baseline path that is a symlink on the host). */
	PLAN_SYMLINK,
	/* Mount an empty tmpfs at `dst` (private /tmp; masked directories use MASK_DIR). */
	PLAN_TMPFS,
	/* The minimal /dev: null zero full random urandom tty, pts/ptmx, shm, fd links. */
	PLAN_DEV,
	/* A fresh procfs at `dst` for the sandbox's PID namespace. */
	PLAN_PROC,
	/* Hide a denied file: bind /dev/null read-only over `dst`. */
	PLAN_MASK_FILE,
	/* Hide a denied directory: empty tmpfs at `dst`, made read-only once every
	 * deeper mount is in place. */
	PLAN_MASK_DIR,
};

/* Which policy item an op comes from (for --dry-run and --debug reports). */
enum plan_origin {
	PLAN_FROM_BASELINE = 0,
	PLAN_FROM_SYSTEM,    /* /dev, /proc, /tmp */
	PLAN_FROM_READWRITE, /* filesystem.readwritePaths */
	PLAN_FROM_READONLY,  /* filesystem.readonlyPaths */
	PLAN_FROM_DENIED,    /* filesystem.deniedPaths */
};

struct plan_op {
	enum plan_op_kind kind;
	enum plan_origin origin;
	char *src;    /* host path (BIND, MASK_FILE source is always /dev/null) or symlink target */
	char *dst;    /* absolute path inside the sandbox */
	char *policy; /* the policy entry as written, NULL for baseline/system ops */
	bool readonly;
	bool try_;
};

enum plan_net_mode {
	PLAN_NET_ISOLATED = 0, /* own network namespace, only lo up */
	PLAN_NET_HOST,	       /* host network namespace */
	/* Own network namespace + user-mode stack (PLAN_NET_STACK) + the nftables
	 * ruleset `nft` loaded by mxc-netd before the workload runs. */
	PLAN_NET_FIREWALL,
	/* Own network namespace with no route out; mxc-netd listens inside on the
	 * proxy endpoint (`proxy`): the filtering proxy, or a relay to an external
	 * proxy. The ruleset `nft` (lo only) is loaded too. */
	PLAN_NET_PROXY,
};

/* The user-mode network stack mxc-netd attaches (docs/network.md). */
#define PLAN_NET_STACK "slirp4netns"
/* The stack's gateway, which slirp4netns can map to the host's loopback. */
#define PLAN_NET_STACK_GATEWAY	"10.0.2.2"
#define PLAN_NET_STACK_DNS	"10.0.2.3" /* forwards to the host's resolver */
#define PLAN_NET_STACK_GATEWAY6 "fd00::2"
#define PLAN_NET_STACK_DNS6	"fd00::3"
/* The NFLOG group the rulesets log denials to (per network namespace). */
#define PLAN_NET_NFLOG_GROUP 7
/* The filtering proxy's port on the sandbox's loopback. */
#define PLAN_NET_FILTER_PORT 3128

struct plan_net_proxy {
	bool relay;	    /* relay to an external proxy; false: mxc's filtering proxy */
	uint16_t port;	    /* listen port inside (and the external proxy's port) */
	char *url;	    /* the value of the proxy variables */
	char *listen;	    /* relay: IPv4 literal to listen on inside; NULL: resolve `host` */
	char *host;	    /* relay: the external proxy's host as configured (no brackets) */
	bool pin;	    /* relay: `host` is a name, pinned in the sandbox's /etc/hosts */
	char **allow;	    /* filter: allowedHosts (NULL-terminated, maybe empty) */
	char **block;	    /* filter: blockedHosts */
	bool default_allow; /* filter: defaultPolicy */
	bool block_local;   /* filter: allowLocalNetwork=false */
	const char *origin; /* static: the config field that asked for it */
};

/* Resource limits (the mxc `limits` extension plus defaults). Index: enum mxc_limit. */
enum plan_cgroup {
	PLAN_CGROUP_NONE = 0,
	PLAN_CGROUP_V1,
	PLAN_CGROUP_V2,
};

enum {
	PLAN_ENF_CGROUP = 1u << 0, /* the plan's cgroup (v1 or v2) */
	PLAN_ENF_RLIMIT = 1u << 1, /* setrlimit in the sandbox's init, inherited */
	PLAN_ENF_TMPFS = 1u << 2,  /* size= of the /tmp and /dev/shm tmpfs */
};

struct plan_limit {
	uint64_t value;	     /* in the config's unit; 0: unlimited */
	bool from_config;    /* given in `limits`, else a default */
	unsigned enforce;    /* PLAN_ENF_* */
	const char *how;     /* static: the mechanism in words ("pids.max", "RLIMIT_NOFILE") */
	const char *why_not; /* static: why not (better) enforced, NULL if fully */
};

struct plan_limits {
	struct plan_limit l[_MXC_LIMIT_MAX];
	enum plan_cgroup cgroup;     /* the cgroup the backend must create */
	unsigned cgroup_controllers; /* PLAN_CTRL_*: which limits it sets */
	int oom_score_adj;	     /* for every process of the sandbox */
};

enum {
	PLAN_CTRL_MEMORY = 1u << 0,
	PLAN_CTRL_PIDS = 1u << 1,
	PLAN_CTRL_CPU = 1u << 2,
};

struct cgroup_host; /* os/cgroup.h */

/* What the host offers for resource limits (struct plan_host.limits_probe). */
struct plan_host_limits {
	enum plan_cgroup cgroup;
	unsigned controllers;		 /* PLAN_CTRL_* usable by the caller */
	uint64_t ram_mib;		 /* physical memory; 0 if unknown */
	const char *why_not;		 /* static: why (some) cgroup controllers are unusable */
	struct cgroup_host *cgroup_host; /* owned, may be NULL: the real probe's result */
};

struct mxc_plan {
	enum mxc_backend_id backend;
	char *version; /* config schema version, "" if absent */
	char *container_id;

	enum plan_net_mode net;
	const char *net_reason; /* static string: why this mode */
	char *nft;		/* FIREWALL/PROXY: nftables ruleset text for the sandbox's netns */
	bool net_ping;		/* FIREWALL: some rule allows ICMP: open ping sockets */
	bool net_host_loopback; /* FIREWALL: an allowedHosts entry inside 10.0.2.0/24 names the
				 * gateway: the stack maps it to the host's loopback (upstream) */
	struct plan_net_proxy proxy; /* PROXY */
	int events_fd;		     /* borrowed: network events (JSON lines), -1: none */

	struct plan_op *ops; /* in execution order (baseline, system, policy by depth) */
	size_t n_ops;

	char **argv;	    /* {"/bin/sh", "-c", commandLine, NULL} */
	char **envp;	    /* exactly the sandbox environment (PWD added by the backend) */
	char *cwd;	    /* NULL: launcher's cwd if visible inside, else "/" */
	char *launcher_cwd; /* the caller's cwd at compile time (for the NULL case) */
	uint32_t timeout_ms;

	struct plan_limits limits;
	/* Owned, NULL with a fake host: the cgroup probe the limits were decided on
	 * (hierarchies, parent cgroups); the backend creates the cgroup from it
	 * instead of probing again. */
	struct cgroup_host *cgroup_host;
	int landlock_abi; /* of this host, for the effective-policy report */

	uid_t uid; /* caller's uid/gid, mapped to themselves */
	gid_t gid;

	/* Decisions taken while compiling (one line each), NULL-terminated. */
	char **notes;

	/* Bubblewrap backend: the exact bwrap argv (lib/backend/bwrap/bwrap-argv.c), NULL
	 * for the other backends. */
	char **bwrap_argv;
};

/* The host as the plan compiler sees it; the default uses the real syscalls,
 * tests substitute a fake. Each returns 0 or a negative errno. */
struct plan_host {
	int (*stat)(const char *path, struct stat *st); /* follows symlinks */
	int (*lstat)(const char *path, struct stat *st);
	int (*readlink)(const char *path, char *buf, size_t len); /* returns length */
	int (*access)(const char *path, int mode);		  /* real uid/gid */
	int (*getcwd)(char *buf, size_t len);
	uid_t (*getuid)(void);
	gid_t (*getgid)(void);
	/* Cgroups and RAM for resource limits; NULL: none usable, RAM unknown. */
	void (*limits_probe)(struct plan_host_limits *ret);
	/* The kernel's Landlock ABI version, 0 without Landlock; NULL: unknown (0). */
	int (*landlock_abi)(void);
};

extern const struct plan_host plan_host_real;

/* The upstream baseline of read-only system paths (mxc-config.md §5.5). */
extern const char *const plan_baseline_paths[];

int plan_compile(const struct mxc_config *c, const struct plan_host *host, struct mxc_plan **ret,
		 struct mxc_error *reterr);
struct mxc_plan *plan_free(struct mxc_plan *p);
/* The plan's limits as a JSON object (plan-limits.c; a json_t *, untyped here). */
void *plan_limits_to_json(const struct plan_limits *l);
int plan_to_json(const struct mxc_plan *p, char **ret);

/* Resolve a path through symlinks as upstream does for denied paths:
 * canonicalise every existing prefix, fold "." and ".." lexically in the
 * part that does not exist. Returns a malloc'd absolute path. */
int plan_resolve_through_symlinks(const struct plan_host *host, const char *path, char **ret);

/* Number of non-empty components, split on '/' and '\\' (depth ordering). */
size_t plan_path_depth(const char *path);

const char *plan_op_kind_to_string(enum plan_op_kind k);
const char *plan_origin_to_string(enum plan_origin o);

#endif
