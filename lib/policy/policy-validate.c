/* SPDX-License-Identifier: MIT */
/*
 * policy_parse(): the typed walk, then the semantic checks in the order of
 * mxc-config.md §3.1 steps 3-11 (network is in policy-network.c), then the
 * testing-feature gate of step 12.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "core/strv.h"
#include "json-locate.h"
#include "policy-internal.h"

DEFINE_CLEANUP_FUNC(struct mxc_config *, policy_free)

/* "network.egress.allow[0].to[1].cidr" -> segments (keys point into buf). */
static size_t where_to_segs(char *buf, struct jd_seg *segs, size_t max)
{
	size_t n = 0;
	char *p = buf;

	while (*p && n < max) {
		if (*p == '[') {
			segs[n++] = (struct jd_seg){.key = NULL, .idx = strtoul(p + 1, &p, 10)};
			if (*p == ']')
				p++;
			if (*p == '.')
				p++;
			continue;
		}
		segs[n].key = p;
		segs[n++].idx = 0;
		p += strcspn(p, ".[");
		if (*p == '.')
			*p++ = '\0';
		else if (*p == '[') {
			/* terminate the key without losing the bracket */
			memmove(p + 1, p, strlen(p) + 1);
			*p++ = '\0';
		}
	}
	return n;
}

int policy_fail(struct policy_state *st, const char *where, const char *fmt, ...)
{
	char msg[sizeof(st->reterr->msg)];
	unsigned line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (where && *where) {
		char buf[512];
		struct jd_seg segs[JD_MAX_DEPTH];
		struct json_loc loc;
		size_t n;

		(void)snprintf(buf, sizeof(buf) - 8, "%s", where);
		n = where_to_segs(buf, segs, ELEMENTSOF(segs));
		if (json_locate(st->text, st->len, segs, n, &loc) >= 0)
			json_linecol(st->text, st->len, loc.val_start + 1, &line, &col);
	}
	(void)mxc_error_set(st->reterr, -EINVAL, MXC_ERROR_CONFIG, "%s", msg);
	mxc_error_where(st->reterr, where ? where : "", line, col);
	return -EINVAL;
}

/* ---- version (§2) ------------------------------------------------------------ */

static bool parse_num(const char **p, unsigned long long *ret)
{
	const char *s = *p;
	unsigned long long v = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	if (*s == '0' && isdigit((unsigned char)s[1]))
		return false; /* no leading zeros */
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (~0ULL - 9) / 10)
			return false;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	*p = s;
	*ret = v;
	return true;
}

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros if strict. */
static bool parse_idents(const char **p, bool strict_numeric)
{
	const char *s = *p;

	for (;;) {
		const char *start = s;
		bool numeric = true;
		while (isalnum((unsigned char)*s) || *s == '-') {
			if (!isdigit((unsigned char)*s))
				numeric = false;
			s++;
		}
		if (s == start)
			return false;
		if (strict_numeric && numeric && *start == '0' && s - start > 1)
			return false;
		if (*s != '.')
			break;
		s++;
	}
	*p = s;
	return true;
}

static bool semver_parse(const char *v, unsigned long long ret[3])
{
	const char *p = v;

	for (int i = 0; i < 3; i++) {
		if (!parse_num(&p, &ret[i]))
			return false;
		if (i < 2 && *p++ != '.')
			return false;
	}
	if (*p == '-') {
		p++;
		if (!parse_idents(&p, true))
			return false;
	}
	if (*p == '+') {
		p++;
		if (!parse_idents(&p, false))
			return false;
	}
	return *p == '\0';
}

static void parse_version(struct policy_state *st)
{
	struct mxc_config *c = st->c;
	unsigned long long v[3];

	if (strempty(st->w->version))
		return;
	c->has_version = true;
	if (semver_parse(st->w->version, v) && v[0] <= 0xffffffffULL && v[1] <= 0xffffffffULL &&
	    v[2] <= 0xffffffffULL) {
		c->version_parsed = true;
		c->ver_major = (unsigned)v[0];
		c->ver_minor = (unsigned)v[1];
		c->ver_patch = (unsigned)v[2];
	}
}

static bool version_supports_directional(const struct mxc_config *c)
{
	return c->version_parsed && (c->ver_major > 0 || c->ver_minor >= 8);
}

