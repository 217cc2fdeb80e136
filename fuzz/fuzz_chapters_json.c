/* fuzz_chapters_json.c - Podcasting 2.0 JSON chapters (chapters_from_json),
 * their JSON form, lookup and the merge with themselves. */
#include <jansson.h>

#include "fuzz.h"
#include "hark/chapters.h"

/* Sorted by start, one-line screen-safe strings. */
static void check_chapters(const struct chapters *c)
{
	for (size_t i = 0; i < c->n; i++) {
		FUZZ_CHECK(fuzz_screen_safe(c->v[i].title, 0));
		FUZZ_CHECK(fuzz_screen_safe(c->v[i].url, 0));
		FUZZ_CHECK(fuzz_screen_safe(c->v[i].image, 0));
		if (i)
			FUZZ_CHECK(c->v[i - 1].start <= c->v[i].start);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {{0}};
	struct chapters *c = chapters_from_json((const char *)data, size, &e), *m;
	json_t *j;

	if (!c) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	check_chapters(c);
	if (c->n) {
		long r = chapters_find(c, c->v[c->n - 1].start, false);

		FUZZ_CHECK(r >= 0 && r < (long)c->n);
		r = chapters_find(c, 1e12, true);
		FUZZ_CHECK(r >= -1 && r < (long)c->n);
	}
	m = chapters_merge(c, c);
	FUZZ_CHECK(m != NULL);
	check_chapters(m);
	chapters_free(m);
	j = chapters_to_json(c);
	FUZZ_CHECK(j != NULL);
	free(json_dumps(j, JSON_COMPACT));
	json_decref(j);
	chapters_free(c);
	return 0;
}
