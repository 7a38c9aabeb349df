/* SPDX-License-Identifier: MIT */
#include "net/netproxy.h"
