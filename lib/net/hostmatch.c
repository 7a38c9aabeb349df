/* SPDX-License-Identifier: MIT */
/* Host allow/deny lists (see hostmatch.h for the decision order). */
#include "net/hostmatch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cleanup.h"
#include "core/macro.h"

#define REFRESH_INTERVAL_S 60
#define MAX_RESOLVED	   32
#define NAME_MAX_LEN	   253
#define LABEL_MAX_LEN	   63

/* An address or network; IPv4 in a[0..3]. IPv4-mapped IPv6 is stored as IPv4. */
struct ipnet {
	int family;
	unsigned prefix;
	uint8_t a[16];
};

enum entry_kind {
	ENTRY_NAME,
	ENTRY_WILDCARD,
	ENTRY_NET,
};

struct entry {
	enum entry_kind kind;
	char *text; /* as given, for rule texts */
	char *name; /* normalised name, or the wildcard's suffix */
	struct ipnet net;
};

struct list {
	struct entry *v;
	size_t n;
	bool has_net;
};

struct resolved {
	size_t entry; /* index into the block list */
	struct ipnet addr;
};

struct hostmatch {
	struct list allow, block;
	bool default_allow, block_local;

	pthread_mutex_t lock; /* protects everything below */
	struct resolved *res;
	size_t n_res;
	struct timespec last_refresh;
	bool refreshed, refreshing;
};

/* ---- addresses ---------------------------------------------------------- */

static unsigned family_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

static void ipnet_mask(struct ipnet *n)
{
	unsigned bytes = family_bits(n->family) / 8;

	for (unsigned i = 0; i < bytes; i++) {
		unsigned lo = i * 8;
		if (n->prefix >= lo + 8)
			continue;
		if (n->prefix <= lo)
			n->a[i] = 0;
		else
			n->a[i] &= (uint8_t)(0xff << (8 - (n->prefix - lo)));
	}
	if (n->family == AF_INET)
		memset(n->a + 4, 0, 12);
}

static bool is_v4_mapped(const uint8_t *a)
{
	static const uint8_t pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	return memcmp(a, pfx, sizeof(pfx)) == 0;
}

/* The well-known NAT64 prefix 64:ff9b::/96 (RFC 6052) and the deprecated
 * IPv4-compatible ::a.b.c.d (not :: or ::1): both carry an IPv4 address that a
 * translating network would reach, so they are decided as that address. */
static bool is_v4_embedding(const uint8_t *a)
{
	static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t zero[12] = {0};

	if (memcmp(a, nat64, sizeof(nat64)) == 0)
		return true;
	return memcmp(a, zero, sizeof(zero)) == 0 && (a[12] | a[13] | a[14]) != 0;
}

/* Normalise an IPv6 host/network that carries an IPv4-mapped address. */
static void ipnet_unmap(struct ipnet *n)
{
	if (n->family != AF_INET6 || n->prefix < 96 || !is_v4_mapped(n->a))
		return;
	uint8_t v4[4];
	memcpy(v4, n->a + 12, 4);
	memset(n->a, 0, sizeof(n->a));
	memcpy(n->a, v4, 4);
	n->family = AF_INET;
	n->prefix -= 96;
}

/* A requested or resolved address (never a list entry): NAT64 and
 * IPv4-compatible forms are decided as the IPv4 address they carry. */
static void ipnet_unembed(struct ipnet *n)
{
	if (n->family != AF_INET6 || n->prefix != 128 || !is_v4_embedding(n->a))
		return;
	uint8_t v4[4];
	memcpy(v4, n->a + 12, 4);
	memset(n->a, 0, sizeof(n->a));
	memcpy(n->a, v4, 4);
	n->family = AF_INET;
	n->prefix = 32;
}

