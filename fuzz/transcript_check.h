/* transcript_check.h - the checks the transcript fuzz targets share. */
#ifndef HARK_FUZZ_TRANSCRIPT_CHECK_H
#define HARK_FUZZ_TRANSCRIPT_CHECK_H

#include <math.h>

#include <jansson.h>

#include "fuzz.h"
#include "hark/transcript.h"

/* Parse data as fmt and check what transcript.h promises: cues sorted by
 * start, screen-safe text and speakers, words in text order inside the
 * text; lookups stay in range and the JSON form is built. */
static inline void fuzz_transcript(const uint8_t *data, size_t size, enum transcript_format fmt)
{
	struct err e = {{0}};
	struct transcript *t = transcript_parse_format((const char *)data, size, fmt, &e);
	json_t *j;

	if (!t) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct transcript_cue *c = &t->cues[i];
		size_t tl;

		FUZZ_CHECK(c->text != NULL);
		FUZZ_CHECK(fuzz_screen_safe(c->text, 1));
		FUZZ_CHECK(fuzz_screen_safe(c->speaker, 0));
		if (i)
			FUZZ_CHECK(t->cues[i - 1].start <= c->start);
		tl = strlen(c->text);
		for (size_t w = 0; w < c->n_words; w++) {
			FUZZ_CHECK(c->words[w].off <= tl &&
			           c->words[w].len <= tl - c->words[w].off);
			if (w)
				FUZZ_CHECK(c->words[w - 1].off + c->words[w - 1].len <=
				           c->words[w].off);
		}
		if (c->n_words)
			(void)transcript_find_word(c, c->start);
	}
	if (t->n) {
		double probe[] = {-1.0, t->cues[0].start, t->cues[t->n / 2].start,
		                  t->cues[t->n - 1].start + 1.0, 1e12};

		for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
			long r = transcript_find(t, probe[k]);

			FUZZ_CHECK(r >= -1 && r < (long)t->n);
		}
	}
	j = transcript_to_json(t);
	FUZZ_CHECK(j != NULL);
	free(json_dumps(j, JSON_COMPACT));
	json_decref(j);
	transcript_free(t);
}

#endif
