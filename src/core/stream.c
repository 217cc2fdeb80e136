/* stream.c - the net thread: one curl multi handle fetching an episode into
 * its cache file with Range requests. It fetches from where the reader
 * needs bytes, then keeps filling the rest of the file in the background;
 * a dropped connection is resumed from the next byte missing, with bounded
 * retries and backoff. The reader never sees the network: it reads the
 * cache by offset, so bytes can neither repeat nor go missing. */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine.h"

/* A transfer ahead of or behind the reader by more than this restarts at
 * the reader's position. */
#define RESTART_SLACK (256 * 1024)
#define WBUF_SIZE (64 * 1024)
/* Slower than this for stall_timeout seconds is a stall (curl's low-speed
 * limit): a slow-loris drip is dropped and retried like a dead connection. */
#define LOW_SPEED_BPS 1024L
/* A transfer that brought at least this much was progress: the count of
 * reconnects in a row starts again. A drip below LOW_SPEED_BPS never gets
 * there, so it runs out of retries. */
#define PROGRESS_BYTES (256 * 1024)
/* Held ranges a changed-validator check compares at most (more: changed). */
#define VERIFY_RANGES 64

struct stream {
	char *url;
	struct cache *c;
	struct stream_opts o;
	pthread_t th;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	CURLM *multi;
	/* shared, under mu */
	bool quit;
	long long want;
	struct stream_status st;
	long long received;
	unsigned gen; /* bumps on every byte batch or status change */
	/* net thread only */
	CURL *easy;
	struct curl_slist *hdrs;
	long long xstart, xcur;
	bool xchecked, xabort_fatal, xgot, xchanged;
	char xwrite_err[256]; /* why writing the cache failed (disk full...) */
	/* a 200 with another validator, being compared with the bytes held
	 * below the reader before it is believed (see start_verify) */
	bool xverify;
	long long xverify_to, xvr[VERIFY_RANGES][2];
	int xvn;
	char xnewval[256];
	/* bytes received, not yet in the cache: curl hands them over 16 KiB at
	 * a time; they are written once per curl_multi_perform() */
	unsigned char wbuf[WBUF_SIZE];
	size_t wlen;
	long long wstart;
	long xstatus;
	long long xlen, xrange_start, xrange_total;
	char xetag[256], xlastmod[128], xctype[96];
	int failures;
	double retry_at;
	char errbuf[CURL_ERROR_SIZE];
};

static void notify_locked(struct stream *s)
{
	s->gen++;
	pthread_cond_broadcast(&s->cv);
}

static void set_message(struct stream *s, bool failed, bool retrying, const char *fmt, ...)
        HARK_PRINTF(4, 5);
static void set_message(struct stream *s, bool failed, bool retrying, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&s->mu);
	va_start(ap, fmt);
	vsnprintf(s->st.message, sizeof s->st.message, fmt, ap);
	va_end(ap);
	s->st.failed = s->st.failed || failed;
	s->st.retrying = retrying;
	notify_locked(s);
	pthread_mutex_unlock(&s->mu);
	if (s->st.message[0])
		log_msg("stream %s: %s", s->url, s->st.message);
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct stream *s = arg;
	size_t len = sz * n;
	char line[512];
	char *v;

	if (len >= sizeof line)
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	str_trim(line);
	if (strncmp(line, "HTTP/", 5) == 0) { /* a new response (redirects) */
		s->xlen = -1;
		s->xrange_start = s->xrange_total = -1;
		s->xetag[0] = s->xlastmod[0] = s->xctype[0] = '\0';
		return len;
	}
	v = strchr(line, ':');
	if (v == NULL)
		return len;
	*v++ = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	if (strcasecmp(line, "Content-Length") == 0) {
		s->xlen = strtoll(v, NULL, 10);
	} else if (strcasecmp(line, "Content-Range") == 0) {
		long long a, b;
		char tot[32] = "";
		if (sscanf(v, "bytes %lld-%lld/%31s", &a, &b, tot) >= 2) {
			s->xrange_start = a;
			s->xrange_total = tot[0] && tot[0] != '*' ? strtoll(tot, NULL, 10) : -1;
		} else if (sscanf(v, "bytes */%lld", &a) == 1) { /* a 416's real size */
			s->xrange_total = a;
		}
	} else if (strcasecmp(line, "ETag") == 0) {
		snprintf(s->xetag, sizeof s->xetag, "%s", v);
	} else if (strcasecmp(line, "Last-Modified") == 0) {
		snprintf(s->xlastmod, sizeof s->xlastmod, "%s", v);
	} else if (strcasecmp(line, "Content-Type") == 0) {
		snprintf(s->xctype, sizeof s->xctype, "%s", v);
	}
	return len;
}

