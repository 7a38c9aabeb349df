/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "backend.h"

static const struct backend_ops *const backends[_MXC_BACKEND_MAX] = {
	[MXC_BACKEND_NAMESPACES] = &backend_namespaces,
	[MXC_BACKEND_BUBBLEWRAP] = &backend_bubblewrap,
};

int backend_finish_plan(struct mxc_plan *p)
{
	const struct backend_ops *ops = backend_lookup(p->backend);

	return ops && ops->finish_plan ? ops->finish_plan(p) : 0;
}

const struct backend_ops *backend_lookup(enum mxc_backend_id id)
{
	if ((unsigned)id >= _MXC_BACKEND_MAX)
		return NULL;
	return backends[id];
}
