/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "proctitle.h"

/* Fields 48-51 of /proc/self/stat: arg_start arg_end env_start env_end (proc(5)). */
static int read_areas(unsigned long v[4])
{
	char buf[2048], *p;
	ssize_t n;
	int fd, field;

	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	/* comm (field 2) may hold spaces and parentheses: count from its last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	for (field = 2; *p && field < 48; p++)
		if (*p == ' ')
			field++;
	for (int i = 0; i < 4; i++) {
		char *end;
		v[i] = strtoul(p, &end, 10);
		if (end == p)
			return -EIO;
		p = end + (*end == ' ');
	}
	return 0;
}

int proctitle_set(const char *name)
{
	unsigned long a[4] = {0};
	size_t len;
	int r;

	(void)prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
	r = read_areas(a);
	if (r < 0)
		return r;
	if (a[1] <= a[0] || a[3] < a[2])
		return -EIO;
	/* These areas are our own (copy-on-write) memory: the initial stack. */
	memset((void *)a[2], 0, a[3] - a[2]);
	memset((void *)a[0], 0, a[1] - a[0]);
	len = strlen(name);
	if (len >= a[1] - a[0])
		len = a[1] - a[0] - 1;
	memcpy((void *)a[0], name, len);
	return 0;
}
