/* SPDX-License-Identifier: MIT */
/* Capabilities: drop every one of them for good. */
#ifndef MXC_OS_CAPS_H
#define MXC_OS_CAPS_H

/* Lock the securebits (no root privilege, no setuid fixup, no ambient
 * raise), clear the ambient set, empty the bounding set, then clear the
 * effective, permitted and inheritable sets. Needs CAP_SETPCAP on entry. */
int caps_drop_all(void);

#endif
