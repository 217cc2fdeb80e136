/* test_store.c - the library database: schema and migrations, feed upserts
 * that keep play state, ordering, the queue, key/value, search, cascades
 * and two processes writing at once. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hark/feed.h"
#include "hark/search.h"
#include "hark/store.h"
#include "hark/transcript.h"
#include "../../src/core/store_int.h"
#include "tap.h"

static char dir[256];

static char *db_path(const char *name)
{
	return str_printf("%s/%s", dir, name);
}

static struct feed *parse(const char *xml)
{
	struct err e;
	struct feed *f = feed_parse(xml, strlen(xml), "https://example.org/feed.xml", false, &e);

	if (f == NULL)
		printf("# feed_parse: %s\n", e.msg);
	return f;
}

#define ITEM(guid, title, date, desc)                                                              \
	"<item><guid>" guid "</guid><title>" title "</title><pubDate>" date "</pubDate>"           \
	"<description>" desc "</description>"                                                      \
	"<enclosure url=\"https://example.org/" guid ".mp3\" type=\"audio/mpeg\""                  \
	" length=\"1000\"/></item>"

static const char *feed_v1 =
        "<rss version=\"2.0\" xmlns:podcast=\"https://podcastindex.org/namespace/1.0\">"
        "<channel><title>Morning Show</title><link>https://example.org/</link>"
        "<description>A show</description>" ITEM("a", "Alpha apples",
                                                 "Mon, 01 Jan 2024 10:00:00 GMT", "about orchards")
                ITEM("b", "Bravo bananas", "Tue, 02 Jan 2024 10:00:00 GMT",
                     "about tropics") "<item><guid>c</guid><title>Charlie cherries</title>"
                                      "<pubDate>Wed, 03 Jan 2024 10:00:00 GMT</pubDate>"
                                      "<podcast:transcript url=\"https://example.org/c.vtt\" "
                                      "type=\"text/vtt\"/>"
                                      "<enclosure url=\"https://example.org/c.mp3\" "
                                      "type=\"audio/mpeg\"/></item>"
                                      "</channel></rss>";

/* The same feed later: b renamed, d new; b's description given. */
#define FEED_LATER(b_desc)                                                                         \
	"<rss version=\"2.0\"><channel><title>Morning Show</title>" ITEM(                          \
	        "d", "Delta dates", "Thu, 04 Jan 2024 10:00:00 GMT", "about deserts")              \
	        ITEM("c", "Charlie cherries", "Wed, 03 Jan 2024 10:00:00 GMT", "x")                \
	                ITEM("b", "Bravo blueberries", "Tue, 02 Jan 2024 10:00:00 GMT", b_desc)    \
	                        ITEM("a", "Alpha apples", "Mon, 01 Jan 2024 10:00:00 GMT",         \
	                             "about orchards") "</channel></rss>"
static const char *feed_v2 = FEED_LATER("about tropics");
/* And later still: b's description changed, nothing else. */
static const char *feed_v3 = FEED_LATER("about glaciers");

static const char *feed_serial =
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">"
        "<channel><title>Serial Story</title><itunes:type>serial</itunes:type>" ITEM(
                "s3", "Part three", "Wed, 03 Jan 2024 10:00:00 GMT",
                "3") ITEM("s1", "Part one", "Mon, 01 Jan 2024 10:00:00 GMT", "1")
                ITEM("s2", "Part two", "Tue, 02 Jan 2024 10:00:00 GMT", "2") "</channel></rss>";

static int64_t ep_by_guid(struct store *st, int64_t feed, const char *guid)
{
	struct store_episode_list l;
	int64_t id = 0;
	size_t i;

	if (store_episode_list(st, feed, &l, NULL) < 0)
		return 0;
	for (i = 0; i < l.n; i++)
		if (l.v[i].guid != NULL && strcmp(l.v[i].guid, guid) == 0)
			id = l.v[i].id;
	store_episode_list_free(&l);
	return id;
}

