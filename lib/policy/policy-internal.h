/* SPDX-License-Identifier: MIT */
/*
 * The wire model: the JSON exactly as written (every field optional), filled
 * by the typed walk in policy-parse.c and turned into struct mxc_config by the
 * validation passes (policy-validate.c, policy-network.c).
 */
#ifndef MXC_POLICY_INTERNAL_H
#define MXC_POLICY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json-dispatch.h"
#include "core/strv.h"
#include "policy.h"

enum w_phase { W_PHASE_PROVISION, W_PHASE_START, W_PHASE_EXEC, W_PHASE_STOP, W_PHASE_DEPROVISION };
enum w_ui_clipboard { W_CLIP_NONE, W_CLIP_READ, W_CLIP_WRITE, W_CLIP_ALL };
enum w_capture_mode { W_CAPTURE_BLOCK, W_CAPTURE_ALLOW };
enum w_isolation { W_ISO_DESKTOP, W_ISO_HANDLES, W_ISO_ATOMS, W_ISO_CONTAINER };
enum w_launch { W_LAUNCH_EXEC, W_LAUNCH_OPEN };
enum w_transport { W_TRANSPORT_TCP };

/* Every wire struct that can be a nested object starts with `bool present`. */
struct w_lifecycle {
	bool present;
	struct wopt_bool destroy_on_exit, preserve_policy;
};

struct w_process {
	bool present;
	struct wstr command_line;
	char *cwd;
	struct wstrv env;
	struct wopt_u32 timeout;
};

struct w_filesystem {
	bool present;
	struct wstrv rw, ro, denied;
};

struct w_fallback {
	bool present;
	struct wopt_bool allow_dacl_mutation;
};

struct w_proxy {
	bool present;
	struct wopt_u16 localhost;
	struct wopt_bool builtin;
	char *url;
};

struct w_port {
	struct wopt_enum protocol; /* enum mxc_net_protocol */
	struct wopt_u16 port, end_port;
};

struct w_peer {
	char *cidr;
	struct wstrv except;
};

struct w_rule {
	bool has_to, has_ports;
	struct w_peer *to;
	size_t n_to;
	struct w_port *ports;
	size_t n_ports;
};

struct w_rules {
	bool set;
	struct w_rule *v;
	size_t n;
};

struct w_egress {
	bool present;
	struct wopt_enum def; /* enum mxc_net_action */
	struct w_rules allow, deny;
};

struct w_ingress {
	bool present;
	struct wopt_enum def, host_loopback;
};

struct w_network {
	bool present;
	struct wopt_enum default_policy, enforcement_mode;
	struct wopt_bool allow_local_network;
	struct wstrv allowed_hosts, blocked_hosts;
	struct w_proxy proxy;
	struct w_egress egress;
	struct w_ingress ingress;
};

struct w_runtime_config {
	bool present;
	char *network_proxy;
};

struct w_ui {
	bool present;
	struct wopt_bool disable, injection;
	struct wopt_enum clipboard;
};

struct w_capture_denials {
	bool present;
	struct wopt_enum mode;
	char *output_path;
	struct wopt_bool retain_etl;
};

struct w_pc_network {
	bool present;
	char *allowed_proxy_peer;
};

struct w_pc_ui {
	bool present;
	struct wopt_enum isolation;
	struct wopt_bool desktop_system_control, ime;
	char *system_settings;
};

struct w_process_container {
	bool present;
	struct wopt_bool least_privilege, learning_mode;
	struct wstrv capabilities;
	struct w_capture_denials capture_denials;
	struct w_pc_network network;
	struct w_pc_ui ui;
};

struct w_lxc {
	bool present;
	char *distribution, *release;
};

struct w_seatbelt {
	bool present;
	char *profile_override;
	struct wopt_bool gui_access, nested_pty, keychain_access;
	struct wopt_enum launch_method;
	struct wstrv extra_mach_lookups;
};

