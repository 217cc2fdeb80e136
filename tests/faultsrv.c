/* faultsrv.c - hark's own HTTP/1.1 test server that injects faults.
 *
 *   faultsrv -p PORT -d DOCROOT [-l LOG] [-b ADDR] [-i IDLE_SECONDS]
 *   faultsrv --free-port
 *
 * The port actually bound is printed on the first line of stdout (use -p 0 to
 * let the kernel choose). Files under DOCROOT are served with fault behaviour
 * chosen by path prefixes, which can be chained (/slowstart/500/close/100/f):
 *
 *   /ok/F                 normal: Range (206), ETag, Last-Modified, If-Range, HEAD
 *   /norange/F            ignores Range, always 200 from byte 0, no Accept-Ranges
 *   /close/N/F            closes after N body bytes (every request)
 *   /closeonce/K/N/F      the same, but only for the first K requests of this path
 *   /stall/MS/AT/F        after AT body bytes, stalls MS milliseconds, then goes on
 *   /drip/BPS/F           sends BPS bytes per second
 *   /slowstart/MS/F       waits MS milliseconds before the headers
 *   /ctype/TYPE/F         Content-Type TYPE (url-encoded: audio%2Fmpeg)
 *   /lie/F                Content-Length larger than the body, then close
 *   /lieshort/N/F         Content-Length N bytes smaller than the body, which is
 *                         still sent whole (a client must stop at the length)
 *   /changing/F           every other request serves F with every byte flipped and
 *                         another ETag/Last-Modified, so If-Range must catch it
 *   /etagflip/F           every other request serves F's same bytes under another
 *                         ETag/Last-Modified (a multi-node CDN)
 *   /etag/F               If-None-Match / If-Modified-Since answered with 304
 *   /chunked/F            Transfer-Encoding: chunked, no Content-Length
 *   /nolength/F           no Content-Length: the body ends when the connection closes
 *   /count/...            no-op prefix (every request is logged anyway)
 * and terminal endpoints (the fault prefixes above may precede them):
 *   /status/CODE          CODE with a small body
 *   /redirect/N/PATH      N chained 302s ending at /PATH (/redirect301/, 302, 307, 308)
 *   /loop                 a redirect loop (/loop -> /loop/b -> /loop)
 *   /tofile, /toftp       302 to file:///etc/passwd, to ftp://127.0.0.1/x
 *
 * With -l LOG, one tab-separated line per request is appended (and flushed before
 * the response is sent): seq, method, target, Range, If-Range, If-None-Match,
 * If-Modified-Since, status; "-" for an absent header.
 *
 * Every response has Connection: close. The server exits on SIGTERM, or by itself
 * after IDLE_SECONDS (default 600) without connections so a killed test cannot
 * leave it running forever.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define REQ_MAX 16384
#define FIELD_MAX 512
#define LIE_EXTRA 65536

struct req {
	char method[16];
	char target[4096];
	char range[FIELD_MAX], if_range[FIELD_MAX], inm[FIELD_MAX], ims[FIELD_MAX];
	char host[FIELD_MAX];
	int has_range, has_if_range, has_inm, has_ims, has_host;
};

struct mode {
	int norange, lie, changing, etagflip, cond, chunked, nolength;
	long long lie_short;   /* Content-Length this much below the body */
	long long close_after; /* -1: never */
	long long closeonce_k; /* 0: every request */
	long long stall_ms, stall_at;
	long long drip_bps;
	long long slowstart_ms;
	char ctype[FIELD_MAX];
};

struct counter {
	struct counter *next;
	long long n;
	char key[];
};

static const char *docroot = ".";
static FILE *log_fp;
static long long log_seq;
static struct counter *counters;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int active_conns;
static time_t last_activity;