static int check_version_range(struct policy_state *st)
{
	struct mxc_config *c = st->c;
	char esc[512];

	if (!c->has_version)
		return 0;
	mxc_escape_diag(esc, sizeof(esc), st->w->version);
	if (!c->version_parsed)
		return policy_fail(st, "version",
				   "Invalid schema version '%s': must be semver (e.g., 'X.Y.Z' or "
				   "'X.Y.Z-alpha')",
				   esc);
	if (c->ver_major == 0 && c->ver_minor < 6)
		return policy_fail(st, "version",
				   "Config schema version '%s' is older than supported (supported: "
				   ">=0.6, <=0.9). Update your config.",
				   esc);
	if (c->ver_major > 0 || c->ver_minor > 9)
		return policy_fail(st, "version",
				   "Config schema version '%s' is newer than supported (supported: "
				   ">=0.6, <=0.9). Upgrade wxc-exec.",
				   esc);
	return 0;
}

/* ---- process (§3.1 step 6, §4.2 override) ----------------------------------- */

static int check_process(struct policy_state *st)
{
	const struct w_process *p = &st->w->process;
	const char *const *ovr = st->opts ? st->opts->command_override : NULL;
	struct mxc_config *c = st->c;
	int r;

	c->has_process = p->present;
	if (ovr && ovr[0]) {
		r = policy_quote_argv(ovr, &c->command_line);
		if (r < 0)
			return r;
	} else if (ovr) {
		if (!p->command_line.v || !*p->command_line.v)
			return policy_fail(
				st, "process.commandLine",
				"no command to run. Provide `process.commandLine` in the policy or "
				"pass the command as arguments after the config path.");
	} else {
		if (!p->present)
			return policy_fail(st, "process", "'process' section is required");
		if (!p->command_line.v)
			return policy_fail(st, "process.commandLine",
					   "Missing required field: process.commandLine");
	}
	if (!c->command_line) {
		if (!*p->command_line.v && !p->command_line.nul)
			return policy_fail(st, "process.commandLine",
					   "process.commandLine cannot be empty");
		if (p->command_line.nul)
			return policy_fail(st, "process.commandLine",
					   "process.commandLine must not contain null bytes");
		c->command_line = strdup(p->command_line.v);
		if (!c->command_line)
			return -ENOMEM;
	}
	c->cwd = strdup(p->cwd ? p->cwd : "");
	c->env = p->env.v ? strv_copy(p->env.v) : calloc(1, sizeof(char *));
	if (!c->cwd || !c->env)
		return -ENOMEM;
	c->timeout_ms = p->timeout.set ? p->timeout.v : 0;
	return 0;
}

/* ---- containment and the single-backend-section rule (§3.3) ------------------ */

enum upstream_backend policy_upstream_backend(enum mxc_containment c)
{
	switch (c) {
	case MXC_CONTAINMENT_PROCESSCONTAINER:
		return UB_PROCESSCONTAINER;
	case MXC_CONTAINMENT_LXC:
		return UB_LXC;
	case MXC_CONTAINMENT_SEATBELT:
		return UB_SEATBELT;
	case MXC_CONTAINMENT_VM:
		return UB_VM;
	case MXC_CONTAINMENT_WINDOWS_SANDBOX:
		return UB_WINDOWS_SANDBOX;
	case MXC_CONTAINMENT_MICROVM:
		return UB_MICROVM;
	case MXC_CONTAINMENT_HYPERLIGHT:
		return UB_HYPERLIGHT;
	case MXC_CONTAINMENT_WSLC:
		return UB_WSLC;
	case MXC_CONTAINMENT_ISOLATION_SESSION:
		return UB_ISOLATION_SESSION;
	case MXC_CONTAINMENT_UNSET:
	case MXC_CONTAINMENT_PROCESS:
	case MXC_CONTAINMENT_BUBBLEWRAP:
	case MXC_CONTAINMENT_NAMESPACES:
	default:
		return UB_BUBBLEWRAP;
	}
}