/* Does a response with this validator belong to another version of the file
 * than the bytes cached (If-Range answered 200, or ignored)? */
static bool version_changed(struct stream *s, const char *validator)
{
	char old[256];

	cache_validator(s->c, old, sizeof old);
	return old[0] != '\0' && validator[0] != '\0' && strcmp(old, validator) != 0 &&
	       cache_held(s->c) > 0;
}

/* A 200 answered If-Range with another validator. Some servers (multi-node
 * CDNs) give one file several ETags, so before believing the file changed,
 * compare the new body with the bytes held below the reader (on_write). */
static bool start_verify(struct stream *s, const char *validator)
{
	long long r[VERIFY_RANGES + 1][2], to;
	int n, i;

	pthread_mutex_lock(&s->mu);
	to = s->want;
	pthread_mutex_unlock(&s->mu);
	n = cache_ranges(s->c, r, VERIFY_RANGES + 1);
	if (n > VERIFY_RANGES)
		return false;
	s->xvn = 0;
	for (i = 0; i < n; i++)
		if (r[i][0] < to) {
			s->xvr[s->xvn][0] = r[i][0];
			s->xvr[s->xvn][1] = r[i][1] < to ? r[i][1] : to;
			s->xvn++;
		}
	s->xverify = true;
	s->xverify_to = to;
	snprintf(s->xnewval, sizeof s->xnewval, "%s", validator);
	s->xstart = s->xcur = 0;
	log_msg("stream %s: another validator (%s): comparing the bytes before %lld", s->url,
	        validator, to);
	return true;
}

/* Do the held bytes (of those being verified) equal this body chunk at xcur? */
static bool verify_chunk(struct stream *s, const char *p, size_t len)
{
	long long a = s->xcur, b = s->xcur + (long long)len;
	unsigned char tmp[4096];
	int i;

	for (i = 0; i < s->xvn; i++) {
		long long lo = s->xvr[i][0] > a ? s->xvr[i][0] : a;
		long long hi = s->xvr[i][1] < b ? s->xvr[i][1] : b;

		while (lo < hi) {
			size_t k = hi - lo > (long long)sizeof tmp ? sizeof tmp : (size_t)(hi - lo);

			if (cache_read(s->c, lo, tmp, k) != (ssize_t)k ||
			    memcmp(tmp, p + (lo - a), k) != 0)
				return false;
			lo += (long long)k;
		}
	}
	return true;
}

/* First bytes of a response: is it what we asked for? */
static bool check_response(struct stream *s)
{
	long code = 0;
	const char *validator = s->xetag[0] ? s->xetag : s->xlastmod;

	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
	s->xstatus = code;
	if ((code == 200 || code == 206) && !s->o.download && version_changed(s, validator)) {
		if (code == 200 && start_verify(s, validator))
			goto checked;
		/* The reader has bytes of the old version: never splice the new one
		 * onto them. Drop the old bytes (the next play starts afresh). */
		cache_set_validator(s->c, validator);
		s->xchanged = true;
		return false;
	}
	if (code == 206) {
		if (s->xrange_start != s->xstart) {
			set_message(s, false, true, "server sent bytes from %lld, not %lld",
			            s->xrange_start, s->xstart);
			return false;
		}
		cache_set_validator(s->c, validator);
		if (s->xrange_total >= 0)
			cache_set_size(s->c, s->xrange_total);
	} else if (code == 200) {
		cache_set_validator(s->c, validator);
		if (s->xlen >= 0)
			cache_set_size(s->c, s->xlen);
		if (s->xstart > 0) {
			pthread_mutex_lock(&s->mu);
			if (!s->st.no_range)
				snprintf(s->st.message, sizeof s->st.message,
				         "server ignores Range: reading forward");
			s->st.no_range = true;
			notify_locked(s);
			pthread_mutex_unlock(&s->mu);
			log_msg("stream %s: server ignores Range", s->url);
		}
		s->xstart = s->xcur = 0;
	} else {
		return false;
	}
checked:
	pthread_mutex_lock(&s->mu);
	s->st.size = cache_size(s->c);
	snprintf(s->st.content_type, sizeof s->st.content_type, "%s", s->xctype);
	if (s->st.retrying) {
		s->st.retrying = false;
		s->st.message[0] = '\0';
	}
	notify_locked(s);
	pthread_mutex_unlock(&s->mu);
	return true;
}

