/* SPDX-License-Identifier: MIT */
/* e2e: filesystem policy (mxc-config.md §5; the CLI contract's sandbox contents). */
#include "e2e-util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A write to a masked or read-only object must fail with one of these. */
static bool is_write_denial(const char *line)
{
	return !strcmp(line, "EROFS") || !strcmp(line, "EACCES") || !strcmp(line, "EPERM");
}

#define assert_line(r, i, expect)                                                                  \
	do {                                                                                       \
		char *l_ = e2e_line((r), (i));                                                     \
		ck_assert_msg(!strcmp(l_, (expect)),                                               \
			      "line %d: [%s], expected [%s]; stdout=[%s] stderr=[%s]", (i), l_,    \
			      e2e_esc(expect), (r)->out_esc, (r)->err_esc);                        \
		free(l_);                                                                          \
	} while (0)

#define assert_line_denied(r, i)                                                                   \
	do {                                                                                       \
		char *l_ = e2e_line((r), (i));                                                     \
		ck_assert_msg(is_write_denial(l_),                                                 \
			      "line %d: [%s], expected a write denial; stdout=[%s] stderr=[%s]",   \
			      (i), l_, (r)->out_esc, (r)->err_esc);                                \
		free(l_);                                                                          \
	} while (0)

/* A denied file on bubblewrap is upstream's --ro-bind /dev/null, a nodev bind: opening it fails
 * with EACCES. The namespace backend's mask reads empty and discards writes (docs/backends.md). */
#define MASKED(ns_expect) (e2e_backend_is("bubblewrap") ? "EACCES" : (ns_expect))

#define assert_ok_exit(r)                                                                          \
	ck_assert_msg((r)->exit_code == 0, "exit %d; stdout=[%s] stderr=[%s]", (r)->exit_code,     \
		      (r)->out_esc, (r)->err_esc)

/* Creates e2e_root/NAME as a directory and returns its path. */
static char *mkfix(const char *name)
{
	char *p = e2e_path(name);

	e2e_mkdir(p);
	return p;
}

static char *fix_file(const char *dir, const char *name, const char *content)
{
	char *p = e2e_strf("%s/%s", dir, name);

	e2e_write_file(p, content);
	return p;
}

static void assert_host_file(const char *path, const char *expect)
{
	char *s = e2e_read_file(path, NULL);

	ck_assert_msg(s, "host file %s missing", path);
	ck_assert_msg(!strcmp(s, expect), "host file %s is [%s], expected [%s]", path, s, expect);
	free(s);
}

static void run_cfg(struct e2e_result *r, struct e2e_cfg *c)
{
	char *cfg = e2e_cfg_write(c);

	e2e_run_config(r, cfg);
	free(cfg);
}

START_TEST(fs_readwrite_grant)
{
	char *d = mkfix("rw");
	char *P = e2e_probe;
	struct e2e_result r;

	fix_file(d, "f.txt", "RW-CONTENT");
	fix_file(d, "del.txt", "x");
	char *cmd =
		e2e_strf("%s read %s/f.txt; %s write %s/new.txt hello; %s append %s/f.txt +more; "
			 "%s mkdir %s/sub; %s unlink %s/del.txt",
			 P, d, P, d, P, d, P, d, P, d);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, d);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "OK RW-CONTENT\nOK\nOK\nOK\nOK\n");
	assert_host_file(e2e_strf("%s/new.txt", d), "hello");
	assert_host_file(e2e_strf("%s/f.txt", d), "RW-CONTENT+more");
	ck_assert(e2e_exists(e2e_strf("%s/sub", d)));
	ck_assert(!e2e_exists(e2e_strf("%s/del.txt", d)));
}
END_TEST

START_TEST(fs_readonly_grant)
{
	char *d = mkfix("ro");
	char *P = e2e_probe;
	struct e2e_result r;

	fix_file(d, "f.txt", "RO-CONTENT");
	char *cmd = e2e_strf("%s read %s/f.txt; %s write %s/new.txt x; %s append %s/f.txt x; "
			     "%s mkdir %s/sub; %s unlink %s/f.txt",
			     P, d, P, d, P, d, P, d, P, d);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_ro(c, d);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "OK RO-CONTENT\nEROFS\nEROFS\nEROFS\nEROFS\n");
	assert_host_file(e2e_strf("%s/f.txt", d), "RO-CONTENT");
	ck_assert(!e2e_exists(e2e_strf("%s/new.txt", d)));
	ck_assert(!e2e_exists(e2e_strf("%s/sub", d)));
}
END_TEST

