/* SPDX-License-Identifier: MIT */
/*
 * A small, careful parser for http/https proxy URLs, following the WHATWG URL
 * rules the upstream `url` crate implements for the parts that matter here:
 * scheme, optional userinfo, host (name, IPv4, [IPv6]), port. The scheme's
 * default port (80/443) counts as "no port".
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/error.h"
#include "policy-internal.h"

void policy_url_redact(const char *url, char *buf, size_t buflen)
{
	_cleanup_free_ char *copy = NULL;
	const char *sep = strstr(url, "://");
	const char *auth, *end, *at = NULL;

	if (!sep) {
		mxc_escape_diag(buf, buflen, url);
		return;
	}
	auth = sep + 3;
	end = auth + strcspn(auth, "/\\?#");
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at) {
		mxc_escape_diag(buf, buflen, url);
		return;
	}
	if (asprintf(&copy, "%.*s***%s", (int)(auth - url), url, at) < 0) {
		copy = NULL;
		(void)snprintf(buf, buflen, "<redacted>");
		return;
	}
	mxc_escape_diag(buf, buflen, copy);
}

static bool forbidden_host_char(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || strchr("#%/:<>?@[\\]^|", c);
}

/* Returns NULL on success, else the url-crate style parse error text. */
static const char *parse_http_url(const char *in, char **ret_scheme, char **ret_host, int *ret_port,
				  bool *ret_creds)
{
	_cleanup_free_ char *s = NULL, *host = NULL, *scheme = NULL;
	size_t len, o = 0, i = 0, slen;
	char *p, *auth, *end, *at = NULL, *hp, *port = NULL;
	long pv = -1;

	/* strip leading/trailing C0 controls and spaces, drop tabs and newlines */
	while (*in && (unsigned char)*in <= 0x20)
		in++;
	len = strlen(in);
	while (len > 0 && (unsigned char)in[len - 1] <= 0x20)
		len--;
	s = malloc(len + 1);
	if (!s)
		return "out of memory";
	for (i = 0; i < len; i++)
		if (in[i] != '\t' && in[i] != '\n' && in[i] != '\r')
			s[o++] = in[i];
	s[o] = '\0';

	if (!isalpha((unsigned char)s[0]))
		return "relative URL without a base";
	slen = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	if (s[slen] != ':')
		return "relative URL without a base";
	scheme = strndup(s, slen);
	if (!scheme)
		return "out of memory";
	for (p = scheme; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!streq(scheme, "http") && !streq(scheme, "https")) {
		*ret_scheme = TAKE_PTR(scheme);
		return NULL; /* the caller rejects the scheme */
	}

	auth = s + slen + 1;
	while (*auth == '/' || *auth == '\\')
		auth++;
	end = auth + strcspn(auth, "/\\?#");
	*end = '\0';
	for (p = auth; *p; p++)
		if (*p == '@')
			at = p;
	*ret_creds = false;
	if (at) {
		*at = '\0';
		*ret_creds = *auth != '\0' && !streq(auth, ":");
		hp = at + 1;
	} else
		hp = auth;

	if (*hp == '[') {
		char *close = strchr(hp, ']');
		struct in6_addr a6;
		char buf[INET6_ADDRSTRLEN];

		if (!close)
			return "invalid IPv6 address";
		*close = '\0';
		if (inet_pton(AF_INET6, hp + 1, &a6) != 1 ||
		    !inet_ntop(AF_INET6, &a6, buf, sizeof(buf)))
			return "invalid IPv6 address";
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return "invalid IPv6 address";
		if (asprintf(&host, "[%s]", buf) < 0) {
			host = NULL;
			return "out of memory";
		}
	} else {
		char *colon = strchr(hp, ':'), *last;
		if (colon) {
			*colon = '\0';
			port = colon + 1;
		}
		if (!*hp)
			return "empty host";
		for (p = hp; *p; p++) {
			if (forbidden_host_char((unsigned char)*p))
				return "invalid domain character";
			*p = (char)tolower((unsigned char)*p);
		}
		/* a host whose last label (ignoring one trailing dot) is numeric is IPv4 */
		{
			size_t hl = strlen(hp);
			bool trailing = hl > 1 && hp[hl - 1] == '.';
			if (trailing)
				hp[hl - 1] = '\0';
			last = strrchr(hp, '.');
			last = last ? last + 1 : hp;
			if (*last && (strspn(last, "0123456789") == strlen(last) ||
				      (last[0] == '0' && (last[1] == 'x' || last[1] == 'X')))) {
				struct in_addr a4;
				char buf[INET_ADDRSTRLEN];
				if (inet_aton(hp, &a4) == 0 ||
				    !inet_ntop(AF_INET, &a4, buf, sizeof(buf)))
					return "invalid IPv4 address";
				host = strdup(buf);
			} else {
				if (trailing)
					hp[hl - 1] = '.';
				host = strdup(hp);
			}
		}
		if (!host)
			return "out of memory";
	}

	if (port && *port) {
		char *e;
		if (strspn(port, "0123456789") != strlen(port))
			return "invalid port number";
		errno = 0;
		pv = strtol(port, &e, 10);
		if (errno || pv > 65535)
			return "invalid port number";
		if ((streq(scheme, "http") && pv == 80) || (streq(scheme, "https") && pv == 443))
			pv = -1;
	}
	*ret_port = (int)pv;
	*ret_scheme = TAKE_PTR(scheme);
	*ret_host = TAKE_PTR(host);
	return NULL;
}

int policy_url_parse(struct policy_state *st, const char *url, const char *prefix,
		     const char *where, struct mxc_proxy *ret)
{
	_cleanup_free_ char *scheme = NULL, *host = NULL, *copy = NULL;
	char red[768], esc[256];
	const char *e;
	bool creds = false;
	int port = -1;

	e = parse_http_url(url, &scheme, &host, &port, &creds);
	if (e && streq(e, "out of memory"))
		return -ENOMEM;
	if (e)
		return policy_fail(st, where, "%s is invalid: %s", prefix, e);
	policy_url_redact(url, red, sizeof(red));
	if (!streq(scheme, "http") && !streq(scheme, "https")) {
		mxc_escape_diag(esc, sizeof(esc), scheme);
		return policy_fail(st, where,
				   "%s must use the 'http' or 'https' scheme (got '%s'): %s",
				   prefix, esc, red);
	}
	if (!host || !*host)
		return policy_fail(st, where,
				   "%s must include a host (e.g., http://localhost:8080), got: %s",
				   prefix, red);
	if (port < 0)
		return policy_fail(st, where,
				   "%s must include a port (e.g., http://localhost:8080), got: %s",
				   prefix, red);
	copy = strdup(url);
	if (!copy)
		return -ENOMEM;
	free(ret->url);
	free(ret->host);
	free(ret->scheme);
	ret->kind = MXC_PROXY_URL;
	ret->port = (uint16_t)port;
	ret->url = TAKE_PTR(copy);
	ret->host = TAKE_PTR(host);
	ret->scheme = TAKE_PTR(scheme);
	ret->has_credentials = creds;
	return 0;
}
