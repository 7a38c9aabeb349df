/* SPDX-License-Identifier: MIT */
/*
 * Start-up benchmark: create + exec + wait + destroy of /bin/true through the
 * namespace backend with the baseline plan (read-only system paths, /dev,
 * /proc, /tmp, isolated network). Prints min/median/p90 in microseconds.
 *   bench-ns [runs] [host]   ("host": keep the host network namespace)
 * MXC_BENCH_DEBUG=1 prints the backend's debug log (per-step timings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void log_stderr(enum mxc_log_level level, const char *msg, void *userdata)
{
	(void)level;
	(void)userdata;
	fprintf(stderr, "%s\n", msg);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const char *const baseline[] = {"/bin",	 "/sbin", "/lib", "/lib32",
					       "/lib64", "/usr",  "/etc"};
	static char *cmdv[] = {"/bin/true", NULL};
	static char *envv[] = {"PATH=/usr/bin:/bin", NULL};
	struct plan_op ops[16];
	struct mxc_plan p = {0};
	int runs = argc > 1 ? atoi(argv[1]) : 50;
	uint64_t *t = calloc((size_t)runs, sizeof(*t));
	size_t n = 0;

	if (getenv("MXC_BENCH_DEBUG"))
		mxc_set_log_func(log_stderr, NULL);

	for (size_t i = 0; i < sizeof(baseline) / sizeof(baseline[0]); i++) {
		struct stat st;
		char *target = calloc(1, 256);

		if (lstat(baseline[i], &st) == 0 && S_ISLNK(st.st_mode) &&
		    readlink(baseline[i], target, 255) > 0)
			ops[n++] = (struct plan_op){
				.kind = PLAN_SYMLINK, .src = target, .dst = (char *)baseline[i]};
		else
			ops[n++] = (struct plan_op){.kind = PLAN_BIND,
						    .src = (char *)baseline[i],
						    .dst = (char *)baseline[i],
						    .readonly = true,
						    .try_ = true};
	}
	ops[n++] = (struct plan_op){.kind = PLAN_DEV, .dst = "/dev"};
	ops[n++] = (struct plan_op){.kind = PLAN_PROC, .dst = "/proc"};
	ops[n++] = (struct plan_op){.kind = PLAN_TMPFS, .dst = "/tmp"};
	p.ops = ops;
	p.n_ops = n;
	p.argv = cmdv;
	p.envp = envv;
	p.net = argc > 2 && strcmp(argv[2], "host") == 0 ? PLAN_NET_HOST : PLAN_NET_ISOLATED;
	p.uid = getuid();
	p.gid = getgid();

	for (int i = 0; i < runs; i++) {
		struct mxc_exec_spec spec = {.stdio = {-1, -1, -1}};
		struct mxc_error err = {0};
		uint64_t t0 = now_usec();
		void *state;
		int pid, status = -1;

		if (backend_namespaces.create(&p, &state, &err) < 0) {
			fprintf(stderr, "create: %s\n", err.msg);
			return 1;
		}
		pid = backend_namespaces.exec(state, &spec, &err);
		if (pid < 0 || backend_namespaces.wait(state, pid, -1, &status, &err) < 0 ||
		    status != 0) {
			fprintf(stderr, "exec/wait: %s\n", err.msg);
			return 1;
		}
		backend_namespaces.destroy(state);
		t[i] = now_usec() - t0;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_u64);
	printf("runs %d  min %llu us  median %llu us  p90 %llu us\n", runs,
	       (unsigned long long)t[0], (unsigned long long)t[runs / 2],
	       (unsigned long long)t[runs * 9 / 10]);
	return 0;
}
