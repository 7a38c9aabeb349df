/* SPDX-License-Identifier: MIT */
/*
 * Filesystem attacks: writes outside the writable roots, persistence files,
 * symlink / hard-link / rename tricks, /proc magic links, special files,
 * denied paths, /proc and /sys writes, mounts and root changes.
 */
#include "escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ORIG   "ORIGINAL-HOST-BYTES\n"
#define SECRET "SECRET-HOST-BYTES-d41d8cd9\n"

/* Host file still has exactly the bytes it was created with? */
static bool unchanged(const char *path, const char *bytes)
{
	char *now = e2e_read_file(path, NULL);
	bool same = now && !strcmp(now, bytes);

	free(now);
	return same;
}

static const char *state(const char *path, const char *bytes)
{
	return unchanged(path, bytes) ? "host file unchanged" : "HOST FILE CHANGED";
}

static const char *absent(const char *path)
{
	return e2e_exists(path) ? "CREATED ON HOST" : "absent on host";
}

/* e2e_root/NAME as a directory (made) */
static char *mkdir_in(const char *rel)
{
	char *p = e2e_path(rel);

	e2e_mkdir(p);
	return p;
}

static char *file_in(const char *dir, const char *name, const char *bytes)
{
	char *p = e2e_strf("%s/%s", dir, name);

	e2e_write_file(p, bytes);
	return p;
}

/* The result line i of the joined output (a copy). */
static char *nth(const char *joined, int i)
{
	const char *p = joined;

	for (; i > 0 && p; i--) {
		p = strstr(p, " ; ");
		if (p)
			p += 3;
	}
	if (!p)
		return strdup("");
	const char *e = strstr(p, " ; ");
	return e ? strndup(p, (size_t)(e - p)) : strdup(p);
}

#define P e2e_probe

/* ---- writes outside the writable roots ---- */

static void write_ro_existing(void)
{
	char *ro = mkdir_in("ro"), *f = file_in(ro, "file.txt", ORIG);
	struct e2e_cfg *c = esc_cfg("%s write %s PWNED", P, f);
	char *out;

	e2e_cfg_ro(c, ro);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "EROFS|EACCES|EPERM") && unchanged(f, ORIG), "%s; %s", out,
		    state(f, ORIG));
}

static void create_outside_roots(void)
{
	char *rw = mkdir_in("rw"), *outside = mkdir_in("outside"),
	     *f = e2e_strf("%s/new.txt", outside);
	struct e2e_cfg *c = esc_cfg("%s write %s PWNED", P, f);
	char *out;

	e2e_cfg_rw(c, rw);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM") && !e2e_exists(f), "%s; %s", out,
		    absent(f));
}

static void create_in_ro_dir(void)
{
	char *ro = mkdir_in("ro"), *f = e2e_strf("%s/new.txt", ro);
	struct e2e_cfg *c = esc_cfg("%s write %s PWNED", P, f);
	char *out;

	e2e_cfg_ro(c, ro);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "EROFS|EACCES|EPERM") && !e2e_exists(f), "%s; %s", out, absent(f));
}

static void write_parent_of_rw(void)
{
	char *work = mkdir_in("work"), *proj = mkdir_in("work/proj"),
	     *f = e2e_strf("%s/evil.sh", work);
	struct e2e_cfg *c = esc_cfg("%s write %s PWNED", P, f);
	char *out;

	e2e_cfg_rw(c, proj);
	e2e_cfg_cwd(c, proj);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM") && !e2e_exists(f), "%s; %s", out,
		    absent(f));
}

/* A fake $HOME (e2e_root/home) with the project below it granted read-write; cmd gets the home
 * path. */
static struct e2e_cfg *home_cfg(const char *op, const char *file, const char *data)
{
	char *home = mkdir_in("home"), *proj = mkdir_in("home/proj");
	struct e2e_cfg *c = esc_cfg("%s %s %s/%s %s", P, op, home, file, data);

