/* store.c - the library database: connection, schema and migrations,
 * transactions, feeds and episodes. The queue, key/value and search parts
 * live in store_misc.c. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hark/feed.h"
#include "hark/store.h"
#include "store_int.h"

/* Schema steps: migrations[i] takes user_version i to i + 1. Never edit a
 * shipped step; append a new one. */
static const char *const migrations[] = {
        /* 0 -> 1 */
        "CREATE TABLE feeds("
        " id INTEGER PRIMARY KEY,"
        " url TEXT NOT NULL UNIQUE,"
        " local INTEGER NOT NULL DEFAULT 0,"
        " title TEXT, link TEXT, description TEXT, image TEXT, author TEXT, language TEXT,"
        " serial INTEGER NOT NULL DEFAULT 0,"
        " etag TEXT, last_modified TEXT,"
        " added_at INTEGER NOT NULL DEFAULT 0,"
        " updated_at INTEGER NOT NULL DEFAULT 0,"
        " last_error TEXT);"
        "CREATE TABLE episodes("
        " id INTEGER PRIMARY KEY,"
        " feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
        " key TEXT NOT NULL,"
        " guid TEXT, title TEXT,"
        " published INTEGER NOT NULL DEFAULT 0,"
        " duration REAL NOT NULL DEFAULT 0,"
        " description TEXT,"
        " enclosure_url TEXT, enclosure_type TEXT,"
        " enclosure_length INTEGER NOT NULL DEFAULT 0,"
        " image TEXT, link TEXT,"
        " season INTEGER NOT NULL DEFAULT 0, episode INTEGER NOT NULL DEFAULT 0,"
        " episode_type TEXT, explicit INTEGER NOT NULL DEFAULT 0,"
        " chapters_url TEXT, chapters_type TEXT,"
        " feed_order INTEGER NOT NULL DEFAULT 0,"
        " added_at INTEGER NOT NULL DEFAULT 0,"
        " played INTEGER NOT NULL DEFAULT 0,"
        " position REAL NOT NULL DEFAULT 0,"
        " position_updated_at INTEGER NOT NULL DEFAULT 0,"
        " is_new INTEGER NOT NULL DEFAULT 1,"
        " download_path TEXT,"
        " UNIQUE(feed_id, key));"
        "CREATE INDEX episodes_by_feed ON episodes(feed_id, published);"
        "CREATE INDEX episodes_by_enclosure ON episodes(enclosure_url);"
        /* Transcripts: the ones a feed names (fetched_at NULL until fetched)
	 * and any the transcripts module adds. */
        "CREATE TABLE transcripts("
        " episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,"
        " url TEXT NOT NULL, type TEXT, language TEXT, rel TEXT,"
        " fetched_at INTEGER,"
        " PRIMARY KEY(episode_id, url));"
        "CREATE TABLE cues("
        " id INTEGER PRIMARY KEY,"
        " episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,"
        " seq INTEGER NOT NULL,"
        " start REAL NOT NULL, end REAL,"
        " speaker TEXT, text TEXT NOT NULL);"
        "CREATE INDEX cues_by_episode ON cues(episode_id, seq);"
        "CREATE TABLE queue("
        " episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,"
        " pos INTEGER NOT NULL);"
        "CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE VIRTUAL TABLE search USING fts5(title, body, episode_id UNINDEXED,"
        " start UNINDEXED, kind UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');"
        /* The search index follows episodes and cues through triggers:
	 * episode rows have rowid = episodes.id, cue rows rowid = -cues.id. */
        "CREATE TRIGGER episodes_ai AFTER INSERT ON episodes BEGIN"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(new.id, new.title, new.description, new.id, NULL, 'episode'); END;"
        "CREATE TRIGGER episodes_au AFTER UPDATE OF title, description ON episodes"
        " WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN"
        " DELETE FROM search WHERE rowid = old.id;"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(new.id, new.title, new.description, new.id, NULL, 'episode'); END;"
        "CREATE TRIGGER episodes_ad AFTER DELETE ON episodes BEGIN"
        " DELETE FROM search WHERE rowid = old.id; END;"
        "CREATE TRIGGER cues_ai AFTER INSERT ON cues BEGIN"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(-new.id, new.speaker, new.text, new.episode_id, new.start, 'cue'); END;"
        "CREATE TRIGGER cues_au AFTER UPDATE ON cues BEGIN"
        " DELETE FROM search WHERE rowid = -old.id;"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(-new.id, new.speaker, new.text, new.episode_id, new.start, 'cue'); END;"
        "CREATE TRIGGER cues_ad AFTER DELETE ON cues BEGIN"
        " DELETE FROM search WHERE rowid = -old.id; END;",
        /* 1 -> 2: word times of a cue, JSON [[start, byte offset, length], ...],
	 * written by the transcripts module. */
        "ALTER TABLE cues ADD COLUMN words TEXT;",
        /* 2 -> 3: the search index keeps no copy of the text (contentless
	 * FTS5): search reads titles, descriptions and cue text from their
	 * own tables by rowid (search.c), so the copy only doubled the file
	 * and the time to store a feed (a 5,000-episode feed: 52 -> 29 MB,
	 * ~0.3 s less CPU). Same columns; rows are removed with FTS5's
	 * 'delete' command, which needs the values that were indexed: the
	 * triggers pass the old row's. */
        "DROP TRIGGER episodes_ai; DROP TRIGGER episodes_au; DROP TRIGGER episodes_ad;"
        "DROP TRIGGER cues_ai; DROP TRIGGER cues_au; DROP TRIGGER cues_ad;"
        "DROP TABLE search;"
        "CREATE VIRTUAL TABLE search USING fts5(title, body, episode_id UNINDEXED,"
        " start UNINDEXED, kind UNINDEXED, content = '',"
        " tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        " SELECT id, title, description, id, NULL, 'episode' FROM episodes;"
        "INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        " SELECT -id, speaker, text, episode_id, start, 'cue' FROM cues;"
        "CREATE TRIGGER episodes_ai AFTER INSERT ON episodes BEGIN"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(new.id, new.title, new.description, new.id, NULL, 'episode'); END;"
        "CREATE TRIGGER episodes_au AFTER UPDATE OF title, description ON episodes"
        " WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN"
        " INSERT INTO search(search, rowid, title, body, episode_id, start, kind)"
        "  VALUES('delete', old.id, old.title, old.description, old.id, NULL, 'episode');"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(new.id, new.title, new.description, new.id, NULL, 'episode'); END;"
        "CREATE TRIGGER episodes_ad AFTER DELETE ON episodes BEGIN"
        " INSERT INTO search(search, rowid, title, body, episode_id, start, kind)"
        "  VALUES('delete', old.id, old.title, old.description, old.id, NULL, 'episode'); END;"
        "CREATE TRIGGER cues_ai AFTER INSERT ON cues BEGIN"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(-new.id, new.speaker, new.text, new.episode_id, new.start, 'cue'); END;"
        "CREATE TRIGGER cues_au AFTER UPDATE OF speaker, text ON cues"
        " WHEN old.speaker IS NOT new.speaker OR old.text IS NOT new.text BEGIN"
        " INSERT INTO search(search, rowid, title, body, episode_id, start, kind)"
        "  VALUES('delete', -old.id, old.speaker, old.text, old.episode_id, old.start, 'cue');"
        " INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        "  VALUES(-new.id, new.speaker, new.text, new.episode_id, new.start, 'cue'); END;"
        "CREATE TRIGGER cues_ad AFTER DELETE ON cues BEGIN"
        " INSERT INTO search(search, rowid, title, body, episode_id, start, kind)"
        "  VALUES('delete', -old.id, old.speaker, old.text, old.episode_id, old.start, 'cue');"
        " END;",
        /* 3 -> 4: cues get their own index, cue_search, with an FTS5 prefix
	 * index for two- and three-letter prefixes (prefix='2 3'): a short
	 * fragment of common words ("dl") no longer merges the doclists of
	 * every word it starts across millions of cue rows. Episodes stay in
	 * `search` without one, so storing a feed costs what it did. Same
	 * columns as before for a cue (title = speaker, body = text) and the
	 * same rowid, -cues.id; contentless like `search`. `search` is
	 * rebuilt with the episodes only. */
        "DROP TRIGGER cues_ai; DROP TRIGGER cues_au; DROP TRIGGER cues_ad;"
        "DROP TABLE search;"
        "CREATE VIRTUAL TABLE search USING fts5(title, body, episode_id UNINDEXED,"
        " start UNINDEXED, kind UNINDEXED, content = '',"
        " tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO search(rowid, title, body, episode_id, start, kind)"
        " SELECT id, title, description, id, NULL, 'episode' FROM episodes;"
        "CREATE VIRTUAL TABLE cue_search USING fts5(title, body, content = '',"
        " prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO cue_search(rowid, title, body) SELECT -id, speaker, text FROM cues;"
        "CREATE TRIGGER cues_ai AFTER INSERT ON cues BEGIN"
        " INSERT INTO cue_search(rowid, title, body) VALUES(-new.id, new.speaker, new.text);"
        " END;"
        "CREATE TRIGGER cues_au AFTER UPDATE OF speaker, text ON cues"
        " WHEN old.speaker IS NOT new.speaker OR old.text IS NOT new.text BEGIN"
        " INSERT INTO cue_search(cue_search, rowid, title, body)"
        "  VALUES('delete', -old.id, old.speaker, old.text);"
        " INSERT INTO cue_search(rowid, title, body) VALUES(-new.id, new.speaker, new.text);"
        " END;"
        "CREATE TRIGGER cues_ad AFTER DELETE ON cues BEGIN"
        " INSERT INTO cue_search(cue_search, rowid, title, body)"
        "  VALUES('delete', -old.id, old.speaker, old.text); END;",
        /* 4 -> 5: episodes are indexed by their writer (feed_write) and
	 * new cues by theirs (transcript_store_save), not by triggers. A
	 * trigger makes every INSERT or UPDATE a two-table statement, which
	 * inside a transaction opens a statement savepoint, and FTS5 flushes
	 * its pending terms to disk at every savepoint: one tiny segment per
	 * episode or cue, merged again and again (a 5,000-episode feed wrote
	 * 144 MB of statement journal). A one-row INSERT into the index opens
	 * no savepoint, so the terms of a whole feed or transcript are
	 * flushed in a few large segments. Deletes keep their triggers (a
	 * cascade needs them), and so do cue updates (nothing updates a
	 * cue's text; transcripts are saved anew). */
        "DROP TRIGGER episodes_ai; DROP TRIGGER episodes_au; DROP TRIGGER cues_ai;",
};
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "STORE_SCHEMA_VERSION must count the migrations");

