/* cache.h - the sparse per-episode audio cache: a file holding the bytes
 * fetched so far at their own offsets, and a map of the byte ranges held
 * (kept in a sidecar file "<file>.map"). A complete cache file is the
 * downloaded episode. */
#ifndef HARK_CACHE_H
#define HARK_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "hark/util.h"

/* A sorted set of disjoint, non-adjacent half-open byte ranges [start, end). */
struct rangemap {
	long long (*r)[2];
	size_t n, cap;
};
void rangemap_init(struct rangemap *m);
void rangemap_free(struct rangemap *m);
void rangemap_clear(struct rangemap *m);
/* Add [start, end), merging with overlapping or touching ranges. */
int rangemap_add(struct rangemap *m, long long start, long long end);
/* End of the held range containing off, or off itself when off is not held. */
long long rangemap_contig_end(const struct rangemap *m, long long off);
/* The first byte >= from that is not held. */
long long rangemap_next_gap(const struct rangemap *m, long long from);
/* Total bytes held. */
long long rangemap_held(const struct rangemap *m);

struct cache;
/* The cache file for url under dir (made if missing): dir/<hash of url>. */
struct cache *cache_open(const char *dir, const char *url, struct err *e);
/* A cache at an explicit path (downloads: "FILE.part"). */
struct cache *cache_open_path(const char *path, struct err *e);
/* Save the map and close. */
void cache_close(struct cache *c);
const char *cache_path(const struct cache *c);
int cache_write(struct cache *c, long long off, const void *p, size_t n, struct err *e);
/* Copy held bytes from off (at most n, stopping at the first gap); returns
 * the count, 0 when off is not held, -1 on a read error. */
ssize_t cache_read(struct cache *c, long long off, void *p, size_t n);
long long cache_contig_end(struct cache *c, long long off);
long long cache_next_gap(struct cache *c, long long from);
long long cache_held(struct cache *c);
/* Total size of the resource, -1 while unknown. */
long long cache_size(struct cache *c);
void cache_set_size(struct cache *c, long long size);
/* Validator (ETag or Last-Modified) the bytes belong to; "" if none. */
void cache_validator(struct cache *c, char *out, size_t len);
/* Set the validator; when it differs from a stored one, the old bytes are
 * dropped (the file changed on the server). */
void cache_set_validator(struct cache *c, const char *v);
/* Forget every byte held. */
void cache_reset(struct cache *c);
bool cache_complete(struct cache *c);
/* Up to max held ranges into out; returns how many. */
int cache_ranges(struct cache *c, long long (*out)[2], int max);
/* Write the map sidecar now. */
int cache_sync(struct cache *c, struct err *e);
/* Remove least recently used cache files under dir until the total is at
 * most max_bytes; keep (a path) is never removed. Returns files removed. */
int cache_evict(const char *dir, long long max_bytes, const char *keep);

#endif
