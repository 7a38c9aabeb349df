/* SPDX-License-Identifier: MIT */
#ifndef MXC_OS_PROCTITLE_H
#define MXC_OS_PROCTITLE_H

/*
 * Replace what /proc/self/cmdline and /proc/self/environ show with `name`
 * (and clear the environment area), and set the comm name. A process cloned
 * from the caller otherwise shows the caller's argv (which may hold a whole
 * config passed with --config-base64) to anything that can read /proc.
 * Allocation-free; returns 0 or a negative errno.
 */
int proctitle_set(const char *name);

#endif
