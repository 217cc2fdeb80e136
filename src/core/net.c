/* net.c - HTTP(S) fetches with libcurl: one easy handle per transfer, run
 * alone (net_fetch) or many over one multi handle (net_batch). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "hark/net.h"

#ifndef HARK_VERSION
#define HARK_VERSION PACKAGE_VERSION
#endif

/* One transfer in flight: the easy handle and what its callbacks gather. */
struct xfer {
	CURL *h;
	struct curl_slist *hdrs;
	char *url;
	size_t max_bytes;
	struct buf body;
	FILE *spool;    /* o.spool: the body goes here instead of into body */
	size_t spooled; /* bytes written to spool */
	bool spool_failed;
	bool spool_tried;
	bool too_big;
	bool bad_redirect; /* a Location with a scheme other than http(s) */
	char *bad_location;
	long hop_status; /* status of the response whose headers are arriving */
	char *hop_etag, *hop_lm, *hop_ctype;
	bool perm;
	char *perm_url;
	char errbuf[CURL_ERROR_SIZE];
	/* batch bookkeeping */
	net_batch_cb cb;
	void *ctx;
	size_t ctx_index; /* index in the batch */
	char *o_cacert, *o_etag, *o_lm;
	struct net_opts o;
};

static bool url_is_http(const char *u)
{
	return str_case_starts_with(u, "http://") || str_case_starts_with(u, "https://");
}

void net_apply_common(CURL *h, const struct net_opts *o)
{
	const char *ca = o != NULL ? o->cacert : NULL;
	long ct = o != NULL && o->connect_timeout > 0 ? o->connect_timeout
	                                              : NET_DEFAULT_CONNECT_TIMEOUT;
	long ls =
	        o != NULL && o->low_speed_time > 0 ? o->low_speed_time : NET_DEFAULT_LOW_SPEED_TIME;

	if (ca == NULL || ca[0] == '\0')
		ca = getenv("HARK_CACERT");
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca != NULL && ca[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "hark/" HARK_VERSION);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, ct);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, NET_LOW_SPEED_LIMIT);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, ls);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * n;

	if (x->body.len + x->spooled + len > x->max_bytes) {
		x->too_big = true;
		return 0; /* abort: CURLE_WRITE_ERROR */
	}
	if (x->o.spool && x->spool == NULL && !x->spool_tried) {
		/* made at the first byte: a 304 needs no file */
		x->spool_tried = true;
		x->spool = tmpfile(); /* NULL: the body stays in memory */
	}
	if (x->spool != NULL) {
		if (fwrite(p, 1, len, x->spool) != len) {
			x->spool_failed = true;
			return 0;
		}
		x->spooled += len;
		return len;
	}
	if (buf_append(&x->body, p, len) < 0)
		return 0;
	return len;
}

/* A header value without the name, trimmed; malloc'd. */
static char *header_value(const char *line, size_t len, size_t namelen)
{
	char *v = str_ndup(line + namelen, len - namelen);

	return v != NULL ? str_trim(v) : NULL;
}

/* Resolve a Location value against the URL of the current hop. */
static char *resolve_location(CURL *h, const char *loc)
{
	char *cur = NULL, *out = NULL;
	CURLU *u;

	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &cur);
	u = curl_url();
	if (u == NULL)
		return NULL;
	if (cur != NULL && curl_url_set(u, CURLUPART_URL, cur, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return NULL;
	}
	if (curl_url_set(u, CURLUPART_URL, loc, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
		char *s = NULL;

		if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
			out = str_dup(s);
			curl_free(s);
		}
	}
	curl_url_cleanup(u);
	return out;
}

