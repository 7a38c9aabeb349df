/* SPDX-License-Identifier: MIT */
/*
 * jansson keeps no positions for values, so errors found after parsing are
 * located by re-scanning the (already valid) JSON text along a path.
 */
#ifndef MXC_POLICY_JSON_LOCATE_H
#define MXC_POLICY_JSON_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

#include "json-dispatch.h"

struct json_loc {
	size_t key_end;	  /* offset just after the closing quote of the last key (0: none) */
	size_t val_start; /* offset of the first byte of the value */
	size_t val_end;	  /* offset just after the value */
};

/* Find the value at path segs[0..n) in text. Returns 0 or -ENOENT. */
int json_locate(const char *text, size_t len, const struct jd_seg *segs, size_t n,
		struct json_loc *ret);

/* serde_json's position of byte offset idx: line 1-based, column = idx - line start. */
void json_linecol(const char *text, size_t len, size_t idx, unsigned *ret_line, unsigned *ret_col);

#endif