/* PRAGMA user_version of the open store; -1 when it cannot be read. */
static int schema_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(store_db(st), "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void test_open_migrate(void)
{
	char *p = db_path("empty.db"), *nested = db_path("a/b/c/lib.db");
	struct store *st;
	struct err e;
	FILE *f;
	sqlite3_stmt *s = NULL;

	f = fopen(p, "w"); /* an empty file is a database at version 0 */
	fclose(f);
	st = store_open(p, &e);
	ok(st != NULL, "open an empty file");
	if (st == NULL) {
		printf("# %s\n", e.msg);
		free(p);
		free(nested);
		return;
	}
	is_num(schema_version(st), STORE_SCHEMA_VERSION, "migrated to the current schema");
	sqlite3_prepare_v2(store_db(st), "PRAGMA journal_mode", -1, &s, NULL);
	ok(sqlite3_step(s) == SQLITE_ROW &&
	           strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0,
	   "WAL mode");
	sqlite3_finalize(s);
	sqlite3_prepare_v2(store_db(st), "PRAGMA foreign_keys", -1, &s, NULL);
	ok(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 1, "foreign keys on");
	sqlite3_finalize(s);
	ok(store_feed_count(st) == 0, "no feeds yet");
	store_close(st);
	/* A version-1 file (the cues table without `words`), made by the real
	 * first migration. */
	unlink(p);
	st = store_open_at(p, 1, &e);
	ok(st != NULL && schema_version(st) == 1 &&
	           sqlite3_prepare_v2(store_db(st), "SELECT words FROM cues", -1, &s, NULL) !=
	                   SQLITE_OK,
	   "make a version-1 file (no cues.words)");
	sqlite3_finalize(s);
	s = NULL;
	store_close(st);
	st = store_open(p, &e);
	ok(st != NULL, "reopen a version-1 file");
	if (st == NULL) {
		free(p);
		free(nested);
		return;
	}
	is_num(schema_version(st), STORE_SCHEMA_VERSION, "migrated forward from version 1");
	ok(sqlite3_prepare_v2(store_db(st), "SELECT words FROM cues", -1, &s, NULL) == SQLITE_OK,
	   "the migration added cues.words");
	sqlite3_finalize(s);
	sqlite3_exec(store_db(st), "PRAGMA user_version = 99", NULL, NULL, NULL);
	store_close(st);

	st = store_open(p, &e);
	ok(st == NULL && strstr(e.msg, "newer") != NULL, "a newer schema is refused: %s", e.msg);
	store_close(st);

	st = store_open(nested, &e);
	ok(st != NULL, "missing folders are created");
	store_close(st);
	free(p);
	free(nested);
}

static void test_upsert(void)
{
	char *p = db_path("upsert.db");
	struct store *st = store_open(p, NULL);
	struct feed *f1 = parse(feed_v1), *f2 = parse(feed_v2);
	struct store_episode_list l;
	struct store_episode ep;
	struct store_feed sf;
	int64_t id = 0, id2 = 0, a, b;
	int added = -1;
	struct err e;

	if (!ok(st != NULL && f1 != NULL && f2 != NULL, "open and parse"))
		goto out;
	ok(store_feed_add(st, "https://example.org/feed.xml", false, f1, "\"e1\"", NULL, &id,
	                  &added, &e) == 0,
	   "add a feed");
	is_num(added, 3, "three episodes inserted");
	ok(store_episode_list(st, id, &l, &e) == 0 && l.n == 3, "three episodes listed");
	if (l.n == 3) {
		is_str(l.v[0].title, "Charlie cherries", "newest first");
		is_str(l.v[2].title, "Alpha apples", "oldest last");
		ok(l.v[0].ntranscripts == 1 &&
		           strcmp(l.v[0].transcripts[0].url, "https://example.org/c.vtt") == 0,
		   "feed transcript stored");
		is_str(l.v[0].feed_title, "Morning Show", "feed title joined");
		ok(l.v[0].is_new, "episodes start new");
	}
	store_episode_list_free(&l);

	a = ep_by_guid(st, id, "a");
	b = ep_by_guid(st, id, "b");
	ok(store_set_position(st, b, 123.5, &e) == 0, "set position");
	ok(store_set_played(st, a, true, &e) == 0, "set played");
	ok(store_set_download(st, b, "/tmp/b.mp3", &e) == 0, "set download");
	ok(store_set_position(st, 999999, 1, &e) < 0 && strstr(e.msg, "no such episode"),
	   "unknown episode refused");

	ok(store_feed_update(st, id, f2, "\"e2\"", "Thu, 04 Jan 2024 10:00:00 GMT", &added, &e) ==
	           0,
	   "refresh");
	is_num(added, 1, "one new episode");
	ok(store_episode_list(st, id, &l, &e) == 0 && l.n == 4, "four episodes, no duplicate");
	if (l.n == 4)
		is_str(l.v[0].title, "Delta dates", "new episode on top");
	store_episode_list_free(&l);
	{
		int before = sqlite3_total_changes(store_db(st));

		store_feed_update(st, id, f2, "\"e2\"", "Thu, 04 Jan 2024 10:00:00 GMT", NULL, &e);
		is_num(sqlite3_total_changes(store_db(st)) - before, 1,
		       "refreshing an unchanged feed rewrites only the feed row");
	}
	ok(store_episode_get(st, b, &ep, &e) == 0, "get by id");
	is_str(ep.title, "Bravo blueberries", "title refreshed");
	is_num(ep.position, 123.5, "position kept across refresh");
	is_str(ep.download_path, "/tmp/b.mp3", "download kept across refresh");
	ok(ep.position_updated_at > 0, "position time set");
	store_episode_free(&ep);
	ok(store_episode_get(st, a, &ep, &e) == 0 && ep.played, "played kept across refresh");
	store_episode_free(&ep);
	ok(store_episode_find_url(st, "https://example.org/a.mp3", &ep, &e) == 0 && ep.id == a,
	   "find episode by enclosure URL");
	store_episode_free(&ep);

	ok(store_feed_get(st, id, &sf, &e) == 0, "get feed");
	is_str(sf.etag, "\"e2\"", "etag stored");
	is_str(sf.last_modified, "Thu, 04 Jan 2024 10:00:00 GMT", "last-modified stored");
	ok(sf.episodes == 4 && sf.unplayed == 3, "counts");
	store_feed_free(&sf);

	ok(store_feed_find(st, "https://example.org/feed.xml", &sf, &e) == 0 && sf.id == id,
	   "find by URL");
	store_feed_free(&sf);
	ok(store_feed_find(st, "morning show", &sf, &e) == 0 && sf.id == id,
	   "find by title, any case");
	store_feed_free(&sf);
	{
		char num[32];

		snprintf(num, sizeof num, "%lld", (long long)id);
		ok(store_feed_find(st, num, &sf, &e) == 0 && sf.id == id, "find by id");
		store_feed_free(&sf);
	}
	ok(store_feed_find(st, "nothing", &sf, &e) == 1, "unknown feed");
	ok(store_feed_add(st, "https://mirror.example.org/feed.xml", false, f1, NULL, NULL, &id2,
	                  NULL, &e) == 0,
	   "second feed, same title");
	ok(store_feed_find(st, "Morning Show", &sf, &e) < 0 && strstr(e.msg, "several"),
	   "ambiguous title is an error: %s", e.msg);
	ok(store_feed_set_url(st, id2, "https://example.org/feed.xml", &e) < 0,
	   "set_url onto a subscribed URL refused");
	ok(store_feed_set_url(st, id2, "https://new.example.org/feed.xml", &e) == 0 &&
	           store_feed_find_url(st, "https://new.example.org/feed.xml", &sf, &e) == 0 &&
	           sf.id == id2,
	   "set_url");
	store_feed_free(&sf);
	ok(store_feed_set_error(st, id2, "HTTP 500", &e) == 0 &&
	           store_feed_get(st, id2, &sf, &e) == 0 && sf.last_error != NULL,
	   "error recorded");
	store_feed_free(&sf);
	ok(store_feed_touch(st, id2, &e) == 0 && store_feed_get(st, id2, &sf, &e) == 0 &&
	           sf.last_error == NULL && sf.updated_at > 0,
	   "304 touch clears the error");
	store_feed_free(&sf);
out:
	feed_free(f1);
	feed_free(f2);
	store_close(st);
	free(p);
}

static void test_serial(void)
{
	char *p = db_path("serial.db");
	struct store *st = store_open(p, NULL);
	struct feed *f = parse(feed_serial);
	struct store_episode_list l = {0};
	int64_t id;

	if (st != NULL && f != NULL &&
	    store_feed_add(st, "https://example.org/s.xml", false, f, NULL, NULL, &id, NULL,
	                   NULL) == 0 &&
	    store_episode_list(st, id, &l, NULL) == 0 && l.n == 3) {
		is_str(l.v[0].title, "Part one", "serial: oldest first");
		is_str(l.v[2].title, "Part three", "serial: newest last");
	} else {
		ok(0, "serial feed stored");
	}
	store_episode_list_free(&l);
	feed_free(f);
	store_close(st);
	free(p);
}

static char *queue_str(struct store *st)
{
	struct store_id_list q;
	struct buf b = {0};
	size_t i;

	buf_puts(&b, "");
	if (store_queue_list(st, &q, NULL) < 0)
		return buf_steal(&b);
	for (i = 0; i < q.n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)q.v[i]);
	store_id_list_free(&q);
	return buf_steal(&b);
}