	e2e_cfg_rw(c, proj);
	e2e_cfg_cwd(c, proj);
	e2e_cfg_env(c, e2e_strf("HOME=%s", home));
	return c;
}

static void bashrc_outside(void)
{
	struct e2e_cfg *c = home_cfg("append", ".bashrc", "curl-evil");
	char *f = e2e_path("home/.bashrc"), *out;

	e2e_write_file(f, ORIG);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM") && unchanged(f, ORIG), "%s; %s", out,
		    state(f, ORIG));
}

static void profile_new_outside(void)
{
	struct e2e_cfg *c = home_cfg("write", ".profile", "curl-evil");
	char *f = e2e_path("home/.profile"), *out = esc_run_lines(c, NULL);

	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM") && !e2e_exists(f), "%s; %s", out,
		    absent(f));
}

static void git_hooks_outside(void)
{
	char *repo = mkdir_in("repo"), *src, *hook;
	struct e2e_cfg *c;
	char *out;

	e2e_mkdir(e2e_strf("%s/.git", repo));
	e2e_mkdir(e2e_strf("%s/.git/hooks", repo));
	src = mkdir_in("repo/src");
	hook = e2e_strf("%s/.git/hooks/pre-commit", repo);
	c = esc_cfg("%s write %s evil-hook", P, hook);
	e2e_cfg_rw(c, src);
	e2e_cfg_ro(c, repo);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM") && !e2e_exists(hook), "%s; %s", out,
		    absent(hook));
}

static void git_config_outside(void)
{
	char *repo = mkdir_in("repo"), *src, *cfgf;
	struct e2e_cfg *c;
	char *out;

	e2e_mkdir(e2e_strf("%s/.git", repo));
	cfgf = file_in(e2e_strf("%s/.git", repo), "config", ORIG);
	src = mkdir_in("repo/src");
	c = esc_cfg("%s append %s fsmonitor=evil", P, cfgf);
	e2e_cfg_rw(c, src);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM") && unchanged(cfgf, ORIG), "%s; %s",
		    out, state(cfgf, ORIG));
}

/* A host file in the real /tmp: the sandbox's /tmp is its own. */
static void host_tmp_file(void)
{
	char *f = e2e_unique("/tmp/mxc-escape-host-"), *out;

	e2e_write_file(f, SECRET);
	out = esc_run_lines(esc_cfg("%s read %s; %s write %s PWNED", P, f, P, f), NULL);
	esc_verdict(esc_in(nth(out, 0), "ENOENT|EACCES") && unchanged(f, SECRET), "%s; %s", out,
		    state(f, SECRET));
	unlink(f);
}

/* ---- links ---- */

static void symlink_created_out(void)
{
	char *rw = mkdir_in("rw"), *sec = file_in(e2e_root, "secret.txt", SECRET);
	char *lnk = e2e_strf("%s/lnk", rw);
	struct e2e_cfg *c = esc_cfg("%s symlink %s %s; %s write %s PWNED; %s read %s", P, sec, lnk,
				    P, lnk, P, lnk);
	char *out, *w, *r;

	e2e_cfg_rw(c, rw);
	out = esc_run_lines(c, NULL);
	w = nth(out, 1);
	r = nth(out, 2);
	esc_verdict(esc_in(w, "ENOENT|EROFS|EACCES|EPERM") && esc_in(r, "ENOENT|EACCES") &&
			    unchanged(sec, SECRET),
		    "%s; %s", out, state(sec, SECRET));
}

static void symlink_planted_out(void)
{
	char *rw = mkdir_in("rw"), *sec = file_in(e2e_root, "secret.txt", SECRET);
	char *lnk = e2e_strf("%s/planted", rw);
	struct e2e_cfg *c = esc_cfg("%s read %s; %s write %s PWNED", P, lnk, P, lnk);
	char *out, *r, *w;

	ck_assert(symlink(sec, lnk) == 0);
	e2e_cfg_rw(c, rw);
	out = esc_run_lines(c, NULL);
	r = nth(out, 0);
	w = nth(out, 1);
	esc_verdict(esc_in(r, "ENOENT|EACCES") && esc_in(w, "ENOENT|EROFS|EACCES|EPERM") &&
			    unchanged(sec, SECRET),
		    "%s; %s", out, state(sec, SECRET));
}

