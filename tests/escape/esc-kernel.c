/* SPDX-License-Identifier: MIT */
/*
 * Kernel-surface attacks: syscalls and socket families a sandboxed workload
 * has no business reaching (io_uring, bpf, perf, userfaultfd, keyrings,
 * exotic sockets, compat syscall entry points, personality, privileged
 * administration calls, file handles).
 */
#include "escape.h"

#include <stdlib.h>
#include <string.h>

#define P e2e_probe

/* int 0x80 / x32: contained if the probe is killed (SIGSYS, or SIGSEGV without the entry point) or
 * the call fails. */
static void compat_entry(const char *op)
{
	struct e2e_result r;
	char *l0, *rc;
	long v = 0;
	bool contained;

	esc_run(esc_cfg("%s %s; echo rc=$?", P, op), &r);
	l0 = e2e_line(&r, 0);
	rc = e2e_line(&r, 1);
	if (!strncmp(l0, "rc=", 3)) { /* killed before printing */
		rc = l0;
		l0 = strdup("(killed)");
	}
	if (!strncmp(l0, "OK ", 3))
		v = strtol(l0 + 3, NULL, 10);
	contained = !strcmp(rc, "rc=159") || !strcmp(rc, "rc=139") || esc_in(l0, "ENOSYS|EPERM") ||
		    (!strncmp(l0, "OK ", 3) && v < 0);
	esc_verdict(contained, "%s (%s)", l0, rc);
	e2e_result_free(&r);
}

static void int80(void)
{
	compat_entry("int80");
}

static void x32(void)
{
	compat_entry("x32");
}

/* Socket families outside unix/inet/inet6/netlink. */
static void exotic_families(void)
{
	static const char *const fam[][2] = {
		{"bluetooth", "raw"},	{"can", "raw"},	      {"tipc", "seqpacket"},
		{"rds", "seqpacket"},	{"x25", "seqpacket"}, {"ax25", "seqpacket"},
		{"appletalk", "dgram"}, {"llc", "dgram"},     {"key", "raw"},
		{"xdp", "raw"},
	};
	char *cmd = strdup(""), *out = strdup("");
	struct e2e_result r;
	bool ok = true;

	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		char *t = e2e_strf("%s%s%s socket %s %s", cmd, i ? "; " : "", P, fam[i][0],
				   fam[i][1]);

		free(cmd);
		cmd = t;
	}
	esc_run(esc_cfg("%s", cmd), &r);
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		char *l = e2e_line(&r, (int)i),
		     *t = e2e_strf("%s%s%s=%s", out, i ? " " : "", fam[i][0], l);

		if (!esc_in(l, "EAFNOSUPPORT|EPERM|EACCES|EPROTONOSUPPORT|ESOCKTNOSUPPORT|EINVAL"))
			ok = false;
		free(out);
		out = t;
	}
	esc_verdict(ok, "%s", out);
}

const struct esc_attack esc_kernel_attacks[] = {
	{"io_uring_setup", "kernel", "EPERM|ENOSYS", NULL, "io-uring"},
	{"bpf_map_create", "kernel", "EPERM|ENOSYS", NULL, "bpf-map"},
	{"perf_event_open", "kernel", "EPERM|EACCES|ENOSYS", NULL, "perf-open"},
	{"userfaultfd", "kernel", "EPERM|ENOSYS", NULL, "userfaultfd"},
	{"keyctl_add_key", "kernel", "EPERM|ENOSYS", NULL, "add-key"},
	{"socket_af_vsock", "kernel", "EAFNOSUPPORT|EPERM|EACCES", NULL, "socket vsock stream"},
	{"socket_af_packet", "kernel", "EPERM|EAFNOSUPPORT|EACCES", NULL, "socket packet raw 768"},
	{"socket_af_alg", "kernel", "EAFNOSUPPORT|EPERM|EACCES", NULL, "socket alg seqpacket"},
	{"socket_exotic_families", "kernel", "EAFNOSUPPORT/EPERM/EACCES for each", exotic_families},
	{"int80_32bit_syscall", "kernel", "killed (SIGSYS) or the call fails", int80},
	{"x32_syscall", "kernel", "killed (SIGSYS) or ENOSYS", x32},
	{"personality_change", "kernel", "EPERM", NULL, "personality 0x0040000"},
	{"acct", "kernel", "EPERM", NULL, "sys acct"},
	{"reboot", "kernel", "EPERM", NULL, "sys reboot"},
	{"syslog_read_dmesg", "kernel", "EPERM", NULL, "sys syslog"},
	{"kexec_file_load", "kernel", "EPERM|ENOSYS", NULL, "sys kexec"},
	{"kexec_load", "kernel", "EPERM|ENOSYS", NULL, "sys kexec-load"},
	{"init_module", "kernel", "EPERM|ENOSYS", NULL, "sys init-module"},
	{"finit_module", "kernel", "EPERM|ENOSYS", NULL, "sys finit-module"},
	{"swapon", "kernel", "EPERM", NULL, "sys swapon"},
	{"clock_settime", "kernel", "EPERM", NULL, "sys clock-settime"},
	{"open_by_handle_at_shocker", "kernel", "EPERM", NULL, "open-by-handle"},
	{"name_to_handle_at", "kernel", "EPERM", NULL, "name-to-handle /etc/hostname"},
	{NULL},
};
