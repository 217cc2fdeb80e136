/* fuzz_transcript_any.c - the sniffing path: transcript_parse() without a
 * MIME type (so HTML and plain-text transcripts are reached too), and cues
 * taken from timestamps in show notes. */
#include "transcript_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct transcript *t;
	char *s;

	(void)transcript_sniff((const char *)data, size);
	fuzz_transcript(data, size, TRANSCRIPT_UNKNOWN);
	fuzz_transcript(data, size, TRANSCRIPT_HTML);
	fuzz_transcript(data, size, TRANSCRIPT_TEXT);
	s = fuzz_cstr(data, size);
	if (!s)
		return 0;
	t = transcript_from_shownotes(s);
	if (t) {
		FUZZ_CHECK(t->n > 0);
		for (size_t i = 0; i < t->n; i++) {
			FUZZ_CHECK(fuzz_screen_safe(t->cues[i].text, 1));
			if (i)
				FUZZ_CHECK(t->cues[i - 1].start <= t->cues[i].start);
		}
		transcript_free(t);
	}
	free(s);
	return 0;
}
