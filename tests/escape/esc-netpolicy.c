/* SPDX-License-Identifier: MIT */
/*
 * Escape attacks against the filtered network modes: the runner, the
 * configurations, the firewall attacks (nftables in the sandbox's netns,
 * slirp4netns) and the proxy/relay variants of the generic ones (netlink,
 * namespaces, the helpers); esc-netpolicy-proxy.c has the attacks on the
 * proxy's and the relay's protocol. Each attack runs one sandbox inside the
 * network test topology (tests/net/: this binary runs in netns mxct-cli, the
 * "host"; mxct-srv is the "internet") and performs a list of steps, each
 * printing one line that is matched against what containment looks like.
 * Control steps (an allowed destination still works) make sure an attack is
 * not "contained" by a network that is simply broken.
 *
 * A step that does not match is an escape when its line shows traffic that
 * got through (a server's token, an HTTP 200, a SOCKS5 success, a successful
 * privileged netlink request, a joined namespace...); any other mismatch fails
 * the test as unexpected, with every line in the message.
 *
 * Only topology addresses are used: 198.18.0.0/15, 2001:db8::/32,
 * 169.254.169.254, fd00:ec2::254, loopback and the stack's own 10.0.2.x and
 * fd00::x, plus link-local/multicast/broadcast groups the ruleset drops, and
 * IPv4-compatible and NAT64 spellings of topology addresses (mxct-cli routes
 * those to mxct-srv only, which drops them).
 */
#include "esc-netpolicy.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- configurations ----------------------------------------------------- */

/* Firewall, allow list: allowed.test and v6.test only. */
static const struct enp_net fw_list = {
	.network = "{'egress':{'default':'deny','allow':[{'to':[{'cidr':'198.18.1.0/24'},"
		   "{'cidr':'2001:db8:1::/64'}]}]}}",
	.mode = "firewall",
};

/* Firewall, everything but the blocked ranges: only the built-in drops protect the host. */
static const struct enp_net fw_open = {
	.network = "{'egress':{'default':'allow','deny':[{'to':[{'cidr':'198.18.2.0/24'},"
		   "{'cidr':'2001:db8:2::/64'}]}]}}",
	.mode = "firewall",
};

/* Firewall, one TCP and one UDP port of allowed.test. */
static const struct enp_net fw_ports = {
	.network = "{'egress':{'allow':[{'to':[{'cidr':'198.18.1.1/32'}],"
		   "'ports':[{'port':7001,'protocol':'tcp'},{'port':7001,'protocol':'udp'}]}]}}",
	.mode = "firewall",
};

/* Legacy firewall that asks for the host's loopback through the gateway (as upstream). */
static const struct enp_net fw_legacy_gw = {
	.network = "{'enforcementMode':'firewall','defaultPolicy':'block',"
		   "'allowedHosts':['10.0.2.2/32','198.18.1.0/24']}",
	.mode = "firewall",
};

/* Legacy firewall, everything but a blocked range; allowLocalNetwork is false (its
 * default). The same lists enforced by the filtering proxy refuse link-local and
 * metadata addresses whatever the lists say. */
static const struct enp_net fw_legacy_open = {
	.network = "{'enforcementMode':'firewall','defaultPolicy':'allow',"
		   "'blockedHosts':['198.18.2.0/24','2001:db8:2::/64']}",
	.mode = "firewall",
};

/* Filtering proxy, allow list (rebind.test resolves to the metadata address). */
const struct enp_net enp_px_list = {
	.network = "{'proxy':{'builtinTestServer':true},'defaultPolicy':'block',"
		   "'allowedHosts':['allowed.test','v6.test','rebind.test'],"
		   "'blockedHosts':['blocked.test','blocked6.test']}",
	.mode = "proxy",
	.testing = true,
};

/* Filtering proxy, everything but the blocked names: only the special-address rule protects. */
const struct enp_net enp_px_open = {
	.network = "{'proxy':{'builtinTestServer':true},'defaultPolicy':'allow',"
		   "'blockedHosts':['blocked.test','blocked6.test']}",
	.mode = "proxy",
	.testing = true,
};

/* Filtering proxy from pre-0.8 host lists (no flag needed). */
const struct enp_net enp_px_legacy = {
	.version = "0.7.0-alpha",
	.network = "{'allowedHosts':['allowed.test'],'blockedHosts':['blocked.test']}",
	.mode = "proxy",
};

/* Relay to the external proxy on the host's loopback (servers.py cli, 127.0.0.1:3129). */
const struct enp_net enp_relay_lo = {
	.runtime = "{'networkProxy':'http://127.0.0.1:3129'}",
	.mode = "proxy",
};

/* Relay to a proxy given by name: its address 198.18.3.1 is put on the sandbox's lo. */
const struct enp_net enp_relay_url = {
	.network = "{'proxy':{'url':'http://proxy.test:3129'},'defaultPolicy':'allow'}",
	.mode = "proxy",
};

/* ---- steps and their expectations ----------------------------------------- */

/*
 * Does the (escaped) line meet the expectation?
 *   "ok" / "ok TEXT"   "OK", or "OK " and TEXT somewhere (unescaped)
 *   "^TEXT"            the unescaped line starts with TEXT
 *   "raw^TEXT"         the escaped line starts with TEXT (binary replies)
 *   "rawnot TEXT"      the escaped line does not contain TEXT
 *   "=TEXT"            the unescaped line is TEXT
 *   "has TEXT"         contains TEXT;  "not TEXT": does not
 *   "ENAME|ENAME"      one of these errno names
 *   "A && B", "A || B" (|| binds weaker)
 */
