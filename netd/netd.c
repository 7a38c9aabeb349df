/* SPDX-License-Identifier: MIT */
/* mxc-netd: see lib/net/netd-proto.h. */
#include "net/netd-proto.h"

int main(void)
{
	return 1;
}
