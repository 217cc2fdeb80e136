/* store_misc.c - the queue, the key/value table and full-text search. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hark/store.h"
#include "store_int.h"

void store_id_list_free(struct store_id_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int store_queue_list(struct store *st, struct store_id_list *out, struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT episode_id FROM queue ORDER BY pos, rowid", e);
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			int64_t *v;

			cap = cap ? cap * 2 : 16;
			v = realloc(out->v, cap * sizeof *v);
			if (v == NULL) {
				sqlite3_finalize(s);
				store_id_list_free(out);
				err_set(e, "library: out of memory");
				return -1;
			}
			out->v = v;
		}
		out->v[out->n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_id_list_free(out);
		return store_fail(st, e, "read the queue");
	}
	return 0;
}

/* Run sql binding ep_id to ?1 (inside the caller's transaction). */
static int run_id(struct store *st, const char *sql, int64_t ep_id, struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, sql, e);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ep_id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, "queue");
}

static bool episode_exists(struct store *st, int64_t ep_id)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT 1 FROM episodes WHERE id = ?1", NULL);
	bool ok;

	if (s == NULL)
		return false;
	sqlite3_bind_int64(s, 1, ep_id);
	ok = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return ok;
}

/* Put ep_id at the end (front = false) or the front of the queue. */
static int queue_put(struct store *st, int64_t ep_id, bool front, struct err *e)
{
	if (store_begin(st, e) < 0)
		return -1;
	if (!episode_exists(st, ep_id)) {
		store_rollback(st);
		err_set(e, "episode %lld: no such episode", (long long)ep_id);
		return -1;
	}
	if (run_id(st, "DELETE FROM queue WHERE episode_id = ?1", ep_id, e) < 0 ||
	    run_id(st,
	           front ? "INSERT INTO queue(episode_id, pos)"
	                   " SELECT ?1, coalesce(min(pos), 0) - 1 FROM queue"
	                 : "INSERT INTO queue(episode_id, pos)"
	                   " SELECT ?1, coalesce(max(pos), 0) + 1 FROM queue",
	           ep_id, e) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, e);
}

int store_queue_append(struct store *st, int64_t ep_id, struct err *e)
{
	return queue_put(st, ep_id, false, e);
}

int store_queue_insert_next(struct store *st, int64_t ep_id, struct err *e)
{
	return queue_put(st, ep_id, true, e);
}

int store_queue_remove(struct store *st, int64_t ep_id, struct err *e)
{
	int n;

	if (store_begin(st, e) < 0)
		return -1;
	if (run_id(st, "DELETE FROM queue WHERE episode_id = ?1", ep_id, e) < 0) {
		store_rollback(st);
		return -1;
	}
	n = sqlite3_changes(store_db(st));
	if (store_commit(st, e) < 0)
		return -1;
	return n > 0 ? 0 : 1;
}

int store_queue_move(struct store *st, int64_t ep_id, size_t new_index, struct err *e)
{
	struct store_id_list q;
	sqlite3_stmt *s = NULL;
	size_t i, at = SIZE_MAX;

	if (store_begin(st, e) < 0)
		return -1;
	if (store_queue_list(st, &q, e) < 0) {
		store_rollback(st);
		return -1;
	}
	for (i = 0; i < q.n; i++)
		if (q.v[i] == ep_id)
			at = i;
	if (at == SIZE_MAX) {
		store_id_list_free(&q);
		store_rollback(st);
		return 1;
	}
	memmove(&q.v[at], &q.v[at + 1], (q.n - at - 1) * sizeof *q.v);
	if (new_index > q.n - 1)
		new_index = q.n - 1;
	memmove(&q.v[new_index + 1], &q.v[new_index], (q.n - 1 - new_index) * sizeof *q.v);
	q.v[new_index] = ep_id;
	s = store_prepare(st, "UPDATE queue SET pos = ?2 WHERE episode_id = ?1", e);
	for (i = 0; s != NULL && i < q.n; i++) {
		sqlite3_bind_int64(s, 1, q.v[i]);
		sqlite3_bind_int64(s, 2, (int64_t)i);
		if (sqlite3_step(s) != SQLITE_DONE) {
			store_fail(st, e, "reorder the queue");
			break;
		}
		sqlite3_reset(s);
	}
	store_id_list_free(&q);
	if (s == NULL || i < q.n) {
		sqlite3_finalize(s);
		store_rollback(st);
		return -1;
	}
	sqlite3_finalize(s);
	return store_commit(st, e);
}

