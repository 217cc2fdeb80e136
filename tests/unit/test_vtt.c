/* test_vtt.c - WebVTT parsing rules, one group per rule of the spec that a
 * podcast transcript can hit. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hark/transcript.h"
#include "tap.h"

static struct transcript *vtt(const char *s)
{
	struct err e = {{0}};
	struct transcript *t = transcript_parse(s, strlen(s), "text/vtt", &e);

	if (t == NULL)
		printf("# parse error: %s\n", e.msg);
	return t;
}

static void test_header_and_bom(void)
{
	struct transcript *t;
	struct err e = {{0}};

	t = vtt("\xef\xbb\xbfWEBVTT - a title\nKind: captions\nLanguage: en\n\n"
	        "00:01.000 --> 00:02.000\nHello\n");
	ok(t && t->n == 1, "BOM, title after WEBVTT and header lines are accepted");
	if (t)
		is_str(t->cues[0].text, "Hello", "cue text after the header block");
	transcript_free(t);

	t = transcript_parse("WEBVTTX\n\n00:01.000 --> 00:02.000\nx\n", 33, "text/vtt", &e);
	ok(t == NULL && strstr(e.msg, "WEBVTT") != NULL, "WEBVTTX is not a signature: %s", e.msg);
	transcript_free(t);

	t = vtt("WEBVTT\n00:01.000 --> 00:02.000\nin the header\n");
	ok(t && t->n == 0, "a cue without a blank line after the header is part of the header");
	transcript_free(t);

	t = vtt("WEBVTT");
	ok(t && t->n == 0, "a signature alone is an empty transcript");
	transcript_free(t);
}

static void test_blocks(void)
{
	struct transcript *t;

	t = vtt("WEBVTT\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r1 width:40%\n\n"
	        "NOTE this is a comment\nspanning --> lines\n\n"
	        "intro\n00:00:01.000 --> 00:00:04.000 align:start position:10% line:0\n"
	        "First\n\nNOTE\nanother\n\n00:05.000 --> 00:06.500\nSecond\nline two\n");
	ok(t && t->n == 2, "STYLE, REGION and NOTE blocks are skipped");
	if (t && t->n == 2) {
		is_num(t->cues[0].start, 1, "cue id and settings: start");
		is_num(t->cues[0].end, 4, "cue settings ignored: end");
		is_str(t->cues[0].text, "First", "cue id is not text");
		is_str(t->cues[1].text, "Second\nline two", "multi-line cue keeps its newline");
		is_num(t->cues[1].end, 6.5, "minutes:seconds.mmm end");
	}
	transcript_free(t);

	t = vtt("WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\nA\r\n00:01.000 --> 00:02.000\r\nB\r\n");
	ok(t && t->n == 2, "CRLF; a timing line right after text starts a new cue");
	if (t && t->n == 2)
		is_str(t->cues[1].text, "B", "second cue text");
	transcript_free(t);
}

static void test_times(void)
{
	struct transcript *t;

	t = vtt("WEBVTT\n\n01:02:03.456 --> 01:02:04.000\nh\n\n00:00.5 --> 00:01.000\nbad\n\n"
	        "00:00:09.000-->00:00:10.000\ntight\n");
	ok(t && t->n == 2, "a fraction without three digits drops the cue");
	if (t && t->n == 2) {
		is_num(t->cues[0].start, 9, "no spaces around the arrow");
		is_num(t->cues[1].start, 3723.456, "hours:minutes:seconds.mmm");
	}
	transcript_free(t);

	t = vtt("WEBVTT\n\n00:00:03.000 --> 00:00:04.000\nlater\n\n"
	        "00:00:01.000 --> 00:00:02.000\nearlier\n");
	ok(t && t->n == 2 && strcmp(t->cues[0].text, "earlier") == 0,
	   "cues come out sorted by start");
	transcript_free(t);
}

static void test_text(void)
{
	struct transcript *t;

	t = vtt("WEBVTT\n\n00:01.000 --> 00:05.000\n"
	        "<v.loud Roger Bingham>We are in <i>New</i> <b.x>York</b> &amp; &lt;more&gt;"
	        "&nbsp;&#233;&#x4E2D;&bogus; &amp</v>\n");
	ok(t && t->n == 1, "tagged cue parses");
	if (t && t->n == 1) {
		is_str(t->cues[0].speaker, "Roger Bingham", "<v> annotation is the speaker");
		is_str(t->cues[0].text,
		       "We are in New York & <more>\xc2\xa0\xc3\xa9\xe4\xb8\xad&bogus; &amp",
		       "tags stripped, references decoded, unknown ones kept");
	}
	transcript_free(t);

	t = vtt("WEBVTT\n\n00:01.000 --> 00:05.000\n<c.x It never closes\n");
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "") == 0,
	   "an unclosed tag swallows the rest (as vtt.js)");
	transcript_free(t);

	t = vtt("WEBVTT\n\n00:01.000 --> 00:05.000\n\x1b[31mred\xe2\x80\xae evil\x07\n");
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "[31mred evil") == 0,
	   "escape, bidi override and BEL are removed");
	transcript_free(t);

	t = transcript_parse("WEBVTT\n\n00:01.000 --> 00:02.000\na\0b\n", 35, "text/vtt", NULL);
	ok(t && t->n == 1 &&
	           strcmp(t->cues[0].text, "a\xef\xbf\xbd"
	                                   "b") == 0,
	   "NUL becomes U+FFFD");
	transcript_free(t);
}

static void test_word_times(void)
{
	struct transcript *t;
	const struct transcript_cue *c;

	t = vtt("WEBVTT\n\n00:10.000 --> 00:14.000\n"
	        "<v Ann>Hello <00:11.000>there <00:12.500>my <00:13.250>friend\n");
	ok(t && t->n == 1 && t->cues[0].n_words == 4, "inline timestamps give 4 word spans");
	if (t && t->n == 1 && t->cues[0].n_words == 4) {
		c = &t->cues[0];
		is_str(c->text, "Hello there my friend", "timestamps are not text");
		is_num(c->words[0].start, 10,
		       "text before the first timestamp starts with the cue");
		is_num(c->words[1].start, 11, "second word time");
		ok(c->words[1].off == 6 && c->words[1].len == 5, "second word span is 'there'");
		is_num(c->words[3].start, 13.25, "last word time");
		ok(transcript_find_word(c, 12.7) == 2, "word at 12.7 s is 'my'");
		ok(transcript_find_word(c, 9) == -1, "no word before the first");
	}
	transcript_free(t);
}

static void test_find(void)
{
	struct transcript *t;

	t = vtt("WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n00:02.000 --> 00:03.000\nb\n\n"
	        "00:05.000 --> 00:06.000\nc\n\n00:05.500 --> 00:05.800\nd\n");
	ok(t && t->n == 4, "four cues");
	if (t && t->n == 4) {
		ok(transcript_find(t, 0.5) == -1, "before the first cue");
		ok(transcript_find(t, 1) == 0, "at a cue's start");
		ok(transcript_find(t, 2) == 1, "at the boundary the next cue wins");
		ok(transcript_find(t, 4) == -1, "in a gap");
		ok(transcript_find(t, 5.6) == 3, "the later of two overlapping cues");
		ok(transcript_find(t, 5.9) == 2, "back to the longer overlapping cue");
		ok(transcript_find(t, 60) == -1, "after the end");
	}
	transcript_free(t);
}

static void test_json_out(void)
{
	struct transcript *t;
	json_t *j;
	char *s;

	t = vtt("WEBVTT\n\n00:01.500 --> 00:02.000\n<v A \"B\">x\n");
	j = transcript_to_json(t);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	is_str(s,
	       "{\"cues\":[{\"start\":1.5,\"end\":2.0,\"speaker\":\"A "
	       "\\\"B\\\"\",\"text\":\"x\"}]}",
	       "transcript_to_json shape");
	free(s);
	json_decref(j);
	transcript_free(t);
}

int main(void)
{
	test_header_and_bom();
	test_blocks();
	test_times();
	test_text();
	test_word_times();
	test_find();
	test_json_out();
	return tap_done();
}