START_TEST(fs_ungranted_invisible)
{
	char *d = mkfix("hidden");
	char *P = e2e_probe;
	struct e2e_result r;

	fix_file(d, "f.txt", "HIDDEN");
	/* The config file itself sits in e2e_root, which is not granted (only e2e_root/bin is). */
	char *cmd = e2e_strf("%s stat %s; %s read %s/f.txt; %s ls %s", P, d, P, d, P, e2e_root);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	run_cfg(&r, c);
	assert_ok_exit(&r);
	assert_line(&r, 0, "ENOENT");
	assert_line(&r, 1, "ENOENT");
	/* Only the mount point leading to the granted bin dir may be visible. */
	assert_line(&r, 2, "OK bin");
}
END_TEST

START_TEST(fs_denied_file_in_rw_dir)
{
	char *d = mkfix("rw");
	char *P = e2e_probe;
	struct e2e_result r;

	char *secret = fix_file(d, "secret.txt", "FILE_SECRET");
	fix_file(d, "visible.txt", "VISIBLE");
	char *cmd = e2e_strf("%s read %s; %s write %s leak; %s append %s leak; %s read "
			     "%s/visible.txt; %s stat %s",
			     P, secret, P, secret, P, secret, P, d, P, secret);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, d);
	e2e_cfg_deny(c, secret);
	run_cfg(&r, c);
	assert_ok_exit(&r);
	assert_line(&r, 0, MASKED("OK "));
	/* A masked file is /dev/null (as upstream): writes are accepted and discarded. */
	assert_line(&r, 1, MASKED("OK"));
	assert_line(&r, 2, MASKED("OK"));
	assert_line(&r, 3, "OK VISIBLE");
	char *st = e2e_line(&r, 4);
	ck_assert_msg(!strncmp(st, "OK ", 3) && strncmp(st, "OK dir", 6),
		      "masked file must not become a dir: %s", st);
	assert_host_file(secret, "FILE_SECRET");
}
END_TEST

START_TEST(fs_denied_dir_in_rw_dir)
{
	char *d = mkfix("rw");
	char *P = e2e_probe;
	struct e2e_result r;

	char *sd = e2e_strf("%s/secret_dir", d);
	e2e_mkdir(sd);
	fix_file(sd, "a.txt", "DIR_SECRET");
	char *cmd = e2e_strf(
		"%s ls %s; %s read %s/a.txt; %s write %s/new.txt x; %s mkdir %s/sub; %s stat %s", P,
		sd, P, sd, P, sd, P, sd, P, sd);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, d);
	e2e_cfg_deny(c, sd);
	run_cfg(&r, c);
	assert_ok_exit(&r);
	assert_line(&r, 0, "OK");
	assert_line(&r, 1, "ENOENT");
	assert_line_denied(&r, 2);
	assert_line_denied(&r, 3);
	char *st = e2e_line(&r, 4);
	ck_assert_msg(!strncmp(st, "OK dir", 6), "masked dir must stay a dir: %s", st);
	assert_host_file(e2e_strf("%s/a.txt", sd), "DIR_SECRET");
	ck_assert_str_eq(e2e_ls(sd), "a.txt");
}
END_TEST

START_TEST(fs_denied_baseline_file)
{
	char *P = e2e_probe;
	struct e2e_result r;
	char *host = e2e_read_file("/etc/passwd", NULL);

	ck_assert(host && *host);
	char *cmd = e2e_strf("%s read /etc/passwd; %s write /etc/passwd x; %s read /etc/passwd; %s "
			     "stat /etc/group",
			     P, P, P, P);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_deny(c, "/etc/passwd");
	run_cfg(&r, c);
	assert_ok_exit(&r);
	assert_line(&r, 0, MASKED("OK "));
	/* Masked with /dev/null: the write is discarded, the file still reads empty. */
	assert_line(&r, 1, MASKED("OK"));
	assert_line(&r, 2, MASKED("OK "));
	char *st = e2e_line(&r, 3);
	ck_assert_msg(!strncmp(st, "OK file", 7), "/etc/group must stay visible: %s", st);
}
END_TEST