/* Called once per header line of every response in the redirect chain:
 * tracks each hop's status, remembers permanent redirects and refuses a
 * redirect to anything but http(s) with a clear reason. */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * n;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		const char *sp = memchr(p, ' ', len);

		x->hop_status = sp != NULL ? strtol(sp + 1, NULL, 10) : 0;
		free(x->hop_etag);
		free(x->hop_lm);
		free(x->hop_ctype);
		x->hop_etag = x->hop_lm = x->hop_ctype = NULL;
		return len;
	}
	if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
		free(x->hop_etag);
		x->hop_etag = header_value(p, len, 5);
	} else if (len > 14 && strncasecmp(p, "Last-Modified:", 14) == 0) {
		free(x->hop_lm);
		x->hop_lm = header_value(p, len, 14);
	} else if (len > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
		free(x->hop_ctype);
		x->hop_ctype = header_value(p, len, 13);
	} else if (len > 9 && strncasecmp(p, "Location:", 9) == 0 && x->hop_status >= 300 &&
	           x->hop_status < 400) {
		char *loc = header_value(p, len, 9), *abs = NULL;

		if (loc != NULL && loc[0] != '\0')
			abs = resolve_location(x->h, loc);
		if (abs != NULL && !url_is_http(abs)) {
			x->bad_redirect = true;
			free(x->bad_location);
			x->bad_location = text_sanitize(abs, false);
			free(abs);
			free(loc);
			return 0; /* abort the transfer */
		}
		if (abs != NULL && (x->hop_status == 301 || x->hop_status == 308)) {
			x->perm = true;
			free(x->perm_url);
			x->perm_url = abs;
			abs = NULL;
		}
		free(abs);
		free(loc);
	}
	return len;
}

static void xfer_free(struct xfer *x)
{
	if (x == NULL)
		return;
	if (x->h != NULL)
		curl_easy_cleanup(x->h);
	curl_slist_free_all(x->hdrs);
	free(x->url);
	buf_free(&x->body);
	if (x->spool != NULL)
		fclose(x->spool); /* a mapping made of it stays valid */
	free(x->bad_location);
	free(x->hop_etag);
	free(x->hop_lm);
	free(x->hop_ctype);
	free(x->perm_url);
	free(x->o_cacert);
	free(x->o_etag);
	free(x->o_lm);
	free(x);
}

/* A new transfer for url with o applied (o copied: its strings may go). */
static struct xfer *xfer_new(const char *url, const struct net_opts *o, struct err *e)
{
	struct xfer *x = calloc(1, sizeof *x);

	if (x == NULL) {
		err_set(e, "%s: out of memory", url);
		return NULL;
	}
	if (o != NULL)
		x->o = *o;
	x->o_cacert = str_dup(x->o.cacert);
	x->o_etag = str_dup(x->o.etag);
	x->o_lm = str_dup(x->o.last_modified);
	x->o.cacert = x->o_cacert;
	x->o.etag = x->o_etag;
	x->o.last_modified = x->o_lm;
	x->url = str_dup(url);
	x->max_bytes = x->o.max_bytes > 0 ? x->o.max_bytes : NET_DEFAULT_MAX_BYTES;
	x->h = curl_easy_init();
	if (x->h == NULL || x->url == NULL) {
		err_set(e, "%s: cannot start a transfer", url);
		xfer_free(x);
		return NULL;
	}
	net_apply_common(x->h, &x->o);
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_bytes);
	if (x->o.accept_encoding)
		curl_easy_setopt(x->h, CURLOPT_ACCEPT_ENCODING, "");
	if (x->o.etag != NULL && x->o.etag[0] != '\0') {
		char *hd = str_printf("If-None-Match: %s", x->o.etag);

		x->hdrs = curl_slist_append(x->hdrs, hd);
		free(hd);
	}
	if (x->o.last_modified != NULL && x->o.last_modified[0] != '\0') {
		char *hd = str_printf("If-Modified-Since: %s", x->o.last_modified);

		x->hdrs = curl_slist_append(x->hdrs, hd);
		free(hd);
	}
	if (x->hdrs != NULL)
		curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
	return x;
}

static void describe_size(size_t max, char *out, size_t len)
{
	if (max >= 1024 * 1024 && max % (1024 * 1024) == 0)
		snprintf(out, len, "%zu MB", max / (1024 * 1024));
	else
		snprintf(out, len, "%zu bytes", max);
}