/* Sleep for ms milliseconds (restarting after signals). */
static void sleep_ms(long long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Write all of buf; -1 when the peer went away. */
static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Count one more request for key and return the new count (1 for the first). */
static long long count_request(const char *key)
{
	struct counter *c;
	long long n;

	pthread_mutex_lock(&lock);
	for (c = counters; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			break;
	if (c == NULL) {
		size_t len = strlen(key);

		c = calloc(1, sizeof *c + len + 1);
		if (c == NULL) {
			pthread_mutex_unlock(&lock);
			return 1;
		}
		memcpy(c->key, key, len + 1);
		c->next = counters;
		counters = c;
	}
	n = ++c->n;
	pthread_mutex_unlock(&lock);
	return n;
}

/* Append a field to the log line, "-" when absent, control characters as '?'. */
static void log_field(const char *s, int present)
{
	if (!present || s[0] == '\0') {
		fputs("\t-", log_fp);
		return;
	}
	fputc('\t', log_fp);
	for (; *s != '\0'; s++)
		fputc(iscntrl((unsigned char)*s) ? '?' : *s, log_fp);
}

/* Record one request in the log file (before the response goes out). */
static void log_request(const struct req *r, int status)
{
	if (log_fp == NULL)
		return;
	pthread_mutex_lock(&lock);
	fprintf(log_fp, "%lld", ++log_seq);
	log_field(r->method, 1);
	log_field(r->target, 1);
	log_field(r->range, r->has_range);
	log_field(r->if_range, r->has_if_range);
	log_field(r->inm, r->has_inm);
	log_field(r->ims, r->has_ims);
	fprintf(log_fp, "\t%d\n", status);
	fflush(log_fp);
	pthread_mutex_unlock(&lock);
}

static const char *reason(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 204:
		return "No Content";
	case 206:
		return "Partial Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 303:
		return "See Other";
	case 304:
		return "Not Modified";
	case 307:
		return "Temporary Redirect";
	case 308:
		return "Permanent Redirect";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 410:
		return "Gone";
	case 416:
		return "Range Not Satisfiable";
	case 429:
		return "Too Many Requests";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Unknown";
	}
}

/* Format t as an HTTP date (RFC 7231 IMF-fixdate). */
static void http_date(char *dst, size_t size, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(dst, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Parse an IMF-fixdate; -1 when it is not one. */
static time_t parse_http_date(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4], wday[4];
	int d, y, hh, mm, ss;
	const char *m;
	struct tm tm;

	if (sscanf(s, "%3s, %d %3s %d %d:%d:%d GMT", wday, &d, mon, &y, &hh, &mm, &ss) != 7)
		return -1;
	m = strstr(months, mon);
	if (m == NULL || strlen(mon) != 3 || (m - months) % 3 != 0)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = d;
	tm.tm_mon = (int)((m - months) / 3);
	tm.tm_year = y - 1900;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	return timegm(&tm);
}

/* Send a status line and headers; extra is "" or more "Name: value\r\n" lines. */
static int send_head(int fd, int code, const char *ctype, long long clen, const char *extra)
{
	char head[8192], date[64];
	int n;

	http_date(date, sizeof date, time(NULL));
	n = snprintf(head, sizeof head,
	             "HTTP/1.1 %d %s\r\nServer: hark-faultsrv\r\nDate: %s\r\n"
	             "Connection: close\r\n",
	             code, reason(code), date);
	if (ctype != NULL)
		n += snprintf(head + n, sizeof head - (size_t)n, "Content-Type: %s\r\n", ctype);
	if (clen >= 0)
		n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %lld\r\n", clen);
	n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", extra);
	if (n < 0 || (size_t)n >= sizeof head)
		return -1;
	return send_all(fd, head, (size_t)n);
}

/* A whole small response: status, text body (not for HEAD), extra headers. */
static void respond_simple(int fd, const struct req *r, int code, const char *extra)
{
	char body[256];
	int n = 0;

	log_request(r, code);
	if (code != 204 && code != 304)
		n = snprintf(body, sizeof body, "%d %s\n", code, reason(code));
	if (send_head(fd, code, n > 0 ? "text/plain" : NULL, n, extra) != 0)
		return;
	if (n > 0 && strcmp(r->method, "HEAD") != 0)
		send_all(fd, body, (size_t)n);
}

/* Answer a redirect to target (an absolute URL or a path on this server). */
static void respond_redirect(int fd, const struct req *r, int code, const char *target)
{
	char extra[FIELD_MAX + 4200];

	if (target[0] == '/' && r->has_host)
		snprintf(extra, sizeof extra, "Location: http://%s%s\r\n", r->host, target);
	else
		snprintf(extra, sizeof extra, "Location: %s\r\n", target);
	respond_simple(fd, r, code, extra);
}

/* Decode %XX escapes in place; -1 on a bad escape or an encoded NUL. */
static int url_decode(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s == '%') {
			int hi, lo;

			if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]))
				return -1;
			hi = isdigit((unsigned char)s[1]) ? s[1] - '0' : (tolower(s[1]) - 'a' + 10);
			lo = isdigit((unsigned char)s[2]) ? s[2] - '0' : (tolower(s[2]) - 'a' + 10);
			if (hi == 0 && lo == 0)
				return -1;
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return 0;
}

