/* SPDX-License-Identifier: MIT */
/* Fuzz target: config parse + validate (+ the dump of an accepted config). */
#include <stdlib.h>

#include "fuzz.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const override[] = {"echo", "a b", "it's", NULL};
	struct mxc_parse_options opts = {.allow_testing_features = true};
	struct mxc_config *c = NULL;
	struct mxc_error e = {0};
	char *json = NULL;

	if (policy_parse((const char *)data, size, &opts, &c, &e) >= 0) {
		if (policy_to_json(c, &json) >= 0)
			free(json);
		policy_free(c);
	}
	/* The `-- CMD` override path (commandLine optional, replaced). */
	opts.command_override = override;
	opts.experimental = true;
	c = NULL;
	if (policy_parse((const char *)data, size, &opts, &c, &e) >= 0)
		policy_free(c);
	return 0;
}
