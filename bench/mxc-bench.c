/* SPDX-License-Identifier: MIT */
/*
 * mxc-bench: start-to-exit timing of commands, interleaved.
 *
 *   mxc-bench [--runs N] [--warmup N] [--json FILE] NAME=CMD [NAME=CMD ...]
 *   mxc-bench --parallel N --seconds S NAME=CMD
 *
 * CMD is split on spaces (no shell). In the timing mode every round runs each
 * command once, in order, so drift of the machine affects all alike; per
 * command it reports min, median, p95 and mean wall time (fork to reap) and
 * the peak RSS of the direct child (wait4's ru_maxrss). The parallel mode runs
 * N launcher loops for S seconds and reports completed runs per second.
 * A command that exits non-zero makes the harness fail: a benchmark of a
 * broken command measures nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct scenario {
	char *name;
	char **argv;
	double *ms;
	long max_rss_kib;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char **split(char *cmd)
{
	size_t n = 0;
	char **v = calloc(strlen(cmd) / 2 + 2, sizeof(char *));

	for (char *save = NULL, *t = strtok_r(cmd, " ", &save); v && t;
	     t = strtok_r(NULL, " ", &save))
		v[n++] = t;
	return v;
}

/* Run argv once; returns wall ms, or < 0 if it failed. */
static double run_once(char **argv, long *max_rss_kib)
{
	struct rusage ru;
	double t0 = now_ms(), t;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, STDOUT_FILENO); /* measure the command, not the terminal */
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	t = now_ms() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "mxc-bench: '%s' failed (status 0x%x)\n", argv[0],
			(unsigned)status);
		return -1;
	}
	if (ru.ru_maxrss > *max_rss_kib)
		*max_rss_kib = ru.ru_maxrss;
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double quantile(const double *sorted, int n, double q)
{
	int i = (int)(q * (n - 1) + 0.5);
	return sorted[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static int parallel(struct scenario *s, int n_launchers, double seconds)
{
	pid_t kids[64];
	int pipes[64][2];
	long total = 0;

	if (n_launchers < 1 || n_launchers > 64)
		return 2;
	for (int k = 0; k < n_launchers; k++) {
		if (pipe(pipes[k]) < 0)
			return 1;
		kids[k] = fork();
		if (kids[k] == 0) {
			long done = 0, rss = 0;
			double end = now_ms() + seconds * 1e3;
			close(pipes[k][0]);
			while (now_ms() < end) {
				if (run_once(s->argv, &rss) < 0)
					_exit(1);
				done++;
			}
			if (write(pipes[k][1], &done, sizeof(done)) != sizeof(done))
				_exit(1);
			_exit(0);
		}
		close(pipes[k][1]);
	}
	for (int k = 0; k < n_launchers; k++) {
		long done = 0;
		int status;
		if (read(pipes[k][0], &done, sizeof(done)) == sizeof(done))
			total += done;
		waitpid(kids[k], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return 1;
	}
	printf("{\"name\": \"%s\", \"launchers\": %d, \"seconds\": %.1f, \"runs\": %ld, "
	       "\"per_second\": %.1f}\n",
	       s->name, n_launchers, seconds, total, (double)total / seconds);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 200, warmup = 10, n = 0, n_parallel = 0;
	double seconds = 5;
	const char *json = NULL;
	struct scenario *sc = calloc((size_t)argc, sizeof(*sc));
	FILE *out;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--warmup") && i + 1 < argc)
			warmup = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--parallel") && i + 1 < argc)
			n_parallel = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (strchr(argv[i], '=')) {
			char *eq = strchr(argv[i], '=');
			*eq = '\0';
			sc[n].name = argv[i];
			sc[n].argv = split(eq + 1);
			sc[n].ms = calloc((size_t)runs + 1, sizeof(double));
			n++;
		} else {
			fprintf(stderr, "usage: mxc-bench [--runs N] [--warmup N] [--json FILE] "
					"NAME=CMD...\n       mxc-bench --parallel N --seconds S "
					"NAME=CMD\n");
			return 2;
		}
	}
	if (n == 0 || runs < 1)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (n_parallel)
		return parallel(&sc[0], n_parallel, seconds);

	for (int w = 0; w < warmup; w++)
		for (int k = 0; k < n; k++)
			if (run_once(sc[k].argv, &sc[k].max_rss_kib) < 0)
				return 1;
	for (int k = 0; k < n; k++)
		sc[k].max_rss_kib = 0;
	for (int r = 0; r < runs; r++)
		for (int k = 0; k < n; k++) {
			double t = run_once(sc[k].argv, &sc[k].max_rss_kib);
			if (t < 0)
				return 1;
			sc[k].ms[r] = t;
		}

	out = json ? fopen(json, "w") : stdout;
	if (!out)
		return 1;
	fprintf(out, "[\n");
	for (int k = 0; k < n; k++) {
		double sum = 0;
		qsort(sc[k].ms, (size_t)runs, sizeof(double), cmp_double);
		for (int r = 0; r < runs; r++)
			sum += sc[k].ms[r];
		fprintf(out,
			"  {\"name\": \"%s\", \"runs\": %d, \"min_ms\": %.3f, \"median_ms\": %.3f, "
			"\"p95_ms\": %.3f, \"mean_ms\": %.3f, \"max_rss_kib\": %ld}%s\n",
			sc[k].name, runs, sc[k].ms[0], quantile(sc[k].ms, runs, 0.5),
			quantile(sc[k].ms, runs, 0.95), sum / runs, sc[k].max_rss_kib,
			k + 1 < n ? "," : "");
	}
	fprintf(out, "]\n");
	if (json)
		fclose(out);
	return 0;
}
