/* SPDX-License-Identifier: MIT */
/*
 * §3.1 step 2: strict JSON and the typed walk into the wire model
 * (the 0.9.0-dev superset, mxc-config.md §1.1 and §1.4).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "core/strv.h"
#include "policy-internal.h"

#define F(name, fn, type, member, ...)                                                             \
	{                                                                                          \
		name, NULL, fn, offsetof(type, member), __VA_ARGS__                                \
	}

/* ---- enums ---------------------------------------------------------------- */

static const struct jd_enum containment_enum[] = {
	{"process", MXC_CONTAINMENT_PROCESS, false},
	{"processcontainer", MXC_CONTAINMENT_PROCESSCONTAINER, false},
	{"appcontainer", MXC_CONTAINMENT_PROCESSCONTAINER, true},
	{"lxc", MXC_CONTAINMENT_LXC, false},
	{"seatbelt", MXC_CONTAINMENT_SEATBELT, false},
	{"macos_sandbox", MXC_CONTAINMENT_SEATBELT, true},
	{"bubblewrap", MXC_CONTAINMENT_BUBBLEWRAP, false},
	{"vm", MXC_CONTAINMENT_VM, false},
	{"windows_sandbox", MXC_CONTAINMENT_WINDOWS_SANDBOX, false},
	{"microvm", MXC_CONTAINMENT_MICROVM, false},
	{"hyperlight", MXC_CONTAINMENT_HYPERLIGHT, false},
	{"wslc", MXC_CONTAINMENT_WSLC, false},
	{"isolation_session", MXC_CONTAINMENT_ISOLATION_SESSION, false},
	{"namespaces", MXC_CONTAINMENT_NAMESPACES, false},
	{}};

static const struct jd_enum phase_enum[] = {{"provision", W_PHASE_PROVISION, false},
					    {"start", W_PHASE_START, false},
					    {"exec", W_PHASE_EXEC, false},
					    {"stop", W_PHASE_STOP, false},
					    {"deprovision", W_PHASE_DEPROVISION, false},
					    {}};

static const struct jd_enum default_policy_enum[] = {
	{"allow", MXC_NET_ALLOW, false}, {"block", MXC_NET_BLOCK, false}, {}};

static const struct jd_enum enforcement_enum[] = {{"capabilities", MXC_NET_ENF_CAPABILITIES, false},
						  {"firewall", MXC_NET_ENF_FIREWALL, false},
						  {"both", MXC_NET_ENF_BOTH, false},
						  {}};

static const struct jd_enum action_enum[] = {
	{"allow", MXC_NET_PERMIT, false}, {"deny", MXC_NET_DENY, false}, {}};

static const struct jd_enum protocol_enum[] = {{"tcp", MXC_PROTO_TCP, false},
					       {"udp", MXC_PROTO_UDP, false},
					       {"icmp", MXC_PROTO_ICMP, false},
					       {"any", MXC_PROTO_ANY, false},
					       {}};

static const struct jd_enum clipboard_enum[] = {{"none", W_CLIP_NONE, false},
						{"read", W_CLIP_READ, false},
						{"write", W_CLIP_WRITE, false},
						{"all", W_CLIP_ALL, false},
						{}};

static const struct jd_enum capture_mode_enum[] = {
	{"block", W_CAPTURE_BLOCK, false}, {"allow", W_CAPTURE_ALLOW, false}, {}};

static const struct jd_enum isolation_enum[] = {{"desktop", W_ISO_DESKTOP, false},
						{"handles", W_ISO_HANDLES, false},
						{"atoms", W_ISO_ATOMS, false},
						{"container", W_ISO_CONTAINER, false},
						{}};

static const struct jd_enum launch_enum[] = {
	{"exec", W_LAUNCH_EXEC, false}, {"open", W_LAUNCH_OPEN, false}, {}};

static const struct jd_enum transport_enum[] = {{"tcp", W_TRANSPORT_TCP, false}, {}};

/* ---- stable sections ------------------------------------------------------- */

static const struct jd_table lifecycle_table = {
	"struct Lifecycle",
	false,
	(const struct jd_field[]){
		F("destroyOnExit", jd_bool, struct w_lifecycle, destroy_on_exit, 0),
		F("preservePolicy", jd_bool, struct w_lifecycle, preserve_policy, 0),
		{}},
};

static const struct jd_table process_table = {
	"struct Process",
	false,
	(const struct jd_field[]){
		F("commandLine", jd_string_nul, struct w_process, command_line, 0),
		F("cwd", jd_string, struct w_process, cwd, 0),
		F("env", jd_strv, struct w_process, env, 0),
		F("timeout", jd_u32, struct w_process, timeout, 0),
		{}},
};

