/* SPDX-License-Identifier: MIT */
/*
 * A strict, table-driven walk over a jansson value (systemd json_dispatch
 * style). Each object type is described by a NULL-terminated table of rows
 * {key, alias, parser, offsetof(target), flags, arg}. Errors are reported with
 * serde_json's wording (the upstream parser is serde) and located in the
 * original text by json-locate.c.
 */
#ifndef MXC_POLICY_JSON_DISPATCH_H
#define MXC_POLICY_JSON_DISPATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/macro.h"
#include "mxc/mxc.h"

#define JD_MAX_DEPTH 32

struct jd_seg {
	const char *key; /* borrowed from the json_t tree; NULL for an index */
	size_t idx;
};

struct jd_ctx {
	const char *text; /* the JSON text being walked (borrowed) */
	size_t len;
	struct mxc_error *reterr;
	struct jd_seg path[JD_MAX_DEPTH];
	size_t depth;
};

typedef int (*jd_fn)(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);

enum {
	JD_MANDATORY = 1u << 0, /* missing (absent) gives `missing field` */
	JD_ANY = 1u << 1,	/* takes any value, null included (_comment) */
};

struct jd_field {
	const char *name;  /* wire name; NULL ends the table */
	const char *alias; /* deprecated spelling, or NULL */
	jd_fn fn;
	size_t offset;
	unsigned flags;
	const void *arg; /* parser argument: enum table, sub-table, ... */
};

struct jd_table {
	const char *expecting; /* "struct Process" */
	bool open;	       /* unknown keys ignored (experimental.*) */
	const struct jd_field *fields;
};

struct jd_enum {
	const char *name; /* NULL ends the table */
	int value;
	bool alias; /* accepted, not listed in "expected one of" */
};

/* Optional scalars of the wire model: `set` false for absent or null. */
struct wopt_bool {
	bool set, v;
};
struct wopt_u16 {
	bool set;
	uint16_t v;
};
struct wopt_u32 {
	bool set;
	uint32_t v;
};
struct wopt_u64 {
	bool set;
	uint64_t v;
};
struct wopt_enum {
	bool set;
	int v;
};
/* A string that may carry embedded NULs (v is cut at the first one). */
struct wstr {
	char *v; /* NULL: absent */
	bool nul;
};
struct wstrv {
	bool set;
	char **v;	 /* never NULL when set */
	char *nul_entry; /* first entry with an embedded NUL, escaped; NULL if none */
};

/* Path handling. */
int jd_push_key(struct jd_ctx *ctx, const char *key);
int jd_push_index(struct jd_ctx *ctx, size_t idx);
void jd_pop(struct jd_ctx *ctx);
/* Render a path ("network.egress.allow[0].to[1].cidr"). */
void jd_path_format(const struct jd_seg *segs, size_t n, char *buf, size_t buflen);

/* Where in the text an error points (serde_json's conventions). */
enum jd_pos {
	JD_POS_KEY,    /* just after the closing quote of the current key */
	JD_POS_AFTER,  /* just after the current value (it was consumed) */
	JD_POS_BEFORE, /* at the current value (peeked, not consumed) */
	JD_POS_PEEK,   /* one past the start of the value (peek_error) */
};

/* Format a typed-data error for the current path and return -EINVAL. */
int jd_error(struct jd_ctx *ctx, enum jd_pos pos, const char *fmt, ...) _printf_(3, 4);
/* serde's `invalid type: <unexpected>, expected <exp>` for value v. */
int jd_type_error(struct jd_ctx *ctx, json_t *v, const char *expected);
/* Describe a value the way serde's Unexpected does: `integer `5``, `map`, ... */
void jd_describe(json_t *v, char *buf, size_t buflen);
/* Rust Debug-style quoting of a string with its length (NULs allowed). */
void jd_debug_string(const char *s, size_t len, char *buf, size_t buflen);

/* Walk object v with table t into target base. */
int jd_object(struct jd_ctx *ctx, json_t *v, const struct jd_table *t, void *base);

/* Row parsers. */
int jd_string(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* char ** */
int jd_string_nul(struct jd_ctx *ctx, json_t *v, void *target, const void *arg); /* struct wstr */
int jd_strv(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* struct wstrv */
int jd_strv_nul(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* struct wstrv */
int jd_bool(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* wopt_bool */
int jd_u16(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* wopt_u16 */
int jd_u32(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* wopt_u32 */
int jd_u64(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* wopt_u64 */
int jd_enum(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* wopt_enum */
int jd_present(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);	 /* bool */
/* Nested struct: target is a struct whose first member is `bool present`. */
int jd_struct(struct jd_ctx *ctx, json_t *v, void *target, const void *arg);

/* Array helper: check v is an array (else `expected a sequence`). */
int jd_check_array(struct jd_ctx *ctx, json_t *v);

void wstrv_done(struct wstrv *s);

#endif
