/* store_transcript.c - transcripts in the library database: cues saved in
 * one transaction with their FTS5 index rows, loaded back in order,
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

/* "[[start,off,len],...]" for a cue's words; NULL when it has none. */
static char *words_json(const struct transcript_cue *c)
{
	struct buf b = {0};
	size_t i;

	if (c->n_words == 0)
		return NULL;
	for (i = 0; i < c->n_words; i++)
		if (buf_printf(&b, "%s[%.10g,%zu,%zu]", i ? "," : "[", c->words[i].start,
		               c->words[i].off, c->words[i].len) < 0) {
			buf_free(&b);
			return NULL;
		}
	if (buf_putc(&b, ']') < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Words back from their JSON (our own compact "[[start,off,len],...]",
 * read with strtod/strtoll: jansson per cue cost more than the rest of the
 * load), keeping only spans inside the text. Anything unexpected ends the
 * list there. */
static void words_parse(struct transcript_cue *c, const char *js)
{
	size_t tl = strlen(c->text), cap = 0;
	const char *p = js;
	char *end;

	while (*p == ' ')
		p++;
	if (*p++ != '[')
		return;
	for (;;) {
		double st;
		long long off, len;
		struct transcript_word *nw;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p != '[')
			break;
		st = strtod(p + 1, &end);
		if (end == p + 1 || *end != ',')
			break;
		off = strtoll(end + 1, &end, 10);
		if (*end != ',')
			break;
		len = strtoll(end + 1, &end, 10);
		if (*end != ']')
			break;
		p = end + 1;
		if (off < 0 || len <= 0 || (size_t)off + (size_t)len > tl || !(st >= 0))
			continue;
		if (c->n_words == cap) {
			cap = cap ? cap * 2 : 16;
			nw = realloc(c->words, cap * sizeof *nw);
			if (nw == NULL)
				break;
			c->words = nw;
		}
		c->words[c->n_words].start = st;
		c->words[c->n_words].off = (size_t)off;
		c->words[c->n_words].len = (size_t)len;
		c->n_words++;
	}
	if (c->n_words == 0) {
		free(c->words);
		c->words = NULL;
	}
}

int transcript_store_save(struct store *st, int64_t episode_id, const struct transcript *t,
                          const char *url, const char *type, const char *lang, struct err *e)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *ins = NULL, *idx = NULL, *s = NULL;
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
	if (sqlite3_prepare_v2(db,
	                       "INSERT INTO cues(episode_id, seq, start, end, speaker, text, words)"
	                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                       -1, &ins, NULL) != SQLITE_OK ||
	    /* each cue's index row (schema 5: no insert trigger, store.c) */
	    sqlite3_prepare_v2(db, "INSERT INTO cue_search(rowid, title, body) VALUES(?1, ?2, ?3)",
	                       -1, &idx, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; t != NULL && i < t->n; i++) {
		const struct transcript_cue *c = &t->cues[i];
		char *wj = words_json(c);

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
		sqlite3_bind_text(ins, 7, wj, -1, free);
		rc = sqlite3_step(ins);
		if (rc != SQLITE_DONE)
			goto fail;
		sqlite3_reset(idx);
		sqlite3_bind_int64(idx, 1, -sqlite3_last_insert_rowid(db));
		sqlite3_bind_text(idx, 2, c->speaker, -1, SQLITE_STATIC);
		sqlite3_bind_text(idx, 3, c->text ? c->text : "", -1, SQLITE_STATIC);
		if (sqlite3_step(idx) != SQLITE_DONE)
			goto fail;
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(idx);
	ins = idx = NULL;
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
	sqlite3_finalize(idx);
	store_rollback(st);
	return -1;
}

int transcript_store_load(struct store *st, int64_t episode_id, struct transcript **out,
                          struct err *e)
{
	sqlite3 *db = store_db(st);
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
	                       "SELECT start, end, speaker, text, words FROM cues"
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
		if (sqlite3_column_type(s, 4) == SQLITE_TEXT)
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

/* Parse a source's bytes and save them; *out (may be NULL) gets the cues. */
static int parse_save(struct store *st, int64_t ep, const struct buf *data, const char *ctype,
                      const char *url, const char *type, const char *lang, struct transcript **out,
                      struct err *e)
{
	enum transcript_format f = transcript_format_from_mime(type);
	struct transcript *t;

	if (f == TRANSCRIPT_UNKNOWN)
		f = transcript_format_from_mime(ctype);
	if (f == TRANSCRIPT_UNKNOWN)
		f = transcript_format_from_name(url);
	t = transcript_parse_format(data->data ? data->data : "", data->len, f, e);
	if (t == NULL)
		return -1;
	if (transcript_store_save(st, ep, t, url, type, lang, e) < 0) {
		transcript_free(t);
		return -1;
	}
	if (out != NULL)
		*out = t;
	else
		transcript_free(t);
	return 0;
}

/* Fetch, parse and save one source. */
static int fetch_save(struct store *st, int64_t ep, const char *url, const char *type,
                      const char *lang, struct transcript **out, struct err *e)
{
	struct buf data = {0};
	char *ctype = NULL;
	int rc = -1;

	if (read_source(url, &data, &ctype, e) == 0)
		rc = parse_save(st, ep, &data, ctype, url, type, lang, out, e);
	free(ctype);
	buf_free(&data);
	return rc;
}

/* Where an episode's transcript comes from: the best tag the feed names,
 * else a sidecar beside the downloaded file or a local enclosure. Fills
 * the malloc'd *url and (tags only) *type, *lang; false when none. */
struct source {
	char *url, *type, *lang;
};

static void source_free(struct source *s)
{
	free(s->url);
	free(s->type);
	free(s->lang);
	memset(s, 0, sizeof *s);
}

static bool pick_source(const struct store_episode *ep, const char *lang, struct source *out)
{
	struct feed_transcript *refs;
	const char *audio;
	long pick = -1;
	size_t i;

	memset(out, 0, sizeof *out);
	if (ep->ntranscripts > 0 && (refs = calloc(ep->ntranscripts, sizeof *refs)) != NULL) {
		for (i = 0; i < ep->ntranscripts; i++) {
			refs[i].url = ep->transcripts[i].url;
			refs[i].type = ep->transcripts[i].type;
			refs[i].language = ep->transcripts[i].language;
			refs[i].rel = ep->transcripts[i].rel;
		}
		pick = transcript_pick(refs, ep->ntranscripts, lang);
		free(refs);
	}
	if (pick >= 0) {
		out->url = str_dup(ep->transcripts[pick].url);
		out->type = str_dup(ep->transcripts[pick].type);
		out->lang = str_dup(ep->transcripts[pick].language);
		return out->url != NULL;
	}
	audio = ep->download_path;
	if (audio == NULL && ep->enclosure_url != NULL && ep->enclosure_url[0] == '/')
		audio = ep->enclosure_url; /* a local feed's file */
	if (audio != NULL)
		out->url = transcript_sidecar(audio);
	return out->url != NULL;
}

int transcript_store_get(struct store *st, int64_t episode_id, const char *lang,
                         struct transcript **out, struct err *e)
{
	struct store_episode ep;
	struct source src;
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
	if (pick_source(&ep, lang, &src))
		rc = fetch_save(st, episode_id, src.url, src.type, src.lang, out, e);
	source_free(&src);
	store_episode_free(&ep);
	return rc;
}

/* ---- fetching ahead, after add/update ---- */

struct ahead {
	struct store *st;
	transcript_fetch_cb cb;
	void *ud;
	int failed;
};

struct ahead_item {
	struct ahead *a;
	int64_t ep;
	struct source src;
};

static void ahead_report(struct ahead *a, int64_t ep, const char *url, const struct transcript *t,
                         const char *error)
{
	struct transcript_fetch_report r = {ep, url, t != NULL ? t->n : 0, error};

	if (error != NULL)
		a->failed++;
	if (a->cb != NULL)
		a->cb(&r, a->ud);
}

/* Parse and save one fetched or read source, and report it. */
static void ahead_finish(struct ahead_item *it, const struct buf *data, const char *ctype)
{
	struct transcript *t = NULL;
	struct err e;

	if (parse_save(it->a->st, it->ep, data, ctype, it->src.url, it->src.type, it->src.lang, &t,
	               &e) < 0)
		ahead_report(it->a, it->ep, it->src.url, NULL, e.msg);
	else
		ahead_report(it->a, it->ep, it->src.url, t, NULL);
	transcript_free(t);
}

static void ahead_fetched(void *ctx, int rc, struct net_result *r, const struct err *e)
{
	struct ahead_item *it = ctx;

	if (rc < 0) {
		ahead_report(it->a, it->ep, it->src.url, NULL, e->msg);
	} else {
		struct buf data = {r->body, r->len, r->len};

		ahead_finish(it, &data, r->content_type);
	}
	source_free(&it->src);
	free(it);
}

/* The newest `newest` episodes of a feed that could have a transcript
 * (the feed names one, or a sidecar may sit beside a local file) and have
 * none stored. */
#define AHEAD_SQL                                                                                  \
	"SELECT n.id, n.local FROM (SELECT e.id, e.download_path, e.enclosure_url, f.local"        \
	" FROM episodes e JOIN feeds f ON f.id = e.feed_id WHERE e.feed_id = ?1"                   \
	" ORDER BY e.published DESC, e.feed_order DESC, e.id DESC LIMIT ?2) AS n"                  \
	" WHERE NOT EXISTS (SELECT 1 FROM transcripts t"                                           \
	"  WHERE t.episode_id = n.id AND t.fetched_at IS NOT NULL)"                                \
	" AND (EXISTS (SELECT 1 FROM transcripts t WHERE t.episode_id = n.id)"                     \
	"  OR n.download_path IS NOT NULL OR (n.local AND n.enclosure_url LIKE '/%'))"

struct ahead_ep {
	int64_t id;
	bool local; /* of a local feed */
};

/* The episodes to fetch, over the given feeds (NULL: all). */
static int ahead_list(struct store *st, const int64_t *feeds, size_t nfeeds, long newest,
                      struct ahead_ep **ids, size_t *nids, struct err *e)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *f = NULL, *s = NULL;
	size_t cap = 0, k = 0;
	int rc = SQLITE_DONE;

	*ids = NULL;
	*nids = 0;
	if (sqlite3_prepare_v2(db, AHEAD_SQL, -1, &s, NULL) != SQLITE_OK ||
	    (feeds == NULL &&
	     sqlite3_prepare_v2(db, "SELECT id FROM feeds ORDER BY id", -1, &f, NULL) != SQLITE_OK))
		goto fail;
	for (;;) {
		int64_t fid;

		if (f != NULL) {
			if ((rc = sqlite3_step(f)) != SQLITE_ROW)
				break;
			fid = sqlite3_column_int64(f, 0);
		} else {
			if (k == nfeeds)
				break;
			fid = feeds[k++];
		}
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, fid);
		sqlite3_bind_int64(s, 2, newest < 0 ? -1 : (sqlite3_int64)newest);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (*nids == cap) {
				struct ahead_ep *nv;

				cap = cap ? cap * 2 : 32;
				nv = realloc(*ids, cap * sizeof *nv);
				if (nv == NULL) {
					rc = SQLITE_NOMEM;
					break;
				}
				*ids = nv;
			}
			(*ids)[*nids].id = sqlite3_column_int64(s, 0);
			(*ids)[(*nids)++].local = sqlite3_column_int(s, 1) != 0;
		}
		if (rc != SQLITE_DONE)
			goto fail;
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	sqlite3_finalize(f);
	return 0;
fail:
	db_fail(db, e, "transcripts to fetch");
	sqlite3_finalize(s);
	sqlite3_finalize(f);
	free(*ids);
	*ids = NULL;
	*nids = 0;
	return -1;
}

int transcript_fetch_pending(struct store *st, const int64_t *feed_ids, size_t nfeeds,
                             const struct transcript_fetch_opts *o, transcript_fetch_cb cb,
                             void *ud, struct err *e)
{
	struct ahead a = {st, cb, ud, 0};
	struct net_opts no = {0};
	struct net_batch *b = NULL;
	long newest = o != NULL ? o->newest : TRANSCRIPT_FETCH_DEFAULT;
	struct ahead_ep *ids = NULL;
	size_t nids = 0, i;
	struct err be;

	if (newest == 0)
		return 0;
	if (ahead_list(st, feed_ids, nfeeds, newest, &ids, &nids, e) < 0)
		return -1;
	no.max_bytes = TRANSCRIPT_MAX_BYTES;
	no.accept_encoding = true;
	no.cacert = o != NULL ? o->cacert : NULL;
	for (i = 0; i < nids; i++) {
		struct store_episode ep;
		struct ahead_item *it;
		struct buf data = {0};
		struct err ee;
		const char *path;

		memset(&ep, 0, sizeof ep);
		if (store_episode_get(st, ids[i].id, &ep, &ee) != 0) {
			store_episode_free(&ep);
			continue; /* removed meanwhile */
		}
		it = calloc(1, sizeof *it);
		if (it == NULL || !pick_source(&ep, o != NULL ? o->lang : NULL, &it->src)) {
			store_episode_free(&ep);
			free(it);
			continue; /* nothing to fetch: no tag, no sidecar */
		}
		store_episode_free(&ep);
		it->a = &a;
		it->ep = ids[i].id;
		path = it->src.url;
		if (strstr(path, "://") != NULL && !str_starts_with(path, "file://") &&
		    ids[i].local) {
			/* A local feed's remote transcript: fetched when opened. */
		} else if (str_case_starts_with(path, "http://") ||
		           str_case_starts_with(path, "https://")) {
			if (b == NULL)
				b = net_batch_new(o != NULL ? o->jobs : 0);
			if (b != NULL && net_batch_add(b, path, &no, ahead_fetched, it) == 0)
				continue;
			ahead_report(&a, it->ep, path, NULL, "cannot queue the fetch");
		} else if (strstr(path, "://") != NULL && !str_starts_with(path, "file://")) {
			ahead_report(&a, it->ep, path, NULL, "only http, https and local files");
		} else if (file_read_all(str_starts_with(path, "file://") ? path + 7 : path,
		                         TRANSCRIPT_MAX_BYTES, &data, &ee) < 0) {
			ahead_report(&a, it->ep, path, NULL, ee.msg);
		} else {
			ahead_finish(it, &data, NULL);
		}
		buf_free(&data);
		source_free(&it->src);
		free(it);
	}
	free(ids);
	if (b != NULL && net_batch_run(b, &be) < 0)
		log_msg("transcripts: %s", be.msg);
	net_batch_free(b);
	return a.failed;
}
