/* store.h - the library database (SQLite): feeds, episodes and their play
 * state, the queue, a key/value table for the interface, and the FTS5
 * search index. WAL mode, foreign keys, busy timeout 5 s; every write is
 * one BEGIN IMMEDIATE transaction, so two processes on one file lose
 * nothing. Schema version in PRAGMA user_version (forward migrations).
 *
 * Strings in returned structs are malloc'd and owned by the struct: free
 * with the matching *_free(). A struct store is not thread-safe: use one per
 * thread (each store_open() is its own connection). */
#ifndef HARK_STORE_H
#define HARK_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hark/util.h"

struct store;
struct feed; /* hark/feed.h */

#define STORE_SCHEMA_VERSION 5

/* Open (creating folders and the file as needed) and migrate. */
struct store *store_open(const char *path, struct err *e);
void store_close(struct store *st);
/* The raw connection, for modules that own tables of the schema
 * (transcripts/cues filled by the transcripts module). Lives as long as st. */
sqlite3 *store_db(struct store *st);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK on st, for callers of store_db() that
 * want one transaction around several statements. 0 or -1 with e set. */
int store_begin(struct store *st, struct err *e);
int store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);

/* ---- feeds ---- */

struct store_feed {
	int64_t id;
	char *url;   /* where it is fetched from (an http(s) URL or a local path) */
	char *title; /* sanitized */
	char *link;
	char *description;
	char *image;
	char *author;
	char *language;
	bool serial;         /* itunes:type serial: list oldest first */
	bool local;          /* url is a local file */
	char *etag;          /* from the last 200 */
	char *last_modified; /* from the last 200 */
	int64_t added_at;    /* unix seconds */
	int64_t updated_at;  /* last successful fetch (200 or 304), 0 never */
	char *last_error;    /* last failed fetch's error, NULL after a success */
	int episodes;        /* number of episodes */
	int unplayed;        /* episodes not played */
	int new_count;       /* episodes never seen */
};

struct store_feed_list {
	struct store_feed *v;
	size_t n;
};

void store_feed_free(struct store_feed *f); /* frees members, not f itself */
void store_feed_list_free(struct store_feed_list *l);

/* Insert a feed row for url (no episodes) if none exists; *id gets the
 * (new or existing) id. Used for subscriptions whose first fetch failed. */
int store_feed_add_url(struct store *st, const char *url, bool local, int64_t *id, struct err *e);

/* Insert or refresh feed `url` from parsed f, in one transaction: feed
 * fields are replaced, episodes are upserted by feed_episode_key() (a
 * refresh never duplicates an episode and never touches played/position/
 * download state); episodes gone from the feed are kept. etag/last_modified
 * may be NULL. Clears last_error and sets updated_at. *id (may be NULL) gets
 * the feed id; *new_episodes (may be NULL) the count of episodes inserted. */
int store_feed_add(struct store *st, const char *url, bool local, const struct feed *f,
                   const char *etag, const char *last_modified, int64_t *id, int *new_episodes,
                   struct err *e);
/* The same for an existing id (the stored URL is kept). */
int store_feed_update(struct store *st, int64_t id, const struct feed *f, const char *etag,
                      const char *last_modified, int *new_episodes, struct err *e);
/* A 304: only updated_at is set and last_error cleared. */
int store_feed_touch(struct store *st, int64_t id, struct err *e);
/* Set the title only while the feed has none (a name from an OPML file
 * shown until the first successful fetch). */
int store_feed_set_title(struct store *st, int64_t id, const char *title, struct err *e);
/* Record a failed fetch (error text shown by `hark list`). */
int store_feed_set_error(struct store *st, int64_t id, const char *error, struct err *e);
/* Change the stored URL (301/308 or itunes:new-feed-url). Fails if another
 * feed already has that URL. */
int store_feed_set_url(struct store *st, int64_t id, const char *url, struct err *e);
int store_feed_set_validators(struct store *st, int64_t id, const char *etag,
                              const char *last_modified, struct err *e);

/* Lookups: 0 found (f filled), 1 not found, -1 error. */
int store_feed_get(struct store *st, int64_t id, struct store_feed *f, struct err *e);
int store_feed_find_url(struct store *st, const char *url, struct store_feed *f, struct err *e);
int store_feed_find_title(struct store *st, const char *title, struct store_feed *f, struct err *e);
/* "FEED" as typed by a user: an id number, else an exact URL, else a title
 * (exact, then case-insensitive; an ambiguous title is an error). */
int store_feed_find(struct store *st, const char *spec, struct store_feed *f, struct err *e);
/* All feeds, ordered by title (case-insensitive) then id. */
int store_feed_list(struct store *st, struct store_feed_list *out, struct err *e);
/* Delete a feed with its episodes, queue entries, transcripts, cues and
 * search rows (foreign keys cascade). 0, 1 not found, -1 error. */
int store_feed_remove(struct store *st, int64_t id, struct err *e);
int store_feed_count(struct store *st);

/* ---- episodes ---- */