static bool ipnet_contains(const struct ipnet *net, const struct ipnet *addr)
{
	if (net->family != addr->family)
		return false;
	unsigned full = net->prefix / 8, rest = net->prefix % 8;

	if (memcmp(net->a, addr->a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (net->a[full] & mask) == (addr->a[full] & mask);
}

static bool sockaddr_to_ipnet(const struct sockaddr_storage *ss, struct ipnet *out)
{
	memset(out, 0, sizeof(*out));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
		out->family = AF_INET;
		out->prefix = 32;
		memcpy(out->a, &sin->sin_addr, 4);
		return true;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
		out->family = AF_INET6;
		out->prefix = 128;
		memcpy(out->a, &sin6->sin6_addr, 16);
		ipnet_unmap(out);
		ipnet_unembed(out);
		return true;
	}
	return false;
}

/* Strict parse of an address or CIDR (optionally bracketed IPv6). With
 * legacy, IPv4 forms accepted by inet_aton ("127.1") are taken too. */
static bool parse_ipnet(const char *s, bool allow_prefix, bool legacy, struct ipnet *out)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	bool bracket = false;

	if (slash && !allow_prefix)
		return false;
	if (alen == 0)
		return false;
	if (s[0] == '[') {
		if (alen < 3 || s[alen - 1] != ']')
			return false;
		s++;
		alen -= 2;
		bracket = true;
	}
	if (alen >= sizeof(buf))
		return false;
	memcpy(buf, s, alen);
	buf[alen] = '\0';

	memset(out, 0, sizeof(*out));
	if (!bracket && inet_pton(AF_INET, buf, out->a) == 1) {
		out->family = AF_INET;
	} else if (inet_pton(AF_INET6, buf, out->a) == 1) {
		out->family = AF_INET6;
	} else if (!bracket && legacy && !slash) {
		struct in_addr in;
		/* inet_aton also takes trailing garbage after a space: refuse it. */
		if (strpbrk(buf, " \t\n") || inet_aton(buf, &in) == 0)
			return false;
		memcpy(out->a, &in, 4);
		out->family = AF_INET;
	} else {
		return false;
	}
	out->prefix = family_bits(out->family);

	if (slash) {
		const char *p = slash + 1;
		unsigned v = 0;
		if (*p == '\0' || strlen(p) > 3)
			return false;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return false;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v > out->prefix)
			return false;
		out->prefix = v;
	}
	ipnet_unmap(out);
	ipnet_mask(out);
	return true;
}

