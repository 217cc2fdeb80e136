/* test_srt.c - SubRip parsing: indices, separators, CRLF, BOM, markup,
 * speaker prefixes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hark/transcript.h"
#include "tap.h"

static struct transcript *srt(const char *s)
{
	struct err e = {{0}};
	struct transcript *t = transcript_parse(s, strlen(s), "application/x-subrip", &e);

	if (t == NULL)
		printf("# parse error: %s\n", e.msg);
	return t;
}

int main(void)
{
	struct transcript *t;
	struct err e = {{0}};

	t = srt("\xef\xbb\xbf"
	        "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello <i>there</i>\r\nsecond line\r\n\r\n"
	        "7\r\n00:00:03.250 --> 00:00:04.000 X1:10 X2:20\r\n{\\an8}Dot separator\r\n");
	ok(t && t->n == 2, "BOM, CRLF, comma and dot separators, coordinates");
	if (t && t->n == 2) {
		is_num(t->cues[0].start, 1, "first start");
		is_num(t->cues[0].end, 2.5, "first end (comma)");
		is_str(t->cues[0].text, "Hello there\nsecond line", "tags stripped, lines kept");
		is_num(t->cues[1].start, 3.25, "dot separator start");
		is_str(t->cues[1].text, "Dot separator", "{\\an8} override removed");
	}
	transcript_free(t);

	t = srt("00:00:05,000 --> 00:00:06,000\nno index\n\n"
	        "00:00:07,000 --> 00:00:08,000\nstill none\n3\n00:00:09,000 --> 00:00:10,000\n"
	        "index without blank line before\n");
	ok(t && t->n == 3, "missing indices and a missing blank line");
	if (t && t->n == 3) {
		is_str(t->cues[1].text, "still none", "a counter line is not text");
		is_num(t->cues[2].start, 9, "cue after the counter");
	}
	transcript_free(t);

	t = srt("1\n00:01:00,000 --> 00:01:02,000\nTravis: When you start\n\n"
	        "2\n00:01:02,000 --> 00:01:04,000\nit goes on\n\n"
	        "3\n00:01:04,000 --> 00:01:05,000\nSarah Jane Smith: Hi\n\n"
	        "4\n00:01:05,000 --> 00:01:06,000\nNote this: lowercase words are not a name\n\n"
	        "5\n00:01:06,000 --> 00:01:07,000\n10:30 is a time\n");
	ok(t && t->n == 5, "speaker prefixes");
	if (t && t->n == 5) {
		is_str(t->cues[0].speaker, "Travis", "Name: prefix is the speaker");
		is_str(t->cues[0].text, "When you start", "and is cut from the text");
		is_str(t->cues[1].speaker, "Travis", "the speaker carries to the next cue");
		is_str(t->cues[2].speaker, "Sarah Jane Smith", "three-word name");
		is_str(t->cues[3].text, "Note this: lowercase words are not a name",
		       "a sentence with a colon is not a name");
		is_str(t->cues[4].text, "10:30 is a time", "a clock is not a name");
	}
	transcript_free(t);

	t = srt("2\n00:00:02,000 --> 00:00:03,000\nsecond\n\n1\n00:00:01,000 --> "
	        "00:00:02,000\nfirst\n");
	ok(t && t->n == 2 && strcmp(t->cues[0].text, "first") == 0, "wrong order is sorted");
	transcript_free(t);

	t = transcript_parse("just words\n", 11, "application/x-subrip", &e);
	ok(t == NULL && strstr(e.msg, "SRT") != NULL, "no timing at all is an error: %s", e.msg);
	transcript_free(t);

	t = transcript_parse("1\n00:00:01,000 --> 00:00:02,000\nsniffed\n", 40, NULL, &e);
	ok(t && t->n == 1 && strcmp(t->cues[0].text, "sniffed") == 0, "SRT found by sniffing");
	transcript_free(t);
	return tap_done();
}
