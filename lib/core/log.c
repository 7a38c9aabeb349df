/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

/* The only mutable global of the library: the log hook. */
static mxc_log_func_t log_fn;
static void *log_userdata;

_public_ void mxc_set_log_func(mxc_log_func_t fn, void *userdata)
{
	log_fn = fn;
	log_userdata = userdata;
}

bool mxc_log_enabled(void)
{
	return log_fn != NULL;
}

void mxc_log(enum mxc_log_level level, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	if (!log_fn)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_fn(level, buf, log_userdata);
}
