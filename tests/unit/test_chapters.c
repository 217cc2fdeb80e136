/* test_chapters.c - chapters from ID3 CHAP/CTOC (the corpus MP3s and tags
 * built here), Podcasting 2.0 JSON, Podlove Simple Chapters; merging. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hark/chapters.h"
#include "hark/feed.h"
#include "hark/id3.h"
#include "tap.h"

/* ---- building tags ---- */

static void put32(struct buf *b, size_t v, bool sync)
{
	unsigned char p[4];

	if (sync) {
		p[0] = (unsigned char)((v >> 21) & 0x7f);
		p[1] = (unsigned char)((v >> 14) & 0x7f);
		p[2] = (unsigned char)((v >> 7) & 0x7f);
		p[3] = (unsigned char)(v & 0x7f);
	} else {
		p[0] = (unsigned char)(v >> 24);
		p[1] = (unsigned char)(v >> 16);
		p[2] = (unsigned char)(v >> 8);
		p[3] = (unsigned char)v;
	}
	buf_append(b, p, 4);
}

static void frame(struct buf *b, int ver, const char *id, const void *body, size_t n,
                  unsigned flags2)
{
	buf_append(b, id, 4);
	put32(b, n, ver == 4);
	buf_putc(b, 0);
	buf_putc(b, (char)flags2);
	buf_append(b, body, n);
}

static void chap(struct buf *b, int ver, const char *eid, unsigned st, unsigned en,
                 const struct buf *sub)
{
	struct buf f = {0};

	buf_append(&f, eid, strlen(eid) + 1);
	put32(&f, st, false);
	put32(&f, en, false);
	put32(&f, 0xffffffffu, false);
	put32(&f, 0xffffffffu, false);
	if (sub)
		buf_append(&f, sub->data, sub->len);
	frame(b, ver, "CHAP", f.data, f.len, 0);
	buf_free(&f);
}

static void tag_wrap(struct buf *out, int ver, unsigned flags, const struct buf *frames)
{
	buf_append(out, "ID3", 3);
	buf_putc(out, (char)ver);
	buf_putc(out, 0);
	buf_putc(out, (char)flags);
	put32(out, frames->len + 64, true);
	buf_append(out, frames->data, frames->len);
	buf_reserve(out, 64);
	memset(out->data + out->len, 0, 64); /* padding */
	out->len += 64;
}

static struct chapters *from_tag(const struct buf *t)
{
	struct err e = {{0}};
	struct chapters *c = chapters_from_id3((const unsigned char *)t->data, t->len, &e);

	if (c == NULL)
		printf("# %s\n", e.msg);
	return c;
}