/* Errors that are about the file itself (damaged, not a database, disk
 * full, read-only, I/O) name it; a damaged file is never "repaired". */
static void file_error(struct store *st, struct err *e, const char *what, const char *msg)
{
	int code = sqlite3_errcode(st->db);

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		err_set(e,
		        "library %s: %s%s%s (the file is damaged or not a hark library; it was "
		        "left as it is)",
		        st->path, what, what[0] ? ": " : "", msg);
	else if (code == SQLITE_FULL || code == SQLITE_READONLY || code == SQLITE_IOERR ||
	         code == SQLITE_CANTOPEN)
		err_set(e, "library %s: %s%s%s", st->path, what, what[0] ? ": " : "", msg);
	else
		err_set(e, "library: %s%s%s", what, what[0] ? ": " : "", msg);
}

int store_fail(struct store *st, struct err *e, const char *what)
{
	file_error(st, e, what, sqlite3_errmsg(st->db));
	return -1;
}

int store_exec(struct store *st, const char *sql, struct err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		file_error(st, e, "", msg != NULL ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql, struct err *e)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_fail(st, e, "prepare");
		return NULL;
	}
	return s;
}

char *store_col_str(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? str_dup((const char *)t) : NULL;
}

void store_bind_str(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Transactions nest by depth: only the outermost BEGIN/COMMIT reach SQLite;
 * a rollback inside dooms the whole transaction. */
int store_begin(struct store *st, struct err *e)
{
	if (st->depth++ > 0)
		return 0;
	st->doomed = false;
	if (store_exec(st, "BEGIN IMMEDIATE", e) < 0) {
		st->depth = 0;
		return -1;
	}
	return 0;
}

int store_commit(struct store *st, struct err *e)
{
	if (st->depth == 0) {
		err_set(e, "library: commit without a transaction");
		return -1;
	}
	if (--st->depth > 0)
		return 0;
	if (st->doomed) {
		store_exec(st, "ROLLBACK", NULL);
		err_set(e, "library: the transaction was rolled back");
		return -1;
	}
	if (store_exec(st, "COMMIT", e) < 0) {
		store_exec(st, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *st)
{
	if (st->depth == 0)
		return;
	if (--st->depth > 0) {
		st->doomed = true;
		return;
	}
	store_exec(st, "ROLLBACK", NULL);
}

static int user_version(struct store *st, int *v, struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA user_version", e);

	if (s == NULL)
		return -1;
	*v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	return 0;
}

/* Bring the schema up to version `to` (STORE_SCHEMA_VERSION but in tests)
 * inside one write transaction (re-reading the version under the lock, so
 * two processes opening a new file at once do not both migrate). */
static int migrate(struct store *st, const char *path, int to, struct err *e)
{
	int v, n = (int)HARK_ARRAY_LEN(migrations);
	char sql[64];

	if (user_version(st, &v, e) < 0)
		return -1;
	if (v == to)
		return 0;
	if (store_begin(st, e) < 0)
		return -1;
	if (user_version(st, &v, e) < 0)
		goto fail;
	if (v > n) {
		err_set(e, "library %s: schema version %d is newer than this hark knows (%d)", path,
		        v, n);
		goto fail;
	}
	if (v >= to)
		return store_commit(st, e);
	for (; v < to; v++) {
		if (store_exec(st, migrations[v], e) < 0)
			goto fail;
		log_msg("store: migrated %s to schema %d", path, v + 1);
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", to);
	if (store_exec(st, sql, e) < 0)
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return -1;
}

/* Opening failed with msg: say so, adding why when the file's folder is not
 * writable (a read-only mount, where even root cannot write). */
static void open_error(struct store *st, struct err *e, const char *msg)
{
	char *d = str_dup(st->path), *sl = d != NULL ? strrchr(d, '/') : NULL;

	if (sl != NULL)
		*sl = '\0';
	if (sl != NULL && access(d, W_OK) != 0)
		err_set(e, "library %s: %s: the folder %s is not writable (%s)", st->path,
		        sqlite3_errmsg(st->db), d, strerror(errno));
	else
		err_set(e, "%s", msg);
	free(d);
}

/* A library this small is checked page by page at every open (about 3 ms a
 * MB); a bigger one once a week (kv "checked_at"), and otherwise only read
 * far enough to know it is a database: at 300 MB the full check took
 * 0.7 s, paid by every `hark` process. SQLite still refuses to work on a
 * damaged page it meets (SQLITE_CORRUPT rolls the change back). */
#define CHECK_ALWAYS_BYTES (16LL << 20)
#define CHECK_EVERY_SECONDS (7 * 24 * 3600)

static bool check_due(struct store *st, bool *record)
{
	sqlite3_stmt *q = NULL;
	struct stat sb;
	bool due = true;

	*record = false;
	if (stat(st->path, &sb) != 0 || sb.st_size <= CHECK_ALWAYS_BYTES)
		return true;
	*record = true;
	/* a file that is not a library (no kv table) gets the full check and
	 * its clear error */
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM kv WHERE key = 'checked_at'", -1, &q,
	                       NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		due = (long long)time(NULL) - sqlite3_column_int64(q, 0) >= CHECK_EVERY_SECONDS;
	sqlite3_finalize(q);
	return due;
}

/* PRAGMA quick_check before anything is written, when due: a damaged file
 * is reported and left as it is (writing on would spread the damage). */
static int quick_check(struct store *st, struct err *e)
{
	sqlite3_stmt *q = NULL;
	struct err fe;
	int rc = -1;

	st->checked = check_due(st, &st->record_check);
	if (sqlite3_prepare_v2(st->db,
	                       st->checked ? "PRAGMA quick_check(1)" : "PRAGMA schema_version", -1,
	                       &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		store_fail(st, &fe, "check");
		open_error(st, e, fe.msg);
	} else if (st->checked && strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0) {
		char *why = text_sanitize((const char *)sqlite3_column_text(q, 0), false);

		err_set(e,
		        "library %s: check: %s (the file is damaged or not a hark library; it was "
		        "left as it is)",
		        st->path, why != NULL ? why : "damaged");
		free(why);
	} else {
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

struct store *store_open(const char *path, struct err *e)
{
	return store_open_at(path, STORE_SCHEMA_VERSION, e);
}

struct store *store_open_at(const char *path, int version, struct err *e)
{
	struct store *st;
	char *dir, *slash;
	int i;

	dir = str_dup(path);
	if (dir == NULL) {
		err_set(e, "library: out of memory");
		return NULL;
	}
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdir_p(dir, e) < 0) {
			free(dir);
			return NULL;
		}
	}
	free(dir);
	st = calloc(1, sizeof *st);
	if (st == NULL) {
		err_set(e, "library: out of memory");
		return NULL;
	}
	st->path = str_dup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		char msg[256];

		snprintf(msg, sizeof msg, "library %s: %s", path,
		         st->db ? sqlite3_errmsg(st->db) : "cannot open");
		open_error(st, e, msg);
		store_close(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (quick_check(st, e) < 0) {
		store_close(st);
		return NULL;
	}
	sqlite3_extended_result_codes(st->db, 0);
	/* Switching to WAL needs a moment alone with the file: retry briefly. */
	for (i = 0;; i++) {
		struct err we;

		if (store_exec(st, "PRAGMA journal_mode = WAL", &we) == 0)
			break;
		/* only another process holding the file is worth waiting for */
		if (sqlite3_errcode(st->db) != SQLITE_BUSY &&
		    sqlite3_errcode(st->db) != SQLITE_LOCKED) {
			open_error(st, e, we.msg);
			store_close(st);
			return NULL;
		}
		if (i == 50) {
			err_set(e, "library %s: cannot enable WAL: %s", path, we.msg);
			store_close(st);
			return NULL;
		}
		usleep(100000);
	}
	if (store_exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", e) < 0 ||
	    migrate(st, path, version, e) < 0) {
		char msg[sizeof e->msg];

		snprintf(msg, sizeof msg, "%s", e != NULL ? e->msg : "");
		err_set(e, "%s", msg);
		store_close(st);
		return NULL;
	}
	if (st->checked && st->record_check) {
		char now[32];
		struct err ke;

		snprintf(now, sizeof now, "%lld", (long long)time(NULL));
		store_kv_set(st, "checked_at", now, &ke); /* best effort: checked again next time */
	}
	return st;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

/* ---- feeds ---- */

#define FEED_COLS                                                                                  \
	"f.id, f.url, f.title, f.link, f.description, f.image, f.author, f.language,"              \
	" f.serial, f.local, f.etag, f.last_modified, f.added_at, f.updated_at,"                   \
	" f.last_error,"                                                                           \
	" (SELECT count(*) FROM episodes e WHERE e.feed_id = f.id),"                               \
	" (SELECT count(*) FROM episodes e WHERE e.feed_id = f.id AND e.played = 0),"              \
	" (SELECT count(*) FROM episodes e WHERE e.feed_id = f.id AND e.is_new = 1)"

static void feed_from_row(sqlite3_stmt *s, struct store_feed *f)
{
	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(s, 0);
	f->url = store_col_str(s, 1);
	f->title = store_col_str(s, 2);
	f->link = store_col_str(s, 3);
	f->description = store_col_str(s, 4);
	f->image = store_col_str(s, 5);
	f->author = store_col_str(s, 6);
	f->language = store_col_str(s, 7);
	f->serial = sqlite3_column_int(s, 8) != 0;
	f->local = sqlite3_column_int(s, 9) != 0;
	f->etag = store_col_str(s, 10);
	f->last_modified = store_col_str(s, 11);
	f->added_at = sqlite3_column_int64(s, 12);
	f->updated_at = sqlite3_column_int64(s, 13);
	f->last_error = store_col_str(s, 14);
	f->episodes = sqlite3_column_int(s, 15);
	f->unplayed = sqlite3_column_int(s, 16);
	f->new_count = sqlite3_column_int(s, 17);
}

void store_feed_free(struct store_feed *f)
{
	if (f == NULL)
		return;
	free(f->url);
	free(f->title);
	free(f->link);
	free(f->description);
	free(f->image);
	free(f->author);
	free(f->language);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	memset(f, 0, sizeof *f);
}

void store_feed_list_free(struct store_feed_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		store_feed_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Run a one-row feed query with one bound value (an id or a text). */
static int feed_query1(struct store *st, const char *where, int64_t id, const char *text,
                       struct store_feed *f, struct err *e)
{
	char *sql = str_printf("SELECT " FEED_COLS " FROM feeds f WHERE %s", where);
	sqlite3_stmt *s;
	int rc;

	if (sql == NULL) {
		err_set(e, "library: out of memory");
		return -1;
	}
	s = store_prepare(st, sql, e);
	free(sql);
	if (s == NULL)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		feed_from_row(s, f);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	} else {
		rc = store_fail(st, e, "feed lookup");
	}
	sqlite3_finalize(s);
	return rc;
}

int store_feed_get(struct store *st, int64_t id, struct store_feed *f, struct err *e)
{
	return feed_query1(st, "f.id = ?1", id, NULL, f, e);
}

int store_feed_find_url(struct store *st, const char *url, struct store_feed *f, struct err *e)
{
	return feed_query1(st, "f.url = ?1", 0, url, f, e);
}

/* Exactly one feed titled `title` (exact, else ASCII case-insensitive):
 * 0 found, 1 none, -1 error (including an ambiguous title). */
int store_feed_find_title(struct store *st, const char *title, struct store_feed *f, struct err *e)
{
	static const char *const wheres[] = {"f.title = ?1", "f.title = ?1 COLLATE NOCASE"};
	size_t w;

	for (w = 0; w < HARK_ARRAY_LEN(wheres); w++) {
		char *sql = str_printf("SELECT " FEED_COLS " FROM feeds f WHERE %s ORDER BY f.id",
		                       wheres[w]);
		sqlite3_stmt *s = sql != NULL ? store_prepare(st, sql, e) : NULL;
		int n = 0, rc;
		struct buf ids = {0};

		free(sql);
		if (s == NULL)
			return -1;
		sqlite3_bind_text(s, 1, title, -1, SQLITE_TRANSIENT);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (n == 0)
				feed_from_row(s, f);
			buf_printf(&ids, "%s%lld", n ? ", " : "",
			           (long long)sqlite3_column_int64(s, 0));
			n++;
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE) {
			if (n > 0)
				store_feed_free(f);
			buf_free(&ids);
			return store_fail(st, e, "feed lookup");
		}
		if (n > 1) {
			store_feed_free(f);
			err_set(e, "feed \"%s\": several feeds have this title (ids %s): use an id",
			        title, ids.data);
			buf_free(&ids);
			return -1;
		}
		buf_free(&ids);
		if (n == 1)
			return 0;
	}
	return 1;
}

int store_feed_find(struct store *st, const char *spec, struct store_feed *f, struct err *e)
{
	const char *p = spec;
	char *real;
	int rc;

	if (spec == NULL || spec[0] == '\0')
		return 1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '\0' && p - spec < 19) {
		rc = store_feed_get(st, strtoll(spec, NULL, 10), f, e);
		if (rc != 1)
			return rc;
	}
	rc = store_feed_find_url(st, spec, f, e);
	if (rc != 1)
		return rc;
	/* A local feed is stored by its absolute path. */
	real = realpath(spec, NULL);
	if (real != NULL) {
		rc = store_feed_find_url(st, real, f, e);
		free(real);
		if (rc != 1)
			return rc;
	}
	return store_feed_find_title(st, spec, f, e);
}

int store_feed_list(struct store *st, struct store_feed_list *out, struct err *e)
{
	sqlite3_stmt *s = store_prepare(
	        st, "SELECT " FEED_COLS " FROM feeds f ORDER BY f.title COLLATE NOCASE, f.id", e);
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			struct store_feed *v;

			cap = cap ? cap * 2 : 16;
			v = realloc(out->v, cap * sizeof *v);
			if (v == NULL) {
				sqlite3_finalize(s);
				store_feed_list_free(out);
				err_set(e, "library: out of memory");
				return -1;
			}
			out->v = v;
		}
		feed_from_row(s, &out->v[out->n++]);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_feed_list_free(out);
		return store_fail(st, e, "list feeds");
	}
	return 0;
}

int store_feed_count(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM feeds", NULL);
	int n = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Run one write statement with up to two text values and an id, in its
 * own transaction. Returns the number of rows changed, or -1. */
static int write1(struct store *st, const char *sql, const char *a, const char *b, int64_t id,
                  const char *what, struct err *e)
{
	sqlite3_stmt *s;
	int n;

	if (store_begin(st, e) < 0)
		return -1;
	s = store_prepare(st, sql, e);
	if (s == NULL) {
		store_rollback(st);
		return -1;
	}
	store_bind_str(s, 1, a);
	store_bind_str(s, 2, b);
	sqlite3_bind_int64(s, 3, id);
	sqlite3_bind_int64(s, 4, (int64_t)time(NULL));
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_fail(st, e, what);
		sqlite3_finalize(s);
		store_rollback(st);
		return -1;
	}
	sqlite3_finalize(s);
	n = sqlite3_changes(st->db);
	if (store_commit(st, e) < 0)
		return -1;
	return n;
}

int store_feed_add_url(struct store *st, const char *url, bool local, int64_t *id, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st, e) < 0)
		return -1;
	s = store_prepare(st,
	                  "INSERT INTO feeds(url, local, added_at) VALUES(?1, ?2, ?3)"
	                  " ON CONFLICT(url) DO NOTHING",
	                  e);
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, url, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, local);
	sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_fail(st, e, "add feed");
		goto fail;
	}
	s = store_prepare(st, "SELECT id FROM feeds WHERE url = ?1", e);
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, url, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		store_fail(st, e, "add feed");
		goto fail;
	}
	if (id != NULL)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return store_commit(st, e);