/* If *p starts with "/word/" (or is "/word"), advance past "/word" and return 1. */
static int take_word(const char **p, const char *word)
{
	size_t len = strlen(word);

	if ((*p)[0] != '/' || strncmp(*p + 1, word, len) != 0)
		return 0;
	if ((*p)[1 + len] != '/' && (*p)[1 + len] != '\0')
		return 0;
	*p += 1 + len;
	return 1;
}

/* Parse "/DIGITS" at *p into *v and advance; 0 when there is no number. */
static int take_num(const char **p, long long *v)
{
	const char *s = *p;
	long long n = 0;

	if (s[0] != '/' || !isdigit((unsigned char)s[1]))
		return 0;
	for (s++; isdigit((unsigned char)*s); s++) {
		if (n > (LLONG_MAX - 9) / 10)
			return 0;
		n = n * 10 + (*s - '0');
	}
	if (*s != '/' && *s != '\0')
		return 0;
	*v = n;
	*p = s;
	return 1;
}

/* Copy the next path segment ("/SEG") into dst and advance; 0 when there is none. */
static int take_seg(const char **p, char *dst, size_t size)
{
	const char *s = *p, *e;

	if (s[0] != '/' || s[1] == '\0' || s[1] == '/')
		return 0;
	e = strchr(s + 1, '/');
	if (e == NULL)
		e = s + strlen(s);
	if ((size_t)(e - s - 1) >= size)
		return 0;
	memcpy(dst, s + 1, (size_t)(e - s - 1));
	dst[e - s - 1] = '\0';
	*p = e;
	return 1;
}

/* Parse the fault prefixes at the start of path; -1 on a malformed prefix. */
static int parse_modes(const char **p, struct mode *m)
{
	for (;;) {
		if (take_word(p, "ok") || take_word(p, "count")) {
			continue;
		} else if (take_word(p, "norange")) {
			m->norange = 1;
		} else if (take_word(p, "lie")) {
			m->lie = 1;
		} else if (take_word(p, "lieshort")) {
			if (!take_num(p, &m->lie_short))
				return -1;
		} else if (take_word(p, "changing")) {
			m->changing = 1;
		} else if (take_word(p, "etagflip")) {
			m->etagflip = 1;
		} else if (take_word(p, "chunked")) {
			m->chunked = 1;
		} else if (take_word(p, "nolength")) {
			m->nolength = 1;
		} else if (take_word(p, "etag")) {
			m->cond = 1;
		} else if (take_word(p, "close")) {
			if (!take_num(p, &m->close_after))
				return -1;
		} else if (take_word(p, "closeonce")) {
			if (!take_num(p, &m->closeonce_k) || !take_num(p, &m->close_after))
				return -1;
		} else if (take_word(p, "stall")) {
			if (!take_num(p, &m->stall_ms) || !take_num(p, &m->stall_at))
				return -1;
		} else if (take_word(p, "drip")) {
			if (!take_num(p, &m->drip_bps) || m->drip_bps <= 0)
				return -1;
		} else if (take_word(p, "slowstart")) {
			if (!take_num(p, &m->slowstart_ms))
				return -1;
		} else if (take_word(p, "ctype")) {
			const char *c;

			if (!take_seg(p, m->ctype, sizeof m->ctype) || url_decode(m->ctype) != 0)
				return -1;
			for (c = m->ctype; *c != '\0'; c++)
				if (iscntrl((unsigned char)*c))
					return -1;
		} else {
			return 0;
		}
	}
}