static bool enp_match(const char *line, const char *expect)
{
	const char *op = strstr(expect, " || ");
	char *u;
	bool ok;

	if (!op)
		op = strstr(expect, " && ");
	if (op) {
		char *first = strndup(expect, (size_t)(op - expect));
		bool a = enp_match(line, first);

		free(first);
		return op[1] == '|' ? a || enp_match(line, op + 4) : a && enp_match(line, op + 4);
	}
	if (!strncmp(expect, "raw^", 4))
		return !strncmp(line, expect + 4, strlen(expect + 4));
	if (!strncmp(expect, "rawnot ", 7))
		return !strstr(line, expect + 7);
	u = e2e_unescape(line);
	if (!strcmp(expect, "ok"))
		ok = !strncmp(u, "OK", 2);
	else if (!strncmp(expect, "ok ", 3))
		ok = !strncmp(u, "OK ", 3) && strstr(u + 3, expect + 3);
	else if (expect[0] == '^')
		ok = !strncmp(u, expect + 1, strlen(expect + 1));
	else if (expect[0] == '=')
		ok = !strcmp(u, expect + 1);
	else if (!strncmp(expect, "has ", 4))
		ok = strstr(u, expect + 4) != NULL;
	else if (!strncmp(expect, "not ", 4))
		ok = strstr(u, expect + 4) == NULL;
	else
		ok = e2e_in_list(u, expect);
	free(u);
	return ok;
}

/* Does s carry key followed by a count other than 0? */
static bool enp_nonzero(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p && p[strlen(key)] >= '1' && p[strlen(key)] <= '9';
}

/* Does a line show that something got through? (Decides ESCAPED vs unexpected.) */
static bool enp_breach(const char *line)
{
	static const char *const marks[] = {
		"TOK ",	  "CLIHOST",  "ENPHOST",    "UDP ",	    "ECHO ", "server=",
		"OK 200", "OK reply", "OK NOERROR", "in-new-netns", ":OK",
	};
	char *u = e2e_unescape(line);
	bool b = !strcmp(u, "OK") || !strcmp(u, "OK 0") || !strncmp(u, "OK 0 ", 5) ||
		 strstr(line, "\\x05\\x00\\x05\\x00") != NULL;

	for (size_t i = 0; !b && i < sizeof(marks) / sizeof(marks[0]); i++)
		b = strstr(u, marks[i]) != NULL;
	b = b || enp_nonzero(u, "joined=") || enp_nonzero(u, "attached=") ||
	    enp_nonzero(u, "foreign=");
	if (strstr(u, "in-new-netns") && strncmp(u, "OK", 2))
		b = false; /* the errno of a connect made after all steps worked */
	free(u);
	return b;
}

/* ---- running an attack ------------------------------------------------------ */

struct enp_opts {
	const char *ro;		  /* a host directory granted read-only, or NULL */
	struct e2e_run_opts *run; /* NULL: none */
	const char *const *env;	  /* process.env entries, NULL-terminated, or NULL */
	bool events;		  /* mxc run --events FILE: the text in enp_result.events */
};

struct enp_result {
	char *bad;    /* the steps that did not match, "" when none */
	char *seen;   /* the attack steps' lines */
	bool breach;  /* a mismatch shows traffic that got through */
	char **lines; /* every step's line */
	size_t n;
	char *events; /* the events file (enp_opts.events), or NULL */
};

