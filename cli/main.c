/* SPDX-License-Identifier: MIT */
/* mxc: parse argv, dispatch to one command, exit with its code. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "output.h"

#define EXIT_USAGE 2

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? strrchr(argv[0], '/') : NULL;
	struct cli_args args;
	int r;

	name = name ? name + 1 : (argc > 0 ? argv[0] : "mxc");
	if (cli_parse_args(argc, argv, strcmp(name, "mxc-exec") == 0, &args) < 0) {
		if (args.usage_error[0] == '\0') {
			fputs("mxc: out of memory\n", stderr);
			return 1;
		}
		fprintf(stderr, "%s\n", args.usage_error);
		return EXIT_USAGE;
	}

	switch (args.verb) {
	case CLI_VERB_VERSION:
		printf("mxc %s\n", MXC_VERSION);
		r = 0;
		break;
	case CLI_VERB_HELP:
		fputs(cli_help_text(args.help_for), stdout);
		r = 0;
		break;
	case CLI_VERB_VALIDATE:
		output_setup(false, NULL);
		r = cmd_validate(&args);
		break;
	case CLI_VERB_RUN:
	default:
		output_setup(args.debug, args.log_file);
		r = cmd_run(&args);
		break;
	}
	output_teardown();
	cli_args_free(&args);
	fflush(stdout);
	return r;
}
