/* SPDX-License-Identifier: MIT */
/* struct mxc_sandbox: a backend instance plus its state. */
#include <errno.h>
#include <stdlib.h>

#include "backend/backend.h"
#include "core/error.h"
#include "core/macro.h"

struct mxc_sandbox {
	const struct backend_ops *ops;
	void *state;
};

_public_ int mxc_sandbox_create(const struct mxc_plan *p, struct mxc_sandbox **ret,
				struct mxc_error *reterr)
{
	const struct backend_ops *ops;
	struct mxc_sandbox *sb;
	int r;

	if (!p || !ret)
		return -EINVAL;
	ops = backend_lookup(p->backend);
	if (!ops)
		return mxc_error_set_type(reterr, -EOPNOTSUPP, MXC_ERROR_BACKEND,
					  "backend_unavailable",
					  "The '%s' backend is not available in this build of mxc",
					  mxc_backend_id_to_string(p->backend));
	sb = calloc(1, sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	sb->ops = ops;
	r = ops->create(p, &sb->state, reterr);
	if (r < 0) {
		free(sb);
		return r;
	}
	*ret = sb;
	return 0;
}

_public_ int mxc_sandbox_exec(struct mxc_sandbox *sb, const struct mxc_exec_spec *spec,
			      struct mxc_error *reterr)
{
	if (!sb || !spec)
		return -EINVAL;
	return sb->ops->exec(sb->state, spec, reterr);
}

_public_ int mxc_sandbox_wait(struct mxc_sandbox *sb, int pid, int timeout_ms, int *ret_status,
			      struct mxc_error *reterr)
{
	if (!sb || pid <= 0)
		return -EINVAL;
	return sb->ops->wait(sb->state, pid, timeout_ms, ret_status, reterr);
}

_public_ int mxc_sandbox_signal(struct mxc_sandbox *sb, int sig)
{
	if (!sb)
		return -EINVAL;
	return sb->ops->signal(sb->state, sig);
}

_public_ struct mxc_sandbox *mxc_sandbox_destroy(struct mxc_sandbox *sb)
{
	if (sb) {
		sb->ops->destroy(sb->state);
		free(sb);
	}
	return NULL;
}
