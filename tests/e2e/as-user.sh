#!/bin/sh
# Runs an e2e test binary as the unprivileged user mxc-test.
#
# As root: creates the system user mxc-test if missing, checks that it can
# reach the binaries, then re-runs "$@" through setpriv with a clean
# environment plus the variables the tests need. As non-root: runs "$@"
# directly (already unprivileged).
#
# A setup failure skips (TAP "1..0 # SKIP"; exit 77 unless TAP goes to stdout),
# or fails when MXC_TEST_MUST_WORK=1.
set -u

USER_NAME=mxc-test

skip() {
	if [ "${MXC_TEST_MUST_WORK:-0}" = 1 ]; then
		echo "Bail out! $* (MXC_TEST_MUST_WORK=1)"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	# meson's TAP protocol reports a non-zero exit as ERROR: the plan carries the skip.
	[ "${CK_TAP_LOG_FILE_NAME:-}" = - ] && exit 0
	exit 77
}

export MXC_E2E_VARIANT=user

[ $# -ge 1 ] || { echo "Bail out! usage: as-user.sh TEST-BINARY [ARGS...]"; exit 1; }
bin=$(readlink -f "$1") || { echo "Bail out! cannot resolve $1"; exit 1; }
shift
set -- "$bin" "$@"

if [ "$(id -u)" != 0 ]; then
	exec "$@"
fi

if ! id -u "$USER_NAME" >/dev/null 2>&1; then
	useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
		--user-group "$USER_NAME" >/dev/null 2>&1 ||
		id -u "$USER_NAME" >/dev/null 2>&1 || skip "cannot create user $USER_NAME"
fi
command -v setpriv >/dev/null 2>&1 || skip "setpriv not found"

drop() {
	setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups --reset-env "$@"
}

for f in "$1" "${MXC_BIN:-}" "${MXC_PROBE:-}"; do
	[ -n "$f" ] || skip "MXC_BIN/MXC_PROBE not set"
	drop test -x "$f" || skip "$USER_NAME cannot execute $f (check the permissions of its directories)"
done
drop test -w /tmp || skip "$USER_NAME cannot write /tmp"

# Run from a directory the user can enter.
cd / || exit 1

# Pass through only the variables that are set (Check treats a set-but-empty
# CK_RUN_SUITE as a filter that matches nothing).
val_=
for v in MXC_BIN MXC_PROBE MXC_UPSTREAM_DIR MXC_TEST_MUST_WORK MXC_E2E_CONTAINMENT CK_TAP_LOG_FILE_NAME CK_VERBOSITY \
	CK_FORK CK_RUN_SUITE CK_RUN_CASE CK_INCLUDE_TAGS CK_EXCLUDE_TAGS CK_DEFAULT_TIMEOUT \
	CK_TIMEOUT_MULTIPLIER ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	eval "set_=\${$v+x}"
	[ -n "$set_" ] || continue
	eval "val_=\$$v"
	set -- "$v=$val_" "$@"
done
set -- env MXC_E2E_VARIANT=user "$@"
exec setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups --reset-env "$@"
