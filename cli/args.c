/* SPDX-License-Identifier: MIT */
/* argv -> struct cli_args. No I/O here, so it is unit-tested directly. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

#define RUN_USAGE "Usage: mxc run [OPTIONS] [CONFIG] [-- COMMAND [ARGS]...]\n"

static const char help_general[] =
	"mxc - run a process under an MXC sandbox policy\n"
	"\n"
	"Usage: mxc <COMMAND> [OPTIONS]\n"
	"\n"
	"Commands:\n"
	"  run       Run the config's command in a sandbox\n"
	"  validate  Check a config (parse, validate, plan) without running it\n"
	"  help      Print this message or the help of a command\n"
	"\n"
	"Options:\n"
	"  -h, --help     Print help\n"
	"  -V, --version  Print version\n"
	"\n"
	"Installed as `mxc-exec`, the binary behaves as `mxc run` (a drop-in for lxc-exec).\n";

static const char help_run[] =
	"Run the config's command in a sandbox\n"
	"\n" RUN_USAGE "\n"
	"Arguments:\n"
	"  [CONFIG]      Path to the JSON config\n"
	"  [COMMAND]...  Overrides process.commandLine (POSIX-quoted for sh -c)\n"
	"\n"
	"Options:\n"
	"      --config <PATH>           Path to the JSON config\n"
	"      --config-base64 <B64>     The JSON config, base64 (standard alphabet, padded)\n"
	"      --debug                   Log each step (to stdout, or to --log-file if given)\n"
	"      --log-file <PATH>         Append diagnostic lines to PATH\n"
	"      --events <PATH|fd:N>      Append the sandbox's events (network decisions) as\n"
	"                                JSON lines to PATH, or write them to fd N\n"
	"      --experimental            Allow experimental backends and features\n"
	"      --allow-testing-features  Allow network.proxy.builtinTestServer\n"
	"      --dry-run                 Validate and print the config and plan as JSON; run "
	"nothing\n"
	"      --pty                     Run the command on a new pseudo-terminal (stdout and "
	"stderr\n"
	"                                merged), relayed to mxc's stdin and stdout\n"
	"  -h, --help                    Print help\n"
	"\n"
	"Exit status: the command's own status (128+N if killed by signal N); 1 for a\n"
	"config error; 2 for a usage error; 255 for a backend refusal, runtime failure\n"
	"or timeout, with {\"error\":{\"code\":...,\"message\":...}} on its own stderr line.\n";

static const char help_validate[] =
	"Check a config (parse, validate, plan) without running it\n"
	"\n"
	"Usage: mxc validate [OPTIONS] [CONFIG]\n"
	"\n"
	"Options:\n"
	"      --config <PATH>           Path to the JSON config\n"
	"      --config-base64 <B64>     The JSON config, base64\n"
	"      --experimental            Allow experimental backends and features\n"
	"      --allow-testing-features  Allow network.proxy.builtinTestServer\n"
	"  -h, --help                    Print help\n";

const char *cli_help_text(enum cli_verb verb)
{
	switch (verb) {
	case CLI_VERB_RUN:
		return help_run;
	case CLI_VERB_VALIDATE:
		return help_validate;
	default:
		return help_general;
	}
}

__attribute__((format(printf, 2, 0))) static int usage(struct cli_args *a, const char *fmt,
						       const char *arg)
{
	char msg[160];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	(void)snprintf(msg, sizeof(msg), fmt, arg);
#pragma GCC diagnostic pop
	(void)snprintf(a->usage_error, sizeof(a->usage_error),
		       "error: %s\n\n%s\nFor more information, try '--help'.", msg,
		       a->verb == CLI_VERB_VALIDATE ? "Usage: mxc validate [OPTIONS] [CONFIG]\n"
		       : a->verb == CLI_VERB_RUN    ? RUN_USAGE
						    : "Usage: mxc <COMMAND>\n");
	return -EINVAL;
}

static enum cli_verb verb_from(const char *s)
{
	if (strcmp(s, "run") == 0)
		return CLI_VERB_RUN;
	if (strcmp(s, "validate") == 0)
		return CLI_VERB_VALIDATE;
	if (strcmp(s, "help") == 0)
		return CLI_VERB_HELP;
	return CLI_VERB_NONE;
}

/* Options taking a value: "--name V" or "--name=V". */
static const char *const value_opts[] = {"--config", "--config-base64", "--log-file", "--events",
					 NULL};

static int take_value(int argc, char **argv, int *i, const char *name, const char **ret,
		      struct cli_args *a)
{
	size_t l = strlen(name);
	const char *arg = argv[*i];