static const struct jd_table filesystem_table = {
	"struct Filesystem",
	false,
	(const struct jd_field[]){F("readwritePaths", jd_strv_nul, struct w_filesystem, rw, 0),
				  F("readonlyPaths", jd_strv_nul, struct w_filesystem, ro, 0),
				  F("deniedPaths", jd_strv_nul, struct w_filesystem, denied, 0),
				  {}},
};

static const struct jd_table fallback_table = {
	"struct Fallback",
	false,
	(const struct jd_field[]){
		F("allowDaclMutation", jd_bool, struct w_fallback, allow_dacl_mutation, 0), {}},
};

static const struct jd_table proxy_table = {
	"struct NetworkProxy",
	false,
	(const struct jd_field[]){F("localhost", jd_u16, struct w_proxy, localhost, 0),
				  F("builtinTestServer", jd_bool, struct w_proxy, builtin, 0),
				  F("url", jd_string, struct w_proxy, url, 0),
				  {}},
};

static const struct jd_table port_table = {
	"struct NetworkPort",
	false,
	(const struct jd_field[]){F("protocol", jd_enum, struct w_port, protocol, 0, protocol_enum),
				  F("port", jd_u16, struct w_port, port, 0),
				  F("endPort", jd_u16, struct w_port, end_port, 0),
				  {}},
};

static const struct jd_table peer_table = {
	"struct NetworkPeer",
	false,
	(const struct jd_field[]){F("cidr", jd_string, struct w_peer, cidr, JD_MANDATORY),
				  F("except", jd_strv, struct w_peer, except, 0),
				  {}},
};

/* Arrays of structs: grow a C array, walking each element with a table. */
static int struct_array(struct jd_ctx *ctx, json_t *v, void **items, size_t *n, size_t elem,
			const struct jd_table *t)
{
	json_t *e;
	size_t i;
	int r;

	r = jd_check_array(ctx, v);
	if (r < 0)
		return r;
	/* always allocate, so that a given empty list is distinguishable */
	*items = calloc(json_array_size(v) + 1, elem);
	if (!*items)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		(void)jd_push_index(ctx, i);
		r = jd_object(ctx, e, t, (char *)*items + i * elem);
		*n = i + 1; /* so that the partially filled element is freed */
		if (r < 0)
			return r;
		jd_pop(ctx);
	}
	return 0;
}

static int dispatch_peers(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct w_rule *rule = (struct w_rule *)((char *)target - offsetof(struct w_rule, to));
	int r = struct_array(ctx, v, (void **)&rule->to, &rule->n_to, sizeof(struct w_peer),
			     &peer_table);
	rule->has_to = true;
	return r;
}

static int dispatch_ports(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct w_rule *rule = (struct w_rule *)((char *)target - offsetof(struct w_rule, ports));
	int r = struct_array(ctx, v, (void **)&rule->ports, &rule->n_ports, sizeof(struct w_port),
			     &port_table);
	rule->has_ports = true;
	return r;
}

static const struct jd_table rule_table = {
	"struct NetworkRule",
	false,
	(const struct jd_field[]){F("to", dispatch_peers, struct w_rule, to, 0),
				  F("ports", dispatch_ports, struct w_rule, ports, 0),
				  {}},
};

static int dispatch_rules(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct w_rules *rules = target;
	rules->set = true;
	return struct_array(ctx, v, (void **)&rules->v, &rules->n, sizeof(struct w_rule),
			    &rule_table);
}

static const struct jd_table egress_table = {
	"struct NetworkEgress",
	false,
	(const struct jd_field[]){F("default", jd_enum, struct w_egress, def, 0, action_enum),
				  F("allow", dispatch_rules, struct w_egress, allow, 0),
				  F("deny", dispatch_rules, struct w_egress, deny, 0),
				  {}},
};

static const struct jd_table ingress_table = {
	"struct NetworkIngress",
	false,
	(const struct jd_field[]){
		F("default", jd_enum, struct w_ingress, def, 0, action_enum),
		F("hostLoopback", jd_enum, struct w_ingress, host_loopback, 0, action_enum),
		{}},
};

static const struct jd_table network_table = {
	"struct Network",
	false,
	(const struct jd_field[]){
		F("defaultPolicy", jd_enum, struct w_network, default_policy, 0,
		  default_policy_enum),
		F("enforcementMode", jd_enum, struct w_network, enforcement_mode, 0,
		  enforcement_enum),
		F("allowLocalNetwork", jd_bool, struct w_network, allow_local_network, 0),
		F("allowedHosts", jd_strv, struct w_network, allowed_hosts, 0),
		F("blockedHosts", jd_strv, struct w_network, blocked_hosts, 0),
		F("proxy", jd_struct, struct w_network, proxy, 0, &proxy_table),
		F("egress", jd_struct, struct w_network, egress, 0, &egress_table),
		F("ingress", jd_struct, struct w_network, ingress, 0, &ingress_table),
		{}},
};

