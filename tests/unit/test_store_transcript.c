/* test_store_transcript.c - transcripts saved into and loaded from the
 * library database, fetched once, sidecars, and ranked search over titles,
 * descriptions and cues. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hark/feed.h"
#include "hark/search.h"
#include "hark/store.h"
#include "hark/transcript.h"
#include "tap.h"

#define S(x) ((char *)(x))

static char dir[] = "/tmp/hark-txstore-XXXXXX";

static void write_file(const char *name, const char *text)
{
	char *p = str_printf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	fputs(text, f);
	fclose(f);
	free(p);
}

static struct transcript *vtt(const char *s)
{
	return transcript_parse(s, strlen(s), "text/vtt", NULL);
}

static size_t count_hits(struct store *st, const char *q, enum search_kind kind)
{
	struct search_results r;
	struct err e = {{0}};
	size_t i, n = 0;

	if (search_query(st, q, 0, &r, &e) < 0) {
		printf("# search %s: %s\n", q, e.msg);
		return (size_t)-1;
	}
	for (i = 0; i < r.n; i++)
		n += r.v[i].kind == kind;
	search_results_free(&r);
	return n;
}

int main(void)
{
	struct feed_transcript refs[1];
	struct feed_episode eps[2];
	struct feed f;
	struct store *st;
	struct store_episode_list l = {0};
	struct err e = {{0}};
	struct transcript *t, *back = NULL;
	struct search_results r;
	int64_t feed_id = 0, ep1 = 0, ep2 = 0;
	char *path, *vttpath, *q;
	size_t i;

	if (mkdtemp(dir) == NULL)
		return 1;
	vttpath = str_printf("%s/ep1.vtt", dir);
	write_file("ep1.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>Welcome to the "
	                      "show about glaciers\n\n00:12:30.000 --> 00:12:40.000\n<v Bob>"
	                      "Now the frozen assets of the bank\n");
	memset(&f, 0, sizeof f);
	memset(eps, 0, sizeof eps);
	f.title = S("Cold Cases");
	f.explicit_ = -1;
	for (i = 0; i < 2; i++) {
		eps[i].published = -1;
		eps[i].duration = -1;
		eps[i].enc_length = -1;
		eps[i].season = eps[i].episode = eps[i].explicit_ = -1;
	}
	refs[0].url = vttpath;
	refs[0].type = S("text/vtt");
	refs[0].language = S("en");
	refs[0].rel = NULL;
	eps[0].guid = S("g1");
	eps[0].title = S("Glaciers");
	eps[0].description = S("We talk about ice.");
	eps[0].transcripts = refs;
	eps[0].n_transcripts = 1;
	eps[1].guid = S("g2");
	eps[1].title = S("Frozen accounts");
	eps[1].description = S("Banking news.");
	f.episodes = eps;
	f.n_episodes = 2;

	path = str_printf("%s/library.db", dir);
	st = store_open(path, &e);
	ok(st != NULL, "store opens: %s", e.msg);
	if (st == NULL)
		return tap_done();
	ok(store_feed_add(st, "/tmp/feed.xml", true, &f, NULL, NULL, &feed_id, NULL, &e) == 0,
	   "feed stored: %s", e.msg);
	store_episode_list(st, feed_id, &l, &e);
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].guid, "g1") == 0)
			ep1 = l.v[i].id;
		else
			ep2 = l.v[i].id;
	}
	store_episode_list_free(&l);
	ok(ep1 > 0 && ep2 > 0, "two episodes");

	ok(transcript_store_load(st, ep1, &back, &e) == 1 && back == NULL, "nothing stored yet");

	/* Fetched once: from the feed's local transcript file. */
	ok(transcript_store_get(st, ep1, "en", &back, &e) == 0 && back && back->n == 2,
	   "transcript_store_get reads the feed's transcript: %s", e.msg);
	transcript_free(back);
	back = NULL;
	unlink(vttpath);
	ok(transcript_store_get(st, ep1, "en", &back, &e) == 0 && back && back->n == 2,
	   "second get comes from the database (file gone)");
	if (back && back->n == 2) {
		is_str(back->cues[1].text, "Now the frozen assets of the bank", "cue text back");
		is_str(back->cues[1].speaker, "Bob", "speaker back");
		is_num(back->cues[1].start, 750, "start back");
		is_num(back->cues[1].end, 760, "end back");
	}
	transcript_free(back);
	back = NULL;

	/* Search: a cue hit carries its time; titles and descriptions too. */
	ok(search_query(st, "frozen", 0, &r, &e) == 0, "search runs: %s", e.msg);
	{
		bool cue = false, title = false;

		for (i = 0; i < r.n; i++) {
			if (r.v[i].kind == SEARCH_CUE && r.v[i].episode_id == ep1 &&
			    r.v[i].time == 750 && strstr(r.v[i].snippet, "frozen") &&
			    r.v[i].episode_title && strcmp(r.v[i].episode_title, "Glaciers") == 0 &&
			    r.v[i].feed_title && strcmp(r.v[i].feed_title, "Cold Cases") == 0 &&
			    r.v[i].speaker && strcmp(r.v[i].speaker, "Bob") == 0)
				cue = true;
			if (r.v[i].kind == SEARCH_EPISODE && r.v[i].episode_id == ep2 &&
			    r.v[i].time < 0)
				title = true;
		}
		ok(cue, "cue hit with time 750, snippet, episode, feed and speaker");
		ok(title, "episode title hit without a time");
		ok(r.n == 2, "exactly those two hits (%zu)", r.n);
	}
	search_results_free(&r);
	ok(count_hits(st, "froz", SEARCH_CUE) == 1, "prefix match");
	ok(count_hits(st, "frozen assets", SEARCH_CUE) == 1 &&
	           count_hits(st, "frozen assets", SEARCH_EPISODE) == 0,
	   "all words required");
	ok(count_hits(st, "ice", SEARCH_EPISODE) == 1, "description hit");

	/* Ranking past the window: ep2 gets 2,500 cues saying "frozen" (more
	 * than search.c ranks one by one); its title hit still comes first
	 * (title weight 5), the limit holds, a cue saying the word three times
	 * ranks above those saying it once, and a snippet shows the words
	 * around a hit deep in a long cue. Exact words are tried before
	 * prefixes: "froz" still finds every "frozen". */
	{
		struct transcript big = {0};
		struct search_results rr;
		int rc;
		size_t n = 2500, k, cues = 0, first_cue = (size_t)-1;

		big.cues = calloc(n, sizeof *big.cues);
		big.n = big.cues ? n : 0;
		for (k = 0; k < big.n; k++) {
			big.cues[k].start = (double)k;
			big.cues[k].end = -1;
			big.cues[k].text =
			        k == 2400 ? str_dup("frozen frozen frozen")
			        : k == 2300
			                ? str_dup("one two three four five six seven eight nine "
			                          "ten eleven twelve thirteen fourteen fifteen "
			                          "sixteen seventeen frozen end of a long line")
			                : str_printf("cue %zu is frozen and said once among "
			                             "other words here",
			                             k);
		}
		ok(transcript_store_save(st, ep2, &big, "https://example.com/big.vtt", NULL, NULL,
		                         &e) == 0,
		   "2,500 matching cues saved: %s", e.msg);
		for (k = 0; k < big.n; k++)
			free(big.cues[k].text);
		free(big.cues);
		rc = search_query(st, "frozen", 10, &rr, &e); /* before rr.n is an argument */
		ok(rc == 0 && rr.n == 10, "search over 2,500 matches keeps the limit (%zu): %s",
		   rr.n, e.msg);
		for (k = 0; k < rr.n; k++) {
			if (rr.v[k].kind == SEARCH_CUE && first_cue == (size_t)-1)
				first_cue = k;
			cues += rr.v[k].kind == SEARCH_CUE;
		}
		ok(rr.n > 0 && rr.v[0].kind == SEARCH_EPISODE && rr.v[0].episode_id == ep2,
		   "the title hit ranks first");
		ok(first_cue != (size_t)-1 && rr.v[first_cue].time == 2400,
		   "the cue saying it three times ranks above the others");
		for (k = 1; k < rr.n; k++)
			if (rr.v[k].score < rr.v[k - 1].score)
				break;
		ok(k == rr.n, "results best first");
		search_results_free(&rr);
		ok(search_query(st, "seventeen frozen", 0, &rr, &e) == 0 && rr.n == 1 &&
		           rr.v[0].time == 2300,
		   "two words, one cue");
		if (rr.n == 1)
			is_str(rr.v[0].snippet,
			       "\xe2\x80\xa6"
			       "twelve thirteen fourteen fifteen sixteen seventeen frozen end of a "
			       "long line",
			       "the snippet: 12 words around the first hit, cut with …");
		search_results_free(&rr);
		ok(count_hits(st, "froz", SEARCH_EPISODE) == 1 &&
		           count_hits(st, "froz", SEARCH_CUE) == 49,
		   "a prefix finds them too (the title and 49 cues: 50 shown)");
		big.n = 0;
		ok(transcript_store_save(st, ep2, &big, "https://example.com/big.vtt", NULL, NULL,
		                         &e) == 0,
		   "and gone again: %s", e.msg);
	}

	/* Word times survive the database, exactly. */
	t = vtt("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nfirst <00:00:01.250>second "
	        "<00:00:02.125>third\n");
	ok(t && t->n == 1 && t->cues[0].n_words == 3, "a cue with three word times");
	ok(t && transcript_store_save(st, ep2, t, "https://example.com/w.vtt", NULL, NULL, &e) == 0,
	   "saved: %s", e.msg);
	ok(transcript_store_load(st, ep2, &back, &e) == 0 && back && back->n == 1, "loaded: %s",
	   e.msg);
	if (t && back && back->n == 1 && t->n == 1) {
		bool same = back->cues[0].n_words == t->cues[0].n_words;

		for (i = 0; same && i < t->cues[0].n_words; i++)
			same = back->cues[0].words[i].start == t->cues[0].words[i].start &&
			       back->cues[0].words[i].off == t->cues[0].words[i].off &&
			       back->cues[0].words[i].len == t->cues[0].words[i].len;
		ok(same, "the same starts, offsets and lengths back");
	}
	transcript_free(t);
	transcript_free(back);
	back = NULL;

	/* Hostile query text is quoted, never FTS5 syntax. */
	q = search_fts_query("a\"b OR NEAR(x, y) col:z -w *");
	is_str(q, "\"a\"* \"b\"* \"OR\"* \"NEAR\"* \"x\"* \"y\"* \"col\"* \"z\"* \"w\"*",
	       "search_fts_query quotes every word");
	free(q);
	ok(search_fts_query(" \"*:() ") == NULL, "punctuation only: no query");
	ok(count_hits(st, "\"unbalanced OR (", SEARCH_CUE) == 0, "odd text searches, no error");

	/* Saving again replaces the cues and the index. */
	t = vtt("WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nonly penguins now\n");
	ok(transcript_store_save(st, ep1, t, "https://example.com/new.vtt", "text/vtt", "en", &e) ==
	           0,
	   "save replaces: %s", e.msg);
	transcript_free(t);
	ok(count_hits(st, "frozen", SEARCH_CUE) == 0, "old cues gone from the index");
	ok(count_hits(st, "penguins", SEARCH_CUE) == 1, "new cue indexed");
	ok(transcript_store_load(st, ep1, &back, &e) == 0 && back && back->n == 1 &&
	           back->cues[0].end == 6,
	   "load gives the new cues");
	transcript_free(back);
	back = NULL;

	/* An empty transcript is remembered as fetched. */
	t = vtt("WEBVTT\n");
	ok(transcript_store_save(st, ep2, t, "https://example.com/e.vtt", NULL, NULL, &e) == 0,
	   "empty transcript saved");
	transcript_free(t);
	ok(transcript_store_load(st, ep2, &back, &e) == 0 && back && back->n == 0,
	   "empty transcript loads as stored, not as missing");
	transcript_free(back);
	back = NULL;

	/* A sidecar beside the download. */
	{
		int64_t ep3 = 0;
		struct feed_episode e3[1];

		memset(e3, 0, sizeof e3);
		e3[0].guid = S("g3");
		e3[0].title = S("Third");
		e3[0].published = e3[0].duration = e3[0].enc_length = -1;
		e3[0].season = e3[0].episode = e3[0].explicit_ = -1;
		f.episodes = e3;
		f.n_episodes = 1;
		store_feed_update(st, feed_id, &f, NULL, NULL, NULL, &e);
		store_episode_list(st, feed_id, &l, &e);
		for (i = 0; i < l.n; i++)
			if (strcmp(l.v[i].guid, "g3") == 0)
				ep3 = l.v[i].id;
		store_episode_list_free(&l);
		write_file("third.mp3", "not really audio");
		write_file("third.srt", "1\n00:00:02,000 --> 00:00:03,000\nSidecar words\n");
		free(path);
		path = str_printf("%s/third.mp3", dir);
		ok(ep3 > 0 && store_set_download(st, ep3, path, &e) == 0, "download path set");
		ok(transcript_store_get(st, ep3, NULL, &back, &e) == 0 && back && back->n == 1 &&
		           strcmp(back->cues[0].text, "Sidecar words") == 0,
		   "sidecar .srt beside the download is used: %s", e.msg);
		transcript_free(back);
		back = NULL;
		ok(count_hits(st, "sidecar", SEARCH_CUE) == 1, "sidecar cues indexed");
	}

	ok(store_feed_remove(st, feed_id, &e) == 0, "feed removed");
	ok(count_hits(st, "penguins", SEARCH_CUE) == 0, "its cues leave the index");
	store_close(st);
	free(path);
	free(vttpath);
	q = str_printf("rm -rf '%s'", dir);
	ok(system(q) == 0, "cleanup");
	free(q);
	return tap_done();
}
