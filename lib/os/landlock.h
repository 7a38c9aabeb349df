/* SPDX-License-Identifier: MIT */
/*
 * Landlock through raw syscalls: probe the ABI, build a ruleset, add
 * path-beneath rules, restrict the calling thread. No policy knowledge: the
 * caller decides which paths get which rights. Nothing here allocates, so
 * every call is usable in a child created by a raw clone.
 */
#ifndef MXC_OS_LANDLOCK_H
#define MXC_OS_LANDLOCK_H

#include <stdint.h>

#include "uapi/landlock.h"

/* File rights that apply to non-directories (a rule on a file may hold only these). */
#define LANDLOCK_FS_FILE_RIGHTS                                                                    \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |                              \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |                              \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* The ABI version the kernel offers (>= 1), or a negative errno: -ENOSYS
 * (not built in), -EOPNOTSUPP (built in but disabled at boot). */
int landlock_abi_version(void);

/* Every right of each kind the given ABI knows (0 for an unknown kind). */
uint64_t landlock_fs_rights(int abi);
uint64_t landlock_net_rights(int abi);
uint64_t landlock_scopes(int abi);

/* A new ruleset handling the given rights; the caller must have masked them
 * with the landlock_*_rights(abi) above. Returns the ruleset fd (O_CLOEXEC). */
int landlock_ruleset_new(int abi, uint64_t handled_fs, uint64_t handled_net, uint64_t scoped);

/* Allow `access` beneath the object `path_fd` (an O_PATH fd) refers to.
 * Rights that make no sense on a non-directory are dropped for one. */
int landlock_allow_beneath(int ruleset_fd, int path_fd, uint64_t access);

/* Restrict the calling thread (needs no_new_privs or CAP_SYS_ADMIN). */
/* Allow `access` (LANDLOCK_ACCESS_NET_*) for TCP port `port` (ABI >= 4). */
int landlock_allow_port(int ruleset_fd, uint16_t port, uint64_t access);
int landlock_restrict(int ruleset_fd);

#endif
