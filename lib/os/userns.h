/* SPDX-License-Identifier: MIT */
/* User namespaces: id maps written from the parent side, availability probe. */
#ifndef MXC_OS_USERNS_H
#define MXC_OS_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

/* Map one uid and one gid (inside -> outside) for process `pid`; with
 * `deny_setgroups` writes "deny" to setgroups first (required for an
 * unprivileged gid_map). On failure *ret_file names the file that failed. */
int userns_write_maps(pid_t pid, uid_t uid_inside, uid_t uid_outside, gid_t gid_inside,
		      gid_t gid_outside, bool deny_setgroups, const char **ret_file);

/* 0 if a new user namespace can be created by the caller, else a negative
 * errno (the kernel's refusal). */
int userns_probe(void);

#endif
