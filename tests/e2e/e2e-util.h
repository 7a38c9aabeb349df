/* SPDX-License-Identifier: MIT */
/* Helpers for the mxc end-to-end tests: fixtures, config writing, running the CLI. */
#pragma once

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>

/* Result of one CLI run. Buffers are NUL-terminated (the NUL is not counted). */
struct e2e_result {
	int status;    /* raw wait status */
	int exit_code; /* WEXITSTATUS, or 128+signo if mxc itself died of a signal */
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
	double secs;   /* wall-clock duration */
	char *out_esc; /* out/err with control bytes escaped, for one-line failure messages */
	char *err_esc;
};

struct e2e_run_opts {
	const char *stdin_data; /* NULL: stdin is /dev/null */
	size_t stdin_len;
	const char *cwd;	      /* chdir() before exec; NULL: the fixture root */
	const char *const *extra_env; /* "K=V" added to the (inherited) environment */
	int kill_after_ms;	      /* safety: SIGKILL mxc after this long (default 60 s) */
	/* Called in the parent after the start; may signal pid. */
	void (*on_started)(pid_t pid, void *userdata);
	void *userdata;
};

/* Set by the fixture, valid during a test. */
extern char *e2e_root;	/* fresh mkdtemp dir under $MXC_E2E_RUN_DIR (or /tmp), removed afterwards */
extern char *e2e_probe; /* path of the probe copied under e2e_root/bin */
extern const char *e2e_mxc; /* $MXC_BIN */

/* Checked fixture: creates e2e_root, copies the probe. */
void e2e_setup(void);
void e2e_teardown(void);

/* rm -rf (does not cross mount points). */
void e2e_rm_rf(const char *path);

/* Add the standard fixture to a tcase with the given timeout (seconds). */
void e2e_tcase_std(TCase *tc, double timeout);

/* printf into a malloc'd string (aborts on OOM). */
char *e2e_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* e2e_root + "/" + rel. */
char *e2e_path(const char *rel);

/* Host fixture helpers; they ck_assert on failure. */
void e2e_mkdir(const char *path);
void e2e_write_file(const char *path, const char *data);
void e2e_write_bytes(const char *path, const void *data, size_t len);
/* Reads a host file; returns NULL if it doesn't exist. */
char *e2e_read_file(const char *path, size_t *ret_len);
/* The probe's \xHH escapes undone (malloc'd), except NUL (kept as \x00). */
char *e2e_unescape(const char *s);
/* Is word one of the '|'-separated words of bar_list? */
bool e2e_in_list(const char *word, const char *bar_list);
bool e2e_exists(const char *path);
off_t e2e_file_size(const char *path);

/*
 * Config builder. The version defaults to 0.8.0-alpha; the probe directory is
 * granted read-only unless cfg->no_probe is set.
 */
struct e2e_cfg;
/* The backend under test: $MXC_E2E_CONTAINMENT, written into every config
 * e2e_cfg_new() makes ("" = omitted: mxc's namespace backend). */
const char *e2e_backend(void);
/* Is the backend under test `containment` ("namespaces" also matches omitted/"process")?
 * For the differences between backends that are intended (docs/backends.md). */
bool e2e_backend_is(const char *containment);
struct e2e_cfg *e2e_cfg_new(const char *command_line);
void e2e_cfg_version(struct e2e_cfg *c, const char *version); /* NULL: omit */
void e2e_cfg_no_probe(struct e2e_cfg *c);
void e2e_cfg_rw(struct e2e_cfg *c, const char *path);
void e2e_cfg_ro(struct e2e_cfg *c, const char *path);
void e2e_cfg_deny(struct e2e_cfg *c, const char *path);
void e2e_cfg_env(struct e2e_cfg *c, const char *entry);
void e2e_cfg_cwd(struct e2e_cfg *c, const char *cwd);
void e2e_cfg_timeout(struct e2e_cfg *c, long ms);
/* network: "allow"/"block" defaultPolicy; local: -1 omit, 0/1 allowLocalNetwork. */
void e2e_cfg_network(struct e2e_cfg *c, const char *default_policy, int allow_local);
/* Sets a top-level key to a JSON value given as text (e.g. "containment", "\"namespaces\""). */
void e2e_cfg_set_json(struct e2e_cfg *c, const char *key, const char *json_text);
/* Returns the JSON text (malloc'd). */
char *e2e_cfg_dump(struct e2e_cfg *c);
/* Writes the config under e2e_root, frees c, returns its path. */
char *e2e_cfg_write(struct e2e_cfg *c);
/* Writes raw text as a config file; returns its path. */
char *e2e_write_config_text(const char *text);

