/* SPDX-License-Identifier: MIT */
/* Counting decisions for the {"summary":...} answer to {"stop":true}. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/macro.h"
#include "netd.h"

static void copy(char *dst, size_t len, const char *src)
{
	(void)snprintf(dst, len, "%s", src ? src : "");
}

void netd_summary_add(struct netd_summary *s, bool allowed, const char *host, const char *address,
		      unsigned port, const char *protocol)
{
	struct netd_denial *d;

	if (allowed) {
		s->allowed++;
		return;
	}
	s->denied++;
	for (size_t i = 0; i < s->n_denials; i++) {
		d = &s->denials[i];
		if (d->port == port && streq(d->host, host ? host : "") &&
		    streq(d->address, address ? address : "") &&
		    streq(d->protocol, protocol ? protocol : "")) {
			d->count++;
			return;
		}
	}
	if (s->n_denials >= NETD_DENIALS_MAX)
		return; /* counted in "denied", not itemised */
	d = &s->denials[s->n_denials++];
	copy(d->host, sizeof(d->host), host);
	copy(d->address, sizeof(d->address), address);
	copy(d->protocol, sizeof(d->protocol), protocol);
	d->port = port;
	d->count = 1;
}

void netd_summary_add_line(struct netd_summary *s, const char *line, size_t len)
{
	json_t *o = json_loadb(line, len, 0, NULL);
	const char *decision, *host, *address, *protocol;
	json_int_t port;

	if (!o)
		return;
	decision = json_string_value(json_object_get(o, "decision"));
	host = json_string_value(json_object_get(o, "host"));
	address = json_string_value(json_object_get(o, "address"));
	protocol = json_string_value(json_object_get(o, "protocol"));
	port = json_integer_value(json_object_get(o, "port"));
	if (decision && (streq(decision, "allow") || streq(decision, "deny")))
		netd_summary_add(s, streq(decision, "allow"), host, address,
				 port > 0 && port < 65536 ? (unsigned)port : 0, protocol);
	json_decref(o);
}

static int by_count_desc(const void *a, const void *b)
{
	const struct netd_denial *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

char *netd_summary_json(const struct netd_summary *s)
{
	struct netd_denial *sorted = NULL;
	json_t *root, *sum, *list;
	char *out = NULL;
	size_t n = s->n_denials;

	if (n > 0) {
		sorted = malloc(n * sizeof(*sorted));
		if (!sorted)
			return NULL;
		memcpy(sorted, s->denials, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), by_count_desc);
	}
	root = json_object();
	sum = json_object();
	list = json_array();
	if (!root || !sum || !list || json_object_set_new(root, "summary", sum) < 0) {
		json_decref(list);
		json_decref(root);
		free(sorted);
		return NULL;
	}
	(void)json_object_set_new(sum, "allowed", json_integer((json_int_t)s->allowed));
	(void)json_object_set_new(sum, "denied", json_integer((json_int_t)s->denied));
	for (size_t i = 0; i < n && i < 20; i++) {
		const struct netd_denial *d = &sorted[i];
		json_t *e = json_object();

		if (!e)
			break;
		if (d->host[0])
			(void)json_object_set_new(e, "host", json_string(d->host));
		if (d->address[0])
			(void)json_object_set_new(e, "address", json_string(d->address));
		if (d->port)
			(void)json_object_set_new(e, "port", json_integer(d->port));
		if (d->protocol[0])
			(void)json_object_set_new(e, "protocol", json_string(d->protocol));
		(void)json_object_set_new(e, "count", json_integer((json_int_t)d->count));
		(void)json_array_append_new(list, e);
	}
	(void)json_object_set_new(sum, "denials", list);
	out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	free(sorted);
	return out;
}
