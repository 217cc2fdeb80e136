/* search.c - ranked full-text search over the FTS5 `search` table, joined
 * with the episode and feed titles. */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hark/search.h"
#include "hark/jsonutil.h"
#include "hark/store.h"

/* Longest query accepted, in words (more adds nothing but cost). */
#define SEARCH_MAX_TERMS 16

/* The FTS5 query of text: each word quoted, with a prefix '*' when prefix. */
static char *fts_query(const char *text, bool prefix)
{
	struct buf q = {0};
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	int terms = 0;

	while (*p && terms < SEARCH_MAX_TERMS) {
		const unsigned char *w;

		/* Words are runs of letters/digits (any non-ASCII byte counts as
		 * a letter); everything else, FTS5 syntax included, separates. */
		while (*p && *p < 0x80 &&
		       !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		         (*p >= 'A' && *p <= 'Z') || *p == '_'))
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p && (*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		              (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '\''))
			p++;
		if ((q.len > 0 && buf_putc(&q, ' ') < 0) || buf_putc(&q, '"') < 0)
			goto oom;
		for (; w < p; w++)
			if ((*w == '"' && buf_puts(&q, "\"\"") < 0) ||
			    (*w != '"' && buf_putc(&q, (char)*w) < 0))
				goto oom;
		if (buf_puts(&q, prefix ? "\"*" : "\"") < 0)
			goto oom;
		terms++;
	}
	if (q.len == 0) {
		buf_free(&q);
		return NULL;
	}
	return buf_steal(&q);
oom:
	buf_free(&q);
	return NULL;
}

char *search_fts_query(const char *text)
{
	return fts_query(text, true);
}

void search_results_free(struct search_results *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].feed_title);
		free(r->v[i].episode_title);
		free(r->v[i].speaker);
		free(r->v[i].snippet);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* ---- ranking ----
 * bm25 as FTS5 builds it in first counts, for every phrase, the rows of
 * the whole table that hold it (its IDF): a full walk of the doclist, over
 * a second for a word said in most of a million cues. hark_rank is bm25's
 * term-frequency part (k1 1.2, b 0.75, per-column weights) without the
 * IDF: a single-word query orders exactly as bm25 does; in a many-word one
 * every word weighs the same. It costs one position list and one docsize
 * lookup per row. */
#define RANK_K1 1.2
#define RANK_B 0.75
#define RANK_MAX_COLS 8

static void hark_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                      sqlite3_value **val)
{
	double tf[RANK_MAX_COLS] = {0}, score = 0;
	int ninst = 0, i, ncol = api->xColumnCount(fts);
	sqlite3_int64 nrow = 0;

	if (ncol > RANK_MAX_COLS)
		ncol = RANK_MAX_COLS;
	if (api->xInstCount(fts, &ninst) != SQLITE_OK)
		ninst = 0;
	for (i = 0; i < ninst; i++) {
		int ph, col, off;

		if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK && col >= 0 && col < ncol)
			tf[col] += 1;
	}
	api->xRowCount(fts, &nrow);
	for (i = 0; i < ncol; i++) {
		double w = i < nval ? sqlite3_value_double(val[i]) : 1.0, avg;
		sqlite3_int64 total = 0;
		int len = 0;

		if (tf[i] == 0 || w == 0)
			continue;
		api->xColumnSize(fts, i, &len);
		api->xColumnTotalSize(fts, i, &total);
		/* average length over every row; cue rows leave the title
		 * (speaker) column nearly empty, so at least one token */
		avg = nrow > 0 ? (double)total / (double)nrow : 1.0;
		if (avg < 1.0)
			avg = 1.0;
		score += w * tf[i] * (RANK_K1 + 1) /
		         (tf[i] + RANK_K1 * (1 - RANK_B + RANK_B * (double)len / avg));
	}
	sqlite3_result_double(ctx, -score); /* lower is better, as bm25 */
}

