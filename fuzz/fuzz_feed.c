/* fuzz_feed.c - feed_parse() on arbitrary bytes.
 *
 * The first byte picks remote (even) or local (odd) parsing; the rest is the
 * document. Besides memory errors it checks what feed.h promises: every
 * string is screen-safe (descriptions may keep newlines), and a remote feed
 * never yields a non-http(s) enclosure, transcript or chapters URL. */
#include <stdbool.h>

#include <jansson.h>

#include "fuzz.h"
#include "hark/chapters.h"
#include "hark/feed.h"
#include "hark/transcript.h"

/* One-line string fields of an episode. */
static void check_episode(const struct feed_episode *ep, bool local)
{
	const char *one_line[] = {ep->guid,         ep->title,        ep->enc_url,
	                          ep->enc_type,     ep->link,         ep->image,
	                          ep->episode_type, ep->chapters_url, ep->chapters_type,
	                          ep->subtitle,     ep->author};
	char *key;

	for (size_t i = 0; i < sizeof one_line / sizeof one_line[0]; i++)
		FUZZ_CHECK(fuzz_screen_safe(one_line[i], 0));
	FUZZ_CHECK(fuzz_screen_safe(ep->description, 1));
	if (!local) {
		FUZZ_CHECK(fuzz_http_url(ep->enc_url));
		FUZZ_CHECK(fuzz_http_url(ep->chapters_url));
	}
	for (size_t i = 0; i < ep->n_transcripts; i++) {
		FUZZ_CHECK(ep->transcripts[i].url != NULL);
		FUZZ_CHECK(fuzz_screen_safe(ep->transcripts[i].url, 0));
		FUZZ_CHECK(fuzz_screen_safe(ep->transcripts[i].type, 0));
		FUZZ_CHECK(fuzz_screen_safe(ep->transcripts[i].language, 0));
		if (!local)
			FUZZ_CHECK(fuzz_http_url(ep->transcripts[i].url));
	}
	for (size_t i = 0; i < ep->n_psc; i++)
		FUZZ_CHECK(fuzz_screen_safe(ep->psc[i].title, 0));
	for (size_t i = 0; i < ep->n_persons; i++)
		FUZZ_CHECK(fuzz_screen_safe(ep->persons[i].name, 0));
	key = feed_episode_key(ep);
	FUZZ_CHECK(key != NULL);
	free(key);
	if (ep->n_psc) {
		struct chapters *c = chapters_from_psc(ep->psc, ep->n_psc);

		FUZZ_CHECK(c != NULL);
		for (size_t i = 1; i < c->n; i++)
			FUZZ_CHECK(c->v[i - 1].start <= c->v[i].start);
		chapters_free(c);
	}
	if (ep->n_transcripts) {
		long k = transcript_pick(ep->transcripts, ep->n_transcripts, "en");

		FUZZ_CHECK(k >= 0 && (size_t)k < ep->n_transcripts);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {{0}};
	struct feed *f;
	bool local;
	json_t *j;

	if (size < 1)
		return 0;
	local = data[0] & 1;
	f = feed_parse((const char *)data + 1, size - 1,
	               local ? "/tmp/fuzz/feed.xml" : "https://example.com/pod/feed.xml", local,
	               &e);
	if (!f) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(fuzz_screen_safe(f->title, 0));
	FUZZ_CHECK(fuzz_screen_safe(f->link, 0));
	FUZZ_CHECK(fuzz_screen_safe(f->author, 0));
	FUZZ_CHECK(fuzz_screen_safe(f->image, 0));
	FUZZ_CHECK(fuzz_screen_safe(f->new_feed_url, 0));
	FUZZ_CHECK(fuzz_screen_safe(f->description, 1));
	for (size_t i = 0; i < f->n_episodes; i++)
		check_episode(&f->episodes[i], local);
	j = feed_to_json(f);
	FUZZ_CHECK(j != NULL);
	free(json_dumps(j, JSON_COMPACT));
	json_decref(j);
	feed_free(f);
	return 0;
}
