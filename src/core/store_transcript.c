/* store_transcript.c - transcripts in the library database: cues saved in
 * one transaction (the FTS5 index follows by trigger), loaded back in order,
 * and fetched at most once per episode. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hark/feed.h"
#include "hark/net.h"
#include "hark/store.h"
#include "hark/transcript.h"

/* Largest transcript file fetched or read. */
#define TRANSCRIPT_MAX_BYTES ((size_t)32 * 1024 * 1024)

static int db_fail(sqlite3 *db, struct err *e, const char *what)
{
	err_set(e, "library: %s: %s", what, sqlite3_errmsg(db));
	return -1;
}

/* Does the cues table have a `words` column (word times as JSON)? */
static bool has_words_column(sqlite3 *db)
{
	sqlite3_stmt *s;
	bool found = false;

	if (sqlite3_prepare_v2(db, "PRAGMA table_info(cues)", -1, &s, NULL) != SQLITE_OK)
		return false;
	while (!found && sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 1);

		found = name != NULL && strcmp(name, "words") == 0;
	}
	sqlite3_finalize(s);
	return found;
}

/* "[[start,off,len],...]" for a cue's words; NULL when it has none. */
static char *words_json(const struct transcript_cue *c)
{
	json_t *a;
	size_t i;
	char *s;

	if (c->n_words == 0)
		return NULL;
	a = json_array();
	for (i = 0; a != NULL && i < c->n_words; i++)
		json_array_append_new(a, json_pack("[f,I,I]", c->words[i].start,
		                                   (json_int_t)c->words[i].off,
		                                   (json_int_t)c->words[i].len));
	s = a ? json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(a);
	return s;
}

/* Words back from their JSON, keeping only spans inside the text. */
static void words_parse(struct transcript_cue *c, const char *js)
{
	json_t *a = json_loads(js, 0, NULL), *w;
	size_t i, tl = strlen(c->text);

	if (!json_is_array(a) || json_array_size(a) == 0) {
		json_decref(a);
		return;
	}
	c->words = calloc(json_array_size(a), sizeof *c->words);
	json_array_foreach(a, i, w)
	{
		double st = json_number_value(json_array_get(w, 0));
		json_int_t off = json_integer_value(json_array_get(w, 1));
		json_int_t len = json_integer_value(json_array_get(w, 2));

		if (c->words == NULL || off < 0 || len <= 0 || (size_t)off + (size_t)len > tl)
			continue;
		c->words[c->n_words].start = st;
		c->words[c->n_words].off = (size_t)off;
		c->words[c->n_words].len = (size_t)len;
		c->n_words++;
	}
	json_decref(a);
}

int transcript_store_save(struct store *st, int64_t episode_id, const struct transcript *t,
                          const char *url, const char *type, const char *lang, struct err *e)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *ins = NULL, *s = NULL;
	bool words = has_words_column(db);
	const char *where = url ? url : "local";
	size_t i;
	int rc;

	if (store_begin(st, e) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "DELETE FROM cues WHERE episode_id = ?1", -1, &s, NULL) !=
	    SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, episode_id);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(
	            db,
	            words ? "INSERT INTO cues(episode_id, seq, start, end, speaker, text,"
	                    " words) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	                  : "INSERT INTO cues(episode_id, seq, start, end, speaker, text)"
	                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	            -1, &ins, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; t != NULL && i < t->n; i++) {
		const struct transcript_cue *c = &t->cues[i];
		char *wj = words ? words_json(c) : NULL;

		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, episode_id);
		sqlite3_bind_int64(ins, 2, (sqlite3_int64)i);
		sqlite3_bind_double(ins, 3, c->start);
		if (c->end < 0)
			sqlite3_bind_null(ins, 4);
		else
			sqlite3_bind_double(ins, 4, c->end);
		sqlite3_bind_text(ins, 5, c->speaker, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, c->text ? c->text : "", -1, SQLITE_STATIC);
		if (words)
			sqlite3_bind_text(ins, 7, wj, -1, free);
		rc = sqlite3_step(ins);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	sqlite3_finalize(ins);
	ins = NULL;
	/* Only this source counts as fetched from now on. */
	if (sqlite3_prepare_v2(db,
	                       "UPDATE transcripts SET fetched_at = NULL"
	                       " WHERE episode_id = ?1 AND url <> ?2 AND fetched_at IS NOT NULL",
	                       -1, &s, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, episode_id);
	sqlite3_bind_text(s, 2, where, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(
	            db,
	            "INSERT INTO transcripts(episode_id, url, type, language, fetched_at)"
	            " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(episode_id, url) DO UPDATE"
	            " SET fetched_at = excluded.fetched_at,"
	            " type = coalesce(excluded.type, type),"
	            " language = coalesce(excluded.language, language)",
	            -1, &s, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, episode_id);
	sqlite3_bind_text(s, 2, where, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)time(NULL));
	if (sqlite3_step(s) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	return store_commit(st, e);
fail:
	db_fail(db, e, "save transcript");
	sqlite3_finalize(s);
	sqlite3_finalize(ins);
	store_rollback(st);
	return -1;
}

int transcript_store_load(struct store *st, int64_t episode_id, struct transcript **out,
                          struct err *e)
{
	sqlite3 *db = store_db(st);
	bool words = has_words_column(db);
	struct transcript *t = NULL;
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc, fetched = 0;

	*out = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT count(*) FROM transcripts"
	                       " WHERE episode_id = ?1 AND fetched_at IS NOT NULL",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, e, "load transcript");
	sqlite3_bind_int64(s, 1, episode_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		fetched = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db,
	                       words ? "SELECT start, end, speaker, text, words FROM cues"
	                               " WHERE episode_id = ?1 ORDER BY seq"
	                             : "SELECT start, end, speaker, text FROM cues"
	                               " WHERE episode_id = ?1 ORDER BY seq",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, e, "load transcript");
	sqlite3_bind_int64(s, 1, episode_id);
	t = calloc(1, sizeof *t);
	if (t == NULL)
		goto oom;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct transcript_cue *c;
		const char *sp = (const char *)sqlite3_column_text(s, 2);
		const char *tx = (const char *)sqlite3_column_text(s, 3);

		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			c = realloc(t->cues, cap * sizeof *c);
			if (c == NULL)
				goto oom;
			t->cues = c;
		}
		c = &t->cues[t->n];
		memset(c, 0, sizeof *c);
		c->start = sqlite3_column_double(s, 0);
		c->end =
		        sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 1);
		c->speaker = str_dup(sp);
		c->text = str_dup(tx ? tx : "");
		t->n++;
		if (c->text == NULL || (sp && c->speaker == NULL))
			goto oom;
		if (words && sqlite3_column_type(s, 4) == SQLITE_TEXT)
			words_parse(c, (const char *)sqlite3_column_text(s, 4));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		transcript_free(t);
		return db_fail(db, e, "load transcript");
	}
	if (t->n == 0 && fetched == 0) {
		transcript_free(t);
		return 1;
	}
	*out = t;
	return 0;