static void ipnet_format(const struct ipnet *n, char *buf, size_t len)
{
	if (!inet_ntop(n->family, n->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

/* ---- names -------------------------------------------------------------- */

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Lowercase `s` into buf, drop one trailing dot, check the syntax. */
static bool normalize_name(const char *s, char *buf, size_t buflen)
{
	size_t len = strlen(s);

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > NAME_MAX_LEN || len >= buflen)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	buf[len] = '\0';

	size_t label = 0;
	bool all_digits = true;
	for (size_t i = 0; i <= len; i++) {
		char c = buf[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || label > LABEL_MAX_LEN)
				return false;
			if (buf[i - 1] == '-' || buf[i - label] == '-')
				return false;
			if (c == '\0' && all_digits)
				return false; /* numeric last label: not a name */
			label = 0;
			all_digits = true;
			continue;
		}
		if (!name_char_ok(c))
			return false;
		if (c < '0' || c > '9')
			all_digits = false;
		label++;
	}
	return true;
}

static bool wildcard_matches(const char *suffix, const char *name)
{
	size_t sl = strlen(suffix), nl = strlen(name);

	return nl > sl + 1 && name[nl - sl - 1] == '.' && streq(name + nl - sl, suffix);
}

/* ---- construction ------------------------------------------------------- */

static int parse_entry(const char *s, struct entry *e)
{
	char buf[NAME_MAX_LEN + 2];

	memset(e, 0, sizeof(*e));
	if (!s)
		return -EINVAL;
	if (s[0] == '[' || strchr(s, '/') || strchr(s, ':')) {
		if (!parse_ipnet(s, true, false, &e->net))
			return -EINVAL;
		e->kind = ENTRY_NET;
	} else if (parse_ipnet(s, false, false, &e->net)) {
		e->kind = ENTRY_NET;
	} else if (s[0] == '*') {
		if (s[1] != '.' || !normalize_name(s + 2, buf, sizeof(buf)))
			return -EINVAL;
		e->kind = ENTRY_WILDCARD;
	} else {
		if (!normalize_name(s, buf, sizeof(buf)))
			return -EINVAL;
		e->kind = ENTRY_NAME;
	}
	e->text = strdup(s);
	if (!e->text)
		return -ENOMEM;
	if (e->kind != ENTRY_NET) {
		e->name = strdup(buf);
		if (!e->name) {
			free(e->text);
			e->text = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void list_clear(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].name);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int list_build(char *const *src, struct list *l, size_t *bad_index)
{
	size_t n = 0;

	while (src && src[n])
		n++;
	if (n == 0)
		return 0;
	l->v = calloc(n, sizeof(*l->v));
	if (!l->v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int r = parse_entry(src[i], &l->v[i]);
		if (r < 0) {
			*bad_index = i;
			return r;
		}
		l->n = i + 1;
		if (l->v[i].kind == ENTRY_NET)
			l->has_net = true;
	}
	return 0;
}

void hostmatch_free(struct hostmatch *m)
{
	if (!m)
		return;
	list_clear(&m->allow);
	list_clear(&m->block);
	free(m->res);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

DEFINE_CLEANUP_FUNC(struct hostmatch *, hostmatch_free)

int hostmatch_new(char *const *allowed, char *const *blocked, bool default_allow, bool block_local,
		  struct hostmatch **ret, size_t *bad_index, bool *bad_is_block)
{
	_cleanup_(hostmatch_freep) struct hostmatch *m = NULL;
	size_t idx = 0;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	if (pthread_mutex_init(&m->lock, NULL) != 0) {
		free(TAKE_PTR(m));
		return -ENOMEM;
	}
	m->default_allow = default_allow;
	m->block_local = block_local;

	r = list_build(allowed, &m->allow, &idx);
	if (r < 0) {
		if (r == -EINVAL) {
			if (bad_index)
				*bad_index = idx;
			if (bad_is_block)
				*bad_is_block = false;
		}
		return r;
	}
	r = list_build(blocked, &m->block, &idx);
	if (r < 0) {
		if (r == -EINVAL) {
			if (bad_index)
				*bad_index = idx;
			if (bad_is_block)
				*bad_is_block = true;
		}
		return r;
	}
	*ret = TAKE_PTR(m);
	return 0;
}

bool hostmatch_is_ip_or_cidr(const char *s)
{
	struct ipnet n = {0};

	return s && parse_ipnet(s, true, false, &n);
}

bool hostmatch_parse_literal(const char *host, struct sockaddr_storage *out)
{
	struct ipnet n = {0};
	uint8_t raw[16];

	if (!host || !parse_ipnet(host, false, true, &n))
		return false;
	memset(out, 0, sizeof(*out));
	/* Keep the address as written (mapped stays IPv6): re-parse for v6. */
	if (n.family == AF_INET6 || strchr(host, ':')) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
		char buf[INET6_ADDRSTRLEN + 2];
		size_t len = strlen(host);
		if (host[0] == '[') {
			host++;
			len -= 2;
		}
		if (len >= sizeof(buf))
			return false;
		memcpy(buf, host, len);
		buf[len] = '\0';
		if (inet_pton(AF_INET6, buf, raw) != 1)
			return false;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, raw, 16);
		return true;
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)out;
	sin->sin_family = AF_INET;
	memcpy(&sin->sin_addr, n.a, 4);
	return true;
}

int hostmatch_resolve_default(const char *host, struct sockaddr_storage *out, size_t max,
			      void *data)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	size_t n = 0;
	int r;

	r = getaddrinfo(host, NULL, &hints, &res);
	if (r != 0) {
		switch (r) {
		case EAI_NONAME:
		case EAI_NODATA:
			return -ENOENT;
		case EAI_AGAIN:
			return -EAGAIN;
		case EAI_MEMORY:
			return -ENOMEM;
		case EAI_SYSTEM:
			return errno > 0 ? -errno : -EIO;
		default:
			return -EIO;
		}
	}
	for (struct addrinfo *ai = res; ai && n < max; ai = ai->ai_next) {
		struct sockaddr_storage ss;
		bool dup = false;

		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(ss))
			continue;
		memset(&ss, 0, sizeof(ss));
		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		for (size_t i = 0; i < n && !dup; i++)
			dup = memcmp(&out[i], &ss, sizeof(ss)) == 0;
		if (!dup)
			out[n++] = ss;
	}
	freeaddrinfo(res);
	return n > 0 ? (int)n : -ENOENT;
}

/* ---- refresh ------------------------------------------------------------ */

static bool refresh_due(const struct hostmatch *m, const struct timespec *now)
{
	return !m->refreshed || now->tv_sec - m->last_refresh.tv_sec >= REFRESH_INTERVAL_S;
}

