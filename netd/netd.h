/* SPDX-License-Identifier: MIT */
/* mxc-netd internals: one header for the mechanisms split over the netd-*.c files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Netlink message buffers (MNL_SOCKET_BUFFER_SIZE is a run-time value). */
#define NETD_NL_BUF 8192

/* Error text for the one-line {"ok":false,"error":...} reply. */
#define NETD_ERR_MAX 1024

/* Stack name constants ("stack" in the request). */
#define NETD_STACK_PASTA "pasta"
#define NETD_STACK_SLIRP "slirp4netns"

enum netd_proxy_role {
	NETD_PROXY_NONE,
	NETD_PROXY_FILTER,
	NETD_PROXY_RELAY,
};

/* The parsed request (lib/net/netd-proto.h). Strings are owned. */
struct netd_request {
	pid_t pid;
	char *sandbox_id;
	char *nft; /* NULL: no ruleset */
	bool ping;
	char *stack; /* NULL: none */
	bool ipv6;
	/* The stack maps its gateway to the host's loopback (slirp4netns 10.0.2.2):
	 * only when the ruleset explicitly allows that address (legacy lists). */
	bool host_loopback;
	/* The backend brings lo up itself after netd may start (bwrap): wait for
	 * it instead of racing it. */
	bool wait_lo;
	int nflog_group; /* -1: none */
	enum netd_proxy_role proxy_role;
	uint16_t proxy_port;
	char **allow; /* NULL-terminated; filter */
	char **block;
	bool default_allow;
	bool block_local;
	char *listen_address; /* relay: dotted IPv4 */
	char *upstream_address;
	uint16_t upstream_port;
};

void netd_request_done(struct netd_request *r);
/* Parse one request message. Returns 0 or -EINVAL with err filled. */
int netd_request_parse(const char *msg, size_t len, struct netd_request *r, char *err,
		       size_t errlen);

/* ---- netd-join.c: the namespace joiner ---------------------------------- */

#define NETD_MAX_LISTEN 2

/* What the joiner hands back; every fd is -1 when absent. */
struct netd_joined {
	int listen_fds[NETD_MAX_LISTEN];
	size_t n_listen;
	int nflog_fd;	  /* NFLOG netlink socket bound to the group, in the netns */
	int rtnl_fd;	  /* rtnetlink query socket of the netns */
	int rtmon_fd;	  /* rtnetlink socket of the netns, subscribed to changes */
	bool same_userns; /* the sandbox shares netd's user namespace */
};

void netd_joined_done(struct netd_joined *j);
/* Fork the joiner, wait for its fds. Returns 0 or a negative errno with err
 * naming what failed. Must be called while netd is single-threaded. */
int netd_join(const struct netd_request *r, struct netd_joined *ret, char *err, size_t errlen);

/* ---- netd-addr.c: rtnetlink with libmnl (runs in the joiner) ------------ */

/* Bring lo up. */
int netd_addr_lo_up(char *err, size_t errlen);
/* Add addr/32 to lo (EEXIST is fine). */
int netd_addr_add_lo32(const char *addr, char *err, size_t errlen);
/* A non-blocking rtnetlink socket of the current netns; `monitor`: subscribed
 * to link, address and route changes (a wake-up source), else for queries.
 * Returns the fd or a negative errno with err filled. */
int netd_addr_rtnl_open(bool monitor, char *err, size_t errlen);
/* Ask through a query socket (of the sandbox's netns) whether the default
 * routes of the families in want4/want6 exist on a link that is up. 1 yes,
 * 0 no, negative errno on error. */
int netd_addr_default_routes(int rtnl_fd, bool want4, bool want6);
/* Drain pending notifications from a monitor socket. */
void netd_addr_drain(int rtmon_fd);

/* ---- netd-nft.c: libnftables (runs in the joiner) ----------------------- */

/* Load ruleset text. On error, err holds nft's own message (one line). */
int netd_nft_load(const char *ruleset, char *err, size_t errlen);

/* ---- netd-nflog.c: firewall events ------------------------------------- */

/* In the joiner: an NFLOG socket bound to `group`, copying 128 bytes. */
int netd_nflog_open(uint16_t group, char *err, size_t errlen);

struct netd_summary;
/* In netd: read every pending NFLOG message, write one event line per
 * packet to events_fd and count it in *sum. */
void netd_nflog_read(int nflog_fd, int events_fd, const char *sandbox_id, struct netd_summary *sum);

/* ---- netd-stack.c: user-mode stack ------------------------------------- */

struct netd_stack {
	pid_t pid;     /* -1: none */
	int pidfd;     /* -1: none */
	int stderr_fd; /* read end of the stack's stderr */
	int exit_fd;   /* slirp4netns --exit-fd write end */
	const char *name;
	bool ipv6;
};

/* Start the stack named r->stack and wait (<= 5 s) until it is ready.
 * Returns 0 or a negative errno with err filled (the stack is killed). */
int netd_stack_start(const struct netd_request *r, const struct netd_joined *j,
		     struct netd_stack *st, char *err, size_t errlen);
/* Kill and reap. Idempotent. */
void netd_stack_stop(struct netd_stack *st);
/* Where an executable lives: PATH (when set), then the system directories.
 * Returns 0 and the path in buf, or -ENOENT. */
int netd_find_exe(const char *name, char *buf, size_t len);

/* ---- netd-summary.c: counting for the stop reply ----------------------- */

#define NETD_DENIALS_MAX 256 /* distinct denials tracked; the reply lists 20 */

struct netd_denial {
	char host[256];
	char address[64];
	char protocol[16];
	unsigned port;
	uint64_t count;
};

struct netd_summary {
	uint64_t allowed, denied;
	struct netd_denial denials[NETD_DENIALS_MAX];
	size_t n_denials;
};

/* Count one decision; host/address may be NULL. */
void netd_summary_add(struct netd_summary *s, bool allowed, const char *host, const char *address,
		      unsigned port, const char *protocol);
/* Count one event line written by the proxy (JSON); ignores other lines. */
void netd_summary_add_line(struct netd_summary *s, const char *line, size_t len);
/* {"summary":{...}} as a malloc'ed string, or NULL on OOM. */
char *netd_summary_json(const struct netd_summary *s);

/* ---- netd-proxy.c: the proxy process ----------------------------------- */

struct netd_proxy {
	pid_t pid;     /* -1: none */
	int stop_fd;   /* write end; closing it stops the proxy */
	int events_fd; /* read end of the proxy's event lines */
};

/* Start netproxy_run() in a child. Returns 0 or negative errno with err. */
int netd_proxy_start(const struct netd_request *r, const struct netd_joined *j,
		     struct netd_proxy *p, char *err, size_t errlen);
/* Stop and reap (bounded wait, then SIGKILL). Idempotent. */
void netd_proxy_stop(struct netd_proxy *p);

/* ---- small helpers (netd.c) --------------------------------------------- */

/* snprintf into err (always terminated), returns `code`. */
int netd_err(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Milliseconds on CLOCK_MONOTONIC. */
int64_t netd_now_ms(void);
