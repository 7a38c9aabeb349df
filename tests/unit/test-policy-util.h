/* SPDX-License-Identifier: MIT */
/* Shared helpers for the policy unit tests. */
#ifndef MXC_TEST_POLICY_UTIL_H
#define MXC_TEST_POLICY_UTIL_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mxc/mxc.h"
#include "policy/policy.h"

enum {
	T_TESTING = 1u << 0,	    /* --allow-testing-features */
	T_OVERRIDE_EMPTY = 1u << 1, /* `--` given with no command */
	T_OVERRIDE = 1u << 2,	    /* -- sh -c 'echo it'"'"'s' */
};

/* One table row: `json` has ' for " (readability); msg NULL means "must parse". */
struct pcase {
	const char *name;
	const char *json;
	unsigned flags;
	const char *msg;
	const char *where;
};

/* Turn ' into " (tests never need a literal single quote in JSON). */
static inline char *dq(const char *s)
{
	char *r = strdup(s);
	ck_assert_ptr_nonnull(r);
	for (char *p = r; *p; p++)
		if (*p == '\'')
			*p = '"';
	return r;
}

static inline int parse_flags(const char *json, unsigned flags, struct mxc_config **ret,
			      struct mxc_error *err)
{
	static const char *const empty[] = {NULL};
	static const char *const argv[] = {"sh", "-c", "echo it's", NULL};
	struct mxc_parse_options o = {
		.allow_testing_features = flags & T_TESTING,
		.command_override = flags & T_OVERRIDE_EMPTY ? empty
				    : flags & T_OVERRIDE     ? argv
							     : NULL,
	};
	mxc_error_clear(err);
	return policy_parse(json, strlen(json), &o, ret, err);
}

static inline void run_case(const struct pcase *t)
{
	struct mxc_config *c = NULL;
	struct mxc_error e;
	char *json = dq(t->json);
	int r = parse_flags(json, t->flags, &c, &e);

	if (!t->msg) {
		ck_assert_msg(r == 0, "%s: expected success, got %d: %s (where %s)", t->name, r,
			      e.msg, e.where);
		ck_assert_ptr_nonnull(c);
		ck_assert_ptr_nonnull(c->command_line);
		ck_assert_ptr_nonnull(c->readwrite_paths);
		ck_assert_ptr_nonnull(c->net.allowed_hosts);
		policy_free(c);
	} else {
		ck_assert_msg(r < 0, "%s: expected failure '%s', but it parsed", t->name, t->msg);
		ck_assert_ptr_null(c);
		ck_assert_int_eq(e.kind, MXC_ERROR_CONFIG);
		ck_assert_msg(strstr(e.msg, t->msg), "%s: message\n  '%s'\nlacks\n  '%s'", t->name,
			      e.msg, t->msg);
		if (t->where)
			ck_assert_msg(strcmp(e.where, t->where) == 0, "%s: where '%s' != '%s'",
				      t->name, e.where, t->where);
	}
	free(json);
}

#endif
