/* SPDX-License-Identifier: MIT */
#include "net/hostmatch.h"
