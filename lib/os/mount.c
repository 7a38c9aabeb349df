/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "mount.h"

int mount_make_rprivate(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	return 0;
}

int mount_clone_tree(const char *path, bool recursive, int *ret_fd, bool *ret_is_dir)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
	struct stat st;
	int fd;

	fd = open_tree(AT_FDCWD, path, flags);
	if (fd < 0)
		return -errno;
	if (ret_is_dir) {
		if (fstat(fd, &st) < 0) {
			int r = -errno;
			(void)close(fd);
			return r;
		}
		*ret_is_dir = S_ISDIR(st.st_mode);
	}
	*ret_fd = fd;
	return 0;
}

int mount_set_attr(int fd, uint64_t set, uint64_t clear, bool recursive)
{
	struct mount_attr attr = {.attr_set = set, .attr_clr = clear};
	unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

	if (mount_setattr(fd, "", flags, &attr, sizeof(attr)) < 0)
		return -errno;
	return 0;
}

int mount_new_fs(const char *fstype, const char *const *options, uint64_t attrs, int *ret_fd)
{
	_cleanup_close_ int fsfd = -1;
	int mfd;

	fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return -errno;
	for (size_t i = 0; options && options[i]; i++) {
		const char *eq = strchr(options[i], '=');
		char key[64];
		int r;

		if (!eq) {
			r = fsconfig(fsfd, FSCONFIG_SET_FLAG, options[i], NULL, 0);
		} else {
			if ((size_t)(eq - options[i]) >= sizeof(key))
				return -EINVAL;
			memcpy(key, options[i], (size_t)(eq - options[i]));
			key[eq - options[i]] = '\0';
			r = fsconfig(fsfd, FSCONFIG_SET_STRING, key, eq + 1, 0);
		}
		if (r < 0)
			return -errno;
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned)attrs);
	if (mfd < 0)
		return -errno;
	*ret_fd = mfd;
	return 0;
}

int mount_attach(int fd, const char *dst)
{
	if (move_mount(fd, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS) < 0)
		return -errno;
	return 0;
}

int mount_pivot_into(int fd)
{
	if (move_mount(fd, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return -errno;
	if (fchdir(fd) < 0)
		return -errno;
	/* new_root and put_old the same: the old root ends up stacked on top
	 * of the new one at "/" and is detached right away (pivot_root(2)). */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return -errno;
	if (umount2(".", MNT_DETACH) < 0)
		return -errno;
	if (chdir("/") < 0)
		return -errno;
	return 0;
}

int mount_mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (p > buf && p[-1] != '/' && mkdir(buf, mode) < 0 && errno != EEXIST) {
			int r = -errno;
			struct stat st;

			/* A read-only parent that already holds the directory is fine. */
			if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
				return r;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

int mount_make_mountpoint(const char *path, bool is_dir)
{
	char parent[PATH_MAX];
	const char *slash;
	struct stat st;
	int fd, r;

	if (stat(path, &st) == 0)
		return 0;
	if (is_dir)
		return mount_mkdir_p(path, 0755);

	slash = strrchr(path, '/');
	if (!slash || (size_t)(slash - path) >= sizeof(parent))
		return -EINVAL;
	if (slash > path) {
		memcpy(parent, path, (size_t)(slash - path));
		parent[slash - path] = '\0';
		r = mount_mkdir_p(parent, 0755);
		if (r < 0)
			return r;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0444);
	if (fd < 0)
		return -errno;
	(void)close(fd);
	return 0;
}