static const char *guess_type(const char *path)
{
	static const char *const types[][2] = {
	        {".mp3", "audio/mpeg"},
	        {".m4a", "audio/mp4"},
	        {".ogg", "audio/ogg"},
	        {".opus", "audio/ogg"},
	        {".wav", "audio/wav"},
	        {".xml", "application/xml"},
	        {".rss", "application/rss+xml"},
	        {".atom", "application/atom+xml"},
	        {".opml", "text/x-opml"},
	        {".json", "application/json"},
	        {".vtt", "text/vtt"},
	        {".srt", "application/x-subrip"},
	        {".txt", "text/plain"},
	        {".html", "text/html"},
	        {".jpg", "image/jpeg"},
	        {".png", "image/png"},
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot != NULL)
		for (i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot, types[i][0]) == 0)
				return types[i][1];
	return "application/octet-stream";
}

/* Parse a single "bytes=A-B" range against size; 1 ok, 0 ignore, -1 unsatisfiable. */
static int parse_range(const char *v, long long size, long long *start, long long *end)
{
	const char *s;
	char *e;
	long long a, b;

	if (strncasecmp(v, "bytes=", 6) != 0 || strchr(v, ',') != NULL)
		return 0;
	s = v + 6;
	while (*s == ' ')
		s++;
	if (*s == '-') {
		if (!isdigit((unsigned char)s[1]))
			return 0;
		errno = 0;
		b = strtoll(s + 1, &e, 10);
		if (errno != 0 || (*e != '\0' && *e != ' '))
			return 0;
		if (b == 0 || size == 0)
			return -1;
		*start = b >= size ? 0 : size - b;
		*end = size - 1;
		return 1;
	}
	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	a = strtoll(s, &e, 10);
	if (errno != 0 || *e != '-')
		return 0;
	s = e + 1;
	if (*s == '\0' || *s == ' ') {
		b = size - 1;
	} else {
		if (!isdigit((unsigned char)*s))
			return 0;
		b = strtoll(s, &e, 10);
		if (errno != 0 || (*e != '\0' && *e != ' ') || b < a)
			return 0;
		if (b >= size)
			b = size - 1;
	}
	if (a >= size)
		return -1;
	*start = a;
	*end = b;
	return 1;
}