/* Write the staged bytes to the cache and tell the reader. false when the
 * cache cannot be written (xwrite_err says why). */
static bool flush_bytes(struct stream *s)
{
	struct err e;
	size_t n = s->wlen;

	if (n == 0)
		return true;
	s->wlen = 0;
	if (cache_write(s->c, s->wstart, s->wbuf, n, &e) != 0) {
		snprintf(s->xwrite_err, sizeof s->xwrite_err, "%.200s", e.msg);
		return false;
	}
	pthread_mutex_lock(&s->mu);
	s->received += (long long)n;
	notify_locked(s);
	pthread_mutex_unlock(&s->mu);
	return true;
}

static size_t on_write(char *p, size_t sz, size_t n, void *arg)
{
	struct stream *s = arg;
	size_t len = sz * n;

	if (!s->xchecked) {
		s->xchecked = true;
		if (!check_response(s)) {
			s->xabort_fatal = s->xstatus != 206 || s->xchanged;
			return 0;
		}
	}
	if (s->xverify) {
		if (!verify_chunk(s, p, len)) {
			cache_set_validator(s->c, s->xnewval); /* drop the old bytes */
			s->xverify = false;
			s->xchanged = s->xabort_fatal = true;
			return 0;
		}
		if (s->xcur + (long long)len < s->xverify_to) {
			s->xcur += (long long)len;
			return len;
		}
		/* the same bytes under another name: take it, write on from here */
		log_msg("stream %s: the same bytes under another validator", s->url);
		cache_set_validator(s->c, s->xnewval);
		if (s->xlen >= 0)
			cache_set_size(s->c, s->xlen);
		s->xverify = false;
	}
	if (s->xwrite_err[0] != '\0' || (s->wlen + len > sizeof s->wbuf && !flush_bytes(s))) {
		s->xabort_fatal = true;
		return 0;
	}
	if (s->wlen == 0)
		s->wstart = s->xcur;
	if (len > sizeof s->wbuf) { /* (curl hands over 16 KiB at most) */
		struct err e;
		if (cache_write(s->c, s->xcur, p, len, &e) != 0) {
			snprintf(s->xwrite_err, sizeof s->xwrite_err, "%.200s", e.msg);
			s->xabort_fatal = true;
			return 0;
		}
		pthread_mutex_lock(&s->mu);
		s->received += (long long)len;
		notify_locked(s);
		pthread_mutex_unlock(&s->mu);
	} else {
		memcpy(s->wbuf + s->wlen, p, len);
		s->wlen += len;
	}
	s->xcur += (long long)len;
	s->xgot = true;
	return len;
}

static void stop_transfer(struct stream *s)
{
	flush_bytes(s);
	if (s->easy == NULL)
		return;
	curl_multi_remove_handle(s->multi, s->easy);
	curl_easy_cleanup(s->easy);
	curl_slist_free_all(s->hdrs);
	s->easy = NULL;
	s->hdrs = NULL;
}

static void start_transfer(struct stream *s, long long start)
{
	char range[64], validator[256];

	stop_transfer(s);
	s->easy = curl_easy_init();
	if (s->easy == NULL) {
		set_message(s, true, false, "curl: cannot make a handle");
		return;
	}
	s->xstart = s->xcur = start;
	s->xchecked = s->xabort_fatal = s->xgot = s->xchanged = s->xverify = false;
	s->xwrite_err[0] = '\0';
	s->xstatus = 0;
	s->xlen = s->xrange_start = s->xrange_total = -1;
	s->errbuf[0] = '\0';
	curl_easy_setopt(s->easy, CURLOPT_URL, s->url);
	curl_easy_setopt(s->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(s->easy, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->easy, CURLOPT_USERAGENT, "hark/" HARK_VERSION);
	curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(s->easy, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BPS);
	curl_easy_setopt(s->easy, CURLOPT_LOW_SPEED_TIME, (long)ceil(s->o.stall_timeout));
	curl_easy_setopt(s->easy, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->errbuf);
	if (s->o.cacert != NULL)
		curl_easy_setopt(s->easy, CURLOPT_CAINFO, s->o.cacert);
	curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, s);
	/* 64 KiB a read (16 by default): a quarter of the recv, cache write
	 * and wake-up calls for an episode */
	curl_easy_setopt(s->easy, CURLOPT_BUFFERSIZE, 65536L);
	curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
	if (start > 0) {
		snprintf(range, sizeof range, "%lld-", start);
		curl_easy_setopt(s->easy, CURLOPT_RANGE, range);
		cache_validator(s->c, validator, sizeof validator);
		if (validator[0] != '\0') {
			char *h = str_printf("If-Range: %s", validator);
			s->hdrs = curl_slist_append(s->hdrs, h);
			free(h);
			curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->hdrs);
		}
	}
	log_msg("stream %s: GET from %lld", s->url, start);
	curl_multi_add_handle(s->multi, s->easy);
}

