/* bench_tx.c - the transcripts benchmark's helper (not a test; see run.sh).
 *
 *   bench_tx json OUT [SECONDS] [WORDS]
 *       write a word-level Podcasting 2.0 JSON transcript: WORDS one-word
 *       segments (default 30000) over SECONDS (default 10800, three hours),
 *       speakers taking turns, sentences ending in '.'.
 *   bench_tx load FILE [WIDTH]
 *       time, in-process and with the same code the interface runs:
 *       read + transcript_parse (words joined into lines), the
 *       interface's layout of every cue (text_sanitize + uitext_wrap at
 *       WIDTH columns), transcript_store_save and transcript_store_load
 *       (the interface reads stored cues back), and following playback: one
 *       transcript_find + transcript_find_word per tick at 10 ticks a
 *       second over the whole episode. Prints "name ms" lines.
 *   bench_tx library DB EPISODES CUES
 *       build a library: EPISODES episodes in feeds of 100 (feed_parse +
 *       store_feed_add, the real add path), each with a transcript of CUES
 *       cues of ~12 words (transcript_store_save, the real save path, which
 *       also writes the FTS5 index rows). Words follow a Zipf law over a
 *       30,000-word vocabulary; word(r) prints the word of rank r.
 *   bench_tx word RANK      the vocabulary's word of that rank (1 = commonest)
 *   bench_tx search DB RUNS QUERY
 *       search_query RUNS times; prints the median ms and the hit count.
 */
#include "config.h"

#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_parse.h>

#include "../../src/ui/uitext.h"
#include "hark/feed.h"
#include "hark/search.h"
#include "hark/store.h"
#include "hark/transcript.h"

#define VOCAB 30000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double uniform(void)
{
	return (double)(xorshift() >> 11) / 9007199254740992.0;
}

/* The word of rank r (1-based): letters from r's digits in base 20, so
 * every rank has its own word and none is a prefix-free accident. */
static void word_of(long r, char *out)
{
	static const char *const syl[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri",
	                                  "po", "ve", "da", "go", "hu", "ji", "be",
	                                  "fa", "zo", "wi", "ce", "xu", "yo"};
	char *p = out;

	*p++ = "bdfgklmnprstvz"[r % 14];
	while (r > 0) {
		const char *s = syl[r % 20];

		*p++ = s[0];
		*p++ = s[1];
		r /= 20;
	}
	*p = '\0';
}

/* Zipf (s = 1) rank by inverse CDF on a table. */
static double cdf[VOCAB + 1];

static void zipf_init(void)
{
	double h = 0;
	long i;

	for (i = 1; i <= VOCAB; i++)
		h += 1.0 / (double)i;
	cdf[0] = 0;
	for (i = 1; i <= VOCAB; i++)
		cdf[i] = cdf[i - 1] + 1.0 / (double)i / h;
}