fail:
	store_rollback(st);
	return -1;
}

/* Make the transcripts rows of episode ep match what the feed names,
 * writing only what changed; rows already fetched (fetched_at set) stay.
 * old: the unfetched URLs of the episode, del: delete one, ins: an upsert
 * that writes only a changed row. */
static int write_transcripts(struct store *st, sqlite3_stmt *old, sqlite3_stmt *del,
                             sqlite3_stmt *ins, int64_t ep, const struct feed_episode *fe,
                             struct err *e)
{
	size_t i;
	int rc;

	sqlite3_bind_int64(old, 1, ep);
	while ((rc = sqlite3_step(old)) == SQLITE_ROW) {
		const char *url = (const char *)sqlite3_column_text(old, 0);
		bool named = false;

		for (i = 0; url != NULL && i < fe->n_transcripts && !named; i++)
			named = fe->transcripts[i].url != NULL &&
			        strcmp(fe->transcripts[i].url, url) == 0;
		if (named || url == NULL)
			continue;
		sqlite3_bind_int64(del, 1, ep);
		sqlite3_bind_text(del, 2, url, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(del);
		sqlite3_reset(del);
		if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_reset(old);
	if (rc != SQLITE_DONE)
		return store_fail(st, e, "store transcripts");
	for (i = 0; i < fe->n_transcripts; i++) {
		const struct feed_transcript *t = &fe->transcripts[i];

		if (t->url == NULL)
			continue;
		sqlite3_bind_int64(ins, 1, ep);
		store_bind_str(ins, 2, t->url);
		store_bind_str(ins, 3, t->type);
		store_bind_str(ins, 4, t->language);
		store_bind_str(ins, 5, t->rel);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return store_fail(st, e, "store transcripts");
		sqlite3_reset(ins);
	}
	return 0;
}

/* Bind the content columns of episode fe to s at ?1..?19. */
static void bind_episode(sqlite3_stmt *s, const struct feed_episode *fe, const char *key, int order)
{
	store_bind_str(s, 1, key);
	store_bind_str(s, 2, fe->guid);
	store_bind_str(s, 3, fe->title);
	sqlite3_bind_int64(s, 4, fe->published > 0 ? fe->published : 0);
	sqlite3_bind_double(s, 5, fe->duration > 0 ? fe->duration : 0);
	store_bind_str(s, 6, fe->description);
	store_bind_str(s, 7, fe->enc_url);
	store_bind_str(s, 8, fe->enc_type);
	sqlite3_bind_int64(s, 9, fe->enc_length > 0 ? fe->enc_length : 0);
	store_bind_str(s, 10, fe->image);
	store_bind_str(s, 11, fe->link);
	sqlite3_bind_int(s, 12, fe->season > 0 ? fe->season : 0);
	sqlite3_bind_int(s, 13, fe->episode > 0 ? fe->episode : 0);
	store_bind_str(s, 14, fe->episode_type);
	sqlite3_bind_int(s, 15, fe->explicit_ == 1);
	store_bind_str(s, 16, fe->chapters_url);
	store_bind_str(s, 17, fe->chapters_type);
	sqlite3_bind_int(s, 18, order);
}

static bool same_text(const unsigned char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp((const char *)a, b) == 0;
}

/* Episode ep's row in the search index, with the text just stored. */
static int index_episode(sqlite3_stmt *idx, int64_t ep, const struct feed_episode *fe)
{
	int step;

	sqlite3_bind_int64(idx, 1, ep);
	store_bind_str(idx, 2, fe->title);
	store_bind_str(idx, 3, fe->description);
	step = sqlite3_step(idx);
	sqlite3_reset(idx);
	return step;
}

/* Write feed f's fields and upsert its episodes into feed `id` (inside the
 * caller's transaction). Played state, position, is_new and downloads of
 * known episodes are never touched. */
static int feed_write(struct store *st, int64_t id, const struct feed *f, const char *etag,
                      const char *lm, int *new_episodes, struct err *e)
{
	sqlite3_stmt *up = NULL, *find = NULL, *ins = NULL, *upd = NULL, *idx = NULL, *idel = NULL,
	             *told = NULL, *tdel = NULL, *tins = NULL;
	int64_t now = (int64_t)time(NULL);
	int added = 0, rc = -1;
	size_t i;

	up = store_prepare(st,
	                   "UPDATE feeds SET title = ?1, link = ?2, description = ?3, image = ?4,"
	                   " author = ?5, language = ?6, serial = ?7, etag = ?8,"
	                   " last_modified = ?9, updated_at = ?10, last_error = NULL"
	                   " WHERE id = ?11",
	                   e);
	find = store_prepare(st,
	                     "SELECT id, title, description FROM episodes"
	                     " WHERE feed_id = ?1 AND key = ?2",
	                     e);
	ins = store_prepare(
	        st,
	        "INSERT INTO episodes(key, guid, title, published, duration, description,"
	        " enclosure_url, enclosure_type, enclosure_length, image, link, season, episode,"
	        " episode_type, explicit, chapters_url, chapters_type, feed_order, feed_id,"
	        " added_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	        " ?15, ?16, ?17, ?18, ?19, ?20)",
	        e);
	upd = store_prepare(
	        st,
	        "UPDATE episodes SET key = ?1, guid = ?2, title = ?3, published = ?4,"
	        " duration = ?5, description = ?6, enclosure_url = ?7,"
	        " enclosure_type = ?8, enclosure_length = ?9, image = ?10, link = ?11,"
	        " season = ?12, episode = ?13, episode_type = ?14, explicit = ?15,"
	        " chapters_url = ?16, chapters_type = ?17, feed_order = ?18"
	        " WHERE id = ?19 AND (key IS NOT ?1 OR guid IS NOT ?2 OR title IS NOT ?3"
	        " OR published IS NOT ?4 OR duration IS NOT ?5 OR description IS NOT ?6"
	        " OR enclosure_url IS NOT ?7 OR enclosure_type IS NOT ?8"
	        " OR enclosure_length IS NOT ?9 OR image IS NOT ?10 OR link IS NOT ?11"
	        " OR season IS NOT ?12 OR episode IS NOT ?13 OR episode_type IS NOT ?14"
	        " OR explicit IS NOT ?15 OR chapters_url IS NOT ?16"
	        " OR chapters_type IS NOT ?17 OR feed_order IS NOT ?18)",
	        e);
	told = store_prepare(
	        st, "SELECT url FROM transcripts WHERE episode_id = ?1 AND fetched_at IS NULL", e);
	tdel = store_prepare(st, "DELETE FROM transcripts WHERE episode_id = ?1 AND url = ?2", e);
	/* an episode's search row, added and removed here (schema 5: no insert
	 * or update trigger); a removal names what was indexed */
	idx = store_prepare(st,
	                    "INSERT INTO search(rowid, title, body, episode_id, start, kind)"
	                    " VALUES(?1, ?2, ?3, ?1, NULL, 'episode')",
	                    e);
	idel = store_prepare(
	        st,
	        "INSERT INTO search(search, rowid, title, body, episode_id, start, kind)"
	        " VALUES('delete', ?1, ?2, ?3, ?1, NULL, 'episode')",
	        e);
	tins = store_prepare(st,
	                     "INSERT INTO transcripts(episode_id, url, type, language, rel)"
	                     " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(episode_id, url) DO UPDATE"
	                     " SET type = excluded.type, language = excluded.language,"
	                     " rel = excluded.rel WHERE type IS NOT excluded.type"
	                     " OR language IS NOT excluded.language OR rel IS NOT excluded.rel",
	                     e);
	if (up == NULL || find == NULL || ins == NULL || upd == NULL || idx == NULL ||
	    idel == NULL || told == NULL || tdel == NULL || tins == NULL)
		goto out;

	store_bind_str(up, 1, f->title);
	store_bind_str(up, 2, f->link);
	store_bind_str(up, 3, f->description);
	store_bind_str(up, 4, f->image);
	store_bind_str(up, 5, f->author);
	store_bind_str(up, 6, f->language);
	sqlite3_bind_int(up, 7, f->type != NULL && strcmp(f->type, "serial") == 0);
	store_bind_str(up, 8, etag);
	store_bind_str(up, 9, lm);
	sqlite3_bind_int64(up, 10, now);
	sqlite3_bind_int64(up, 11, id);
	if (sqlite3_step(up) != SQLITE_DONE) {
		store_fail(st, e, "store feed");
		goto out;
	}
	if (sqlite3_changes(st->db) != 1) {
		err_set(e, "feed %lld: no such feed", (long long)id);
		goto out;
	}

	for (i = 0; i < f->n_episodes; i++) {
		const struct feed_episode *fe = &f->episodes[i];
		char *key = feed_episode_key(fe);
		int64_t ep;
		int step;

		if (key == NULL) {
			err_set(e, "library: out of memory");
			goto out;
		}
		sqlite3_bind_int64(find, 1, id);
		sqlite3_bind_text(find, 2, key, -1, SQLITE_TRANSIENT);
		step = sqlite3_step(find);
		if (step == SQLITE_ROW) {
			bool text = !same_text(sqlite3_column_text(find, 1), fe->title) ||
			            !same_text(sqlite3_column_text(find, 2), fe->description);

			ep = sqlite3_column_int64(find, 0);
			step = SQLITE_DONE;
			if (text) { /* out of the index with the values it was indexed by */
				sqlite3_bind_int64(idel, 1, ep);
				sqlite3_bind_value(idel, 2, sqlite3_column_value(find, 1));
				sqlite3_bind_value(idel, 3, sqlite3_column_value(find, 2));
				step = sqlite3_step(idel);
				sqlite3_reset(idel);
			}
			sqlite3_reset(find);
			if (step == SQLITE_DONE) {
				bind_episode(upd, fe, key, (int)(f->n_episodes - 1 - i));
				sqlite3_bind_int64(upd, 19, ep);
				step = sqlite3_step(upd);
				sqlite3_reset(upd);
			}
			if (text && step == SQLITE_DONE) /* back in with the new ones */
				step = index_episode(idx, ep, fe);
		} else if (step == SQLITE_DONE) {
			sqlite3_reset(find);
			bind_episode(ins, fe, key, (int)(f->n_episodes - 1 - i));
			sqlite3_bind_int64(ins, 19, id);
			sqlite3_bind_int64(ins, 20, now);
			step = sqlite3_step(ins);
			sqlite3_reset(ins);
			ep = sqlite3_last_insert_rowid(st->db);
			if (step == SQLITE_DONE)
				step = index_episode(idx, ep, fe);
			added++;
		} else {
			sqlite3_reset(find);
		}
		free(key);
		if (step != SQLITE_DONE) {
			store_fail(st, e, "store episode");
			goto out;
		}
		if (write_transcripts(st, told, tdel, tins, ep, fe, e) < 0)
			goto out;
	}
	if (new_episodes != NULL)
		*new_episodes = added;
	rc = 0;
out:
	sqlite3_finalize(up);
	sqlite3_finalize(find);
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	sqlite3_finalize(idx);
	sqlite3_finalize(idel);
	sqlite3_finalize(told);
	sqlite3_finalize(tdel);
	sqlite3_finalize(tins);
	return rc;
}

int store_feed_add(struct store *st, const char *url, bool local, const struct feed *f,
                   const char *etag, const char *last_modified, int64_t *id, int *new_episodes,
                   struct err *e)
{
	int64_t fid;

