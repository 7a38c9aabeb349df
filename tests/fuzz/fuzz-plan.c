/* SPDX-License-Identifier: MIT */
/* Fuzz target: policy -> plan, against a fake host (deterministic, no real filesystem). */
#include <errno.h>
#include <stdlib.h>

#include "../helpers/fake-host.h"
#include "backend/backend.h"
#include "fuzz.h"
#include "policy/policy.h"

/* A small tree with the shapes the compiler cares about: nesting, symlinks (absolute,
 * relative, dangling, looping), aliases (same inode), unreadable and broken entries. */
static const struct fake_node nodes[] = {
	{"/data", 'd'},
	{"/data/secrets", 'd', NULL, 7},
	{"/data/secrets/key", 'f'},
	{"/data/pub", 'd'},
	{"/data/alias", 'd', NULL, 7},
	{"/data/link", 'l', "/data/secrets"},
	{"/data/rel", 'l', "secrets/key"},
	{"/data/dangling", 'l', "/nowhere"},
	{"/data/loop", 'l', "/data/loop"},
	{"/data/noaccess", 'd', NULL, 0, 0, -EACCES},
	{"/data/broken", 'd', NULL, 0, -EIO},
	{"/tmp", 'd'},
	{"/tmp/work", 'd'},
	{NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mxc_parse_options opts = {.allow_testing_features = true};
	struct mxc_config *c = NULL;
	struct mxc_plan *p = NULL;
	struct mxc_error e = {0};
	char *json = NULL;

	fake_host_set_nodes(nodes);
	if (policy_parse((const char *)data, size, &opts, &c, &e) < 0)
		return 0;
	if (plan_compile(c, &fake_host, &p, &e) >= 0) {
		if (backend_finish_plan(p) >= 0 && plan_to_json(p, &json) >= 0)
			free(json);
		plan_free(p);
	}
	policy_free(c);
	return 0;
}
