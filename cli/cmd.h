/* SPDX-License-Identifier: MIT */
#ifndef MXC_CLI_CMD_H
#define MXC_CLI_CMD_H

#include "args.h"
#include "mxc/mxc.h"

int cmd_run(const struct cli_args *a);
int cmd_validate(const struct cli_args *a);

#endif
