/* test_transcript_formats.c - HTML and plain-text transcripts, sniffing,
 * the choice among <podcast:transcript> tags, show-notes timestamps,
 * sidecar files, and the Podcasting 2.0 example transcripts of the corpus. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hark/feed.h"
#include "hark/transcript.h"
#include "tap.h"

static struct transcript *parse(const char *s, const char *mime)
{
	struct err e = {{0}};
	struct transcript *t = transcript_parse(s, strlen(s), mime, &e);

	if (t == NULL)
		printf("# parse error: %s\n", e.msg);
	return t;
}

static void test_html(void)
{
	struct transcript *t;

	t = parse("<html><body><cite>Travis:</cite>\n<time>0:00</time>\n<p>When you &amp; "
	          "I\n   start<br>again</p>\n<p>Same speaker, no time</p>"
	          "<cite>Sarah:</cite><time>1:02:03</time><p>Later &#39;quoted&#39;</p>"
	          "<p><cite>Inline</cite><time>1:02:10</time>inside</p><script>no()</script>"
	          "</body></html>",
	          "text/html");
	ok(t && t->n == 4, "HTML: four paragraphs");
	if (t && t->n == 4) {
		is_str(t->cues[0].speaker, "Travis", "<cite> is the speaker, colon dropped");
		is_num(t->cues[0].start, 0, "<time> is the start");
		ok(t->cues[0].end < 0, "no end time in HTML");
		is_str(t->cues[0].text, "When you & I start\nagain", "white space collapsed, <br>");
		is_str(t->cues[1].speaker, "Travis", "speaker carries over");
		is_str(t->cues[2].text, "Later 'quoted'", "references decoded");
		is_num(t->cues[2].start, 3723, "h:mm:ss time");
		is_str(t->cues[3].speaker, "Inline", "cite inside the paragraph");
		is_str(t->cues[3].text, "inside", "cite and time inside are not text");
	}
	transcript_free(t);
}

static void test_text(void)
{
	struct transcript *t;

	t = parse("First paragraph\nsame one\n\n[00:01:05] Timed one\n\nafter it\n", "text/plain");
	ok(t && t->n == 3, "plain text: one cue per paragraph");
	if (t && t->n == 3) {
		is_num(t->cues[0].start, -1, "untimed paragraph");
		is_str(t->cues[0].text, "First paragraph\nsame one", "paragraph text");
		is_num(t->cues[1].start, 65, "a leading clock gives the start");
		is_str(t->cues[1].text, "Timed one", "clock removed from the text");
		is_num(t->cues[2].start, 65, "following paragraphs keep that time");
		ok(transcript_find(t, 70) == 2, "find among timed text");
	}
	transcript_free(t);
	t = parse("WEBVTT\n\n00:01.000 --> 00:02.000\nvtt served as text/plain\n", "text/plain");
	ok(t && t->n == 1 && t->cues[0].start == 1, "text/plain that is WebVTT is read as WebVTT");
	transcript_free(t);
}

static void test_sniff(void)
{
	ok(transcript_sniff("\xef\xbb\xbfWEBVTT\n", 10) == TRANSCRIPT_VTT, "sniff VTT");
	ok(transcript_sniff("  {\"segments\":[]}", 17) == TRANSCRIPT_JSON, "sniff JSON");
	ok(transcript_sniff("<p>x</p>", 8) == TRANSCRIPT_HTML, "sniff HTML");
	ok(transcript_sniff("1\n00:00:01,000 --> 00:00:02,000\n", 32) == TRANSCRIPT_SRT,
	   "sniff SRT");
	ok(transcript_sniff("hello", 5) == TRANSCRIPT_TEXT, "sniff text");
	ok(transcript_format_from_mime("text/vtt; charset=utf-8") == TRANSCRIPT_VTT,
	   "MIME parameters ignored");
	ok(transcript_format_from_mime("application/srt") == TRANSCRIPT_SRT, "application/srt");
	ok(transcript_format_from_name("https://x/a.SRT?x=1") == TRANSCRIPT_SRT,
	   "extension before a query");
}

/* Test strings for the non-const fields of struct feed_transcript. */
#define S(x) ((char *)(x))

