/* SPDX-License-Identifier: MIT */
/* `mxc run` and `mxc validate`: config -> plan -> sandbox -> process, and the exit code. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "pty-relay.h"

#define EXIT_CONFIG  1
#define EXIT_RUNTIME 255

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Report a failure the way upstream's lxc-exec does, by kind. */
static int report(const struct mxc_error *e, bool dry_run)
{
	switch (e->kind) {
	case MXC_ERROR_CONFIG:
		fputs("Request error\n", stderr);
		fprintf(stderr, "Configuration parse error: %s\n", e->msg);
		return EXIT_CONFIG;
	case MXC_ERROR_SELECT:
		fprintf(stderr, "error: %s\n", e->msg);
		return EXIT_CONFIG;
	default:
		if (dry_run) {
			output_flush_buffer(stdout);
			printf("Dry run completed. Result: validation failed\n");
			fflush(stdout);
		}
		fprintf(stderr, "%s\n", e->msg);
		output_envelope(e->type[0] ? e->type : "backend_error", e->msg);
		return EXIT_RUNTIME;
	}
}

static int load(const struct cli_args *a, struct mxc_config **ret, struct mxc_error *err)
{
	struct mxc_parse_options opts = {
		.experimental = a->experimental,
		.allow_testing_features = a->allow_testing_features,
		.command_override = (const char *const *)a->command,
	};

	if (a->config_base64)
		return mxc_config_load_base64(a->config_base64, &opts, ret, err);
	if (a->config_file)
		return mxc_config_load_file(a->config_file, &opts, ret, err);
	return mxc_config_load_file(a->config_path, &opts, ret, err);
}

static bool have_config(const struct cli_args *a)
{
	if (a->config_base64 || a->config_file || a->config_path)
		return true;
	fprintf(stderr, "Error: No config provided. Use a positional path, --config, or "
			"--config-base64\n");
	return false;
}

/* Parse + plan; on success *ret_plan is set. Returns an exit code (0 = go on). */
static int prepare(const struct cli_args *a, struct mxc_config **ret_cfg,
		   struct mxc_plan **ret_plan)
{
	struct mxc_error err = {0};
	uint64_t t0 = now_us();
	int r;

	r = load(a, ret_cfg, &err);
	if (r < 0)
		return report(&err, false);
	for (const char *const *n = mxc_config_notes(*ret_cfg); n && *n; n++)
		output_line("%s", *n);
	output_line("Config parsed and validated in %llu us", (unsigned long long)(now_us() - t0));

	t0 = now_us();
	r = mxc_plan_compile(*ret_cfg, ret_plan, &err);
	if (r < 0)
		return report(&err, a->dry_run);
	output_line("Plan compiled in %llu us: backend %s", (unsigned long long)(now_us() - t0),
		    mxc_plan_backend(*ret_plan));
	return 0;
}

int cmd_validate(const struct cli_args *a)
{
	struct mxc_config *cfg = NULL;
	struct mxc_plan *plan = NULL;
	int r;

	if (!have_config(a))
		return EXIT_CONFIG;
	r = prepare(a, &cfg, &plan);
	if (r == 0)
		printf("Configuration is valid (backend: %s)\n", mxc_plan_backend(plan));
	mxc_plan_free(plan);
	mxc_config_free(cfg);
	return r;
}

static int dry_run(struct mxc_config *cfg, struct mxc_plan *plan)
{
	struct mxc_error err = {0};
	char *cj = NULL, *pj = NULL;
	int r;

	r = mxc_config_to_json(cfg, &cj, &err);
	if (r >= 0)
		r = mxc_plan_to_json(plan, &pj, &err);
	if (r < 0) {
		free(cj);
		return report(&err, true);
	}
	printf("{\n\"config\": %s,\n\"plan\": %s,\n\"result\": \"Dry run completed. Result: "
	       "validation passed\"\n}\n",
	       cj, pj);
	free(cj);
	free(pj);
	return 0;
}