	if (store_begin(st, e) < 0)
		return -1;
	if (store_feed_add_url(st, url, local, &fid, e) < 0 ||
	    feed_write(st, fid, f, etag, last_modified, new_episodes, e) < 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st, e) < 0)
		return -1;
	if (id != NULL)
		*id = fid;
	return 0;
}

int store_feed_update(struct store *st, int64_t id, const struct feed *f, const char *etag,
                      const char *last_modified, int *new_episodes, struct err *e)
{
	if (store_begin(st, e) < 0)
		return -1;
	if (feed_write(st, id, f, etag, last_modified, new_episodes, e) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, e);
}

int store_feed_touch(struct store *st, int64_t id, struct err *e)
{
	return write1(st, "UPDATE feeds SET updated_at = ?4, last_error = NULL WHERE id = ?3", NULL,
	              NULL, id, "update feed", e) < 0
	               ? -1
	               : 0;
}

int store_feed_set_title(struct store *st, int64_t id, const char *title, struct err *e)
{
	return write1(st, "UPDATE feeds SET title = ?1 WHERE id = ?3 AND title IS NULL", title,
	              NULL, id, "update feed", e) < 0
	               ? -1
	               : 0;
}

int store_feed_set_error(struct store *st, int64_t id, const char *error, struct err *e)
{
	return write1(st, "UPDATE feeds SET last_error = ?1 WHERE id = ?3", error, NULL, id,
	              "update feed", e) < 0
	               ? -1
	               : 0;
}

