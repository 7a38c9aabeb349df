/* SPDX-License-Identifier: MIT */
#ifndef MXC_CLI_OUTPUT_H
#define MXC_CLI_OUTPUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "mxc/mxc.h"

/* Install the library log sink: --debug -> stdout (or the log file when given);
 * every line is also buffered for error reports and --dry-run. */
void output_setup(bool debug, const char *log_file);
void output_teardown(void);
bool output_debug_enabled(void);
/* Log one diagnostic line through the same sinks. */
void output_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the buffered lines to f. */
void output_flush_buffer(FILE *f);
/* {"error":{"code":...,"message":...}} alone on its own stderr line. */
void output_envelope(const char *code, const char *message);
void output_json_string(FILE *f, const char *s);

#endif