static void check_queue(struct store *st, const char *want, const char *name)
{
	char *got = queue_str(st);

	is_str(got, want, name);
	free(got);
}

static void test_queue_kv(void)
{
	char *p = db_path("queue.db");
	struct store *st = store_open(p, NULL);
	struct feed *f = parse(feed_v2);
	int64_t id, next = 0;
	char *v = NULL;
	struct err e;

	if (!ok(st != NULL && f != NULL &&
	                store_feed_add(st, "u", false, f, NULL, NULL, &id, NULL, NULL) == 0,
	        "feed for the queue"))
		goto out;
	/* episode ids are 1..4 in this fresh database */
	store_queue_append(st, 1, NULL);
	store_queue_append(st, 2, NULL);
	store_queue_append(st, 3, NULL);
	check_queue(st, "1,2,3", "append");
	store_queue_insert_next(st, 4, NULL);
	check_queue(st, "4,1,2,3", "play next goes first");
	ok(store_queue_move(st, 3, 0, NULL) == 0, "move");
	check_queue(st, "3,4,1,2", "move to the front");
	store_queue_move(st, 4, 99, NULL);
	check_queue(st, "3,1,2,4", "move past the end clamps");
	store_queue_move(st, 3, 2, NULL);
	check_queue(st, "1,2,3,4", "move into the middle");
	ok(store_queue_remove(st, 1, NULL) == 0, "remove");
	ok(store_queue_remove(st, 1, NULL) == 1, "remove again: not queued");
	check_queue(st, "2,3,4", "after remove");
	store_queue_append(st, 2, NULL);
	check_queue(st, "3,4,2", "append of a queued episode moves it");
	ok(store_queue_pop_next(st, &next, NULL) == 0 && next == 3, "pop the first");
	check_queue(st, "4,2", "after pop");
	ok(store_queue_append(st, 4242, &e) < 0, "unknown episode not queued");
	ok(store_queue_move(st, 4242, 0, NULL) == 1, "move of an unqueued episode");

	ok(store_kv_get(st, "volume", &v, NULL) == 0 && v == NULL, "kv unset");
	store_kv_set(st, "volume", "80", NULL);
	store_kv_set(st, "volume", "90", NULL);
	ok(store_kv_get(st, "volume", &v, NULL) == 0, "kv get");
	is_str(v, "90", "kv overwritten");
	free(v);
	store_kv_set(st, "volume", NULL, NULL);
	ok(store_kv_get(st, "volume", &v, NULL) == 0 && v == NULL, "kv deleted");
out:
	feed_free(f);
	store_close(st);
	free(p);
}