static enum mxc_backend_id backend_for(enum mxc_containment c)
{
	switch (c) {
	case MXC_CONTAINMENT_BUBBLEWRAP:
		return MXC_BACKEND_BUBBLEWRAP;
	case MXC_CONTAINMENT_LXC:
		return MXC_BACKEND_LXC;
	case MXC_CONTAINMENT_MICROVM:
		return MXC_BACKEND_MICROVM;
	case MXC_CONTAINMENT_HYPERLIGHT:
		return MXC_BACKEND_HYPERLIGHT;
	case MXC_CONTAINMENT_PROCESSCONTAINER:
	case MXC_CONTAINMENT_VM:
	case MXC_CONTAINMENT_SEATBELT:
	case MXC_CONTAINMENT_WINDOWS_SANDBOX:
	case MXC_CONTAINMENT_WSLC:
	case MXC_CONTAINMENT_ISOLATION_SESSION:
		return MXC_BACKEND_LXC_FALLBACK;
	case MXC_CONTAINMENT_UNSET:
	case MXC_CONTAINMENT_PROCESS:
	case MXC_CONTAINMENT_NAMESPACES:
	default:
		return MXC_BACKEND_NAMESPACES;
	}
}

static int check_backend_sections(struct policy_state *st)
{
	const struct w_config *w = st->w;
	enum mxc_containment cont = st->c->containment;
	const char *wire, *allowed = NULL, *present[6];
	char list[256] = "";
	size_t n = 0, o = 0;

	if (w->experimental.has_seatbelt || w->experimental.has_macos_sandbox)
		return policy_fail(st,
				   w->experimental.has_seatbelt ? "experimental.seatbelt"
								: "experimental.macos_sandbox",
				   "'experimental.seatbelt' has moved to the stable section; use "
				   "top-level 'seatbelt' instead.");

	switch (cont) {
	case MXC_CONTAINMENT_PROCESSCONTAINER:
		allowed = "processContainer";
		break;
	case MXC_CONTAINMENT_LXC:
		allowed = "lxc";
		break;
	case MXC_CONTAINMENT_SEATBELT:
		allowed = "seatbelt";
		break;
	case MXC_CONTAINMENT_WINDOWS_SANDBOX:
		allowed = "experimental.windows_sandbox";
		break;
	case MXC_CONTAINMENT_WSLC:
		allowed = "experimental.wslc";
		break;
	case MXC_CONTAINMENT_ISOLATION_SESSION:
		allowed = "experimental.isolation_session";
		break;
	default:
		break;
	}
	/* upstream prints the resolved backend: omitted and `process` are bubblewrap */
	wire = cont == MXC_CONTAINMENT_UNSET || cont == MXC_CONTAINMENT_PROCESS
		       ? "bubblewrap"
		       : mxc_containment_to_string(cont);

	if (w->process_container.present)
		present[n++] = "processContainer";
	if (w->lxc.present)
		present[n++] = "lxc";
	if (w->seatbelt.present)
		present[n++] = "seatbelt";
	if (w->experimental.windows_sandbox.present)
		present[n++] = "experimental.windows_sandbox";
	if (w->experimental.wslc.present)
		present[n++] = "experimental.wslc";
	if (w->experimental.isolation_session.present)
		present[n++] = "experimental.isolation_session";

	for (size_t i = 0; i < n; i++) {
		if (allowed && streq(present[i], allowed))
			continue;
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s'%s'", o ? ", " : "",
				      present[i]);
		if (o >= sizeof(list))
			break;
	}
	if (o == 0)
		return 0;
	if (allowed)
		return policy_fail(st, "containment",
				   "Multiple containment backends configured: 'containment' is "
				   "'%s' (allows the '%s' section), but the config also includes "
				   "unrelated backend section(s): %s. Only one backend section is "
				   "allowed; remove the unused section(s).",
				   wire, allowed, list);
	return policy_fail(st, "containment",
			   "Multiple containment backends configured: 'containment' is '%s' (no "
			   "per-backend section is defined for this backend), but the config also "
			   "includes unrelated backend section(s): %s. Only one backend section is "
			   "allowed; remove the unused section(s).",
			   wire, list);
}

/* ---- processContainer (§3.1 step 8) ------------------------------------------ */

