/* SPDX-License-Identifier: MIT */
/*
 * The escape suite: hostile workloads run through the real mxc CLI, each
 * asserting the specific contained outcome. One Check test case per attack,
 * named after it; every attack records one row of the results table.
 */
#pragma once

#include "e2e-util.h"

#include <stdbool.h>
#include <sys/types.h>

struct esc_attack {
	const char *name; /* test case name and table row */
	const char *cls;  /* filesystem, process, kernel, network, resources */
	const char
		*expected; /* for the table; for probe-only attacks also the accepted errno set */
	void (*fn)(void);  /* NULL: run "<probe> PROBE" and expect one of `expected` */
	const char *probe;
	double timeout; /* seconds; 0: 30 */
};

/* Each array ends with an entry whose name is NULL. */
extern const struct esc_attack esc_fs_attacks[];
extern const struct esc_attack esc_proc_attacks[];
extern const struct esc_attack esc_kernel_attacks[];
extern const struct esc_attack esc_net_attacks[];
extern const struct esc_attack esc_res_attacks[];

/* The attack being run (set in the forked test process). */
extern const struct esc_attack *esc_cur;

/* Run-wide settings, set by main before the tests fork. */
extern const char *esc_containment; /* "" = omitted (mxc's namespace backend) */
extern const char *esc_limits;	    /* JSON object for a `limits` section, or NULL */

/* Fixture: e2e_setup() plus the host helpers' cleanup list. */
void esc_setup(void);
void esc_teardown(void);

/* A config for the selected backend running the printf-formatted command, timeout 10 s. */
struct e2e_cfg *esc_cfg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Adds the `limits` section when one is configured (bombs only). */
void esc_cfg_limits(struct e2e_cfg *c);
/* Writes and runs c; asserts mxc ran the workload (no config/usage/backend error). */
void esc_run(struct e2e_cfg *c, struct e2e_result *r);
/* Run the config; the probe's output lines joined with " ; " (malloc'd); the exit
 * status in *ret_exit when not NULL. */
char *esc_run_lines(struct e2e_cfg *c, int *ret_exit);
/* Runs "<probe> ARGS" in a default sandbox and returns its result line. */
char *esc_probe1(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is the backend under test `containment` (bubblewrap; "" and "process": namespaces)? */
bool esc_backend_is(const char *containment);
/*
 * An intended difference of this backend (docs/backends.md): records the row as a
 * documented limit and fails unless `as_documented` (the limit must show exactly as written).
 */
void esc_known_limit(bool as_documented, const char *observed_fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Is obs one of the '|'-separated words of set? */
bool esc_in(const char *obs, const char *set);
/*
 * Records the current attack's row (observed, contained/ESCAPED) and fails the
 * test when it escaped. Call once, after the sanity checks.
 */
void esc_verdict(bool contained, const char *observed_fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* esc_verdict(esc_in(obs, esc_cur->expected), obs). */
void esc_expect(const char *obs);

/* ---- host-side helpers (killed by esc_teardown) ---- */

/* A host process (sleep 60) the sandbox must not be able to touch. */
pid_t esc_host_sleeper(void);
bool esc_alive(pid_t pid);

/* A host TCP server that writes token to each client; returns its port. family AF_INET/AF_INET6. */
int esc_tcp_server(int family, const char *addr, int port, const char *token);
/*
 * A host UDP server on addr:port (0 = any port; returns the port). Each datagram
 * is counted; with reply, it is echoed back with the DNS "response" bit set.
 */
int esc_udp_server(const char *addr, int port, bool reply);
/* Datagrams the UDP server has received so far. */
int esc_udp_count(void);
/* A host unix stream server at path ("@name": abstract) that writes token to each client. */
void esc_unix_server(const char *path, const char *token);
/* The host's first non-loopback IPv4 address that is up, or NULL. */
char *esc_host_ipv4(void);
/* A TCP port that is free on the host right now. */
int esc_free_port(void);

/*
 * Runs "mxc run cfg" with stdin from stdin_fd (-1: /dev/null), in a new session
 * whose controlling terminal is stdin_fd when it is a tty, leaving keep_fd (if
 * >= 3) open in mxc.
 */
void esc_spawn(struct e2e_result *r, const char *cfg, int stdin_fd, int keep_fd);
/* The rows esc_verdict() appended to $MXC_ESCAPE_ROWS (name TAB verdict TAB
 * observed), for the result table; the last row of a name wins. */
struct esc_row {
	char *name, *verdict, *observed;
};
void esc_rows_load(const char *path);
const struct esc_row *esc_row_find(const char *name);
/* s made safe for a Markdown table cell (malloc'd). */
char *esc_cell(const char *s);