static void hardlink_ro_file(void)
{
	char *rw = mkdir_in("rw"), *ro = mkdir_in("ro"), *f = file_in(ro, "file.txt", ORIG);
	char *hl = e2e_strf("%s/hl", rw);
	struct e2e_cfg *c = esc_cfg("%s link %s %s; %s append %s PWNED", P, f, hl, P, hl);
	char *out, *l;

	e2e_cfg_rw(c, rw);
	e2e_cfg_ro(c, ro);
	out = esc_run_lines(c, NULL);
	l = nth(out, 0);
	esc_verdict(esc_in(l, "EXDEV|EPERM|EACCES|EROFS") && unchanged(f, ORIG), "%s; %s", out,
		    state(f, ORIG));
}

static void hardlink_denied_file(void)
{
	char *rw = mkdir_in("rw"), *sec = file_in(rw, "secret.txt", SECRET);
	char *al = e2e_strf("%s/alias", rw);
	struct e2e_cfg *c = esc_cfg("%s link %s %s; %s read %s", P, sec, al, P, al);
	char *out, *l;

	e2e_cfg_rw(c, rw);
	e2e_cfg_deny(c, sec);
	out = esc_run_lines(c, NULL);
	l = nth(out, 0);
	esc_verdict(esc_in(l, "EXDEV|EPERM|EACCES|ENOENT") && !strstr(out, "SECRET") &&
			    unchanged(sec, SECRET),
		    "%s; %s", out, state(sec, SECRET));
}

/* Codex's "symlink replacement attack": swap the protected path for a link to something writable.
 */
static void replace_denied_with_symlink(void)
{
	char *rw = mkdir_in("rw"), *sec = file_in(rw, "secret.txt", SECRET);
	struct e2e_cfg *c = esc_cfg("%s unlink %s; %s rename %s %s/moved; %s symlink /tmp/x %s", P,
				    sec, P, sec, rw, P, sec);
	struct stat st;
	char *out;
	bool regular;

	e2e_cfg_rw(c, rw);
	e2e_cfg_deny(c, sec);
	out = esc_run_lines(c, NULL);
	regular = lstat(sec, &st) == 0 && S_ISREG(st.st_mode);
	esc_verdict(esc_in(nth(out, 0), "EBUSY|EPERM|EACCES|EROFS") &&
			    esc_in(nth(out, 1), "EBUSY|EPERM|EACCES|EROFS|EXDEV") && regular &&
			    unchanged(sec, SECRET),
		    "%s; host path %s, %s", out, regular ? "still a regular file" : "REPLACED",
		    state(sec, SECRET));
}

/* Renaming the directory that holds a denied file moves the protected path on the host. */
static void rename_parent_of_denied(void)
{
	char *rw = mkdir_in("rw"), *sub = mkdir_in("rw/sub"),
	     *sec = file_in(sub, "secret.txt", SECRET);
	struct e2e_cfg *c =
		esc_cfg("%s rename %s %s/sub2; %s read %s/sub2/secret.txt", P, sub, rw, P, rw);
	char *out;

	e2e_cfg_rw(c, rw);
	e2e_cfg_deny(c, sec);
	out = esc_run_lines(c, NULL);
	esc_verdict(!strstr(out, "SECRET") && unchanged(sec, SECRET), "%s; %s", out,
		    unchanged(sec, SECRET) ? "host secret in place"
					   : "HOST SECRET MOVED OR CHANGED");
}

/* ---- path tricks ---- */

