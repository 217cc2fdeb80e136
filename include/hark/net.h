/* net.h - HTTP(S) fetching over libcurl with the project's security rules:
 * only http/https (also for every redirect), at most 10 redirects, TLS always
 * verified, a size cap, connect and low-speed timeouts (never a total one),
 * conditional GET, and detection of permanent redirects.
 *
 * curl_global_init() must have been called once (main does it). */
#ifndef HARK_NET_H
#define HARK_NET_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "hark/util.h"

#define NET_DEFAULT_MAX_BYTES ((size_t)50 * 1024 * 1024)
#define NET_DEFAULT_CONNECT_TIMEOUT 15L /* seconds */
#define NET_DEFAULT_LOW_SPEED_TIME 30L  /* seconds below NET_LOW_SPEED_LIMIT */
#define NET_LOW_SPEED_LIMIT 1024L       /* bytes/s: a slow-loris drip below it fails */
#define NET_DEFAULT_JOBS 8

struct net_opts {
	const char *cacert;        /* CA bundle file, NULL: $HARK_CACERT or the system's */
	size_t max_bytes;          /* body cap; 0: NET_DEFAULT_MAX_BYTES (50 MB) */
	const char *etag;          /* sent as If-None-Match when set */
	const char *last_modified; /* sent as If-Modified-Since when set */
	long connect_timeout;      /* seconds; 0: NET_DEFAULT_CONNECT_TIMEOUT */
	long low_speed_time;       /* seconds; 0: NET_DEFAULT_LOW_SPEED_TIME */
	bool accept_encoding;      /* gzip/br/deflate (feeds yes, audio Range no) */
	bool spool;                /* body into an unlinked temporary file, handed
				    * back mapped read-only (body_mapped): a big
				    * feed is then never in the heap, and a parser
				    * can drop the pages it has read */
};

struct net_result {
	long status;             /* final HTTP status (200, 304, 404...) */
	char *body;              /* malloc'd (or mapped, body_mapped), NUL-terminated;
				  * NULL when no body. Release it only with
				  * net_result_free() / net_result_free_body() */
	bool body_mapped;        /* body is a read-only mapping (o->spool) */
	size_t len;              /* bytes in body */
	char *etag;              /* ETag response header, or NULL */
	char *last_modified;     /* Last-Modified response header, or NULL */
	char *effective_url;     /* the URL after redirects */
	char *content_type;      /* Content-Type, or NULL */
	bool not_modified;       /* 304 to a conditional GET */
	bool permanent_redirect; /* a 301 or 308 somewhere in the chain: store
				  * perm_url (the target of the last permanent hop) */
	char *perm_url;          /* where the last 301/308 pointed, or NULL */
};

/* Apply the common options to an easy handle: protocols http,https (also
 * for redirects), FOLLOWLOCATION with MAXREDIRS 10, TLS verification,
 * CAINFO from o->cacert (or $HARK_CACERT), User-Agent "hark/VERSION",
 * NOSIGNAL, connect timeout and a low-speed limit. o may be NULL (defaults).
 * Does not set ACCEPT_ENCODING, conditional headers or callbacks. */
void net_apply_common(CURL *h, const struct net_opts *o);

/* Fetch url into r (zeroed first). Returns 0 when an HTTP answer arrived
 * with status 2xx or 304; otherwise -1 with e set to "URL: why" (HTTP 404,
 * "larger than 50 MB", "protocol not allowed", a curl error...). r->status
 * is filled whenever a response came. Free r with net_result_free() in all
 * cases. */
int net_fetch(const char *url, const struct net_opts *o, struct net_result *r, struct err *e);
void net_result_free(struct net_result *r);
/* Release r->body alone (body NULL, len 0 after), e.g. once it is parsed. */
void net_result_free_body(struct net_result *r);

/* A batch of fetches over ONE curl multi handle, at most `jobs` at a time.
 * The callback runs on the calling thread (inside net_batch_run) once per
 * item, in completion order, with rc/r/e as net_fetch would give them; r is
 * freed after the callback returns (steal fields by setting them NULL). */
struct net_batch;
typedef void (*net_batch_cb)(void *item_ctx, int rc, struct net_result *r, const struct err *e);

struct net_batch *net_batch_new(int jobs); /* jobs <= 0: NET_DEFAULT_JOBS */
/* Queue url; o is copied (strings too). Returns 0, or -1 on OOM. */
int net_batch_add(struct net_batch *b, const char *url, const struct net_opts *o, net_batch_cb cb,
                  void *item_ctx);
/* Run every queued fetch to completion. Returns 0, or -1 with e set when
 * the multi handle itself failed (each item's own failure goes to its cb). */
int net_batch_run(struct net_batch *b, struct err *e);
void net_batch_free(struct net_batch *b);

#endif
