/* library.c - subscribe and refresh: net + feed + store. */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hark/feed.h"
#include "hark/library.h"
#include "hark/net.h"

bool library_is_url(const char *s)
{
	return s != NULL &&
	       (str_case_starts_with(s, "http://") || str_case_starts_with(s, "https://"));
}

static void net_opts_from(struct net_opts *no, const struct library_opts *o)
{
	memset(no, 0, sizeof *no);
	no->accept_encoding = true;
	no->spool = true; /* a feed body can be big: see feed_parse_mapped() */
	if (o != NULL) {
		no->cacert = o->cacert;
		no->max_bytes = o->max_bytes;
	}
}

/* A local feed's absolute path from a path or a file:// URL; malloc'd, or
 * NULL with e set. */
static char *local_path(const char *src, struct err *e)
{
	char *path = NULL, *real;

	if (str_case_starts_with(src, "file://")) {
		CURLU *u = curl_url();
		char *p = NULL;

		if (u != NULL &&
		    curl_url_set(u, CURLUPART_URL, src, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_PATH, &p, CURLU_URLDECODE) == CURLUE_OK) {
			path = str_dup(p);
			curl_free(p);
		}
		curl_url_cleanup(u);
		if (path == NULL) {
			err_set(e, "%s: not a usable file: URL", src);
			return NULL;
		}
	} else if (strstr(src, "://") != NULL) {
		err_set(e, "%s: only http and https URLs or local files can be feeds", src);
		return NULL;
	} else {
		path = str_dup(src);
	}
	real = realpath(path, NULL);
	if (real == NULL)
		err_set(e, "%s: %s", path, strerror(errno));
	free(path);
	return real;
}

/* Read and parse a local feed file (local = true: relative enclosures). */
static struct feed *read_local(const char *path, const struct library_opts *o, struct err *e)
{
	size_t max = o != NULL && o->max_bytes ? o->max_bytes : NET_DEFAULT_MAX_BYTES;
	struct buf b = {0};
	struct feed *f;
	struct err pe;

	if (file_read_all(path, max, &b, e) < 0)
		return NULL;
	f = feed_parse(b.data != NULL ? b.data : "", b.len, path, true, &pe);
	if (f == NULL)
		err_set(e, "%s: %s", path, pe.msg);
	buf_free(&b);
	return f;
}

/* Parse a fetched body; e: "URL: why". */
static struct feed *parse_fetched(const char *url, struct net_result *r, struct err *e)
{
	struct err pe;
	const char *base = r->effective_url != NULL ? r->effective_url : url;
	struct feed *f = r->body == NULL  ? feed_parse("", 0, base, false, &pe)
	                 : r->body_mapped ? feed_parse_mapped(r->body, r->len, base, false, &pe)
	                                  : feed_parse(r->body, r->len, base, false, &pe);

	/* The body is not needed any more: a big feed is not held twice
	 * (body and parsed episodes) while it is stored. */
	net_result_free_body(r);
	if (f == NULL)
		err_set(e, "%s: %s", url, pe.msg);
	return f;
}

/* Subscribe anyway after a failed first fetch (OPML import). */
static void keep_failed(struct store *st, const char *url, bool local, const struct library_opts *o,
                        int64_t *feed_id, const struct err *why)
{
	int64_t id;

	if (o == NULL || !o->keep_on_failure)
		return;
	if (store_feed_add_url(st, url, local, &id, NULL) < 0)
		return;
	if (o->title != NULL)
		store_feed_set_title(st, id, o->title, NULL);
	store_feed_set_error(st, id, why->msg, NULL);
	if (feed_id != NULL)
		*feed_id = id;
}

/* 0 and *id when url is subscribed, 1 when not, -1 on error. */
static int subscribed(struct store *st, const char *url, int64_t *id, struct err *e)
{
	struct store_feed sf;
	int rc = store_feed_find_url(st, url, &sf, e);

	if (rc == 0) {
		if (id != NULL)
			*id = sf.id;
		store_feed_free(&sf);
	}
	return rc;
}

int library_add(struct store *st, const char *src, const struct library_opts *o, int64_t *feed_id,
                struct err *e)
{
	const char *url = src, *etag = NULL, *lm = NULL;
	struct net_result r = {0};
	struct net_opts no;
	struct feed *f = NULL;
	char *path = NULL;
	int rc = -1, s;

