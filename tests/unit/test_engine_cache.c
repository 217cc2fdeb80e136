/* test_engine_cache.c - the cache's range map and the cache file itself. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hark/cache.h"
#include "tap.h"

/* The map as text, "a-b,c-d", for easy comparison. */
static const char *show(const struct rangemap *m)
{
	static char s[512];
	size_t i, n = 0;

	s[0] = '\0';
	for (i = 0; i < m->n && n < sizeof s - 40; i++)
		n += (size_t)snprintf(s + n, sizeof s - n, "%s%lld-%lld", i ? "," : "", m->r[i][0],
		                      m->r[i][1]);
	return s;
}

static void test_rangemap(void)
{
	struct rangemap m;

	rangemap_init(&m);
	is_str(show(&m), "", "empty map");
	is_num((double)rangemap_next_gap(&m, 0), 0, "empty: gap at 0");
	rangemap_add(&m, 100, 200);
	rangemap_add(&m, 300, 400);
	is_str(show(&m), "100-200,300-400", "two disjoint ranges stay apart");
	rangemap_add(&m, 0, 50);
	is_str(show(&m), "0-50,100-200,300-400", "insert in front keeps order");
	rangemap_add(&m, 200, 300);
	is_str(show(&m), "0-50,100-400", "a range touching both neighbours merges them");
	rangemap_add(&m, 40, 120);
	is_str(show(&m), "0-400", "an overlapping range merges");
	rangemap_add(&m, 10, 20);
	is_str(show(&m), "0-400", "a range inside changes nothing");
	rangemap_add(&m, 500, 500);
	is_str(show(&m), "0-400", "an empty range is ignored");
	rangemap_add(&m, 1000, 1100);
	rangemap_add(&m, 600, 700);
	rangemap_add(&m, 800, 900);
	is_str(show(&m), "0-400,600-700,800-900,1000-1100", "several ranges");
	rangemap_add(&m, 650, 1050);
	is_str(show(&m), "0-400,600-1100", "one range swallowing three");
	is_num((double)rangemap_contig_end(&m, 0), 400, "contig end from 0");
	is_num((double)rangemap_contig_end(&m, 399), 400, "contig end from the last byte");
	is_num((double)rangemap_contig_end(&m, 400), 400, "byte 400 is not held");
	is_num((double)rangemap_contig_end(&m, 650), 1100, "contig end inside the 2nd range");
	is_num((double)rangemap_next_gap(&m, 100), 400, "next gap after 100");
	is_num((double)rangemap_next_gap(&m, 450), 450, "next gap inside a gap is itself");
	is_num((double)rangemap_held(&m), 900, "bytes held");
	rangemap_clear(&m);
	is_num((double)rangemap_held(&m), 0, "cleared");
	rangemap_free(&m);
}

static void test_cache_file(void)
{
	char dir[] = "/tmp/hark-cache-test.XXXXXX", buf[64];
	struct cache *c;
	struct err e;
	char *path;

	if (!ok(mkdtemp(dir) != NULL, "temp dir"))
		return;
	c = cache_open(dir, "http://example.org/ep.mp3", &e);
	ok(c != NULL, "cache opens");
	if (c == NULL)
		return;
	path = str_dup(cache_path(c));
	is_num((double)cache_size(c), -1, "size unknown at first");
	cache_set_size(c, 1000);
	cache_set_validator(c, "\"v1\"");
	ok(cache_write(c, 500, "hello", 5, &e) == 0, "write at 500");
	is_num((double)cache_read(c, 0, buf, sizeof buf), 0, "nothing at 0");
	memset(buf, 0, sizeof buf);
	is_num((double)cache_read(c, 500, buf, sizeof buf), 5, "5 bytes at 500");
	is_str(buf, "hello", "the bytes written");
	ok(!cache_complete(c), "not complete");
	cache_close(c);

	c = cache_open(dir, "http://example.org/ep.mp3", &e);
	ok(c != NULL && strcmp(cache_path(c), path) == 0, "the same URL gives the same file");
	is_num((double)cache_size(c), 1000, "size survives reopening");
	is_num((double)cache_contig_end(c, 500), 505, "map survives reopening");
	cache_validator(c, buf, sizeof buf);
	is_str(buf, "\"v1\"", "validator survives reopening");
	cache_set_validator(c, "\"v2\"");
	is_num((double)cache_held(c), 0, "a new validator drops the old bytes");
	cache_close(c);

	is_num(cache_evict(dir, 0, NULL), 1, "eviction removes the file");
	ok(access(path, F_OK) != 0, "file gone");
	free(path);
	rmdir(dir);
}

int main(void)
{
	test_rangemap();
	test_cache_file();
	return tap_done();
}