static void dotdot_traversal(void)
{
	char *rw = mkdir_in("rw"), *sec = file_in(e2e_root, "secret.txt", SECRET);
	char *out;

	(void)sec;
	struct e2e_cfg *c = esc_cfg("%s read %s/../secret.txt; %s read ../secret.txt", P, rw, P);
	e2e_cfg_rw(c, rw);
	e2e_cfg_cwd(c, rw);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(nth(out, 0), "ENOENT|EACCES") && esc_in(nth(out, 1), "ENOENT|EACCES"),
		    "%s", out);
}

static void magic_root_read(const char *root)
{
	char *rw = mkdir_in("rw"), *sec = file_in(e2e_root, "secret.txt", SECRET);
	struct e2e_cfg *c = esc_cfg("%s read %s%s", P, root, sec);
	char *out;

	e2e_cfg_rw(c, rw);
	out = esc_run_lines(c, NULL);
	esc_expect(out);
}

static void proc_self_root(void)
{
	magic_root_read("/proc/self/root");
}

static void proc_1_root(void)
{
	magic_root_read("/proc/1/root");
}

static void proc_1_cwd(void)
{
	magic_root_read("/proc/1/cwd/../../../../../..");
}

static void openat2_magiclink(void)
{
	char *rw = mkdir_in("rw"), *sec = file_in(e2e_root, "secret.txt", SECRET);
	struct e2e_cfg *c =
		esc_cfg("%s openat2-read /proc/1/root %s 0; %s openat2-read %s ../secret.txt 0", P,
			sec + 1, P, rw);
	char *out;

	e2e_cfg_rw(c, rw);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(nth(out, 0), "ENOENT|EACCES|EPERM|ELOOP|EXDEV") &&
			    esc_in(nth(out, 1), "ENOENT|EACCES|EPERM|ELOOP|EXDEV"),
		    "%s", out);
}

static void reopen_ro_via_proc_fd(void)
{
	char *ro = mkdir_in("ro"), *f = file_in(ro, "file.txt", ORIG);
	struct e2e_cfg *c = esc_cfg("%s reopen-write %s PWNED", P, f);
	char *out;

	e2e_cfg_ro(c, ro);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "EROFS|EACCES|EPERM") && unchanged(f, ORIG), "%s; %s", out,
		    state(f, ORIG));
}

/* ---- special files ---- */

static void mknod_device(const char *type)
{
	char *rw = mkdir_in("rw"), *dev = e2e_strf("%s/dev", rw);
	struct e2e_cfg *c = esc_cfg("%s mknod %s %s; %s mknod /tmp/dev %s", P, dev, type, P, type);
	char *out;

	e2e_cfg_rw(c, rw);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(nth(out, 0), "EPERM|EACCES") && esc_in(nth(out, 1), "EPERM|EACCES") &&
			    !e2e_exists(dev),
		    "%s; %s", out, absent(dev));
}

static void mknod_char_mem(void)
{
	mknod_device("chr-mem");
}

static void mknod_block(void)
{
	mknod_device("blk-sda");
}

static void special_outside(const char *args)
{
	char *ro = mkdir_in("ro"), *f = e2e_strf("%s/special", ro);
	struct e2e_cfg *c = esc_cfg("%s %s %s%s", P, args, f, strcmp(args, "mknod") ? "" : " fifo");
	char *out;

	e2e_cfg_ro(c, ro);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(out, "EROFS|EACCES|EPERM") && !e2e_exists(f), "%s; %s", out, absent(f));
}

static void fifo_outside(void)
{
	special_outside("mknod");
}

static void socket_outside(void)
{
	special_outside("bind-unix");
}

/* ---- denied paths ---- */

#define KEY "-----BEGIN OPENSSH PRIVATE KEY-----fake"

static char *ssh_home(char **ret_key)
{
	char *h = mkdir_in("home"), *ssh = mkdir_in("home/.ssh");

	*ret_key = file_in(ssh, "id_rsa", KEY);
	return h;
}

