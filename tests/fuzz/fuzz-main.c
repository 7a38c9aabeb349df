/* SPDX-License-Identifier: MIT */
/*
 * Corpus replay without libFuzzer: feed every file named on the command line
 * (directories are walked, recursively) to LLVMFuzzerTestOneInput, one TAP line
 * each. Built with the normal compiler, so the committed corpora and crash
 * regressions run in every test run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static unsigned n_run;

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	ssize_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		printf("not ok %u - %s: %s\n", ++n_run, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (got < st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)(st.st_size - got));
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	(void)LLVMFuzzerTestOneInput(buf, (size_t)got);
	free(buf);
	printf("ok %u - %s\n", ++n_run, path);
	fflush(stdout);
	return 0;
}

static int cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
	struct dirent **ents;
	struct stat st;
	int n, r = 0;

	if (stat(path, &st) < 0)
		return 0; /* an optional corpus directory that does not exist */
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &ents, NULL, cmp);
	for (int i = 0; i < n; i++) {
		char *child;
		if (ents[i]->d_name[0] != '.' &&
		    asprintf(&child, "%s/%s", path, ents[i]->d_name) >= 0) {
			if (run_path(child) < 0)
				r = -1;
			free(child);
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}

int main(int argc, char **argv)
{
	int r = 0;

	for (int i = 1; i < argc; i++)
		if (run_path(argv[i]) < 0)
			r = 1;
	printf("1..%u\n", n_run);
	return r;
}
