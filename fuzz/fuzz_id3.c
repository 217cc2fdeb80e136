/* fuzz_id3.c - the ID3v2 tag reader and its CHAP/CTOC chapters.
 *
 * The input is the start of an MP3 file. id3_tag_size() is checked against
 * the header, the frames are walked with id3_frames() (text frames decoded
 * with id3_text()), and chapters_from_id3() reads the chapters. */
#include "fuzz.h"
#include "hark/chapters.h"
#include "hark/id3.h"

/* Decode every text frame; report nothing, just touch the bytes. */
static int on_frame(void *ctx, const char *id, const unsigned char *body, size_t len)
{
	size_t *count = ctx;

	(*count)++;
	if (id[0] == 'T' && len >= 1) {
		size_t skip = 0;
		size_t n = id3_strlen(body[0] & 3, body + 1, len - 1, &skip);
		char *s = id3_text(body[0] & 3, body + 1, len - 1);

		FUZZ_CHECK(n <= len - 1 && skip <= len - 1);
		/* UTF-8 frames come back as stored (callers sanitize) */
		FUZZ_CHECK(s != NULL);
		free(s);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {{0}};
	struct id3_tag t;
	struct chapters *c;
	size_t n = 0;

	if (size >= 10) {
		size_t ts = id3_tag_size(data, size);

		FUZZ_CHECK(ts == 0 || ts >= 10);
	}
	if (id3_open(&t, data, size) == 0) {
		FUZZ_CHECK(t.version == 3 || t.version == 4);
		(void)id3_frames(&t, t.frames, t.len, on_frame, &n);
		id3_close(&t);
	}
	c = chapters_from_id3(data, size, &e);
	if (!c) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	for (size_t i = 0; i < c->n; i++) {
		FUZZ_CHECK(fuzz_screen_safe(c->v[i].title, 0));
		FUZZ_CHECK(fuzz_screen_safe(c->v[i].url, 0));
		if (i)
			FUZZ_CHECK(c->v[i - 1].start <= c->v[i].start);
	}
	chapters_free(c);
	return 0;
}