static const struct jd_table runtime_config_table = {
	"struct RuntimeConfig",
	false,
	(const struct jd_field[]){
		F("networkProxy", jd_string, struct w_runtime_config, network_proxy, 0), {}},
};

static const struct jd_table ui_table = {
	"struct Ui",
	false,
	(const struct jd_field[]){
		F("disable", jd_bool, struct w_ui, disable, 0),
		F("clipboard", jd_enum, struct w_ui, clipboard, 0, clipboard_enum),
		F("injection", jd_bool, struct w_ui, injection, 0),
		{}},
};

static const struct jd_table capture_denials_table = {
	"struct CaptureDenials",
	false,
	(const struct jd_field[]){
		F("mode", jd_enum, struct w_capture_denials, mode, 0, capture_mode_enum),
		F("outputPath", jd_string, struct w_capture_denials, output_path, 0),
		F("retainEtl", jd_bool, struct w_capture_denials, retain_etl, 0),
		{}},
};

static const struct jd_table pc_network_table = {
	"struct ProcessContainerNetwork",
	false,
	(const struct jd_field[]){
		F("allowedProxyPeer", jd_string, struct w_pc_network, allowed_proxy_peer, 0), {}},
};

static const struct jd_table pc_ui_table = {
	"struct ProcessContainerUi",
	false,
	(const struct jd_field[]){
		F("isolation", jd_enum, struct w_pc_ui, isolation, 0, isolation_enum),
		F("desktopSystemControl", jd_bool, struct w_pc_ui, desktop_system_control, 0),
		F("systemSettings", jd_string, struct w_pc_ui, system_settings, 0),
		F("ime", jd_bool, struct w_pc_ui, ime, 0),
		{}},
};

static const struct jd_table process_container_table = {
	"struct ProcessContainer",
	false,
	(const struct jd_field[]){
		F("leastPrivilege", jd_bool, struct w_process_container, least_privilege, 0),
		F("learningMode", jd_bool, struct w_process_container, learning_mode, 0),
		F("capabilities", jd_strv, struct w_process_container, capabilities, 0),
		F("captureDenials", jd_struct, struct w_process_container, capture_denials, 0,
		  &capture_denials_table),
		F("network", jd_struct, struct w_process_container, network, 0, &pc_network_table),
		F("ui", jd_struct, struct w_process_container, ui, 0, &pc_ui_table),
		{}},
};

static const struct jd_table lxc_table = {
	"struct Lxc",
	false,
	(const struct jd_field[]){F("distribution", jd_string, struct w_lxc, distribution, 0),
				  F("release", jd_string, struct w_lxc, release, 0),
				  {}},
};

static const struct jd_table seatbelt_table = {
	"struct Seatbelt",
	false,
	(const struct jd_field[]){
		F("profileOverride", jd_string, struct w_seatbelt, profile_override, 0),
		F("guiAccess", jd_bool, struct w_seatbelt, gui_access, 0),
		F("launchMethod", jd_enum, struct w_seatbelt, launch_method, 0, launch_enum),
		F("nestedPty", jd_bool, struct w_seatbelt, nested_pty, 0),
		F("keychainAccess", jd_bool, struct w_seatbelt, keychain_access, 0),
		F("extraMachLookups", jd_strv, struct w_seatbelt, extra_mach_lookups, 0),
		{}},
};

/* ---- experimental (open at every level) ------------------------------------ */

static const struct jd_table exp_test_table = {
	"struct TestFeature",
	true,
	(const struct jd_field[]){F("message", jd_string, struct w_exp_test, message, 0), {}},
};

static const struct jd_table exp_telemetry_table = {
	"struct Telemetry",
	true,
	(const struct jd_field[]){F("enabled", jd_bool, struct w_exp_telemetry, enabled, 0), {}},
};

static const struct jd_table exp_wsb_table = {
	"struct WindowsSandbox",
	true,
	(const struct jd_field[]){
		F("idleTimeoutMs", jd_u64, struct w_exp_wsb, idle_timeout_ms, 0),
		F("idleTimeout", jd_u64, struct w_exp_wsb, idle_timeout, 0),
		F("daemonPipeName", jd_string, struct w_exp_wsb, daemon_pipe_name, 0),
		{}},
};