START_TEST(fs_deepest_rw_under_denied_parent)
{
	char *d = mkfix("data");
	char *P = e2e_probe;
	struct e2e_result r;

	char *sub = e2e_strf("%s/secrets", d);
	e2e_mkdir(sub);
	fix_file(sub, "key.txt", "KEEP");
	fix_file(d, "other.txt", "PARENT_SECRET");
	char *cmd = e2e_strf("%s read %s/key.txt; %s write %s/new.txt deep; %s read %s/other.txt; "
			     "%s write %s/x y",
			     P, sub, P, sub, P, d, P, d);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_deny(c, d);
	e2e_cfg_rw(c, sub);
	run_cfg(&r, c);
	assert_ok_exit(&r);
	assert_line(&r, 0, "OK KEEP");
	assert_line(&r, 1, "OK");
	assert_line(&r, 2, "ENOENT");
	assert_line_denied(&r, 3);
	assert_host_file(e2e_strf("%s/new.txt", sub), "deep");
	ck_assert(!e2e_exists(e2e_strf("%s/x", d)));
}
END_TEST

START_TEST(fs_deepest_denied_under_rw_parent)
{
	char *d = mkfix("proj");
	char *P = e2e_probe;
	struct e2e_result r;

	fix_file(d, "notes.txt", "PROJ_NOTES");
	char *env = fix_file(d, ".env", "TOKEN=hunter2");
	char *sd = e2e_strf("%s/secrets", d);
	e2e_mkdir(sd);
	fix_file(sd, "key.txt", "DEEP_SECRET");
	char *cmd = e2e_strf("%s read %s/notes.txt; %s write %s/written.txt w; %s ls %s; %s read "
			     "%s/key.txt; %s read %s",
			     P, d, P, d, P, sd, P, sd, P, env);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, d);
	e2e_cfg_deny(c, sd);
	e2e_cfg_deny(c, env);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, e2e_strf("OK PROJ_NOTES\nOK\nOK\nENOENT\n%s\n", MASKED("OK ")));
	assert_host_file(e2e_strf("%s/written.txt", d), "w");
	assert_host_file(env, "TOKEN=hunter2");
}
END_TEST

START_TEST(fs_deepest_ro_rw_nesting)
{
	char *q = mkfix("q");
	char *s = mkfix("s");
	char *P = e2e_probe;
	struct e2e_result r;

	char *qout = e2e_strf("%s/out", q);
	char *slib = e2e_strf("%s/lib", s);
	e2e_mkdir(qout);
	e2e_mkdir(slib);
	char *cmd = e2e_strf("%s write %s/x 1; %s write %s/x 2; %s write %s/x 3; %s write %s/x 4",
			     P, qout, P, q, P, s, P, slib);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_ro(c, q);
	e2e_cfg_rw(c, qout);
	e2e_cfg_rw(c, s);
	e2e_cfg_ro(c, slib);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "OK\nEROFS\nOK\nEROFS\n");
	assert_host_file(e2e_strf("%s/x", qout), "1");
	assert_host_file(e2e_strf("%s/x", s), "3");
}
END_TEST

START_TEST(fs_same_path_rw_and_ro)
{
	char *d = mkfix("both");
	char *P = e2e_probe;
	struct e2e_result r;

	fix_file(d, "f.txt", "BOTH");
	char *cmd = e2e_strf("%s read %s/f.txt; %s write %s/new x", P, d, P, d);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, d);
	e2e_cfg_ro(c, d);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "OK BOTH\nEROFS\n");
	ck_assert(!e2e_exists(e2e_strf("%s/new", d)));
}
END_TEST

