/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "backend.h"

static const struct backend_ops *const backends[_MXC_BACKEND_MAX] = {
	[MXC_BACKEND_NAMESPACES] = &backend_namespaces,
	[MXC_BACKEND_BUBBLEWRAP] = &backend_bubblewrap,
};

const struct backend_ops *backend_lookup(enum mxc_backend_id id)
{
	if ((unsigned)id >= _MXC_BACKEND_MAX)
		return NULL;
	return backends[id];
}