static int check_process_container(struct policy_state *st)
{
	const struct w_process_container *pc = &st->w->process_container;
	const char *out;
	char esc[512], where[64];

	if (!pc->present)
		return 0;
	for (size_t i = 0; pc->capabilities.v && pc->capabilities.v[i]; i++) {
		const char *cap = pc->capabilities.v[i];
		(void)snprintf(where, sizeof(where), "processContainer.capabilities[%zu]", i);
		mxc_escape_diag(esc, sizeof(esc), cap);
		if (strchr(cap, ','))
			return policy_fail(st, where,
					   "processContainer.capabilities entry '%s' must not "
					   "contain a comma; provide multiple capabilities as "
					   "separate JSON array entries",
					   esc);
		if (strcasecmp(cap, "learningModeLogging") == 0 ||
		    strcasecmp(cap, "permissiveLearningMode") == 0)
			return policy_fail(
				st, where,
				"processContainer.capabilities must not include reserved "
				"learning-mode capability '%s'; use processContainer.learningMode "
				"for deny-and-record mode or --audit for permissive mode",
				esc);
	}

	out = pc->capture_denials.output_path;
	if (pc->capture_denials.present && out) {
		_cleanup_free_ char *parent = NULL;
		struct stat stbuf;
		char *slash;

		mxc_escape_diag(esc, sizeof(esc), out);
		if (out[0] != '/')
			return policy_fail(st, "processContainer.captureDenials.outputPath",
					   "processContainer.captureDenials.outputPath must be an "
					   "absolute path, got '%s'",
					   esc);
		if (strspn(out, "/") == strlen(out) ||
		    (stat(out, &stbuf) >= 0 && S_ISDIR(stbuf.st_mode)))
			return policy_fail(st, "processContainer.captureDenials.outputPath",
					   "processContainer.captureDenials.outputPath must name a "
					   "file, not a root or an existing directory: '%s'",
					   esc);
		parent = strdup(out);
		if (!parent)
			return -ENOMEM;
		slash = strrchr(parent, '/');
		if (slash == parent)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(parent, &stbuf) < 0 || !S_ISDIR(stbuf.st_mode))
			return policy_fail(st, "processContainer.captureDenials.outputPath",
					   "processContainer.captureDenials.outputPath parent "
					   "directory does not exist: '%s'",
					   esc);
	}
	return 0;
}

/* ---- filesystem (§3.1 step 9, §5.1) ------------------------------------------- */

static const char *const fs_lists[] = {"readwritePaths", "readonlyPaths", "deniedPaths"};
static const char *const fs_intent[] = {"readwrite", "readonly", "denied"};

static int check_fs_strings(struct policy_state *st, const struct wstrv *l, size_t which)
{
	char where[96], esc[1024];

	if (l->nul_entry) {
		(void)snprintf(where, sizeof(where), "filesystem.%s", fs_lists[which]);
		return policy_fail(st, where,
				   "Filesystem path '%s' contains an embedded NUL character",
				   l->nul_entry);
	}
	for (size_t i = 0; l->v && l->v[i]; i++) {
		const char *p = l->v[i];
		bool blank = true;

		(void)snprintf(where, sizeof(where), "filesystem.%s[%zu]", fs_lists[which], i);
		for (const char *q = p; *q; q++)
			if (!isspace((unsigned char)*q))
				blank = false;
		if (blank)
			return policy_fail(st, where, "Filesystem path is empty");
		if (strchr(p, '"')) {
			mxc_escape_diag(esc, sizeof(esc), p);
			return policy_fail(st, where,
					   "Filesystem path '%s' contains invalid character '\"'",
					   esc);
		}
	}
	return 0;
}

/* Remove from lists[weak] every entry also in lists[strong], with a note. */
static int fs_collapse(struct mxc_config *c, char **lists[3], size_t weak, size_t strong)
{
	char esc[1024];
	int r;

	for (size_t i = 0; lists[weak][i];) {
		if (!strv_contains(lists[strong], lists[weak][i])) {
			i++;
			continue;
		}
		mxc_escape_diag(esc, sizeof(esc), lists[weak][i]);
		r = policy_note(c,
				"Filesystem path '%s' appears in '%s' and '%s'; applying "
				"most-restrictive intent (%s)",
				esc, fs_lists[weak], fs_lists[strong], fs_intent[strong]);
		if (r < 0)
			return r;
		strv_remove_at(lists[weak], i);
	}
	return 0;
}