/* Turn a finished transfer into r and a return code. */
static int xfer_finish(struct xfer *x, CURLcode cc, struct net_result *r, struct err *e)
{
	char *eff = NULL;
	char sz[64];

	memset(r, 0, sizeof *r);
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &eff);
	r->effective_url = str_dup(eff != NULL ? eff : x->url);
	r->etag = x->hop_etag;
	r->last_modified = x->hop_lm;
	r->content_type = x->hop_ctype;
	x->hop_etag = x->hop_lm = x->hop_ctype = NULL;
	r->permanent_redirect = x->perm;
	r->perm_url = x->perm_url;
	x->perm_url = NULL;

	if (x->bad_redirect) {
		err_set(e, "%s: redirect to %s refused (only http and https are allowed)", x->url,
		        x->bad_location != NULL ? x->bad_location : "?");
		return -1;
	}
	if (x->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		describe_size(x->max_bytes, sz, sizeof sz);
		err_set(e, "%s: larger than %s", x->url, sz);
		return -1;
	}
	if (x->spool_failed) {
		err_set(e, "%s: cannot write the body to a temporary file", x->url);
		return -1;
	}
	if (cc == CURLE_UNSUPPORTED_PROTOCOL) {
		err_set(e, "%s: protocol not allowed (only http and https)", x->url);
		return -1;
	}
	if (cc == CURLE_TOO_MANY_REDIRECTS) {
		err_set(e, "%s: more than 10 redirects", x->url);
		return -1;
	}
	if (cc != CURLE_OK) {
		char *why = text_sanitize(x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc), false);

		err_set(e, "%s: %s", x->url, why != NULL ? why : curl_easy_strerror(cc));
		free(why);
		return -1;
	}
	if (r->status == 304) {
		r->not_modified = true;
		return 0;
	}
	if (r->status < 200 || r->status > 299) {
		err_set(e, "%s: HTTP %ld", x->url, r->status);
		return -1;
	}
	if (x->spool != NULL) {
		void *m;

		/* a NUL after the body, as in memory */
		if (x->spool_failed || fputc('\0', x->spool) == EOF || fflush(x->spool) != 0) {
			err_set(e, "%s: cannot write the body to a temporary file", x->url);
			return -1;
		}
		m = mmap(NULL, x->spooled + 1, PROT_READ, MAP_PRIVATE, fileno(x->spool), 0);
		if (m == MAP_FAILED) {
			err_set(e, "%s: cannot map the body", x->url);
			return -1;
		}
		r->body = m;
		r->len = x->spooled;
		r->body_mapped = true;
		return 0;
	}
	r->len = x->body.len;
	r->body = buf_steal(&x->body);
	if (r->body == NULL) {
		err_set(e, "%s: out of memory", x->url);
		return -1;
	}
	return 0;
}

int net_fetch(const char *url, const struct net_opts *o, struct net_result *r, struct err *e)
{
	struct xfer *x;
	CURLcode cc;
	int rc;

	memset(r, 0, sizeof *r);
	if (url == NULL || !url_is_http(url)) {
		err_set(e, "%s: only http and https URLs can be fetched", url ? url : "(null)");
		return -1;
	}
	x = xfer_new(url, o, e);
	if (x == NULL)
		return -1;
	cc = curl_easy_perform(x->h);
	rc = xfer_finish(x, cc, r, e);
	xfer_free(x);
	return rc;
}

void net_result_free_body(struct net_result *r)
{
	if (r == NULL || r->body == NULL)
		return;
	if (r->body_mapped)
		munmap(r->body, r->len + 1);
	else
		free(r->body);
	r->body = NULL;
	r->len = 0;
	r->body_mapped = false;
}

void net_result_free(struct net_result *r)
{
	if (r == NULL)
		return;
	net_result_free_body(r);
	free(r->etag);
	free(r->last_modified);
	free(r->effective_url);
	free(r->content_type);
	free(r->perm_url);
	memset(r, 0, sizeof *r);
}

/* ---- batch ---- */

struct net_batch {
	int jobs;
	struct xfer **items; /* in the order added; NULL once reported */
	bool *active;
	size_t n, cap, next;
};