/* Send len bytes of fd_in from off, applying the stall/drip/flip modes. */
static void send_body(int fd, int in, long long off, long long len, const struct mode *m, int flip,
                      int last)
{
	char buf[16384];
	long long sent = 0, chunk_max = (long long)sizeof buf, interval = 0;

	if (m->drip_bps > 0) {
		chunk_max = m->drip_bps / 10;
		if (chunk_max < 1)
			chunk_max = 1;
		if (chunk_max > (long long)sizeof buf)
			chunk_max = (long long)sizeof buf;
		interval = chunk_max * 1000 / m->drip_bps;
	}
	while (sent < len) {
		long long want = len - sent;
		ssize_t n, i;

		if (want > chunk_max)
			want = chunk_max;
		if (m->stall_at >= 0 && sent < m->stall_at && sent + want > m->stall_at)
			want = m->stall_at - sent;
		if (m->stall_at >= 0 && sent == m->stall_at && m->stall_ms > 0)
			sleep_ms(m->stall_ms);
		n = pread(in, buf, (size_t)want, (off_t)(off + sent));
		if (n <= 0)
			return;
		if (flip)
			for (i = 0; i < n; i++)
				buf[i] = (char)(buf[i] ^ 0xff);
		if (m->chunked) {
			char size[32];
			int k = snprintf(size, sizeof size, "%zx\r\n", (size_t)n);

			if (send_all(fd, size, (size_t)k) != 0)
				return;
		}
		if (send_all(fd, buf, (size_t)n) != 0 ||
		    (m->chunked && send_all(fd, "\r\n", 2) != 0))
			return;
		sent += n;
		if (interval > 0 && sent < len)
			sleep_ms(interval);
	}
	if (m->chunked && last)
		send_all(fd, "0\r\n\r\n", 5);
}

/* Serve the file at path (still url-encoded, starting with '/') under docroot. */
static void serve_file(int fd, const struct req *r, const char *path, const struct mode *m,
                       long long count)
{
	char rel[4096], full[PATH_MAX + 4096], etag[128], lastmod[64], extra[1024];
	const char *seg;
	long long size, start = 0, end, clen;
	int in, code = 200, flip = 0, use_range = 0, x = 0;
	struct stat st;
	time_t mtime;

	snprintf(rel, sizeof rel, "%s", path);
	if (url_decode(rel) != 0 || rel[0] != '/') {
		respond_simple(fd, r, 400, "");
		return;
	}
	for (seg = rel; seg != NULL; seg = strchr(seg + 1, '/'))
		if (strncmp(seg, "/..", 3) == 0 && (seg[3] == '/' || seg[3] == '\0')) {
			respond_simple(fd, r, 403, "");
			return;
		}
	snprintf(full, sizeof full, "%s%s", docroot, rel);
	in = open(full, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (in >= 0)
			close(in);
		respond_simple(fd, r, 404, "");
		return;
	}
	size = (long long)st.st_size;
	mtime = st.st_mtime;
	if ((m->changing || m->etagflip) && count % 2 == 0) {
		flip = m->changing;
		mtime += 1;
	}
	snprintf(etag, sizeof etag, "\"%llx-%llx%s\"", size, (long long)mtime,
	         m->changing || m->etagflip ? (count % 2 == 0 ? "-v1" : "-v0") : "");
	http_date(lastmod, sizeof lastmod, mtime);

	if (m->cond) {
		int not_modified = 0;

		if (r->has_inm)
			not_modified = strstr(r->inm, etag) != NULL || strcmp(r->inm, "*") == 0;
		else if (r->has_ims) {
			time_t t = parse_http_date(r->ims);

			not_modified = t != (time_t)-1 && mtime <= t;
		}
		if (not_modified) {
			snprintf(extra, sizeof extra, "ETag: %s\r\nLast-Modified: %s\r\n", etag,
			         lastmod);
			close(in);
			respond_simple(fd, r, 304, extra);
			return;
		}
	}

	end = size - 1;
	if (!m->norange && r->has_range &&
	    (!r->has_if_range || strcmp(r->if_range, etag) == 0 ||
	     strcmp(r->if_range, lastmod) == 0)) {
		use_range = parse_range(r->range, size, &start, &end);
		if (use_range < 0) {
			snprintf(extra, sizeof extra, "Content-Range: bytes */%lld\r\n", size);
			close(in);
			respond_simple(fd, r, 416, extra);
			return;
		}
	}
	if (use_range > 0)
		code = 206;
	clen = end - start + 1;

	if (!m->norange)
		x += snprintf(extra + x, sizeof extra - (size_t)x, "Accept-Ranges: bytes\r\n");
	x += snprintf(extra + x, sizeof extra - (size_t)x, "ETag: %s\r\nLast-Modified: %s\r\n",
	              etag, lastmod);
	if (code == 206)
		x += snprintf(extra + x, sizeof extra - (size_t)x,
		              "Content-Range: bytes %lld-%lld/%lld\r\n", start, end, size);
	if (m->chunked)
		snprintf(extra + x, sizeof extra - (size_t)x, "Transfer-Encoding: chunked\r\n");

	log_request(r, code);
	if (send_head(fd, code, m->ctype[0] ? m->ctype : guess_type(rel),
	              m->chunked || m->nolength ? -1
	              : m->lie                  ? clen + LIE_EXTRA
	              : m->lie_short > 0        ? (clen > m->lie_short ? clen - m->lie_short : 0)
	                                        : clen,
	              extra) == 0 &&
	    strcmp(r->method, "HEAD") != 0) {
		long long body = clen;

		if (m->close_after >= 0 && (m->closeonce_k == 0 || count <= m->closeonce_k) &&
		    m->close_after < body)
			body = m->close_after;
		send_body(fd, in, start, body, m, flip, body == clen);
	}
	close(in);
}