static void ssh_key_denied_dir(void)
{
	char *key, *h = ssh_home(&key);
	struct e2e_cfg *c = esc_cfg("%s read %s; %s ls %s/.ssh", P, key, P, h);
	char *out;

	e2e_cfg_ro(c, h);
	e2e_cfg_deny(c, e2e_strf("%s/.ssh", h));
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(nth(out, 0), "ENOENT|EACCES") && !strstr(out, "id_rsa") &&
			    !strstr(out, "OPENSSH"),
		    "%s", out);
}

static void ssh_key_denied_file(void)
{
	char *key, *h = ssh_home(&key);
	struct e2e_cfg *c = esc_cfg("%s read %s", P, key);
	char *out;

	e2e_cfg_ro(c, h);
	e2e_cfg_deny(c, key);
	out = esc_run_lines(c, NULL);
	esc_verdict((!strcmp(out, "OK ") || esc_in(out, "ENOENT|EACCES")) &&
			    !strstr(out, "OPENSSH"),
		    "%s", out);
}

static void ssh_key_not_granted(void)
{
	char *key, *h = ssh_home(&key);
	struct e2e_cfg *c = esc_cfg("%s read %s; %s ls %s", P, key, P, h);
	char *out = esc_run_lines(c, NULL);

	esc_verdict(esc_in(nth(out, 0), "ENOENT|EACCES") && !strstr(out, "OPENSSH") &&
			    !strstr(out, ".ssh"),
		    "%s", out);
}

/* ---- the host's processes through /proc ---- */

static void proc_host_environ(void)
{
	char *marker = e2e_unique("MXCESCENV");
	/* The marker is passed in two halves so that the sandbox's own shell does not carry it. */
	struct e2e_cfg *c = esc_cfg("%s proc-grep %.6s %s; %s read /proc/%d/environ", P, marker,
				    marker + 6, P, (int)getpid());
	char *out;

	setenv("MXC_ESCAPE_HOST_SECRET", marker, 1); /* in mxc's and this process's environment */
	out = esc_run_lines(c, NULL);
	esc_verdict(!strncmp(out, "OK found=0 ", 11) &&
			    esc_in(nth(out, 1), "ENOENT|EACCES|ESRCH") && !strstr(out, marker),
		    "%s", out);
}

static void proc_host_cmdline(void)
{
	char *marker = e2e_unique("MXCESCARG");
	struct e2e_cfg *c = esc_cfg("%s proc-grep %.6s %s; %s read /proc/%d/cmdline", P, marker,
				    marker + 6, P, (int)getppid());
	struct e2e_result r;
	char *cfg = e2e_cfg_write(c), *named = e2e_strf("%s/%s.json", e2e_root, marker), *l0, *l1;

	/* The marker is in mxc's own command line (the config path). */
	ck_assert(rename(cfg, named) == 0);
	e2e_run_config(&r, named);
	ck_assert_msg(r.exit_code == 0, "exit %d stderr=[%s]", r.exit_code, r.err_esc);
	l0 = e2e_line(&r, 0);
	l1 = e2e_line(&r, 1);
	esc_verdict(!strncmp(l0, "OK found=0 ", 11) && esc_in(l1, "ENOENT|EACCES|ESRCH"), "%s ; %s",
		    l0, l1);
}

/* ---- /proc/sys, /sys, devices ---- */

static void proc_sys_write(void)
{
	const char *path = "/proc/sys/kernel/core_pattern";
	char *before = e2e_read_file(path, NULL), *out, *after;

	ck_assert(before);
	before[strcspn(before, "\n")] = '\0';
	/* Writing the current value back: harmless if it ever succeeds. */
	out = esc_probe1("write %s '%s'", path, before);
	after = e2e_read_file(path, NULL);
	after[strcspn(after, "\n")] = '\0';
	esc_verdict(esc_in(out, "EROFS|EACCES|EPERM|ENOENT") && !strcmp(before, after),
		    "%s; host value %s", out, strcmp(before, after) ? "CHANGED" : "unchanged");
}

