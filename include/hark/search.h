/* search.h - full-text search over every stored episode's title,
 * description and transcript cues (the FTS5 table `search` of store.h),
 * ranked (bm25's term-frequency part; see docs/internals/transcripts.md),
 * each hit with a snippet; a transcript hit carries the time of its cue. */
#ifndef HARK_SEARCH_H
#define HARK_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "hark/util.h"

struct store; /* hark/store.h */

enum search_kind {
	SEARCH_EPISODE, /* the episode's title or description matched */
	SEARCH_CUE,     /* a transcript cue matched */
};

struct search_result {
	enum search_kind kind;
	int64_t episode_id;
	char *feed_title;    /* or NULL */
	char *episode_title; /* or NULL */
	char *speaker;       /* the cue's speaker, or NULL */
	char *snippet;       /* a short excerpt around the match, one line */
	double time;         /* cue start in seconds; -1 for an episode hit */
	double score;        /* rank: lower is better (negative, as bm25) */
};

struct search_results {
	struct search_result *v;
	size_t n;
};

/* The user's words as an FTS5 query: each word a double-quoted prefix term
 * ("abc"*, quotes doubled), all of them required. Nothing FTS5 would read as
 * syntax survives. NULL when text holds no word. */
char *search_fts_query(const char *text);
/* Search: best first, at most limit hits (0: 50). Exact words are tried
 * first, prefixes when they give fewer than limit hits; a word matching
 * more than a few thousand cues is ranked among the most recently stored
 * ones. An empty query gives no hits. 0, or -1 with e set. */
int search_query(struct store *st, const char *text, size_t limit, struct search_results *out,
                 struct err *e);
void search_results_free(struct search_results *r);
/* {"results":[{"kind":"episode"|"cue","episode_id":n,"feed":str|null,
 * "episode":str|null,"speaker":str|null,"time":s|null,"snippet":str}]}.
 * New reference. */
json_t *search_results_to_json(const struct search_results *r);

#endif
