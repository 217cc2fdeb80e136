/* cache.c - sparse per-episode cache files and their range maps. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hark/cache.h"

/* The map sidecar is rewritten (fsync, rename) after 256 KiB of new bytes
 * but at most once a second, or after 4 MiB: a killed download or player
 * loses little, and a fast transfer does not fsync every 16 writes. */
#define MAP_SAVE_MIN (256 << 10)
#define MAP_SAVE_MAX (4 << 20)

void rangemap_init(struct rangemap *m)
{
	m->r = NULL;
	m->n = m->cap = 0;
}

void rangemap_free(struct rangemap *m)
{
	free(m->r);
	rangemap_init(m);
}

void rangemap_clear(struct rangemap *m)
{
	m->n = 0;
}

/* Index of the first range whose end is >= off (touching counts). */
static size_t rm_lower(const struct rangemap *m, long long off)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->r[mid][1] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int rangemap_add(struct rangemap *m, long long start, long long end)
{
	size_t i, j;

	if (end <= start)
		return 0;
	i = rm_lower(m, start);
	j = i;
	while (j < m->n && m->r[j][0] <= end) {
		if (m->r[j][0] < start)
			start = m->r[j][0];
		if (m->r[j][1] > end)
			end = m->r[j][1];
		j++;
	}
	if (j == i) { /* insert a new range at i */
		if (m->n == m->cap) {
			size_t nc = m->cap ? m->cap * 2 : 16;
			void *np = realloc(m->r, nc * sizeof m->r[0]);
			if (np == NULL)
				return -1;
			m->r = np;
			m->cap = nc;
		}
		memmove(m->r + i + 1, m->r + i, (m->n - i) * sizeof m->r[0]);
		m->n++;
	} else if (j > i + 1) { /* ranges i..j-1 collapse into i */
		memmove(m->r + i + 1, m->r + j, (m->n - j) * sizeof m->r[0]);
		m->n -= j - i - 1;
	}
	m->r[i][0] = start;
	m->r[i][1] = end;
	return 0;
}

long long rangemap_contig_end(const struct rangemap *m, long long off)
{
	size_t i = rm_lower(m, off + 1);

	if (i < m->n && m->r[i][0] <= off && off < m->r[i][1])
		return m->r[i][1];
	return off;
}

long long rangemap_next_gap(const struct rangemap *m, long long from)
{
	return rangemap_contig_end(m, from);
}

long long rangemap_held(const struct rangemap *m)
{
	long long t = 0;
	size_t i;

	for (i = 0; i < m->n; i++)
		t += m->r[i][1] - m->r[i][0];
	return t;
}

struct cache {
	pthread_mutex_t mu;
	int fd;
	char *path, *mappath;
	struct rangemap map;
	long long size;
	char validator[256];
	long long unsynced; /* bytes written since the map was last saved */
	double saved_at;    /* time_mono() of the last save from cache_write */
};

/* FNV-1a, 64 bit: a stable file name per URL. */
static uint64_t hash_url(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Read the sidecar: "size N", "validator V", then "R start end" lines. */
static void map_load(struct cache *c)
{
	struct buf b = {0};
	struct err e;
	char *line, *save = NULL;

	if (file_read_all(c->mappath, 16 << 20, &b, &e) != 0)
		return;
	for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long long a, z;
		if (sscanf(line, "R %lld %lld", &a, &z) == 2)
			rangemap_add(&c->map, a, z);
		else if (sscanf(line, "size %lld", &a) == 1)
			c->size = a;
		else if (str_starts_with(line, "validator "))
			snprintf(c->validator, sizeof c->validator, "%s", line + 10);
	}
	buf_free(&b);
}

/* The map sidecar's text. */
static void map_format_locked(const struct cache *c, struct buf *b)
{
	size_t i;

	buf_printf(b, "hark-cache 1\nsize %lld\nvalidator %s\n", c->size, c->validator);
	for (i = 0; i < c->map.n; i++)
		buf_printf(b, "R %lld %lld\n", c->map.r[i][0], c->map.r[i][1]);
}

