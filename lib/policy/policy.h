/* SPDX-License-Identifier: MIT */
/*
 * The validated MXC config model (internal). Filled by policy-parse.c from the
 * JSON wire format, checked by policy-validate.c, read by plan/.
 *
 * Every string and vector here is owned by struct mxc_config. Optional
 * fields carry a `has_` flag: JSON `null` and an absent key both leave it false.
 * Vectors are NULL-terminated and never NULL after a successful parse (an
 * absent list is an empty vector).
 */
#ifndef MXC_POLICY_POLICY_H
#define MXC_POLICY_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "mxc/mxc.h"

/* `containment` as written (deprecated aliases already folded). */
enum mxc_containment {
	MXC_CONTAINMENT_UNSET = 0, /* omitted or null */
	MXC_CONTAINMENT_PROCESS,
	MXC_CONTAINMENT_PROCESSCONTAINER, /* also "appcontainer" */
	MXC_CONTAINMENT_LXC,
	MXC_CONTAINMENT_SEATBELT, /* also "macos_sandbox" */
	MXC_CONTAINMENT_BUBBLEWRAP,
	MXC_CONTAINMENT_VM,
	MXC_CONTAINMENT_WINDOWS_SANDBOX,
	MXC_CONTAINMENT_MICROVM,
	MXC_CONTAINMENT_HYPERLIGHT,
	MXC_CONTAINMENT_WSLC,
	MXC_CONTAINMENT_ISOLATION_SESSION,
	MXC_CONTAINMENT_NAMESPACES, /* mxc extension: our own namespace sandbox */
	_MXC_CONTAINMENT_MAX,
};

/* The backend a config resolves to on Linux (mxc-config.md §1.3, mxc rules). */
enum mxc_backend_id {
	MXC_BACKEND_NAMESPACES = 0, /* omitted, "process", "namespaces" */
	MXC_BACKEND_BUBBLEWRAP,
	MXC_BACKEND_LXC,
	MXC_BACKEND_MICROVM,
	MXC_BACKEND_HYPERLIGHT,
	/* Containment values upstream's lxc-exec "falls back to LXC" for
	 * (processcontainer, vm, seatbelt, windows_sandbox, wslc, isolation_session). */
	MXC_BACKEND_LXC_FALLBACK,
	_MXC_BACKEND_MAX,
};

/* Wire name of a containment value ("process", ...), NULL for UNSET. */
const char *mxc_containment_to_string(enum mxc_containment c);
const char *mxc_backend_id_to_string(enum mxc_backend_id b);

enum mxc_net_format {
	MXC_NET_LEGACY = 0,
	MXC_NET_DIRECTIONAL,
};

enum mxc_net_default_policy { MXC_NET_BLOCK = 0, MXC_NET_ALLOW };
enum mxc_net_enforcement { MXC_NET_ENF_CAPABILITIES = 0, MXC_NET_ENF_FIREWALL, MXC_NET_ENF_BOTH };
enum mxc_net_action { MXC_NET_DENY = 0, MXC_NET_PERMIT };
enum mxc_net_protocol { MXC_PROTO_ANY = 0, MXC_PROTO_TCP, MXC_PROTO_UDP, MXC_PROTO_ICMP };

enum mxc_proxy_kind {
	MXC_PROXY_NONE = 0,
	MXC_PROXY_BUILTIN,   /* network.proxy.builtinTestServer: true */
	MXC_PROXY_LOCALHOST, /* network.proxy.localhost: port */
	MXC_PROXY_URL,	     /* network.proxy.url, or runtimeConfig.networkProxy */
};

struct mxc_net_port {
	enum mxc_net_protocol protocol;
	bool has_port, has_end_port;
	uint16_t port, end_port;
};

struct mxc_net_peer {
	char *cidr;
	char **except; /* NULL-terminated */
};

struct mxc_net_rule {
	bool has_to; /* `to` given (then n_to >= 1) */
	struct mxc_net_peer *to;
	size_t n_to;
	bool has_ports; /* `ports` given (then n_ports >= 1) */
	struct mxc_net_port *ports;
	size_t n_ports;
};

struct mxc_proxy {
	enum mxc_proxy_kind kind;
	uint16_t port;		  /* LOCALHOST: the port; URL: the explicit port */
	char *url;		  /* URL: the original string */
	char *host;		  /* URL: the host as parsed (brackets kept for IPv6) */
	char *scheme;		  /* URL: "http" or "https" */
	bool has_credentials;	  /* URL: user:pass@ present */
	bool from_runtime_config; /* set from runtimeConfig.networkProxy */
};

struct mxc_network {
	bool present; /* a `network` object was given */
	enum mxc_net_format format;

