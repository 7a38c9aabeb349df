/* SPDX-License-Identifier: MIT */
#ifndef MXC_CORE_ERROR_H
#define MXC_CORE_ERROR_H

#include "mxc/mxc.h"
#include "macro.h"

/*
 * Fill *e (if not NULL) and return `code` (a negative errno), so call sites can
 * `return mxc_error_set(e, -EINVAL, MXC_ERROR_CONFIG, "...")`.
 * No allocation: safe in a post-clone child.
 */
int mxc_error_set(struct mxc_error *e, int code, enum mxc_error_kind kind, const char *fmt, ...)
	_printf_(4, 5);
/* Same, with the envelope error type ("backend_error", "timeout", ...). */
int mxc_error_set_type(struct mxc_error *e, int code, enum mxc_error_kind kind, const char *type,
		       const char *fmt, ...) _printf_(5, 6);
/* Record where in the config the error is. */
void mxc_error_where(struct mxc_error *e, const char *where, unsigned line, unsigned column);
/* Prepend context: "<prefix>: <old message>". */
void mxc_error_prefix(struct mxc_error *e, const char *fmt, ...) _printf_(2, 3);

/* Escape control and Unicode format characters (Trojan Source defence) into
 * dst (always NUL-terminated, truncated to dstlen). */
void mxc_escape_diag(char *dst, size_t dstlen, const char *src);

/* Default envelope type for an error kind. */
const char *mxc_error_kind_type(enum mxc_error_kind kind);

#endif