static const struct jd_table port_mapping_table = {
	"struct PortMapping",
	true,
	(const struct jd_field[]){
		F("windowsPort", jd_u16, struct w_port_mapping, windows_port, JD_MANDATORY),
		F("containerPort", jd_u16, struct w_port_mapping, container_port, JD_MANDATORY),
		F("protocol", jd_enum, struct w_port_mapping, protocol, 0, transport_enum),
		{}},
};

static int dispatch_port_mappings(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct w_exp_wslc *w =
		(struct w_exp_wslc *)((char *)target - offsetof(struct w_exp_wslc, port_mappings));
	w->has_port_mappings = true;
	return struct_array(ctx, v, (void **)&w->port_mappings, &w->n_port_mappings,
			    sizeof(struct w_port_mapping), &port_mapping_table);
}

static const struct jd_table image_provision_table = {
	"struct WslcProvisionPhase",
	true,
	(const struct jd_field[]){
		F("image", jd_string, struct w_image_provision, image, 0),
		F("imageTarPath", jd_string, struct w_image_provision, image_tar_path, 0),
		{}},
};

static const struct jd_table exp_wslc_table = {
	"struct Wslc",
	true,
	(const struct jd_field[]){
		F("targetOs", jd_string, struct w_exp_wslc, target_os, 0),
		F("image", jd_string, struct w_exp_wslc, image, 0),
		F("imageTarPath", jd_string, struct w_exp_wslc, image_tar_path, 0),
		F("cpuCount", jd_u32, struct w_exp_wslc, cpu_count, 0),
		F("memoryMb", jd_u32, struct w_exp_wslc, memory_mb, 0),
		F("gpu", jd_bool, struct w_exp_wslc, gpu, 0),
		F("storagePath", jd_string, struct w_exp_wslc, storage_path, 0),
		F("portMappings", dispatch_port_mappings, struct w_exp_wslc, port_mappings, 0),
		F("provision", jd_struct, struct w_exp_wslc, provision, 0, &image_provision_table),
		{}},
};

static const struct jd_table app_provision_table = {
	"struct IsolationSessionProvisionPhase",
	true,
	(const struct jd_field[]){F("appId", jd_string, struct w_app_provision, app_id, 0), {}},
};

static const struct jd_table exp_iso_table = {
	"struct IsolationSession",
	true,
	(const struct jd_field[]){
		F("provision", jd_struct, struct w_exp_iso, provision, 0, &app_provision_table),
		{}},
};

static const struct jd_table experimental_table = {
	"struct Experimental",
	true,
	(const struct jd_field[]){
		F("test", jd_struct, struct w_experimental, test, 0, &exp_test_table),
		F("telemetry", jd_struct, struct w_experimental, telemetry, 0,
		  &exp_telemetry_table),
		F("windows_sandbox", jd_struct, struct w_experimental, windows_sandbox, 0,
		  &exp_wsb_table),
		F("wslc", jd_struct, struct w_experimental, wslc, 0, &exp_wslc_table),
		F("isolation_session", jd_struct, struct w_experimental, isolation_session, 0,
		  &exp_iso_table),
		F("seatbelt", jd_present, struct w_experimental, has_seatbelt, 0),
		F("macos_sandbox", jd_present, struct w_experimental, has_macos_sandbox, 0),
		{}},
};

/* ---- root ------------------------------------------------------------------ */

static const struct jd_table config_table = {
	"a configuration object",
	false,
	(const struct jd_field[]){
		F("$schema", jd_string, struct w_config, schema, 0),
		{"_comment", NULL, NULL, 0, JD_ANY, NULL},
		F("version", jd_string, struct w_config, version, 0),
		F("phase", jd_enum, struct w_config, phase, 0, phase_enum),
		F("sandboxId", jd_string, struct w_config, sandbox_id, 0),
		F("correlationVector", jd_string, struct w_config, correlation_vector, 0),
		F("containerId", jd_string, struct w_config, container_id, 0),
		F("containment", jd_enum, struct w_config, containment, 0, containment_enum),
		F("lifecycle", jd_struct, struct w_config, lifecycle, 0, &lifecycle_table),
		F("process", jd_struct, struct w_config, process, 0, &process_table),
		F("filesystem", jd_struct, struct w_config, filesystem, 0, &filesystem_table),
		F("fallback", jd_struct, struct w_config, fallback, 0, &fallback_table),
		F("network", jd_struct, struct w_config, network, 0, &network_table),
		F("runtimeConfig", jd_struct, struct w_config, runtime_config, 0,
		  &runtime_config_table),
		F("ui", jd_struct, struct w_config, ui, 0, &ui_table),
		{"processContainer", "appContainer", jd_struct,
		 offsetof(struct w_config, process_container), 0, &process_container_table},
		F("lxc", jd_struct, struct w_config, lxc, 0, &lxc_table),
		{"seatbelt", "macos_sandbox", jd_struct, offsetof(struct w_config, seatbelt), 0,
		 &seatbelt_table},
		F("experimental", jd_struct, struct w_config, experimental, 0, &experimental_table),
		F("limits", jd_struct, struct w_config, limits, 0, &policy_limits_table), /* mxc */
		{}},
};