/* Route one parsed request. */
static void handle(int fd, struct req *r)
{
	struct mode m;
	char path[4096], key[4096];
	const char *p, *word = "";
	long long n, count;
	int code = 302;

	memset(&m, 0, sizeof m);
	m.close_after = -1;
	m.stall_at = -1;
	snprintf(path, sizeof path, "%s", r->target);
	path[strcspn(path, "?#")] = '\0';
	p = path;
	if (parse_modes(&p, &m) != 0) {
		respond_simple(fd, r, 400, "");
		return;
	}
	snprintf(key, sizeof key, "%s", path);
	count = count_request(key);
	sleep_ms(m.slowstart_ms);

	if (strcmp(p, "/loop") == 0) {
		respond_redirect(fd, r, 302, "/loop/b");
	} else if (strcmp(p, "/loop/b") == 0) {
		respond_redirect(fd, r, 302, "/loop");
	} else if (strcmp(p, "/tofile") == 0) {
		respond_redirect(fd, r, 302, "file:///etc/passwd");
	} else if (strcmp(p, "/toftp") == 0) {
		respond_redirect(fd, r, 302, "ftp://127.0.0.1/x");
	} else if (take_word(&p, "status")) {
		if (!take_num(&p, &n) || n < 200 || n > 599)
			respond_simple(fd, r, 400, "");
		else
			respond_simple(fd, r, (int)n, "");
	} else if (take_word(&p, "redirect") || (take_word(&p, "redirect301") && (code = 301)) ||
	           (take_word(&p, "redirect302") && (code = 302) && (word = "302")) ||
	           (take_word(&p, "redirect307") && (code = 307)) ||
	           (take_word(&p, "redirect308") && (code = 308))) {
		char next[4200];

		if (code != 302)
			word = code == 301 ? "301" : code == 307 ? "307" : "308";
		if (!take_num(&p, &n) || p[0] != '/') {
			respond_simple(fd, r, 400, "");
			return;
		}
		if (n <= 1)
			snprintf(next, sizeof next, "%s", p);
		else
			snprintf(next, sizeof next, "/redirect%s/%lld%s", word, n - 1, p);
		if (n == 0)
			serve_file(fd, r, p, &m, count);
		else
			respond_redirect(fd, r, code, next);
	} else {
		serve_file(fd, r, p, &m, count);
	}
}