/* Register hark_rank on this connection once. */
static int rank_register(sqlite3 *db, struct err *e)
{
	sqlite3_stmt *s = NULL;
	fts5_api *api = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT hark_rank(search) FROM search WHERE 0", -1, &s, NULL) ==
	    SQLITE_OK) {
		sqlite3_finalize(s);
		return 0;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (api == NULL || api->iVersion < 2) {
		err_set(e, "search: this SQLite has no FTS5 API");
		return -1;
	}
	rc = api->xCreateFunction(api, "hark_rank", NULL, hark_rank, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, "search: cannot register the ranking: %s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* ---- snippets ---- */

/* The query's words, lower-cased (ASCII), for finding them in a text. */
struct terms {
	char *v[SEARCH_MAX_TERMS];
	size_t n;
};

static bool word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c == '\'';
}

static void terms_of(const char *text, struct terms *t)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");

	t->n = 0;
	while (*p && t->n < SEARCH_MAX_TERMS) {
		const unsigned char *w;
		char *d;

		while (*p && !(word_byte(*p) && *p != '\''))
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p && word_byte(*p); p++)
			;
		d = malloc((size_t)(p - w) + 1);
		if (d == NULL)
			break;
		for (size_t i = 0; w + i < p; i++)
			d[i] = (char)(w[i] < 0x80 ? tolower(w[i]) : w[i]);
		d[p - w] = '\0';
		t->v[t->n++] = d;
	}
}

static void terms_free(struct terms *t)
{
	while (t->n > 0)
		free(t->v[--t->n]);
}

/* Does the word text[0, n) start with one of the terms (case-insensitive
 * for ASCII)? */
static bool word_hits(const char *w, size_t n, const struct terms *t)
{
	size_t i, k;

	for (i = 0; i < t->n; i++) {
		size_t tl = strlen(t->v[i]);

		if (tl > n)
			continue;
		for (k = 0; k < tl; k++) {
			unsigned char c = (unsigned char)w[k];

			if ((char)(c < 0x80 ? tolower(c) : c) != t->v[i][k])
				break;
		}
		if (k == tl)
			return true;
	}
	return false;
}

#define SNIPPET_BEFORE 4
#define SNIPPET_WORDS 12

/* About SNIPPET_WORDS words of text on one line around its first word that
 * a term starts, "…" where cut; NULL when text (may be NULL) has no hit
 * and must_hit. */
static char *snippet_of(const char *text, const struct terms *t, bool must_hit)
{
	char *clean = text ? text_sanitize(text, false) : NULL;
	size_t nw = 0, cap = 0, hit = (size_t)-1, i, from, to;
	size_t *ws = NULL, *we = NULL;
	struct buf out = {0};
	const char *p;

	if (clean == NULL)
		return NULL;
	for (p = clean; *p;) {
		const char *w;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++)
			;
		if (nw == cap) {
			size_t *a, *b;

			cap = cap ? cap * 2 : 64;
			a = realloc(ws, cap * sizeof *ws);
			if (a != NULL)
				ws = a;
			b = realloc(we, cap * sizeof *we);
			if (b != NULL)
				we = b;
			if (a == NULL || b == NULL)
				break;
		}
		ws[nw] = (size_t)(w - clean);
		we[nw] = (size_t)(p - clean);
		if (hit == (size_t)-1) {
			/* the word from its first letter or digit */
			const char *q = w;

			while (q < p && !word_byte((unsigned char)*q))
				q++;
			if (word_hits(q, (size_t)(p - q), t))
				hit = nw;
		}
		nw++;
	}
	if (hit == (size_t)-1 && must_hit) {
		free(ws);
		free(we);
		free(clean);
		return NULL;
	}
	if (hit == (size_t)-1)
		hit = 0;
	from = hit > SNIPPET_BEFORE ? hit - SNIPPET_BEFORE : 0;
	to = from + SNIPPET_WORDS < nw ? from + SNIPPET_WORDS : nw;
	if (to - from < SNIPPET_WORDS && to == nw)
		from = nw > SNIPPET_WORDS ? nw - SNIPPET_WORDS : 0;
	if (from > 0)
		buf_puts(&out, "\xe2\x80\xa6");
	for (i = from; i < to; i++) {
		if (i > from)
			buf_putc(&out, ' ');
		buf_append(&out, clean + ws[i], we[i] - ws[i]);
	}
	if (to < nw)
		buf_puts(&out, "\xe2\x80\xa6");
	free(ws);
	free(we);
	free(clean);
	return out.data ? buf_steal(&out) : str_dup("");
}

