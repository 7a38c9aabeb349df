/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fake-host.h"

static const struct fake_node *fake_nodes;

static const struct fake_node base_nodes[] = {
	{"/bin", 'l', "usr/bin"},
	{"/lib", 'l', "usr/lib"},
	{"/usr", 'd'},
	{"/usr/bin", 'd'},
	{"/usr/lib", 'd'},
	{"/usr/share", 'd'},
	{"/etc", 'd'},
	{"/etc/passwd", 'f'},
	{"/run", 'd'},
	{NULL},
};

void fake_host_set_nodes(const struct fake_node *nodes)
{
	fake_nodes = nodes;
}

static const struct fake_node *find(const struct fake_node *t, const char *path)
{
	for (size_t i = 0; t && t[i].path; i++)
		if (strcmp(t[i].path, path) == 0)
			return &t[i];
	return NULL;
}

static const struct fake_node *lookup(const char *path)
{
	const struct fake_node *n = find(fake_nodes, path);
	return n ? n : find(base_nodes, path);
}

static void fill(const struct fake_node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = n->ino ? n->ino : (ino_t)(uintptr_t)n;
	st->st_mode = n->type == 'd'   ? S_IFDIR | 0755
		      : n->type == 'l' ? S_IFLNK | 0777
				       : S_IFREG | 0644;
}

static int fake_lstat(const char *path, struct stat *st)
{
	const struct fake_node *n = lookup(path);
	if (!n)
		return -ENOENT;
	fill(n, st);
	return 0;
}

static int fake_stat(const char *path, struct stat *st)
{
	const struct fake_node *n = lookup(path);
	char *real = NULL;
	int r;

	if (n && n->stat_err)
		return n->stat_err;
	r = plan_resolve_through_symlinks(&fake_host, path, &real);
	if (r < 0)
		return r;
	n = lookup(real);
	free(real);
	if (!n)
		return -ENOENT;
	fill(n, st);
	return 0;
}

static int fake_readlink(const char *path, char *buf, size_t len)
{
	const struct fake_node *n = lookup(path);
	size_t l;

	if (!n || n->type != 'l')
		return -EINVAL;
	l = strlen(n->target);
	if (l >= len)
		return -ENAMETOOLONG;
	memcpy(buf, n->target, l);
	return (int)l;
}

static int fake_access(const char *path, int mode)
{
	const struct fake_node *n = lookup(path);
	(void)mode;
	return n ? n->access_err : -ENOENT;
}

static int fake_getcwd(char *buf, size_t len)
{
	if (len < sizeof("/home/user"))
		return -ERANGE;
	strcpy(buf, "/home/user");
	return 0;
}

static uid_t fake_uid(void)
{
	return 1000;
}

static gid_t fake_gid(void)
{
	return 1000;
}

const struct plan_host fake_host = {
	.stat = fake_stat,
	.lstat = fake_lstat,
	.readlink = fake_readlink,
	.access = fake_access,
	.getcwd = fake_getcwd,
	.getuid = fake_uid,
	.getgid = fake_gid,
};
