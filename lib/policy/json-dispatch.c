/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "core/strv.h"
#include "json-dispatch.h"
#include "json-locate.h"

int jd_push_key(struct jd_ctx *ctx, const char *key)
{
	if (ctx->depth >= JD_MAX_DEPTH)
		return -E2BIG;
	ctx->path[ctx->depth++] = (struct jd_seg){.key = key};
	return 0;
}

int jd_push_index(struct jd_ctx *ctx, size_t idx)
{
	if (ctx->depth >= JD_MAX_DEPTH)
		return -E2BIG;
	ctx->path[ctx->depth++] = (struct jd_seg){.key = NULL, .idx = idx};
	return 0;
}

void jd_pop(struct jd_ctx *ctx)
{
	if (ctx->depth > 0)
		ctx->depth--;
}

void jd_path_format(const struct jd_seg *segs, size_t n, char *buf, size_t buflen)
{
	size_t o = 0;

	if (buflen == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < buflen; i++) {
		int k;
		if (segs[i].key)
			k = snprintf(buf + o, buflen - o, "%s%s", i > 0 ? "." : "", segs[i].key);
		else
			k = snprintf(buf + o, buflen - o, "[%zu]", segs[i].idx);
		if (k < 0)
			break;
		o += (size_t)k;
	}
}

static const char *const secret_markers[] = {
	"token",      "password",   "secret", "credential", "apikey", "accesskey",
	"privatekey", "passphrase", "pwd",    "bearer",	    "saskey", "connectionstring",
};

static bool path_is_secret(const struct jd_seg *segs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char low[256];
		size_t l;

		if (!segs[i].key)
			continue;
		l = strlen(segs[i].key);
		if (l >= sizeof(low))
			l = sizeof(low) - 1;
		for (size_t j = 0; j < l; j++)
			low[j] = (char)tolower((unsigned char)segs[i].key[j]);
		low[l] = '\0';
		if (streq(low, "user"))
			return true;
		for (size_t j = 0; j < ELEMENTSOF(secret_markers); j++)
			if (strstr(low, secret_markers[j]))
				return true;
	}
	return false;
}

_printf_(4, 0) static int jd_verror(struct jd_ctx *ctx, size_t msg_depth, enum jd_pos pos,
				    const char *fmt, va_list ap)
{
	char msg[768], esc[768], path[256], epath[256];
	struct json_loc loc;
	unsigned line = 0, col = 0;

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);

	if (json_locate(ctx->text, ctx->len, ctx->path, ctx->depth, &loc) >= 0) {
		size_t idx;
		switch (pos) {
		case JD_POS_KEY:
			idx = loc.key_end ? loc.key_end : loc.val_start;
			break;
		case JD_POS_AFTER:
			idx = loc.val_end;
			break;
		case JD_POS_PEEK:
			idx = loc.val_start + 1;
			break;
		case JD_POS_BEFORE:
		default:
			idx = loc.val_start;
			break;
		}
		json_linecol(ctx->text, ctx->len, idx, &line, &col);
	}

	jd_path_format(ctx->path, msg_depth, path, sizeof(path));
	mxc_escape_diag(epath, sizeof(epath), path);
	if (path_is_secret(ctx->path, msg_depth))
		(void)snprintf(esc, sizeof(esc), "invalid secret value");
	else
		mxc_escape_diag(esc, sizeof(esc), msg);

	if (msg_depth == 0)
		(void)mxc_error_set(ctx->reterr, -EINVAL, MXC_ERROR_CONFIG,
				    "Invalid configuration: %s at line %u column %u", esc, line,
				    col);
	else
		(void)mxc_error_set(ctx->reterr, -EINVAL, MXC_ERROR_CONFIG,
				    "Invalid configuration at `%s`: %s at line %u column %u", epath,
				    esc, line, col);
	mxc_error_where(ctx->reterr, path, line, col);
	return -EINVAL;
}

int jd_error(struct jd_ctx *ctx, enum jd_pos pos, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = jd_verror(ctx, ctx->depth, pos, fmt, ap);
	va_end(ap);
	return r;
}

