/* SPDX-License-Identifier: MIT */
/*
 * e2e: network policy (firewall, filtering proxy, relay proxy) inside the
 * network test topology of tests/net/ (topology.sh builds it, in-cli.sh runs
 * this binary in its client netns mxct-cli; see tests/net/topology.sh for
 * the addresses and servers).
 *
 * Each test writes one config, runs `mxc run --dry-run` (plan.network.mode
 * must be the expected mode), then runs a list of steps in the sandbox: probe
 * ops (one output line each) or shell lines ("sh:" prefix, also one line),
 * and matches each output line against an expectation. Events, leftovers
 * and the client netns's nftables ruleset are checked by the tests that need
 * them.
 *
 * Variants as in test-e2e.c: MXC_E2E_VARIANT=root|user, MXC_E2E_CONTAINMENT
 * for the backend. Without the topology the binary skips (fails under
 * MXC_TEST_MUST_WORK=1).
 */
#include "e2e-util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Topology addresses (tests/net/topology.sh, tests/net/hosts). */
#define ALLOWED "198.18.1.1" /* allowed.test */
#define BLOCKED "198.18.2.1" /* blocked.test */
#define OTHER	"198.18.3.1" /* other.test, proxy.test */
#define SRV	"198.18.0.2" /* mxct-srv on the veth; the DNS server */
#define SRV6	"2001:db8:18::2"
#define CLI	"198.18.0.1" /* mxct-cli (where mxc runs) */
#define CLI6	"2001:db8:18::1"
#define V6A	"2001:db8:1::1" /* v6.test */
#define V6B	"2001:db8:2::1" /* blocked6.test */

/* Where topology.sh keeps its state (the CA certificate). */
static const char *np_state(void)
{
	const char *s = getenv("MXCT_STATE");

	return s && *s ? s : "/run/mxct";
}

/* ---- configs ------------------------------------------------------------ */

/* JSON text with ' for " (the configs below contain no apostrophes). */
static char *np_json(const char *text)
{
	char *s = strdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

struct np_step {
	const char *cmd;    /* probe op and args, or "sh:" + a shell line printing one line */
	const char *expect; /* see np_match() */
};

struct np_case {
	const char *version; /* NULL: the e2e default (0.8.0-alpha) */
	const char *network; /* JSON (' for "), the "network" key; NULL: none */
	const char *runtime; /* JSON (' for "), the "runtimeConfig" key; NULL: none */
	const char *mode;    /* expected plan.network.mode */
	bool testing;	     /* --allow-testing-features */
	bool events;	     /* --events FILE (read into np_events after the run) */
	const char *env[4];  /* process.env entries */
	long timeout_ms;     /* process.timeout; 0: none */
	int exit_code;	     /* expected exit status of mxc run */
	const char *trailer; /* shell appended after the steps (e.g. "exit 3") */
	struct e2e_run_opts *opts;
};

static char *np_events; /* events file text of the last run (NULL: none) */

/* The command line: P=<probe> C=<cert>; step; step; ... */
static char *np_command(const struct np_step *steps, const char *trailer)
{
	char *cmd = e2e_strf("P=%s; C=%s/cert.pem", e2e_probe, np_state());

	for (size_t i = 0; steps[i].cmd; i++) {
		const char *s = steps[i].cmd;
		char *next = !strncmp(s, "sh:", 3) ? e2e_strf("%s; %s", cmd, s + 3)
						   : e2e_strf("%s; \"$P\" %s", cmd, s);

		free(cmd);
		cmd = next;
	}
	if (trailer) {
		char *next = e2e_strf("%s; %s", cmd, trailer);

		free(cmd);
		cmd = next;
	}
	return cmd;
}

static char *np_write_config(const struct np_case *k, const char *cmd)
{
	struct e2e_cfg *c = e2e_cfg_new(cmd);

	if (k->version)
		e2e_cfg_version(c, k->version);
	if (k->network) {
		char *j = np_json(k->network);

		e2e_cfg_set_json(c, "network", j);
		free(j);
	}
	if (k->runtime) {
		char *j = np_json(k->runtime);

		e2e_cfg_set_json(c, "runtimeConfig", j);
		free(j);
	}
	for (size_t i = 0; i < 4 && k->env[i]; i++)
		e2e_cfg_env(c, k->env[i]);
	if (k->timeout_ms)
		e2e_cfg_timeout(c, k->timeout_ms);
	/* The CA certificate for curl (HTTPS through the proxy). */
	e2e_cfg_ro(c, np_state());
	return e2e_cfg_write(c);
}

/* Runs `mxc run [--dry-run] [--allow-testing-features] [--events F] CONFIG`. */
static void np_mxc(struct e2e_result *r, const struct np_case *k, const char *cfg, bool dry,
		   const char *events)
{
	const char *args[8];
	size_t n = 0;

	args[n++] = "run";
	if (dry)
		args[n++] = "--dry-run";
	if (k->testing)
		args[n++] = "--allow-testing-features";
	if (events) {
		args[n++] = "--events";
		args[n++] = events;
	}
	args[n++] = cfg;
	args[n] = NULL;
	e2e_runv(r, dry ? NULL : k->opts, args);
}

/* plan.network.mode of a dry run (asserts that the config is accepted). */
static void np_assert_mode(const struct np_case *k, const char *cfg)
{
	struct e2e_result r;
	json_error_t jerr;
	json_t *j, *mode;

	np_mxc(&r, k, cfg, true, NULL);
	ck_assert_msg(r.exit_code == 0,
		      "mxc run --dry-run refused the config: exit %d, stderr=[%s]", r.exit_code,
		      r.err_esc);
	j = json_loads(r.out, 0, &jerr);
	ck_assert_msg(j, "dry-run output is not JSON (%s): [%s]", jerr.text, r.out_esc);
	mode = json_object_get(json_object_get(json_object_get(j, "plan"), "network"), "mode");
	ck_assert_msg(json_is_string(mode), "dry-run has no plan.network.mode: [%s]", r.out_esc);
	ck_assert_msg(!strcmp(json_string_value(mode), k->mode),
		      "plan.network.mode is '%s', expected '%s'", json_string_value(mode), k->mode);
	json_decref(j);
	e2e_result_free(&r);
}

/* ---- matching output lines ------------------------------------------------ */

/*
 * A TCP connection refused by the sandbox's own firewall fails at once: the
 * spec says EPERM (an OUTPUT drop); netfilter only reports that for datagrams,
 * a dropped SYN makes connect() wait, so a reject is what fails "at once"
 * (ECONNREFUSED for a reset/port-unreachable, EHOSTUNREACH for
 * admin-prohibited). ETIMEDOUT (the probe's 3 s) is never accepted: every
 * destination port the tests use has a server.
 */
#define NP_DENY_TCP "EPERM|EHOSTUNREACH|ECONNREFUSED|EACCES"
/* A refused datagram: sendto() fails with EPERM. */
#define NP_DENY_UDP "EPERM"
/* A refused ping: sendto() EPERM, or no ping socket at all (ping_group_range closed). */
#define NP_DENY_ICMP "EPERM|EACCES"
/* ICMPv6: the kernel drops the error of an IPv6 ping socket's send (icmpv6_push_pending_frames
 * ignores it), so a dropped echo request shows as no reply. */
#define NP_DENY_ICMP6 "EPERM|EACCES|ETIMEDOUT"
/* An allowed IPv6 ping passes the ruleset, but slirp4netns does not carry
 * ICMPv6 echo beyond itself ("external icmpv6 not supported yet";
 * docs/network.md), so no reply comes: the ruleset's part is checked through
 * the events (no firewall denial for the address) where it matters. */
#define NP_ALLOW_ICMP6 "=OK reply || ETIMEDOUT"
/* No route out (proxy modes, isolated): Landlock may refuse TCP first (EACCES). */
#define NP_NOROUTE "ENETUNREACH|EACCES"

/*
 * Does the (escaped) output line meet the expectation?
 *   "ok"           the op succeeded ("OK ...")
 *   "ok TEXT"      it succeeded and the unescaped line contains TEXT
 *   "has TEXT"     the unescaped line contains TEXT (shell steps)
 *   "not TEXT"     the unescaped line does not contain TEXT (any result)
 *   "=TEXT"        the unescaped line is TEXT
 *   "deny" "deny-udp" "deny-icmp" "deny-icmp6" "noroute"   the errno sets above
 *   "ENAME|ENAME"  one of these errno names
 *   "A || B"       A or B (any of the above)
 */
static bool np_match(const char *line, const char *expect)
{
	const char *alt = strstr(expect, " || ");
	char *u;
	bool ok;

	if (alt) {
		char *first = strndup(expect, (size_t)(alt - expect));

		ok = np_match(line, first) || np_match(line, alt + 4);
		free(first);
		return ok;
	}
	u = e2e_unescape(line);
	if (!strcmp(expect, "ok"))
		ok = !strncmp(u, "OK", 2);
	else if (!strncmp(expect, "ok ", 3))
		ok = !strncmp(u, "OK ", 3) && strstr(u + 3, expect + 3);
	else if (!strncmp(expect, "has ", 4))
		ok = strstr(u, expect + 4) != NULL;
	else if (!strncmp(expect, "not ", 4))
		ok = strstr(u, expect + 4) == NULL;
	else if (expect[0] == '=')
		ok = !strcmp(u, expect + 1);
	else if (!strcmp(expect, "deny"))
		ok = e2e_in_list(u, NP_DENY_TCP);
	else if (!strcmp(expect, "deny-udp"))
		ok = e2e_in_list(u, NP_DENY_UDP);
	else if (!strcmp(expect, "deny-icmp"))
		ok = e2e_in_list(u, NP_DENY_ICMP);
	else if (!strcmp(expect, "deny-icmp6"))
		ok = e2e_in_list(u, NP_DENY_ICMP6);
	else if (!strcmp(expect, "noroute"))
		ok = e2e_in_list(u, NP_NOROUTE);
	else
		ok = e2e_in_list(u, expect);
	free(u);
	return ok;
}

/* Runs the case: dry-run mode check, the run, the exit status, every step's line. */
static void np_run_case(const struct np_case *k, const struct np_step *steps,
			struct e2e_result *ret)
{
	struct e2e_result r;
	char *cmd = np_command(steps, k->trailer);
	char *cfg = np_write_config(k, cmd);
	char *events = k->events ? e2e_path("events.jsonl") : NULL;
	char *fails = strdup("");
	size_t n = 0;

	np_assert_mode(k, cfg);
	np_mxc(&r, k, cfg, false, events);
	ck_assert_msg(r.exit_code == k->exit_code, "exit %d, expected %d; stdout=[%s] stderr=[%s]",
		      r.exit_code, k->exit_code, r.out_esc, r.err_esc);
	for (; steps[n].cmd; n++) {
		char *line = e2e_line(&r, (int)n);

		if (!np_match(line, steps[n].expect)) {
			char *u = e2e_unescape(line);
			/* One line: Check's TAP output does not continue a message. */
			char *f = e2e_strf("%s [%s] gave [%s], expected [%s];", fails, steps[n].cmd,
					   e2e_esc(u), steps[n].expect);

			free(fails);
			free(u);
			fails = f;
		}
		free(line);
	}
	ck_assert_msg(!*fails, "mode %s:%s stderr=[%s]", k->mode, fails, r.err_esc);
	ck_assert_msg(e2e_nlines(&r) == (int)n, "%d output lines for %zu steps: [%s]",
		      e2e_nlines(&r), n, r.out_esc);
	free(np_events);
	np_events = events ? e2e_read_file(events, NULL) : NULL;
	if (events)
		ck_assert_msg(np_events, "mxc did not create the events file %s", events);
	free(fails);
	free(events);
	free(cmd);
	free(cfg);
	if (ret)
		*ret = r;
	else
		e2e_result_free(&r);
}

/* ---- events --------------------------------------------------------------- */

/* Does JSON object o carry every "key=value" of the space-separated spec? */
static bool np_event_has(json_t *o, const char *spec)
{
	char *copy = strdup(spec);
	bool ok = true;

	for (char *save = NULL, *kv = strtok_r(copy, " ", &save); ok && kv;
	     kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');
		json_t *v;

		*eq = '\0';
		v = json_object_get(o, kv);
		if (json_is_integer(v))
			ok = json_integer_value(v) == atoll(eq + 1);
		else if (!strcmp(eq + 1, "*"))
			ok = json_is_string(v) && *json_string_value(v);
		else
			ok = json_is_string(v) && !strcmp(json_string_value(v), eq + 1);
	}
	free(copy);
	return ok;
}

/* Every line of the events file is a network event object; one matches spec
 * (or, with `absent`, none does). */
static void np_check_event(const char *spec, bool absent)
{
	char *copy, *save = NULL;
	bool found = false;

	ck_assert_msg(np_events, "no events file");
	copy = strdup(np_events);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		json_error_t jerr;
		json_t *o = json_loads(l, JSON_REJECT_DUPLICATES, &jerr);

		ck_assert_msg(json_is_object(o), "event line is not a JSON object (%s): [%s]",
			      jerr.text, l);
		if (np_event_has(o, "kind=network")) {
			ck_assert_msg(np_event_has(o, "time=* sandbox=* source=* decision=*"),
				      "network event without time/sandbox/source/decision: [%s]",
				      l);
			if (np_event_has(o, spec))
				found = true;
		}
		json_decref(o);
	}
	free(copy);
	if (absent)
		ck_assert_msg(!found, "an event with %s in [%s]", spec, e2e_esc(np_events));
	else
		ck_assert_msg(found, "no event with %s in [%s]", spec, e2e_esc(np_events));
}