int store_feed_set_url(struct store *st, int64_t id, const char *url, struct err *e)
{
	struct store_feed other;
	int rc = store_feed_find_url(st, url, &other, e);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		bool same = other.id == id;

		store_feed_free(&other);
		if (same)
			return 0;
		err_set(e, "feed %lld: %s is already subscribed as feed %lld", (long long)id, url,
		        (long long)other.id);
		return -1;
	}
	return write1(st, "UPDATE feeds SET url = ?1 WHERE id = ?3", url, NULL, id, "change URL",
	              e) < 0
	               ? -1
	               : 0;
}

int store_feed_set_validators(struct store *st, int64_t id, const char *etag,
                              const char *last_modified, struct err *e)
{
	return write1(st, "UPDATE feeds SET etag = ?1, last_modified = ?2 WHERE id = ?3", etag,
	              last_modified, id, "update feed", e) < 0
	               ? -1
	               : 0;
}

int store_feed_remove(struct store *st, int64_t id, struct err *e)
{
	int n = write1(st, "DELETE FROM feeds WHERE id = ?3", NULL, NULL, id, "remove feed", e);

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

/* ---- episodes ---- */

#define EP_COLS                                                                                    \
	"e.id, e.feed_id, e.key, e.guid, e.title, e.published, e.duration, e.description,"         \
	" e.enclosure_url, e.enclosure_type, e.enclosure_length, e.image, e.link, e.season,"       \
	" e.episode, e.episode_type, e.explicit, e.chapters_url, e.chapters_type,"                 \
	" e.played, e.position, e.position_updated_at, e.is_new, e.download_path, f.title"

static void episode_from_row(sqlite3_stmt *s, struct store_episode *ep)
{
	memset(ep, 0, sizeof *ep);
	ep->id = sqlite3_column_int64(s, 0);
	ep->feed_id = sqlite3_column_int64(s, 1);
	ep->key = store_col_str(s, 2);
	ep->guid = store_col_str(s, 3);
	ep->title = store_col_str(s, 4);
	ep->published = sqlite3_column_int64(s, 5);
	ep->duration = sqlite3_column_double(s, 6);
	ep->description = store_col_str(s, 7);
	ep->enclosure_url = store_col_str(s, 8);
	ep->enclosure_type = store_col_str(s, 9);
	ep->enclosure_length = sqlite3_column_int64(s, 10);
	ep->image = store_col_str(s, 11);
	ep->link = store_col_str(s, 12);
	ep->season = sqlite3_column_int(s, 13);
	ep->episode = sqlite3_column_int(s, 14);
	ep->episode_type = store_col_str(s, 15);
	ep->explicit_ = sqlite3_column_int(s, 16) != 0;
	ep->chapters_url = store_col_str(s, 17);
	ep->chapters_type = store_col_str(s, 18);
	ep->played = sqlite3_column_int(s, 19) != 0;
	ep->position = sqlite3_column_double(s, 20);
	ep->position_updated_at = sqlite3_column_int64(s, 21);
	ep->is_new = sqlite3_column_int(s, 22) != 0;
	ep->download_path = store_col_str(s, 23);
	ep->feed_title = store_col_str(s, 24);
}

/* Fill ep->transcripts from the transcripts table (t: a prepared
 * "SELECT url, type, language, rel ... WHERE episode_id = ?1"). */
static int load_transcripts(struct store *st, sqlite3_stmt *t, struct store_episode *ep,
                            struct err *e)
{
	size_t cap = 0;
	int rc;

	sqlite3_bind_int64(t, 1, ep->id);
	while ((rc = sqlite3_step(t)) == SQLITE_ROW) {
		struct store_transcript_ref *r;

		if (ep->ntranscripts == cap) {
			cap = cap ? cap * 2 : 4;
			r = realloc(ep->transcripts, cap * sizeof *r);
			if (r == NULL) {
				sqlite3_reset(t);
				err_set(e, "library: out of memory");
				return -1;
			}
			ep->transcripts = r;
		}
		r = &ep->transcripts[ep->ntranscripts++];
		r->url = store_col_str(t, 0);
		r->type = store_col_str(t, 1);
		r->language = store_col_str(t, 2);
		r->rel = store_col_str(t, 3);
	}
	sqlite3_reset(t);
	return rc == SQLITE_DONE ? 0 : store_fail(st, e, "load transcripts");
}

#define TRANSCRIPTS_SQL                                                                            \
	"SELECT url, type, language, rel FROM transcripts WHERE episode_id = ?1 ORDER BY rowid"

void store_episode_free(struct store_episode *ep)
{
	size_t i;

	if (ep == NULL)
		return;
	free(ep->key);
	free(ep->guid);
	free(ep->title);
	free(ep->description);
	free(ep->enclosure_url);
	free(ep->enclosure_type);
	free(ep->image);
	free(ep->link);
	free(ep->episode_type);
	free(ep->chapters_url);
	free(ep->chapters_type);
	for (i = 0; i < ep->ntranscripts; i++) {
		free(ep->transcripts[i].url);
		free(ep->transcripts[i].type);
		free(ep->transcripts[i].language);
		free(ep->transcripts[i].rel);
	}
	free(ep->transcripts);
	free(ep->download_path);
	free(ep->feed_title);
	memset(ep, 0, sizeof *ep);
}

void store_episode_list_free(struct store_episode_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		store_episode_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int store_episode_list(struct store *st, int64_t feed_id, struct store_episode_list *out,
                       struct err *e)
{
	sqlite3_stmt *s, *t;
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	/* Newest first; a serial feed oldest first (undated ones last); ties in
	 * the order of the feed document (feed_order counts from its end, so it
	 * stays put when new items are prepended). */
	s = store_prepare(st,
	                  "SELECT " EP_COLS " FROM episodes e JOIN feeds f ON f.id = e.feed_id"
	                  " WHERE e.feed_id = ?1 ORDER BY"
	                  " CASE WHEN f.serial THEN e.published = 0 ELSE 0 END,"
	                  " CASE WHEN f.serial THEN e.published ELSE -e.published END,"
	                  " e.feed_order DESC, e.id",
	                  e);
	if (s == NULL)
		return -1;
	t = store_prepare(st, TRANSCRIPTS_SQL, e);
	if (t == NULL) {
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_bind_int64(s, 1, feed_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			struct store_episode *v;

			cap = cap ? cap * 2 : 32;
			v = realloc(out->v, cap * sizeof *v);
			if (v == NULL) {
				err_set(e, "library: out of memory");
				goto fail;
			}
			out->v = v;
		}
		episode_from_row(s, &out->v[out->n++]);
		if (load_transcripts(st, t, &out->v[out->n - 1], e) < 0)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, e, "list episodes");
		goto fail;
	}
	sqlite3_finalize(s);
	sqlite3_finalize(t);
	return 0;
fail:
	sqlite3_finalize(s);
	sqlite3_finalize(t);
	store_episode_list_free(out);
	return -1;
}

/* One episode by a WHERE clause with one bound value. */
static int episode_query1(struct store *st, const char *where, int64_t id, const char *text,
                          struct store_episode *ep, struct err *e)
{
	char *sql = str_printf("SELECT " EP_COLS " FROM episodes e JOIN feeds f ON"
	                       " f.id = e.feed_id WHERE %s ORDER BY e.id LIMIT 1",
	                       where);
	sqlite3_stmt *s = sql != NULL ? store_prepare(st, sql, e) : NULL, *t;
	int rc;

	free(sql);
	if (s == NULL)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(s);
		err_set(e, "no such episode"); /* callers print it as they print errors */
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return store_fail(st, e, "episode lookup");
	}
	episode_from_row(s, ep);
	sqlite3_finalize(s);
	t = store_prepare(st, TRANSCRIPTS_SQL, e);
	if (t == NULL || load_transcripts(st, t, ep, e) < 0) {
		sqlite3_finalize(t);
		store_episode_free(ep);
		return -1;
	}
	sqlite3_finalize(t);
	return 0;
}