/* ---- the query ----
 * 1. Rank: the first SEARCH_WINDOW matching cue rows in rowid order (cue
 *    rows have rowid -cues.id, so the most recently stored transcripts come
 *    first) and the last SEARCH_WINDOW matching episode rows (the newest), by
 *    hark_rank; keep the best `limit`. A word that matches fewer rows than
 *    the window is ranked over all of them; a very common word is ranked
 *    within the window instead of over a million rows.
 * 2. Exact words first: a prefix query makes FTS5 merge the doclists of
 *    every word with that prefix in memory, while an exact word streams. So
 *    the words are looked up exactly first, and as prefixes only when that
 *    gives fewer than `limit` hits (a rare or a half-typed word). Cues live
 *    in their own index, cue_search, whose prefix index answers two- and
 *    three-letter prefixes without the merge (store.c, schema 4).
 * 3. Only the returned rows are read in full (titles, cue text) and get a
 *    snippet. */
#define SEARCH_WINDOW 2000

#define RANK_SQL                                                                                   \
	"SELECT rid, score FROM (SELECT rowid AS rid, hark_rank(cue_search, 5.0, 1.0) AS score"    \
	" FROM cue_search WHERE cue_search MATCH ?1 LIMIT ?3)"                                     \
	" UNION ALL SELECT rid, score FROM (SELECT rowid AS rid,"                                  \
	" hark_rank(search, 5.0, 1.0) AS score FROM search WHERE search MATCH ?1"                  \
	" ORDER BY rowid DESC LIMIT ?3) ORDER BY score, rid LIMIT ?2"

struct ranked {
	int64_t rid;
	double score;
};