START_TEST(fs_same_path_with_denied)
{
	/* Under a read-write parent, so that the masked objects are visible as such. */
	char *top = mkfix("top");
	char *a = e2e_strf("%s/rw_denied", top);
	char *b = e2e_strf("%s/ro_denied", top);
	char *t = e2e_strf("%s/all_three", top);
	char *P = e2e_probe;
	struct e2e_result r;

	e2e_mkdir(a);
	e2e_mkdir(b);
	e2e_mkdir(t);
	fix_file(a, "f.txt", "A");
	fix_file(b, "f.txt", "B");
	fix_file(t, "f.txt", "T");
	char *file = fix_file(top, "file_rw_denied.txt", "F");
	char *cmd = e2e_strf("%s ls %s; %s ls %s; %s ls %s; %s read %s; %s write %s/f.txt x", P, a,
			     P, b, P, t, P, file, P, a);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, top);
	e2e_cfg_rw(c, a);
	e2e_cfg_deny(c, a);
	e2e_cfg_ro(c, b);
	e2e_cfg_deny(c, b);
	e2e_cfg_deny(c, t);
	e2e_cfg_ro(c, t);
	e2e_cfg_rw(c, t);
	e2e_cfg_rw(c, file);
	e2e_cfg_deny(c, file);
	run_cfg(&r, c);
	assert_ok_exit(&r);
	assert_line(&r, 0, "OK");
	assert_line(&r, 1, "OK");
	assert_line(&r, 2, "OK");
	assert_line(&r, 3, MASKED("OK "));
	assert_line_denied(&r, 4);
	assert_host_file(file, "F");
	assert_host_file(e2e_strf("%s/f.txt", a), "A");
}
END_TEST

START_TEST(fs_denied_symlink_to_file)
{
	char *d = mkfix("rw");
	char *P = e2e_probe;
	struct e2e_result r;

	char *real = fix_file(d, "real.txt", "REAL_SECRET");
	char *link = e2e_strf("%s/link.txt", d);
	ck_assert(symlink("real.txt", link) == 0);
	char *cmd = e2e_strf("%s read %s; %s read %s; %s write %s x", P, link, P, real, P, real);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, d);
	e2e_cfg_deny(c, link);
	run_cfg(&r, c);
	assert_ok_exit(&r);
	assert_line(&r, 0, MASKED("OK "));
	assert_line(&r, 1, MASKED("OK "));
	assert_line(&r, 2, MASKED("OK")); /* discarded by /dev/null */
	assert_host_file(real, "REAL_SECRET");
	char target[64] = {0};
	ck_assert(readlink(link, target, sizeof(target) - 1) > 0);
	ck_assert_str_eq(target, "real.txt");
}
END_TEST

START_TEST(fs_denied_symlink_to_dir)
{
	char *d = mkfix("rw");
	char *P = e2e_probe;
	struct e2e_result r;

	char *real = e2e_strf("%s/realdir", d);
	e2e_mkdir(real);
	fix_file(real, "a.txt", "DIR_SECRET");
	char *link = e2e_strf("%s/linkdir", d);
	ck_assert(symlink("realdir", link) == 0);
	char *cmd = e2e_strf("%s ls %s/; %s ls %s; %s read %s/a.txt", P, link, P, real, P, real);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_rw(c, d);
	e2e_cfg_deny(c, link);
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "OK\nOK\nENOENT\n");
	assert_host_file(e2e_strf("%s/a.txt", real), "DIR_SECRET");
}
END_TEST

static void missing_grant(bool rw)
{
	char *missing = e2e_path("does-not-exist-grant");
	struct e2e_result r;
	struct e2e_cfg *c = e2e_cfg_new("echo SHOULD_NOT_RUN");

	if (rw)
		e2e_cfg_rw(c, missing);
	else
		e2e_cfg_ro(c, missing);
	run_cfg(&r, c);
	e2e_assert_backend_error(&r);
	ck_assert_msg(strstr(r.err, missing), "stderr does not name '%s': [%s]", missing,
		      r.err_esc);
	ck_assert_msg(!strstr(r.out, "SHOULD_NOT_RUN"), "workload ran: [%s]", r.out_esc);
	ck_assert(!e2e_exists(missing));
}

START_TEST(fs_missing_readwrite_path)
{
	missing_grant(true);
}
END_TEST

START_TEST(fs_missing_readonly_path)
{
	missing_grant(false);
}
END_TEST