struct store_transcript_ref {
	char *url, *type, *language, *rel;
};

struct store_episode {
	int64_t id;
	int64_t feed_id;
	char *key; /* feed_episode_key(): guid, else enclosure URL, else title+date */
	char *guid;
	char *title;
	int64_t published; /* unix seconds UTC; 0 unknown */
	double duration;   /* seconds; 0 unknown */
	char *description; /* plain text, sanitized with newlines kept */
	char *enclosure_url;
	char *enclosure_type;
	int64_t enclosure_length; /* bytes; 0 unknown */
	char *image;
	char *link;
	int season, episode; /* 0 unknown */
	char *episode_type;  /* "full", "trailer", "bonus" or NULL */
	bool explicit_;
	char *chapters_url;
	char *chapters_type;
	struct store_transcript_ref *transcripts; /* from the feed */
	size_t ntranscripts;
	/* state */
	bool played;
	double position;             /* seconds */
	int64_t position_updated_at; /* unix seconds, 0 never */
	bool is_new;                 /* never seen in a list/the interface */
	char *download_path;         /* local file, or NULL */
	/* joined from the feed, for convenience */
	char *feed_title;
};

struct store_episode_list {
	struct store_episode *v;
	size_t n;
};

void store_episode_free(struct store_episode *ep); /* frees members, not ep */
void store_episode_list_free(struct store_episode_list *l);

/* A feed's episodes, newest first (oldest first for a serial feed). */
int store_episode_list(struct store *st, int64_t feed_id, struct store_episode_list *out,
                       struct err *e);
/* 0 found, 1 not found ("no such episode" in e), -1 error. */
int store_episode_get(struct store *st, int64_t ep_id, struct store_episode *ep, struct err *e);
/* An episode by enclosure URL (for `hark play URL` of a known episode). */
int store_episode_find_url(struct store *st, const char *url, struct store_episode *ep,
                           struct err *e);

/* State writes; each is one transaction. pos in seconds (>= 0).
 * store_set_played (either way) also resets the position to 0 and clears
 * is_new. An unknown ep_id is an error ("episode N: no such episode"). */
int store_set_position(struct store *st, int64_t ep_id, double pos, struct err *e);
int store_set_played(struct store *st, int64_t ep_id, bool played, struct err *e);
int store_set_download(struct store *st, int64_t ep_id, const char *path, struct err *e);
/* Clear is_new on one episode, or on all of a feed's (ep_id 0 + feed_id). */
int store_mark_seen(struct store *st, int64_t ep_id, int64_t feed_id, struct err *e);

/* ---- queue (ordered list of episode ids) ---- */

struct store_id_list {
	int64_t *v;
	size_t n;
};
void store_id_list_free(struct store_id_list *l);

int store_queue_list(struct store *st, struct store_id_list *out, struct err *e);
/* Append at the end; an episode already queued is moved there. */
int store_queue_append(struct store *st, int64_t ep_id, struct err *e);
/* Put at the front ("play next"); an episode already queued is moved. */
int store_queue_insert_next(struct store *st, int64_t ep_id, struct err *e);
/* 0 removed, 1 was not queued, -1 error. */
int store_queue_remove(struct store *st, int64_t ep_id, struct err *e);
/* Move to new_index (0-based; clamped to the end). 1 if not queued. */
int store_queue_move(struct store *st, int64_t ep_id, size_t new_index, struct err *e);
/* Remove and return the first entry: 0 with *ep_id set, 1 queue empty. */
int store_queue_pop_next(struct store *st, int64_t *ep_id, struct err *e);

/* ---- key/value state (selection, last episode, volume, speed...) ---- */

/* *value gets a malloc'd copy or NULL when unset. 0 ok, -1 error. */
int store_kv_get(struct store *st, const char *key, char **value, struct err *e);
/* value NULL deletes the key. */
int store_kv_set(struct store *st, const char *key, const char *value, struct err *e);

/* ---- transcripts, cues and search (FTS5 table `search`) ----
 * Tables owned through store_db() by the transcripts module:
 *   transcripts(episode_id, url, type, language, rel, fetched_at)
 *     PRIMARY KEY(episode_id, url); a feed refresh writes the rows the feed
 *     names with fetched_at NULL and never deletes a row with fetched_at set.
 *   cues(id INTEGER PRIMARY KEY, episode_id, seq, start REAL, end REAL,
 *        speaker, text, words)   words: JSON [[start, off, len], ...] or NULL
 * Both cascade when their episode is deleted.
 * The search table (title, body, episode_id UNINDEXED, start UNINDEXED,
 * kind UNINDEXED) is kept up to date BY TRIGGERS: inserting, updating or
 * deleting a cues row adds/changes/removes its 'cue' row (rowid -cues.id,
 * title = speaker, body = text, start = cue start); episodes get 'episode'
 * rows (rowid = episodes.id, title, body = description, start NULL).
 * So: just write cues; never INSERT INTO search yourself. */

/* Searching the index: search_query() in hark/search.h. */

#endif
