/* SPDX-License-Identifier: MIT */
/* Fuzz target: --config-base64 decoding (strict alphabet, padding, UTF-8), then the parse. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mxc_parse_options opts = {0};
	struct mxc_config *c = NULL;
	struct mxc_error e = {0};
	char *in, *out = NULL;
	size_t len = 0;

	/* The CLI hands the decoder a C string (argv). */
	in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (policy_base64_decode(in, &out, &len) >= 0) {
		if (policy_parse(out, len, &opts, &c, &e) >= 0)
			policy_free(c);
		free(out);
	}
	free(in);
	return 0;
}