static size_t count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	size_t n = 0;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return (size_t)-1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Store a WebVTT transcript as episode ep's cues through the transcripts
 * module's writer, which also indexes them (schema 5: no insert trigger). */
static bool save_vtt(struct store *st, int64_t ep, const char *vtt)
{
	struct transcript *t = transcript_parse(vtt, strlen(vtt), "text/vtt", NULL);
	bool saved =
	        t != NULL && transcript_store_save(st, ep, t, NULL, "text/vtt", NULL, NULL) == 0;

	transcript_free(t);
	return saved;
}

static void test_search_cascade(void)
{
	char *p = db_path("search.db");
	struct store *st = store_open(p, NULL);
	struct feed *f1 = parse(feed_v1), *f2 = parse(feed_v2), *f3 = parse(feed_v3);
	struct search_results h;
	int64_t id, c;

	if (!ok(st != NULL && f1 != NULL && f2 != NULL &&
	                store_feed_add(st, "u", false, f1, NULL, NULL, &id, NULL, NULL) == 0,
	        "feed for search"))
		goto out;
	ok(search_query(st, "banana", 0, &h, NULL) == 0 && h.n == 1, "a title word (prefix)");
	if (h.n == 1) {
		ok(h.v[0].kind == SEARCH_EPISODE, "episode hit");
		is_str(h.v[0].episode_title, "Bravo bananas", "hit title");
	}
	search_results_free(&h);
	ok(search_query(st, "orchards", 0, &h, NULL) == 0 && h.n == 1, "a description word");
	search_results_free(&h);
	ok(search_query(st, "\"quote\" AND OR", 0, &h, NULL) == 0 && h.n == 0,
	   "query syntax is not interpreted");
	search_results_free(&h);
	store_feed_update(st, id, f2, NULL, NULL, NULL, NULL);
	ok(search_query(st, "bananas", 0, &h, NULL) == 0 && h.n == 0, "old title gone");
	search_results_free(&h);
	ok(search_query(st, "blueberries", 0, &h, NULL) == 0 && h.n == 1, "new title found");
	search_results_free(&h);
	is_num((double)count(st, "SELECT count(*) FROM search"), 4, "one search row per episode");
	/* A changed description moves in the index (feed_write takes the old
	 * words out, schema 5); an unchanged refresh leaves the index alone. */
	for (int k = 0; k < 2; k++)
		ok(f3 != NULL && store_feed_update(st, id, f3, NULL, NULL, NULL, NULL) == 0,
		   "refresh with b's description changed (%s)", k ? "again: no change" : "first");
	ok(search_query(st, "tropics", 0, &h, NULL) == 0 && h.n == 0, "old description words gone");
	search_results_free(&h);
	ok(search_query(st, "glaciers", 0, &h, NULL) == 0 && h.n == 1 &&
	           h.v[0].kind == SEARCH_EPISODE && h.v[0].episode_id == ep_by_guid(st, id, "b"),
	   "new description words found, on b");
	search_results_free(&h);
	ok(search_query(st, "blueberries", 0, &h, NULL) == 0 && h.n == 1,
	   "its unchanged title still found once");
	search_results_free(&h);
	is_num((double)count(st, "SELECT count(*) FROM search"), 4,
	       "still one search row per episode");
	ok(sqlite3_exec(store_db(st), "INSERT INTO search(search) VALUES('integrity-check')", NULL,
	                NULL, NULL) == SQLITE_OK,
	   "FTS5 integrity-check");

	c = ep_by_guid(st, id, "c");
	ok(save_vtt(st, c, "WEBVTT\n\n00:00:12.500 --> 00:00:14.000\n<v Ann>the zeppelin landed\n"),
	   "store a cue");
	ok(search_query(st, "zeppelin", 0, &h, NULL) == 0 && h.n == 1, "cue found");
	if (h.n == 1) {
		ok(h.v[0].kind == SEARCH_CUE, "cue hit");
		is_num(h.v[0].time, 12.5, "cue start");
		ok(h.v[0].episode_id == c, "cue episode");
	}
	search_results_free(&h);
	store_queue_append(st, c, NULL);
	store_kv_set(st, "k", "v", NULL);

	ok(store_feed_remove(st, id, NULL) == 0, "remove feed");
	ok(store_feed_remove(st, id, NULL) == 1, "remove again: not found");
	is_num((double)count(st, "SELECT count(*) FROM episodes"), 0, "episodes cascaded");
	is_num((double)count(st, "SELECT count(*) FROM cues"), 0, "cues cascaded");
	is_num((double)count(st, "SELECT count(*) FROM transcripts"), 0, "transcripts cascaded");
	is_num((double)count(st, "SELECT count(*) FROM queue"), 0, "queue cascaded");
	is_num((double)count(st, "SELECT count(*) FROM search"), 0, "search rows removed");
	is_num((double)count(st, "SELECT count(*) FROM cue_search"), 0, "cue search rows removed");
	is_num((double)count(st, "SELECT count(*) FROM kv"), 1, "kv untouched");
out:
	feed_free(f1);
	feed_free(f2);
	feed_free(f3);
	store_close(st);
	free(p);
}

