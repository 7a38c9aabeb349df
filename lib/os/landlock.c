/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"

int landlock_abi_version(void)
{
	long r = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	if (r < 0)
		return -errno;
	return r > 0 ? (int)r : -EOPNOTSUPP;
}

uint64_t landlock_fs_rights(int abi)
{
	uint64_t r;

	if (abi < 1)
		return 0;
	/* ABI 1: execute .. make_sym (bits 0-12). */
	r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

uint64_t landlock_net_rights(int abi)
{
	return abi >= 4 ? LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP : 0;
}

uint64_t landlock_scopes(int abi)
{
	return abi >= 6 ? LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL : 0;
}

int landlock_ruleset_new(int abi, uint64_t handled_fs, uint64_t handled_net, uint64_t scoped)
{
	struct mxc_landlock_ruleset_attr attr = {
		.handled_access_fs = handled_fs,
		.handled_access_net = handled_net,
		.scoped = scoped,
	};
	size_t size = MXC_LANDLOCK_ATTR_SIZE_V1;
	long fd;

	if (abi < 1)
		return -EOPNOTSUPP;
	if ((handled_fs & ~landlock_fs_rights(abi)) || (handled_net & ~landlock_net_rights(abi)) ||
	    (scoped & ~landlock_scopes(abi)))
		return -EINVAL;
	if (abi >= 6)
		size = MXC_LANDLOCK_ATTR_SIZE_V6;
	else if (abi >= 4)
		size = MXC_LANDLOCK_ATTR_SIZE_V4;
	/* The kernel creates the ruleset fd O_CLOEXEC. */
	fd = syscall(__NR_landlock_create_ruleset, &attr, size, 0);
	return fd < 0 ? -errno : (int)fd;
}

int landlock_allow_beneath(int ruleset_fd, int path_fd, uint64_t access)
{
	struct landlock_path_beneath_attr attr = {.parent_fd = path_fd};
	struct stat st;

	if (fstat(path_fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		access &= LANDLOCK_FS_FILE_RIGHTS;
	if (access == 0)
		return 0; /* the kernel refuses an empty rule; nothing to allow */
	attr.allowed_access = access;
	if (syscall(__NR_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0)
		return -errno;
	return 0;
}

int landlock_allow_port(int ruleset_fd, uint16_t port, uint64_t access)
{
	struct mxc_landlock_net_port_attr attr = {.allowed_access = access, .port = port};

	if (syscall(__NR_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_NET_PORT, &attr, 0) < 0)
		return -errno;
	return 0;
}

int landlock_restrict(int ruleset_fd)
{
	if (syscall(__NR_landlock_restrict_self, ruleset_fd, 0) < 0)
		return -errno;
	return 0;
}