static void test_built_tags(void)
{
	struct buf f = {0}, sub = {0}, tag = {0};
	struct chapters *c;
	/* TIT2 in UTF-16 with BOM: "Ä😊" */
	static const unsigned char tit_utf16[] = {1, 0xff, 0xfe, 0xc4, 0, 0x3d, 0xd8, 0x0a, 0xde};
	static const unsigned char wxxx[] = "\0desc\0https://example.com/a";
	static const unsigned char apic_link[] = "\0-->\0\3\0https://example.com/p.jpg";
	static const unsigned char ctoc[] = "toc\0\3\1b";

	/* v2.3: chapters out of order, a CTOC that lists only "b". */
	frame(&sub, 3, "TIT2", tit_utf16, sizeof tit_utf16, 0);
	frame(&sub, 3, "WXXX", wxxx, sizeof wxxx - 1, 0);
	frame(&sub, 3, "APIC", apic_link, sizeof apic_link - 1, 0);
	chap(&f, 3, "b", 61500, 0xffffffffu, &sub);
	buf_free(&sub);
	frame(&sub, 3, "TIT2", "\0Latin \xe9", 9, 0);
	chap(&f, 3, "a", 0, 61500, &sub);
	frame(&f, 3, "CTOC", ctoc, sizeof ctoc - 1, 0);
	tag_wrap(&tag, 3, 0, &f);
	c = from_tag(&tag);
	ok(c && c->n == 2, "v2.3 tag: two chapters");
	if (c && c->n == 2) {
		is_num(c->v[0].start, 0, "sorted by start");
		is_str(c->v[0].title, "Latin \xc3\xa9", "Latin-1 title to UTF-8");
		ok(!c->v[0].toc, "a chapter the CTOC does not list is hidden");
		is_num(c->v[1].start, 61.5, "millisecond start");
		is_num(c->v[1].end, -1, "end 0xFFFFFFFF is unknown");
		is_str(c->v[1].title, "\xc3\x84\xf0\x9f\x98\x8a", "UTF-16 with surrogate pair");
		is_str(c->v[1].url, "https://example.com/a", "WXXX link");
		is_str(c->v[1].image, "https://example.com/p.jpg", "APIC '-->' is an image link");
		ok(c->v[1].toc, "listed chapter is in the TOC");
		ok(chapters_find(c, 30, false) == 0 && chapters_find(c, 30, true) == -1,
		   "find with and without hidden chapters");
		ok(chapters_find(c, 62, true) == 1, "find the second");
	}
	chapters_free(c);
	buf_free(&f);
	buf_free(&sub);
	buf_free(&tag);

	/* v2.4: extended header, a UTF-8 frame with the unsynchronisation and
	 * data-length flags, no CTOC (so every chapter is listed). */
	{
		static const unsigned char unsynced[] = {3, 'x', 0xff, 0x00, 0xfe};
		struct buf ext = {0};

		frame(&sub, 4, "TIT2", "\3Hello", 6, 0);
		chap(&f, 4, "c1", 1000, 2000, &sub);
		buf_free(&sub);
		{
			struct buf body = {0};

			put32(&body, 4, true); /* data length indicator */
			buf_append(&body, unsynced, sizeof unsynced);
			frame(&sub, 4, "TIT2", body.data, body.len, 0x03);
			buf_free(&body);
		}
		chap(&f, 4, "c2", 2000, 3000, &sub);
		put32(&ext, 6, true);
		buf_putc(&ext, 1);
		buf_putc(&ext, 0);
		buf_append(&ext, f.data, f.len);
		tag_wrap(&tag, 4, 0x40, &ext);
		buf_free(&ext);
	}
	c = from_tag(&tag);
	ok(c && c->n == 2, "v2.4 tag with extended header: two chapters");
	if (c && c->n == 2) {
		is_str(c->v[0].title, "Hello", "UTF-8 title");
		ok(c->v[0].toc && c->v[1].toc, "no CTOC: all listed");
		is_num(c->v[1].end, 3, "end time");
		is_str(c->v[1].title, "x\xef\xbf\xbd\xef\xbf\xbd",
		       "unsynchronised frame decoded (FF 00 -> FF; bad UTF-8 -> U+FFFD)");
	}
	chapters_free(c);
	buf_free(&f);
	buf_free(&sub);
	buf_free(&tag);

	/* Truncated and hostile tags never read out of bounds. */
	frame(&sub, 3, "TIT2", "\0x", 2, 0);
	chap(&f, 3, "z", 0, 1000, &sub);
	tag_wrap(&tag, 3, 0, &f);
	{
		size_t cut, good = 0;

		for (cut = 10; cut < tag.len; cut++) {
			struct chapters *k =
			        chapters_from_id3((unsigned char *)tag.data, cut, NULL);

			good += k != NULL;
			chapters_free(k);
		}
		ok(good == tag.len - 10, "every truncation of a tag parses (no crash)");
	}
	tag.data[3] = 2;
	ok(chapters_from_id3((unsigned char *)tag.data, tag.len, NULL) == NULL,
	   "ID3v2.2 is refused");
	buf_free(&f);
	buf_free(&sub);
	buf_free(&tag);
}

/* ---- the corpus ---- */

static struct chapters *corpus_mp3(const char *corpus, const char *name)
{
	struct buf b = {0};
	struct err e = {{0}};
	struct chapters *c = NULL;
	char *p = str_printf("%s/chapters/%s", corpus, name);
	size_t size;

	if (file_read_all(p, 0, &b, &e) == 0) {
		size = id3_tag_size((unsigned char *)b.data, b.len);
		c = chapters_from_id3((unsigned char *)b.data, size ? size : b.len, &e);
	}
	if (c == NULL)
		printf("# %s: %s\n", p, e.msg);
	buf_free(&b);
	free(p);
	return c;
}

static struct chapters *corpus_json(const char *corpus, const char *name)
{
	struct buf b = {0};
	struct err e = {{0}};
	struct chapters *c = NULL;
	char *p = str_printf("%s/chapters/%s", corpus, name);