/* Runs "$MXC_BIN args..." (NULL-terminated). */
void e2e_run(struct e2e_result *r, const struct e2e_run_opts *opts, ...) __attribute__((sentinel));
void e2e_runv(struct e2e_result *r, const struct e2e_run_opts *opts, const char *const *args);
/* Convenience: "mxc run CONFIG". */
void e2e_run_config(struct e2e_result *r, const char *config_path);
void e2e_result_free(struct e2e_result *r);

/* Probe command-line fragment: "<probe> ARGS" (args are pasted verbatim). */
char *e2e_probe_cmd(const char *args_fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse the error envelope: the last non-empty stderr line must be a JSON object
 * {"error":{"code":..,"message":..}} preceded by at least one other non-empty line.
 * Asserts the shape and fills code/message (malloc'd).
 */
void e2e_assert_envelope(const struct e2e_result *r, char **ret_code, char **ret_message);

/* Asserts exit == 255 with an envelope of code "backend_error"; returns the whole stderr. */
void e2e_assert_backend_error(const struct e2e_result *r);

/* Asserts "Request error" then "Configuration parse error: ..." in stderr, exit 1. */
void e2e_assert_config_error(const struct e2e_result *r, const char *msg_substring);

/* Does any process's /proc/PID/cmdline contain marker? */
bool e2e_process_with_marker(const char *marker);
/* Waits up to ms for no process to carry marker; returns true if none remain. */
bool e2e_wait_no_marker(const char *marker, int ms);
/* A unique string for markers. */
char *e2e_unique(const char *prefix);

/* Host namespace link of this process, e.g. "net" -> "net:[4026531840]". */
char *e2e_host_ns(const char *ns);

/* Sorted listing of a directory, entries joined with ' '. */
char *e2e_ls(const char *dir);

/* Reads all of /proc/self/mountinfo. */
char *e2e_mountinfo(void);

/* s with newlines and other control bytes escaped (malloc'd, never freed: for messages). */
char *e2e_esc(const char *s);
/* Line i (0-based) of stdout, without the newline; "" if missing (malloc'd). */
char *e2e_line(const struct e2e_result *r, int i);
/* Number of lines on stdout. */
int e2e_nlines(const struct e2e_result *r);
/* Standard base64 with padding (malloc'd). */
char *e2e_base64(const char *data, size_t len);
/* Entries of host /tmp that are not in before (space separated names), ignoring e2e_root. */
char *e2e_tmp_new_entries(const char *before);

void e2e_sleep_ms(long ms);
double e2e_now(void);

/* Asserts the run exited with code and printed exactly expect_out on stdout. */
#define e2e_assert_out(r, code, expect_out)                                                        \
	do {                                                                                       \
		ck_assert_msg((r)->exit_code == (code),                                            \
			      "exit %d, expected %d; stdout=[%s] stderr=[%s]", (r)->exit_code,     \
			      (code), (r)->out_esc, (r)->err_esc);                                 \
		ck_assert_msg((r)->out_len == strlen(expect_out) &&                                \
				      !memcmp((r)->out, expect_out, (r)->out_len),                 \
			      "stdout [%s], expected [%s]; stderr=[%s]", (r)->out_esc,             \
			      e2e_esc(expect_out), (r)->err_esc);                                  \
	} while (0)

/* Suites (one per file). */
Suite *e2e_cli_suite(void);
Suite *e2e_proc_suite(void);
Suite *e2e_fs_suite(void);
Suite *e2e_net_suite(void);
Suite *e2e_leftover_suite(void);
Suite *e2e_limits_suite(void);
Suite *e2e_upstream_suite(void);
Suite *e2e_tty_suite(void);