static int check_filesystem(struct policy_state *st)
{
	const struct w_filesystem *fs = &st->w->filesystem;
	const struct wstrv *wl[3] = {&fs->rw, &fs->ro, &fs->denied};
	struct mxc_config *c = st->c;
	char **lists[3];
	int r;

	for (size_t i = 0; i < 3; i++) {
		r = check_fs_strings(st, wl[i], i);
		if (r < 0)
			return r;
	}
	c->readwrite_paths = wl[0]->v ? strv_copy(wl[0]->v) : calloc(1, sizeof(char *));
	c->readonly_paths = wl[1]->v ? strv_copy(wl[1]->v) : calloc(1, sizeof(char *));
	c->denied_paths = wl[2]->v ? strv_copy(wl[2]->v) : calloc(1, sizeof(char *));
	if (!c->readwrite_paths || !c->readonly_paths || !c->denied_paths)
		return -ENOMEM;
	lists[0] = c->readwrite_paths;
	lists[1] = c->readonly_paths;
	lists[2] = c->denied_paths;

	/* most restrictive wins: denied > readonly > readwrite */
	r = fs_collapse(c, lists, 0, 2);
	if (r >= 0)
		r = fs_collapse(c, lists, 0, 1);
	if (r >= 0)
		r = fs_collapse(c, lists, 1, 2);
	if (r < 0)
		return r;

	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; lists[k][i]; i++) {
			struct stat stbuf;
			char esc[1024];
			if (stat(lists[k][i], &stbuf) >= 0 || (errno != ENOENT && errno != ENOTDIR))
				continue;
			mxc_escape_diag(esc, sizeof(esc), lists[k][i]);
			r = policy_note(c,
					"WARNING: filesystem path '%s' (in '%s') does not exist on "
					"the host; the backend may fail at mount time",
					esc, fs_lists[k]);
			if (r < 0)
				return r;
		}
	return 0;
}

/* ---- experimental (§1.5) ------------------------------------------------------ */

static int check_experimental(struct policy_state *st)
{
	const struct w_exp_wslc *wslc = &st->w->experimental.wslc;
	char where[96];

	for (size_t i = 0; i < wslc->n_port_mappings; i++) {
		const struct w_port_mapping *m = &wslc->port_mappings[i];
		if (m->windows_port.v == 0 || m->container_port.v == 0) {
			const char *f = m->windows_port.v == 0 ? "windowsPort" : "containerPort";
			(void)snprintf(where, sizeof(where),
				       "experimental.wslc.portMappings[%zu].%s", i, f);
			return policy_fail(st, where, "%s must be between 1 and 65535", where);
		}
		for (size_t j = 0; j < i; j++)
			if (wslc->port_mappings[j].windows_port.v == m->windows_port.v) {
				(void)snprintf(where, sizeof(where),
					       "experimental.wslc.portMappings[%zu]", i);
				return policy_fail(st, where,
						   "experimental.wslc.portMappings contains a "
						   "duplicate mapping for windowsPort %u/tcp",
						   (unsigned)m->windows_port.v);
			}
	}
	if (st->w->experimental.test.message) {
		st->c->experimental_test_message = strdup(st->w->experimental.test.message);
		if (!st->c->experimental_test_message)
			return -ENOMEM;
	}
	return 0;
}

/* ---- the pipeline -------------------------------------------------------------- */

static int validate(struct policy_state *st)
{
	struct w_config *w = st->w;
	struct mxc_config *c = st->c;
	int r;

	/* step 3: directional-field version gate (absent counts as unsupported,
	 * an unparsable version skips the gate so the semver error wins) */
	parse_version(st);
	if ((w->network.egress.present || w->network.ingress.present || w->runtime_config.present ||
	     w->process_container.network.present) &&
	    (!c->has_version || c->version_parsed) && !version_supports_directional(c)) {
		const char *where = w->network.egress.present	 ? "network.egress"
				    : w->network.ingress.present ? "network.ingress"
				    : w->runtime_config.present	 ? "runtimeConfig"
								 : "processContainer.network";
		return policy_fail(st, where,
				   "network.egress, network.ingress, runtimeConfig, and "
				   "processContainer.network require schema version 0.8 or later");
	}

	/* step 4: state-aware-only fields */
	if (w->phase.set)
		return policy_fail(st, "phase",
				   "'phase' is only valid on state-aware lifecycle requests");
	if (w->sandbox_id)
		return policy_fail(st, "sandboxId",
				   "'sandboxId' is only valid on state-aware lifecycle requests");
	if (w->correlation_vector)
		return policy_fail(
			st, "correlationVector",
			"'correlationVector' is only valid on state-aware lifecycle requests");

	/* step 5 */
	r = check_version_range(st);
	if (r < 0)
		return r;
	if (c->has_version) {
		c->version = strdup(w->version);
		if (!c->version)
			return -ENOMEM;
	}

	/* step 6 */
	r = check_process(st);
	if (r < 0)
		return r;

	/* step 7 */
	c->containment =
		w->containment.set ? (enum mxc_containment)w->containment.v : MXC_CONTAINMENT_UNSET;
	c->backend = backend_for(c->containment);
	r = check_backend_sections(st);
	if (r < 0)
		return r;

	/* step 8 */
	r = check_process_container(st);
	if (r < 0)
		return r;

	/* step 9 */
	r = check_filesystem(st);
	if (r < 0)
		return r;

	/* step 10 */
	r = policy_validate_network(st);
	if (r < 0)
		return r;

	/* step 11 */
	c->destroy_on_exit =
		w->lifecycle.destroy_on_exit.set ? w->lifecycle.destroy_on_exit.v : true;
	c->preserve_policy =
		w->lifecycle.preserve_policy.set ? w->lifecycle.preserve_policy.v : false;
	r = check_experimental(st);
	if (r < 0)
		return r;
	r = policy_validate_limits(st);
	if (r < 0)
		return r;
	c->has_lifecycle = w->lifecycle.present;
	c->has_ui = w->ui.present;
	c->has_fallback = w->fallback.present;
	c->has_process_container = w->process_container.present;
	c->has_lxc = w->lxc.present;
	c->has_seatbelt = w->seatbelt.present;
	c->has_experimental = w->experimental.present;
	c->container_id = strdup(w->container_id ? w->container_id : "");
	c->lxc_distribution = strdup(w->lxc.distribution ? w->lxc.distribution : "");
	c->lxc_release = strdup(w->lxc.release ? w->lxc.release : "");
	if (!c->container_id || !c->lxc_distribution || !c->lxc_release)
		return -ENOMEM;

	/* step 12 (run-time upstream; done last here) */
	if (c->net.proxy.kind == MXC_PROXY_BUILTIN && !c->testing_features_enabled)
		return policy_fail(
			st, "network.proxy.builtinTestServer",
			"network.proxy.builtinTestServer is a testing-only feature and requires "
			"the --allow-testing-features flag. For production, point network.proxy at "
			"a real HTTP proxy via 'localhost' or 'url'.");
	return 0;
}

