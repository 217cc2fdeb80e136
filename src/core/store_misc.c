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