START_TEST(fs_missing_denied_path)
{
	char *d = mkfix("rw");
	char *missing = e2e_strf("%s/no-such-denied", d);
	struct e2e_result r;
	struct e2e_cfg *c = e2e_cfg_new("echo ran");

	e2e_cfg_rw(c, d);
	e2e_cfg_deny(c, missing);
	e2e_cfg_deny(c, "/no/such/denied/path");
	run_cfg(&r, c);
	e2e_assert_out(&r, 0, "ran\n");
	ck_assert(!e2e_exists(missing));
}
END_TEST

START_TEST(fs_baseline_visible_readonly)
{
	char *P = e2e_probe;
	struct e2e_result r;
	char *cmd = e2e_strf(
		"%s read /etc/hostname; %s write /usr/bin/mxc-e2e-x x; %s write /etc/mxc-e2e-x x; "
		"%s stat /bin; %s readlink /bin; %s stat /usr/bin/sh; %s mkdir /usr/lib/mxc-e2e-x; "
		"%s stat /lib",
		P, P, P, P, P, P, P, P);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	char *host_hostname = e2e_read_file("/etc/hostname", NULL);
	run_cfg(&r, c);
	assert_ok_exit(&r);
	char *l0 = e2e_line(&r, 0);
	ck_assert_msg(!strncmp(l0, "OK ", 3), "/etc/hostname not readable: %s", l0);
	if (host_hostname && *host_hostname)
		ck_assert_msg(strlen(l0) > 3, "/etc/hostname is empty inside: %s", l0);
	assert_line(&r, 1, "EROFS");
	assert_line(&r, 2, "EROFS");
	if (e2e_backend_is("bubblewrap")) {
		/* Upstream's --ro-bind-try /bin /bin binds the symlink's target: a directory. */
		ck_assert_msg(!strncmp(e2e_line(&r, 3), "OK dir", 6), "/bin: %s", e2e_line(&r, 3));
		ck_assert_msg(!strncmp(e2e_line(&r, 7), "OK dir", 6), "/lib: %s", e2e_line(&r, 7));
		assert_line(&r, 6, "EROFS");
		return;
	}
	char *l3 = e2e_line(&r, 3);
	ck_assert_msg(!strncmp(l3, "OK symlink", 10), "/bin should be a symlink: %s", l3);
	assert_line(&r, 4, "OK usr/bin");
	char *l5 = e2e_line(&r, 5);
	ck_assert_msg(!strncmp(l5, "OK ", 3), "/usr/bin/sh missing: %s", l5);
	assert_line(&r, 6, "EROFS");
	char *l7 = e2e_line(&r, 7);
	ck_assert_msg(!strncmp(l7, "OK symlink", 10), "/lib should be a symlink: %s", l7);
	ck_assert(!e2e_exists("/usr/bin/mxc-e2e-x"));
	ck_assert(!e2e_exists("/etc/mxc-e2e-x"));
}
END_TEST

START_TEST(fs_host_private_paths_invisible)
{
	static const char *const paths[] = {"/home",	  "/root", "/var/lib", "/opt",
					    "/usr/local", "/sys",  NULL};
	char *P = e2e_probe;
	char *cmd = strdup("true");
	struct e2e_result r;
	char *expect = strdup("");

	for (size_t i = 0; paths[i]; i++) {
		char *n = e2e_strf("%s; %s stat %s", cmd, P, paths[i]);
		char *e = e2e_strf("%sENOENT\n", expect);
		free(cmd);
		free(expect);
		cmd = n;
		expect = e;
	}
	run_cfg(&r, e2e_cfg_new(cmd));
	e2e_assert_out(&r, 0, expect);

	/* /var holds only the /var/run -> /run link upstream's bubblewrap backend creates. */
	run_cfg(&r, e2e_cfg_new(e2e_strf("%s ls /var; %s readlink /var/run", P, P)));
	e2e_assert_out(&r, 0, "OK run\nOK /run\n");
}
END_TEST

