/* SPDX-License-Identifier: MIT */
/*
 * Process attacks: reaching host processes (ptrace, memory, signals, pidfd),
 * privileges (capabilities, no_new_privs, setuid binaries, other ids),
 * namespaces, IPC with the host (unix sockets, System V), terminal injection
 * and leaked descriptors.
 */
#include "escape.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define P e2e_probe

/* ---- host processes ---- */

/* One probe op aimed at a host sleeper; contained = expected errno and the sleeper alive. */
static void at_host_pid(const char *op, const char *prefix, const char *suffix)
{
	pid_t pid = esc_host_sleeper();
	char *out = esc_probe1("%s %s%d%s", op, prefix, (int)pid, suffix);
	bool alive = esc_alive(pid);

	esc_verdict(esc_in(out, esc_cur->expected) && alive, "%s; host pid %d %s", out, (int)pid,
		    alive ? "alive" : "GONE");
}

static void ptrace_host(void)
{
	at_host_pid("ptrace-attach", "", "");
}

static void vm_read_host(void)
{
	at_host_pid("vm-read", "", "");
}

static void kill_host(void)
{
	at_host_pid("kill", "", " KILL");
}

static void pidfd_kill_host(void)
{
	at_host_pid("pidfd-kill", "", " KILL");
}

static void host_pid_invisible(void)
{
	at_host_pid("stat", "/proc/", "");
}

static void kill_broadcast(void)
{
	pid_t pid = esc_host_sleeper();
	struct e2e_result r;
	bool alive;

	esc_run(esc_cfg("exec %s kill -1 KILL", P), &r);
	e2e_sleep_ms(100);
	alive = esc_alive(pid);
	esc_verdict(alive, "kill(-1) -> %s; host pid %d %s", e2e_line(&r, 0), (int)pid,
		    alive ? "alive" : "GONE");
}

/* ---- privileges ---- */

static void caps_all_zero(void)
{
	static const char *const f[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};
	char *cmd = strdup(""), *out;
	bool ok = true;

	for (size_t i = 0; i < 5; i++) {
		char *t = e2e_strf("%s%s%s status-field %s", cmd, i ? "; " : "", P, f[i]);

		free(cmd);
		cmd = t;
	}
	out = esc_run_lines(esc_cfg("%s", cmd), NULL);
	for (const char *p = out; (p = strstr(p, "OK ")); p += 3)
		if (strncmp(p + 3, "0000000000000000", 16))
			ok = false;
	esc_verdict(
		ok && !strcmp(out,
			      "OK 0000000000000000 ; OK 0000000000000000 ; OK 0000000000000000 ; "
			      "OK 0000000000000000 ; OK 0000000000000000"),
		"%s", out);
}

static void no_new_privs(void)
{
	char *out = esc_probe1("status-field NoNewPrivs");

	esc_verdict(!strcmp(out, "OK 1"), "%s", out);
}

/* su (setuid root): no identity change beyond what the sandbox already has. */
static void setuid_su(void)
{
	char *out = esc_run_lines(esc_cfg("%s status-field Uid; su root -c '%s status-field Uid' "
					  "</dev/null 2>/dev/null; "
					  "echo rc=$?",
					  P, P),
				  NULL);
	char *first = strndup(out, strcspn(out, ";"));
	bool ok = true;

	first[strcspn(first, " ;")] = '\0';
	/* Every "OK <uids>" line must equal the first one. */
	const char *l0end = strstr(out, " ; ");
	size_t l0len = l0end ? (size_t)(l0end - out) : strlen(out);
	for (const char *p = out; (p = strstr(p, "OK ")); p += 3)
		if (strncmp(p, out, l0len))
			ok = false;
	esc_verdict(ok, "%s", out);
	free(first);
}

/* mount (setuid root): mounting over /tmp has no effect. */
static void setuid_mount(void)
{
	char *out = esc_run_lines(
		esc_cfg("%s write /tmp/keep x; mount -t tmpfs none /tmp 2>/dev/null; echo rc=$?; "
			"%s stat /tmp/keep",
			P, P),
		NULL);

	esc_verdict(strstr(out, "rc=0") == NULL && strstr(out, "OK file") != NULL, "%s", out);
}

/* ---- namespaces ---- */

static void setns_init_mnt(void)
{
	char *out = esc_probe1("setns /proc/1/ns/mnt");

	esc_expect(out);
}