static void np_assert_event(const char *spec)
{
	np_check_event(spec, false);
}

static void np_assert_no_event(const char *spec)
{
	np_check_event(spec, true);
}

/* ---- leftovers -------------------------------------------------------------- */

static char *np_netns_of(const char *pid)
{
	char path[64], buf[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

/* "PID:COMM ..." of the network helpers (mxc-netd, pasta/passt, slirp4netns) in
 * this process's network namespace (mxct-cli), where mxc starts them. */
static char *np_helpers(void)
{
	char *self = np_netns_of("self"), *list = strdup("");
	DIR *d = opendir("/proc");
	struct dirent *de;

	ck_assert(d && self);
	while ((de = readdir(d))) {
		char path[300], comm[64] = "", *ns, *next;
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, "mxc-netd") && strncmp(comm, "pasta", 5) &&
		    strncmp(comm, "passt", 5) && strcmp(comm, "slirp4netns"))
			continue;
		ns = np_netns_of(de->d_name);
		if (!ns || strcmp(ns, self)) {
			free(ns);
			continue;
		}
		free(ns);
		next = e2e_strf("%s%s%s:%s", list, *list ? " " : "", de->d_name, comm);
		free(list);
		list = next;
	}
	closedir(d);
	free(self);
	return list;
}

/* Waits up to ms for the helpers to be gone; returns what is left. */
static char *np_wait_no_helpers(int ms)
{
	double end = e2e_now() + ms / 1000.0;
	char *left;

	for (;;) {
		left = np_helpers();
		if (!*left || e2e_now() >= end)
			return left;
		free(left);
		e2e_sleep_ms(50);
	}
}

/* The client netns's nftables ruleset (root only; NULL otherwise). */
static char *np_cli_ruleset(void)
{
	char buf[4096];
	size_t len = 0, n;
	char *out = strdup("");
	FILE *p;

	if (geteuid() != 0)
		return NULL;
	p = popen("nft list ruleset 2>&1", "r");
	ck_assert(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = realloc(out, len + n + 1);
		memcpy(out + len, buf, n);
		len += n;
		out[len] = '\0';
	}
	pclose(p);
	return out;
}

struct np_snapshot {
	char *netns;   /* ls /run/netns */
	char *ruleset; /* root: nft list ruleset of mxct-cli */
};

static void np_snap(struct np_snapshot *s)
{
	char *left = np_helpers();

	ck_assert_msg(!*left, "network helpers already running before the test: %s", left);
	free(left);
	s->netns = e2e_ls("/run/netns");
	s->ruleset = np_cli_ruleset();
	if (s->ruleset)
		ck_assert_msg(strstr(s->ruleset, "mxct_marker"),
			      "the topology's marker table is missing from mxct-cli: [%s]",
			      e2e_esc(s->ruleset));
}