	if (src == NULL || src[0] == '\0') {
		err_set(e, "add: no feed given");
		return -1;
	}
	if (!library_is_url(src)) {
		path = local_path(src, e);
		if (path == NULL)
			return -1;
		s = subscribed(st, path, feed_id, e);
		if (s <= 0) {
			free(path);
			return s == 0 ? 1 : -1;
		}
		f = read_local(path, o, e);
		if (f == NULL) {
			keep_failed(st, path, true, o, feed_id, e);
			free(path);
			return -1;
		}
		rc = store_feed_add(st, path, true, f, NULL, NULL, feed_id, NULL, e);
		feed_free(f);
		free(path);
		return rc;
	}

	s = subscribed(st, src, feed_id, e);
	if (s <= 0)
		return s == 0 ? 1 : -1;
	net_opts_from(&no, o);
	if (net_fetch(src, &no, &r, e) < 0 || (f = parse_fetched(src, &r, e)) == NULL) {
		keep_failed(st, src, false, o, feed_id, e);
		net_result_free(&r);
		return -1;
	}
	etag = r.etag;
	lm = r.last_modified;
	/* Subscribe where the feed now lives: a permanent redirect, and then
	 * the publisher's own itunes:new-feed-url. */
	if (r.permanent_redirect && library_is_url(r.perm_url))
		url = r.perm_url;
	if (library_is_url(f->new_feed_url) && strcmp(f->new_feed_url, url) != 0) {
		url = f->new_feed_url;
		etag = lm = NULL; /* validators of the old URL */
	}
	if (url != src && (s = subscribed(st, url, feed_id, e)) <= 0) {
		rc = s == 0 ? 1 : -1;
	} else {
		rc = store_feed_add(st, url, false, f, etag, lm, feed_id, NULL, e);
		if (rc == 0 && url != src)
			log_msg("library: %s subscribed as %s", src, url);
	}
	feed_free(f);
	net_result_free(&r);
	return rc;
}

/* ---- update ---- */

struct upd {
	struct store *st;
	const struct library_opts *o;
	library_cb cb;
	void *ud;
	int failed;
};

struct upd_item {
	struct upd *u;
	int64_t id;
	char *url;
	char *title;
};

static void report(struct upd *u, struct library_report *rep)
{
	if (rep->status == LIBRARY_FAILED)
		u->failed++;
	if (u->cb != NULL)
		u->cb(rep, u->ud);
}

/* Record and report a failure of feed it. */
static void fail_item(struct upd_item *it, const char *why)
{
	struct library_report rep = {0};

	store_feed_set_error(it->u->st, it->id, why, NULL);
	rep.feed_id = it->id;
	rep.url = it->url;
	rep.title = it->title;
	rep.status = LIBRARY_FAILED;
	rep.error = why;
	report(it->u, &rep);
}

/* Move feed it to url (redirect / new-feed-url). Returns true when moved;
 * a clash with another subscription becomes a note. */
static bool move_item(struct upd_item *it, const char *url, char *note, size_t notelen)
{
	struct err e;

	if (url == NULL || strcmp(url, it->url) == 0)
		return false;
	if (store_feed_set_url(it->u->st, it->id, url, &e) < 0) {
		snprintf(note, notelen, "not moved to %s: %s", url, e.msg);
		return false;
	}
	free(it->url);
	it->url = str_dup(url);
	return true;
}

/* Store a refreshed feed (or a 304), handling URL moves; one transaction. */
static void finish_item(struct upd_item *it, const struct net_result *r, struct feed *f)
{
	struct store *st = it->u->st;
	struct library_report rep = {0};
	char *old = str_dup(it->url);
	char note[600] = "";
	struct err e;
	int added = 0;

	rep.feed_id = it->id;
	if (store_begin(st, &e) < 0)
		goto fail;
	if (f == NULL) {
		if (store_feed_touch(st, it->id, &e) < 0)
			goto rollback;
	} else if (store_feed_update(st, it->id, f, r != NULL ? r->etag : NULL,
	                             r != NULL ? r->last_modified : NULL, &added, &e) < 0) {
		goto rollback;
	}
	if (r != NULL && r->permanent_redirect && library_is_url(r->perm_url))
		move_item(it, r->perm_url, note, sizeof note);
	if (r != NULL && f != NULL && library_is_url(f->new_feed_url) &&
	    move_item(it, f->new_feed_url, note, sizeof note))
		store_feed_set_validators(st, it->id, NULL, NULL, NULL);
	if (store_commit(st, &e) < 0)
		goto fail;
	if (f != NULL && f->title != NULL) {
		free(it->title);
		it->title = str_dup(f->title);
	}
	rep.url = it->url;
	rep.title = it->title;
	rep.status = f == NULL ? LIBRARY_UNCHANGED : LIBRARY_UPDATED;
	rep.new_episodes = added;
	rep.moved_from = strcmp(old, it->url) != 0 ? old : NULL;
	rep.note = note[0] ? note : NULL;
	report(it->u, &rep);
	free(old);
	return;
rollback:
	store_rollback(st);
fail:
	free(it->url);
	it->url = old;
	fail_item(it, e.msg);
}