int policy_parse(const char *json, size_t len, const struct mxc_parse_options *opts,
		 struct mxc_config **ret, struct mxc_error *reterr)
{
	_cleanup_(policy_freep) struct mxc_config *c = NULL;
	struct w_config w = {};
	struct policy_state st;
	int r;

	if (!json || !ret)
		return -EINVAL;
	r = policy_wire_parse(json, len, &w, reterr);
	if (r < 0) {
		policy_wire_free(&w);
		if (r == -ENOMEM)
			return mxc_error_set(reterr, r, MXC_ERROR_CONFIG, "Out of memory");
		return r;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		policy_wire_free(&w);
		return mxc_error_set(reterr, -ENOMEM, MXC_ERROR_CONFIG, "Out of memory");
	}
	c->notes = calloc(1, sizeof(char *));
	c->experimental_enabled = opts && opts->experimental;
	c->testing_features_enabled = opts && opts->allow_testing_features;
	st = (struct policy_state){
		.text = json, .len = len, .opts = opts, .w = &w, .c = c, .reterr = reterr};
	r = c->notes ? validate(&st) : -ENOMEM;
	policy_wire_free(&w);
	if (r == -ENOMEM)
		return mxc_error_set(reterr, r, MXC_ERROR_CONFIG, "Out of memory");
	if (r < 0)
		return r;
	*ret = TAKE_PTR(c);
	return 0;
}

struct mxc_config *policy_free(struct mxc_config *c)
{
	if (!c)
		return NULL;
	free(c->version);
	free(c->container_id);
	free(c->command_line);
	free(c->cwd);
	strv_free(c->env);
	strv_free(c->readwrite_paths);
	strv_free(c->readonly_paths);
	strv_free(c->denied_paths);
	strv_free(c->net.allowed_hosts);
	strv_free(c->net.blocked_hosts);
	free(c->net.proxy.url);
	free(c->net.proxy.host);
	free(c->net.proxy.scheme);
	for (size_t k = 0; k < 2; k++) {
		struct mxc_net_rule *rules = k ? c->net.egress_deny : c->net.egress_allow;
		size_t n = k ? c->net.n_egress_deny : c->net.n_egress_allow;
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < rules[i].n_to; j++) {
				free(rules[i].to[j].cidr);
				strv_free(rules[i].to[j].except);
			}
			free(rules[i].to);
			free(rules[i].ports);
		}
		free(rules);
	}
	free(c->lxc_distribution);
	free(c->lxc_release);
	free(c->experimental_test_message);
	strv_free(c->notes);
	free(c);
	return NULL;
}
