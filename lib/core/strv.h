/* SPDX-License-Identifier: MIT */
/* NULL-terminated string vectors. */
#ifndef MXC_CORE_STRV_H
#define MXC_CORE_STRV_H

#include <stdbool.h>
#include <stddef.h>

size_t strv_length(char *const *v);
char **strv_free(char **v);
/* Append a copy of s; returns 0 or -ENOMEM (v unchanged on failure). */
int strv_push(char ***v, const char *s);
/* Append s, taking ownership; on failure s is freed. */
int strv_consume(char ***v, char *s);
/* Append a formatted string. */
int strv_pushf(char ***v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strv_extend(char ***v, char *const *other);
char **strv_copy(char *const *v);
bool strv_contains(char *const *v, const char *s);
/* Remove entry i (freeing it). */
void strv_remove_at(char **v, size_t i);

static inline void strv_freep(char ***v)
{
	strv_free(*v);
}
#define _cleanup_strv_free_ __attribute__((cleanup(strv_freep)))

#endif