	/* legacy format */
	bool has_default_policy;
	enum mxc_net_default_policy default_policy; /* default BLOCK */
	bool has_enforcement_mode;
	enum mxc_net_enforcement enforcement_mode; /* default CAPABILITIES */
	bool has_allow_local_network;
	bool allow_local_network; /* default false */
	char **allowed_hosts;
	char **blocked_hosts;
	struct mxc_proxy proxy; /* legacy proxy or runtimeConfig.networkProxy */

	/* directional format (0.8+) */
	bool has_egress, has_ingress;
	bool has_egress_default;
	enum mxc_net_action egress_default; /* default DENY */
	struct mxc_net_rule *egress_allow;
	size_t n_egress_allow;
	struct mxc_net_rule *egress_deny;
	size_t n_egress_deny;
	bool has_ingress_default, has_host_loopback;
	enum mxc_net_action ingress_default; /* default DENY */
	enum mxc_net_action host_loopback;   /* default DENY */
	bool has_runtime_proxy;		     /* runtimeConfig.networkProxy given */
};

/* mxc extension: the top-level `limits` object (resource limits). */
enum mxc_limit {
	MXC_LIMIT_MEMORY_MIB = 0, /* memoryMiB */
	MXC_LIMIT_PROCESSES,	  /* processes */
	MXC_LIMIT_CPU_PERCENT,	  /* cpuPercent: share of one CPU */
	MXC_LIMIT_CPU_SECONDS,	  /* cpuSeconds: CPU time per process */
	MXC_LIMIT_OPEN_FILES,	  /* openFiles */
	MXC_LIMIT_FILE_SIZE_MIB,  /* fileSizeMiB */
	MXC_LIMIT_TMP_MIB,	  /* tmpMiB: /tmp and /dev/shm, each */
	_MXC_LIMIT_MAX,
};

struct mxc_limits {
	bool present;		    /* a `limits` object was given */
	bool set[_MXC_LIMIT_MAX];   /* the field was given (not null) */
	uint64_t v[_MXC_LIMIT_MAX]; /* its value, within mxc_limit_range() */
};

/* Wire name ("memoryMiB"), NULL if out of range. */
const char *mxc_limit_to_string(enum mxc_limit l);
/* The accepted range of a limit's value. */
void mxc_limit_range(enum mxc_limit l, uint64_t *ret_min, uint64_t *ret_max);

struct mxc_config {
	/* version; has_version false for absent, null or "" */
	bool has_version;
	char *version;
	bool version_parsed; /* a valid semver */
	unsigned ver_major, ver_minor, ver_patch;

	char *container_id; /* "" if absent */

	enum mxc_containment containment;
	enum mxc_backend_id backend;

	bool destroy_on_exit; /* lifecycle.destroyOnExit, default true */
	bool preserve_policy; /* lifecycle.preservePolicy, default false */

	/* process */
	bool has_process;
	char *command_line;  /* never NULL or empty after validation */
	char *cwd;	     /* "" if absent */
	char **env;	     /* entries as given */
	uint32_t timeout_ms; /* 0 = none */

	/* filesystem, after same-string normalisation (most restrictive wins) */
	char **readwrite_paths;
	char **readonly_paths;
	char **denied_paths;

	struct mxc_network net;

	struct mxc_limits limits; /* mxc extension */

	/* Presence of other sections (accepted; Linux ignores them). */
	bool has_ui, has_fallback, has_lifecycle;
	bool has_process_container, has_lxc, has_seatbelt;
	char *lxc_distribution, *lxc_release; /* "" if absent */

	bool has_experimental;
	char *experimental_test_message; /* NULL if absent */

	/* Options the config was parsed with. */
	bool experimental_enabled;
	bool testing_features_enabled;

	/* Log lines produced while parsing (notes and WARNINGs), NULL-terminated. */
	char **notes;
};

/*
 * Parse and validate (mxc-config.md §3.1 steps 2-11). On failure reterr->msg
 * holds the message WITHOUT the "Configuration parse error: " prefix, kind is
 * MXC_ERROR_CONFIG, and where/line/column locate it when known.
 */
int policy_parse(const char *json, size_t len, const struct mxc_parse_options *opts,
		 struct mxc_config **ret, struct mxc_error *reterr);

struct mxc_config *policy_free(struct mxc_config *c);

/* Dump the validated config as JSON (wire field names, defaults filled in). */
int policy_to_json(const struct mxc_config *c, char **ret);

/* Strict standard-alphabet, padded base64 decoding (mxc-config.md §3.1). */
int policy_base64_decode(const char *in, char **ret, size_t *ret_len);

/* POSIX single-quote an argv into one `sh -c` command string. */
int policy_quote_argv(const char *const *argv, char **ret);

#endif