static void test_pick(void)
{
	struct feed_transcript l[] = {
	        {S("https://x/a.txt"), S("text/plain"), NULL, NULL},
	        {S("https://x/a.srt"), S("application/x-subrip"), NULL, NULL},
	        {S("https://x/a.html"), S("text/html"), NULL, NULL},
	        {S("https://x/a.vtt"), S("text/vtt"), NULL, S("captions")},
	        {S("https://x/es.json"), S("application/json"), S("es"), NULL},
	        {S("https://x/en.json"), S("application/json"), S("en-US"), NULL},
	};

	ok(transcript_pick(l, 4, "en") == 3, "VTT over SRT, HTML and text");
	ok(transcript_pick(l, 3, "en") == 1, "SRT over HTML and text");
	ok(transcript_pick(l, 6, "en") == 5, "JSON in the preferred language");
	ok(transcript_pick(l, 6, "es_ES.UTF-8") == 4, "language from a locale name");
	ok(transcript_pick(l, 5, "en") == 3, "another language loses to an unlabelled one");
	ok(transcript_pick(l, 5, "fr") == 3, "no match: unlabelled first");
	ok(transcript_pick(l + 4, 1, "fr") == 0, "only another language: still picked");
	ok(transcript_pick(l, 0, "en") == -1, "none");
}

static void test_shownotes(void)
{
	struct transcript *t;

	t = transcript_from_shownotes("Welcome to the show.\n12:30 \xe2\x80\x94 the frozen assets\n"
	                              "* (1:02:03) Listener mail\nIntro - 0:45\n"
	                              "Call 555-1234 or visit at 10.30\n[05:07] Bracketed\n");
	ok(t && t->n == 4, "four timestamps found");
	if (t && t->n == 4) {
		is_num(t->cues[0].start, 45, "time at the end of a line");
		is_str(t->cues[0].text, "Intro", "text before it");
		is_num(t->cues[1].start, 307, "[05:07]");
		is_str(t->cues[1].text, "Bracketed", "brackets dropped");
		is_num(t->cues[2].start, 750, "12:30");
		is_str(t->cues[2].text, "the frozen assets", "em dash dropped");
		is_num(t->cues[3].start, 3723, "(1:02:03)");
		is_str(t->cues[3].text, "Listener mail", "parentheses and bullet dropped");
	}
	transcript_free(t);
	ok(transcript_from_shownotes("no times here, 3:5 or 99:99") == NULL, "nothing found");
}

static void test_sidecar(void)
{
	char dir[] = "/tmp/hark-sidecar-XXXXXX", *p, *got;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	p = str_printf("%s/ep.mp3", dir);
	got = transcript_sidecar(p);
	ok(got == NULL, "no sidecar");
	free(got);
	free(p);
	p = str_printf("%s/ep.srt", dir);
	f = fopen(p, "w");
	fclose(f);
	free(p);
	p = str_printf("%s/ep.mp3", dir);
	got = transcript_sidecar(p);
	ok(got && strstr(got, "/ep.srt") != NULL, "ep.srt beside ep.mp3");
	free(got);
	free(p);
	p = str_printf("%s/ep.vtt", dir);
	f = fopen(p, "w");
	fclose(f);
	free(p);
	p = str_printf("%s/ep.mp3", dir);
	got = transcript_sidecar(p);
	ok(got && strstr(got, "/ep.vtt") != NULL, ".vtt preferred over .srt");
	free(got);
	free(p);
	p = str_printf("rm -rf '%s'", dir);
	ok(system(p) == 0, "cleanup");
	free(p);
}

static struct transcript *corpus_file(const char *corpus, const char *name)
{
	struct buf b = {0};
	struct err e = {{0}};
	struct transcript *t = NULL;
	char *p = str_printf("%s/transcripts/%s", corpus, name);

