/* SPDX-License-Identifier: MIT */
#ifndef MXC_CORE_MACRO_H
#define MXC_CORE_MACRO_H

#include <stddef.h>

#define ELEMENTSOF(x)  (sizeof(x) / sizeof((x)[0]))
#define _unused_       __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _noreturn_     __attribute__((noreturn))
#define _pure_	       __attribute__((pure))
#define _public_       __attribute__((visibility("default")))

#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)

#define streq(a, b) (strcmp((a), (b)) == 0)
#define strempty(s) (!(s) || !*(s))

#endif