int store_episode_get(struct store *st, int64_t ep_id, struct store_episode *ep, struct err *e)
{
	return episode_query1(st, "e.id = ?1", ep_id, NULL, ep, e);
}

int store_episode_find_url(struct store *st, const char *url, struct store_episode *ep,
                           struct err *e)
{
	return episode_query1(st, "e.enclosure_url = ?1", 0, url, ep, e);
}

/* An update of one episode row; "no such episode" when nothing matched. */
static int episode_write(struct store *st, const char *sql, int64_t ep_id, const char *text,
                         double num, struct err *e)
{
	sqlite3_stmt *s;
	int n;

	if (store_begin(st, e) < 0)
		return -1;
	s = store_prepare(st, sql, e);
	if (s == NULL) {
		store_rollback(st);
		return -1;
	}
	sqlite3_bind_int64(s, 1, ep_id);
	store_bind_str(s, 2, text);
	sqlite3_bind_double(s, 3, num);
	sqlite3_bind_int64(s, 4, (int64_t)time(NULL));
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_fail(st, e, "update episode");
		sqlite3_finalize(s);
		store_rollback(st);
		return -1;
	}
	sqlite3_finalize(s);
	n = sqlite3_changes(st->db);
	if (n == 0) {
		store_rollback(st);
		err_set(e, "episode %lld: no such episode", (long long)ep_id);
		return -1;
	}
	return store_commit(st, e);
}