/* Where the next request should start, or -1 when the file is complete. */
static long long pick_start(struct stream *s, long long want)
{
	long long size = cache_size(s->c), g;

	g = cache_next_gap(s->c, want);
	if (size < 0 || g < size)
		return g;
	g = cache_next_gap(s->c, 0); /* background fill: the first gap of the file */
	return g < size ? g : -1;
}

/* Should the running transfer give way to one at the reader's position? */
static bool should_restart(struct stream *s, long long want, bool no_range)
{
	long long size = cache_size(s->c);
	long long g = cache_next_gap(s->c, want);
	bool reader_needs = size < 0 || g < size;

	if (no_range)
		return reader_needs && g < s->xcur;
	if (reader_needs && (g < s->xcur || g > s->xcur + RESTART_SLACK))
		return true;
	/* running through bytes already held */
	if (cache_contig_end(s->c, s->xcur) > s->xcur + RESTART_SLACK)
		return true;
	return false;
}

static void on_done(struct stream *s, CURLcode rc)
{
	long long size = cache_size(s->c);
	bool fatal = false;
	char why[CURL_ERROR_SIZE + 64];

	if (s->xverify && rc == CURLE_OK) {
		/* the new body ended before the reader's position: another file */
		cache_set_validator(s->c, s->xnewval);
		s->xchanged = true;
		rc = CURLE_WRITE_ERROR;
	}
	s->xverify = false;
	if (rc == CURLE_OK && (size < 0 || s->xcur >= size || cache_complete(s->c))) {
		if (size < 0) /* no length given: what came is the whole file */
			cache_set_size(s->c, s->xcur);
		s->failures = 0;
		stop_transfer(s);
		return;
	}
	if (rc == CURLE_HTTP_RETURNED_ERROR) {
		long code = 0;
		curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code == 416 && s->xrange_total >= 0 && s->xstart >= s->xrange_total &&
		    cache_next_gap(s->c, 0) >= s->xrange_total) {
			/* Asked from past the real end, with every byte before it held:
			 * the length announced earlier was a lie. The file is whole. */
			log_msg("stream %s: the server announced %lld bytes, the file has %lld",
			        s->url, size, s->xrange_total);
			cache_set_size(s->c, s->xrange_total);
			s->failures = 0;
			stop_transfer(s);
			return;
		}
		snprintf(why, sizeof why, "HTTP %ld", code);
		fatal = code >= 400 && code < 500 && code != 408 && code != 429;
	} else if (rc == CURLE_WRITE_ERROR && s->xwrite_err[0] != '\0') {
		snprintf(why, sizeof why, "%s", s->xwrite_err); /* e.g. the disk is full */
		fatal = true;
	} else if (rc == CURLE_WRITE_ERROR && s->xchanged) {
		snprintf(why, sizeof why,
		         "the file changed on the server: stopped rather than mix two versions "
		         "(play it again to start over)");
		fatal = true;
	} else if (rc == CURLE_WRITE_ERROR && s->xabort_fatal) {
		snprintf(why, sizeof why, "HTTP %ld", s->xstatus);
		fatal = true;
	} else if (rc == CURLE_OK) {
		snprintf(why, sizeof why, "connection closed early");
	} else {
		snprintf(why, sizeof why, "%s", s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc));
	}
	if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_COULDNT_RESOLVE_HOST)
		fatal = true;
	stop_transfer(s);
	if (s->xcur - s->xstart >= PROGRESS_BYTES)
		s->failures = 0;
	s->failures++;
	if (fatal || s->failures > s->o.max_retries) {
		set_message(s, true, false, "%s: %s", s->url, why);
		return;
	}
	s->retry_at = time_mono() + 0.2 * pow(2.0, s->failures - 1);
	set_message(s, false, true, "buffering: %s, reconnecting (%d/%d)", why, s->failures,
	            s->o.max_retries);
}

