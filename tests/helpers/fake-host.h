/* SPDX-License-Identifier: MIT */
/* A fake host filesystem for the plan compiler (unit tests and the plan fuzzer). */
#ifndef MXC_TESTS_FAKE_HOST_H
#define MXC_TESTS_FAKE_HOST_H

#include <sys/types.h>

#include "plan/plan.h"

struct fake_node {
	const char *path;
	char type;	    /* 'd' dir, 'f' file, 'l' symlink */
	const char *target; /* symlink target */
	ino_t ino;	    /* 0: unique per node */
	int stat_err;	    /* forced stat() error (negative errno) */
	int access_err;	    /* forced access() error (negative errno) */
};

/* Nodes on top of a small fixed base (/bin -> usr/bin, /lib -> usr/lib, /usr/{bin,lib,share},
 * /etc, /etc/passwd, /run); NULL-path terminated; NULL for the base only. */
void fake_host_set_nodes(const struct fake_node *nodes);

/* cwd /home/user, uid/gid 1000. */
extern const struct plan_host fake_host;

#endif