static struct mxc_sandbox *volatile running_sandbox;

static void forward_signal(int sig)
{
	struct mxc_sandbox *sb = running_sandbox;
	int saved = errno;

	if (sb)
		(void)mxc_sandbox_signal(sb, sig);
	errno = saved;
}

static const int forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static void install_forwarding(bool on)
{
	struct sigaction sa = {.sa_handler = on ? forward_signal : SIG_DFL};

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded_signals) / sizeof(forwarded_signals[0]); i++)
		(void)sigaction(forwarded_signals[i], &sa, NULL);
}

/* ---- --pty: the relay runs in a thread while the main thread waits ------- */

static struct pty_relay relay;
static volatile sig_atomic_t relay_on;

static void on_winch(int sig)
{
	(void)sig;
	if (relay_on)
		pty_relay_notify(&relay, PTY_RELAY_WINCH);
}

static void *relay_main(void *userdata)
{
	(void)pty_relay_run(userdata);
	return NULL;
}

/* The caller's terminal: stdin if it is one (raw mode, window size), else stdout for the size. */
static int caller_tty(void)
{
	return isatty(STDIN_FILENO) ? STDIN_FILENO : isatty(STDOUT_FILENO) ? STDOUT_FILENO : -1;
}

static int relay_start(int master, pthread_t *ret_thread)
{
	struct sigaction sa = {.sa_handler = on_winch, .sa_flags = SA_RESTART};
	sigset_t all, old;
	int r;

	r = pty_relay_init(&relay, STDIN_FILENO, STDOUT_FILENO, master, caller_tty());
	if (r < 0)
		return r;
	if (isatty(STDIN_FILENO) && term_make_raw(STDIN_FILENO) < 0)
		output_line("Failed to put the terminal in raw mode, ignoring");
	(void)signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	relay_on = 1;
	(void)sigaction(SIGWINCH, &sa, NULL);
	/* Signals go to the main thread (forwarding, SIGWINCH). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = -pthread_create(ret_thread, NULL, relay_main, &relay);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		relay_on = 0;
		(void)signal(SIGWINCH, SIG_DFL);
		term_restore();
		pty_relay_done(&relay);
		return r;
	}
	/* A resize since the window size was read. */
	pty_relay_notify(&relay, PTY_RELAY_WINCH);
	return 0;
}

/* After the sandbox is destroyed: nothing holds the pty's other side any more. */
static void relay_stop(pthread_t thread)
{
	pty_relay_notify(&relay, PTY_RELAY_QUIT);
	(void)pthread_join(thread, NULL);
	relay_on = 0;
	(void)signal(SIGWINCH, SIG_DFL);
	term_restore();
	pty_relay_done(&relay);
}

/* --events PATH (appended, created 0600) or fd:N (borrowed). */
static int open_events(const char *spec, int *ret_fd, struct mxc_error *err)
{
	int fd;

	*ret_fd = -1;
	if (!spec)
		return 0;
	if (strncmp(spec, "fd:", 3) == 0) {
		char *end;
		long n = strtol(spec + 3, &end, 10);

		if (!spec[3] || *end || n < 0 || n > INT_MAX || fcntl((int)n, F_GETFL) < 0 ||
		    !(fcntl((int)n, F_GETFL) & (O_WRONLY | O_RDWR))) {
			err->kind = MXC_ERROR_BACKEND;
			(void)snprintf(err->msg, sizeof(err->msg),
				       "--events %s: not an open file descriptor for writing",
				       spec);
			return -EBADF;
		}
		*ret_fd = (int)n;
		return 0;
	}
	fd = open(spec, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		err->kind = MXC_ERROR_BACKEND;
		(void)snprintf(err->msg, sizeof(err->msg), "--events %s: %s", spec,
			       strerror(errno));
		return -errno;
	}
	*ret_fd = fd;
	return 1; /* owned */
}

