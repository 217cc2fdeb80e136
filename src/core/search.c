/* search.c - ranked full-text search over the FTS5 `search` table, joined
 * with the episode and feed titles. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hark/search.h"
#include "hark/jsonutil.h"
#include "hark/store.h"

/* Longest query accepted, in words (more adds nothing but cost). */
#define SEARCH_MAX_TERMS 16

char *search_fts_query(const char *text)
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
		if (buf_puts(&q, "\"*") < 0)
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

static char *col_clean(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t ? text_sanitize(t, false) : NULL;
}

int search_query(struct store *st, const char *text, size_t limit, struct search_results *out,
                 struct err *e)
{
	sqlite3 *db = store_db(st);
	char *q = search_fts_query(text);
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (q == NULL)
		return 0;
	/* bm25 weights: a title (or speaker) match counts five times a body
	 * match. */
	rc = sqlite3_prepare_v2(db,
	                        "SELECT s.kind, s.episode_id, s.start, f.title, e.title, s.title,"
	                        " snippet(search, 1, '', '', '\xe2\x80\xa6', 12),"
	                        " snippet(search, 0, '', '', '\xe2\x80\xa6', 12),"
	                        " bm25(search, 5.0, 1.0) AS score"
	                        " FROM search s JOIN episodes e ON e.id = s.episode_id"
	                        " LEFT JOIN feeds f ON f.id = e.feed_id"
	                        " WHERE search MATCH ?1 ORDER BY score LIMIT ?2",
	                        -1, &s, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, "search: %s", sqlite3_errmsg(db));
		free(q);
		return -1;
	}
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, limit > 0 ? (sqlite3_int64)limit : 50);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct search_result *r;
		const char *kind = (const char *)sqlite3_column_text(s, 0);

		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			r = realloc(out->v, cap * sizeof *r);
			if (r == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			out->v = r;
		}
		r = &out->v[out->n++];
		memset(r, 0, sizeof *r);
		r->kind = kind && strcmp(kind, "cue") == 0 ? SEARCH_CUE : SEARCH_EPISODE;
		r->episode_id = sqlite3_column_int64(s, 1);
		r->time = r->kind == SEARCH_CUE && sqlite3_column_type(s, 2) != SQLITE_NULL
		                  ? sqlite3_column_double(s, 2)
		                  : -1;
		r->feed_title = col_clean(s, 3);
		r->episode_title = col_clean(s, 4);
		if (r->kind == SEARCH_CUE)
			r->speaker = col_clean(s, 5);
		r->snippet = col_clean(s, 6);
		/* The match was in the title column only: show that instead. */
		if ((r->snippet == NULL || *r->snippet == '\0') && r->kind == SEARCH_EPISODE) {
			free(r->snippet);
			r->snippet = col_clean(s, 7);
		}
		if (r->snippet == NULL)
			r->snippet = str_dup("");
		r->score = sqlite3_column_double(s, 8);
	}
	sqlite3_finalize(s);
	free(q);
	if (rc != SQLITE_DONE) {
		err_set(e, "search: %s", sqlite3_errmsg(db));
		search_results_free(out);
		return -1;
	}
	return 0;
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
