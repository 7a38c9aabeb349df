/* SPDX-License-Identifier: MIT */
/*
 * Network benchmark peer (bench/net.sh, issue 5 item 8).
 *
 *   mxc-netbench server PORT
 *       TCP server on every address (IPv4 and IPv6), a thread per client.
 *       A client sends one byte: 'p' -> the server answers one byte (set-up
 *       latency); 'b' followed by an 8-byte big-endian size -> the server
 *       sends that many bytes and closes (bulk throughput).
 *   mxc-netbench client HOST PORT [--proxy PHOST:PPORT] [--connects N] [--mib M]
 *       N times: connect (through an HTTP CONNECT proxy if given), 'p', read
 *       the answer: prints the median and p95 in microseconds. Then three
 *       bulk reads of M MiB: prints the median MiB/s. Output is one JSON line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- server --------------------------------------------------------------- */

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static char zeros[1 << 16];
	unsigned char cmd, sz[8];

	if (read_full(fd, &cmd, 1) == 0) {
		if (cmd == 'p') {
			(void)write_full(fd, "P", 1);
		} else if (cmd == 'b' && read_full(fd, sz, 8) == 0) {
			uint64_t left = 0;
			for (int i = 0; i < 8; i++)
				left = left << 8 | sz[i];
			while (left) {
				size_t n = left < sizeof(zeros) ? (size_t)left : sizeof(zeros);
				if (write_full(fd, zeros, n) < 0)
					break;
				left -= n;
			}
		}
	}
	close(fd);
	return NULL;
}

static int server(int port)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)port),
				  .sin6_addr = in6addr_any};
	int one = 1, zero = 0;
	int s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 512) < 0) {
		perror("server");
		return 1;
	}
	printf("ready %d\n", port);
	fflush(stdout);
	for (;;) {
		pthread_t t;
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		(void)setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (pthread_create(&t, NULL, serve, (void *)(intptr_t)c) != 0)
			close(c);
		else
			pthread_detach(t);
	}
}

/* ---- client --------------------------------------------------------------- */

static int tcp_connect(const char *host, const char *port)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	int one = 1, fd = -1;

	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	for (struct addrinfo *a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd >= 0)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* A connection to HOST:PORT, through an HTTP CONNECT proxy if phost. */
static int open_conn(const char *host, const char *port, const char *phost, const char *pport)
{
	char req[512], resp[1024];
	size_t off = 0;
	int fd;

	if (!phost)
		return tcp_connect(host, port);
	fd = tcp_connect(phost, pport);
	if (fd < 0)
		return -1;
	(void)snprintf(req, sizeof(req), "CONNECT %s:%s HTTP/1.1\r\nHost: %s:%s\r\n\r\n", host,
		       port, host, port);
	if (write_full(fd, req, strlen(req)) < 0)
		goto fail;
	/* Read the reply head byte by byte: nothing of the tunnel may be consumed. */
	while (off < sizeof(resp) - 1) {
		if (read_full(fd, resp + off, 1) < 0)
			goto fail;
		off++;
		if (off >= 4 && !memcmp(resp + off - 4, "\r\n\r\n", 4))
			break;
	}
	resp[off] = '\0';
	if (strncmp(resp, "HTTP/1.1 200", 12) && strncmp(resp, "HTTP/1.0 200", 12))
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int client(int argc, char **argv)
{
	const char *host = argv[2], *port = argv[3], *phost = NULL;
	char pport[16] = "";
	int connects = 200, mib = 256, failed = 0;
	uint64_t *lat;
	double rates[3];

	for (int i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--proxy")) {
			static char ph[256];
			char *c = strrchr(argv[i + 1], ':');
			if (!c)
				return 2;
			(void)snprintf(ph, sizeof(ph), "%.*s", (int)(c - argv[i + 1]), argv[i + 1]);
			(void)snprintf(pport, sizeof(pport), "%s", c + 1);
			phost = ph;
		} else if (!strcmp(argv[i], "--connects")) {
			connects = atoi(argv[i + 1]);
		} else if (!strcmp(argv[i], "--mib")) {
			mib = atoi(argv[i + 1]);
		}
	}
	if (connects < 1 || mib < 1)
		return 2;
	lat = calloc((size_t)connects, sizeof(*lat));
	if (!lat)
		return 1;
	for (int i = 0; i < connects; i++) {
		uint64_t t0 = now_ns();
		char b;
		int fd = open_conn(host, port, phost, pport);
		if (fd < 0 || write_full(fd, "p", 1) < 0 || read_full(fd, &b, 1) < 0) {
			failed++;
			lat[i] = UINT64_MAX;
		} else {
			lat[i] = now_ns() - t0;
		}
		if (fd >= 0)
			close(fd);
	}
	qsort(lat, (size_t)connects, sizeof(*lat), cmp_u64);
	for (int k = 0; k < 3; k++) {
		uint64_t size = (uint64_t)mib << 20, got = 0, t0 = now_ns();
		unsigned char req[9] = {'b'};
		static char buf[1 << 17];
		int fd = open_conn(host, port, phost, pport);

		for (int i = 0; i < 8; i++)
			req[1 + i] = (unsigned char)(size >> (56 - 8 * i));
		if (fd < 0 || write_full(fd, req, sizeof(req)) < 0) {
			rates[k] = 0;
			if (fd >= 0)
				close(fd);
			continue;
		}
		for (;;) {
			ssize_t n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			got += (uint64_t)n;
		}
		close(fd);
		rates[k] =
			got == size ? (double)got / 1048576.0 / ((double)(now_ns() - t0) / 1e9) : 0;
	}
	/* median of three */
	double lo = rates[0] < rates[1] ? rates[0] : rates[1];
	double hi = rates[0] < rates[1] ? rates[1] : rates[0];
	double med = rates[2] < lo ? lo : rates[2] > hi ? hi : rates[2];
	printf("{\"connects\":%d,\"failed\":%d,\"connectMedianUs\":%.1f,\"connectP95Us\":%.1f,"
	       "\"bulkMiB\":%d,\"bulkMedianMiBps\":%.1f}\n",
	       connects, failed, (double)lat[connects / 2] / 1000.0,
	       (double)lat[(connects * 95) / 100 < connects ? (connects * 95) / 100
							    : connects - 1] /
		       1000.0,
	       mib, med);
	free(lat);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "client"))
		return client(argc, argv);
	fprintf(stderr, "usage: mxc-netbench server PORT | client HOST PORT [--proxy H:P] "
			"[--connects N] [--mib M]\n");
	return 2;
}