oom:
	sqlite3_finalize(s);
	transcript_free(t);
	err_set(e, "library: load transcript: out of memory");
	return -1;
}

/* Read a transcript source: an http(s) URL through net_fetch, else a
 * local path (or file:// URL). *ctype gets the Content-Type, if any. */
static int read_source(const char *url, struct buf *out, char **ctype, struct err *e)
{
	struct net_opts o = {0};
	struct net_result r;
	int rc;

	*ctype = NULL;
	if (str_case_starts_with(url, "http://") || str_case_starts_with(url, "https://")) {
		o.max_bytes = TRANSCRIPT_MAX_BYTES;
		o.accept_encoding = true;
		rc = net_fetch(url, &o, &r, e);
		if (rc == 0 && r.body != NULL) {
			rc = buf_append(out, r.body, r.len);
			*ctype = r.content_type;
			r.content_type = NULL;
		} else if (rc == 0) {
			rc = buf_puts(out, "");
		}
		net_result_free(&r);
		return rc;
	}
	if (str_starts_with(url, "file://"))
		url += 7;
	return file_read_all(url, TRANSCRIPT_MAX_BYTES, out, e);
}

/* Fetch, parse and save one source. */
static int fetch_save(struct store *st, int64_t ep, const char *url, const char *type,
                      const char *lang, struct transcript **out, struct err *e)
{
	struct buf data = {0};
	char *ctype = NULL;
	enum transcript_format f;
	struct transcript *t;

	if (read_source(url, &data, &ctype, e) < 0) {
		free(ctype);
		buf_free(&data);
		return -1;
	}
	f = transcript_format_from_mime(type);
	if (f == TRANSCRIPT_UNKNOWN)
		f = transcript_format_from_mime(ctype);
	if (f == TRANSCRIPT_UNKNOWN)
		f = transcript_format_from_name(url);
	t = transcript_parse_format(data.data, data.len, f, e);
	free(ctype);
	buf_free(&data);
	if (t == NULL)
		return -1;
	if (transcript_store_save(st, ep, t, url, type, lang, e) < 0) {
		transcript_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

int transcript_store_get(struct store *st, int64_t episode_id, const char *lang,
                         struct transcript **out, struct err *e)
{
	struct store_episode ep;
	struct feed_transcript *refs = NULL;
	char *side = NULL;
	long pick;
	size_t i;
	int rc;

	*out = NULL;
	rc = transcript_store_load(st, episode_id, out, e);
	if (rc != 1)
		return rc;
	memset(&ep, 0, sizeof ep);
	rc = store_episode_get(st, episode_id, &ep, e);
	if (rc != 0) {
		if (rc == 1)
			err_set(e, "episode %lld: no such episode", (long long)episode_id);
		return -1;
	}
	rc = 1;
	if (ep.ntranscripts > 0) {
		refs = calloc(ep.ntranscripts, sizeof *refs);
		if (refs == NULL) {
			store_episode_free(&ep);
			err_set(e, "out of memory");
			return -1;
		}
		for (i = 0; i < ep.ntranscripts; i++) {
			refs[i].url = ep.transcripts[i].url;
			refs[i].type = ep.transcripts[i].type;
			refs[i].language = ep.transcripts[i].language;
			refs[i].rel = ep.transcripts[i].rel;
		}
		pick = transcript_pick(refs, ep.ntranscripts, lang);
		if (pick >= 0)
			rc = fetch_save(st, episode_id, refs[pick].url, refs[pick].type,
			                refs[pick].language, out, e);
		free(refs);
	}
	if (rc == 1 && ep.download_path != NULL &&
	    (side = transcript_sidecar(ep.download_path)) != NULL) {
		rc = fetch_save(st, episode_id, side, NULL, NULL, out, e);
		free(side);
	}
	store_episode_free(&ep);
	return rc;
}