int store_queue_pop_next(struct store *st, int64_t *ep_id, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st, e) < 0)
		return -1;
	s = store_prepare(st, "SELECT episode_id FROM queue ORDER BY pos, rowid LIMIT 1", e);
	if (s == NULL) {
		store_rollback(st);
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*ep_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE) {
		store_rollback(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		store_fail(st, e, "read the queue");
		store_rollback(st);
		return -1;
	}
	if (run_id(st, "DELETE FROM queue WHERE episode_id = ?1", *ep_id, e) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, e);
}

/* ---- key/value ---- */

int store_kv_get(struct store *st, const char *key, char **value, struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT value FROM kv WHERE key = ?1", e);
	int rc;

	*value = NULL;
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*value = store_col_str(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, e, "read state");
	return 0;
}

int store_kv_set(struct store *st, const char *key, const char *value, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st, e) < 0)
		return -1;
	s = store_prepare(st,
	                  value != NULL ? "INSERT INTO kv(key, value) VALUES(?1, ?2)"
	                                  " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
	                                : "DELETE FROM kv WHERE key = ?1",
	                  e);
	if (s == NULL) {
		store_rollback(st);
		return -1;
	}
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	if (value != NULL)
		sqlite3_bind_text(s, 2, value, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_fail(st, e, "save state");
		store_rollback(st);
		return -1;
	}
	return store_commit(st, e);
}

/* ---- search ---- */

/* The user's words as an FTS5 query: each word a quoted prefix term
 * ("word"*), all of them required. NULL when there is no word. */
static char *fts_query(const char *text)
{
	struct buf q = {0};
	const char *p = text;

	while (*p != '\0') {
		const char *w;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (q.len > 0)
			buf_putc(&q, ' ');
		buf_putc(&q, '"');
		for (; w < p; w++) {
			if (*w == '"')
				buf_puts(&q, "\"\"");
			else
				buf_putc(&q, *w);
		}
		buf_puts(&q, "\"*");
	}
	return q.len > 0 ? buf_steal(&q) : NULL;
}

void store_hit_list_free(struct store_hit_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].kind);
		free(l->v[i].title);
		free(l->v[i].snippet);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int store_search(struct store *st, const char *text, size_t limit, struct store_hit_list *out,
                 struct err *e)
{
	char *q = fts_query(text != NULL ? text : "");
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (q == NULL)
		return 0;
	s = store_prepare(st,
	                  "SELECT s.episode_id, s.kind, s.start, e.title,"
	                  " snippet(search, 1, '', '', '...', 12)"
	                  " FROM search s JOIN episodes e ON e.id = s.episode_id"
	                  " WHERE search MATCH ?1 ORDER BY rank LIMIT ?2",
	                  e);
	if (s == NULL) {
		free(q);
		return -1;
	}
	sqlite3_bind_text(s, 1, q, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, limit > 0 ? (int64_t)limit : 100);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_hit *h;
		const char *snip;

		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			h = realloc(out->v, cap * sizeof *h);
			if (h == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			out->v = h;
		}
		h = &out->v[out->n++];
		h->episode_id = sqlite3_column_int64(s, 0);
		h->kind = store_col_str(s, 1);
		h->start =
		        sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 2);
		h->title = store_col_str(s, 3);
		snip = (const char *)sqlite3_column_text(s, 4);
		h->snippet = text_sanitize(snip != NULL ? snip : "", false);
	}
	sqlite3_finalize(s);
	free(q);
	if (rc != SQLITE_DONE) {
		store_hit_list_free(out);
		return store_fail(st, e, "search");
	}
	return 0;
}