void hostmatch_refresh(struct hostmatch *m,
		       int (*resolve)(const char *host, struct sockaddr_storage *out, size_t max,
				      void *data),
		       void *data)
{
	struct timespec now;
	bool any = false;

	if (!m)
		return;
	for (size_t i = 0; i < m->block.n && !any; i++)
		any = m->block.v[i].kind == ENTRY_NAME;
	if (!any)
		return;
	if (!resolve)
		resolve = hostmatch_resolve_default;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&m->lock);
	if (m->refreshing || !refresh_due(m, &now)) {
		pthread_mutex_unlock(&m->lock);
		return;
	}
	m->refreshing = true;
	pthread_mutex_unlock(&m->lock);

	/* Resolve without the lock; keep a name's old addresses if it fails. */
	struct resolved *res = NULL;
	size_t n_res = 0, cap = 0;
	for (size_t i = 0; i < m->block.n; i++) {
		struct sockaddr_storage addrs[MAX_RESOLVED];
		const struct entry *e = &m->block.v[i];
		if (e->kind != ENTRY_NAME)
			continue;
		memset(addrs, 0, sizeof(addrs));
		int n = resolve(e->name, addrs, ELEMENTSOF(addrs), data);
		if (n <= 0) {
			pthread_mutex_lock(&m->lock);
			for (size_t j = 0; j < m->n_res; j++) {
				if (m->res[j].entry != i)
					continue;
				if (n_res == cap) {
					size_t ncap = cap ? cap * 2 : 16;
					struct resolved *nr = realloc(res, ncap * sizeof(*nr));
					if (!nr)
						break;
					res = nr;
					cap = ncap;
				}
				res[n_res++] = m->res[j];
			}
			pthread_mutex_unlock(&m->lock);
			continue;
		}
		for (int k = 0; k < n && k < MAX_RESOLVED; k++) {
			struct ipnet a = {0};
			if (!sockaddr_to_ipnet(&addrs[k], &a))
				continue;
			if (n_res == cap) {
				size_t ncap = cap ? cap * 2 : 16;
				struct resolved *nr = realloc(res, ncap * sizeof(*nr));
				if (!nr)
					break;
				res = nr;
				cap = ncap;
			}
			res[n_res].entry = i;
			res[n_res].addr = a;
			n_res++;
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&m->lock);
	struct resolved *old = m->res;
	m->res = res;
	m->n_res = n_res;
	m->last_refresh = now;
	m->refreshed = true;
	m->refreshing = false;
	pthread_mutex_unlock(&m->lock);
	free(old);
}

/* ---- special addresses -------------------------------------------------- */

struct special {
	const char *cidr;
	const char *rule;
	bool local; /* only with block_local */
};

/* Most specific first: the first match classifies the address. */
static const struct special specials[] = {
	{"169.254.169.254/32", "metadata address", false},
	{"fd00:ec2::254/128", "metadata address", false},
	{"0.0.0.0/8", "unspecified address", false},
	{"::/128", "unspecified address", false},
	{"127.0.0.0/8", "loopback address", false},
	{"::1/128", "loopback address", false},
	{"169.254.0.0/16", "link-local address", false},
	{"fe80::/10", "link-local address", false},
	{"255.255.255.255/32", "broadcast address", false},
	{"224.0.0.0/4", "multicast address", false},
	{"ff00::/8", "multicast address", false},
	{"10.0.0.0/8", "allowLocalNetwork=false", true},
	{"172.16.0.0/12", "allowLocalNetwork=false", true},
	{"192.168.0.0/16", "allowLocalNetwork=false", true},
	{"100.64.0.0/10", "allowLocalNetwork=false", true},
	{"fc00::/7", "allowLocalNetwork=false", true},
};

static const struct special *special_class(const struct ipnet *a, struct ipnet *range)
{
	for (size_t i = 0; i < ELEMENTSOF(specials); i++) {
		if (!parse_ipnet(specials[i].cidr, true, false, range))
			continue;
		if (ipnet_contains(range, a))
			return &specials[i];
	}
	return NULL;
}

/* ---- decision ----------------------------------------------------------- */

static void set_result(struct hostmatch_result *ret, enum hostmatch_verdict v, int idx,
		       const char *fmt, ...) _printf_(4, 5);

static void set_result(struct hostmatch_result *ret, enum hostmatch_verdict v, int idx,
		       const char *fmt, ...)
{
	va_list ap;

	ret->verdict = v;
	ret->address_index = idx;
	va_start(ap, fmt);
	vsnprintf(ret->rule, sizeof(ret->rule), fmt, ap);
	va_end(ap);
}

static const struct entry *list_match_name(const struct list *l, const char *name, size_t *idx)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->v[i];
		if ((e->kind == ENTRY_NAME && streq(e->name, name)) ||
		    (e->kind == ENTRY_WILDCARD && wildcard_matches(e->name, name))) {
			*idx = i;
			return e;
		}
	}
	return NULL;
}

static const struct entry *list_match_addr(const struct list *l, const struct ipnet *a,
					   unsigned min_prefix, size_t *idx)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->v[i];
		if (e->kind == ENTRY_NET && e->net.prefix >= min_prefix &&
		    ipnet_contains(&e->net, a)) {
			*idx = i;
			return e;
		}
	}
	return NULL;
}