	if (file_read_all(p, 0, &b, &e) == 0)
		c = chapters_from_json(b.data, b.len, &e);
	if (c == NULL)
		printf("# %s: %s\n", p, e.msg);
	buf_free(&b);
	free(p);
	return c;
}

static void test_corpus(void)
{
	const char *corpus = getenv("HARK_CORPUS"), *ci = getenv("CI");
	static const double auph[] = {0, 3, 6, 9}, mp3chaps[] = {0, 7, 9, 11};
	static const char *const auph_t[] = {"Chapter 1 - \xe2\x9d\xa4\xef\xb8\x8f\xf0\x9f\x98\x8a",
	                                     "Chapter 2 - \xc3\x9f\xc3\xb6\xc3\x84",
	                                     "Chapter 3 - \xe7\x88\xb1", "Chapter 4"};
	static const char *const mp3chaps_t[] = {"Start", "Chapter 1", "Chapter 2", "Chapter 3"};
	struct chapters *c;
	char path[4096];
	size_t i;

	snprintf(path, sizeof path, "%s/chapters/antennapod-auphonic.mp3", corpus ? corpus : "");
	if (corpus == NULL || access(path, R_OK) != 0) {
		if (ci != NULL && strcmp(ci, "true") == 0)
			ok(0, "corpus chapters at %s (required in CI)", path);
		else
			printf("ok %d - # SKIP no corpus at %s\n", ++tap_n, path);
		return;
	}
	c = corpus_mp3(corpus, "antennapod-auphonic.mp3");
	ok(c && c->n == 4, "Auphonic: four chapters");
	for (i = 0; c && c->n == 4 && i < 4; i++) {
		is_num(c->v[i].start, auph[i], "Auphonic chapter start");
		is_str(c->v[i].title, auph_t[i], "Auphonic UTF-16 title with emoji");
		is_str(c->v[i].url, "https://example.com", "Auphonic WXXX link");
		is_str(c->v[i].image, "apic:image/jpeg", "Auphonic chapter picture noted");
		ok(c->v[i].toc, "Auphonic chapter in the CTOC");
	}
	if (c && c->n == 4)
		is_num(c->v[3].end, 10, "Auphonic last end");
	chapters_free(c);

	c = corpus_mp3(corpus, "antennapod-hindenburg-journalist-pro.mp3");
	ok(c && c->n == 2, "Hindenburg: two chapters");
	if (c && c->n == 2) {
		is_num(c->v[0].start, 0, "Hindenburg start 1");
		is_num(c->v[0].end, 5.006, "Hindenburg end 1");
		is_num(c->v[1].start, 5.006, "Hindenburg start 2");
		is_num(c->v[1].end, 10.884, "Hindenburg end 2");
		is_str(c->v[0].title, "Chapter Marker 1", "Hindenburg title 1");
		is_str(c->v[1].title, "Chapter Marker 2", "Hindenburg title 2");
		is_str(c->v[0].url, "https://example.com/chapter1url", "Hindenburg link 1");
		is_str(c->v[1].url, "https://example.com/chapter2url", "Hindenburg link 2");
		ok(c->v[0].image && c->v[1].image, "Hindenburg chapter images noted");
	}
	chapters_free(c);

	c = corpus_mp3(corpus, "antennapod-mp3chaps-py.mp3");
	ok(c && c->n == 4, "mp3chaps.py (ID3v2.4, extended header): four chapters");
	for (i = 0; c && c->n == 4 && i < 4; i++) {
		is_num(c->v[i].start, mp3chaps[i], "mp3chaps.py start");
		is_str(c->v[i].title, mp3chaps_t[i], "mp3chaps.py title");
	}
	if (c && c->n == 4)
		is_num(c->v[3].end, 12.173, "mp3chaps.py last end");
	chapters_free(c);

	c = corpus_mp3(corpus, "antennapod-ffmpeg-txxx-comment.mp3");
	ok(c && c->n == 0, "ffmpeg file: a tag with no chapters gives none");
	chapters_free(c);

	c = corpus_json(corpus, "podcastindex-example.json");
	ok(c && c->n == 9, "Podcasting 2.0 example: nine chapters");
	if (c && c->n == 9) {
		is_num(c->v[1].start, 168, "start 2");
		is_str(c->v[1].image, "https://example.com/images/hearing_aids.jpg", "img");
		is_str(c->v[3].url, "https://github.com/Podcastindex-org/podcast-namespace", "url");
		is_num(c->v[8].start, 6089, "last start");
		is_str(c->v[8].title, "Outro", "last title");
	}
	chapters_free(c);
	c = corpus_json(corpus, "podcastindex-exampleComplex.json");
	ok(c && c->n == 11, "complex example: eleven chapters");
	if (c && c->n == 11) {
		ok(!c->v[7].toc && c->v[7].title == NULL, "toc:false chapter hidden, no title");
		is_str(c->v[7].image, "https://example.com/images/parisfrance.jpg", "its image");
		ok(chapters_find(c, 4900, true) == 6, "hidden chapter skipped by find");
	}
	chapters_free(c);
}