static long zipf(void)
{
	double u = uniform();
	long lo = 1, hi = VOCAB;

	while (lo < hi) {
		long mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmd_json(const char *out, double seconds, long words)
{
	static const char *const speakers[] = {"Ada", "Grace", "Linus"};
	FILE *f = fopen(out, "w");
	double step = seconds / (double)words;
	long i, sp = 0;
	char w[32];

	if (f == NULL) {
		perror(out);
		return 1;
	}
	zipf_init();
	fputs("{\"version\":\"1.0.0\",\"segments\":[\n", f);
	for (i = 0; i < words; i++) {
		double st = (double)i * step;

		if (i > 0 && i % 40 == 0)
			sp = (sp + 1) % 3;
		word_of(zipf(), w);
		fprintf(f,
		        "%s{\"speaker\":\"%s\",\"startTime\":%.3f,\"endTime\":%.3f,\"body\":\"%s%"
		        "s\"}",
		        i ? ",\n" : "", speakers[sp], st, st + step * 0.9, w,
		        i % 12 == 11 ? "." : "");
	}
	fputs("\n]}\n", f);
	fclose(f);
	return 0;
}

static int cmd_load(const char *path, int width)
{
	struct buf b = {0};
	struct err e;
	struct transcript *t, *back = NULL;
	struct store *st;
	struct feed *fd;
	double t0, t1, t2, t3, t4, t5, t6, c0, c1, c2, pos, end;
	size_t i, lines = 0, words = 0;
	long hit = 0, ticks = 0;
	char dir[] = "/tmp/bench_tx.XXXXXX", db[64], *xml;
	int64_t fid;

	c0 = cpu_ms();
	t0 = now_ms();
	if (file_read_all(path, 1 << 30, &b, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	t = transcript_parse(b.data, b.len, "application/json", &e);
	t1 = now_ms();
	c1 = cpu_ms();
	if (t == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	/* the interface's layout: each cue sanitised and wrapped */
	for (i = 0; i < t->n; i++) {
		char **wl = NULL, *clean = text_sanitize(t->cues[i].text, true);
		int n = uitext_wrap(clean ? clean : "", width, &wl);

		lines += (size_t)(n > 0 ? n : 0);
		uitext_lines_free(wl, n);
		free(clean);
		words += t->cues[i].n_words;
	}
	t2 = now_ms();
	c2 = cpu_ms();
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(db, sizeof db, "%s/library.db", dir);
	st = store_open(db, &e);
	xml = str_printf("<rss><channel><title>B</title><item><title>E</title><guid>g</guid>"
	                 "<enclosure url=\"http://127.0.0.1:1/e.mp3\" type=\"audio/mpeg\"/>"
	                 "</item></channel></rss>");
	fd = st ? feed_parse(xml, strlen(xml), "http://127.0.0.1:1/f.xml", false, &e) : NULL;
	if (fd == NULL || store_feed_add(st, "http://127.0.0.1:1/f.xml", false, fd, NULL, NULL,
	                                 &fid, NULL, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	t3 = now_ms();
	if (transcript_store_save(st, 1, t, "bench.json", "application/json", NULL, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	t4 = now_ms();
	if (transcript_store_load(st, 1, &back, &e) != 0) {
		fprintf(stderr, "load: %s\n", e.msg);
		return 1;
	}
	t5 = now_ms();
	/* following playback: 10 ticks a second over the whole episode */
	end = t->n ? t->cues[t->n - 1].start + 5 : 0;
	for (pos = 0; pos < end; pos += 0.1) {
		long c = transcript_find(t, pos);

		if (c >= 0)
			hit += 1 + transcript_find_word(&t->cues[c], pos);
		ticks++;
	}
	t6 = now_ms();
	{
		/* the floor of any jansson-based reader: json_loadb + json_decref */
		double j0 = now_ms();
		json_t *root = json_loadb(b.data, b.len, 0, NULL);

		json_decref(root);
		printf("jansson_ms %.2f\n", now_ms() - j0);
	}
	{
		/* the floor of hark's stream reader: yajl without callbacks */
		double y0 = now_ms();
		yajl_handle h = yajl_alloc(NULL, NULL, NULL);

		if (h != NULL) {
			yajl_parse(h, (const unsigned char *)b.data, b.len);
			yajl_complete_parse(h);
			yajl_free(h);
		}
		printf("yajl_ms %.2f\n", now_ms() - y0);
	}
	printf("bytes %zu\ncues %zu\nwords %zu\nlines %zu\n", b.len, t->n, words, lines);
	printf("parse_ms %.2f\nlayout_ms %.2f\nload_ms %.2f\n", t1 - t0, t2 - t1, t2 - t0);
	printf("parse_cpu_ms %.2f\nlayout_cpu_ms %.2f\nload_cpu_ms %.2f\n", c1 - c0, c2 - c1,
	       c2 - c0);
	printf("store_save_ms %.2f\nstore_load_ms %.2f\n", t4 - t3, t5 - t4);
	printf("follow_ticks %ld\nfollow_us_per_tick %.3f\n", ticks,
	       ticks ? (t6 - t5) * 1e3 / (double)ticks : 0.0);
	if (back->n != t->n)
		fprintf(stderr, "warning: %zu cues stored, %zu back\n", t->n, back->n);
	(void)hit;
	transcript_free(back);
	transcript_free(t);
	feed_free(fd);
	free(xml);
	store_close(st);
	buf_free(&b);
	remove(db);
	{
		char wal[80];

		snprintf(wal, sizeof wal, "%s-wal", db);
		remove(wal);
		snprintf(wal, sizeof wal, "%s-shm", db);
		remove(wal);
	}
	rmdir(dir);
	return 0;
}

static int cmd_library(const char *path, long episodes, long cues)
{
	struct store *st;
	struct err e;
	long feeds = (episodes + 99) / 100, f, k, c, w;
	double t0 = now_ms(), tf = 0, tt = 0;
	int64_t ep = 0;
	char word[32];

	zipf_init();
	st = store_open(path, &e);
	if (st == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	for (f = 0; f < feeds; f++) {
		struct buf x = {0};
		struct feed *fd;
		int64_t fid;
		long n = episodes - f * 100 < 100 ? episodes - f * 100 : 100;
		double a = now_ms();
		char url[64];

		buf_printf(&x, "<rss><channel><title>Feed %ld</title>", f);
		for (k = 0; k < n; k++)
			buf_printf(&x,
			           "<item><title>Episode %ld of feed %ld</title><guid>g%ld</guid>"
			           "<description>Show notes of episode %ld.</description>"
			           "<pubDate>Mon, 04 Mar 2024 10:%02ld:00 GMT</pubDate>"
			           "<enclosure url=\"http://127.0.0.1:1/%ld/%ld.mp3\" "
			           "type=\"audio/mpeg\"/></item>",
			           k, f, k, k, k % 60, f, k);
		buf_puts(&x, "</channel></rss>");
		snprintf(url, sizeof url, "http://127.0.0.1:1/feed%ld.xml", f);
		fd = feed_parse(x.data, x.len, url, false, &e);
		if (fd == NULL ||
		    store_feed_add(st, url, false, fd, NULL, NULL, &fid, NULL, &e) < 0) {
			fprintf(stderr, "feed %ld: %s\n", f, e.msg);
			return 1;
		}
		feed_free(fd);
		buf_free(&x);
		tf += now_ms() - a;
	}
	/* episodes have ids 1..episodes (one fresh database) */
	for (ep = 1; ep <= episodes; ep++) {
		struct transcript t = {0};
		double a;

		t.cues = calloc((size_t)cues, sizeof *t.cues);
		t.n = (size_t)cues;
		for (c = 0; c < cues; c++) {
			struct buf tx = {0};

			for (w = 0; w < 12; w++) {
				word_of(zipf(), word);
				buf_printf(&tx, "%s%s", w ? " " : "", word);
			}
			t.cues[c].start = (double)c * 4.0;
			t.cues[c].end = (double)c * 4.0 + 3.9;
			t.cues[c].speaker = str_dup(c % 2 ? "Ada" : "Grace");
			t.cues[c].text = buf_steal(&tx);
		}
		a = now_ms();
		if (transcript_store_save(st, ep, &t, "bench.vtt", "text/vtt", NULL, &e) < 0) {
			fprintf(stderr, "episode %lld: %s\n", (long long)ep, e.msg);
			return 1;
		}
		tt += now_ms() - a;
		for (c = 0; c < cues; c++) {
			free(t.cues[c].speaker);
			free(t.cues[c].text);
		}
		free(t.cues);
	}
	store_close(st);
	printf("feeds %ld\nepisodes %ld\ncue_rows %ld\nfeeds_ms %.0f\ntranscripts_ms %.0f\n"
	       "total_ms %.0f\n",
	       feeds, episodes, episodes * cues, tf, tt, now_ms() - t0);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmd_search(const char *path, int runs, const char *q)
{
	struct store *st;
	struct err e;
	double *ms = calloc((size_t)runs, sizeof *ms);
	size_t hits = 0;
	int i;

	st = store_open(path, &e);
	if (st == NULL || ms == NULL) {
		fprintf(stderr, "%s\n", st ? "out of memory" : e.msg);
		return 1;
	}
	for (i = 0; i < runs; i++) {
		struct search_results r;
		double a = now_ms();

		if (search_query(st, q, 0, &r, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		ms[i] = now_ms() - a;
		hits = r.n;
		search_results_free(&r);
	}
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	printf("%.2f %zu\n", ms[runs / 2], hits);
	free(ms);
	store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	char w[32];

	if (argc >= 3 && strcmp(argv[1], "json") == 0)
		return cmd_json(argv[2], argc > 3 ? atof(argv[3]) : 10800.0,
		                argc > 4 ? atol(argv[4]) : 30000);
	if (argc >= 3 && strcmp(argv[1], "load") == 0)
		return cmd_load(argv[2], argc > 3 ? atoi(argv[3]) : 60);
	if (argc == 5 && strcmp(argv[1], "library") == 0)
		return cmd_library(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc == 3 && strcmp(argv[1], "word") == 0) {
		word_of(atol(argv[2]), w);
		puts(w);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "search") == 0)
		return cmd_search(argv[2], atoi(argv[3]), argv[4]);
	fprintf(stderr, "usage: bench_tx json OUT [SECONDS] [WORDS] | load FILE [WIDTH] |"
	                " library DB EPISODES CUES | word RANK | search DB RUNS QUERY\n");
	return 1;
}