static char *enp_json(const char *text)
{
	char *s = strdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static char *enp_command(const struct enp_step *steps)
{
	char *cmd = e2e_strf("P=%s", e2e_probe);

	for (size_t i = 0; steps[i].cmd; i++) {
		const char *s = steps[i].cmd;
		char *next;

		if (!strcmp(s, "+"))
			continue;
		next = !strncmp(s, "sh:", 3) ? e2e_strf("%s; %s", cmd, s + 3)
					     : e2e_strf("%s; \"$P\" %s", cmd, s);
		free(cmd);
		cmd = next;
	}
	return cmd;
}

static char *enp_config(const struct enp_net *net, const char *cmd, const struct enp_opts *o)
{
	struct e2e_cfg *c = esc_cfg("%s", cmd);

	e2e_cfg_timeout(c, 50000);
	if (net->version)
		e2e_cfg_version(c, net->version);
	if (net->network) {
		char *j = enp_json(net->network);

		e2e_cfg_set_json(c, "network", j);
		free(j);
	}
	if (net->runtime) {
		char *j = enp_json(net->runtime);

		e2e_cfg_set_json(c, "runtimeConfig", j);
		free(j);
	}
	if (o && o->ro)
		e2e_cfg_ro(c, o->ro);
	for (size_t i = 0; o && o->env && o->env[i]; i++)
		e2e_cfg_env(c, o->env[i]);
	return e2e_cfg_write(c);
}

/* mxc run [--dry-run] [--allow-testing-features] [--events EVENTS] CFG */
static void enp_mxc(struct e2e_result *r, const struct enp_net *net, const char *cfg, bool dry,
		    struct e2e_run_opts *run, const char *events)
{
	const char *args[7];
	size_t n = 0;

	args[n++] = "run";
	if (dry)
		args[n++] = "--dry-run";
	if (net->testing)
		args[n++] = "--allow-testing-features";
	if (events) {
		args[n++] = "--events";
		args[n++] = events;
	}
	args[n++] = cfg;
	args[n] = NULL;
	e2e_runv(r, dry ? NULL : run, args);
}

/* The config must plan the expected mode (a fallback would make the attack meaningless). */
static void enp_assert_mode(const struct enp_net *net, const char *cfg)
{
	struct e2e_result r;
	json_error_t jerr;
	json_t *j, *mode;

	enp_mxc(&r, net, cfg, true, NULL, NULL);
	ck_assert_msg(r.exit_code == 0, "mxc run --dry-run refused the config: exit %d [%s]",
		      r.exit_code, r.err_esc);
	j = json_loads(r.out, 0, &jerr);
	ck_assert_msg(j, "dry-run output is not JSON (%s)", jerr.text);
	mode = json_object_get(json_object_get(json_object_get(j, "plan"), "network"), "mode");
	ck_assert_msg(json_is_string(mode) && !strcmp(json_string_value(mode), net->mode),
		      "plan.network.mode is not '%s': [%s]", net->mode, r.out_esc);
	json_decref(j);
	e2e_result_free(&r);
}

static void enp_append(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void enp_append(char **s, const char *fmt, ...)
{
	va_list ap;
	char *add, *t;

	va_start(ap, fmt);
	if (vasprintf(&add, fmt, ap) < 0)
		abort();
	va_end(ap);
	t = e2e_strf("%s%s", *s, add);
	free(*s);
	free(add);
	*s = t;
}

/* Runs the steps in one sandbox of configuration net and matches every line. */
static void enp_run(const struct enp_net *net, const struct enp_step *steps,
		    const struct enp_opts *o, struct enp_result *res)
{
	char *cmd = enp_command(steps);
	char *cfg = enp_config(net, cmd, o);
	char *events = o && o->events ? e2e_path("events.jsonl") : NULL;
	struct e2e_result r;
	size_t n = 0;

	enp_assert_mode(net, cfg);
	enp_mxc(&r, net, cfg, false, o ? o->run : NULL, events);
	ck_assert_msg(r.exit_code != 1 && r.exit_code != 2 && r.exit_code != 255,
		      "mxc did not run the workload: exit %d stdout=[%s] stderr=[%s]", r.exit_code,
		      r.out_esc, r.err_esc);
	while (steps[n].cmd)
		n++;
	*res = (struct enp_result){.bad = strdup(""), .seen = strdup(""), .n = n};
	res->lines = calloc(n, sizeof(*res->lines));
	for (size_t i = 0; i < n; i++) {
		const struct enp_step *s = &steps[i];
		char *line = e2e_line(&r, (int)i);
		bool ok = enp_match(line, s->expect);

		res->lines[i] = line;
		ck_assert_msg(ok || !s->ctl,
			      "control step [%s] gave [%s], expected [%s]: the attack would prove "
			      "nothing (stdout=[%s] stderr=[%s])",
			      s->cmd, line, s->expect, r.out_esc, r.err_esc);
		if (s->ctl)
			continue;
		enp_append(&res->seen, "%s%s", *res->seen ? " ; " : "", line);
		if (!ok) {
			res->breach |= enp_breach(line);
			enp_append(&res->bad, "[%s] gave [%s], expected [%s]; ", s->cmd, line,
				   s->expect);
		}
	}
	if (e2e_nlines(&r) != (int)n)
		enp_append(&res->bad, "%d output lines for %zu steps (stderr=[%s]); ",
			   e2e_nlines(&r), n, r.err_esc);
	if (events) {
		res->events = e2e_read_file(events, NULL);
		ck_assert_msg(res->events, "mxc wrote no events file");
		free(events);
	}
	e2e_result_free(&r);
	free(cfg);
	free(cmd);
}

/* Is there a firewall denial of address (and port, unless 0) among the events? */
static bool enp_fw_denied(const struct enp_result *res, const char *address, int port)
{
	char *copy = strdup(res->events ? res->events : ""), *save = NULL;
	bool found = false;

	for (char *l = strtok_r(copy, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(l, 0, NULL);
		const char *src = json_string_value(json_object_get(o, "source"));
		const char *dec = json_string_value(json_object_get(o, "decision"));
		const char *addr = json_string_value(json_object_get(o, "address"));
		json_t *p = json_object_get(o, "port");

		found = src && dec && addr && !strcmp(src, "firewall") && !strcmp(dec, "deny") &&
			!strcmp(addr, address) && (!port || json_integer_value(p) == port);
		json_decref(o);
	}
	free(copy);
	return found;
}

static void enp_result_free(struct enp_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->lines[i]);
	free(res->lines);
	free(res->bad);
	free(res->seen);
	free(res->events);
}

/*
 * The verdict: an escape when a mismatch (or the host-side check) shows
 * traffic that got through; a test failure without a verdict when something
 * else is off; otherwise contained, with the attack lines as observed.
 */
static void enp_judge(struct enp_result *res, bool host_breach, const char *host_note)
{
	const char *note = host_note ? host_note : "";

	if (res->breach || host_breach)
		esc_verdict(false, "%s%s", res->bad, note);
	ck_assert_msg(!*res->bad, "UNEXPECTED (no sign of traffic getting through): %s%s", res->bad,
		      note);
	if (strlen(res->seen) > 600)
		strcpy(res->seen + 590, " ...");
	esc_verdict(true, "%s%s%s", res->seen, *note ? "; " : "", note);
	enp_result_free(res);
}

/* The common case: the steps alone decide. */
void enp_attack(const struct enp_net *net, const struct enp_step *steps)
{
	struct enp_result res;

	enp_run(net, steps, NULL, &res);
	enp_judge(&res, false, NULL);
}

/* ---- 1. the ruleset, routes, addresses and links ---------------------------- */

static void fw_ruleset_nft_cli(void)
{
	static const struct enp_step steps[] = {
		{"sh:nft flush ruleset >/dev/null 2>&1; echo rc=$?", "^rc= && not rc=0"},
		{"sh:nft delete table inet mxc >/dev/null 2>&1; echo rc=$?", "^rc= && not rc=0"},
		{"sh:nft add rule inet mxc egress accept >/dev/null 2>&1; echo rc=$?",
		 "^rc= && not rc=0"},
		{"sh:nft insert rule inet mxc egress ip daddr 198.18.2.1 accept >/dev/null 2>&1; "
		 "echo rc=$?",
		 "^rc= && not rc=0"},
		{"tcp " BLOCKED " 7001", DENY},
		{"udp " BLOCKED " 7001 x", DENYU},
		{"tcp " V6B " 7001", DENY},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

static void fw_ruleset_nfnetlink(void)
{
	static const struct enp_step steps[] = {
		{"nfnl list", "EPERM"},
		{"nfnl flush", "EPERM"},
		{"nfnl deltable mxc", "EPERM"},
		{"nfnl accept enp", "EPERM"},
		{"tcp " BLOCKED " 7001", DENY},
		{"udp " BLOCKED " 7001 x", DENYU},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

static void fw_rtnl_tamper(void)
{
	static const struct enp_step steps[] = {
		{"rtnl addr lo " BLOCKED "/32", "EPERM"},
		{"rtnl addr tap0 10.0.2.200/24", "EPERM"},
		{"rtnl route 198.18.2.0/24 tap0", "EPERM"},
		{"rtnl route 0.0.0.0/0 lo", "EPERM"},
		{"rtnl route 2001:db8:2::/64 tap0", "EPERM"},
		{"rtnl down tap0", "EPERM"},
		{"rtnl del tap0", "EPERM"},
		{"nl-newlink enpdummy0", "EPERM"},
		{"write /proc/sys/net/ipv4/conf/all/route_localnet 1", "EROFS|EACCES|EPERM"},
		{"write /proc/sys/net/ipv4/ip_forward 1", "EROFS|EACCES|EPERM"},
		{"tcp " BLOCKED " 7001", DENY},
		{"tcp " V6B " 7001", DENY},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{"netdevs", "=OK lo,tap0 || =OK lo tap0", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

static void px_tamper(void)
{
	static const struct enp_step steps[] = {
		{"nfnl flush", "EPERM"},
		{"nfnl accept enp", "EPERM"},
		{"rtnl addr lo 10.0.2.100/24", "EPERM"},
		{"rtnl route 0.0.0.0/0 lo", "EPERM"},
		{"rtnl route 198.18.1.0/24 lo", "EPERM"},
		{"rtnl route ::/0 lo", "EPERM"},
		{"nl-newlink enpdummy0", "EPERM"},
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"tcp " V6A " 7001", NOROUTE},
		{"netdevs", "=OK lo"},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&enp_px_list, steps);
}

static void relay_tamper(void)
{
	static const struct enp_step steps[] = {
		{"nfnl flush", "EPERM"},
		{"rtnl route 0.0.0.0/0 lo", "EPERM"},
		{"rtnl addr lo " ALLOWED "/32", "EPERM"},
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"connect-proxy 127.0.0.1 3129 allowed.test:7001", "ok 200 TOK 198.18.1.1 7001",
		 CTL},
		{0},
	};

	enp_attack(&enp_relay_lo, steps);
}

/* ---- 2. getting CAP_NET_ADMIN back: namespaces ---------------------------------- */

/* The steps that try for a network namespace of one's own, or someone else's. */
#define NS_STEPS(target)                                                                           \
	{"unshare user,net", "EPERM"}, {"unshare net", "EPERM"}, {"clone-ns user,net", "EPERM"},   \
		{"clone3-ns user,net", "ENOSYS|EPERM"},                                            \
		{"netns-escape " target, "^EPERM unshare"},                                        \
		{"setns /proc/1/ns/net", "EPERM|EACCES"}, {"setns /proc/self/ns/net", "EPERM"},    \
		{"setns-scan", "has foreign=0 && has joined=0"},                                   \
	{                                                                                          \
		"readlink /proc/self/ns/net", "ok net:"                                            \
	}

/* The sandbox's netns is not the host's (the last NS_STEPS line is its readlink). */
static void enp_ns_judge(struct enp_result *res, size_t readlink_step)
{
	char *host = e2e_host_ns("net");
	const char *l = res->lines[readlink_step];
	bool same = !strncmp(l, "OK ", 3) && !strcmp(l + 3, host);
	char *note = e2e_strf("host netns %s, sandbox %s", host, l + (l[0] == 'O' ? 3 : 0));

	enp_judge(res, same, note);
	free(note);
	free(host);
}

static void fw_netns(void)
{
	static const struct enp_step steps[] = {
		NS_STEPS(BLOCKED " 7001"),
		{"tcp " BLOCKED " 7001", DENY},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};
	struct enp_result res;

	enp_run(&fw_list, steps, NULL, &res);
	enp_ns_judge(&res, 8);
}

static void px_netns(void)
{
	static const struct enp_step steps[] = {
		NS_STEPS(ALLOWED " 7001"),
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};
	struct enp_result res;

	enp_run(&enp_px_list, steps, NULL, &res);
	enp_ns_judge(&res, 8);
}

/* ---- 3. the helpers: mxc-netd, the proxy, slirp4netns ------------------------------ */

struct enp_helpers {
	bool stack; /* firewall: wait for slirp4netns too */
	char *dir;  /* where the PID file goes (granted read-only) */
	char pids[256];
};

/* comm and parent of a host process; false if gone. */
static bool enp_proc_stat(pid_t pid, char *comm, size_t cap, pid_t *ppid)
{
	char *path = e2e_strf("/proc/%d/stat", (int)pid);
	char *s = e2e_read_file(path, NULL), *open, *close;
	bool ok = false;

	free(path);
	if (!s)
		return false;
	open = strchr(s, '(');
	close = strrchr(s, ')');
	if (open && close && close > open && close[1] == ' ') {
		size_t l = (size_t)(close - open - 1);

		snprintf(comm, cap, "%.*s", (int)(l < cap ? l : cap - 1), open + 1);
		ok = sscanf(close + 2, "%*c %d", ppid) == 1;
	}
	free(s);
	return ok;
}

static bool enp_descends(pid_t pid, pid_t ancestor)
{
	for (int depth = 0; depth < 8 && pid > 1; depth++) {
		char comm[64];
		pid_t pp;

		if (!enp_proc_stat(pid, comm, sizeof(comm), &pp))
			return false;
		if (pp == ancestor)
			return true;
		pid = pp;
	}
	return false;
}

/* Host PIDs of this mxc's helpers (space separated) and how many of them are netd. */
static void enp_scan_helpers(pid_t mxc, char *out, size_t cap, int *netd, bool *stack)
{
	struct dirent *de;
	DIR *d = opendir("/proc");

	out[0] = '\0';
	*netd = 0;
	*stack = false;
	while (d && (de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);
		char comm[64];
		pid_t pp;

		if (pid <= 0 || !enp_proc_stat(pid, comm, sizeof(comm), &pp))
			continue;
		if (strcmp(comm, "mxc-netd") && strcmp(comm, "slirp4netns") &&
		    strcmp(comm, "pasta"))
			continue;
		if (!enp_descends(pid, mxc))
			continue;
		*netd += !strcmp(comm, "mxc-netd");
		*stack |= strcmp(comm, "mxc-netd") != 0;
		snprintf(out + strlen(out), cap - strlen(out), "%s%d", *out ? " " : "", (int)pid);
	}
	if (d)
		closedir(d);
}

/* on_started: find the helpers of the mxc just started and hand their PIDs to the workload. */
static void enp_publish_helpers(pid_t mxc, void *userdata)
{
	struct enp_helpers *h = userdata;
	char *tmp = e2e_strf("%s/pids.tmp", h->dir), *dst = e2e_strf("%s/pids", h->dir);
	double end = e2e_now() + 10;
	int netd = 0;
	bool stack = false;

	while (e2e_now() < end) {
		enp_scan_helpers(mxc, h->pids, sizeof(h->pids), &netd, &stack);
		if (netd >= 1 && (stack || !h->stack))
			break;
		e2e_sleep_ms(20);
	}
	/* The proxy runs in a child of netd: give it a moment to appear. */
	e2e_sleep_ms(100);
	enp_scan_helpers(mxc, h->pids, sizeof(h->pids), &netd, &stack);
	e2e_write_file(tmp, h->pids);
	ck_assert(rename(tmp, dst) == 0);
	free(tmp);
	free(dst);
}

/*
 * The workload: who is visible, ptrace everything visible, then signal, ptrace
 * and look up the helpers' host PIDs (which mean nothing in the sandbox's PID
 * namespace), then kill(-1) (the shell dies with it, so the probe is exec'd,
 * as the last command) followed by the `after` steps as "+" segments, which
 * check the policy afterwards.
 */
static void enp_helpers_attack(const struct enp_net *net, bool stack, const struct enp_step *after)
{
	struct enp_helpers h = {.stack = stack, .dir = e2e_path("helpers")};
	struct e2e_run_opts run = {.on_started = enp_publish_helpers, .userdata = &h};
	struct enp_opts o = {.ro = h.dir, .run = &run};
	char *pids = e2e_strf(
		"sh:D=%s; for i in $(seq 100); do [ -s $D/pids ] && break; sleep 0.1; done; "
		"r=\"n=$(wc -w <$D/pids)\"; for p in $(cat $D/pids); do "
		"r=\"$r $p k:$(\"$P\" kill $p KILL) f:$(\"$P\" pidfd-kill $p KILL) "
		"t:$(\"$P\" ptrace-attach $p) s:$(\"$P\" stat /proc/$p)\"; done; echo \"$r\"",
		h.dir);
	char *kill = strdup("sh:sleep 30 & sleep 0.2; exec \"$P\" kill-all KILL");
	struct enp_step steps[16] = {
		{"proc-comms", "not mxc-netd && not slirp4netns && not pasta"},
		{"proc-grep mxc- netd", "has found=0"},
		{"proc-grep slirp 4netns", "has found=0"},
		{"ptrace-scan", "has attached=0 && not tried=0"},
		{pids, "not n=0 && not :OK"},
		{NULL, "=OK"},
	};
	size_t n = 6;
	struct enp_result res;
	char *note;

	for (size_t i = 0; after[i].cmd && n < 15; i++) {
		char *k = e2e_strf("%s + %s", kill, after[i].cmd);

		free(kill);
		kill = k;
		steps[n] = after[i];
		steps[n++].cmd = "+";
	}
	steps[5].cmd = kill;
	e2e_mkdir(h.dir);
	chmod(h.dir, 0755);
	enp_run(net, steps, &o, &res);
	note = e2e_strf("host PIDs of the helpers: %s", h.pids);
	enp_judge(&res, false, note);
	free(note);
	free(kill);
	free(pids);
	free(h.dir);
}

static void fw_helpers(void)
{
	static const struct enp_step after[] = {
		{"tcp " BLOCKED " 7001", DENY},
		{"udp " BLOCKED " 7001 x", DENYU},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_helpers_attack(&fw_list, true, after);
}

static void px_helpers(void)
{
	static const struct enp_step after[] = {
		{"connect-proxy " PX " blocked.test:7001", "=OK 403"},
		{"tcp " ALLOWED " 7001", NOROUTE},
		{"connect-proxy " PX " allowed.test:7001", "ok 200 TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_helpers_attack(&enp_px_list, false, after);
}

/* ---- 4. the host through the stack's addresses -------------------------------------- */

static void fw_stack_gateway_dns(void)
{
	static const struct enp_step steps[] = {
		{"tcp 10.0.2.2 7777", DENY},
		{"tcp 10.0.2.2 8081", DENY},
		{"udp 10.0.2.2 7001 x", DENYU},
		{"ping 10.0.2.2", "EPERM|EACCES"},
		{"dns 10.0.2.3 53 allowed.test A udp", DENYU},
		{"dns 10.0.2.3 53 allowed.test A tcp", DENY},
		{"tcp-via fastopen x 10.0.2.2 7777", DENY},
		{"tcp ::ffff:10.0.2.2 7777", DENY},
		{"tcp fd00::2 7777", DENY},
		{"udp fd00::2 7001 x", DENYU},
		{"dns fd00::3 53 allowed.test A udp", DENYU},
		{"dns fd00::3 53 allowed.test A tcp", DENY},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{"tcp " OTHER " 7001", "ok TOK 198.18.3.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_open, steps);
}

/* Other addresses of the stack's networks: slirp4netns maps them to the host's
 * loopback unless --disable-host-loopback. The ruleset lets them out (default
 * allow); the stack must not lead anywhere. */
static void fw_stack_other_aliases(void)
{
	static const struct enp_step steps[] = {
		{"tcp 10.0.2.1 7777 1500", "not CLIHOST && ^E"},
		{"tcp 10.0.2.4 7777 1500", "not CLIHOST && ^E"},
		{"tcp 10.0.2.15 7777 1500", "not CLIHOST && ^E"},
		{"tcp 10.0.2.255 7777 1500", "not CLIHOST && ^E"},
		{"tcp 10.0.2.4 8081 1500", "not server= && ^E"},
		{"dns 10.0.2.4 53 allowed.test A udp", "ETIMEDOUT|ECONNREFUSED|EPERM"},
		{"tcp fd00::4 7777 1500", "not CLIHOST && ^E"},
		{"tcp fd00::1 7777 1500", "not CLIHOST && ^E"},
		{"tcp-via bindtodev tap0 fe80::2%tap0 7777", "not CLIHOST && ^E"},
		{"udp-via connect - fe80::2%tap0 53 x", "not OK"},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_open, steps);
}

/* The host's own address 198.18.0.1 where the rules do not allow it: a service bound
 * to it, one bound to every address, the loopback-only token server. */
static void fw_host_address(void)
{
	char *tok = e2e_unique("ENPHOST");
	int p_addr = esc_tcp_server(AF_INET, CLI, 0, tok);
	int p_any = esc_tcp_server(AF_INET, "0.0.0.0", 0, tok);
	int p_udp = esc_udp_server(CLI, 0, true);
	char *c1 = e2e_strf("tcp " CLI " %d", p_addr), *c2 = e2e_strf("tcp " CLI " %d", p_any);
	char *c3 = e2e_strf("udp " CLI " %d x", p_udp),
	     *c4 = e2e_strf("tcp ::ffff:" CLI " %d", p_any);
	char *c5 = e2e_strf("tcp-via fastopen x " CLI " %d", p_addr);
	const struct enp_step steps[] = {
		{c1, DENY},
		{c2, DENY},
		{c3, DENYU},
		{c4, DENY},
		{c5, DENY},
		{"tcp " CLI " 7777", DENY},
		{"tcp " CLI6 " 7777", DENY},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};
	struct enp_result res;
	char *note;
	int n;

	enp_run(&fw_list, steps, NULL, &res);
	e2e_sleep_ms(200);
	n = esc_udp_count();
	note = e2e_strf("host UDP server on " CLI " received %d datagram(s)", n);
	enp_judge(&res, n > 0, note);
	free(note);
	free(c1);
	free(c2);
	free(c3);
	free(c4);
	free(c5);
	free(tok);
}

/* The host's loopback services with everything allowed: 127.0.0.1 and ::1 are the
 * sandbox's own; the host's address does not lead to loopback-only services. */
static void fw_host_loopback(void)
{
	char *tok = e2e_unique("ENPHOST");
	int port = esc_tcp_server(AF_INET, "127.0.0.1", 0, tok);
	int p_udp = esc_udp_server("127.0.0.1", 0, true);
	char *c1 = e2e_strf("tcp 127.0.0.1 %d", port), *c2 = e2e_strf("tcp " CLI " %d 1500", port);
	char *c3 = e2e_strf("tcp 10.0.2.2 %d", port), *c4 = e2e_strf("udp 127.0.0.1 %d x", p_udp);
	char *c5 = e2e_strf("udp 10.0.2.2 %d x", p_udp);
	const struct enp_step steps[] = {
		{"tcp 127.0.0.1 7777", OWNLO},
		{"tcp ::1 7777", OWNLO},
		{"tcp 127.0.0.1 3129", OWNLO},
		{"http-proxy 127.0.0.1 8081 / localhost", OWNLO},
		{c1, OWNLO},
		{c2, "not ENPHOST && ^E"},
		{c3, DENY},
		{c4, "ECONNREFUSED|ETIMEDOUT"},
		{c5, DENYU},
		{"tcp " CLI " 7777 1500", "not CLIHOST && ^E"},
		{"tcp " CLI6 " 7777 1500", "not CLIHOST && ^E"},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};
	struct enp_result res;
	char *note;
	int n;

	enp_run(&fw_open, steps, NULL, &res);
	e2e_sleep_ms(200);
	n = esc_udp_count();
	note = e2e_strf("host UDP server on 127.0.0.1 received %d datagram(s)", n);
	enp_judge(&res, n > 0, note);
	free(note);
	free(c1);
	free(c2);
	free(c3);
	free(c4);
	free(c5);
	free(tok);
}

/* Legacy lists that ask for the host's loopback through 10.0.2.2 (slirp4netns then maps
 * its whole network there): only the gateway itself is open, not its other aliases. */
static void fw_legacy_gateway_only(void)
{
	static const struct enp_step steps[] = {
		{"tcp 10.0.2.2 7777", "ok CLIHOST 127.0.0.1 7777", CTL},
		{"tcp 10.0.2.4 7777", DENY},
		{"tcp 10.0.2.15 7777", DENY},
		{"tcp ::ffff:10.0.2.4 7777", DENY},
		{"dns 10.0.2.3 53 allowed.test A udp", DENYU},
		{"tcp fd00::2 7777", DENY},
		{"tcp fd00::4 7777", DENY},
		{"dns fd00::3 53 allowed.test A udp", DENYU},
		{"tcp " BLOCKED " 7001", DENY},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_legacy_gw, steps);
}

/* The metadata service and link-local addresses with the legacy lists enforced by the
 * ruleset (allowLocalNetwork false): the same lists enforced by the filtering proxy
 * refuse them (px_socks5_metadata and the e2e test px_special_addresses). */
static void fw_legacy_metadata(void)
{
	static const struct enp_step steps[] = {
		{"tcp 169.254.169.254 7001", DENY},
		{"http-proxy 169.254.169.254 80 /latest/meta-data/ 169.254.169.254", DENY},
		{"udp 169.254.169.254 7001 x", DENYU},
		{"tcp fd00:ec2::254 7001", DENY},
		{"tcp ::ffff:169.254.169.254 7001", DENY},
		{"tcp " BLOCKED " 7001", DENY},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_legacy_open, steps);
}

/* ---- 5. sockets, addresses and options ------------------------------------------------ */

static void fw_raw_packet(void)
{
	static const struct enp_step steps[] = {
		{"socket inet raw 1", "EPERM"},
		{"socket inet raw 255", "EPERM"},
		{"socket inet6 raw 58", "EPERM"},
		{"socket packet raw 768", "EAFNOSUPPORT|EPERM"},
		{"socket packet dgram 768", "EAFNOSUPPORT|EPERM"},
		/* the ruleset lets neighbour discovery and MLD out to anywhere: a ping
		 * socket cannot carry them */
		{"icmp-type " V6B " 135", "EINVAL"},
		{"icmp-type fe80::2%tap0 136", "EINVAL"},
		{"icmp-type ff02::16%tap0 143", "EINVAL"},
		{"icmp-type " BLOCKED " 13", "EINVAL"},
		{"ping " BLOCKED, "EPERM|EACCES"},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

static void fw_linklocal_multicast_broadcast(void)
{
	static const struct enp_step steps[] = {
		{"udp-via connect - fe80::2%tap0 53 x", DENYU},
		{"udp-via bindtodev tap0 ff02::1%tap0 7001 x", DENYU},
		{"udp-via connect - ff02::fb%tap0 5353 x", DENYU},
		/* the ruleset's reject cannot route back to a link-local source: the SYN is
		 * dropped (the events show the denial) */
		{"tcp-via bindtodev tap0 fe80::2%tap0 7777", "ETIMEDOUT || " DENY},
		{"icmp-type ff02::1%tap0 128", "EPERM|EACCES|ETIMEDOUT"},
		{"udp-via broadcast - 255.255.255.255 7001 x", DENYU},
		{"udp-via broadcast - 10.0.2.255 7001 x", DENYU},
		{"udp-via broadcast - 198.18.0.255 7001 x", DENYU},
		{"udp 224.0.0.251 5353 x", DENYU},
		{"udp 239.255.255.250 1900 x", DENYU},
		{"ping 224.0.0.1", "EPERM|EACCES|EINVAL"},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{"sh:sleep 0.3; echo done", "=done", CTL},
		{0},
	};
	struct enp_opts o = {.events = true};
	struct enp_result res;
	bool logged;

	enp_run(&fw_list, steps, &o, &res);
	logged = enp_fw_denied(&res, "fe80::2", 7777);
	ck_assert_msg(logged, "no firewall denial of fe80::2 port 7777 in the events: [%s]",
		      e2e_esc(res.events));
	enp_judge(&res, false, "firewall denial of fe80::2:7777 logged");
}

/* A dual-stack socket sends IPv4 for ::ffff:a.b.c.d: the IPv4 rules must apply. */
static void fw_v4mapped(const struct enp_net *net)
{
	static const struct enp_step steps[] = {
		{"tcp ::ffff:" BLOCKED " 7001", DENY},
		{"udp ::ffff:" BLOCKED " 7001 x", DENYU},
		{"udp-via connect - ::ffff:" BLOCKED " 7001 x", DENYU},
		{"tcp-via fastopen x ::ffff:" BLOCKED " 7001", DENY},
		{"tcp ::ffff:10.0.2.2 7777", DENY},
		{"dns ::ffff:10.0.2.3 53 allowed.test A udp", DENYU},
		{"tcp ::ffff:" ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(net, steps);
}

static void fw_v4mapped_list(void)
{
	fw_v4mapped(&fw_list);
}

static void fw_v4mapped_denylist(void)
{
	fw_v4mapped(&fw_open);
}

/* IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) spellings of denied or host
 * addresses are other IPv6 destinations: with everything allowed they leave, and
 * must not arrive at the IPv4 address they spell. */
static void fw_v4compat_nat64(void)
{
	static const struct enp_step steps[] = {
		{"tcp ::" BLOCKED " 7001 1500", "not TOK && ^E"},
		{"tcp 64:ff9b::" BLOCKED " 7001 1500", "not TOK && ^E"},
		{"udp 64:ff9b::" BLOCKED " 7001 x 1000", "not UDP"},
		{"tcp ::127.0.0.1 7777 1500", "not CLIHOST && ^E"},
		{"tcp 64:ff9b::127.0.0.1 7777 1500", "not CLIHOST && ^E"},
		{"tcp 64:ff9b::169.254.169.254 7001 1500", "not TOK && ^E"},
		{"tcp ::10.0.2.2 7777 1500", "not CLIHOST && ^E"},
		{"tcp " V6A " 7001", "ok TOK 2001:db8:1::1 7001", CTL},
		{0},
	};

	enp_attack(&fw_open, steps);
}

static void fw_source_spoofing(void)
{
	static const struct enp_step steps[] = {
		{"tcp-via transparent 10.0.2.2 " ALLOWED " 7001", "=EPERM setsockopt"},
		{"tcp-via transparent " ALLOWED " " BLOCKED " 7001", "=EPERM setsockopt"},
		{"tcp-via transparent " V6A " " V6B " 7001", "=EPERM setsockopt"},
		{"tcp-via repair - " BLOCKED " 7001", "=EPERM setsockopt"},
		{"tcp-via freebind " ALLOWED " " BLOCKED " 7001", "not TOK && ^E"},
		{"tcp-via freebind 10.0.2.2 " BLOCKED " 7001", "not TOK && ^E"},
		{"udp-via freebind " ALLOWED " " BLOCKED " 7001 x", "not UDP && ^E"},
		{"udp-via freebind 10.0.2.2 " BLOCKED " 7001 x", "not UDP && ^E"},
		{"udp-via freebind " V6A " " V6B " 7001 x", "not UDP && ^E"},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

/* Source routes: the header names an allowed first hop, the route ends at a denied
 * address (IPv4 LSRR needs CAP_NET_RAW; an IPv6 segment routing header does not). */
static void fw_source_routing(void)
{
	static const struct enp_step steps[] = {
		{"udp-via lsrr " ALLOWED " " BLOCKED " 7001 x", "not UDP && ^E"},
		{"udp-via lsrr " ALLOWED " 10.0.2.2 7777 x", "not UDP && ^E"},
		{"udp-via srh " V6A " " V6B " 7001 x", "not UDP && ^E"},
		{"udp-via srh " V6A " fd00::2 7001 x", "not UDP && ^E"},
		{"udp-via srh " V6B " " V6A " 7001 x", DENYU},
		{"udp " V6A " 7001 x", "ok UDP 2001:db8:1::1 7001 x", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

static void fw_tcp_fastopen(void)
{
	static const struct enp_step steps[] = {
		{"tcp-via fastopen data " BLOCKED " 7001", DENY},
		{"tcp-via fastopen data " V6B " 7001", DENY},
		{"tcp-via fastopen data " OTHER " 7001", DENY},
		{"tcp-via fastopen data " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

static void fw_udp_connected(void)
{
	static const struct enp_step steps[] = {
		{"udp-via connect - " ALLOWED " 7002 x", DENYU},
		{"udp-via connect - " BLOCKED " 7001 x", DENYU},
		{"udp-via connect - 10.0.2.3 53 x", DENYU},
		{"dns-query " ALLOWED " 7002 allowed.test", DENYU},
		{"udp-via udplite - " ALLOWED " 7001 x", "^EPROTONOSUPPORT socket || " DENYU},
		{"udp-via connect - " ALLOWED " 7001 x", "ok UDP 198.18.1.1 7001 x", CTL},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_ports, steps);
}

/* Packets forced onto lo stay in the sandbox (the ruleset accepts everything on lo). */
static void fw_bound_to_lo(void)
{
	static const struct enp_step steps[] = {
		{"tcp-via bindtodev lo " BLOCKED " 7001", "not TOK && ^E"},
		{"tcp-via bindtodev lo 10.0.2.2 7777", "not CLIHOST && ^E"},
		{"udp-via bindtodev lo " BLOCKED " 7001 x", "not UDP && ^E"},
		{"udp-via pktinfo lo " BLOCKED " 7001 x", "not UDP && ^E"},
		{"udp-via pktinfo lo " V6B " 7001 x", "not UDP && ^E"},
		{"tcp-via bindtodev tap0 " BLOCKED " 7001", DENY},
		{"udp-via pktinfo tap0 " BLOCKED " 7001 x", DENYU},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

static void fw_other_protocols(void)
{
	static const struct enp_step steps[] = {
		{"tcp-via proto sctp " BLOCKED " 7001",
		 "^EPROTONOSUPPORT socket || ^ESOCKTNOSUPPORT socket || " DENY},
		{"tcp-via proto sctp-seq " BLOCKED " 7001",
		 "^EPROTONOSUPPORT socket || ^ESOCKTNOSUPPORT socket || " DENY},
		{"tcp-via proto dccp " BLOCKED " 7001",
		 "^EPROTONOSUPPORT socket || ^ESOCKTNOSUPPORT socket || " DENY},
		{"tcp-via proto mptcp " BLOCKED " 7001", "^EPROTONOSUPPORT socket || " DENY},
		{"tcp-via proto mptcp " V6B " 7001", "^EPROTONOSUPPORT socket || " DENY},
		{"mptcp4 10.0.2.2 7777", "EPROTONOSUPPORT|" DENY},
		{"udp-via udplite - " BLOCKED " 7001 x", "^EPROTONOSUPPORT socket || " DENYU},
		{"tcp " ALLOWED " 7001", "ok TOK 198.18.1.1 7001", CTL},
		{0},
	};

	enp_attack(&fw_list, steps);
}

const struct esc_attack esc_netpolicy_attacks[] = {
	/* 1. the ruleset, routes, addresses, links */
	{"fw_ruleset_nft_cli", "net-fw", "nft fails; denied stays denied", fw_ruleset_nft_cli},
	{"fw_ruleset_nfnetlink", "net-fw", "EPERM (list, flush, delete, accept chain)",
	 fw_ruleset_nfnetlink},
	{"fw_rtnl_addr_route_link", "net-fw", "EPERM; /proc/sys read-only; denied stays denied",
	 fw_rtnl_tamper},
	{"px_rtnl_nfnl_routes", "net-proxy", "EPERM; still no route", px_tamper},
	{"relay_rtnl_nfnl_routes", "net-relay", "EPERM; still no route", relay_tamper},
	/* 2. CAP_NET_ADMIN back */
	{"fw_netns_unshare_setns", "net-fw", "EPERM/ENOSYS; no foreign netns visible", fw_netns},
	{"px_netns_unshare_setns", "net-proxy", "EPERM/ENOSYS; no foreign netns visible", px_netns},
	/* 3. the helpers */
	{"fw_helpers", "net-fw", "invisible, ESRCH by host PID; policy holds after kill(-1)",
	 fw_helpers, NULL, 60},
	{"px_helpers", "net-proxy", "invisible, ESRCH by host PID; proxy holds after kill(-1)",
	 px_helpers, NULL, 60},
	/* 4. the host through the stack */
	{"fw_stack_gateway_dns", "net-fw", "10.0.2.2/.3, fd00::2/::3 dropped (default allow)",
	 fw_stack_gateway_dns},
	{"fw_stack_other_aliases", "net-fw", "other 10.0.2.x / fd00::x / fe80::2 lead nowhere",
	 fw_stack_other_aliases, NULL, 60},
	{"fw_host_address", "net-fw", "198.18.0.1 denied when not allowed", fw_host_address},
	{"fw_host_loopback", "net-fw", "127.0.0.1/::1 are the sandbox's own", fw_host_loopback,
	 NULL, 60},
	{"fw_legacy_gateway_only", "net-fw", "only 10.0.2.2 itself opened", fw_legacy_gateway_only},
	{"fw_legacy_metadata_linklocal", "net-fw",
	 "metadata refused (allowLocalNetwork false, as by the proxy)", fw_legacy_metadata},
	/* 5. sockets */
	{"fw_raw_packet_icmp_types", "net-fw", "EPERM / EAFNOSUPPORT / EINVAL", fw_raw_packet},
	{"fw_linklocal_multicast_broadcast", "net-fw", "EPERM", fw_linklocal_multicast_broadcast},
	{"fw_v4mapped_allowlist", "net-fw", "IPv4 rules apply", fw_v4mapped_list},
	{"fw_v4mapped_denylist", "net-fw", "IPv4 rules apply", fw_v4mapped_denylist},
	{"fw_v4compat_nat64", "net-fw", "arrives nowhere", fw_v4compat_nat64, NULL, 60},
	{"fw_source_spoofing", "net-fw", "IP_TRANSPARENT, TCP_REPAIR EPERM; FREEBIND gets nowhere",
	 fw_source_spoofing},
	{"fw_source_routing", "net-fw", "LSRR EPERM; SRH gets nowhere", fw_source_routing},
	{"fw_tcp_fastopen", "net-fw", "denied like connect", fw_tcp_fastopen},
	{"fw_udp_connected_denied_port", "net-fw", "EPERM", fw_udp_connected},
	{"fw_bound_to_lo", "net-fw", "stays in the sandbox", fw_bound_to_lo, NULL, 60},
	{"fw_sctp_dccp_mptcp_udplite", "net-fw", "unsupported or denied", fw_other_protocols},
	{NULL},
};
