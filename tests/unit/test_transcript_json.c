/* test_transcript_json.c - Podcasting 2.0 JSON transcripts: segments,
 * optional endTime, word-level segments joined into lines with their word
 * times. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hark/transcript.h"
#include "tap.h"

static struct transcript *js(const char *s)
{
	struct err e = {{0}};
	struct transcript *t = transcript_parse(s, strlen(s), "application/json", &e);

	if (t == NULL)
		printf("# parse error: %s\n", e.msg);
	return t;
}

int main(void)
{
	struct transcript *t;
	struct err e = {{0}};
	const struct transcript_cue *c;

	t = js("{\"version\":\"1.0.0\",\"segments\":["
	       "{\"speaker\":\"Ann\",\"startTime\":0.5,\"endTime\":3.25,\"body\":\"A whole "
	       "sentence here.\"},"
	       "{\"speaker\":\"Bob\",\"startTime\":4,\"body\":\"No end time at all\"},"
	       "{\"startTime\":9,\"endTime\":10,\"body\":\"No speaker\"},"
	       "{\"speaker\":\"x\",\"body\":\"untimed is dropped\"}]}");
	ok(t && t->n == 3, "sentence segments: three cues, the untimed one dropped");
	if (t && t->n == 3) {
		is_str(t->cues[0].speaker, "Ann", "speaker");
		is_num(t->cues[0].end, 3.25, "endTime");
		is_num(t->cues[1].end, -1, "a segment without endTime is kept, end unknown");
		ok(t->cues[2].speaker == NULL, "no speaker");
		ok(t->cues[0].n_words == 0, "sentence segments have no word times");
	}
	transcript_free(t);

	/* Word-level: break at a sentence end, a speaker change and a gap. */
	t = js("{\"segments\":["
	       "{\"speaker\":\"A\",\"startTime\":1.0,\"endTime\":1.2,\"body\":\"Hello\"},"
	       "{\"speaker\":\"A\",\"startTime\":1.2,\"endTime\":1.3,\"body\":\",\"},"
	       "{\"speaker\":\"A\",\"startTime\":1.3,\"endTime\":1.6,\"body\":\" world\"},"
	       "{\"speaker\":\"A\",\"startTime\":1.6,\"endTime\":1.9,\"body\":\"again.\"},"
	       "{\"speaker\":\"A\",\"startTime\":2.0,\"endTime\":2.2,\"body\":\"Next\"},"
	       "{\"speaker\":\"A\",\"startTime\":2.2,\"endTime\":2.5,\"body\":\"one\"},"
	       "{\"speaker\":\"A\",\"startTime\":5.0,\"endTime\":5.2,\"body\":\"after\"},"
	       "{\"speaker\":\"A\",\"startTime\":5.2,\"endTime\":5.4,\"body\":\"gap\"},"
	       "{\"speaker\":\"B\",\"startTime\":5.5,\"endTime\":5.9,\"body\":\"Other\"}]}");
	ok(t && t->n == 4, "word segments join into 4 lines");
	if (t && t->n == 4) {
		c = &t->cues[0];
		is_str(c->text, "Hello, world again.", "punctuation attaches, spaces normalised");
		is_num(c->start, 1.0, "line start = first word start");
		is_num(c->end, 1.9, "line end = last word end");
		ok(c->n_words == 4, "every word keeps its time (%zu)", c->n_words);
		if (c->n_words == 4) {
			ok(c->words[2].off == 7 && c->words[2].len == 5, "'world' span");
			is_num(c->words[2].start, 1.3, "'world' time");
		}
		is_str(t->cues[1].text, "Next one", "sentence end breaks the line");
		is_str(t->cues[2].text, "after gap", "a gap over 1.5 s breaks the line");
		is_str(t->cues[3].speaker, "B", "a speaker change breaks the line");
	}
	transcript_free(t);

	t = js("{\"segments\":[{\"startTime\":\"0:01.5\",\"body\":\"string time\"}]}");
	ok(t && t->n == 1 && t->cues[0].start == 1.5, "a clock string as startTime");
	transcript_free(t);

	t = transcript_parse("{\"segments\": 3}", 15, "application/json", &e);
	ok(t == NULL && strstr(e.msg, "segments") != NULL, "no segments array: %s", e.msg);
	transcript_free(t);
	t = transcript_parse("{\"segments\": [", 14, "application/json", &e);
	ok(t == NULL && strstr(e.msg, "JSON") != NULL, "broken JSON: %s", e.msg);
	transcript_free(t);

	/* What the stream reader must do as a document tree would. */
	t = js("[{\"startTime\":1,\"body\":\"a\"},{\"startTime\":2,\"body\":\"two words\"}]");
	ok(t && t->n == 2, "a bare array of segments");
	transcript_free(t);
	t = js("{\"segments\":[{\"startTime\":1,\"body\":\"first\",\"body\":\"last wins\","
	       "\"speaker\":\"A\",\"speaker\":7}]}");
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "last wins") == 0 &&
	           t->cues[0].speaker == NULL,
	   "a repeated key: the last value wins (a number as speaker is none)");
	transcript_free(t);
	t = js("{\"segments\":[{\"startTime\":1,\"body\":\"dropped\"}],\"x\":1,"
	       "\"segments\":[{\"startTime\":2,\"body\":\"kept\"}]}");
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "kept") == 0 && t->cues[0].start == 2,
	   "two segments arrays: the last one");
	transcript_free(t);
	t = transcript_parse("{\"segments\":[{\"startTime\":1,\"body\":\"a\"}],\"segments\":0}", 54,
	                     "application/json", &e);
	ok(t == NULL && strstr(e.msg, "segments") != NULL, "a later non-array segments: %s", e.msg);
	transcript_free(t);
	t = js("{\"meta\":{\"segments\":[{\"startTime\":5,\"body\":\"inner\"}]},\"segments\":["
	       "{\"startTime\":3,\"x\":{\"body\":\"nested\",\"startTime\":9},\"body\":\"outer\"},"
	       "[{\"startTime\":4,\"body\":\"in an array\"}],\"text\",null,"
	       "{\"startTime\":true,\"body\":\"bool time\"},{\"startTime\":6,\"body\":[\"x\"]}]}");
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "outer") == 0 && t->cues[0].start == 3,
	   "nested objects and arrays, non-object segments and wrong types are skipped");
	transcript_free(t);
	t = js("\xef\xbb\xbf{\"segments\":[{\"startTime\":1,\"endTime\":0.5,"
	       "\"body\":\"a\\u0000b\"}]}");
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "ab") == 0 && t->cues[0].end == -1,
	   "a byte order mark is skipped, \\u0000 dropped, an end before the start unknown");
	transcript_free(t);
	t = transcript_parse("{\"segments\": [\n{\"startTime\": 1,\n\"body\": x}]}", 44,
	                     "application/json", &e);
	ok(t == NULL && strncmp(e.msg, "JSON: line 3:", 13) == 0, "the error names the line: %s",
	   e.msg);
	transcript_free(t);
	t = transcript_parse("{\"segments\": [\n{\"startTime\": 1,\n", 32, "application/json", &e);
	ok(t == NULL && strncmp(e.msg, "JSON: line 3:", 13) == 0,
	   "a premature end names the last line: %s", e.msg);
	transcript_free(t);

	t = js("{\"segments\":[{\"startTime\":1,\"body\":\"evil\\u001b[2J\\u202etext\"}]}");
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "evil[2Jtext") == 0,
	   "control and bidi characters removed");
	transcript_free(t);
	return tap_done();
}
