/* SPDX-License-Identifier: MIT */
#ifndef MXC_CLI_ARGS_H
#define MXC_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

enum cli_verb {
	CLI_VERB_NONE = 0,
	CLI_VERB_RUN,
	CLI_VERB_VALIDATE,
	CLI_VERB_HELP,
	CLI_VERB_VERSION,
};

struct cli_args {
	enum cli_verb verb;
	enum cli_verb help_for; /* CLI_VERB_HELP: which verb's help (NONE = general) */
	bool debug;
	bool experimental;
	bool allow_testing_features;
	bool dry_run;
	bool pty; /* --pty: a new pseudo-terminal for the command, relayed by mxc */
	const char *log_file;
	const char *events;	   /* --events: a path, or "fd:N" */
	const char *config_path;   /* positional CONFIG */
	const char *config_file;   /* --config */
	const char *config_base64; /* --config-base64 */
	const char **command;	   /* argv after `--` (NULL-terminated, malloc'd array), or NULL */
	char usage_error[256];	   /* set when parsing failed (exit 2) */
};

/*
 * Parse argv. `argv0_is_exec` selects `mxc-exec` behaviour (the verb is
 * implicitly `run`). Returns 0, or -EINVAL with a clap-style message in
 * args->usage_error. Strings point into argv.
 */
int cli_parse_args(int argc, char **argv, bool argv0_is_exec, struct cli_args *args);
void cli_args_free(struct cli_args *args);

/* Help text for a verb (CLI_VERB_NONE: general). */
const char *cli_help_text(enum cli_verb verb);

#endif