static int execute(const struct cli_args *a, struct mxc_plan *plan)
{
	struct mxc_exec_spec spec = {.stdio = {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}};
	struct mxc_sandbox *sb = NULL;
	struct mxc_error err = {0};
	uint32_t timeout = mxc_plan_timeout_ms(plan);
	uint64_t t0 = now_us(), deadline;
	int pid, status = 0, r, pty_master = -1, events_fd = -1;
	pthread_t relay_thread;

	if (a->pty) {
		spec.pty = true;
		(void)pty_get_winsize(caller_tty(), &spec.pty_rows, &spec.pty_cols);
		spec.ret_pty_master = &pty_master;
	}
	/* Stays open until the process exits (the sandbox writes to it till then). */
	r = open_events(a->events, &events_fd, &err);
	if (r < 0)
		return report(&err, false);
	(void)mxc_plan_set_events_fd(plan, events_fd);
	r = mxc_sandbox_create(plan, &sb, &err);
	if (r < 0)
		return report(&err, false);
	output_line("Sandbox created in %llu us", (unsigned long long)(now_us() - t0));

	running_sandbox = sb;
	install_forwarding(true);
	fflush(stdout);
	fflush(stderr);
	t0 = now_us();
	pid = mxc_sandbox_exec(sb, &spec, &err);
	if (pid < 0) {
		install_forwarding(false);
		running_sandbox = NULL;
		mxc_sandbox_destroy(sb);
		return report(&err, false);
	}
	output_line("Process %d started in %llu us", pid, (unsigned long long)(now_us() - t0));
	if (a->pty) {
		r = relay_start(pty_master, &relay_thread);
		if (r < 0) {
			install_forwarding(false);
			running_sandbox = NULL;
			mxc_sandbox_destroy(sb);
			close(pty_master);
			err = (struct mxc_error){.kind = MXC_ERROR_BACKEND};
			snprintf(err.msg, sizeof(err.msg),
				 "Failed to relay the pseudo-terminal: %s", strerror(-r));
			return report(&err, false);
		}
	}

	deadline = timeout ? t0 + (uint64_t)timeout * 1000u : 0;
	for (;;) {
		int left = -1;
		if (deadline) {
			uint64_t now = now_us();
			left = now >= deadline ? 0 : (int)((deadline - now + 999) / 1000);
		}
		r = mxc_sandbox_wait(sb, pid, left, &status, &err);
		if (r != -EINTR)
			break;
	}
	install_forwarding(false);
	running_sandbox = NULL;
	t0 = now_us();
	mxc_sandbox_destroy(sb);
	output_line("Sandbox destroyed in %llu us", (unsigned long long)(now_us() - t0));
	if (a->pty) {
		relay_stop(relay_thread);
		close(pty_master);
	}

	if (r == -ETIMEDOUT) {
		struct mxc_error te = {.kind = MXC_ERROR_TIMEOUT};
		snprintf(te.type, sizeof(te.type), "timeout");
		snprintf(te.msg, sizeof(te.msg), "script timed out after %ums", timeout);
		output_line("Error: %s", te.msg);
		return report(&te, false);
	}
	if (r < 0)
		return report(&err, false);
	if (WIFEXITED(status)) {
		output_line("Exit code: %d (0x%08x)", WEXITSTATUS(status),
			    (unsigned)WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	if (WIFSIGNALED(status)) {
		output_line("Killed by signal %d", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return EXIT_RUNTIME;
}

int cmd_run(const struct cli_args *a)
{
	struct mxc_config *cfg = NULL;
	struct mxc_plan *plan = NULL;
	int r;

	if (!have_config(a))
		return EXIT_CONFIG;
	r = prepare(a, &cfg, &plan);
	if (r != 0)
		goto out;
	if (a->dry_run) {
		r = dry_run(cfg, plan);
		goto out;
	}
	/* The config is not needed any more; the plan is all the backend reads. */
	cfg = mxc_config_free(cfg);
	r = execute(a, plan);
out:
	mxc_plan_free(plan);
	mxc_config_free(cfg);
	return r;
}