/* An error reported at the parent's path but positioned at the current key. */
static int jd_error_parent(struct jd_ctx *ctx, enum jd_pos pos, const char *fmt, ...)
	_printf_(3, 4);
static int jd_error_parent(struct jd_ctx *ctx, enum jd_pos pos, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = jd_verror(ctx, ctx->depth ? ctx->depth - 1 : 0, pos, fmt, ap);
	va_end(ap);
	return r;
}

void jd_debug_string(const char *s, size_t len, char *buf, size_t buflen)
{
	size_t o = 0;

	if (buflen < 3) {
		if (buflen)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '"';
	for (size_t i = 0; i < len && o + 8 < buflen; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c == '\0') {
			buf[o++] = '\\';
			buf[o++] = '0';
		} else
			buf[o++] = (char)c; /* control chars: escaped later by mxc_escape_diag */
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

static void format_real(double d, char *buf, size_t buflen)
{
	for (int prec = 1; prec <= 17; prec++) {
		(void)snprintf(buf, buflen, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (strchr(buf, 'e')) /* Rust never uses an exponent for f64 Display */
		(void)snprintf(buf, buflen, "%.1f", d);
	if (!strchr(buf, '.') && !strchr(buf, 'n') && !strchr(buf, 'i'))
		(void)strncat(buf, ".0", buflen - strlen(buf) - 1);
}

void jd_describe(json_t *v, char *buf, size_t buflen)
{
	char tmp[512];

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		(void)snprintf(buf, buflen, "map");
		break;
	case JSON_ARRAY:
		(void)snprintf(buf, buflen, "sequence");
		break;
	case JSON_STRING:
		jd_debug_string(json_string_value(v), json_string_length(v), tmp, sizeof(tmp));
		(void)snprintf(buf, buflen, "string %s", tmp);
		break;
	case JSON_INTEGER:
		(void)snprintf(buf, buflen, "integer `%" JSON_INTEGER_FORMAT "`",
			       json_integer_value(v));
		break;
	case JSON_REAL:
		format_real(json_real_value(v), tmp, sizeof(tmp));
		(void)snprintf(buf, buflen, "floating point `%s`", tmp);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		(void)snprintf(buf, buflen, "boolean `%s`", json_is_true(v) ? "true" : "false");
		break;
	case JSON_NULL:
	default:
		(void)snprintf(buf, buflen, "null");
		break;
	}
}

int jd_type_error(struct jd_ctx *ctx, json_t *v, const char *expected)
{
	char what[600];

	jd_describe(v, what, sizeof(what));
	/* serde_json consumes scalars before reporting; containers are only peeked */
	return jd_error(ctx, json_is_object(v) || json_is_array(v) ? JD_POS_BEFORE : JD_POS_AFTER,
			"invalid type: %s, expected %s", what, expected);
}

static void format_one_of(char *buf, size_t buflen, const char *const *names, size_t n,
			  const char *none)
{
	size_t o = 0;

	if (n == 0) {
		(void)snprintf(buf, buflen, "%s", none);
		return;
	}
	if (n == 1) {
		(void)snprintf(buf, buflen, "expected `%s`", names[0]);
		return;
	}
	if (n == 2) {
		(void)snprintf(buf, buflen, "expected `%s` or `%s`", names[0], names[1]);
		return;
	}
	o = (size_t)snprintf(buf, buflen, "expected one of ");
	for (size_t i = 0; i < n && o < buflen; i++)
		o += (size_t)snprintf(buf + o, buflen - o, "%s`%s`", i ? ", " : "", names[i]);
}

int jd_object(struct jd_ctx *ctx, json_t *v, const struct jd_table *t, void *base)
{
	uint64_t seen = 0;
	const char *key;
	json_t *val;
	int r;

	if (!json_is_object(v))
		return jd_type_error(ctx, v, t->expecting);

	json_object_foreach(v, key, val)
	{
		const struct jd_field *f = NULL;
		size_t i;

		for (i = 0; t->fields[i].name; i++)
			if (streq(t->fields[i].name, key) ||
			    (t->fields[i].alias && streq(t->fields[i].alias, key))) {
				f = &t->fields[i];
				break;
			}
		r = jd_push_key(ctx, key);
		if (r < 0)
			return mxc_error_set(ctx->reterr, r, MXC_ERROR_CONFIG,
					     "Invalid configuration: nesting too deep");
		if (!f) {
			const char *names[64];
			char list[1024];
			size_t n = 0;

			if (t->open) {
				jd_pop(ctx);
				continue;
			}
			for (size_t j = 0; t->fields[j].name && n < ELEMENTSOF(names); j++)
				names[n++] = t->fields[j].name;
			format_one_of(list, sizeof(list), names, n, "there are no fields");
			return jd_error(ctx, JD_POS_KEY, "unknown field `%s`, %s", key, list);
		}
		if (i < 64) {
			if (seen & (UINT64_C(1) << i))
				/* serde reports the duplicate at the struct level */
				return jd_error_parent(ctx, JD_POS_KEY, "duplicate field `%s`",
						       f->name);
			seen |= UINT64_C(1) << i;
		}
		if (json_is_null(val) && !(f->flags & JD_ANY)) {
			jd_pop(ctx);
			continue;
		}
		if (f->fn) {
			r = f->fn(ctx, val, (char *)base + f->offset, f->arg);
			if (r < 0)
				return r;
		}
		jd_pop(ctx);
	}

	for (size_t i = 0; t->fields[i].name; i++)
		if (i < 64 && (t->fields[i].flags & JD_MANDATORY) &&
		    !(seen & (UINT64_C(1) << i) &&
		      !json_is_null(json_object_get(v, t->fields[i].name))))
			return jd_error(ctx, JD_POS_AFTER, "missing field `%s`", t->fields[i].name);
	return 0;
}

int jd_struct(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	const struct jd_table *t = arg;
	int r;

	r = jd_object(ctx, v, t, target);
	if (r < 0)
		return r;
	*(bool *)target = true;
	return 0;
}

static int check_string(struct jd_ctx *ctx, json_t *v, bool *ret_nul)
{
	if (!json_is_string(v))
		return jd_type_error(ctx, v, "a string");
	*ret_nul = strlen(json_string_value(v)) != json_string_length(v);
	return 0;
}

static int reject_nul(struct jd_ctx *ctx, json_t *v)
{
	char dbg[600];
	jd_debug_string(json_string_value(v), json_string_length(v), dbg, sizeof(dbg));
	return jd_error(ctx, JD_POS_AFTER,
			"invalid value: string %s, expected a string without NUL characters", dbg);
}

int jd_string(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	char **s = target, *c;
	bool nul = false;
	int r;

	r = check_string(ctx, v, &nul);
	if (r < 0)
		return r;
	if (nul)
		return reject_nul(ctx, v);
	c = strdup(json_string_value(v));
	if (!c)
		return -ENOMEM;
	free(*s);
	*s = c;
	return 0;
}

int jd_string_nul(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct wstr *s = target;
	char *c;
	bool nul = false;
	int r;

	r = check_string(ctx, v, &nul);
	if (r < 0)
		return r;
	c = strdup(json_string_value(v));
	if (!c)
		return -ENOMEM;
	free(s->v);
	s->v = c;
	s->nul = nul;
	return 0;
}

int jd_check_array(struct jd_ctx *ctx, json_t *v)
{
	if (!json_is_array(v))
		return jd_type_error(ctx, v, "a sequence");
	return 0;
}

/* Escape a string with NULs for diagnostics: NUL becomes \u{0}. */
static char *escape_with_nul(const char *s, size_t len)
{
	size_t cap = len * 8 + 16, o = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	out[0] = '\0';
	for (size_t i = 0; i < len;) {
		size_t l = strnlen(s + i, len - i);
		_cleanup_free_ char *piece = strndup(s + i, l);
		if (!piece) {
			free(out);
			return NULL;
		}
		mxc_escape_diag(out + o, cap - o, piece);
		o += strlen(out + o);
		i += l;
		if (i < len) {
			o += (size_t)snprintf(out + o, cap - o, "\\u{0}");
			i++;
		}
	}
	return out;
}

static int strv_common(struct jd_ctx *ctx, json_t *v, struct wstrv *s, bool allow_nul)
{
	_cleanup_strv_free_ char **l = NULL;
	json_t *e;
	size_t i;
	int r;

	r = jd_check_array(ctx, v);
	if (r < 0)
		return r;
	l = calloc(1, sizeof(char *));
	if (!l)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		bool nul = false;
		(void)jd_push_index(ctx, i);
		r = check_string(ctx, e, &nul);
		if (r < 0)
			return r;
		if (nul) {
			if (!allow_nul)
				return reject_nul(ctx, e);
			if (!s->nul_entry) {
				s->nul_entry = escape_with_nul(json_string_value(e),
							       json_string_length(e));
				if (!s->nul_entry)
					return -ENOMEM;
			}
		}
		r = strv_push(&l, json_string_value(e));
		if (r < 0)
			return r;
		jd_pop(ctx);
	}
	strv_free(s->v);
	s->v = TAKE_PTR(l);
	s->set = true;
	return 0;
}

int jd_strv(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	return strv_common(ctx, v, target, false);
}

int jd_strv_nul(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	return strv_common(ctx, v, target, true);
}

void wstrv_done(struct wstrv *s)
{
	s->v = strv_free(s->v);
	free(s->nul_entry);
	s->nul_entry = NULL;
	s->set = false;
}

int jd_bool(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct wopt_bool *b = target;

	if (!json_is_boolean(v))
		return jd_type_error(ctx, v, "a boolean");
	b->set = true;
	b->v = json_is_true(v);
	return 0;
}

static int unsigned_common(struct jd_ctx *ctx, json_t *v, uint64_t max, const char *name,
			   uint64_t *ret)
{
	json_int_t i;

	if (!json_is_integer(v))
		return jd_type_error(ctx, v, name);
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return jd_error(ctx, JD_POS_AFTER,
				"invalid value: integer `%" JSON_INTEGER_FORMAT "`, expected %s", i,
				name);
	*ret = (uint64_t)i;
	return 0;
}

int jd_u16(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct wopt_u16 *o = target;
	uint64_t x = 0;
	int r = unsigned_common(ctx, v, UINT16_MAX, "u16", &x);
	if (r < 0)
		return r;
	o->set = true;
	o->v = (uint16_t)x;
	return 0;
}

int jd_u32(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct wopt_u32 *o = target;
	uint64_t x = 0;
	int r = unsigned_common(ctx, v, UINT32_MAX, "u32", &x);
	if (r < 0)
		return r;
	o->set = true;
	o->v = (uint32_t)x;
	return 0;
}

int jd_u64(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	struct wopt_u64 *o = target;
	uint64_t x = 0;
	int r = unsigned_common(ctx, v, UINT64_MAX, "u64", &x);
	if (r < 0)
		return r;
	o->set = true;
	o->v = x;
	return 0;
}

int jd_enum(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	const struct jd_enum *e = arg;
	struct wopt_enum *o = target;
	const char *names[32];
	char list[1024];
	size_t n = 0;
	const char *s;

	if (!json_is_string(v))
		/* serde_json's deserialize_enum only accepts a string or a map */
		return json_is_object(v) ? jd_type_error(ctx, v, "unit variant")
					 : jd_error(ctx, JD_POS_PEEK, "expected value");
	s = json_string_value(v);
	for (size_t i = 0; e[i].name; i++) {
		if (strlen(s) == json_string_length(v) && streq(e[i].name, s)) {
			o->set = true;
			o->v = e[i].value;
			return 0;
		}
		if (!e[i].alias && n < ELEMENTSOF(names))
			names[n++] = e[i].name;
	}
	format_one_of(list, sizeof(list), names, n, "there are no variants");
	return jd_error(ctx, JD_POS_AFTER, "unknown variant `%s`, %s", s, list);
}

int jd_present(struct jd_ctx *ctx, json_t *v, void *target, const void *arg)
{
	*(bool *)target = !json_is_null(v);
	return 0;
}
