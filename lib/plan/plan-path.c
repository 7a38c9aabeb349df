/* SPDX-License-Identifier: MIT */
/* Path helpers for the plan compiler: depth, lexical normalisation, symlink resolution. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cleanup.h"
#include "plan-internal.h"

size_t plan_path_depth(const char *path)
{
	size_t n = 0;
	bool in = false;

	for (const char *p = path; *p; p++) {
		bool sep = (*p == '/' || *p == '\\');
		if (!sep && !in)
			n++;
		in = !sep;
	}
	return n;
}

/* Append component `comp` (len n) to the absolute path in buf, folding "." and "..". */
static int path_push(char *buf, size_t cap, const char *comp, size_t n)
{
	size_t l = strlen(buf);

	if (n == 0 || (n == 1 && comp[0] == '.'))
		return 0;
	if (n == 2 && comp[0] == '.' && comp[1] == '.') {
		char *slash = strrchr(buf, '/');
		if (slash == buf)
			buf[1] = '\0';
		else if (slash)
			*slash = '\0';
		return 0;
	}
	if (l + 1 + n + 1 > cap)
		return -ENAMETOOLONG;
	if (l > 1)
		buf[l++] = '/';
	memcpy(buf + l, comp, n);
	buf[l + n] = '\0';
	return 0;
}

int plan_path_normalize(const char *path, char **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t cap = strlen(path) + 2;
	const char *p = path;

	if (path[0] != '/')
		return -EINVAL;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	strcpy(buf, "/");
	while (*p) {
		const char *e;
		int r;
		while (*p == '/')
			p++;
		e = strchrnul(p, '/');
		r = path_push(buf, cap, p, (size_t)(e - p));
		if (r < 0)
			return r;
		p = e;
	}
	*ret = TAKE_PTR(buf);
	return 0;
}

bool plan_path_is_prefix(const char *prefix, const char *path)
{
	size_t l = strlen(prefix);

	if (streq(prefix, "/"))
		return path[0] == '/';
	if (strncmp(prefix, path, l) != 0)
		return false;
	return path[l] == '\0' || path[l] == '/';
}

/*
 * Walk the components from the root; every existing prefix is canonicalised
 * (symlinks followed, relative targets resolved against their directory);
 * once a component does not exist, the rest is folded lexically.
 */
int plan_resolve_through_symlinks(const struct plan_host *host, const char *path, char **ret)
{
	char buf[PATH_MAX], pending[PATH_MAX * 2];
	unsigned hops = 0;
	bool exists = true;
	const char *p;

	if (path[0] != '/')
		return -EINVAL;
	if (strlen(path) >= sizeof(pending))
		return -ENAMETOOLONG;
	strcpy(pending, path);
	strcpy(buf, "/");
	p = pending;
	while (*p) {
		struct stat st;
		const char *e;
		size_t n;
		int r;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchrnul(p, '/');
		n = (size_t)(e - p);
		r = path_push(buf, sizeof(buf), p, n);
		if (r < 0)
			return r;
		p = e;
		if (!exists || (n == 1 && p[-1] == '.') || (n == 2 && p[-1] == '.' && p[-2] == '.'))
			continue;
		r = host->lstat(buf, &st);
		if (r == -ENOENT || r == -ENOTDIR || r == -EACCES) {
			exists = false;
			continue;
		}
		if (r < 0)
			return r;
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX], rest[PATH_MAX * 2];
			int len;

			if (++hops > 40)
				return -ELOOP;
			len = host->readlink(buf, target, sizeof(target));
			if (len < 0)
				return len;
			target[len] = '\0';
			if (strlen(p) >= sizeof(rest))
				return -ENAMETOOLONG;
			strcpy(rest, p);
			/* Drop the link itself, continue from its directory (or the root). */
			if (target[0] == '/')
				strcpy(buf, "/");
			else
				(void)path_push(buf, sizeof(buf), "..", 2);
			if (strlen(target) + 1 + strlen(rest) + 1 > sizeof(pending))
				return -ENAMETOOLONG;
			strcpy(pending, target);
			strcat(pending, "/");
			strcat(pending, rest);
			p = pending;
		}
	}
	*ret = strdup(buf);
	return *ret ? 0 : -ENOMEM;
}