static void test_json_rules(void)
{
	const char *s = "{\"chapters\":[{\"startTime\":12.345,\"endTime\":20.5,\"title\":\"A\"},"
	                "{\"startTime\":1.25,\"title\":\"\\u001b[1mB\"},{\"title\":\"no start\"}]}";
	struct err e = {{0}};
	struct chapters *c = chapters_from_json(s, strlen(s), &e);
	json_t *j;
	char *out;

	ok(c && c->n == 2, "JSON: chapters without startTime dropped");
	if (c && c->n == 2) {
		is_num(c->v[0].start, 1.25, "sorted, fractional start kept");
		is_str(c->v[0].title, "[1mB", "escape removed");
		is_num(c->v[1].start, 12.345, "fraction not rounded");
		is_num(c->v[1].end, 20.5, "endTime");
	}
	j = chapters_to_json(c);
	out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	ok(out && strstr(out, "{\"start\":1.25,\"end\":null,\"title\":\"[1mB\",\"url\":null,"
	                      "\"image\":null,\"toc\":true}") != NULL,
	   "chapters_to_json shape: %s", out ? out : "");
	free(out);
	json_decref(j);
	chapters_free(c);
	ok(chapters_from_json("[]", 2, &e) == NULL, "not an object: %s", e.msg);
}

static void test_psc_merge(void)
{
	struct feed_psc_chapter psc[] = {
	        {0, (char *)"Intro", NULL, NULL},
	        {62.5, (char *)"Main", (char *)"https://example.com/m", NULL},
	        {300, (char *)"End", NULL, (char *)"https://example.com/e.png"},
	};
	const char *js =
	        "{\"chapters\":[{\"startTime\":0.4,\"title\":\"J0\",\"img\":\"https://i/0\"},"
	        "{\"startTime\":63,\"title\":\"J1\"},{\"startTime\":300.9}]}";
	struct chapters *p = chapters_from_psc(psc, 3),
	                *j = chapters_from_json(js, strlen(js), NULL);
	struct chapters *m, *few;

	ok(p && p->n == 3 && p->v[1].start == 62.5, "Podlove chapters read");
	m = chapters_merge(p, j);
	ok(m && m->n == 3, "agreeing sources merge");
	if (m && m->n == 3) {
		is_str(m->v[0].title, "Intro", "first source's title kept");
		is_str(m->v[0].image, "https://i/0", "missing image filled from the other");
		is_str(m->v[1].url, "https://example.com/m", "url kept");
		is_num(m->v[1].start, 62.5, "first source's start kept");
		is_str(m->v[2].title, "End", "title kept when the other has none");
	}
	chapters_free(m);
	few = chapters_from_psc(psc, 2);
	m = chapters_merge(few, j);
	ok(m && m->n == 3 && strcmp(m->v[0].title, "J0") == 0,
	   "different counts: the richer (more chapters) wins");
	chapters_free(m);
	psc[1].start = 70;
	chapters_free(p);
	p = chapters_from_psc(psc, 3);
	m = chapters_merge(j, p);
	ok(m && m->n == 3 && strcmp(m->v[1].title, "Main") == 0,
	   "starts more than 1 s apart: the richer (more fields) wins");
	chapters_free(m);
	m = chapters_merge(NULL, j);
	ok(m && m->n == 3, "one source alone");
	chapters_free(m);
	chapters_free(few);
	chapters_free(p);
	chapters_free(j);
}

int main(void)
{
	test_built_tags();
	test_corpus();
	test_json_rules();
	test_psc_merge();
	return tap_done();
}
