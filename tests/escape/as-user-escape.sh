#!/bin/sh
# Runs the escape suite through tests/e2e/as-user.sh (as the unprivileged user
# mxc-test), which passes only a fixed set of variables: the backend goes over
# as --containment, and the table is opened here (by the caller, who may write
# the build directory) and handed over as an open fd.
#
#   as-user-escape.sh AS_USER_SH TEST_BINARY TABLE_PATH
set -u
as_user=$1
bin=$2
table=$3
if [ -n "${MXC_ESCAPE_TABLE_USER:-}" ]; then
	table=$MXC_ESCAPE_TABLE_USER
fi
if exec 9>"$table"; then
	set -- "$bin" "--containment=${MXC_ESCAPE_CONTAINMENT:-}" --table-fd=9
else
	set -- "$bin" "--containment=${MXC_ESCAPE_CONTAINMENT:-}"
fi
if [ -n "${MXC_ESCAPE_LIMITS:-}" ]; then
	set -- "$@" "--limits=$MXC_ESCAPE_LIMITS"
fi
exec "$as_user" "$@"