START_TEST(fs_dev_minimal)
{
	static const char *const required[] = {"null", "zero", "full", "random", "urandom",
					       "tty",  "pts",  "ptmx", "shm",	 NULL};
	/* Also tolerated: the standard symlinks and mountpoints a minimal /dev usually has. */
	static const char *const tolerated[] = {"fd",	"stdin",   "stdout", "stderr",
						"core", "console", "mqueue", NULL};
	char *P = e2e_probe;
	struct e2e_result r;
	char *cmd = e2e_strf(
		"%s ls /dev; %s write /dev/null x; %s write /dev/full x; %s stat /dev/null", P, P,
		P, P);

	run_cfg(&r, e2e_cfg_new(cmd));
	assert_ok_exit(&r);
	char *ls = e2e_line(&r, 0);
	ck_assert_msg(!strncmp(ls, "OK", 2), "ls /dev: %s", ls);
	char *names = strdup(ls + 2);
	for (size_t i = 0; required[i]; i++) {
		char *needle = e2e_strf(" %s ", required[i]);
		char *hay = e2e_strf("%s ", ls + 2);
		ck_assert_msg(strstr(hay, needle), "/dev/%s missing inside: %s", required[i], ls);
	}
	for (char *save = NULL, *t = strtok_r(names, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		bool ok = false;
		for (size_t i = 0; required[i] && !ok; i++)
			ok = !strcmp(t, required[i]);
		for (size_t i = 0; tolerated[i] && !ok; i++)
			ok = !strcmp(t, tolerated[i]);
		ck_assert_msg(ok, "unexpected /dev/%s inside the sandbox: %s", t, ls);
	}
	assert_line(&r, 1, "OK");
	assert_line(&r, 2, "ENOSPC");
	char *st = e2e_line(&r, 3);
	ck_assert_msg(!strncmp(st, "OK chr", 6), "/dev/null is not a char device: %s", st);
}
END_TEST

START_TEST(fs_tmp_private_and_writable)
{
	char *u = e2e_unique("mxc-e2e-hostmark-");
	char *hostfile = e2e_strf("/tmp/%s", u);
	char *inside = e2e_unique("mxc-e2e-inside-");
	struct e2e_result r;

	e2e_write_file(hostfile, "HOST");
	char *cmd =
		e2e_strf("ls -A /tmp; test -e %s && echo LEAK; echo data > /tmp/%s && cat /tmp/%s; "
			 "mkdir /tmp/d && echo ok > /tmp/d/f && cat /tmp/d/f",
			 hostfile, inside, inside);
	struct e2e_cfg *c = e2e_cfg_new(cmd);
	e2e_cfg_no_probe(c);
	run_cfg(&r, c);
	unlink(hostfile);
	e2e_assert_out(&r, 0, "data\nok\n");
	char *hostinside = e2e_strf("/tmp/%s", inside);
	ck_assert_msg(!e2e_exists(hostinside), "sandbox /tmp write leaked to host %s", hostinside);
}
END_TEST

Suite *e2e_fs_suite(void)
{
	Suite *s = suite_create("e2e-fs");
	TCase *tc = tcase_create("fs");

	e2e_tcase_std(tc, 30);
	tcase_add_test(tc, fs_readwrite_grant);
	tcase_add_test(tc, fs_readonly_grant);
	tcase_add_test(tc, fs_ungranted_invisible);
	tcase_add_test(tc, fs_denied_file_in_rw_dir);
	tcase_add_test(tc, fs_denied_dir_in_rw_dir);
	tcase_add_test(tc, fs_denied_baseline_file);
	tcase_add_test(tc, fs_deepest_rw_under_denied_parent);
	tcase_add_test(tc, fs_deepest_denied_under_rw_parent);
	tcase_add_test(tc, fs_deepest_ro_rw_nesting);
	tcase_add_test(tc, fs_same_path_rw_and_ro);
	tcase_add_test(tc, fs_same_path_with_denied);
	tcase_add_test(tc, fs_denied_symlink_to_file);
	tcase_add_test(tc, fs_denied_symlink_to_dir);
	tcase_add_test(tc, fs_missing_readwrite_path);
	tcase_add_test(tc, fs_missing_readonly_path);
	tcase_add_test(tc, fs_missing_denied_path);
	tcase_add_test(tc, fs_baseline_visible_readonly);
	tcase_add_test(tc, fs_host_private_paths_invisible);
	tcase_add_test(tc, fs_dev_minimal);
	tcase_add_test(tc, fs_tmp_private_and_writable);
	suite_add_tcase(s, tc);
	return s;
}
