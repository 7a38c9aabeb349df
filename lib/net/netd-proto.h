/* SPDX-License-Identifier: MIT */
/*
 * Protocol between libmxc and mxc-netd, the per-sandbox network helper.
 *
 * libmxc starts mxc-netd (found as $MXC_NETD, else next to
 * /proc/self/exe, else MXC_LIBEXECDIR/mxc-netd) *after* the sandbox's
 * namespaces exist and *before* the workload is released:
 *
 *   argv: mxc-netd
 *   fd 3: control socket, AF_UNIX SOCK_SEQPACKET (one message = one JSON doc)
 *   fd 4: events fd (JSON lines, netevents.h), or /dev/null
 *   environment: empty
 *
 * 1. libmxc sends the request (one message):
 *    {
 *      "pid": 1234,            // a process in the sandbox's user+net namespaces
 *      "sandboxId": "…",
 *      "nft": "table inet mxc { … }",   // nftables ruleset text, loaded with
 *                                        // libnftables inside the netns; or null
 *      "ping": true,           // open net.ipv4.ping_group_range in the netns
 *      "stack": "pasta" | null,         // user-mode stack attached to the netns
 *      "ipv6": true,           // stack may carry IPv6 (nft enforces it)
 *      "hostLoopback": true,   // the stack maps its gateway to the host's loopback
 *      "waitLo": true,         // the backend brings lo up itself (bwrap): wait for it
 *      "nflogGroup": 7 | null, // NFLOG group the ruleset logs denials to;
 *                              // netd reads it and emits firewall events
 *      "proxy": null | {
 *        "role": "filter" | "relay",
 *        "port": 3128,         // filter: listen on 127.0.0.1:port and [::1]:port inside;
 *                              // relay: listen on listenAddress:port
 *        "allow": [..], "block": [..], "defaultAllow": false,     // filter
 *        "blockLocal": true,   // filter: allowLocalNetwork=false
 *        "listenAddress": "127.0.0.1" | "10.1.2.3",  // relay: the proxy's IPv4 address
 *                              // as the sandbox sees it; a non-loopback address
 *                              // is added to the netns's lo as a /32 first
 *        "upstreamAddress": "10.1.2.3", "upstreamPort": 8080 // relay: where netd
 *                              // connects on the host side (already resolved)
 *      }
 *    }
 * 2. netd: forks a child that joins /proc/PID/ns/user (if different from its
 *    own) and /proc/PID/ns/net, brings lo up, loads the ruleset, sets the
 *    sysctl, creates the listening sockets and the NFLOG socket there, and
 *    passes those fds back (SCM_RIGHTS) before exiting; netd itself stays in
 *    the host namespaces. It then starts the stack (child with
 *    PR_SET_PDEATHSIG=SIGKILL) and waits until it is ready, and answers:
 *      {"ok": true, "stack": "pasta", "ipv6": true|false}
 *    or {"ok": false, "error": "<one line naming what failed and why>"}
 *    and exits after an error (nothing left behind).
 * 3. netd serves the proxy and the NFLOG reader until the control socket
 *    hits EOF or receives {"stop": true}; it then sends the summary (only in
 *    answer to "stop"): {"summary": {"allowed": N, "denied": N, "denials":
 *    [up to 20 of {"host", "address", "port", "protocol", "count"}]}},
 *    kills the stack, and exits 0.
 * netd sets PR_SET_PDEATHSIG=SIGKILL on itself, so a SIGKILLed mxc leaves
 * nothing: the stack dies with netd, the netns with the sandbox.
 */
#pragma once

#define MXC_NETD_CONTROL_FD 3
#define MXC_NETD_EVENTS_FD  4
#define MXC_NETD_MSG_MAX    (256 * 1024)