static void cgroup_release_agent(void)
{
	/* CVE-2022-0492: a writable cgroup v1 release_agent runs a program on the host. */
	char *out = esc_probe1("write /sys/fs/cgroup/memory/release_agent /tmp/x");

	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM"), "%s", out);
}

static void sys_write(void)
{
	char *out = esc_probe1("write /sys/kernel/uevent_helper /tmp/x");

	esc_verdict(esc_in(out, "ENOENT|EROFS|EACCES|EPERM"), "%s", out);
}

/* ---- mounts and root changes ---- */

static void remount_ro_bind_rw(void)
{
	char *ro = mkdir_in("ro"), *f = file_in(ro, "file.txt", ORIG);
	struct e2e_cfg *c = esc_cfg("%s remount-rw %s; %s write %s PWNED", P, ro, P, f);
	char *out;

	e2e_cfg_ro(c, ro);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(nth(out, 0), "EPERM|EACCES") && unchanged(f, ORIG), "%s; %s", out,
		    state(f, ORIG));
}

static void mount_setattr_rw(void)
{
	char *ro = mkdir_in("ro"), *f = file_in(ro, "file.txt", ORIG);
	struct e2e_cfg *c = esc_cfg("%s mount-setattr-rw %s; %s write %s PWNED", P, ro, P, f);
	char *out;

	e2e_cfg_ro(c, ro);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(nth(out, 0), "EPERM|EACCES") && unchanged(f, ORIG), "%s; %s", out,
		    state(f, ORIG));
}

static void umount_mask(void)
{
	char *rw = mkdir_in("rw"), *sec = file_in(rw, "secret.txt", SECRET);
	struct e2e_cfg *c = esc_cfg("%s umount %s; %s read %s", P, sec, P, sec);
	char *out;

	e2e_cfg_rw(c, rw);
	e2e_cfg_deny(c, sec);
	out = esc_run_lines(c, NULL);
	esc_verdict(esc_in(nth(out, 0), "EPERM|EACCES|EINVAL") && !strstr(out, "SECRET"), "%s",
		    out);
}