	if (file_read_all(p, 0, &b, &e) == 0)
		t = transcript_parse_format(b.data, b.len, transcript_format_from_name(name), &e);
	if (t == NULL)
		printf("# %s: %s\n", p, e.msg);
	buf_free(&b);
	free(p);
	return t;
}

/* Whitespace-insensitive comparison of a run of SRT cues with a paragraph. */
static char *squash(const char *s)
{
	char *o = text_sanitize(s, false);

	return o;
}

static void test_corpus(void)
{
	const char *corpus = getenv("HARK_CORPUS"), *ci = getenv("CI");
	struct transcript *vtt, *srt, *html, *json;
	char path[4096];
	size_t i, k, turns = 0;

	snprintf(path, sizeof path, "%s/transcripts/podcastindex-example.srt",
	         corpus ? corpus : "");
	if (corpus == NULL || access(path, R_OK) != 0) {
		if (ci != NULL && strcmp(ci, "true") == 0)
			ok(0, "corpus transcripts at %s (required in CI)", path);
		else
			printf("ok %d - # SKIP no corpus at %s\n", ++tap_n, path);
		return;
	}
	json = corpus_file(corpus, "podcastindex-example.json");
	vtt = corpus_file(corpus, "podcastindex-example.vtt");
	srt = corpus_file(corpus, "podcastindex-example.srt");
	html = corpus_file(corpus, "podcastindex-example.html");
	ok(json && json->n == 2, "example JSON: 5 word segments make 2 lines");
	if (json && json->n == 2) {
		is_str(json->cues[0].text, "I am your father.", "JSON line text");
		is_str(json->cues[0].speaker, "Darth Vader", "JSON speaker");
		is_num(json->cues[0].start, 0.5, "JSON start");
		is_num(json->cues[0].end, 2.5, "JSON end");
		ok(json->cues[0].n_words == 4, "JSON word times kept");
		is_str(json->cues[1].speaker, "Luke", "JSON second speaker");
	}
	ok(vtt && vtt->n == 7, "example VTT: 7 cues");
	if (vtt && vtt->n == 7) {
		is_str(vtt->cues[2].text,
		       "include in one? Welcome to Podcasting Q&A, where you learn",
		       "VTT text with &amp;");
		is_num(vtt->cues[5].start, 19.08, "VTT start");
		is_str(vtt->cues[6].speaker, "Gillian", "VTT speaker");
	}
	ok(srt && srt->n == 222, "example SRT: 222 cues");
	ok(html && html->n == 10, "example HTML: 10 paragraphs");
	/* The SRT and HTML files are the same transcript: each speaker turn of
	 * the SRT is one HTML paragraph with the same speaker, start second
	 * and words. */
	for (i = 0; srt && html && i < srt->n; i = k) {
		struct buf run = {0};
		char *a, *b;

		for (k = i; k < srt->n && (k == i || srt->cues[k].speaker == NULL ||
		                           strcmp(srt->cues[k].speaker, srt->cues[i].speaker) == 0);
		     k++)
			buf_printf(&run, "%s%s", run.len ? " " : "", srt->cues[k].text);
		if (turns < html->n) {
			a = squash(run.data);
			b = squash(html->cues[turns].text);
			ok(strcmp(a, b) == 0 &&
			           strcmp(srt->cues[i].speaker, html->cues[turns].speaker) == 0 &&
			           (long)srt->cues[i].start == (long)html->cues[turns].start,
			   "SRT turn %zu (%s at %.0f s) = HTML paragraph", turns,
			   srt->cues[i].speaker, srt->cues[i].start);
			free(a);
			free(b);
		}
		buf_free(&run);
		turns++;
	}
	ok(html && turns == html->n, "as many SRT speaker turns as HTML paragraphs (%zu)", turns);
	transcript_free(json);
	transcript_free(vtt);
	transcript_free(srt);
	transcript_free(html);
}

int main(void)
{
	test_html();
	test_text();
	test_sniff();
	test_pick();
	test_shownotes();
	test_sidecar();
	test_corpus();
	return tap_done();
}
