/* SPDX-License-Identifier: MIT */
/*
 * Mounts with the new mount API: detached trees (open_tree, fsmount), their
 * attributes (mount_setattr), attaching them (move_mount), pivot_root, and
 * mountpoint creation. Plain paths and flags only.
 */
#ifndef MXC_OS_MOUNT_H
#define MXC_OS_MOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* MOUNT_ATTR_* values as in <sys/mount.h>. */
#define MNT_ATTR_RDONLY 0x00000001u
#define MNT_ATTR_NOSUID 0x00000002u
#define MNT_ATTR_NODEV	0x00000004u
#define MNT_ATTR_NOEXEC 0x00000008u

/* mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL). */
int mount_make_rprivate(void);

/* A detached copy of the mount tree at `path` (following symlinks; with
 * `recursive`, submounts included). *ret_is_dir says what its root is. */
int mount_clone_tree(const char *path, bool recursive, int *ret_fd, bool *ret_is_dir);

/* Set (and clear) MNT_ATTR_* flags on the mount `fd` refers to; with
 * `recursive`, on every mount below it too. */
int mount_set_attr(int fd, uint64_t set, uint64_t clear, bool recursive);

/* A new detached filesystem: fsopen(fstype), fsconfig() for each of
 * `options` ("key=value" or a bare flag "key"; NULL-terminated, may be NULL),
 * then fsmount() with `attrs` (MNT_ATTR_*). */
int mount_new_fs(const char *fstype, const char *const *options, uint64_t attrs, int *ret_fd);

/* Attach the detached mount `fd` at `dst` (symlinks in dst followed). */
int mount_attach(int fd, const char *dst);

/* Make the detached mount `fd` the root: attach it over "/", pivot_root into
 * it and detach the old root. The caller's cwd and root end up at its root. */
int mount_pivot_into(int fd);

/* mkdir -p `path` (absolute); existing components are fine. */
int mount_mkdir_p(const char *path, mode_t mode);

/* Make sure `path` exists as a mountpoint: a directory, or (for a file
 * mount) an empty regular file; parents are created. */
int mount_make_mountpoint(const char *path, bool is_dir);

#endif