static void *net_main(void *arg)
{
	struct stream *s = arg;

	for (;;) {
		long long want;
		bool quit, no_range, failed;
		int running = 0, left;
		CURLMsg *msg;

		pthread_mutex_lock(&s->mu);
		quit = s->quit;
		want = s->want;
		no_range = s->st.no_range;
		failed = s->st.failed;
		pthread_mutex_unlock(&s->mu);
		if (quit)
			break;
		if (s->easy == NULL && !failed && time_mono() >= s->retry_at) {
			long long st = no_range ? cache_next_gap(s->c, 0) : pick_start(s, want);
			if (st >= 0 && !(cache_size(s->c) >= 0 && st >= cache_size(s->c)))
				start_transfer(s, st);
		} else if (s->easy != NULL && s->xchecked && should_restart(s, want, no_range)) {
			long long st = no_range ? 0 : pick_start(s, want);
			if (st >= 0)
				start_transfer(s, st);
			else
				stop_transfer(s);
		}
		curl_multi_perform(s->multi, &running);
		flush_bytes(s);
		while ((msg = curl_multi_info_read(s->multi, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == s->easy)
				on_done(s, msg->data.result);
		pthread_mutex_lock(&s->mu);
		if (!s->st.complete && cache_complete(s->c)) {
			s->st.complete = true;
			s->st.size = cache_size(s->c);
			notify_locked(s);
		}
		pthread_mutex_unlock(&s->mu);
		curl_multi_poll(s->multi, NULL, 0, s->easy ? 100 : 200, NULL);
	}
	stop_transfer(s);
	return NULL;
}

struct stream *stream_new(const char *url, struct cache *c, const struct stream_opts *o,
                          struct err *e)
{
	struct stream *s = calloc(1, sizeof *s);

	if (s == NULL) {
		err_set(e, "stream: out of memory");
		return NULL;
	}
	s->url = str_dup(url);
	s->c = c;
	s->o = *o;
	if (s->o.stall_timeout <= 0)
		s->o.stall_timeout = 10;
	if (s->o.max_retries <= 0)
		s->o.max_retries = 5;
	s->st.size = cache_size(c);
	s->st.complete = cache_complete(c);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->multi = curl_multi_init();
	if (s->multi == NULL || pthread_create(&s->th, NULL, net_main, s) != 0) {
		err_set(e, "stream: cannot start the network thread");
		stream_free(s);
		return NULL;
	}
	s->started = true;
	return s;
}

void stream_free(struct stream *s)
{
	if (s == NULL)
		return;
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->quit = true;
		pthread_mutex_unlock(&s->mu);
		curl_multi_wakeup(s->multi);
		pthread_join(s->th, NULL);
	}
	if (s->multi != NULL)
		curl_multi_cleanup(s->multi);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->url);
	free(s);
}

/* The net thread reads want whenever it wakes (bytes arriving wake it);
 * it is woken on purpose only when the reader jumped or is waiting for
 * bytes, not for every chunk read from the cache. */
void stream_want(struct stream *s, long long off)
{
	bool wake, changed;

	pthread_mutex_lock(&s->mu);
	changed = s->want != off;
	wake = off < s->want || off > s->want + RESTART_SLACK / 2;
	s->want = off;
	pthread_mutex_unlock(&s->mu);
	if (!wake && changed && cache_contig_end(s->c, off) <= off)
		wake = true;
	if (wake)
		curl_multi_wakeup(s->multi);
}

void stream_get_status(struct stream *s, struct stream_status *st)
{
	pthread_mutex_lock(&s->mu);
	*st = s->st;
	pthread_mutex_unlock(&s->mu);
}

void stream_wait(struct stream *s, double timeout)
{
	struct timespec ts;
	unsigned gen;
	long long ns;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = (long long)ts.tv_nsec + (long long)(timeout * 1e9);
	ts.tv_sec += (time_t)(ns / 1000000000LL);
	ts.tv_nsec = (long)(ns % 1000000000LL);
	pthread_mutex_lock(&s->mu);
	gen = s->gen;
	while (s->gen == gen && !s->quit)
		if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) != 0)
			break;
	pthread_mutex_unlock(&s->mu);
}

long long stream_received(struct stream *s)
{
	long long r;

	pthread_mutex_lock(&s->mu);
	r = s->received;
	pthread_mutex_unlock(&s->mu);
	return r;
}