/* Copy a header value (leading/trailing blanks trimmed) into dst. */
static void copy_value(char *dst, size_t size, const char *v, size_t len)
{
	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* Parse the request head in buf (NUL-terminated, lines end in \n); 0 ok, else a status. */
static int parse_request(char *buf, struct req *r)
{
	char *line, *next, *sp1, *sp2, *colon;
	size_t i;

	memset(r, 0, sizeof *r);
	next = strchr(buf, '\n');
	if (next == NULL)
		return 400;
	*next++ = '\0';
	line = buf;
	line[strcspn(line, "\r")] = '\0';
	sp1 = strchr(line, ' ');
	if (sp1 == NULL || sp1 == line || (size_t)(sp1 - line) >= sizeof r->method)
		return 400;
	for (i = 0; line + i < sp1; i++)
		if (!isupper((unsigned char)line[i]))
			return 400;
	memcpy(r->method, line, (size_t)(sp1 - line));
	sp2 = strchr(sp1 + 1, ' ');
	if (sp2 == NULL || sp2[1] == '\0' || strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return 400;
	if (sp1[1] != '/' || (size_t)(sp2 - sp1 - 1) >= sizeof r->target)
		return 400;
	memcpy(r->target, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	for (i = 0; r->target[i] != '\0'; i++)
		if ((unsigned char)r->target[i] <= ' ' || r->target[i] == 0x7f)
			return 400;

	for (line = next; line != NULL && *line != '\0'; line = next) {
		size_t len;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		len = strcspn(line, "\r");
		line[len] = '\0';
		if (len == 0)
			break;
		colon = strchr(line, ':');
		if (colon == NULL || colon == line)
			return 400;
		len = strlen(colon + 1);
		*colon = '\0';
		if (strcasecmp(line, "Range") == 0) {
			copy_value(r->range, sizeof r->range, colon + 1, len);
			r->has_range = 1;
		} else if (strcasecmp(line, "If-Range") == 0) {
			copy_value(r->if_range, sizeof r->if_range, colon + 1, len);
			r->has_if_range = 1;
		} else if (strcasecmp(line, "If-None-Match") == 0) {
			copy_value(r->inm, sizeof r->inm, colon + 1, len);
			r->has_inm = 1;
		} else if (strcasecmp(line, "If-Modified-Since") == 0) {
			copy_value(r->ims, sizeof r->ims, colon + 1, len);
			r->has_ims = 1;
		} else if (strcasecmp(line, "Host") == 0) {
			copy_value(r->host, sizeof r->host, colon + 1, len);
			r->has_host = 1;
			for (i = 0; r->host[i] != '\0'; i++)
				if (!isalnum((unsigned char)r->host[i]) &&
				    strchr(".-:[]", r->host[i]) == NULL)
					r->has_host = 0;
		}
	}
	return 0;
}

/* Read the request head; its length, 0 on EOF/timeout, -1 when it is too large. */
static ssize_t read_head(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size - 1) {
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\0', len) != NULL)
			return (ssize_t)len; /* NUL inside: parse_request rejects it */
		if (strstr(buf, "\r\n\r\n") != NULL || strstr(buf, "\n\n") != NULL)
			return (ssize_t)len;
	}
	return -1;
}

/* After an error answer, read what the client still sends (up to a second), so
 * closing with unread data does not reset the connection before it reads the answer. */
static void drain(int fd)
{
	struct timeval tv = {1, 0};
	char junk[4096];
	int i;

	shutdown(fd, SHUT_WR);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	for (i = 0; i < 256; i++)
		if (recv(fd, junk, sizeof junk, 0) <= 0)
			break;
}

/* One connection: read a request, answer it, close. */
static void *conn_main(void *arg)
{
	int fd = *(int *)arg;
	char *buf = malloc(REQ_MAX);
	struct req *r = malloc(sizeof *r);
	ssize_t n;

	free(arg);
	if (buf != NULL && r != NULL) {
		n = read_head(fd, buf, REQ_MAX);
		if (n < 0) {
			memset(r, 0, sizeof *r);
			snprintf(r->method, sizeof r->method, "-");
			snprintf(r->target, sizeof r->target, "-");
			respond_simple(fd, r, 431, "");
			drain(fd);
		} else if (n > 0) {
			int bad =
			        memchr(buf, '\0', (size_t)n) != NULL ? 400 : parse_request(buf, r);

			if (bad != 0) {
				memset(r, 0, sizeof *r);
				snprintf(r->method, sizeof r->method, "-");
				snprintf(r->target, sizeof r->target, "-");
				respond_simple(fd, r, bad, "");
				drain(fd);
			} else if (strcmp(r->method, "GET") != 0 &&
			           strcmp(r->method, "HEAD") != 0) {
				respond_simple(fd, r, 405, "Allow: GET, HEAD\r\n");
			} else {
				handle(fd, r);
			}
		}
	}
	free(buf);
	free(r);
	shutdown(fd, SHUT_WR);
	close(fd);
	pthread_mutex_lock(&lock);
	active_conns--;
	last_activity = time(NULL);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Bind a listening TCP socket on addr:port; the bound port goes to *bound. */
static int listen_on(const char *addr, int port, int *bound)
{
	struct sockaddr_in sa;
	socklen_t slen = sizeof sa;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &slen) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

static void usage(void)
{
	fprintf(stderr, "usage: faultsrv -p PORT -d DOCROOT [-l LOG] [-b ADDR] [-i IDLE_SECONDS]\n"
	                "       faultsrv --free-port\n");
	exit(1);
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1", *logpath = NULL;
	int port = -1, lfd, bound, i;
	long idle = 600;
	struct timeval tv = {30, 0};

	if (argc == 2 && strcmp(argv[1], "--free-port") == 0) {
		lfd = listen_on(addr, 0, &bound);
		if (lfd < 0) {
			fprintf(stderr, "faultsrv: bind: %s\n", strerror(errno));
			return 2;
		}
		close(lfd);
		printf("%d\n", bound);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "-p") == 0)
			port = atoi(argv[++i]);
		else if (strcmp(argv[i], "-d") == 0)
			docroot = argv[++i];
		else if (strcmp(argv[i], "-l") == 0)
			logpath = argv[++i];
		else if (strcmp(argv[i], "-b") == 0)
			addr = argv[++i];
		else if (strcmp(argv[i], "-i") == 0)
			idle = atol(argv[++i]);
		else
			usage();
	}
	if (port < 0 || port > 65535)
		usage();
	if (logpath != NULL) {
		log_fp = fopen(logpath, "a");
		if (log_fp == NULL) {
			fprintf(stderr, "faultsrv: log %s: %s\n", logpath, strerror(errno));
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	lfd = listen_on(addr, port, &bound);
	if (lfd < 0) {
		fprintf(stderr, "faultsrv: listen %s:%d: %s\n", addr, port, strerror(errno));
		return 2;
	}
	printf("%d\n", bound);
	fflush(stdout);
	last_activity = time(NULL);

	for (;;) {
		struct pollfd pfd = {lfd, POLLIN, 0};
		pthread_attr_t attr;
		pthread_t th;
		int *arg, cfd, rc;

		rc = poll(&pfd, 1, 1000);
		if (rc == 0) {
			int quit;

			pthread_mutex_lock(&lock);
			quit = idle > 0 && active_conns == 0 && time(NULL) - last_activity > idle;
			pthread_mutex_unlock(&lock);
			if (quit)
				return 0;
			continue;
		}
		if (rc < 0)
			continue;
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0)
			continue;
		setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		arg = malloc(sizeof *arg);
		if (arg == NULL) {
			close(cfd);
			continue;
		}
		*arg = cfd;
		pthread_mutex_lock(&lock);
		active_conns++;
		last_activity = time(NULL);
		pthread_mutex_unlock(&lock);
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&th, &attr, conn_main, arg) != 0)
			conn_main(arg);
		pthread_attr_destroy(&attr);
	}
}
