/* SPDX-License-Identifier: MIT */
#ifndef MXC_CORE_LOG_H
#define MXC_CORE_LOG_H

#include <stdbool.h>
#include "mxc/mxc.h"
#include "macro.h"

/* Send a line to the installed log sink (no-op if none). */
void mxc_log(enum mxc_log_level level, const char *fmt, ...) _printf_(2, 3);
/* True when a sink is installed (skip building expensive messages otherwise). */
bool mxc_log_enabled(void);

#define log_debug(...)	 mxc_log(MXC_LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	 mxc_log(MXC_LOG_INFO, __VA_ARGS__)
#define log_warning(...) mxc_log(MXC_LOG_WARNING, __VA_ARGS__)

#endif
