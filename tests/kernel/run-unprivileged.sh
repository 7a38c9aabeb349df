#!/bin/sh
# Run a kernel test binary as the unprivileged user mxc-test (created if
# missing). Not root: run it as the current user. Skips with 77 when the
# user cannot be created, unless MXC_TEST_MUST_WORK=1.
set -eu
bin=$1
user=mxc-test
export MXC_TEST_UNPRIVILEGED=1

if [ "$(id -u)" != 0 ]; then
	exec "$bin"
fi
if ! id "$user" >/dev/null 2>&1; then
	if ! useradd --system --no-create-home --shell /usr/sbin/nologin "$user" 2>/dev/null &&
		! id "$user" >/dev/null 2>&1; then
		if [ "${MXC_TEST_MUST_WORK:-0}" = 1 ]; then
			echo "cannot create the user $user" >&2
			exit 1
		fi
		echo "1..0 # SKIP cannot create the user $user"
		exit 77
	fi
fi
exec setpriv --reuid="$user" --regid="$user" --init-groups -- "$bin"
