/* SPDX-License-Identifier: MIT */
/* Where the CLI's diagnostics go: buffer, stdout (--debug) and/or a log file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output.h"

static struct {
	bool debug; /* log to stdout as it happens (no --log-file) */
	int log_fd; /* --log-file, or -1 */
	char **buf; /* buffered lines (printed on errors / dry-run) */
	size_t n, cap;
} out = {.log_fd = -1};

static void write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

static void sink(enum mxc_log_level level, const char *msg, void *userdata)
{
	(void)userdata;
	if (level > MXC_LOG_INFO && !out.debug && out.log_fd < 0)
		return;
	output_line("%s", msg);
}

void output_line(const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	if (out.debug) {
		fflush(stdout);
		write_all(STDOUT_FILENO, line, strlen(line));
		write_all(STDOUT_FILENO, "\n", 1);
	}
	if (out.log_fd >= 0) {
		char stamp[32];
		int l = snprintf(stamp, sizeof(stamp), "[%lld] ", (long long)time(NULL));
		write_all(out.log_fd, stamp, (size_t)l);
		write_all(out.log_fd, line, strlen(line));
		write_all(out.log_fd, "\n", 1);
	}
	if (out.n + 1 >= out.cap) {
		size_t ncap = out.cap ? out.cap * 2 : 32;
		char **nb = realloc(out.buf, ncap * sizeof(char *));
		if (!nb)
			return;
		out.buf = nb;
		out.cap = ncap;
	}
	out.buf[out.n] = strdup(line);
	if (out.buf[out.n])
		out.n++;
}

void output_setup(bool debug, const char *log_file)
{
	if (log_file) {
		out.log_fd =
			open(log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);
		if (out.log_fd < 0)
			fprintf(stderr, "Warning: could not open log file '%s': %s\n", log_file,
				strerror(errno));
	}
	/* --debug logs to stdout unless a log file takes the lines (the workload's stdout stays
	 * untouched then). */
	out.debug = debug && out.log_fd < 0;
	/* Always installed: without --debug/--log-file the lines are only buffered, and shown on
	 * errors and in --dry-run. */
	mxc_set_log_func(sink, NULL);
}

bool output_debug_enabled(void)
{
	return out.debug || out.log_fd >= 0;
}

void output_flush_buffer(FILE *f)
{
	for (size_t i = 0; i < out.n; i++)
		fprintf(f, "%s\n", out.buf[i]);
}

void output_teardown(void)
{
	mxc_set_log_func(NULL, NULL);
	for (size_t i = 0; i < out.n; i++)
		free(out.buf[i]);
	free(out.buf);
	out.buf = NULL;
	out.n = out.cap = 0;
	if (out.log_fd >= 0)
		(void)close(out.log_fd);
	out.log_fd = -1;
}

void output_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void output_envelope(const char *code, const char *message)
{
	fflush(stdout);
	fputs("{\"error\":{\"code\":", stderr);
	output_json_string(stderr, code);
	fputs(",\"message\":", stderr);
	output_json_string(stderr, message);
	fputs("}}\n", stderr);
	fflush(stderr);
}