/* sethostname must at most change the sandbox's own UTS namespace. */
static void sethostname_host(void)
{
	char before[256] = "", after[256] = "";
	char *out;

	ck_assert(gethostname(before, sizeof(before) - 1) == 0);
	out = esc_probe1("sethostname mxc-escape-pwned");
	ck_assert(gethostname(after, sizeof(after) - 1) == 0);
	if (strcmp(before, after))
		(void)!sethostname(before, strlen(before)); /* repair the host when it escaped */
	esc_verdict(esc_in(out, "EPERM|OK") && !strcmp(before, after), "%s; host hostname %s", out,
		    strcmp(before, after) ? "CHANGED" : "unchanged");
}

/* ---- IPC with the host ---- */

static void abstract_unix(bool host_net)
{
	char *name = e2e_unique("@mxc-escape-"), *token = e2e_unique("TOKEN");
	struct e2e_cfg *c;
	char *out;

	esc_unix_server(name, token);
	c = esc_cfg("%s connect-unix %s", P, name);
	if (host_net)
		e2e_cfg_network(c, "allow", 1);
	out = esc_run_lines(c, NULL);
	if (host_net && esc_backend_is("bubblewrap")) {
		/* Only Landlock's scope (ABI 6) closes this with the host network; bwrap has
		 * no Landlock: the host's abstract socket is reachable. */
		esc_known_limit(strstr(out, token) != NULL, "%s", out);
		return;
	}
	esc_verdict(esc_in(out, esc_cur->expected) && !strstr(out, token), "%s", out);
}

static void abstract_unix_blocked(void)
{
	abstract_unix(false);
}

static void abstract_unix_host_net(void)
{
	abstract_unix(true);
}

static void unix_socket_path(bool grant_ro)
{
	char *dir = e2e_path("run"), *sock, *token = e2e_unique("TOKEN");
	struct e2e_cfg *c;
	char *out;

	e2e_mkdir(dir);
	sock = e2e_strf("%s/daemon.sock", dir);
	esc_unix_server(sock, token);
	c = esc_cfg("%s connect-unix %s", P, sock);
	if (grant_ro) {
		/* A socket inside a granted directory is reachable (connect(2) needs write
		 * permission on the socket, not on the mount, and Landlock before ABI 8 cannot
		 * restrict it: docs/security.md, known limits); denying it hides it. */
		e2e_cfg_ro(c, dir);
		e2e_cfg_deny(c, sock);
	}
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, esc_cur->expected) && !strstr(out, token), "%s", out);
}

static void unix_socket_not_granted(void)
{
	unix_socket_path(false);
}

static void unix_socket_ro_granted(void)
{
	unix_socket_path(true);
}

static void sysv_shm_host(void)
{
	key_t key = (key_t)(0x6d780000 | (getpid() & 0xffff));
	int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0666);
	char *out;

	ck_assert_msg(id >= 0, "host shmget: %m");
	out = esc_probe1("shmget 0x%x", (unsigned)key);
	shmctl(id, IPC_RMID, NULL);
	esc_expect(out);
}

/* ---- terminal and descriptors ---- */

static void tty_inject(const char *mode)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s;
	struct termios t;
	struct e2e_result r;
	char *cfg, *l0, buf[64];
	ssize_t n;

	ck_assert_msg(m >= 0, "posix_openpt: %m");
	ck_assert(grantpt(m) == 0 && unlockpt(m) == 0);
	s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_msg(s >= 0, "open pty slave: %m");
	ck_assert(tcgetattr(s, &t) == 0);
	cfmakeraw(&t);
	ck_assert(tcsetattr(s, TCSANOW, &t) == 0);
	cfg = e2e_cfg_write(esc_cfg("%s tty-inject %s", P, mode));
	esc_spawn(&r, cfg, s, -1);
	l0 = e2e_line(&r, 0);
	/* Anything injected sits in the terminal's input queue, readable from the slave. */
	fcntl(s, F_SETFL, O_NONBLOCK);
	n = read(s, buf, sizeof(buf));
	esc_verdict(esc_in(l0, esc_cur->expected) && n <= 0, "%s; %s", l0,
		    n > 0 ? "BYTES INJECTED into the caller's terminal" : "nothing injected");
	close(s);
	close(m);
}