static int map_save_locked(struct cache *c, struct err *e)
{
	struct buf b = {0};
	int rc;

	map_format_locked(c, &b);
	rc = file_write_atomic(c->mappath, b.data ? b.data : "", b.len, e);
	buf_free(&b);
	c->unsynced = 0;
	return rc;
}

struct cache *cache_open_path(const char *path, struct err *e)
{
	struct cache *c = calloc(1, sizeof *c);

	if (c == NULL) {
		err_set(e, "cache: out of memory");
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	rangemap_init(&c->map);
	c->size = -1;
	c->path = str_dup(path);
	c->mappath = str_printf("%s.map", path);
	c->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (c->fd < 0) {
		err_set(e, "cache %s: %s", path, strerror(errno));
		cache_close(c);
		return NULL;
	}
	map_load(c);
	/* touch: the LRU order is the modification time */
	futimens(c->fd, NULL);
	return c;
}

struct cache *cache_open(const char *dir, const char *url, struct err *e)
{
	char *path;
	struct cache *c;

	if (paths_mkdir_p(dir, e) != 0)
		return NULL;
	path = str_printf("%s/%016" PRIx64 ".mp3", dir, hash_url(url));
	c = cache_open_path(path, e);
	free(path);
	return c;
}

void cache_close(struct cache *c)
{
	struct err e;

	if (c == NULL)
		return;
	if (c->fd >= 0) {
		pthread_mutex_lock(&c->mu);
		if (map_save_locked(c, &e) != 0)
			log_msg("%s", e.msg);
		pthread_mutex_unlock(&c->mu);
		close(c->fd);
	}
	rangemap_free(&c->map);
	pthread_mutex_destroy(&c->mu);
	free(c->path);
	free(c->mappath);
	free(c);
}

const char *cache_path(const struct cache *c)
{
	return c->path;
}

int cache_write(struct cache *c, long long off, const void *p, size_t n, struct err *e)
{
	const char *s = p;
	size_t done = 0;
	int rc = 0;

	while (done < n) {
		ssize_t w = pwrite(c->fd, s + done, n - done, (off_t)(off + (long long)done));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err_set(e, "cache %s: %s", c->path, strerror(errno));
			return -1;
		}
		done += (size_t)w;
	}
	pthread_mutex_lock(&c->mu);
	if (rangemap_add(&c->map, off, off + (long long)n) != 0) {
		err_set(e, "cache: out of memory");
		rc = -1;
	}
	c->unsynced += (long long)n;
	if (c->unsynced >= MAP_SAVE_MAX ||
	    (c->unsynced >= MAP_SAVE_MIN && time_mono() - c->saved_at >= 1.0)) {
		/* written outside the lock: the reader must not wait on an fsync */
		struct buf b = {0};
		map_format_locked(c, &b);
		c->unsynced = 0;
		c->saved_at = time_mono();
		pthread_mutex_unlock(&c->mu);
		if (file_write_atomic(c->mappath, b.data ? b.data : "", b.len, e) != 0)
			log_msg("%s", e->msg);
		buf_free(&b);
		return rc;
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

ssize_t cache_read(struct cache *c, long long off, void *p, size_t n)
{
	long long end;
	ssize_t r;

	pthread_mutex_lock(&c->mu);
	end = rangemap_contig_end(&c->map, off);
	pthread_mutex_unlock(&c->mu);
	if (end <= off)
		return 0;
	if ((long long)n > end - off)
		n = (size_t)(end - off);
	do
		r = pread(c->fd, p, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r;
}

long long cache_contig_end(struct cache *c, long long off)
{
	long long r;

	pthread_mutex_lock(&c->mu);
	r = rangemap_contig_end(&c->map, off);
	pthread_mutex_unlock(&c->mu);
	return r;
}

long long cache_next_gap(struct cache *c, long long from)
{
	return cache_contig_end(c, from);
}

long long cache_held(struct cache *c)
{
	long long r;

	pthread_mutex_lock(&c->mu);
	r = rangemap_held(&c->map);
	pthread_mutex_unlock(&c->mu);
	return r;
}

long long cache_size(struct cache *c)
{
	long long r;

	pthread_mutex_lock(&c->mu);
	r = c->size;
	pthread_mutex_unlock(&c->mu);
	return r;
}

void cache_set_size(struct cache *c, long long size)
{
	pthread_mutex_lock(&c->mu);
	if (c->size != size) {
		c->size = size;
		if (size >= 0 && ftruncate(c->fd, (off_t)size) != 0)
			log_msg("cache %s: truncate: %s", c->path, strerror(errno));
	}
	pthread_mutex_unlock(&c->mu);
}

void cache_validator(struct cache *c, char *out, size_t len)
{
	pthread_mutex_lock(&c->mu);
	snprintf(out, len, "%s", c->validator);
	pthread_mutex_unlock(&c->mu);
}

void cache_set_validator(struct cache *c, const char *v)
{
	pthread_mutex_lock(&c->mu);
	if (v == NULL)
		v = "";
	if (strcmp(c->validator, v) != 0) {
		if (c->validator[0] != '\0' && c->map.n > 0) {
			log_msg("cache %s: validator changed (%s -> %s): dropping old bytes",
			        c->path, c->validator, v);
			rangemap_clear(&c->map);
			c->size = -1;
		}
		snprintf(c->validator, sizeof c->validator, "%s", v);
		c->unsynced = 1 << 20;
	}
	pthread_mutex_unlock(&c->mu);
}

void cache_reset(struct cache *c)
{
	pthread_mutex_lock(&c->mu);
	rangemap_clear(&c->map);
	c->size = -1;
	c->validator[0] = '\0';
	pthread_mutex_unlock(&c->mu);
}

bool cache_complete(struct cache *c)
{
	bool r;

	pthread_mutex_lock(&c->mu);
	r = c->size >= 0 && rangemap_contig_end(&c->map, 0) >= c->size;
	if (c->size == 0)
		r = true;
	pthread_mutex_unlock(&c->mu);
	return r;
}

int cache_ranges(struct cache *c, long long (*out)[2], int max)
{
	int i, n;

	pthread_mutex_lock(&c->mu);
	n = (int)c->map.n < max ? (int)c->map.n : max;
	for (i = 0; i < n; i++) {
		out[i][0] = c->map.r[i][0];
		out[i][1] = c->map.r[i][1];
	}
	pthread_mutex_unlock(&c->mu);
	return n;
}

int cache_sync(struct cache *c, struct err *e)
{
	int rc;

	pthread_mutex_lock(&c->mu);
	rc = map_save_locked(c, e);
	pthread_mutex_unlock(&c->mu);
	return rc;
}

struct lru_ent {
	char *path;
	time_t mtime;
	long long bytes;
};

static int lru_cmp(const void *a, const void *b)
{
	const struct lru_ent *x = a, *y = b;

	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

int cache_evict(const char *dir, long long max_bytes, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct lru_ent *v = NULL;
	size_t n = 0, cap = 0, i;
	long long total = 0;
	int removed = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *p;
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 4, ".mp3") != 0)
			continue;
		p = str_printf("%s/%s", dir, de->d_name);
		if (p == NULL || stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			void *np = realloc(v, nc * sizeof *v);
			if (np == NULL) {
				free(p);
				break;
			}
			v = np;
			cap = nc;
		}
		v[n].path = p;
		v[n].mtime = st.st_mtime;
		v[n].bytes = (long long)st.st_blocks * 512; /* sparse: what the disk holds */
		total += v[n].bytes;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof *v, lru_cmp);
	for (i = 0; i < n && total > max_bytes; i++) {
		char *mp;
		if (keep != NULL && strcmp(v[i].path, keep) == 0)
			continue;
		mp = str_printf("%s.map", v[i].path);
		if (unlink(v[i].path) == 0) {
			total -= v[i].bytes;
			removed++;
			log_msg("cache: evicted %s", v[i].path);
		}
		if (mp != NULL)
			unlink(mp);
		free(mp);
	}
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	return removed;
}