	if (arg[l] == '=') {
		*ret = arg + l + 1;
		return 0;
	}
	if (*i + 1 >= argc)
		return usage(a, "a value is required for '%s <VALUE>' but none was supplied", name);
	*ret = argv[++*i];
	return 0;
}

static int parse_option(int argc, char **argv, int *i, struct cli_args *a)
{
	const char *arg = argv[*i];
	static const struct {
		const char *name;
		size_t off;
	} flags[] = {
		{"--debug", offsetof(struct cli_args, debug)},
		{"--experimental", offsetof(struct cli_args, experimental)},
		{"--allow-testing-features", offsetof(struct cli_args, allow_testing_features)},
		{"--dry-run", offsetof(struct cli_args, dry_run)},
		{"--pty", offsetof(struct cli_args, pty)},
	};

	if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
		a->help_for = a->verb;
		a->verb = CLI_VERB_HELP;
		return 1; /* stop parsing */
	}
	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
		if (strcmp(arg, flags[k].name) == 0) {
			if (a->verb == CLI_VERB_VALIDATE &&
			    (strcmp(arg, "--debug") == 0 || strcmp(arg, "--pty") == 0))
				break;
			*(bool *)((char *)a + flags[k].off) = true;
			return 0;
		}
	for (size_t k = 0; value_opts[k]; k++) {
		size_t l = strlen(value_opts[k]);
		if (strncmp(arg, value_opts[k], l) == 0 && (arg[l] == '\0' || arg[l] == '=')) {
			const char **dst = k == 0   ? &a->config_file
					   : k == 1 ? &a->config_base64
					   : k == 2 ? &a->log_file
						    : &a->events;
			if (k >= 2 && a->verb == CLI_VERB_VALIDATE)
				break;
			return take_value(argc, argv, i, value_opts[k], dst, a);
		}
	}
	return usage(a, "unexpected argument '%s' found", arg);
}

int cli_parse_args(int argc, char **argv, bool argv0_is_exec, struct cli_args *a)
{
	const char **cmd = NULL;
	size_t ncmd = 0;
	int i = 1, r;

	memset(a, 0, sizeof(*a));
	if (argv0_is_exec) {
		a->verb = CLI_VERB_RUN;
	} else {
		/* Global options before the verb. */
		for (; i < argc && argv[i][0] == '-'; i++) {
			if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0) {
				a->verb = CLI_VERB_VERSION;
				return 0;
			}
			if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
				a->verb = CLI_VERB_HELP;
				return 0;
			}
			return usage(a, "unexpected argument '%s' found", argv[i]);
		}
		if (i >= argc) {
			a->verb = CLI_VERB_HELP;
			return usage(a, "%s", "a command is required");
		}
		a->verb = verb_from(argv[i]);
		if (a->verb == CLI_VERB_NONE)
			return usage(a, "unrecognized subcommand '%s'", argv[i]);
		if (a->verb == CLI_VERB_HELP) {
			a->help_for = i + 1 < argc ? verb_from(argv[i + 1]) : CLI_VERB_NONE;
			return 0;
		}
		i++;
	}

	for (; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--") == 0) {
			if (a->verb != CLI_VERB_RUN)
				return usage(a, "unexpected argument '%s' found", arg);
			i++;
			break;
		}
		if (arg[0] == '-' && arg[1] != '\0') {
			r = parse_option(argc, argv, &i, a);
			if (r != 0)
				return r > 0 ? 0 : r;
			continue;
		}
		if (!a->config_path) {
			a->config_path = arg;
			continue;
		}
		return usage(a, "unexpected argument '%s' found", arg);
	}

	/* With --config/--config-base64, a stray positional is the first command word. */
	if (a->verb == CLI_VERB_RUN && a->config_path && (a->config_file || a->config_base64) &&
	    i < argc + 1) {
		cmd = calloc((size_t)(argc - i) + 2, sizeof(char *));
		if (!cmd)
			return -ENOMEM;
		cmd[ncmd++] = a->config_path;
		a->config_path = NULL;
	}
	if (i < argc) {
		if (!cmd && !(cmd = calloc((size_t)(argc - i) + 1, sizeof(char *))))
			return -ENOMEM;
		for (; i < argc; i++)
			cmd[ncmd++] = argv[i];
	}
	if (cmd && ncmd == 0) {
		free(cmd);
		cmd = NULL;
	}
	a->command = cmd;
	return 0;
}

void cli_args_free(struct cli_args *a)
{
	free(a->command);
	a->command = NULL;
}