static void on_fetched(void *ctx, int rc, struct net_result *r, const struct err *e)
{
	struct upd_item *it = ctx;
	struct feed *f;
	struct err pe;

	if (rc < 0) {
		fail_item(it, e->msg);
	} else if (r->not_modified) {
		finish_item(it, r, NULL);
	} else if ((f = parse_fetched(it->url, r, &pe)) == NULL) {
		fail_item(it, pe.msg);
	} else {
		finish_item(it, r, f);
		feed_free(f);
	}
	free(it->url);
	free(it->title);
	free(it);
}

/* Re-read a local feed file. */
static void update_local(struct upd *u, const struct store_feed *sf)
{
	struct upd_item it = {u, sf->id, str_dup(sf->url), str_dup(sf->title)};
	struct err e;
	struct feed *f = read_local(sf->url, u->o, &e);

	if (f == NULL) {
		fail_item(&it, e.msg);
	} else {
		finish_item(&it, NULL, f);
		feed_free(f);
	}
	free(it.url);
	free(it.title);
}

int library_update(struct store *st, const int64_t *ids, size_t n, const struct library_opts *o,
                   library_cb cb, void *ud, struct err *e)
{
	struct upd u = {st, o, cb, ud, 0};
	struct store_feed_list all = {0};
	struct net_batch *b;
	struct net_opts no;
	struct err be;
	size_t i;

	if (ids == NULL) {
		if (store_feed_list(st, &all, e) < 0)
			return -1;
	} else {
		all.v = calloc(n ? n : 1, sizeof *all.v);
		if (all.v == NULL) {
			err_set(e, "update: out of memory");
			return -1;
		}
		for (i = 0; i < n; i++) {
			int rc = store_feed_get(st, ids[i], &all.v[all.n], e);

			if (rc < 0) {
				store_feed_list_free(&all);
				return -1;
			}
			if (rc == 0) {
				all.n++;
			} else {
				struct library_report rep = {0};
				char why[64];

				snprintf(why, sizeof why, "feed %lld: no such feed",
				         (long long)ids[i]);
				rep.feed_id = ids[i];
				rep.status = LIBRARY_FAILED;
				rep.error = why;
				report(&u, &rep);
			}
		}
	}
	b = net_batch_new(o != NULL ? o->jobs : 0);
	if (b == NULL) {
		store_feed_list_free(&all);
		err_set(e, "update: out of memory");
		return -1;
	}
	net_opts_from(&no, o);
	for (i = 0; i < all.n; i++) {
		const struct store_feed *sf = &all.v[i];
		struct upd_item *it;

		if (sf->local) {
			update_local(&u, sf);
			continue;
		}
		it = calloc(1, sizeof *it);
		if (it == NULL) {
			struct upd_item tmp = {&u, sf->id, sf->url, sf->title};

			fail_item(&tmp, "out of memory");
			continue;
		}
		it->u = &u;
		it->id = sf->id;
		it->url = str_dup(sf->url);
		it->title = str_dup(sf->title);
		no.etag = sf->etag;
		no.last_modified = sf->last_modified;
		if (net_batch_add(b, sf->url, &no, on_fetched, it) < 0) {
			fail_item(it, "cannot queue the fetch");
			free(it->url);
			free(it->title);
			free(it);
		}
	}
	store_feed_list_free(&all);
	if (net_batch_run(b, &be) < 0)
		log_msg("library: update: %s", be.msg);
	net_batch_free(b);
	return u.failed;
}