struct net_batch *net_batch_new(int jobs)
{
	struct net_batch *b = calloc(1, sizeof *b);

	if (b != NULL)
		b->jobs = jobs > 0 ? jobs : NET_DEFAULT_JOBS;
	return b;
}

int net_batch_add(struct net_batch *b, const char *url, const struct net_opts *o, net_batch_cb cb,
                  void *item_ctx)
{
	struct xfer *x;
	struct err e;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct xfer **p = realloc(b->items, cap * sizeof *p);
		bool *a;

		if (p == NULL)
			return -1;
		b->items = p;
		a = realloc(b->active, cap * sizeof *a);
		if (a == NULL)
			return -1;
		b->active = a;
		b->cap = cap;
	}
	x = xfer_new(url != NULL ? url : "", o, &e);
	if (x == NULL)
		return -1;
	x->cb = cb;
	x->ctx = item_ctx;
	b->active[b->n] = false;
	b->items[b->n++] = x;
	return 0;
}

/* Give item i's outcome to its callback, then free it. */
static void batch_report(struct net_batch *b, size_t i, int rc, struct net_result *r,
                         const struct err *e)
{
	struct xfer *x = b->items[i];

	b->items[i] = NULL;
	b->active[i] = false;
	if (x->cb != NULL)
		x->cb(x->ctx, rc, r, e);
	net_result_free(r);
	xfer_free(x);
}

/* Report item i as failed with message why (it never ran or was cut). */
static void batch_fail(struct net_batch *b, size_t i, const char *why)
{
	struct net_result r;
	struct err ie;

	memset(&r, 0, sizeof r);
	err_set(&ie, "%s: %s", b->items[i]->url, why);
	batch_report(b, i, -1, &r, &ie);
}

int net_batch_run(struct net_batch *b, struct err *e)
{
	CURLM *m = curl_multi_init();
	int running = 0, active = 0, rc = 0;
	size_t i;

	if (m == NULL) {
		err_set(e, "net: cannot create a curl multi handle");
		rc = -1;
	}
	while (rc == 0) {
		CURLMsg *msg;
		int left;

		/* Top up to `jobs` transfers in flight. */
		while (active < b->jobs && b->next < b->n) {
			i = b->next++;
			if (!url_is_http(b->items[i]->url)) {
				batch_fail(b, i, "only http and https URLs can be fetched");
				continue;
			}
			if (curl_multi_add_handle(m, b->items[i]->h) != CURLM_OK) {
				batch_fail(b, i, "cannot start the transfer");
				continue;
			}
			b->items[i]->ctx_index = i;
			b->active[i] = true;
			active++;
		}
		if (active == 0)
			break;
		if (curl_multi_perform(m, &running) != CURLM_OK) {
			err_set(e, "net: curl_multi_perform failed");
			rc = -1;
			break;
		}
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct xfer *x = NULL;
			struct net_result r;
			struct err ie;
			int xrc;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			curl_multi_remove_handle(m, msg->easy_handle);
			active--;
			err_clear(&ie);
			xrc = xfer_finish(x, msg->data.result, &r, &ie);
			batch_report(b, x->ctx_index, xrc, &r, &ie);
		}
		if (active > 0 && running > 0 &&
		    curl_multi_poll(m, NULL, 0, 1000, NULL) != CURLM_OK) {
			err_set(e, "net: curl_multi_poll failed");
			rc = -1;
		}
	}
	/* After a multi failure: report every item left, so none is lost. */
	for (i = 0; i < b->n; i++) {
		if (b->items[i] == NULL)
			continue;
		if (b->active[i])
			curl_multi_remove_handle(m, b->items[i]->h);
		batch_fail(b, i, "not fetched (the transfer loop failed)");
	}
	b->next = b->n;
	if (m != NULL)
		curl_multi_cleanup(m);
	return rc;
}

void net_batch_free(struct net_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		xfer_free(b->items[i]);
	free(b->items);
	free(b->active);
	free(b);
}