/* Nothing left behind: no helpers, no new named netns, the cli ruleset as before. */
static void np_assert_clean(struct np_snapshot *s)
{
	char *left = np_wait_no_helpers(5000);
	char *netns = e2e_ls("/run/netns");
	char *ruleset = np_cli_ruleset();

	ck_assert_msg(!*left, "network helpers left behind: %s", left);
	ck_assert_msg(!strcmp(netns, s->netns), "/run/netns was [%s], is [%s]", s->netns, netns);
	if (s->ruleset)
		ck_assert_msg(!strcmp(ruleset, s->ruleset),
			      "the nftables ruleset of mxct-cli changed: before [%s] after [%s]",
			      e2e_esc(s->ruleset), e2e_esc(ruleset));
	free(left);
	free(netns);
	free(ruleset);
	free(s->netns);
	free(s->ruleset);
}

/* ---- isolated and host (unchanged modes, as a baseline in this topology) ----- */

START_TEST(np_isolated)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "noroute"},
		{"udp " ALLOWED " 7001 x", "ENETUNREACH"},
		{"tcp 127.0.0.1 7777", "ECONNREFUSED|EACCES"},
		{"netdevs", "=OK lo"},
		{0},
	};
	const struct np_case k = {.network = "{'egress':{'default':'deny'}}", .mode = "isolated"};

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(np_host)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		/* The host network includes its loopback services. */
		{"tcp 127.0.0.1 7777", "ok CLIHOST 127.0.0.1 7777"},
		{0},
	};
	const struct np_case k = {
		.network = "{'defaultPolicy':'allow','allowLocalNetwork':true}",
		.mode = "host",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

/* ---- firewall: 0.8 egress rules ----------------------------------------------- */

#define FW_CASE(net)                                                                               \
	{                                                                                          \
		.network = (net), .mode = "firewall"                                               \
	}

START_TEST(fw_cidr)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"udp " ALLOWED " 7001 x", "ok UDP 198.18.1.1 7001 x"},
		{"tcp " BLOCKED " 7001", "deny"},
		{"tcp " OTHER " 7001", "deny"},
		{"udp " BLOCKED " 7001 x", "deny-udp"},
		{"tcp " V6A " 7001", "deny"},
		{0},
	};
	const struct np_case k = FW_CASE(
		"{'egress':{'default':'deny','allow':[{'to':[{'cidr':'198.18.1.0/24'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_cidr_except)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"tcp " OTHER " 7002", "ok TOK 198.18.3.1 7002"},
		{"tcp " BLOCKED " 7001", "deny"},
		{"udp " BLOCKED " 7001 x", "deny-udp"},
		{"tcp " V6A " 7001", "ok TOK 2001:db8:1::1 7001"},
		{"tcp " V6B " 7001", "deny"},
		{0},
	};
	const struct np_case k = FW_CASE(
		"{'egress':{'allow':[{'to':[{'cidr':'198.18.0.0/16','except':['198.18.2.0/24']},"
		"{'cidr':'2001:db8::/32','except':['2001:db8:2::/48']}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_port)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"tcp " ALLOWED " 7002", "deny"},
		{"udp " ALLOWED " 7001 x", "deny-udp"},
		{"tcp " BLOCKED " 7001", "deny"},
		{0},
	};
	const struct np_case k = FW_CASE("{'egress':{'allow':[{'to':[{'cidr':'198.18.1.1/32'}],"
					 "'ports':[{'port':7001,'protocol':'tcp'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_port_range)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7010", "ok TOK 198.18.1.1 7010"},
		{"tcp " ALLOWED " 7011", "ok TOK 198.18.1.1 7011"},
		{"tcp " ALLOWED " 7012", "deny"},
		{"tcp " ALLOWED " 7003", "deny"},
		{"udp " ALLOWED " 7010 x", "deny-udp"},
		{0},
	};
	const struct np_case k =
		FW_CASE("{'egress':{'allow':[{'to':[{'cidr':'198.18.1.0/24'}],"
			"'ports':[{'port':7010,'endPort':7011,'protocol':'tcp'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_udp_only)
{
	static const struct np_step steps[] = {
		{"udp " ALLOWED " 7001 u1", "ok UDP 198.18.1.1 7001 u1"},
		{"udp " ALLOWED " 7002 u2", "deny-udp"},
		{"tcp " ALLOWED " 7001", "deny"},
		{"ping " ALLOWED, "deny-icmp"},
		{"udp " V6A " 7001 u3", "ok UDP 2001:db8:1::1 7001 u3"},
		{"tcp " V6A " 7001", "deny"},
		{0},
	};
	const struct np_case k = FW_CASE(
		"{'egress':{'allow':[{'to':[{'cidr':'198.18.1.1/32'},{'cidr':'2001:db8:1::/64'}],"
		"'ports':[{'port':7001,'protocol':'udp'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_icmp)
{
	static const struct np_step steps[] = {
		{"ping " ALLOWED, "=OK reply"},
		{"ping " V6A, NP_ALLOW_ICMP6},
		{"ping " BLOCKED, "deny-icmp"},
		{"ping " V6B, "deny-icmp6"},
		{"tcp " ALLOWED " 7001", "deny"},
		{"udp " ALLOWED " 7001 x", "deny-udp"},
		{0},
	};
	const struct np_case k = {
		.network = "{'egress':{'allow':[{'to':[{'cidr':'198.18.1.1/"
			   "32'},{'cidr':'2001:db8:1::1/"
			   "128'}],'ports':[{'protocol':'icmp'}]}]}}",
		.mode = "firewall",
		.events = true,
	};

	np_run_case(&k, steps, NULL);
	/* ICMPv6: allowed by the ruleset (no denial), denied elsewhere. */
	np_assert_no_event("source=firewall decision=deny protocol=icmpv6 address=2001:db8:1::1");
	np_assert_event("source=firewall decision=deny protocol=icmpv6 address=2001:db8:2::1");
	np_assert_event("source=firewall decision=deny protocol=icmp address=198.18.2.1");
}
END_TEST

START_TEST(fw_any)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7002", "ok TOK 198.18.1.1 7002"},
		{"udp " ALLOWED " 7002 a", "ok UDP 198.18.1.1 7002 a"},
		{"ping " ALLOWED, "=OK reply"},
		{"tcp " V6A " 7003", "ok TOK 2001:db8:1::1 7003"},
		{"udp " V6A " 7010 b", "ok UDP 2001:db8:1::1 7010 b"},
		{"ping " V6A, NP_ALLOW_ICMP6},
		{"tcp " BLOCKED " 7002", "deny"},
		{0},
	};
	/* protocol any with a port range (all of them), and a rule without ports. */
	const struct np_case k =
		FW_CASE("{'egress':{'allow':["
			"{'to':[{'cidr':'198.18.1.1/32'}],'ports':[{'protocol':'any'}]},"
			"{'to':[{'cidr':'2001:db8:1::1/128'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_deny_overlap)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"tcp " ALLOWED " 7002", "deny"},
		{"udp " ALLOWED " 7002 x", "ok UDP 198.18.1.1 7002 x"},
		{"tcp " BLOCKED " 7001", "deny"},
		{"udp " BLOCKED " 7001 x", "deny-udp"},
		{"tcp " OTHER " 7001", "ok TOK 198.18.3.1 7001"},
		{0},
	};
	/* deny beats allow, whatever the order and the overlap. */
	const struct np_case k =
		FW_CASE("{'egress':{'default':'deny','allow':[{'to':[{'cidr':'198.18.0.0/16'}]}],"
			"'deny':[{'to':[{'cidr':'198.18.1.1/"
			"32'}],'ports':[{'port':7002,'protocol':'tcp'}]},"
			"{'to':[{'cidr':'198.18.2.0/24'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_default_allow)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"tcp " OTHER " 7003", "ok TOK 198.18.3.1 7003"},
		{"tcp " V6A " 7001", "ok TOK 2001:db8:1::1 7001"},
		{"udp " V6A " 7001 x", "ok UDP 2001:db8:1::1 7001 x"},
		{"ping " ALLOWED, "=OK reply"},
		{"tcp " BLOCKED " 7001", "deny"},
		{"tcp " V6B " 7001", "deny"},
		{"udp " V6B " 7001 x", "deny-udp"},
		{"ping " V6B, "deny-icmp6"},
		{0},
	};
	const struct np_case k =
		FW_CASE("{'egress':{'default':'allow','deny':[{'to':[{'cidr':'198.18.2.0/24'},"
			"{'cidr':'2001:db8:2::/64'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_ipv6)
{
	static const struct np_step steps[] = {
		{"tcp " V6A " 7001", "ok TOK 2001:db8:1::1 7001"},
		{"udp " V6A " 7002 six", "ok UDP 2001:db8:1::1 7002 six"},
		{"ping " V6A, NP_ALLOW_ICMP6},
		{"tcp " V6B " 7001", "deny"},
		{"udp " V6B " 7001 x", "deny-udp"},
		{"tcp " ALLOWED " 7001", "deny"},
		{"tcp fd00:ec2::254 7001", "deny"},
		{0},
	};
	const struct np_case k =
		FW_CASE("{'egress':{'allow':[{'to':[{'cidr':'2001:db8:1::/64'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_dns_allowed)
{
	static const struct np_step steps[] = {
		{"dns " SRV " 53 allowed.test A udp", "=OK NOERROR 198.18.1.1"},
		{"dns " SRV " 53 v6.test AAAA udp", "=OK NOERROR 2001:db8:1::1"},
		{"dns " SRV " 53 allowed.test A tcp", "deny"},
		{"dns " SRV6 " 53 blocked.test A tcp", "=OK NOERROR 198.18.2.1"},
		{"dns " SRV6 " 53 blocked.test A udp", "deny-udp"},
		{"dns " ALLOWED " 53 allowed.test A udp", "deny-udp"},
		/* A name resolved is not an address allowed. */
		{"tcp " ALLOWED " 7001", "deny"},
		{0},
	};
	const struct np_case k = FW_CASE(
		"{'egress':{'allow':[{'to':[{'cidr':'198.18.0.2/"
		"32'}],'ports':[{'port':53,'protocol':'udp'}]},"
		"{'to':[{'cidr':'2001:db8:18::2/128'}],'ports':[{'port':53,'protocol':'tcp'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_dns_denied)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"dns " SRV " 53 allowed.test A udp", "deny-udp"},
		{"dns " SRV " 53 allowed.test A tcp", "deny"},
		{"dns " SRV6 " 53 allowed.test A udp", "deny-udp"},
		/* slirp4netns's DNS forwarder is no exception */
		{"dns 10.0.2.3 53 allowed.test A udp", "deny-udp"},
		{0},
	};
	const struct np_case k =
		FW_CASE("{'egress':{'allow':[{'to':[{'cidr':'198.18.1.0/24'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_host_loopback)
{
	static const struct np_step steps[] = {
		/* Everything is allowed, yet the host's own services stay out of reach. */
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"tcp 127.0.0.1 7777", "ECONNREFUSED"},
		{"tcp ::1 7777", "ECONNREFUSED"},
		{"http-proxy 127.0.0.1 8081 / localhost", "ECONNREFUSED"},
		/* pasta's and slirp4netns's host-loopback gateways; the host's own addresses
		 * (the loopback services must not answer there either) */
		{"tcp " SRV " 7777 2000", "not CLIHOST"},
		{"tcp " CLI " 7777 2000", "not CLIHOST"},
		{"tcp " CLI6 " 7777 2000", "not CLIHOST"},
		{"tcp 10.0.2.2 7777 2000", "not CLIHOST"},
		{"tcp " SRV6 " 7777 2000", "not CLIHOST"},
		{0},
	};
	const struct np_case k = FW_CASE("{'egress':{'default':'allow'}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_sandbox_loopback)
{
	static const struct np_step steps[] = {
		/* A UDP echo server on the sandbox's own lo (in the background), and a client;
		 * the rules allow neither. */
		{"sh:\"$P\" udp-echo 127.0.0.1 47003 3000 >/dev/null & sleep 0.3; "
		 "\"$P\" udp 127.0.0.1 47003 lo4; wait",
		 "=OK ECHO lo4"},
		{"sh:\"$P\" udp-echo ::1 47003 3000 >/dev/null & sleep 0.3; \"$P\" udp ::1 47003 "
		 "lo6; wait",
		 "=OK ECHO lo6"},
		/* A TCP SYN to a closed port on lo is answered (a drop would time out). Landlock
		 * denies TCP bind in the sandbox, so there is no TCP server to reach. */
		{"tcp 127.0.0.1 47002", "ECONNREFUSED"},
		{"tcp ::1 47002", "ECONNREFUSED"},
		{"tcp " BLOCKED " 7001", "deny"},
		{0},
	};
	const struct np_case k =
		FW_CASE("{'egress':{'allow':[{'to':[{'cidr':'198.18.1.1/32'}]}]}}");

	np_run_case(&k, steps, NULL);
}
END_TEST

/* Connects from the cli side to the sandbox's listener while it runs. */
struct np_ingress {
	int port;
	int reached;	 /* connections that got the listener's PWNED */
	char seen[1024]; /* what the attempts gave */
};

static void np_ingress_try(pid_t pid, void *userdata)
{
	static const char *const addrs[] = {CLI, "127.0.0.1", CLI6, "::1"};
	struct np_ingress *in = userdata;
	double end = e2e_now() + 3.0;

	(void)pid;
	while (e2e_now() < end) {
		for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
			struct sockaddr_storage ss = {0};
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			socklen_t sl;
			char buf[16] = "";
			int fd;

			if (strchr(addrs[i], ':')) {
				s6->sin6_family = AF_INET6;
				s6->sin6_port = htons((uint16_t)in->port);
				inet_pton(AF_INET6, addrs[i], &s6->sin6_addr);
				sl = sizeof(*s6);
			} else {
				s4->sin_family = AF_INET;
				s4->sin_port = htons((uint16_t)in->port);
				inet_pton(AF_INET, addrs[i], &s4->sin_addr);
				sl = sizeof(*s4);
			}
			fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd < 0)
				continue;
			if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
				struct pollfd p = {.fd = fd, .events = POLLIN};

				if (poll(&p, 1, 500) > 0 && read(fd, buf, sizeof(buf) - 1) > 0 &&
				    strstr(buf, "PWNED")) {
					in->reached++;
					snprintf(in->seen + strlen(in->seen),
						 sizeof(in->seen) - strlen(in->seen), "%s ",
						 addrs[i]);
				}
			}
			close(fd);
			/* and a datagram to the sandbox's UDP listener */
			fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (fd >= 0) {
				(void)sendto(fd, "ingress", 7, 0, (struct sockaddr *)&ss, sl);
				close(fd);
			}
		}
		e2e_sleep_ms(100);
	}
}

START_TEST(fw_ingress_closed)
{
	static const struct np_step steps[] = {
		/* TCP and UDP listeners on every address while the test connects from mxct-cli;
		 * Landlock may refuse the TCP bind (EACCES) before the firewall is asked. */
		{"sh:\"$P\" listen4 0.0.0.0 47001 3500 >/tmp/listen4 & \"$P\" udp-echo 0.0.0.0 "
		 "47001 3000; "
		 "wait",
		 "ETIMEDOUT"},
		{"sh:cat /tmp/listen4", "=OK 0 || EACCES"},
		{0},
	};
	struct np_ingress in = {.port = 47001};
	struct e2e_run_opts opts = {.on_started = np_ingress_try, .userdata = &in};
	const struct np_case k = {
		.network = "{'egress':{'default':'allow'}}",
		.mode = "firewall",
		.opts = &opts,
	};

	np_run_case(&k, steps, NULL);
	ck_assert_msg(in.reached == 0, "the sandbox's listener was reached from mxct-cli via %s",
		      in.seen);
}
END_TEST

/* ---- firewall: legacy enforcementMode with IP lists ------------------------------ */

START_TEST(fw_legacy_firewall)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"udp " OTHER " 7001 l", "ok UDP 198.18.3.1 7001 l"},
		{"tcp " BLOCKED " 7001", "deny"},
		{"udp " BLOCKED " 7001 x", "deny-udp"},
		/* blocked before allowed: 2001:db8::/32 blocks the allowed 2001:db8:1::1 */
		{"tcp " V6A " 7001", "deny"},
		{"tcp " V6B " 7001", "deny"},
		/* the terminal rule is defaultPolicy block */
		{"tcp fd00:ec2::254 7001", "deny"},
		{0},
	};
	const struct np_case k = {
		.network = "{'enforcementMode':'firewall','defaultPolicy':'block',"
			   "'allowedHosts':['198.18.0.0/16','2001:db8:1::1'],"
			   "'blockedHosts':['198.18.2.1','2001:db8::/32']}",
		.mode = "firewall",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_legacy_both_allow)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"tcp " V6A " 7002", "ok TOK 2001:db8:1::1 7002"},
		{"tcp " BLOCKED " 7001", "deny"},
		{"tcp " V6B " 7001", "deny"},
		{"udp " V6B " 7001 x", "deny-udp"},
		{0},
	};
	const struct np_case k = {
		.version = "0.7.0-alpha",
		.network = "{'enforcementMode':'both','defaultPolicy':'allow',"
			   "'blockedHosts':['198.18.2.0/24','2001:db8:2::/64']}",
		.mode = "firewall",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(fw_events)
{
	static const struct np_step steps[] = {
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{"tcp " BLOCKED " 7001", "deny"},
		{"udp " BLOCKED " 7002 e", "deny-udp"},
		/* last, and the sandbox ends at once: the denial must still be
		 * reported (the kernel batches NFLOG messages unless told not to) */
		{"tcp " V6B " 7003", "deny"},
		{0},
	};
	const struct np_case k = {
		.network = "{'egress':{'allow':[{'to':[{'cidr':'198.18.1.0/24'}]}]}}",
		.mode = "firewall",
		.events = true,
	};

	np_run_case(&k, steps, NULL);
	np_assert_event("source=firewall decision=deny protocol=tcp address=198.18.2.1 port=7001");
	np_assert_event("source=firewall decision=deny protocol=udp address=198.18.2.1 port=7002");
	np_assert_event(
		"source=firewall decision=deny protocol=tcp address=2001:db8:2::1 port=7003");
}
END_TEST

START_TEST(fw_no_net_admin)
{
	static const struct np_step steps[] = {
		{"status-field CapEff", "ok"},
		{"status-field CapPrm", "ok"},
		{"sh:nft flush ruleset >/dev/null 2>&1; echo flush=$?", "not flush=0"},
		{"sh:nft add table inet mxc_evil >/dev/null 2>&1; echo add=$?", "not add=0"},
		{"nl-newlink mxcevil0", "not OK"},
		/* still enforced afterwards */
		{"tcp " BLOCKED " 7001", "deny"},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
		{0},
	};
	const struct np_case k = FW_CASE(
		"{'egress':{'default':'allow','deny':[{'to':[{'cidr':'198.18.2.0/24'}]}]}}");
	struct np_snapshot snap;
	struct e2e_result r;

	np_snap(&snap);
	np_run_case(&k, steps, &r);
	for (int i = 0; i < 2; i++) {
		char *l = e2e_line(&r, i);
		unsigned long long caps = strtoull(l + 3, NULL, 16);

		ck_assert_msg(!(caps & (1ULL << 12)), "CAP_NET_ADMIN in the workload's %s: [%s]",
			      i ? "CapPrm" : "CapEff", l);
		free(l);
	}
	e2e_result_free(&r);
	np_assert_clean(&snap);
}
END_TEST

/* ---- filtering proxy (legacy proxy.builtinTestServer, pre-0.8 host names) --------- */

#define PX_NET(lists) "{'proxy':{'builtinTestServer':true},'defaultPolicy':'block'," lists "}"
#define PX_CASE(lists)                                                                             \
	{                                                                                          \
		.network = PX_NET(lists), .mode = "proxy", .testing = true                         \
	}
#define PX  "127.0.0.1 3128"
#define PX6 "::1 3128"

START_TEST(px_needs_testing_flag)
{
	struct e2e_cfg *c = e2e_cfg_new("true");
	char *net = np_json(PX_NET("'allowedHosts':['allowed.test']"));
	struct e2e_result r;
	char *cfg;

	e2e_cfg_set_json(c, "network", net);
	cfg = e2e_cfg_write(c);
	e2e_run(&r, NULL, "run", cfg, NULL);
	ck_assert_msg(r.exit_code != 0, "builtinTestServer ran without --allow-testing-features");
	ck_assert_msg(strstr(r.err, "builtinTestServer") || strstr(r.err, "allow-testing-features"),
		      "the refusal does not name the field or the flag: [%s]", r.err_esc);
	e2e_result_free(&r);
	free(net);
	free(cfg);
}
END_TEST

START_TEST(px_env_and_no_route)
{
	static const struct np_step steps[] = {
		{"getenv HTTP_PROXY", "=OK http://127.0.0.1:3128"},
		{"getenv HTTPS_PROXY", "=OK http://127.0.0.1:3128"},
		{"getenv ALL_PROXY", "=OK http://127.0.0.1:3128"},
		{"getenv FTP_PROXY", "=OK http://127.0.0.1:3128"},
		{"getenv http_proxy", "=OK http://127.0.0.1:3128"},
		{"getenv https_proxy", "=OK http://127.0.0.1:3128"},
		{"getenv all_proxy", "=OK http://127.0.0.1:3128"},
		{"getenv ftp_proxy", "=OK http://127.0.0.1:3128"},
		{"netdevs", "=OK lo"},
		/* direct connections fail: no route out */
		{"tcp " ALLOWED " 7001", "noroute"},
		{"tcp " V6A " 7001", "noroute"},
		{"udp " ALLOWED " 7001 x", "ENETUNREACH"},
		{"dns " SRV " 53 allowed.test A udp", "ENETUNREACH"},
		{"ping " ALLOWED, "ENETUNREACH|EACCES|EPERM"},
		{0},
	};
	struct np_case k = PX_CASE("'allowedHosts':['allowed.test']");

	/* The caller's proxy variables are dropped. */
	k.env[0] = "HTTP_PROXY=http://" OTHER ":3129";
	k.env[1] = "https_proxy=http://" OTHER ":3129";
	k.env[2] = "ALL_PROXY=socks5://" OTHER ":1080";
	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_http)
{
	static const struct np_step steps[] = {
		{"http-proxy " PX " http://allowed.test/a", "ok 200 host=allowed.test path=/a"},
		{"http-proxy " PX6 " http://allowed.test:8080/b",
		 "ok 200 host=allowed.test:8080 path=/b server=198.18.1.1:8080"},
		{"http-proxy " PX " http://x.wild.test/w", "ok 200 host=x.wild.test path=/w"},
		{"http-proxy " PX " http://blocked.test/", "ok 403"},
		{"http-proxy " PX6 " http://other.test/", "ok 403"},
		{"http-proxy " PX " http://nope.test/", "ok 403"},
		/* a refusal says why (checked below: a body line after the status) */
		{"http-proxy " PX " http://blocked.test/why", "ok 403"},
		{0},
	};
	const struct np_case k = PX_CASE("'allowedHosts':['allowed.test','*.wild.test'],"
					 "'blockedHosts':['blocked.test']");
	struct e2e_result r;

	np_run_case(&k, steps, &r);
	{
		char *l = e2e_line(&r, 6);

		ck_assert_msg(strlen(l) > strlen("OK 403 "),
			      "the 403 for blocked.test has no reason: [%s]", l);
		free(l);
	}
	e2e_result_free(&r);
}
END_TEST

START_TEST(px_connect)
{
	static const struct np_step steps[] = {
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001"},
		{"connect-proxy " PX6 " allowed.test:80 - allowed.test",
		 "ok 200 host=allowed.test path=/tunnel"},
		{"connect-proxy " PX " v6.test:7002", "ok 200 TOK 2001:db8:1::1 7002"},
		{"connect-proxy " PX " blocked.test:7001", "=OK 403"},
		{"connect-proxy " PX " other.test:7001", "=OK 403"},
		{0},
	};
	const struct np_case k = PX_CASE("'allowedHosts':['allowed.test','v6.test'],"
					 "'blockedHosts':['blocked.test']");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_https_curl)
{
	static const struct np_step steps[] = {
		{"sh:echo \"$(curl -sS -m 10 --cacert \"$C\" -x http://127.0.0.1:3128 "
		 "https://allowed.test/s 2>&1 | tr '\\n' ' ')\"",
		 "has host=allowed.test path=/s server=198.18.1.1:443"},
		/* through the environment's https_proxy only */
		{"sh:echo \"$(curl -sS -m 10 --cacert \"$C\" https://allowed.test/env 2>&1 | tr "
		 "'\\n' ' ')\"",
		 "has host=allowed.test path=/env"},
		{"sh:echo \"$(curl -sS -m 10 --cacert \"$C\" https://blocked.test/ 2>&1 | tr '\\n' "
		 "' ')\"",
		 "has 403"},
		{"sh:echo \"$(curl -sS -m 10 --noproxy '*' --cacert \"$C\" --resolve "
		 "allowed.test:443:" ALLOWED " https://allowed.test/direct 2>&1 | tr '\\n' ' ')\"",
		 "not host=allowed.test"},
		{0},
	};
	const struct np_case k = PX_CASE("'allowedHosts':['allowed.test'],"
					 "'blockedHosts':['blocked.test']");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_socks5)
{
	static const struct np_step steps[] = {
		{"socks5 " PX " domain allowed.test 7001", "ok 0 TOK 198.18.1.1 7001"},
		{"socks5 " PX6 " domain allowed.test 80 allowed.test",
		 "ok 0 host=allowed.test path=/tunnel"},
		{"socks5 " PX " ipv4 " OTHER " 7002", "ok 0 TOK 198.18.3.1 7002"},
		{"socks5 " PX " ipv6 " V6A " 7001", "ok 0 TOK 2001:db8:1::1 7001"},
		{"socks5 " PX " domain blocked.test 7001", "=OK 2"},
		{"socks5 " PX " ipv4 " BLOCKED " 7001", "=OK 2"},
		{"socks5 " PX " ipv6 " V6B " 7001", "=OK 2"},
		{"socks5 " PX " domain nope.test 7001", "not OK 0"},
		{0},
	};
	const struct np_case k =
		PX_CASE("'allowedHosts':['allowed.test','198.18.3.1','2001:db8:1::/64'],"
			"'blockedHosts':['blocked.test','blocked6.test']");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_bypass_ip_literals)
{
	static const struct np_step steps[] = {
		/* controls: addresses allowed by CIDR that no blocked name has */
		{"http-proxy " PX " http://198.18.3.1/c", "ok 200 host=198.18.3.1 path=/c"},
		{"http-proxy " PX " http://[2001:db8:1::1]/c6",
		 "ok 200 host=[2001:db8:1::1] path=/c6"},
		/* the addresses of blocked names, spelled as literals */
		{"http-proxy " PX " http://198.18.2.1/", "ok 403"},
		{"http-proxy " PX " http://[2001:db8:2::1]/", "ok 403"},
		{"connect-proxy " PX " 198.18.2.1:7001", "=OK 403"},
		{"connect-proxy " PX " [2001:db8:2::1]:7001", "=OK 403"},
		{"socks5 " PX " ipv4 " BLOCKED " 7001", "=OK 2"},
		{"socks5 " PX " ipv6 " V6B " 7001", "=OK 2"},
		{0},
	};
	const struct np_case k =
		PX_CASE("'allowedHosts':['allowed.test','v6.test','198.18.0.0/16','2001:db8::/32'],"
			"'blockedHosts':['blocked.test','blocked6.test']");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_bypass_host_header)
{
	static const struct np_step steps[] = {
		{"connect-proxy " PX " allowed.test:80 allowed.test:80", "ok 200"},
		{"connect-proxy " PX " allowed.test:80 blocked.test:80", "=OK 403"},
		{"connect-proxy " PX " allowed.test:7001 blocked.test", "=OK 403"},
		{"http-proxy " PX " http://allowed.test/h blocked.test", "ok 403"},
		{0},
	};
	const struct np_case k = PX_CASE("'allowedHosts':['allowed.test'],"
					 "'blockedHosts':['blocked.test']");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_bypass_rebinding)
{
	static const struct np_step steps[] = {
		/* rebind.test is allowed by name but resolves to 169.254.169.254 */
		{"http-proxy " PX " http://rebind.test/latest/meta-data/", "ok 403"},
		{"connect-proxy " PX " rebind.test:7001", "=OK 403"},
		{"socks5 " PX " domain rebind.test 7001", "=OK 2"},
		{"http-proxy " PX " http://allowed.test/ok", "ok 200 host=allowed.test"},
		{0},
	};
	const struct np_case k = PX_CASE("'allowedHosts':['allowed.test','rebind.test']");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_special_addresses)
{
	static const struct np_step steps[] = {
		{"http-proxy " PX " http://other.test/ok", "ok 200 host=other.test"},
		{"http-proxy " PX " http://blocked.test/", "ok 403"},
		/* metadata, the host's loopback: refused even with defaultPolicy allow */
		{"http-proxy " PX " http://169.254.169.254/latest/meta-data/", "ok 403"},
		{"http-proxy " PX " http://[fd00:ec2::254]/", "ok 403"},
		{"connect-proxy " PX " 169.254.169.254:7001", "=OK 403"},
		{"socks5 " PX " ipv6 fd00:ec2::254 7001", "=OK 2"},
		{"http-proxy " PX " http://127.0.0.1:8081/", "ok 403"},
		{"http-proxy " PX " http://[::1]:8081/", "ok 403"},
		{"http-proxy " PX " http://localhost:8081/", "ok 403"},
		{"connect-proxy " PX " 127.0.0.1:7777", "=OK 403"},
		{"socks5 " PX " ipv4 127.0.0.1 7777", "=OK 2"},
		{"connect-proxy " PX " 127.0.0.1:3128", "not OK 200"},
		{0},
	};
	const struct np_case k = {
		.network = "{'proxy':{'builtinTestServer':true},'defaultPolicy':'allow',"
			   "'blockedHosts':['blocked.test']}",
		.mode = "proxy",
		.testing = true,
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_special_explicit)
{
	static const struct np_step steps[] = {
		/* allowed explicitly by IP: reachable */
		{"http-proxy " PX " http://169.254.169.254/m",
		 "ok 200 host=169.254.169.254 path=/m"},
		{"connect-proxy " PX " [fd00:ec2::254]:7001", "ok 200 TOK fd00:ec2::254 7001"},
		{0},
	};
	const struct np_case k = PX_CASE("'allowedHosts':['169.254.169.254','fd00:ec2::254']");

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(px_events)
{
	static const struct np_step steps[] = {
		{"http-proxy " PX " http://allowed.test/e", "ok 200"},
		{"http-proxy " PX " http://blocked.test/e", "ok 403"},
		{"socks5 " PX " domain blocked.test 7002", "=OK 2"},
		{"connect-proxy " PX " allowed.test:7003", "ok 200"},
		{0},
	};
	const struct np_case k = {
		.network =
			PX_NET("'allowedHosts':['allowed.test'],'blockedHosts':['blocked.test']"),
		.mode = "proxy",
		.testing = true,
		.events = true,
	};

	np_run_case(&k, steps, NULL);
	np_assert_event("source=proxy decision=allow protocol=http host=allowed.test port=80 "
			"address=198.18.1.1");
	np_assert_event(
		"source=proxy decision=deny protocol=http host=blocked.test port=80 rule=*");
	np_assert_event("source=proxy decision=deny protocol=socks5 host=blocked.test port=7002");
	np_assert_event("source=proxy decision=allow host=allowed.test port=7003");
}
END_TEST

START_TEST(px_legacy_hostnames)
{
	static const struct np_step steps[] = {
		{"getenv HTTP_PROXY", "=OK http://127.0.0.1:3128"},
		{"sh:echo \"$(curl -sS -m 10 http://allowed.test/l 2>&1 | tr '\\n' ' ')\"",
		 "has host=allowed.test path=/l"},
		{"sh:echo \"$(curl -sS -m 10 -o /dev/null -w 'code=%{http_code}' "
		 "http://blocked.test/ 2>&1)\"",
		 "has code=403"},
		{"tcp " ALLOWED " 7001", "noroute"},
		{0},
	};
	/* pre-0.8 host lists with names: the filtering proxy, no flag needed */
	const struct np_case k = {
		.version = "0.7.0-alpha",
		.network = "{'allowedHosts':['allowed.test'],'blockedHosts':['blocked.test']}",
		.mode = "proxy",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

/* ---- relay to an external proxy ---------------------------------------------------- */

START_TEST(relay_runtime_config)
{
	static const struct np_step steps[] = {
		{"getenv HTTP_PROXY", "=OK http://127.0.0.1:3129"},
		{"getenv https_proxy", "=OK http://127.0.0.1:3129"},
		{"connect-proxy 127.0.0.1 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001"},
		{"http-proxy 127.0.0.1 3129 http://other.test/r",
		 "ok 200 host=other.test path=/r server=198.18.3.1:80 via=mxct-relay"},
		{"sh:echo \"$(curl -sS -m 10 http://allowed.test/e 2>&1 | tr '\\n' ' ')\"",
		 "has host=allowed.test path=/e server=198.18.1.1:80 via=mxct-relay"},
		/* nothing else */
		{"tcp " ALLOWED " 7001", "noroute"},
		{"tcp 127.0.0.1 7777", "ECONNREFUSED|EACCES"},
		{"tcp 127.0.0.1 8081", "ECONNREFUSED|EACCES"},
		{"dns " SRV " 53 allowed.test A udp", "ENETUNREACH"},
		{"netdevs", "=OK lo"},
		{0},
	};
	const struct np_case k = {
		.runtime = "{'networkProxy':'http://127.0.0.1:3129'}",
		.mode = "proxy",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(relay_runtime_config_localhost)
{
	static const struct np_step steps[] = {
		{"getenv HTTP_PROXY", "=OK http://localhost:3129"},
		{"connect-proxy 127.0.0.1 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001"},
		{"sh:echo \"$(curl -sS -m 10 http://other.test/l 2>&1 | tr '\\n' ' ')\"",
		 "has host=other.test path=/l server=198.18.3.1:80 via=mxct-relay"},
		{"tcp " V6A " 7001", "noroute"},
		{0},
	};
	const struct np_case k = {
		.runtime = "{'networkProxy':'http://localhost:3129'}",
		.mode = "proxy",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(relay_legacy_localhost)
{
	static const struct np_step steps[] = {
		{"getenv HTTP_PROXY", "ok :3129"},
		{"connect-proxy 127.0.0.1 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001"},
		{"sh:echo \"$(curl -sS -m 10 http://other.test/x 2>&1 | tr '\\n' ' ')\"",
		 "has host=other.test path=/x server=198.18.3.1:80 via=mxct-relay"},
		{"tcp " ALLOWED " 7001", "noroute"},
		{0},
	};
	const struct np_case k = {
		.version = "0.7.0-alpha",
		.network = "{'proxy':{'localhost':3129},'defaultPolicy':'allow'}",
		.mode = "proxy",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

/* Below 0.8 upstream accepts a proxy at [::1]: the relay listens on the
 * sandbox's own ::1 and connects to the host's. */
START_TEST(relay_legacy_ipv6_loopback)
{
	static const struct np_step steps[] = {
		{"getenv HTTP_PROXY", "=OK http://[::1]:3129"},
		{"connect-proxy ::1 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001"},
		{"sh:echo \"$(curl -sS -m 10 http://other.test/6 2>&1 | tr '\\n' ' ')\"",
		 "has host=other.test path=/6 server=198.18.3.1:80 via=mxct-relay"},
		/* the host's loopback services stay out of reach */
		{"tcp ::1 7777", "ECONNREFUSED|EACCES"},
		{"tcp " ALLOWED " 7001", "noroute"},
		{0},
	};
	const struct np_case k = {
		.version = "0.7.0-alpha",
		.network = "{'proxy':{'url':'http://[::1]:3129'},'defaultPolicy':'allow'}",
		.mode = "proxy",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

START_TEST(relay_legacy_url_hostname)
{
	static const struct np_step steps[] = {
		{"getenv HTTP_PROXY", "=OK http://proxy.test:3129"},
		/* the name is pinned in the sandbox's /etc/hosts */
		{"read /etc/hosts", "has proxy.test"},
		{"connect-proxy " OTHER " 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001"},
		{"sh:echo \"$(curl -sS -m 10 http://allowed.test/u 2>&1 | tr '\\n' ' ')\"",
		 "has host=allowed.test path=/u server=198.18.1.1:80 via=mxct-relay"},
		/* only the proxy's port is relayed */
		{"tcp " OTHER " 7001", "ECONNREFUSED|ENETUNREACH|EACCES"},
		{"tcp " ALLOWED " 7001", "noroute"},
		{0},
	};
	const struct np_case k = {
		.version = "0.7.0-alpha",
		.network = "{'proxy':{'url':'http://proxy.test:3129'},'defaultPolicy':'allow'}",
		.mode = "proxy",
	};

	np_run_case(&k, steps, NULL);
}
END_TEST

/* ---- leftovers ------------------------------------------------------------------------ */

static const struct np_step np_left_steps[] = {
	{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001"},
	{0},
};

#define LEFT_FW "{'egress':{'allow':[{'to':[{'cidr':'198.18.1.0/24'}]}]}}"

START_TEST(left_success)
{
	const struct np_case k = FW_CASE(LEFT_FW);
	struct np_snapshot snap;

	np_snap(&snap);
	np_run_case(&k, np_left_steps, NULL);
	np_assert_clean(&snap);
}
END_TEST

START_TEST(left_failure)
{
	struct np_case k = FW_CASE(LEFT_FW);
	struct np_snapshot snap;

	k.trailer = "exit 3";
	k.exit_code = 3;
	np_snap(&snap);
	np_run_case(&k, np_left_steps, NULL);
	np_assert_clean(&snap);
}
END_TEST

START_TEST(left_proxy)
{
	static const struct np_step steps[] = {
		{"http-proxy " PX " http://allowed.test/", "ok 200"},
		{0},
	};
	const struct np_case k = PX_CASE("'allowedHosts':['allowed.test']");
	struct np_snapshot snap;

	np_snap(&snap);
	np_run_case(&k, steps, NULL);
	np_assert_clean(&snap);
}
END_TEST

START_TEST(left_timeout)
{
	struct np_case k = FW_CASE(LEFT_FW);
	struct np_snapshot snap;
	struct e2e_result r;

	k.trailer = "exec \"$P\" sleep-ms 30000";
	k.timeout_ms = 2000;
	k.exit_code = 255;
	np_snap(&snap);
	np_run_case(&k, np_left_steps, &r);
	ck_assert_msg(r.secs < 15, "the timeout took %.1f s", r.secs);
	e2e_result_free(&r);
	np_assert_clean(&snap);
}
END_TEST

/*
 * The caller's shared mounts are untouched. A helper that makes a new mount
 * namespace without making its copies private recursively, then unmounts
 * (pivot_root and detach of the old root), propagates those unmounts back to
 * the caller's namespace: on a host, the entries of /run/netns (iproute2 makes it
 * shared) would vanish. Reproduced here on a shared tmpfs of our own (root).
 */
START_TEST(left_shared_mounts)
{
	const struct np_case k = FW_CASE(LEFT_FW);
	char *top = e2e_path("shared"), *sub = e2e_path("shared/sub"), *mi;
	struct np_snapshot snap;

	if (geteuid() != 0)
		return; /* mounting needs root; the unprivileged path owns no shared mounts */
	e2e_mkdir(top);
	ck_assert_msg(mount("mxct", top, "tmpfs", 0, "size=64k") == 0, "mount %s: %m", top);
	ck_assert_msg(mount(NULL, top, NULL, MS_SHARED, NULL) == 0, "make-shared %s: %m", top);
	e2e_mkdir(sub);
	ck_assert_msg(mount("mxct", sub, "tmpfs", 0, "size=64k") == 0, "mount %s: %m", sub);
	np_snap(&snap);
	np_run_case(&k, np_left_steps, NULL);
	mi = e2e_mountinfo();
	ck_assert_msg(strstr(mi, sub),
		      "running mxc unmounted %s, a submount of a shared mount "
		      "of the caller (a helper's mount namespace propagated its "
		      "unmounts back)",
		      sub);
	np_assert_clean(&snap);
	umount2(sub, MNT_DETACH);
	umount2(top, MNT_DETACH);
	free(mi);
	free(sub);
	free(top);
}
END_TEST

/* on_started: waits for the helpers to appear, then SIGKILLs mxc. */
struct np_killer {
	char *seen; /* the helpers that were running */
};

static void np_kill_when_up(pid_t pid, void *userdata)
{
	struct np_killer *kl = userdata;
	double end = e2e_now() + 10;

	while (e2e_now() < end) {
		char *h = np_helpers();

		if (*h) {
			kl->seen = h;
			break;
		}
		free(h);
		e2e_sleep_ms(50);
	}
	/* Let the workload get going. */
	e2e_sleep_ms(500);
	kill(pid, SIGKILL);
}

static void np_sigkill_case(const struct np_case *base)
{
	static const struct np_step steps[] = {{0}};
	struct np_killer kl = {0};
	struct e2e_run_opts opts = {.on_started = np_kill_when_up, .userdata = &kl};
	struct np_case k = *base;
	char *marker = e2e_unique("mxcnpkill");
	char *trailer = e2e_strf("exec \"$P\" sleep-ms 30000 %s", marker);
	struct np_snapshot snap;
	struct e2e_result r;

	k.trailer = trailer;
	k.opts = &opts;
	k.exit_code = 128 + SIGKILL;
	np_snap(&snap);
	np_run_case(&k, steps, &r);
	ck_assert_msg(kl.seen, "no network helper ever ran: stderr=[%s]", r.err_esc);
	ck_assert_msg(e2e_wait_no_marker(marker, 5000), "the workload outlived the SIGKILLed mxc");
	e2e_result_free(&r);
	np_assert_clean(&snap);
	free(kl.seen);
	free(trailer);
	free(marker);
}

START_TEST(left_sigkill_firewall)
{
	const struct np_case k = FW_CASE(LEFT_FW);

	np_sigkill_case(&k);
}
END_TEST

START_TEST(left_sigkill_proxy)
{
	const struct np_case k = PX_CASE("'allowedHosts':['allowed.test']");

	np_sigkill_case(&k);
}
END_TEST

/* ---- suite and main ---------------------------------------------------------------------- */

static Suite *np_suite(void)
{
	Suite *s = suite_create("e2e-netpolicy");
	TCase *base = tcase_create("modes");
	TCase *fw = tcase_create("firewall");
	TCase *px = tcase_create("proxy");
	TCase *relay = tcase_create("relay");
	TCase *left = tcase_create("leftovers");

	e2e_tcase_std(base, 60);
	tcase_add_test(base, np_isolated);
	tcase_add_test(base, np_host);
	suite_add_tcase(s, base);

	e2e_tcase_std(fw, 60);
	tcase_add_test(fw, fw_cidr);
	tcase_add_test(fw, fw_cidr_except);
	tcase_add_test(fw, fw_port);
	tcase_add_test(fw, fw_port_range);
	tcase_add_test(fw, fw_udp_only);
	tcase_add_test(fw, fw_icmp);
	tcase_add_test(fw, fw_any);
	tcase_add_test(fw, fw_deny_overlap);
	tcase_add_test(fw, fw_default_allow);
	tcase_add_test(fw, fw_ipv6);
	tcase_add_test(fw, fw_dns_allowed);
	tcase_add_test(fw, fw_dns_denied);
	tcase_add_test(fw, fw_host_loopback);
	tcase_add_test(fw, fw_sandbox_loopback);
	tcase_add_test(fw, fw_ingress_closed);
	tcase_add_test(fw, fw_legacy_firewall);
	tcase_add_test(fw, fw_legacy_both_allow);
	tcase_add_test(fw, fw_events);
	tcase_add_test(fw, fw_no_net_admin);
	suite_add_tcase(s, fw);

	e2e_tcase_std(px, 60);
	tcase_add_test(px, px_needs_testing_flag);
	tcase_add_test(px, px_env_and_no_route);
	tcase_add_test(px, px_http);
	tcase_add_test(px, px_connect);
	tcase_add_test(px, px_https_curl);
	tcase_add_test(px, px_socks5);
	tcase_add_test(px, px_bypass_ip_literals);
	tcase_add_test(px, px_bypass_host_header);
	tcase_add_test(px, px_bypass_rebinding);
	tcase_add_test(px, px_special_addresses);
	tcase_add_test(px, px_special_explicit);
	tcase_add_test(px, px_events);
	tcase_add_test(px, px_legacy_hostnames);
	suite_add_tcase(s, px);

	e2e_tcase_std(relay, 60);
	tcase_add_test(relay, relay_runtime_config);
	tcase_add_test(relay, relay_runtime_config_localhost);
	tcase_add_test(relay, relay_legacy_localhost);
	tcase_add_test(relay, relay_legacy_url_hostname);
	tcase_add_test(relay, relay_legacy_ipv6_loopback);
	suite_add_tcase(s, relay);

	e2e_tcase_std(left, 60);
	tcase_add_test(left, left_success);
	tcase_add_test(left, left_failure);
	tcase_add_test(left, left_proxy);
	tcase_add_test(left, left_timeout);
	tcase_add_test(left, left_shared_mounts);
	tcase_add_test(left, left_sigkill_firewall);
	tcase_add_test(left, left_sigkill_proxy);
	suite_add_tcase(s, left);
	return s;
}

/* Skip: "1..0 # SKIP" (exit 0 when TAP goes to stdout, as meson runs us; else 77),
 * or a failure under MXC_TEST_MUST_WORK=1. */
static int np_skip_or_fail(const char *why)
{
	const char *must = getenv("MXC_TEST_MUST_WORK");
	const char *tap = getenv("CK_TAP_LOG_FILE_NAME");

	if (must && !strcmp(must, "1")) {
		printf("Bail out! %s (MXC_TEST_MUST_WORK=1)\n", why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return tap && !strcmp(tap, "-") ? 0 : 77;
}

/* Are we inside the topology (in-cli.sh): srv answers, /etc/hosts is the test's? */
static const char *np_topology_problem(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(7001)};
	char buf[64] = "", *hosts, *cert;
	struct pollfd p;
	int fd, ok;

	inet_pton(AF_INET, ALLOWED, &sa.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return "no socket";
	(void)connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	p = (struct pollfd){.fd = fd, .events = POLLIN};
	ok = poll(&p, 1, 2000) > 0 && read(fd, buf, sizeof(buf) - 1) > 0 &&
	     !strncmp(buf, "TOK " ALLOWED " 7001", 18);
	close(fd);
	if (!ok)
		return "the network test topology is not reachable (198.18.1.1:7001): run "
		       "tests/net/topology.sh up as root and this binary through "
		       "tests/net/in-cli.sh";
	hosts = e2e_read_file("/etc/hosts", NULL);
	ok = hosts && strstr(hosts, "allowed.test");
	free(hosts);
	if (!ok)
		return "/etc/hosts is not the topology's (run through tests/net/in-cli.sh)";
	cert = e2e_strf("%s/cert.pem", np_state());
	ok = access(cert, R_OK) == 0;
	free(cert);
	if (!ok)
		return "the topology's certificate is not readable (MXCT_STATE)";
	return NULL;
}

int main(void)
{
	const char *variant = getenv("MXC_E2E_VARIANT");
	const char *problem;
	char run_dir[] = "/tmp/mxc-e2e-netpolicy-XXXXXX";
	SRunner *sr;
	int failed;

	if (variant && !strcmp(variant, "root") && geteuid() != 0)
		return np_skip_or_fail("the root variant needs root");
	if (variant && !strcmp(variant, "user") && geteuid() == 0) {
		printf("Bail out! the unprivileged variant is running as root\n");
		return 1;
	}
	if (!getenv("MXC_BIN") || !getenv("MXC_PROBE")) {
		printf("Bail out! MXC_BIN and MXC_PROBE must be set\n");
		return 1;
	}
	problem = np_topology_problem();
	if (problem)
		return np_skip_or_fail(problem);
	if (!mkdtemp(run_dir) || chmod(run_dir, 0755) < 0) {
		printf("Bail out! cannot create a fixture directory in /tmp: %m\n");
		return 1;
	}
	setenv("MXC_E2E_RUN_DIR", run_dir, 1);

	sr = srunner_create(np_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	e2e_rm_rf(run_dir);
	return failed ? 1 : 0;
}
