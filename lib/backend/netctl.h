/* SPDX-License-Identifier: MIT */
/*
 * The backends' side of a filtered network (plan modes FIREWALL and PROXY):
 * resolve a relay proxy given by name and render the pinned /etc/hosts
 * before the sandbox exists, then start mxc-netd against the sandbox's
 * namespaces before the workload runs (lib/net/netd-proto.h), and stop it
 * when the sandbox goes. Both backends use it; nothing here knows about
 * mounts or bwrap.
 */
#pragma once

#include <sys/types.h>

#include "mxc/mxc.h"
#include "plan/plan.h"

struct netctl;

/* NULL in *ret when the plan needs no helper. */
int netctl_prepare(const struct mxc_plan *p, struct netctl **ret, struct mxc_error *reterr);

/* The content for the sandbox's /etc/hosts, or NULL when nothing is pinned. */
const char *netctl_hosts(const struct netctl *n);

/* Start mxc-netd for the sandbox whose user and network namespaces `pid`
 * is in; returns when the rules are loaded, the stack is up and the proxy
 * listens, or with an error (nothing left running). */
int netctl_start(struct netctl *n, pid_t pid, struct mxc_error *reterr);

/* Stop mxc-netd (summary to the debug log) and free. NULL is fine. */
void netctl_free(struct netctl *n);