void hostmatch_decide(const struct hostmatch *m, const char *host,
		      const struct sockaddr_storage *addrs, size_t n_addrs,
		      struct hostmatch_result *ret)
{
	char name[NAME_MAX_LEN + 2];
	struct ipnet lit = {0};
	bool is_lit;
	const struct entry *e;
	size_t idx;

	memset(ret, 0, sizeof(*ret));
	set_result(ret, HOSTMATCH_DENY, -1, "invalid host name");
	if (!m || !host)
		return;

	is_lit = parse_ipnet(host, false, true, &lit);
	if (is_lit)
		ipnet_unembed(&lit);
	if (!is_lit && !normalize_name(host, name, sizeof(name)))
		return;

	/* The addresses to check: the resolved ones, then the literal. */
	size_t n = 0;
	_cleanup_free_ struct ipnet *as = calloc(n_addrs + 1, sizeof(*as));
	if (!as) {
		set_result(ret, HOSTMATCH_DENY, -1, "out of memory");
		return;
	}
	for (size_t i = 0; i < n_addrs; i++) {
		if (!sockaddr_to_ipnet(&addrs[i], &as[n])) {
			set_result(ret, HOSTMATCH_DENY, (int)i, "unsupported address family");
			return;
		}
		n++;
	}
	if (is_lit)
		as[n++] = lit;
#define ADDR_IDX(i) ((i) < n_addrs ? (int)(i) : -1)

	/* 1. blocked names, blocked IP/CIDRs, addresses of blocked names */
	if (!is_lit && (e = list_match_name(&m->block, name, &idx))) {
		set_result(ret, HOSTMATCH_DENY, -1, "blockedHosts[%zu]=%s", idx, e->text);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if ((e = list_match_addr(&m->block, &as[i], 0, &idx))) {
			set_result(ret, HOSTMATCH_DENY, ADDR_IDX(i), "blockedHosts[%zu]=%s", idx,
				   e->text);
			return;
		}
	}
	pthread_mutex_t *lock = (pthread_mutex_t *)&m->lock;
	pthread_mutex_lock(lock);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < m->n_res; j++) {
			if (!ipnet_contains(&m->res[j].addr, &as[i]))
				continue;
			char abuf[INET6_ADDRSTRLEN];
			ipnet_format(&as[i], abuf, sizeof(abuf));
			set_result(ret, HOSTMATCH_DENY, ADDR_IDX(i),
				   "blockedHosts[%zu]=%s (resolves to %s)", m->res[j].entry,
				   m->block.v[m->res[j].entry].text, abuf);
			pthread_mutex_unlock(lock);
			return;
		}
	}
	pthread_mutex_unlock(lock);

	/* 2. special addresses, unless explicitly allowed */
	for (size_t i = 0; i < n; i++) {
		struct ipnet range = {0};
		const struct special *sp = special_class(&as[i], &range);
		if (!sp || (sp->local && !m->block_local))
			continue;
		if (list_match_addr(&m->allow, &as[i], range.prefix, &idx))
			continue;
		set_result(ret, HOSTMATCH_DENY, ADDR_IDX(i), "%s", sp->rule);
		return;
	}

	/* 3. the allow list */
	if (m->allow.n > 0) {
		if (!is_lit && (e = list_match_name(&m->allow, name, &idx))) {
			set_result(ret, HOSTMATCH_ALLOW, -1, "allowedHosts[%zu]=%s", idx, e->text);
			return;
		}
		if (n == 0 && m->allow.has_net) {
			set_result(ret, HOSTMATCH_ALLOW, -1, "pending address check");
			return;
		}
		const struct entry *first = NULL;
		size_t first_idx = 0;
		bool all = n > 0;
		for (size_t i = 0; i < n && all; i++) {
			e = list_match_addr(&m->allow, &as[i], 0, &idx);
			if (!e)
				all = false;
			else if (!first) {
				first = e;
				first_idx = idx;
			}
		}
		if (all && first) {
			set_result(ret, HOSTMATCH_ALLOW, -1, "allowedHosts[%zu]=%s", first_idx,
				   first->text);
			return;
		}
		set_result(ret, HOSTMATCH_DENY, -1, "not in allowedHosts");
		return;
	}
#undef ADDR_IDX

	/* 4. default policy */
	if (m->default_allow)
		set_result(ret, HOSTMATCH_ALLOW, -1, "defaultPolicy=allow");
	else
		set_result(ret, HOSTMATCH_DENY, -1, "defaultPolicy=block");
}