const struct esc_attack esc_fs_attacks[] = {
	{"write_ro_file", "filesystem", "EROFS/EACCES/EPERM; host bytes unchanged",
	 write_ro_existing},
	{"create_outside_roots", "filesystem", "ENOENT/EROFS/EACCES/EPERM; no host file",
	 create_outside_roots},
	{"create_in_ro_dir", "filesystem", "EROFS/EACCES/EPERM; no host file", create_in_ro_dir},
	{"write_parent_of_rw", "filesystem", "ENOENT/EROFS/EACCES/EPERM; no host file",
	 write_parent_of_rw},
	{"host_tmp_file", "filesystem", "read ENOENT (private /tmp); host file unchanged",
	 host_tmp_file},
	{"bashrc_outside_grant", "filesystem", "ENOENT/EROFS/EACCES/EPERM; ~/.bashrc unchanged",
	 bashrc_outside},
	{"profile_new_outside_grant", "filesystem", "ENOENT/EROFS/EACCES/EPERM; no ~/.profile",
	 profile_new_outside},
	{"git_hooks_outside_grant", "filesystem", "ENOENT/EROFS/EACCES/EPERM; no hook",
	 git_hooks_outside},
	{"git_config_outside_grant", "filesystem",
	 "ENOENT/EROFS/EACCES/EPERM; .git/config unchanged", git_config_outside},
	{"symlink_created_to_host", "filesystem",
	 "write ENOENT/EROFS/EACCES, read ENOENT/EACCES; host unchanged", symlink_created_out},
	{"symlink_planted_to_host", "filesystem",
	 "read ENOENT/EACCES, write ENOENT/EROFS/EACCES; host unchanged", symlink_planted_out},
	{"hardlink_ro_file_then_write", "filesystem",
	 "link EXDEV/EPERM/EACCES/EROFS; host unchanged", hardlink_ro_file},
	{"hardlink_denied_file", "filesystem",
	 "link EXDEV/EPERM/EACCES; secret unread and unchanged", hardlink_denied_file},
	{"replace_denied_with_symlink", "filesystem",
	 "unlink/rename EBUSY/EPERM; host path still the file", replace_denied_with_symlink},
	{"rename_parent_of_denied", "filesystem", "secret unread; host secret stays at its path",
	 rename_parent_of_denied},
	{"dotdot_traversal", "filesystem", "ENOENT/EACCES", dotdot_traversal},
	{"proc_self_root", "filesystem", "ENOENT|EACCES", proc_self_root},
	{"proc_1_root", "filesystem", "ENOENT|EACCES|EPERM", proc_1_root},
	{"proc_1_cwd", "filesystem", "ENOENT|EACCES|EPERM", proc_1_cwd},
	{"openat2_magiclink", "filesystem", "ENOENT/EACCES/EPERM/ELOOP/EXDEV", openat2_magiclink},
	{"reopen_ro_via_proc_fd", "filesystem", "EROFS/EACCES/EPERM; host unchanged",
	 reopen_ro_via_proc_fd},
	{"mknod_char_mem", "filesystem", "EPERM/EACCES (rw dir and /tmp); no host node",
	 mknod_char_mem},
	{"mknod_block_dev", "filesystem", "EPERM/EACCES (rw dir and /tmp); no host node",
	 mknod_block},
	{"mkfifo_outside_roots", "filesystem", "EROFS/EACCES/EPERM; no host fifo", fifo_outside},
	{"unix_socket_outside_roots", "filesystem", "EROFS/EACCES/EPERM; no host socket",
	 socket_outside},
	{"read_ssh_key_denied_dir", "filesystem", "ENOENT/EACCES; key and listing hidden",
	 ssh_key_denied_dir},
	{"read_ssh_key_denied_file", "filesystem", "empty (masked) or ENOENT/EACCES",
	 ssh_key_denied_file},
	{"read_ssh_key_not_granted", "filesystem", "ENOENT/EACCES", ssh_key_not_granted},
	{"proc_host_environ", "filesystem", "no host environ visible (found=0; ENOENT)",
	 proc_host_environ},
	{"proc_host_cmdline", "filesystem", "no host cmdline visible (found=0; ENOENT)",
	 proc_host_cmdline},
	{"proc_sys_core_pattern", "filesystem", "EROFS/EACCES/EPERM; host value unchanged",
	 proc_sys_write},
	{"cgroup_release_agent", "filesystem", "ENOENT/EROFS/EACCES/EPERM", cgroup_release_agent},
	{"sys_uevent_helper", "filesystem", "ENOENT/EROFS/EACCES/EPERM", sys_write},
	{"read_dev_mem", "filesystem", "ENOENT|EACCES|EPERM", NULL, "read /dev/mem"},
	{"read_proc_kcore", "filesystem", "ENOENT|EACCES|EPERM", NULL, "read /proc/kcore"},
	{"read_proc_kmsg", "filesystem", "ENOENT|EACCES|EPERM", NULL, "read /proc/kmsg"},
	{"mount_tmpfs", "filesystem", "EPERM|EACCES", NULL, "mount-tmpfs /tmp"},
	{"mount_new_api_fsopen", "filesystem", "EPERM|EACCES", NULL, "fsopen tmpfs"},
	{"open_tree_clone_root", "filesystem", "EPERM|EACCES", NULL, "open-tree /"},
	{"remount_ro_bind_rw", "filesystem", "EPERM/EACCES; host unchanged", remount_ro_bind_rw},
	{"mount_setattr_clear_ro", "filesystem", "EPERM/EACCES; host unchanged", mount_setattr_rw},
	{"umount_denied_mask", "filesystem", "EPERM/EACCES/EINVAL; secret unread", umount_mask},
	{"chroot", "filesystem", "EPERM|EACCES", NULL, "chroot /tmp"},
	{"pivot_root", "filesystem", "EPERM|EACCES", NULL, "pivot-root /tmp /tmp"},
	{NULL},
};
