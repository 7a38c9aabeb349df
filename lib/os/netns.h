/* SPDX-License-Identifier: MIT */
/* Network namespaces: bring the loopback interface up. */
#ifndef MXC_OS_NETNS_H
#define MXC_OS_NETNS_H

/* Set IFF_UP on "lo" in the caller's network namespace. */
int netns_loopback_up(void);

#endif
