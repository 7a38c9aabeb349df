/* SPDX-License-Identifier: MIT */
/* A tiny scanner over valid JSON text, used only to find error positions. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "json-locate.h"

struct scan {
	const char *t;
	size_t n, pos;
};

static void skip_ws(struct scan *s)
{
	while (s->pos < s->n && (s->t[s->pos] == ' ' || s->t[s->pos] == '\t' ||
				 s->t[s->pos] == '\n' || s->t[s->pos] == '\r'))
		s->pos++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned read_hex4(const char *p)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++)
		v = (v << 4) | (unsigned)hexval(p[i]);
	return v;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Scan a string at s->pos (which is '"'); optionally decode into *ret (caller frees). */
static int scan_string(struct scan *s, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *out = NULL;
	size_t start = ++s->pos, o = 0;

	if (ret) {
		/* decoded length never exceeds the raw length */
		size_t end = start;
		while (end < s->n && s->t[end] != '"')
			end += s->t[end] == '\\' ? 2 : 1;
		out = malloc(end - start + 1);
		if (!out)
			return -ENOMEM;
	}
	while (s->pos < s->n && s->t[s->pos] != '"') {
		char c = s->t[s->pos];
		if (c != '\\') {
			if (out)
				out[o++] = c;
			s->pos++;
			continue;
		}
		if (s->pos + 1 >= s->n)
			return -EINVAL;
		c = s->t[s->pos + 1];
		if (c == 'u') {
			unsigned cp;
			if (s->pos + 6 > s->n)
				return -EINVAL;
			cp = read_hex4(s->t + s->pos + 2);
			s->pos += 6;
			if (cp >= 0xd800 && cp < 0xdc00 && s->pos + 6 <= s->n &&
			    s->t[s->pos] == '\\' && s->t[s->pos + 1] == 'u') {
				unsigned lo = read_hex4(s->t + s->pos + 2);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					s->pos += 6;
				}
			}
			if (out)
				o += put_utf8(out + o, cp);
			continue;
		}
		if (out) {
			switch (c) {
			case 'n':
				out[o++] = '\n';
				break;
			case 't':
				out[o++] = '\t';
				break;
			case 'r':
				out[o++] = '\r';
				break;
			case 'b':
				out[o++] = '\b';
				break;
			case 'f':
				out[o++] = '\f';
				break;
			default:
				out[o++] = c;
				break;
			}
		}
		s->pos += 2;
	}
	if (s->pos >= s->n)
		return -EINVAL;
	s->pos++; /* closing quote */
	if (out) {
		out[o] = '\0';
		*ret_len = o;
		*ret = TAKE_PTR(out);
	}
	return 0;
}

static int skip_value(struct scan *s, unsigned depth)
{
	int r;

	if (depth > 512)
		return -ELOOP;
	skip_ws(s);
	if (s->pos >= s->n)
		return -EINVAL;
	switch (s->t[s->pos]) {
	case '"':
		return scan_string(s, NULL, NULL);
	case '{':
	case '[': {
		char close = s->t[s->pos] == '{' ? '}' : ']';
		s->pos++;
		skip_ws(s);
		if (s->pos < s->n && s->t[s->pos] == close) {
			s->pos++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				skip_ws(s);
				if (s->pos >= s->n || s->t[s->pos] != '"')
					return -EINVAL;
				r = scan_string(s, NULL, NULL);
				if (r < 0)
					return r;
				skip_ws(s);
				if (s->pos >= s->n || s->t[s->pos] != ':')
					return -EINVAL;
				s->pos++;
			}
			r = skip_value(s, depth + 1);
			if (r < 0)
				return r;
			skip_ws(s);
			if (s->pos >= s->n)
				return -EINVAL;
			if (s->t[s->pos] == ',') {
				s->pos++;
				continue;
			}
			if (s->t[s->pos] != close)
				return -EINVAL;
			s->pos++;
			return 0;
		}
	}
	default:
		/* number, true, false, null */
		while (s->pos < s->n && !strchr(",]} \t\r\n", s->t[s->pos]))
			s->pos++;
		return 0;
	}
}

/* Descend one segment: s->pos is at the container value; on success it is at the member value. */
static int descend(struct scan *s, const struct jd_seg *seg, size_t *ret_key_end)
{
	int r;

	skip_ws(s);
	if (s->pos >= s->n)
		return -ENOENT;
	if (seg->key) {
		if (s->t[s->pos] != '{')
			return -ENOENT;
		s->pos++;
		for (;;) {
			_cleanup_free_ char *k = NULL;
			size_t klen = 0;

			skip_ws(s);
			if (s->pos >= s->n || s->t[s->pos] != '"')
				return -ENOENT;
			r = scan_string(s, &k, &klen);
			if (r < 0)
				return r;
			*ret_key_end = s->pos;
			skip_ws(s);
			if (s->pos >= s->n || s->t[s->pos] != ':')
				return -ENOENT;
			s->pos++;
			skip_ws(s);
			if (klen == strlen(seg->key) && memcmp(k, seg->key, klen) == 0)
				return 0;
			r = skip_value(s, 0);
			if (r < 0)
				return r;
			skip_ws(s);
			if (s->pos >= s->n || s->t[s->pos] != ',')
				return -ENOENT;
			s->pos++;
		}
	}
	if (s->t[s->pos] != '[')
		return -ENOENT;
	s->pos++;
	*ret_key_end = 0;
	for (size_t i = 0;; i++) {
		skip_ws(s);
		if (s->pos >= s->n || s->t[s->pos] == ']')
			return -ENOENT;
		if (i == seg->idx)
			return 0;
		r = skip_value(s, 0);
		if (r < 0)
			return r;
		skip_ws(s);
		if (s->pos >= s->n || s->t[s->pos] != ',')
			return -ENOENT;
		s->pos++;
	}
}

int json_locate(const char *text, size_t len, const struct jd_seg *segs, size_t n,
		struct json_loc *ret)
{
	struct scan s = {.t = text, .n = len, .pos = 0};
	struct json_loc loc = {};
	int r;

	if (!text)
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		r = descend(&s, &segs[i], &loc.key_end);
		if (r < 0)
			return r == -ENOMEM ? r : -ENOENT;
	}
	skip_ws(&s);
	loc.val_start = s.pos;
	r = skip_value(&s, 0);
	if (r < 0)
		return -ENOENT;
	loc.val_end = s.pos;
	*ret = loc;
	return 0;
}

void json_linecol(const char *text, size_t len, size_t idx, unsigned *ret_line, unsigned *ret_col)
{
	size_t line_start = 0;
	unsigned line = 1;

	if (idx > len)
		idx = len;
	for (size_t i = 0; i < idx; i++)
		if (text[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	*ret_line = line;
	*ret_col = (unsigned)(idx - line_start);
}