static void tiocsti(void)
{
	tty_inject("sti");
}

static void tiocsti_high_bits(void)
{
	tty_inject("sti-hi");
}

static void tioclinux(void)
{
	tty_inject("linux");
}

static void leaked_fd(void)
{
	char *sec = e2e_path("secret.txt"), *cfg;
	struct e2e_result r;
	int fd;
	char *l0, *l1;

	e2e_write_file(sec, "SECRET");
	fd = open(sec, O_RDONLY);
	ck_assert(fd >= 3);
	cfg = e2e_cfg_write(
		esc_cfg("%s fds; %s read /proc/self/fd/%d; %s read /dev/fd/%d", P, P, fd, P, fd));
	esc_spawn(&r, cfg, -1, fd);
	l0 = e2e_line(&r, 0);
	l1 = e2e_line(&r, 1);
	esc_verdict(!strcmp(l0, "OK 0 1 2") && esc_in(l1, "ENOENT|EBADF") &&
			    !strstr(r.out, "SECRET"),
		    "%s ; %s ; %s", l0, l1, e2e_line(&r, 2));
	close(fd);
}

const struct esc_attack esc_proc_attacks[] = {
	{"ptrace_attach_init", "process", "EPERM", NULL, "ptrace-attach 1"},
	{"ptrace_attach_host_pid", "process", "ESRCH|EPERM", ptrace_host},
	{"process_vm_readv_init", "process", "EPERM|ESRCH", NULL, "vm-read 1"},
	{"process_vm_readv_host_pid", "process", "ESRCH|EPERM", vm_read_host},
	{"kill_host_pid", "process", "ESRCH|EPERM", kill_host},
	{"kill_all_broadcast", "process", "host process survives kill(-1, SIGKILL)",
	 kill_broadcast},
	{"pidfd_signal_host_pid", "process", "ESRCH|EPERM", pidfd_kill_host},
	{"host_pid_invisible", "process", "ENOENT", host_pid_invisible},
	{"capabilities_all_zero", "process", "CapInh/Prm/Eff/Bnd/Amb all 0", caps_all_zero},
	{"no_new_privs", "process", "NoNewPrivs 1", no_new_privs},
	{"setuid_su", "process", "su changes no id", setuid_su},
	{"setuid_mount", "process", "mount(8) fails; /tmp unchanged", setuid_mount},
	{"setuid_other_uid", "process", "EINVAL|EPERM", NULL, "setid uid 12345"},
	{"setgroups_root", "process", "EPERM|EINVAL", NULL, "setid groups 0"},
	{"unshare_user", "process", "EPERM", NULL, "unshare user"},
	{"clone_newuser", "process", "EPERM", NULL, "clone-ns user"},
	{"clone3_newuser", "process", "ENOSYS|EPERM", NULL, "clone3-ns user"},
	{"unshare_mnt", "process", "EPERM", NULL, "unshare mnt"},
	{"unshare_net", "process", "EPERM", NULL, "unshare net"},
	{"setns_init_mnt", "process", "EPERM|EACCES", setns_init_mnt},
	{"sethostname_host", "process",
	 "EPERM (or the sandbox's UTS only); host hostname unchanged", sethostname_host},
	{"abstract_unix_host_listener", "process", "ECONNREFUSED|EPERM|EACCES",
	 abstract_unix_blocked},
	{"abstract_unix_host_net", "process", "EPERM|EACCES", abstract_unix_host_net},
	{"unix_socket_not_granted", "process", "ENOENT|EACCES|EPERM", unix_socket_not_granted},
	{"unix_socket_denied_in_ro_grant", "process", "ECONNREFUSED|EACCES|EPERM|ENOENT",
	 unix_socket_ro_granted},
	{"sysv_shm_host_segment", "process", "ENOENT", sysv_shm_host},
	{"tiocsti_inherited_tty", "process", "EPERM|EIO|ENOTTY", tiocsti},
	{"tiocsti_high_bits", "process", "EPERM|EIO|ENOTTY", tiocsti_high_bits},
	{"tioclinux_inherited_tty", "process", "EPERM|EINVAL|ENOTTY", tioclinux},
	{"leaked_fd_from_caller", "process", "fds 0 1 2 only; /proc/self/fd/N ENOENT", leaked_fd},
	{NULL},
};