int store_set_position(struct store *st, int64_t ep_id, double pos, struct err *e)
{
	if (!(pos >= 0))
		pos = 0;
	return episode_write(
	        st, "UPDATE episodes SET position = ?3, position_updated_at = ?4 WHERE id = ?1",
	        ep_id, NULL, pos, e);
}

int store_set_played(struct store *st, int64_t ep_id, bool played, struct err *e)
{
	/* Marking played (or unplayed) starts the episode over next time. */
	return episode_write(st,
	                     "UPDATE episodes SET played = ?3 != 0, position = 0,"
	                     " position_updated_at = ?4, is_new = 0 WHERE id = ?1",
	                     ep_id, NULL, played ? 1 : 0, e);
}

int store_set_download(struct store *st, int64_t ep_id, const char *path, struct err *e)
{
	return episode_write(st, "UPDATE episodes SET download_path = ?2 WHERE id = ?1", ep_id,
	                     path, 0, e);
}

int store_mark_seen(struct store *st, int64_t ep_id, int64_t feed_id, struct err *e)
{
	if (ep_id > 0)
		return episode_write(st, "UPDATE episodes SET is_new = 0 WHERE id = ?1", ep_id,
		                     NULL, 0, e);
	return write1(st, "UPDATE episodes SET is_new = 0 WHERE feed_id = ?3", NULL, NULL, feed_id,
	              "mark seen", e) < 0
	               ? -1
	               : 0;
}
