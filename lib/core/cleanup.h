/* SPDX-License-Identifier: MIT */
/* Scope-bound cleanup for locals (systemd/crun style). */
#ifndef MXC_CORE_CLEANUP_H
#define MXC_CORE_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		(void)close(*fd);
		errno = saved;
	}
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f)
{
	if (*f)
		(void)fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

/* DEFINE_CLEANUP_FUNC(struct foo *, foo_free) defines foo_freep(). */
/* `type` is a type, so it cannot be parenthesised. */
#define DEFINE_CLEANUP_FUNC(type, func)                                                            \
	static inline void func##p(type *p) /* NOLINT(bugprone-macro-parentheses) */               \
	{                                                                                          \
		if (*p)                                                                            \
			(void)func(*p);                                                            \
	}

/* Ownership transfer out of a cleanup-managed variable. */
#define TAKE_PTR(p)                                                                                \
	({                                                                                         \
		__typeof__(p) _tp = (p);                                                           \
		(p) = NULL;                                                                        \
		_tp;                                                                               \
	})
#define TAKE_FD(fd)                                                                                \
	({                                                                                         \
		int _tfd = (fd);                                                                   \
		(fd) = -1;                                                                         \
		_tfd;                                                                              \
	})

#endif
