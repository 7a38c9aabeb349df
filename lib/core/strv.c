/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

size_t strv_length(char *const *v)
{
	size_t n = 0;
	if (v)
		while (v[n])
			n++;
	return n;
}

char **strv_free(char **v)
{
	if (v) {
		for (char **p = v; *p; p++)
			free(*p);
		free(v);
	}
	return NULL;
}

int strv_consume(char ***v, char *s)
{
	size_t n = strv_length(*v);
	char **nv;

	if (!s)
		return -ENOMEM;
	nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	nv[n] = s;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

int strv_pushf(char ***v, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	return strv_consume(v, s);
}

int strv_push(char ***v, const char *s)
{
	return strv_consume(v, strdup(s));
}

int strv_extend(char ***v, char *const *other)
{
	for (size_t i = 0; other && other[i]; i++) {
		int r = strv_push(v, other[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

char **strv_copy(char *const *v)
{
	char **n = calloc(1, sizeof(char *));
	if (!n)
		return NULL;
	if (strv_extend(&n, v) < 0)
		return strv_free(n);
	return n;
}

bool strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

void strv_remove_at(char **v, size_t i)
{
	size_t n = strv_length(v);
	if (i >= n)
		return;
	free(v[i]);
	memmove(v + i, v + i + 1, (n - i) * sizeof(char *));
}