/* A child process: n writes of its own kind, each its own transaction. */
static int writer(const char *path, int kind, int n)
{
	struct store *st = store_open(path, NULL);
	struct feed *f = kind == 2 ? parse(feed_v2) : NULL;
	struct err e;
	int i, bad = 0;

	if (st == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		char key[32], val[32];
		int rc;

		if (kind == 0) {
			rc = store_set_position(st, 1, (double)i, &e);
		} else if (kind == 1) {
			snprintf(key, sizeof key, "k%d", i);
			snprintf(val, sizeof val, "%d", i);
			rc = store_kv_set(st, key, val, &e);
		} else {
			rc = store_feed_update(st, 1, f, NULL, NULL, NULL, &e);
		}
		if (rc < 0) {
			printf("# writer %d: %s\n", kind, e.msg);
			bad++;
		}
	}
	feed_free(f);
	store_close(st);
	return bad ? 1 : 0;
}

static void test_two_processes(void)
{
	char *p = db_path("two.db");
	struct store *st = store_open(p, NULL);
	struct feed *f = parse(feed_v2);
	struct store_episode ep;
	pid_t pid[3];
	int i, status, fails = 0;
	char *v = NULL;

	if (!ok(st != NULL && f != NULL &&
	                store_feed_add(st, "u", false, f, NULL, NULL, NULL, NULL, NULL) == 0,
	        "feed for concurrency"))
		goto out;
	store_close(st);
	st = NULL;
	fflush(stdout);
	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			int rc = writer(p, i, i == 2 ? 40 : 300);

			/* the parent's allocations, copied by fork: free them so that
			 * valgrind sees no leak in the child either */
			feed_free(f);
			free(p);
			_exit(rc);
		}
	}
	for (i = 0; i < 3; i++) {
		if (pid[i] < 0 || waitpid(pid[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			fails++;
	}
	is_num(fails, 0, "three processes wrote without an error");
	st = store_open(p, NULL);
	ok(st != NULL && store_episode_get(st, 1, &ep, NULL) == 0, "read back");
	if (st != NULL) {
		is_num(ep.position, 299, "the last position write survived");
		store_episode_free(&ep);
		is_num((double)count(st, "SELECT count(*) FROM kv"), 300,
		       "every kv write survived");
		store_kv_get(st, "k299", &v, NULL);
		is_str(v, "299", "kv value");
		free(v);
		is_num((double)count(st, "SELECT count(*) FROM episodes"), 4,
		       "refreshes added no duplicates");
	}
out:
	feed_free(f);
	store_close(st);
	free(p);
}

/* Schema 3 -> 4: cues move from `search` to their own index, cue_search,
 * which has a prefix index. The schema-3 file is made by the real
 * migrations; rows stored then are indexed the schema-3 way (by its
 * triggers), and the migration must carry them over. */
static void test_migrate_3_to_4(void)
{
	static const char *const rows =
	        "INSERT INTO feeds(id, url, title) VALUES(1, 'u', 'Feed');"
	        "INSERT INTO episodes(id, feed_id, key, title, description) VALUES"
	        " (1, 1, 'a', 'Alpha dirigibles', 'notes about airships'),"
	        " (2, 1, 'b', 'Bravo', 'more notes');"
	        "INSERT INTO cues(id, episode_id, seq, start, end, speaker, text) VALUES"
	        " (1, 1, 1, 3, 4, 'Ann', 'the zeppelin landed'),"
	        " (2, 1, 2, 5, 6, NULL, 'zebras and zeppelins'),"
	        " (3, 2, 1, 7, 8, 'Bob', 'nothing of the kind');";
	char *p = db_path("v3.db");
	struct search_results h = {0};
	struct store *st;
	struct err e;

	st = store_open_at(p, 3, &e);
	if (!ok(st != NULL && schema_version(st) == 3 &&
	                sqlite3_exec(store_db(st), rows, NULL, NULL, NULL) == SQLITE_OK,
	        "make a schema-3 file with 2 episodes and 3 cues")) {
		store_close(st);
		free(p);
		return;
	}
	is_num((double)count(st, "SELECT count(*) FROM search"), 5,
	       "schema 3: episodes and cues share `search`");
	store_close(st);
	st = store_open(p, &e);
	if (!ok(st != NULL, "reopen the schema-3 file")) {
		free(p);
		return;
	}
	is_num(schema_version(st), STORE_SCHEMA_VERSION, "migrated forward from version 3");
	is_num((double)count(st, "SELECT count(*) FROM search"), 2, "`search`: the episodes only");
	is_num((double)count(st, "SELECT count(*) FROM cue_search"), 3, "cue_search: every cue");
	is_num((double)count(st, "SELECT count(*) FROM cue_search WHERE cue_search MATCH 'ze*'"), 2,
	       "a two-letter prefix over the cues");
	ok(search_query(st, "zeppelin", 0, &h, NULL) == 0 && h.n == 2 &&
	           h.v[0].kind == SEARCH_CUE && h.v[1].kind == SEARCH_CUE &&
	           h.v[0].time + h.v[1].time == 8,
	   "carried-over cues are found, with their times");
	search_results_free(&h);
	ok(search_query(st, "ze", 0, &h, NULL) == 0 && h.n == 2, "and by a two-letter prefix");
	search_results_free(&h);
	ok(search_query(st, "dirigibles", 0, &h, NULL) == 0 && h.n == 1 &&
	           h.v[0].kind == SEARCH_EPISODE,
	   "episodes are still found");
	search_results_free(&h);
	ok(sqlite3_exec(store_db(st),
	                "UPDATE cues SET text = 'the airship landed' WHERE id = 1;"
	                "DELETE FROM cues WHERE id = 2;",
	                NULL, NULL, NULL) == SQLITE_OK &&
	           save_vtt(
	                   st, 2,
	                   "WEBVTT\n\n00:00:07.000 --> 00:00:08.000\n<v Bob>nothing of the kind\n\n"
	                   "00:00:09.000 --> 00:00:10.000\nzeal\n"),
	   "update and delete cues after the migration, store episode 2's again with one more");
	ok(search_query(st, "zeppelin", 0, &h, NULL) == 0 && h.n == 0,
	   "the updated and the deleted cue's old words are gone");
	search_results_free(&h);
	ok(search_query(st, "airship", 0, &h, NULL) == 0 && h.n == 2,
	   "the updated cue's new words are found (and the episode's)");
	search_results_free(&h);
	ok(search_query(st, "zea", 0, &h, NULL) == 0 && h.n == 1 && h.v[0].time == 9,
	   "the inserted cue is found by prefix");
	search_results_free(&h);
	is_num((double)count(st, "SELECT count(*) FROM cue_search"), 3, "cue_search follows");
	ok(store_feed_remove(st, 1, NULL) == 0, "remove the feed");
	is_num((double)count(st, "SELECT count(*) FROM cue_search"), 0, "cue rows cascaded");
	is_num((double)count(st, "SELECT count(*) FROM search"), 0, "episode rows cascaded");
	store_close(st);
	free(p);
}

int main(void)
{
	char cmd[300];

	snprintf(dir, sizeof dir, "/tmp/hark-test-store-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	test_open_migrate();
	test_upsert();
	test_serial();
	test_queue_kv();
	test_search_cascade();
	test_migrate_3_to_4();
	test_two_processes();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
