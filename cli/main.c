/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include "mxc/mxc.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("mxc %s\n", MXC_VERSION);
	return 0;
}
