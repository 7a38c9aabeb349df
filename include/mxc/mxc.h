/* SPDX-License-Identifier: MIT */
/*
 * libmxc: run a process under an MXC (Microsoft eXecution Container) policy.
 *
 * Pipeline: JSON config -> struct mxc_config (parse + validate)
 *                       -> struct mxc_plan   (pure, dumpable)
 *                       -> struct mxc_sandbox (created by a backend)
 *                       -> struct mxc_process (one command run inside it)
 *
 * Conventions (see docs/architecture.md):
 *   - every fallible call returns >= 0 on success or a negative errno;
 *   - the optional `struct mxc_error *reterr` (last argument) is caller
 *     owned; it is filled on failure only;
 *   - `ret_*` outputs are written on success only and transfer ownership;
 *   - the library never prints and never exits.
 *
 * This header is C99 and free of GNU extensions.
 */
#ifndef MXC_MXC_H
#define MXC_MXC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MXC_VERSION "0.1.0"

/* ---- errors ------------------------------------------------------------ */

/* What kind of failure an error is; decides the CLI exit code. */
enum mxc_error_kind {
	MXC_ERROR_NONE = 0,
	MXC_ERROR_CONFIG,  /* config load / parse / validation (CLI exit 1) */
	MXC_ERROR_SELECT,  /* backend could not be selected (CLI exit 1)    */
	MXC_ERROR_BACKEND, /* backend refusal or runtime failure (exit 255) */
	MXC_ERROR_TIMEOUT, /* process.timeout expired (exit 255)            */
};

struct mxc_error {
	int code; /* negative errno */
	enum mxc_error_kind kind;
	char type[32];	       /* envelope code: "backend_error", "timeout", ... */
	char msg[1024];	       /* human readable, already escaped */
	char where[256];       /* JSON path ("process.timeout") or host path */
	unsigned line, column; /* 1-based position in the config, 0 if unknown */
};

/* Clear an error record. */
void mxc_error_clear(struct mxc_error *e);

/* ---- logging ----------------------------------------------------------- */

enum mxc_log_level {
	MXC_LOG_ERROR = 3,
	MXC_LOG_WARNING = 4,
	MXC_LOG_INFO = 6,
	MXC_LOG_DEBUG = 7,
};

typedef void (*mxc_log_func_t)(enum mxc_log_level level, const char *msg, void *userdata);

/* Install the library's log sink (NULL disables logging, the default). */
void mxc_set_log_func(mxc_log_func_t fn, void *userdata);

/* ---- config ------------------------------------------------------------ */

struct mxc_config;

struct mxc_parse_options {
	bool experimental;	     /* --experimental */
	bool allow_testing_features; /* --allow-testing-features */
	/* argv that overrides process.commandLine (NULL-terminated, may be NULL);
	 * it is POSIX-quoted for `sh -c`. */
	const char *const *command_override;
};

int mxc_config_parse(const char *json, size_t len, const struct mxc_parse_options *opts,
		     struct mxc_config **ret, struct mxc_error *reterr);
int mxc_config_load_file(const char *path, const struct mxc_parse_options *opts,
			 struct mxc_config **ret, struct mxc_error *reterr);
int mxc_config_load_base64(const char *b64, const struct mxc_parse_options *opts,
			   struct mxc_config **ret, struct mxc_error *reterr);
struct mxc_config *mxc_config_free(struct mxc_config *c);

/* Log lines the parser produced (warnings, normalisation notes), NULL-terminated. */
const char *const *mxc_config_notes(const struct mxc_config *c);

/* The validated config as JSON (caller frees). */
int mxc_config_to_json(const struct mxc_config *c, char **ret, struct mxc_error *reterr);

/* ---- plan -------------------------------------------------------------- */

struct mxc_plan;

int mxc_plan_compile(const struct mxc_config *c, struct mxc_plan **ret, struct mxc_error *reterr);
struct mxc_plan *mxc_plan_free(struct mxc_plan *p);
int mxc_plan_to_json(const struct mxc_plan *p, char **ret, struct mxc_error *reterr);
/* Name of the backend the plan is for ("namespaces", ...). */
const char *mxc_plan_backend(const struct mxc_plan *p);
/* process.timeout in milliseconds, 0 = none. */
uint32_t mxc_plan_timeout_ms(const struct mxc_plan *p);
/* Where sandboxes created from this plan write their events: one JSON object
 * per line (network decisions: time, sandbox, source, decision, protocol,
 * host, address, port, rule; docs/network.md). `fd` is borrowed and must
 * stay open until the sandbox is destroyed; -1: no events. */
int mxc_plan_set_events_fd(struct mxc_plan *p, int fd);

/* ---- sandbox and processes --------------------------------------------- */

struct mxc_sandbox;

/* Create the sandbox the plan describes (namespaces, root filesystem, PID 1).
 * Nothing of the workload runs yet. */
int mxc_sandbox_create(const struct mxc_plan *p, struct mxc_sandbox **ret,
		       struct mxc_error *reterr);

struct mxc_exec_spec {
	const char *const *argv; /* NULL: the plan's `sh -c commandLine` */
	const char *const *envp; /* NULL: the plan's environment */
	const char *cwd;	 /* NULL: the plan's working directory */
	int stdio[3];		 /* fds handed to the process (borrowed); -1 = /dev/null */
	/* PTY mode: the process gets a new pseudo-terminal of the sandbox as its
	 * controlling terminal and as stdin, stdout and stderr (stdio is ignored;
	 * stdout and stderr are merged). The master end is returned in
	 * *ret_pty_master (owned by the caller, close-on-exec); the caller relays
	 * it. Reading the master fails with EIO once the sandbox's side is closed. */
	bool pty;
	unsigned short pty_rows, pty_cols; /* initial window size; 0 = unset */
	int *ret_pty_master;		   /* required with pty */
};

/* Start a process in the sandbox; returns its pid as seen from the host (> 0). */
int mxc_sandbox_exec(struct mxc_sandbox *sb, const struct mxc_exec_spec *spec,
		     struct mxc_error *reterr);

/* Wait for the process started by mxc_sandbox_exec. timeout_ms < 0 waits forever.
 * On exit *ret_status is a wait(2) status. Returns -ETIMEDOUT if the time ran out
 * (the process is left running), -EINTR if a signal arrived first. */
int mxc_sandbox_wait(struct mxc_sandbox *sb, int pid, int timeout_ms, int *ret_status,
		     struct mxc_error *reterr);

/* Forward a signal to the sandbox's workload processes. Async-signal-safe (one
 * sendmsg), so a signal handler may call it. */
int mxc_sandbox_signal(struct mxc_sandbox *sb, int sig);

/* Kill every process of the sandbox and release everything it holds. */
struct mxc_sandbox *mxc_sandbox_destroy(struct mxc_sandbox *sb);

#ifdef __cplusplus
}
#endif
#endif