static int rank_rows(sqlite3 *db, const char *q, size_t limit, struct ranked **out, size_t *n,
                     struct err *e)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, RANK_SQL, -1, &s, NULL) != SQLITE_OK) {
		err_set(e, "search: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 3, SEARCH_WINDOW);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			struct ranked *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(*out, cap * sizeof *nv);
			if (nv == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			*out = nv;
		}
		(*out)[*n].rid = sqlite3_column_int64(s, 0);
		(*out)[*n].score = sqlite3_column_double(s, 1);
		(*n)++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		err_set(e, "search: %s", sqlite3_errmsg(db));
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static char *col_clean(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t ? text_sanitize(t, false) : NULL;
}

/* Fill r from the row rid: 0, 1 when it is gone, -1 on error. */
static int fill_result(sqlite3_stmt *cue, sqlite3_stmt *ep, const struct ranked *k,
                       const struct terms *t, struct search_result *r)
{
	sqlite3_stmt *s = k->rid < 0 ? cue : ep;
	int rc;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, k->rid < 0 ? -k->rid : k->rid);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return -1;
	memset(r, 0, sizeof *r);
	r->score = k->score;
	r->episode_id = sqlite3_column_int64(s, 0);
	r->feed_title = col_clean(s, 1);
	r->episode_title = col_clean(s, 2);
	if (k->rid < 0) {
		/* cue: episode_id, feed, episode, start, speaker, text */
		r->kind = SEARCH_CUE;
		r->time = sqlite3_column_double(s, 3);
		r->speaker = col_clean(s, 4);
		r->snippet = snippet_of((const char *)sqlite3_column_text(s, 5), t, false);
	} else {
		/* episode: id, feed, title, description; the description's
		 * words, else the title's (the match was there only) */
		r->kind = SEARCH_EPISODE;
		r->time = -1;
		r->snippet = snippet_of((const char *)sqlite3_column_text(s, 3), t, true);
		if (r->snippet == NULL)
			r->snippet = snippet_of((const char *)sqlite3_column_text(s, 2), t, false);
	}
	if (r->snippet == NULL)
		r->snippet = str_dup("");
	return 0;
}

int search_query(struct store *st, const char *text, size_t limit, struct search_results *out,
                 struct err *e)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *cue = NULL, *ep = NULL;
	struct ranked *rk = NULL;
	struct terms t = {{0}, 0};
	size_t nrk = 0, i;
	char *q;
	int pass, rc = 0;

	out->v = NULL;
	out->n = 0;
	if (limit == 0)
		limit = 50;
	if (rank_register(db, e) < 0)
		return -1;
	for (pass = 0; pass < 2; pass++) {
		q = fts_query(text, pass == 1);
		if (q == NULL)
			return 0; /* no word */
		free(rk);
		rc = rank_rows(db, q, limit, &rk, &nrk, e);
		free(q);
		if (rc < 0)
			return -1;
		if (nrk >= limit)
			break; /* the exact words are enough */
	}
	if (nrk == 0) {
		free(rk);
		return 0;
	}
	if (sqlite3_prepare_v2(db,
	                       "SELECT c.episode_id, f.title, e.title, c.start, c.speaker, c.text"
	                       " FROM cues c JOIN episodes e ON e.id = c.episode_id"
	                       " LEFT JOIN feeds f ON f.id = e.feed_id WHERE c.id = ?1",
	                       -1, &cue, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "SELECT e.id, f.title, e.title, e.description FROM episodes e"
	                       " LEFT JOIN feeds f ON f.id = e.feed_id WHERE e.id = ?1",
	                       -1, &ep, NULL) != SQLITE_OK) {
		err_set(e, "search: %s", sqlite3_errmsg(db));
		rc = -1;
		goto done;
	}
	out->v = calloc(nrk, sizeof *out->v);
	if (out->v == NULL) {
		err_set(e, "search: out of memory");
		rc = -1;
		goto done;
	}
	terms_of(text, &t);
	for (i = 0; i < nrk; i++) {
		int k = fill_result(cue, ep, &rk[i], &t, &out->v[out->n]);

		if (k < 0) {
			err_set(e, "search: %s", sqlite3_errmsg(db));
			rc = -1;
			break;
		}
		if (k == 0)
			out->n++;
	}
done:
	terms_free(&t);
	sqlite3_finalize(cue);
	sqlite3_finalize(ep);
	free(rk);
	if (rc < 0)
		search_results_free(out);
	return rc;
}

json_t *search_results_to_json(const struct search_results *r)
{
	json_t *root = json_object(), *arr = json_array(), *o;
	size_t i;

	if (root == NULL || arr == NULL)
		goto oom;
	for (i = 0; r != NULL && i < r->n; i++) {
		const struct search_result *h = &r->v[i];

		o = json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:s}", "kind",
		              h->kind == SEARCH_CUE ? "cue" : "episode", "episode_id",
		              (json_int_t)h->episode_id, "feed", json_str_or_null(h->feed_title),
		              "episode", json_str_or_null(h->episode_title), "speaker",
		              json_str_or_null(h->speaker), "time",
		              h->time < 0 ? json_null() : json_real(h->time), "snippet",
		              h->snippet ? h->snippet : "");
		if (o == NULL || json_array_append_new(arr, o) < 0)
			goto oom;
	}
	if (json_object_set_new(root, "results", arr) < 0) {
		arr = NULL;
		goto oom;
	}
	return root;
oom:
	json_decref(arr);
	json_decref(root);
	return NULL;
}
