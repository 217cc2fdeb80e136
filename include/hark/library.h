/* library.h - subscriptions on top of net + feed + store: subscribe to a
 * URL or a local file, refresh every feed in parallel (conditional GET,
 * permanent redirects and itunes:new-feed-url move the stored URL). */
#ifndef HARK_LIBRARY_H
#define HARK_LIBRARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hark/store.h"
#include "hark/util.h"

struct library_opts {
	const char *cacert; /* CA bundle, NULL: $HARK_CACERT or the system's */
	size_t max_bytes;   /* feed size cap; 0: 50 MB */
	int jobs;           /* parallel fetches of library_update; 0: 8 */
	/* library_add: when the first fetch/parse fails, still subscribe
	 * (URL recorded, last_error set) and set *feed_id; used by OPML import
	 * so a list round-trips even while a feed is down. */
	bool keep_on_failure;
	const char *title; /* library_add with keep_on_failure: a name to show
			    * until the first successful fetch (OPML title) */
};

/* What happened to one feed. Pointers live until the callback returns. */
enum library_status {
	LIBRARY_UPDATED,   /* fetched (200) or re-read, stored */
	LIBRARY_UNCHANGED, /* 304 Not Modified */
	LIBRARY_FAILED,    /* error says why; the stored feed is untouched */
};

struct library_report {
	int64_t feed_id;
	const char *url;   /* the stored URL, after any move */
	const char *title; /* the feed's title, may be NULL */
	enum library_status status;
	int new_episodes;       /* LIBRARY_UPDATED */
	const char *moved_from; /* the old URL when the stored URL changed, else NULL */
	const char *error;      /* LIBRARY_FAILED: "URL: why" */
	const char *note;       /* a warning that did not fail the feed, or NULL */
};

typedef void (*library_cb)(const struct library_report *r, void *ud);

/* True when s names a network feed (http:// or https://). */
bool library_is_url(const char *s);

/* Subscribe to a feed: an http(s) URL is fetched (net_fetch, accepting
 * gzip/br) and parsed with local = false; anything else is a local file
 * (a path or file:// URL; stored by its absolute path) parsed with
 * local = true, so its enclosures may be relative paths. Returns 0 on a new
 * subscription, 1 when it already was subscribed (nothing fetched), -1 with
 * e set ("URL: HTTP 404", "PATH: No such file or directory", ...). *feed_id
 * (may be NULL) gets the id on 0 and 1, and on -1 with keep_on_failure. */
int library_add(struct store *st, const char *url_or_file, const struct library_opts *o,
                int64_t *feed_id, struct err *e);

/* Refresh feeds: all (ids NULL) or the n given ids. Network feeds go
 * through one net batch (o->jobs at a time) with the stored ETag and
 * Last-Modified; local files are re-read. cb (may be NULL) is called once
 * per feed, in completion order; one failing feed never stops the others.
 * Returns the number of feeds that failed (0: all fine), or -1 with e set
 * when nothing could be attempted (database error). It blocks until every
 * feed is done: the interface runs it on a worker thread with its own
 * store_open() connection (a struct store is one thread's). */
int library_update(struct store *st, const int64_t *ids, size_t n, const struct library_opts *o,
                   library_cb cb, void *ud, struct err *e);

#endif