/* jansson's "duplicate object key near '"x"'" -> x */
static void duplicate_key_name(const char *text, char *buf, size_t buflen)
{
	const char *s = strstr(text, "near '\"");
	size_t l;

	buf[0] = '\0';
	if (!s)
		return;
	s += strlen("near '\"");
	l = strlen(s);
	if (l >= 2 && s[l - 1] == '\'' && s[l - 2] == '"')
		l -= 2;
	if (l >= buflen)
		l = buflen - 1;
	memcpy(buf, s, l);
	buf[l] = '\0';
}

int policy_wire_parse(const char *text, size_t len, struct w_config *w, struct mxc_error *reterr)
{
	struct jd_ctx ctx = {.text = text, .len = len, .reterr = reterr};
	json_error_t jerr = {};
	json_t *root;
	int r;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
			  &jerr);
	if (!root) {
		char esc[sizeof(jerr.text) * 4];
		unsigned line = jerr.line > 0 ? (unsigned)jerr.line : 1;
		unsigned col = jerr.column > 0 ? (unsigned)jerr.column : 0;

		if (json_error_code(&jerr) == json_error_duplicate_key) {
			char key[sizeof(jerr.text)];
			duplicate_key_name(jerr.text, key, sizeof(key));
			mxc_escape_diag(esc, sizeof(esc), key);
			(void)mxc_error_set(
				reterr, -EINVAL, MXC_ERROR_CONFIG,
				"Invalid configuration: duplicate field `%s` at line %u column %u",
				esc, line, col);
		} else {
			mxc_escape_diag(esc, sizeof(esc), jerr.text);
			(void)mxc_error_set(reterr, -EINVAL, MXC_ERROR_CONFIG,
					    "Invalid JSON syntax: %s at line %u column %u", esc,
					    line, col);
		}
		mxc_error_where(reterr, "", line, col);
		return -EINVAL;
	}
	r = jd_object(&ctx, root, &config_table, w);
	json_decref(root);
	return r;
}

/* ---- freeing the wire model -------------------------------------------------- */

static void free_rules(struct w_rules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct w_rule *rule = &rs->v[i];
		for (size_t j = 0; j < rule->n_to; j++) {
			free(rule->to[j].cidr);
			wstrv_done(&rule->to[j].except);
		}
		free(rule->to);
		free(rule->ports);
	}
	free(rs->v);
	*rs = (struct w_rules){};
}

void policy_wire_free(struct w_config *w)
{
	free(w->schema);
	free(w->version);
	free(w->sandbox_id);
	free(w->correlation_vector);
	free(w->container_id);
	free(w->process.command_line.v);
	free(w->process.cwd);
	wstrv_done(&w->process.env);
	wstrv_done(&w->filesystem.rw);
	wstrv_done(&w->filesystem.ro);
	wstrv_done(&w->filesystem.denied);
	wstrv_done(&w->network.allowed_hosts);
	wstrv_done(&w->network.blocked_hosts);
	free(w->network.proxy.url);
	free_rules(&w->network.egress.allow);
	free_rules(&w->network.egress.deny);
	free(w->runtime_config.network_proxy);
	free(w->process_container.capture_denials.output_path);
	wstrv_done(&w->process_container.capabilities);
	free(w->process_container.network.allowed_proxy_peer);
	free(w->process_container.ui.system_settings);
	free(w->lxc.distribution);
	free(w->lxc.release);
	free(w->seatbelt.profile_override);
	wstrv_done(&w->seatbelt.extra_mach_lookups);
	free(w->experimental.test.message);
	free(w->experimental.windows_sandbox.daemon_pipe_name);
	free(w->experimental.wslc.target_os);
	free(w->experimental.wslc.image);
	free(w->experimental.wslc.image_tar_path);
	free(w->experimental.wslc.storage_path);
	free(w->experimental.wslc.port_mappings);
	free(w->experimental.wslc.provision.image);
	free(w->experimental.wslc.provision.image_tar_path);
	free(w->experimental.isolation_session.provision.app_id);
	*w = (struct w_config){};
}