struct w_exp_test {
	bool present;
	char *message;
};

struct w_exp_telemetry {
	bool present;
	struct wopt_bool enabled;
};

struct w_exp_wsb {
	bool present;
	struct wopt_u64 idle_timeout_ms, idle_timeout;
	char *daemon_pipe_name;
};

struct w_port_mapping {
	struct wopt_u16 windows_port, container_port;
	struct wopt_enum protocol;
};

struct w_image_provision {
	bool present;
	char *image, *image_tar_path;
};

struct w_exp_wslc {
	bool present;
	char *target_os, *image, *image_tar_path, *storage_path;
	struct wopt_u32 cpu_count, memory_mb;
	struct wopt_bool gpu;
	bool has_port_mappings;
	struct w_port_mapping *port_mappings;
	size_t n_port_mappings;
	struct w_image_provision provision;
};

struct w_app_provision {
	bool present;
	char *app_id;
};

struct w_exp_iso {
	bool present;
	struct w_app_provision provision;
};

struct w_experimental {
	bool present;
	struct w_exp_test test;
	struct w_exp_telemetry telemetry;
	struct w_exp_wsb windows_sandbox;
	struct w_exp_wslc wslc;
	struct w_exp_iso isolation_session;
	bool has_seatbelt, has_macos_sandbox;
};

/* mxc extension: `limits`. */
struct w_limits {
	bool present;
	struct wopt_u64 v[_MXC_LIMIT_MAX]; /* enum mxc_limit */
};

struct w_config {
	bool present;
	char *schema;
	char *version;
	struct wopt_enum phase;
	char *sandbox_id, *correlation_vector, *container_id;
	struct wopt_enum containment; /* enum mxc_containment */
	struct w_lifecycle lifecycle;
	struct w_process process;
	struct w_filesystem filesystem;
	struct w_fallback fallback;
	struct w_network network;
	struct w_runtime_config runtime_config;
	struct w_ui ui;
	struct w_process_container process_container;
	struct w_lxc lxc;
	struct w_seatbelt seatbelt;
	struct w_experimental experimental;
	struct w_limits limits;
};

/* Everything the validation passes share. */
struct policy_state {
	const char *text;
	size_t len;
	const struct mxc_parse_options *opts;
	struct w_config *w;
	struct mxc_config *c;
	struct mxc_error *reterr;
};

/* policy-parse.c */
int policy_wire_parse(const char *text, size_t len, struct w_config *w, struct mxc_error *reterr);
void policy_wire_free(struct w_config *w);

/* policy-validate.c: a semantic error at a wire path ("network.proxy.url"). */
int policy_fail(struct policy_state *st, const char *where, const char *fmt, ...) _printf_(3, 4);
#define policy_note(c, ...) strv_pushf(&(c)->notes, __VA_ARGS__)

/* policy-network.c: §3.1 step 10. */
int policy_validate_network(struct policy_state *st);

/* policy-limits.c: the `limits` table (typed walk) and its copy into the model. */
extern const struct jd_table policy_limits_table;
int policy_validate_limits(struct policy_state *st);

/* policy-url.c: parse an http(s) proxy URL; prefix is the field name in messages. */
int policy_url_parse(struct policy_state *st, const char *url, const char *prefix,
		     const char *where, struct mxc_proxy *ret);
/* The URL with any user:pass@ replaced (for messages), escaped. */
void policy_url_redact(const char *url, char *buf, size_t buflen);

/* The backend a containment value resolves to upstream (for per-backend rules). */
enum upstream_backend {
	UB_BUBBLEWRAP,
	UB_PROCESSCONTAINER,
	UB_LXC,
	UB_SEATBELT,
	UB_VM,
	UB_WINDOWS_SANDBOX,
	UB_MICROVM,
	UB_HYPERLIGHT,
	UB_WSLC,
	UB_ISOLATION_SESSION,
};
enum upstream_backend policy_upstream_backend(enum mxc_containment c);

#endif
