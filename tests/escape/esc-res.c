/* SPDX-License-Identifier: MIT */
/*
 * Resource attacks, bounded so the host survives even when they escape: fork
 * bomb, memory bomb, /tmp disk and inode fill; and processes that outlive the
 * sandbox after a timeout or a SIGKILL of mxc.
 */
#include "escape.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define P e2e_probe

/*
 * Bounds: reaching one means no limit stopped the bomb. With an explicit small
 * limit (esc_limits) they are well above it; otherwise above mxc's defaults
 * (memory min(4 GiB, RAM/2), /tmp min(1 GiB, RAM/4), 1024 processes).
 */
#define FORK_MAX  4096
#define INODE_MAX 100000

static bool limit_set(const char *key)
{
	char *k = e2e_strf("\"%s\"", key);
	bool set = esc_limits && strstr(esc_limits, k);

	free(k);
	return set;
}

static long mem_max_mb(void)
{
	return limit_set("memoryMiB") ? 2048 : 4608;
}

static long tmp_max_mb(void)
{
	return limit_set("tmpMiB") ? 1024 : 1536;
}

/* "OK <n> <stop>" -> n and stop; returns false if the line has another shape. */
static bool parse_bomb(const char *l, long *n, char *stop, size_t stop_len)
{
	char s[32];

	if (sscanf(l, "OK %ld %31s", n, s) != 2)
		return false;
	snprintf(stop, stop_len, "%s", s);
	return true;
}

static void bomb(const char *op, long max, const char *stops, long timeout_ms)
{
	struct e2e_cfg *c = esc_cfg("%s %s; echo rc=$?", P, op);
	struct e2e_result r;
	char *l0, stop[32] = "";
	long n = 0;
	bool parsed, killed;

	e2e_cfg_timeout(c, timeout_ms);
	esc_cfg_limits(c);
	esc_run(c, &r);
	l0 = e2e_line(&r, 0);
	parsed = parse_bomb(l0, &n, stop, sizeof(stop));
	killed = !parsed && (!strcmp(l0, "rc=137") || !strcmp(l0, "rc=135"));
	esc_verdict(killed || (parsed && n < max && esc_in(stop, stops)), "%s%s", l0,
		    parsed && n >= max ? " (bound reached: no limit)" : "");
	e2e_result_free(&r);
}

static void fork_bomb(void)
{
	char *op = e2e_strf("forkbomb %d", FORK_MAX);

	bomb(op, FORK_MAX, "EAGAIN|ENOMEM", 15000);
}

static void memory_bomb(void)
{
	char *op = e2e_strf("membomb %ld", mem_max_mb());

	bomb(op, mem_max_mb(), "ENOMEM", 15000);
}

static void tmp_fill(void)
{
	char *op = e2e_strf("fill /tmp/big %ld", tmp_max_mb());

	bomb(op, tmp_max_mb(), "ENOSPC|EFBIG|EDQUOT", 15000);
}

static void inode_fill(void)
{
	char *op = e2e_strf("inode-fill /tmp %d", INODE_MAX);

	if (esc_backend_is("bubblewrap")) {
		/* bwrap's --size caps bytes, not inodes (no nr_inodes): every file fits. */
		char *l0 = esc_probe1("%s", op);

		esc_known_limit(!strncmp(l0, "OK ", 3), "%s (no inode cap)", l0);
		return;
	}
	bomb(op, INODE_MAX, "ENOSPC|EDQUOT|EMFILE", 15000);
}

/* True if path stops growing (two sizes 300 ms apart are equal). */
static bool stopped_growing(const char *path)
{
	off_t a = e2e_file_size(path), b;

	e2e_sleep_ms(300);
	b = e2e_file_size(path);
	return a == b;
}

static void orphan_after_timeout(void)
{
	char *rw = e2e_path("rw"), *tick = e2e_strf("%s/tick", rw),
	     *marker = e2e_unique("mxcorphan");
	struct e2e_cfg *c;
	struct e2e_result r;
	char *cfg, *code = NULL;
	bool gone, still;

	e2e_mkdir(rw);
	c = esc_cfg("%s daemon-tick %s 50 %s; %s sleep-ms 30000", P, tick, marker, P);
	e2e_cfg_rw(c, rw);
	e2e_cfg_timeout(c, 1000);
	cfg = e2e_cfg_write(c);
	e2e_run_config(&r, cfg);
	ck_assert_msg(r.exit_code == 255, "exit %d, expected the timeout (255): stderr=[%s]",
		      r.exit_code, r.err_esc);
	e2e_assert_envelope(&r, &code, NULL);
	ck_assert_str_eq(code, "timeout");
	ck_assert_msg(e2e_file_size(tick) > 0, "the daemon never ran");
	gone = e2e_wait_no_marker(marker, 3000);
	still = stopped_growing(tick);
	esc_verdict(gone && still, "timeout; detached grandchild %s; tick file %s",
		    gone ? "gone" : "ALIVE", still ? "stopped" : "STILL GROWING");
}

static char *kill_tick;

static void kill_mxc_when_ticking(pid_t pid, void *userdata)
{
	(void)userdata;
	for (int i = 0; i < 200 && e2e_file_size(kill_tick) <= 0; i++)
		e2e_sleep_ms(25);
	e2e_sleep_ms(100);
	kill(pid, SIGKILL);
}

static void orphan_after_sigkill(void)
{
	char *rw = e2e_path("rw"), *marker = e2e_unique("mxcorphan");
	struct e2e_run_opts o = {.on_started = kill_mxc_when_ticking};
	struct e2e_cfg *c;
	struct e2e_result r;
	char *cfg;
	bool gone, still;

	e2e_mkdir(rw);
	kill_tick = e2e_strf("%s/tick", rw);
	c = esc_cfg("%s daemon-tick %s 50 %s; %s sleep-ms 30000", P, kill_tick, marker, P);
	e2e_cfg_rw(c, rw);
	e2e_cfg_timeout(c, 20000);
	cfg = e2e_cfg_write(c);
	e2e_run(&r, &o, "run", cfg, NULL);
	ck_assert_msg(r.exit_code == 128 + SIGKILL, "mxc exit %d, expected SIGKILL", r.exit_code);
	ck_assert_msg(e2e_file_size(kill_tick) > 0, "the daemon never ran");
	gone = e2e_wait_no_marker(marker, 3000);
	still = stopped_growing(kill_tick);
	esc_verdict(gone && still, "mxc SIGKILLed; detached grandchild %s; tick file %s",
		    gone ? "gone" : "ALIVE", still ? "stopped" : "STILL GROWING");
}

const struct esc_attack esc_res_attacks[] = {
	{"fork_bomb", "resources", "fork fails (EAGAIN) before 4096 processes, or killed",
	 fork_bomb, NULL, 40},
	{"memory_bomb", "resources", "ENOMEM or SIGKILL before 2048 MiB (4608 without memoryMiB)",
	 memory_bomb, NULL, 40},
	{"tmp_disk_fill", "resources", "ENOSPC/EFBIG before 1024 MiB in /tmp (1536 without tmpMiB)",
	 tmp_fill, NULL, 40},
	{"tmp_inode_fill", "resources", "ENOSPC before 100000 files in /tmp", inode_fill, NULL, 40},
	{"orphan_after_timeout", "resources", "timeout kills the detached grandchild",
	 orphan_after_timeout},
	{"orphan_after_mxc_sigkill", "resources", "SIGKILL of mxc kills the detached grandchild",
	 orphan_after_sigkill},
	{NULL},
};
