/* SPDX-License-Identifier: MIT */
/*
 * Escape attacks against the filtered network modes (firewall, filtering
 * proxy, relay), run inside the network test topology of tests/net/ by
 * test-escape-netpolicy (suite escape-net): esc-netpolicy.c has the runner,
 * the firewall attacks and the proxy/relay variants of the generic ones,
 * esc-netpolicy-proxy.c the attacks on the proxy's and the relay's protocol.
 */
#pragma once

#include "escape.h"

/* Topology addresses (tests/net/topology.sh, tests/net/hosts). */
#define ALLOWED "198.18.1.1" /* allowed.test */
#define BLOCKED "198.18.2.1" /* blocked.test */
#define OTHER	"198.18.3.1" /* other.test, proxy.test */
#define SRV	"198.18.0.2" /* mxct-srv on the veth; the DNS server */
#define SRV6	"2001:db8:18::2"
#define CLI	"198.18.0.1" /* mxct-cli: the host mxc runs on */
#define CLI6	"2001:db8:18::1"
#define V6A	"2001:db8:1::1" /* v6.test */
#define V6B	"2001:db8:2::1" /* blocked6.test */
#define PX	"127.0.0.1 3128"
#define PX6	"::1 3128"

struct enp_net {
	const char *version; /* NULL: 0.8.0-alpha */
	const char *network; /* JSON with ' for ", or NULL */
	const char *runtime; /* runtimeConfig, JSON with ' for ", or NULL */
	const char *mode;    /* expected plan.network.mode */
	bool testing;	     /* --allow-testing-features */
};

struct enp_step {
	/* probe op and args; "sh:" + a shell line printing one line; "+": no command,
	 * the next line of the step before (kill-all prints several) */
	const char *cmd;
	const char *expect; /* see enp_match() */
	bool ctl;	    /* control: must work, or the attack proves nothing */
};

#define CTL true

/*
 * Errno sets. A TCP connect refused by the sandbox's ruleset fails at once
 * (EHOSTUNREACH for IPv4, EACCES for IPv6, EPERM from Landlock or a drop);
 * a refused datagram fails with EPERM; without a route (proxy modes) connect
 * fails with ENETUNREACH, or Landlock refuses it first (EACCES).
 */
#define DENY	"EHOSTUNREACH|EACCES|EPERM|ECONNREFUSED"
#define DENYU	"EPERM"
#define NOROUTE "ENETUNREACH|EACCES"
/* The sandbox's own loopback: nothing listens (Landlock may refuse first). */
#define OWNLO "ECONNREFUSED|EACCES"

/* The configurations the proxy and relay attacks use (esc-netpolicy.c). */
extern const struct enp_net enp_px_list;   /* allow list, blocked names, rebind.test */
extern const struct enp_net enp_px_open;   /* defaultPolicy allow, blocked names */
extern const struct enp_net enp_px_legacy; /* pre-0.8 host lists */
extern const struct enp_net enp_relay_lo;  /* runtimeConfig.networkProxy 127.0.0.1:3129 */
extern const struct enp_net enp_relay_url; /* proxy.url http://proxy.test:3129 */

/* Runs the steps in one sandbox of configuration net and records the verdict. */
void enp_attack(const struct enp_net *net, const struct enp_step *steps);

/* Each ends with an entry whose name is NULL. */
extern const struct esc_attack esc_netpolicy_attacks[];	      /* esc-netpolicy.c */
extern const struct esc_attack esc_netpolicy_proxy_attacks[]; /* esc-netpolicy-proxy.c */
