/* SPDX-License-Identifier: MIT */
/* One JSON line per network decision, written with a single write(2). */
#include "net/netevents.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/cleanup.h"

/* Set key to a string; bytes that are not valid UTF-8 become '?'. */
static int set_str(json_t *obj, const char *key, const char *val)
{
	json_t *s;

	if (!val)
		return 0;
	s = json_string(val);
	if (!s) {
		_cleanup_free_ char *copy = strdup(val);
		if (!copy)
			return -ENOMEM;
		for (char *p = copy; *p; p++)
			if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
				*p = '?';
		s = json_string(copy);
		if (!s)
			return -ENOMEM;
	}
	return json_object_set_new(obj, key, s) == 0 ? 0 : -ENOMEM;
}

static void format_time(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

int netevent_write(int fd, const char *sandbox_id, const struct netevent *ev)
{
	json_auto_t *obj = NULL;
	_cleanup_free_ char *text = NULL;
	char tbuf[48];
	int r = 0;

	if (fd < 0)
		return 0;
	if (!ev)
		return -EINVAL;
	obj = json_object();
	if (!obj)
		return -ENOMEM;
	format_time(tbuf, sizeof(tbuf));
	r |= set_str(obj, "time", tbuf);
	r |= set_str(obj, "sandbox", sandbox_id);
	r |= set_str(obj, "kind", "network");
	r |= set_str(obj, "source", ev->source);
	r |= set_str(obj, "decision", ev->decision);
	r |= set_str(obj, "protocol", ev->protocol);
	r |= set_str(obj, "host", ev->host);
	r |= set_str(obj, "address", ev->address);
	if (ev->port)
		r |= json_object_set_new(obj, "port", json_integer(ev->port)) == 0 ? 0 : -ENOMEM;
	r |= set_str(obj, "rule", ev->rule);
	r |= set_str(obj, "reason", ev->reason);
	if (r)
		return -ENOMEM;

	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text)
		return -ENOMEM;
	size_t len = strlen(text);
	char *line = realloc(text, len + 2);
	if (!line)
		return -ENOMEM;
	text = line;
	text[len++] = '\n';
	text[len] = '\0';

	/* One write: atomic for pipes up to PIPE_BUF, and O_APPEND files. */
	ssize_t n;
	do {
		n = write(fd, text, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}
