/* SPDX-License-Identifier: MIT */
/*
 * Landlock UAPI definitions newer than Debian 12's kernel headers (which stop
 * at ABI 2). Values from the kernel's include/uapi/linux/landlock.h; each is
 * defined only when the system header lacks it.
 *
 * The system header's struct landlock_ruleset_attr has only the ABI 1 field,
 * so mxc carries its own, complete layout under another name.
 */
#ifndef MXC_UAPI_LANDLOCK_H
#define MXC_UAPI_LANDLOCK_H

#include <linux/landlock.h>
#include <linux/types.h>
#include <sys/syscall.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* ABI 1 and 2 (REFER) are in the system header; ABI 3 onwards: */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif

/* ABI 4: TCP. */
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_RULE_NET_PORT
#define LANDLOCK_RULE_NET_PORT 2
#endif

/* ABI 6: IPC scoping. */
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* struct landlock_net_port_attr (ABI 4; not in older system headers). */
struct mxc_landlock_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
} __attribute__((packed));

/* struct landlock_ruleset_attr as of ABI 6 (the kernel accepts a shorter
 * size from older callers; mxc passes the size its probed ABI knows). */
struct mxc_landlock_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net; /* ABI 4 */
	__u64 scoped;		  /* ABI 6 */
};

#define MXC_LANDLOCK_ATTR_SIZE_V1 8u
#define MXC_LANDLOCK_ATTR_SIZE_V4 16u
#define MXC_LANDLOCK_ATTR_SIZE_V6 24u

#endif
