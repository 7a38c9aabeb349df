/* SPDX-License-Identifier: MIT */
/* Enum names, strict base64 (--config-base64) and POSIX argv quoting (-- CMD ARGS). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/macro.h"
#include "policy.h"

static const char *const containment_names[_MXC_CONTAINMENT_MAX] = {
	[MXC_CONTAINMENT_UNSET] = NULL,
	[MXC_CONTAINMENT_PROCESS] = "process",
	[MXC_CONTAINMENT_PROCESSCONTAINER] = "processcontainer",
	[MXC_CONTAINMENT_LXC] = "lxc",
	[MXC_CONTAINMENT_SEATBELT] = "seatbelt",
	[MXC_CONTAINMENT_BUBBLEWRAP] = "bubblewrap",
	[MXC_CONTAINMENT_VM] = "vm",
	[MXC_CONTAINMENT_WINDOWS_SANDBOX] = "windows_sandbox",
	[MXC_CONTAINMENT_MICROVM] = "microvm",
	[MXC_CONTAINMENT_HYPERLIGHT] = "hyperlight",
	[MXC_CONTAINMENT_WSLC] = "wslc",
	[MXC_CONTAINMENT_ISOLATION_SESSION] = "isolation_session",
	[MXC_CONTAINMENT_NAMESPACES] = "namespaces",
};

const char *mxc_containment_to_string(enum mxc_containment c)
{
	if ((unsigned)c >= ELEMENTSOF(containment_names))
		return NULL;
	return containment_names[c];
}

static const char *const backend_names[_MXC_BACKEND_MAX] = {
	[MXC_BACKEND_NAMESPACES] = "namespaces",
	[MXC_BACKEND_BUBBLEWRAP] = "bubblewrap",
	[MXC_BACKEND_LXC] = "lxc",
	[MXC_BACKEND_MICROVM] = "microvm",
	[MXC_BACKEND_HYPERLIGHT] = "hyperlight",
	[MXC_BACKEND_LXC_FALLBACK] = "lxc-fallback",
};

const char *mxc_backend_id_to_string(enum mxc_backend_id b)
{
	if ((unsigned)b >= ELEMENTSOF(backend_names))
		return NULL;
	return backend_names[b];
}

/* ---- base64 ------------------------------------------------------------------ */

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool utf8_valid(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			return false;
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

int policy_base64_decode(const char *in, char **ret, size_t *ret_len)
{
	_cleanup_free_ unsigned char *out = NULL;
	size_t len, o = 0;

	if (!in || !ret)
		return -EINVAL;
	len = strlen(in);
	if (len % 4 != 0)
		return -EINVAL;
	out = malloc(len / 4 * 3 + 1);
	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		size_t pad = 0;
		bool last = i + 4 == len;

		for (size_t k = 0; k < 4; k++) {
			unsigned char ch = (unsigned char)in[i + k];
			if (ch == '=' && last && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0) /* data after padding */
				return -EINVAL;
			v[k] = b64_value(ch);
			if (v[k] < 0)
				return -EINVAL;
		}
		/* canonical: the unused low bits before padding must be zero */
		if ((pad == 2 && (v[1] & 0x0f)) || (pad == 1 && (v[2] & 0x03)))
			return -EINVAL;
		out[o++] = (unsigned char)((v[0] << 2) | (v[1] >> 4));
		if (pad < 2)
			out[o++] = (unsigned char)(((v[1] & 0x0f) << 4) | (v[2] >> 2));
		if (pad < 1)
			out[o++] = (unsigned char)(((v[2] & 0x03) << 6) | v[3]);
	}
	out[o] = '\0';
	if (!utf8_valid(out, o))
		return -EILSEQ;
	if (ret_len)
		*ret_len = o;
	*ret = (char *)TAKE_PTR(out);
	return 0;
}

/* ---- argv quoting -------------------------------------------------------------- */

static bool word_is_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,."
			    "/-",
			    *s))
			return false;
	return true;
}

int policy_quote_argv(const char *const *argv, char **ret)
{
	_cleanup_free_ char *out = NULL;
	size_t cap = 1, o = 0;

	if (!argv || !ret)
		return -EINVAL;
	for (size_t i = 0; argv[i]; i++) {
		size_t l = strlen(argv[i]);
		if (l > (SIZE_MAX - cap) / 4 - 4)
			return -E2BIG;
		cap += l * 4 + 3;
	}
	out = malloc(cap);
	if (!out)
		return -ENOMEM;
	for (size_t i = 0; argv[i]; i++) {
		const char *a = argv[i];
		if (i > 0)
			out[o++] = ' ';
		if (word_is_safe(a)) {
			memcpy(out + o, a, strlen(a));
			o += strlen(a);
			continue;
		}
		out[o++] = '\'';
		for (; *a; a++) {
			if (*a == '\'') {
				memcpy(out + o, "'\\''", 4);
				o += 4;
			} else
				out[o++] = *a;
		}
		out[o++] = '\'';
	}
	out[o] = '\0';
	*ret = TAKE_PTR(out);
	return 0;
}
