/* SPDX-License-Identifier: MIT */
#include "net/netevents.h"
