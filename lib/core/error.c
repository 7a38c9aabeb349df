/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

_public_ void mxc_error_clear(struct mxc_error *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

const char *mxc_error_kind_type(enum mxc_error_kind kind)
{
	switch (kind) {
	case MXC_ERROR_CONFIG:
		return "policy_validation";
	case MXC_ERROR_SELECT:
		return "unsupported_containment";
	case MXC_ERROR_TIMEOUT:
		return "timeout";
	case MXC_ERROR_BACKEND:
	case MXC_ERROR_NONE:
	default:
		return "backend_error";
	}
}

_printf_(5, 0) static int error_vset(struct mxc_error *e, int code, enum mxc_error_kind kind,
				     const char *type, const char *fmt, va_list ap)
{
	if (code >= 0)
		code = -EINVAL;
	if (!e)
		return code;
	e->code = code;
	e->kind = kind;
	(void)snprintf(e->type, sizeof(e->type), "%s", type ? type : mxc_error_kind_type(kind));
	(void)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return code;
}

int mxc_error_set(struct mxc_error *e, int code, enum mxc_error_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	code = error_vset(e, code, kind, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int mxc_error_set_type(struct mxc_error *e, int code, enum mxc_error_kind kind, const char *type,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	code = error_vset(e, code, kind, type, fmt, ap);
	va_end(ap);
	return code;
}

void mxc_error_where(struct mxc_error *e, const char *where, unsigned line, unsigned column)
{
	if (!e)
		return;
	(void)snprintf(e->where, sizeof(e->where), "%s", where ? where : "");
	e->line = line;
	e->column = column;
}

void mxc_error_prefix(struct mxc_error *e, const char *fmt, ...)
{
	char prefix[512], old[sizeof(e->msg)];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	(void)snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix, old);
}

void mxc_escape_diag(char *dst, size_t dstlen, const char *src)
{
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)src;

	if (dstlen == 0)
		return;
	for (; *s && o + 1 < dstlen; s++) {
		char buf[16];
		const char *rep = NULL;
		size_t skip = 0;

		switch (*s) {
		case '\n':
			rep = "\\n";
			break;
		case '\r':
			rep = "\\r";
			break;
		case '\t':
			rep = "\\t";
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				(void)snprintf(buf, sizeof(buf), "\\u{%x}", *s);
				rep = buf;
			} else if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
				/* C1 controls */
				(void)snprintf(buf, sizeof(buf), "\\u{%x}", s[1]);
				rep = buf;
				skip = 1;
			} else if (*s == 0xc2 && s[1] == 0xad) {
				rep = "\\u{ad}"; /* soft hyphen (Cf) */
				skip = 1;
			} else if (*s == 0xe2 && s[1] == 0x80 &&
				   ((s[2] >= 0x8b && s[2] <= 0x8f) ||
				    (s[2] >= 0xa8 && s[2] <= 0xae))) {
				/* U+200B..U+200F, U+2028..U+202E */
				(void)snprintf(buf, sizeof(buf), "\\u{20%02x}",
					       (unsigned)(s[2] - 0x80));
				rep = buf;
				skip = 2;
			} else if (*s == 0xe2 && s[1] == 0x81 &&
				   ((s[2] >= 0xa0 && s[2] <= 0xa4) ||
				    (s[2] >= 0xa6 && s[2] <= 0xaf))) {
				/* U+2060..U+2064, U+2066..U+206F */
				(void)snprintf(buf, sizeof(buf), "\\u{20%02x}",
					       (unsigned)(s[2] - 0x80 + 0x40));
				rep = buf;
				skip = 2;
			} else if (*s == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
				rep = "\\u{feff}";
				skip = 2;
			}
		}
		if (rep) {
			size_t l = strlen(rep);
			if (o + l >= dstlen)
				break;
			memcpy(dst + o, rep, l);
			o += l;
			s += skip;
		} else {
			dst[o++] = (char)*s;
		}
	}
	dst[o] = '\0';
}
