/* SPDX-License-Identifier: MIT */
/* Load the sandbox's nftables ruleset with libnftables (runs in the joiner). */
#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

#include "core/cleanup.h"
#include "netd.h"

DEFINE_CLEANUP_FUNC(struct nft_ctx *, nft_ctx_free)

/* nft's error buffer has, per error, a message line, the offending input
 * line and a caret line. The reply is one line: every message line and the
 * first input line, joined by " | ", control characters replaced. */
static void one_line(char *dst, size_t len, const char *src)
{
	size_t o = 0;
	bool sep = false, shown_input = false;

	if (len == 0)
		return;
	for (const char *p = src; *p && o + 1 < len;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		bool caret_line = n > 0 && strspn(p, " \t^~") >= n;
		bool message = memmem(p, n, "Error", 5) != NULL;
		bool input = !message && !caret_line && n > 0 && sep && !shown_input;

		shown_input = shown_input || input;
		if (message || input) {
			if (sep && o + 3 < len) {
				memcpy(dst + o, " | ", 3);
				o += 3;
			}
			for (size_t i = 0; i < n && o + 1 < len; i++) {
				unsigned char c = (unsigned char)p[i];
				dst[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
			}
			sep = true;
		}
		p += n + (eol ? 1 : 0);
	}
	dst[o] = '\0';
}

int netd_nft_load(const char *ruleset, char *err, size_t errlen)
{
	_cleanup_(nft_ctx_freep) struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	char msg[NETD_ERR_MAX / 2];
	const char *buf;
	int r;

	if (!ctx)
		return netd_err(err, errlen, -ENOMEM,
				"loading nftables rules into the sandbox's network namespace: "
				"cannot create an nftables context");
	if (nft_ctx_buffer_error(ctx) < 0 || nft_ctx_buffer_output(ctx) < 0)
		return netd_err(err, errlen, -ENOMEM,
				"loading nftables rules into the sandbox's network namespace: "
				"cannot buffer nft's output");
	r = nft_run_cmd_from_buffer(ctx, ruleset);
	if (r == 0)
		return 0;
	buf = nft_ctx_get_error_buffer(ctx);
	one_line(msg, sizeof(msg), buf ? buf : "");
	return netd_err(err, errlen, -EINVAL,
			"loading nftables rules into the sandbox's network namespace: %s",
			msg[0] ? msg : "nft failed without a message");
}
