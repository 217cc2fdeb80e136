/* player.c - the player: the audio thread (source bytes -> decoder -> dsp ->
 * output), the command mailbox and the snapshot. The net thread lives in
 * stream.c; local files are read directly. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decoder.h"
#include "engine.h"
#include "hark/id3.h"
#include "hark/player.h"

#define FEED_CHUNK 65536
#define PCM_CHUNK (1152 * 2 * 2 * 4)
#define MAX_TAG (64 << 20)

struct player {
	struct player_opts o;
	char *o_output, *o_cache_dir, *o_cacert;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wake[2];
	/* under mu */
	struct player_mailbox mb;
	struct player_snapshot snap;
	unsigned char *tag;
	size_t taglen;
	/* audio thread only */
	struct output *out;
	struct dsp *dsp;
	const struct decoder_ops *dops;
	struct decoder *dec;
	bool first_sent;
	bool open, local, have_format, paused, done, failed, tag_done, checked_magic;
	char *url;
	int fd;
	struct cache *cache;
	struct stream *stream;
	long long base, feed_off, fsize;
	long rate;
	int channels;
	long long dec_pos;    /* samples (per channel) out of the decoder */
	long long discard;    /* samples still to drop after a seek near the start */
	long long out_frames; /* frames written to the output */
	double pending_seek;  /* < 0: none; seconds, before the first frame */
	bool seek_event, accurate, cbr_index, resync;
	bool length_exact; /* the decoder's length comes from a Xing/Info tag */
	double seek_target;
	/* After an approximate (fuzzy) seek: the decoder's frame numbers are a
	 * guess. Once the bytes before the landing frame are cached, a frame
	 * counter (a second decoder handle) parses them and the position is
	 * corrected by the difference. */
	bool fix_pending, fix_have_frame, renumbered;
	long long fix_off, fix_scan_off; /* absolute byte offsets */
	long long fix_lag;   /* true start of the seek's audio = frame * spf + fix_lag */
	double fix_reported; /* seconds the seek event said */
	struct decoder *scan;
	unsigned char hdr[4];
	double duration, hint, last_publish;
	double speed;
	int volume;
	bool skip;
	enum player_state state;
	unsigned char inbuf[FEED_CHUNK];
	unsigned char pcm[PCM_CHUNK];
};

void player_opts_init(struct player_opts *o)
{
	memset(o, 0, sizeof *o);
	o->speed = 1.0;
	o->volume = 100;
}

const char *player_state_name(enum player_state s)
{
	static const char *const names[] = {"idle",   "buffering", "playing",
	                                    "paused", "ended",     "error"};

	return (unsigned)s < HARK_ARRAY_LEN(names) ? names[s] : "?";
}

void player_mailbox_seek(struct player_mailbox *m, double t, bool relative)
{
	if (relative && m->has_seek) {
		m->seek += t; /* +10 +10 pending = +20, or T then +10 = T+10 */
		return;
	}
	m->has_seek = true;
	m->seek_relative = relative;
	m->seek = t;
}

void player_mailbox_pause(struct player_mailbox *m, int what)
{
	if (what == 2 && (m->pause == 0 || m->pause == 1))
		m->pause = !m->pause; /* toggle of a pending pause/resume */
	else if (what == 2 && m->pause == 2)
		m->pause = -1; /* two toggles cancel */
	else
		m->pause = what;
}

static double clamp_speed(double x)
{
	if (!(x >= 0.5))
		x = 0.5;
	if (x > 3.0)
		x = 3.0;
	return round(x * 10.0) / 10.0;
}

static int clamp_volume(int v)
{
	return v < 0 ? 0 : v > 150 ? 150 : v;
}

/* Wake the caller: one byte in the pipe (a full pipe is awake anyway). */
static void wake_locked(struct player *p)
{
	char c = 1;

	p->snap.seq++;
	if (write(p->wake[1], &c, 1) < 0 && errno != EAGAIN)
		log_msg("player: wake pipe: %s", strerror(errno));
}

static double bytes_per_sec(struct player *p)
{
	if (p->fsize > p->base && p->duration > 0)
		return (double)(p->fsize - p->base) / p->duration;
	return 16000.0; /* 128 kbit/s until we know better */
}

/* Fill position, buffering and cache fields of the snapshot (under mu). */
static void fill_snapshot_locked(struct player *p)
{
	struct player_snapshot *s = &p->snap;
	double pos = 0, bps = bytes_per_sec(p);

	if (p->rate > 0) {
		/* what the speed change holds, and what the device holds: each
		 * of its seconds is speed seconds of the episode */
		double held = dsp_held_frames(p->dsp) +
		              output_latency(p->out) * (double)p->rate * p->speed;
		pos = ((double)p->dec_pos - held) / (double)p->rate;
		if (pos < 0)
			pos = 0;
	}
	if (p->seek_event)
		pos = p->seek_target;
	else if (p->pending_seek >= 0)
		pos = p->pending_seek; /* a fresh decoder on its way there */
	s->pos = pos;
	s->duration = p->duration > 0 ? p->duration : p->hint;
	s->accurate = p->accurate;
	s->state = p->state;
	s->speed = p->speed;
	s->volume = p->volume;
	s->skip_silence = p->skip;
	s->silence_saved = dsp_saved(p->dsp);
	s->rate = p->rate;
	s->channels = p->channels;
	if (p->local) {
		s->buffered_to = s->duration > pos ? s->duration : pos;
		s->cached_fraction = 1.0;
		s->nspans = 1;
		s->spans[0].start = 0;
		s->spans[0].end = s->duration;
	} else if (p->cache != NULL) {
		long long r[PLAYER_MAX_SPANS][2];
		long long end = cache_contig_end(p->cache, p->feed_off);
		int i, n = cache_ranges(p->cache, r, PLAYER_MAX_SPANS);
		s->buffered_to = pos + (double)(end - p->feed_off) / bps;
		s->cached_fraction =
		        p->fsize > 0 ? (double)cache_held(p->cache) / (double)p->fsize : 0;
		s->nspans = n;
		for (i = 0; i < n; i++) {
			s->spans[i].start = (double)(r[i][0] - p->base) / bps;
			s->spans[i].end = (double)(r[i][1] - p->base) / bps;
			if (s->spans[i].start < 0)
				s->spans[i].start = 0;
		}
	}
}

static void publish(struct player *p)
{
	pthread_mutex_lock(&p->mu);
	fill_snapshot_locked(p);
	wake_locked(p);
	pthread_mutex_unlock(&p->mu);
	p->last_publish = time_mono();
}

static void set_state(struct player *p, enum player_state st)
{
	if (p->state == st)
		return;
	p->state = st;
	publish(p);
}

static void set_message(struct player *p, const char *msg)
{
	pthread_mutex_lock(&p->mu);
	if (strcmp(p->snap.message, msg) != 0) {
		snprintf(p->snap.message, sizeof p->snap.message, "%s", msg);
		wake_locked(p);
	}
	pthread_mutex_unlock(&p->mu);
}

static void fail(struct player *p, const char *fmt, ...) HARK_PRINTF(2, 3);
static void fail(struct player *p, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_msg("player: %s", msg);
	p->failed = true;
	pthread_mutex_lock(&p->mu);
	snprintf(p->snap.message, sizeof p->snap.message, "%s", msg);
	p->snap.errored = true;
	pthread_mutex_unlock(&p->mu);
	p->state = PLAYER_ERROR;
	publish(p);
}

static void close_episode(struct player *p)
{
	if (p->stream != NULL)
		stream_free(p->stream);
	p->stream = NULL;
	if (p->cache != NULL) {
		char *keep = str_dup(cache_path(p->cache));
		cache_close(p->cache);
		/* what this episode added may have gone over the limit */
		cache_evict(p->o_cache_dir, p->o.cache_max_bytes, keep);
		free(keep);
	}
	p->cache = NULL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	if (p->dec != NULL)
		p->dops->close(p->dec);
	p->dec = NULL;
	if (p->scan != NULL)
		p->dops->close(p->scan);
	p->scan = NULL;
	p->fix_pending = p->renumbered = false;
	free(p->url);
	p->url = NULL;
	p->open = false;
	pthread_mutex_lock(&p->mu);
	free(p->tag);
	p->tag = NULL;
	p->taglen = 0;
	pthread_mutex_unlock(&p->mu);
}

/* "%41" decoding for file:// URLs. */
static char *url_path(const char *u)
{
	char *o = malloc(strlen(u) + 1), *w = o;

	if (o == NULL)
		return NULL;
	for (; *u; u++) {
		if (u[0] == '%' && u[1] && u[2]) {
			char hx[3] = {u[1], u[2], 0};
			*w++ = (char)strtol(hx, NULL, 16);
			u += 2;
		} else {
			*w++ = *u;
		}
	}
	*w = '\0';
	return o;
}

static void open_episode(struct player *p, char *url, double start, double hint)
{
	struct err e;

	close_episode(p);
	p->url = url;
	p->open = true;
	p->local = false;
	p->have_format = p->done = p->failed = p->tag_done = p->checked_magic = false;
	p->seek_event = p->cbr_index = p->resync = p->first_sent = false;
	p->length_exact = false;
	p->accurate = true;
	p->base = p->feed_off = 0;
	p->fsize = -1;
	p->rate = 0;
	p->channels = 0;
	p->dec_pos = 0;
	p->discard = 0;
	p->out_frames = 0;
	p->duration = 0;
	p->hint = hint > 0 ? hint : 0;
	p->pending_seek = start > 0 ? start : -1;
	p->paused = false;
	pthread_mutex_lock(&p->mu);
	memset(&p->snap, 0, sizeof p->snap);
	pthread_mutex_unlock(&p->mu);
	p->state = PLAYER_BUFFERING;
	p->dops = &decoder_mpg123;
	p->dec = p->dops->open(&e);
	if (p->dec == NULL) {
		fail(p, "%s", e.msg);
		return;
	}
	if (str_case_starts_with(url, "http://") || str_case_starts_with(url, "https://")) {
		const char *dir = p->o_cache_dir;
		struct stream_opts so = {.cacert = p->o_cacert,
		                         .stall_timeout = p->o.stall_timeout,
		                         .max_retries = p->o.max_retries};
		p->cache = cache_open(dir, url, &e);
		if (p->cache == NULL) {
			fail(p, "%s", e.msg);
			return;
		}
		cache_evict(dir, p->o.cache_max_bytes, cache_path(p->cache));
		p->stream = stream_new(url, p->cache, &so, &e);
		if (p->stream == NULL) {
			fail(p, "%s", e.msg);
			return;
		}
		p->fsize = cache_size(p->cache);
	} else {
		char *path =
		        str_case_starts_with(url, "file://") ? url_path(url + 7) : str_dup(url);
		struct stat st;
		if (strstr(url, "://") != NULL && !str_case_starts_with(url, "file://")) {
			fail(p, "%s: unsupported URL scheme (http, https, file or a path)", url);
			free(path);
			return;
		}
		p->local = true;
		p->fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
		if (p->fd < 0 || fstat(p->fd, &st) != 0) {
			fail(p, "%s: %s", url, strerror(errno));
			free(path);
			return;
		}
		free(path);
		p->fsize = (long long)st.st_size;
	}
	publish(p);
}

/* Learn the stream's total size once the server said it. */
static void refresh_size(struct player *p)
{
	if (!p->local && p->fsize < 0 && p->cache != NULL)
		p->fsize = cache_size(p->cache);
}

/* Copy up to n source bytes at off; 0 when they are not there yet. */
static ssize_t src_read(struct player *p, long long off, void *buf, size_t n)
{
	if (p->local) {
		ssize_t r;
		do
			r = pread(p->fd, buf, n, (off_t)off);
		while (r < 0 && errno == EINTR);
		return r;
	}
	stream_want(p->stream, off);
	return cache_read(p->cache, off, buf, n);
}

/* Bytes are missing: report why, wait a little for them. Returns false on
 * a fatal stream error. */
static bool wait_bytes(struct player *p)
{
	struct stream_status st;

	if (p->local)
		return true;
	stream_get_status(p->stream, &st);
	if (st.failed) {
		fail(p, "%s", st.message);
		return false;
	}
	if (st.size >= 0 && p->fsize != st.size) {
		p->fsize = st.size;
		if (p->dec && p->have_format && p->fsize > p->base)
			p->dops->set_filesize(p->dec, p->fsize - p->base);
	}
	if (p->state == PLAYER_PLAYING || p->state == PLAYER_IDLE)
		set_state(p, PLAYER_BUFFERING);
	set_message(p, st.message[0] ? st.message : "buffering");
	stream_wait(p->stream, 0.02);
	return true;
}

/* The first bytes, past blanks and a UTF-8 BOM, open a tag: a web page or
 * XML, never audio (MP3 starts with "ID3" or a 0xff frame sync). */
static bool looks_like_markup(const unsigned char *b, size_t n)
{
	size_t i = 0;

	if (n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	return i < n && b[i] == '<';
}

/* "<html" or "<!doctype html" in the first 1 KiB, any case. */
static bool looks_like_html(const unsigned char *b, size_t n)
{
	char low[1024];
	size_t i;

	if (n > sizeof low - 1)
		n = sizeof low - 1;
	for (i = 0; i < n; i++)
		low[i] = b[i] == '\0' ? ' ' : (char)tolower(b[i]);
	low[n] = '\0';
	return strstr(low, "<html") != NULL || strstr(low, "<!doctype html") != NULL;
}

/* A Content-Type or the first bytes that say "not MP3". */
static const char *unsupported(struct player *p, const unsigned char *b, size_t n)
{
	static const char *const bad_types[] = {"audio/aac",  "audio/aacp",  "audio/ogg",
	                                        "audio/opus", "audio/mp4",   "audio/x-m4a",
	                                        "audio/m4a",  "audio/flac",  "audio/x-flac",
	                                        "audio/wav",  "audio/x-wav", "video/"};
	static char why[160];
	size_t i;

	if (!p->local) {
		struct stream_status st;
		stream_get_status(p->stream, &st);
		for (i = 0; i < HARK_ARRAY_LEN(bad_types); i++)
			if (str_case_starts_with(st.content_type, bad_types[i])) {
				char *t = text_sanitize(st.content_type, false);
				snprintf(why, sizeof why,
				         "unsupported format: %s (only MP3 is decoded)",
				         t ? t : "?");
				free(t);
				return why;
			}
	}
	if (looks_like_markup(b, n))
		return looks_like_html(b, n) ? "not MP3: an HTML page (a server's error page?)"
		                             : "not MP3: markup (XML or HTML), not audio";
	if (n >= 4 && memcmp(b, "OggS", 4) == 0)
		return "unsupported format: Ogg (only MP3 is decoded)";
	if (n >= 4 && memcmp(b, "fLaC", 4) == 0)
		return "unsupported format: FLAC (only MP3 is decoded)";
	if (n >= 8 && memcmp(b + 4, "ftyp", 4) == 0)
		return "unsupported format: MP4/AAC (only MP3 is decoded)";
	if (n >= 4 && memcmp(b, "RIFF", 4) == 0)
		return "unsupported format: WAV (only MP3 is decoded)";
	if (n >= 2 && b[0] == 0xff && (b[1] & 0xf6) == 0xf0)
		return "unsupported format: AAC (ADTS) (only MP3 is decoded)";
	if (n >= 4 && memcmp(b, "ADIF", 4) == 0)
		return "unsupported format: AAC (only MP3 is decoded)";
	return NULL;
}

/* Read the ID3v2 tag (kept for chapters) and set base past it. Returns
 * 1 when done, 0 when waiting for bytes, -1 on error. */
static int read_tag(struct player *p)
{
	unsigned char h[10];
	ssize_t n = src_read(p, 0, h, sizeof h);
	size_t size;
	unsigned char *tag;
	long long got = 0;

	if (n < 0) {
		fail(p, "%s: %s", p->url, strerror(errno));
		return -1;
	}
	if (n < 10 && !(p->fsize >= 0 && n == p->fsize))
		return 0;
	size = id3_tag_size(h, (size_t)n);
	if (size == 0 || size > MAX_TAG || (p->fsize >= 0 && (long long)size > p->fsize)) {
		p->base = 0;
	} else {
		if (!p->local && cache_contig_end(p->cache, 0) < (long long)size)
			return src_read(p, cache_contig_end(p->cache, 0), h, 1) >= 0 ? 0 : -1;
		tag = malloc(size);
		if (tag == NULL) {
			fail(p, "out of memory for a %zu byte ID3 tag", size);
			return -1;
		}
		while (got < (long long)size) {
			ssize_t r = src_read(p, got, tag + got, size - (size_t)got);
			if (r <= 0)
				break;
			got += r;
		}
		p->base = (long long)size;
		pthread_mutex_lock(&p->mu);
		free(p->tag);
		p->tag = tag;
		p->taglen = size;
		pthread_mutex_unlock(&p->mu);
	}
	p->feed_off = p->base;
	p->tag_done = true;
	pthread_mutex_lock(&p->mu);
	p->snap.id3_ready = true;
	wake_locked(p);
	pthread_mutex_unlock(&p->mu);
	log_msg("player: %s: audio starts at byte %lld", p->url, p->base);
	return 1;
}

/* Frame header fields that stay the same in a CBR stream. */
static bool same_header(const unsigned char *a, const unsigned char *b)
{
	return a[0] == 0xff && a[0] == b[0] && a[1] == b[1] && (a[2] & 0xfc) == (b[2] & 0xfc) &&
	       (a[3] & 0xc0) == (b[3] & 0xc0);
}

static void do_seek(struct player *p, double t);

/* The first frame is known: format, length, seek index. */
static void on_format(struct player *p)
{
	long rate;
	int ch;
	struct err e;
	bool first = !p->have_format;

	refresh_size(p);
	p->dops->format(p->dec, &rate, &ch);
	if (rate <= 0 || ch <= 0)
		return;
	if (first && p->fsize > p->base)
		p->dops->set_filesize(p->dec, p->fsize - p->base);
	if (first) {
		unsigned char fr[4096];
		ssize_t n = src_read(p, p->base, fr, sizeof fr);
		if (n >= 40 && fr[0] == 0xff) {
			size_t look = n < 200 ? (size_t)n : 200;
			if (memmem(fr, look, "Info", 4) != NULL ||
			    memmem(fr, look, "Xing", 4) != NULL) {
				p->dops->set_tag_frame(p->dec, true);
				p->length_exact = true; /* the tag counts the frames */
			}
			/* lame's Info tag marks a CBR file: an exact computed index */
			if (memmem(fr, look, "Info", 4) != NULL && p->fsize > p->base) {
				memcpy(p->hdr, fr, 4);
				/* the first audio frame follows the Info frame */
				{
					long long off = 0;
					size_t i;
					for (i = 4; i + 4 <= (size_t)n; i++)
						if (same_header(fr + i, fr)) {
							off = (long long)i;
							break;
						}
					if (off > 0 &&
					    p->dops->set_cbr_index(p->dec, off, p->fsize - p->base,
					                           p->hdr) == 0)
						p->cbr_index = true;
				}
			}
		}
		log_msg("player: %s: %ld Hz, %d ch, %s", p->url, rate, ch,
		        p->cbr_index ? "CBR (computed index)" : "VBR or untagged");
	}
	p->have_format = true;
	if (rate != p->rate || ch != p->channels) {
		p->rate = rate;
		p->channels = ch;
		if (output_open(p->out, rate, ch, &e) != 0) {
			fail(p, "%s", e.msg);
			return;
		}
		dsp_reset(p->dsp, rate, ch);
		pthread_mutex_lock(&p->mu);
		if (p->snap.nformats < PLAYER_MAX_FORMATS)
			p->snap.nformats++;
		p->snap.formats[p->snap.nformats - 1].rate = rate;
		p->snap.formats[p->snap.nformats - 1].channels = ch;
		pthread_mutex_unlock(&p->mu);
	}
	if (p->dops->length(p->dec) > 0)
		p->duration = (double)p->dops->length(p->dec) / (double)rate;
	publish(p);
	if (p->pending_seek >= 0) {
		double t = p->pending_seek;
		p->pending_seek = -1;
		do_seek(p, t);
	}
}

/* A fresh decoder, fed again from the first audio frame. */
static bool reopen_decoder(struct player *p)
{
	struct err e;
	struct decoder *d = p->dops->open(&e);

	if (d == NULL) {
		fail(p, "%s", e.msg);
		return false;
	}
	p->dops->close(p->dec);
	p->dec = d;
	p->have_format = false;
	p->cbr_index = false;
	p->feed_off = p->base;
	p->dec_pos = 0;
	p->resync = false;
	p->done = false;
	p->renumbered = false;
	return true;
}

static void drop_fix(struct player *p)
{
	if (p->scan != NULL)
		p->dops->close(p->scan);
	p->scan = NULL;
	p->fix_pending = p->fix_have_frame = false;
}

static void do_seek(struct player *p, double t)
{
	long long sample, in = 0, r;
	bool fuzzy = false;

	if (!p->have_format || p->dec == NULL) {
		p->pending_seek = t < 0 ? 0 : t;
		return;
	}
	drop_fix(p);
	if (p->renumbered) {
		/* the decoder's frame numbers are off since a corrected fuzzy
		 * seek: start a fresh one, seek once it knows the format */
		if (reopen_decoder(p))
			p->pending_seek = t < 0 ? 0 : t;
		return;
	}
	if (t < 0)
		t = 0;
	/* without a Xing/Info tag the decoder's length is a guess from the
	 * first frame: clamp to the feed's duration then, if any */
	if (p->length_exact && p->duration > 0 && t > p->duration)
		t = p->duration;
	else if (!p->length_exact && p->hint > 0 && t > p->hint)
		t = p->hint;
	sample = llround(t * (double)p->rate);
	if (!p->local && !p->cbr_index && !cache_complete(p->cache)) {
		struct stream_status st;
		double bps = bytes_per_sec(p);
		long long est = p->base + (long long)(t * bps);
		stream_get_status(p->stream, &st);
		if (st.no_range) {
			fuzzy = false; /* only reading forward can get there */
		} else {
			fuzzy = cache_contig_end(p->cache, p->base) < est + 65536;
		}
	}
	if (sample < 11520) {
		/* near the start: decode again from the first frame and drop the
		 * samples before the target (exact whatever the preroll does) */
		if (!reopen_decoder(p))
			return;
		p->discard = sample;
		p->accurate = true;
		p->seek_event = true;
		p->seek_target = t;
		dsp_reset(p->dsp, p->rate, p->channels);
		output_restart_clock(p->out);
		return;
	}
	p->discard = 0;
	r = p->dops->seek(p->dec, sample, fuzzy, &in);
	if (r < 0) {
		p->pending_seek = t;
		return;
	}
	p->feed_off = p->base + in;
	p->dec_pos = sample;
	p->accurate = !fuzzy;
	if (fuzzy) {
		p->fix_pending = true;
		p->fix_reported = t;
	}
	p->resync = p->cbr_index;
	p->done = false;
	p->seek_event = true;
	p->seek_target = t;
	dsp_reset(p->dsp, p->rate, p->channels);
	output_restart_clock(p->out);
	log_msg("player: seek %.3f s: sample %lld, byte %lld%s", t, r, p->feed_off,
	        fuzzy ? " (approximate)" : "");
}

/* Feed the decoder the next chunk; false when nothing could be fed. */
static bool feed(struct player *p)
{
	ssize_t n;

	refresh_size(p);
	if (p->fsize >= 0 && p->feed_off >= p->fsize)
		return false;
	n = src_read(p, p->feed_off, p->inbuf, sizeof p->inbuf);
	if (n < 0) {
		fail(p, "%s: %s", p->url, strerror(errno));
		return false;
	}
	if (n == 0) {
		if (p->local)
			p->fsize = p->feed_off;
		return false;
	}
	if (!p->checked_magic) {
		const char *why = unsupported(p, p->inbuf, (size_t)n);
		p->checked_magic = true;
		if (why != NULL) {
			fail(p, "%s", why);
			return false;
		}
	}
	if (p->resync) {
		/* a computed CBR index entry may be a byte or two early */
		ssize_t i;
		if (n < 8 && !(p->fsize >= 0 && p->feed_off + n >= p->fsize))
			return false;
		p->resync = false;
		for (i = 0; i + 4 <= n && i < 8; i++)
			if (same_header(p->inbuf + i, p->hdr))
				break;
		if (i + 4 <= n && i < 8 && i > 0) {
			p->feed_off += i;
			memmove(p->inbuf, p->inbuf + i, (size_t)(n - i));
			n -= i;
		}
	}
	if (p->dops->feed(p->dec, p->inbuf, (size_t)n) != DEC_OK) {
		fail(p, "decoder: %s", p->dops->strerror(p->dec));
		return false;
	}
	p->feed_off += n;
	return true;
}

static void play_pcm(struct player *p, const unsigned char *pcm, size_t bytes)
{
	long long before;
	size_t fb = (size_t)p->channels * 2, frames = bytes / fb, n, decoded = frames;
	const int16_t *o;
	bool events = false;

	if (p->discard > 0) {
		size_t drop = p->discard < (long long)frames ? (size_t)p->discard : frames;
		p->discard -= (long long)drop;
		p->dec_pos += (long long)drop;
		pcm += drop * fb;
		frames -= drop;
	}
	if (frames == 0)
		return;
	n = dsp_process(p->dsp, (const int16_t *)(const void *)pcm, frames, &o);
	before = p->out_frames;
	if (n > 0 && output_play(p->out, o, n * fb) != 0) {
		fail(p, "audio output %s: write failed", output_name(p->out));
		return;
	}
	p->out_frames += (long long)n;
	pthread_mutex_lock(&p->mu);
	if (!p->first_sent) {
		p->first_sent = true;
		p->snap.first_audio = true;
		events = true;
	}
	if (p->seek_event) {
		p->snap.seeked = true;
		p->snap.seek_target = p->seek_target;
		p->snap.seek_pos = (double)p->dec_pos / (double)p->rate;
		p->snap.seek_accurate = p->accurate;
		p->snap.corrected_then_seeked = p->snap.corrected;
		p->snap.seek_out_frames = before;
		p->seek_event = false;
		events = true;
	}
	pthread_mutex_unlock(&p->mu);
	p->dec_pos += (long long)frames;
	if (p->fix_pending && !p->fix_have_frame) {
		/* the first frame after the fuzzy seek (read alone, see step()):
		 * its offset, and the decoder's numbering offset (gapless) */
		int spf = p->dops->samples_per_frame(p->dec);
		long long f, off, next;
		if (spf > 0 && decoded == (size_t)spf &&
		    p->dops->frame_pos(p->dec, &f, &off, &next) == 0) {
			p->fix_off = p->base + off;
			p->fix_lag = (next - f * spf) - (p->dec_pos - (long long)decoded);
			p->fix_have_frame = true;
			p->fix_scan_off = p->base;
			log_msg("player: fuzzy seek landed on the frame at byte %lld (decoder "
			        "frame "
			        "%lld, next sample %lld, %lld claimed)",
			        p->fix_off, f, next, p->dec_pos - (long long)decoded);
		} else {
			drop_fix(p);
		}
	}
	if (p->state != PLAYER_PLAYING) {
		if (p->state == PLAYER_BUFFERING)
			set_message(p, "");
		p->state = PLAYER_PLAYING;
		events = true;
	}
	if (events || time_mono() - p->last_publish > 0.1)
		publish(p);
}

/* End of the bytes: drain the speed change, report the end. */
static void finish(struct player *p)
{
	const int16_t *o;
	size_t n = dsp_drain(p->dsp, &o);

	if (n > 0)
		output_play(p->out, o, n * (size_t)p->channels * 2);
	output_flush(p->out);
	p->done = true;
	pthread_mutex_lock(&p->mu);
	p->snap.ended = true;
	pthread_mutex_unlock(&p->mu);
	p->state = PLAYER_ENDED;
	publish(p);
	log_msg("player: %s: end", p->url);
}

#define SCAN_CHUNK (256 * 1024)
#define SCAN_PAST 8192   /* bytes past the landing frame: more than a frame */
#define RESEEK_AFTER 2.0 /* seconds off after which a corrected seek is redone */

/* After a fuzzy seek, count the frames before the one it landed on, a
 * chunk of cached bytes per call; when there, move the position by the
 * difference (the audio does not jump: the reported position becomes the
 * true one) and report the correction. */
static void fix_step(struct player *p)
{
	long long end, frame = 0, shift;
	ssize_t n;
	int rc;
	struct err e;
	int spf = p->dops->samples_per_frame(p->dec);

	if (p->local || p->cache == NULL || spf <= 0)
		return;
	end = cache_contig_end(p->cache, p->fix_scan_off);
	if (end <= p->fix_scan_off)
		return; /* waiting for the background fill */
	if (p->scan == NULL && (p->scan = p->dops->open(&e)) == NULL) {
		drop_fix(p);
		return;
	}
	if (end > p->fix_off + SCAN_PAST)
		end = p->fix_off + SCAN_PAST;
	if (end - p->fix_scan_off > SCAN_CHUNK)
		end = p->fix_scan_off + SCAN_CHUNK;
	if (end <= p->fix_scan_off) {
		rc = p->dops->count_to(p->scan, NULL, 0, p->fix_off - p->base, &frame);
	} else {
		unsigned char *buf = malloc((size_t)(end - p->fix_scan_off));
		n = buf ? cache_read(p->cache, p->fix_scan_off, buf,
		                     (size_t)(end - p->fix_scan_off))
		        : -1;
		if (n <= 0) {
			free(buf);
			if (n < 0)
				drop_fix(p);
			return;
		}
		p->fix_scan_off += n;
		rc = p->dops->count_to(p->scan, buf, (size_t)n, p->fix_off - p->base, &frame);
		free(buf);
	}
	if (rc == 0 && p->fix_scan_off < p->fix_off + SCAN_PAST &&
	    !(p->fsize >= 0 && p->fix_scan_off >= p->fsize))
		return;
	if (rc != 1) {
		log_msg("player: %s: cannot correct the approximate seek (no frame at byte %lld)",
		        p->url, p->fix_off);
		drop_fix(p);
		return;
	}
	shift = p->fix_lag + frame * (long long)spf;
	p->dec_pos += shift;
	p->accurate = true;
	p->renumbered = shift != 0;
	pthread_mutex_lock(&p->mu);
	p->snap.corrected = true;
	p->snap.corrected_target = p->seek_target;
	p->snap.corrected_reported = p->fix_reported;
	p->snap.corrected_pos = p->fix_reported + (double)shift / (double)p->rate;
	fill_snapshot_locked(p); /* the flag and the new position together */
	wake_locked(p);
	pthread_mutex_unlock(&p->mu);
	log_msg("player: %s: approximate seek to %.3f s corrected: it landed at %.3f s (frame "
	        "%lld, byte %lld)",
	        p->url, p->fix_reported, p->fix_reported + (double)shift / (double)p->rate, frame,
	        p->fix_off);
	drop_fix(p);
	publish(p);
	/* Landed far off: go where the listener asked (and has listened on
	 * from), now that every byte is cached and an exact seek gets there.
	 * That is where the position was believed to be before the fix. */
	if (llabs(shift) > (long long)(RESEEK_AFTER * (double)p->rate) &&
	    cache_complete(p->cache)) {
		double want = (double)(p->dec_pos - shift) / (double)p->rate;
		log_msg("player: %s: %.1f s off: seeking again to %.3f s", p->url,
		        (double)shift / (double)p->rate, want);
		do_seek(p, want);
	}
}

/* One step of decoding; returns false when it had to wait. */
static bool step(struct player *p)
{
	size_t done = 0, size = sizeof p->pcm;
	int rc;

	if (p->fix_have_frame)
		fix_step(p);
	/* A real-time output blocks (or --pace sleeps) for as long as the
	 * audio handed to it lasts, and commands wait meanwhile: 25 ms at a
	 * time keeps a seek or a pause prompt. */
	if ((output_is_live(p->out) || p->o.pace) && p->rate > 0 && p->channels > 0) {
		size_t quick = (size_t)(p->rate / 40) * (size_t)p->channels * 2;
		if (quick > 0 && quick < size)
			size = quick;
	}
	if (p->fix_pending && !p->fix_have_frame && p->have_format) {
		/* the first frame after a fuzzy seek is read alone (play_pcm) */
		size_t one = (size_t)p->dops->samples_per_frame(p->dec) * (size_t)p->channels * 2;
		if (one > 0 && one <= sizeof p->pcm)
			size = one;
	}

	if (!p->tag_done) {
		int r = read_tag(p);
		if (r == 0)
			return false;
		return r > 0;
	}
	rc = p->dops->read(p->dec, p->pcm, size, &done);
	switch (rc) {
	case DEC_NEW_FORMAT:
		on_format(p);
		return true;
	case DEC_OK:
		if (done > 0 && p->have_format)
			play_pcm(p, p->pcm, done);
		return true;
	case DEC_NEED_MORE:
		if (feed(p))
			return true;
		if (p->failed)
			return true;
		if (p->fsize >= 0 && p->feed_off >= p->fsize) {
			if (!p->have_format) {
				if (p->fsize == 0)
					fail(p, "%s: empty file (0 bytes): no MP3 audio", p->url);
				else
					fail(p, "%s: no MP3 audio found", p->url);
				return true;
			}
			finish(p);
			return true;
		}
		return false;
	case DEC_DONE:
		finish(p);
		return true;
	default:
		fail(p, "decoder: %s", p->dops->strerror(p->dec));
		return true;
	}
}

/* Take the commands posted since the last look and act on them. Called
 * with mu held; returns false to quit. */
static bool apply_mailbox(struct player *p)
{
	struct player_mailbox m = p->mb;

	memset(&p->mb, 0, sizeof p->mb);
	p->mb.pause = -1;
	if (m.quit)
		return false;
	pthread_mutex_unlock(&p->mu);
	if (m.stop) {
		close_episode(p);
		p->state = PLAYER_IDLE;
		publish(p);
	}
	if (m.open_url != NULL)
		open_episode(p, m.open_url, m.open_start, m.open_hint);
	if (m.has_speed) {
		p->speed = m.speed;
		dsp_set_speed(p->dsp, m.speed);
	}
	if (m.has_volume) {
		p->volume = m.volume;
		dsp_set_volume(p->dsp, m.volume);
	}
	if (m.has_skip) {
		p->skip = m.skip;
		dsp_set_skip_silence(p->dsp, m.skip);
	}
	if (m.has_seek && p->open && !p->failed) {
		double t = m.seek;
		if (m.seek_relative) {
			double cur;
			pthread_mutex_lock(&p->mu);
			fill_snapshot_locked(p);
			cur = p->seek_event          ? p->seek_target
			      : p->pending_seek >= 0 ? p->pending_seek
			                             : p->snap.pos;
			pthread_mutex_unlock(&p->mu);
			t += cur;
		}
		if (p->state == PLAYER_ENDED)
			p->state = PLAYER_BUFFERING;
		do_seek(p, t);
	}
	if (m.pause >= 0 && p->open) {
		bool on = m.pause == 2 ? !p->paused : m.pause == 1;
		if (on != p->paused) {
			p->paused = on;
			if (!on)
				output_restart_clock(p->out);
			if (on && p->state != PLAYER_ENDED && p->state != PLAYER_ERROR)
				p->state = PLAYER_PAUSED;
			else if (!on && p->state == PLAYER_PAUSED)
				p->state = PLAYER_BUFFERING;
		}
	}
	if (m.has_speed || m.has_volume || m.has_skip || m.pause >= 0 || m.has_seek)
		publish(p);
	pthread_mutex_lock(&p->mu);
	return true;
}

static void cond_wait_locked(struct player *p, double secs)
{
	struct timespec ts;
	long long ns;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = (long long)ts.tv_nsec + (long long)(secs * 1e9);
	ts.tv_sec += (time_t)(ns / 1000000000LL);
	ts.tv_nsec = (long)(ns % 1000000000LL);
	pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

static bool mailbox_empty_locked(const struct player *p)
{
	const struct player_mailbox *m = &p->mb;

	return !m->has_seek && m->pause < 0 && !m->has_speed && !m->has_volume && !m->has_skip &&
	       !m->stop && !m->quit && m->open_url == NULL;
}

static void *audio_main(void *arg)
{
	struct player *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (!mailbox_empty_locked(p) && !apply_mailbox(p))
			break;
		if (!p->open || p->done || p->failed || p->paused) {
			if (mailbox_empty_locked(p))
				cond_wait_locked(p, p->paused && !p->local ? 0.2 : 1.0);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		if (step(p)) {
			pthread_mutex_lock(&p->mu);
			continue;
		}
		pthread_mutex_lock(&p->mu);
		if (!p->failed && mailbox_empty_locked(p)) {
			pthread_mutex_unlock(&p->mu);
			wait_bytes(p);
			pthread_mutex_lock(&p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
	close_episode(p);
	return NULL;
}

struct player *player_new(const struct player_opts *o, struct err *e)
{
	struct player *p = calloc(1, sizeof *p);

	if (p == NULL) {
		err_set(e, "player: out of memory");
		return NULL;
	}
	p->o = *o;
	p->o_output = str_dup(o->output);
	p->o_cacert = str_dup(o->cacert);
	p->o_cache_dir =
	        o->cache_dir ? str_dup(o->cache_dir) : str_printf("%s/audio", paths_cache_dir());
	if (p->o.cache_max_bytes <= 0)
		p->o.cache_max_bytes = 2LL << 30;
	p->fd = -1;
	p->wake[0] = p->wake[1] = -1;
	p->mb.pause = -1;
	p->speed = clamp_speed(o->speed > 0 ? o->speed : 1.0);
	p->volume = clamp_volume(o->volume);
	p->skip = o->skip_silence;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->out = output_new(o->output, o->pace, o->stderr_to_log, e);
	p->dsp = dsp_new();
	if (p->out == NULL || p->dsp == NULL || pipe(p->wake) != 0) {
		if (p->dsp == NULL)
			err_set(e, "player: out of memory");
		player_free(p);
		return NULL;
	}
	fcntl(p->wake[0], F_SETFL, O_NONBLOCK);
	fcntl(p->wake[1], F_SETFL, O_NONBLOCK);
	fcntl(p->wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(p->wake[1], F_SETFD, FD_CLOEXEC);
	dsp_set_speed(p->dsp, p->speed);
	dsp_set_volume(p->dsp, p->volume);
	dsp_set_skip_silence(p->dsp, p->skip);
	if (pthread_create(&p->th, NULL, audio_main, p) != 0) {
		err_set(e, "player: cannot start the audio thread");
		close(p->wake[0]);
		close(p->wake[1]);
		p->wake[0] = p->wake[1] = -1;
		player_free(p);
		return NULL;
	}
	return p;
}

void player_free(struct player *p)
{
	if (p == NULL)
		return;
	if (p->wake[0] >= 0) {
		pthread_mutex_lock(&p->mu);
		p->mb.quit = true;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->th, NULL);
		close(p->wake[0]);
		close(p->wake[1]);
	}
	free(p->mb.open_url);
	output_free(p->out);
	dsp_free(p->dsp);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->o_output);
	free(p->o_cacert);
	free(p->o_cache_dir);
	free(p);
}

/* Post a command: lock, change the mailbox, signal. */
#define POST(p, stmt)                                                                              \
	do {                                                                                       \
		pthread_mutex_lock(&(p)->mu);                                                      \
		stmt;                                                                              \
		pthread_cond_signal(&(p)->cv);                                                     \
		pthread_mutex_unlock(&(p)->mu);                                                    \
	} while (0)

int player_open(struct player *p, const char *url_or_path, double start, double duration_hint)
{
	char *u;

	if (url_or_path == NULL || url_or_path[0] == '\0') {
		pthread_mutex_lock(&p->mu);
		snprintf(p->snap.message, sizeof p->snap.message, "nothing to play");
		pthread_mutex_unlock(&p->mu);
		return -1;
	}
	u = str_dup(url_or_path);
	if (u == NULL)
		return -1;
	POST(p, {
		free(p->mb.open_url);
		p->mb.open_url = u;
		p->mb.open_start = start;
		p->mb.open_hint = duration_hint;
		p->mb.has_seek = false;
		p->mb.stop = false;
	});
	return 0;
}

void player_seek(struct player *p, double t, bool relative)
{
	POST(p, player_mailbox_seek(&p->mb, t, relative));
}

void player_pause(struct player *p, bool on)
{
	POST(p, player_mailbox_pause(&p->mb, on ? 1 : 0));
}

void player_toggle(struct player *p)
{
	POST(p, player_mailbox_pause(&p->mb, 2));
}

void player_set_speed(struct player *p, double x)
{
	POST(p, {
		p->mb.has_speed = true;
		p->mb.speed = clamp_speed(x);
	});
}

void player_set_volume(struct player *p, int pct)
{
	POST(p, {
		p->mb.has_volume = true;
		p->mb.volume = clamp_volume(pct);
	});
}

void player_set_skip_silence(struct player *p, bool on)
{
	POST(p, {
		p->mb.has_skip = true;
		p->mb.skip = on;
	});
}

void player_stop(struct player *p)
{
	POST(p, {
		p->mb.stop = true;
		free(p->mb.open_url);
		p->mb.open_url = NULL;
		p->mb.has_seek = false;
	});
}

int player_wake_fd(const struct player *p)
{
	return p->wake[0];
}

void player_snapshot(struct player *p, struct player_snapshot *out)
{
	char drain[64];

	while (read(p->wake[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&p->mu);
	*out = p->snap;
	p->snap.first_audio = p->snap.seeked = false;
	p->snap.nformats = 0;
	p->snap.corrected = p->snap.corrected_then_seeked = false;
	p->snap.ended = p->snap.errored = p->snap.id3_ready = false;
	pthread_mutex_unlock(&p->mu);
}

unsigned char *player_id3_tag(struct player *p, size_t *len)
{
	unsigned char *c = NULL;

	pthread_mutex_lock(&p->mu);
	*len = 0;
	if (p->tag != NULL && (c = malloc(p->taglen)) != NULL) {
		memcpy(c, p->tag, p->taglen);
		*len = p->taglen;
	}
	pthread_mutex_unlock(&p->mu);
	return c;
}

int player_download(const char *url, const char *dest, const struct player_opts *o,
                    void (*progress)(void *arg, long long got, long long total), void *arg,
                    struct err *e)
{
	char *part = str_printf("%s.part", dest), *map = str_printf("%s.part.map", dest);
	struct cache *c = NULL;
	struct stream *s = NULL;
	struct stream_opts so = {.cacert = o ? o->cacert : NULL,
	                         .stall_timeout = o ? o->stall_timeout : 0,
	                         .max_retries = o ? o->max_retries : 0,
	                         .download = true};
	struct stream_status st;
	int rc = -1;

	if (part == NULL || map == NULL) {
		err_set(e, "download: out of memory");
		goto out;
	}
	if (!str_case_starts_with(url, "http://") && !str_case_starts_with(url, "https://")) {
		err_set(e, "download %s: only http and https URLs can be downloaded", url);
		goto out;
	}
	c = cache_open_path(part, e);
	if (c == NULL)
		goto out;
	s = stream_new(url, c, &so, e);
	if (s == NULL)
		goto out;
	for (;;) {
		stream_get_status(s, &st);
		if (progress != NULL)
			progress(arg, cache_held(c), cache_size(c));
		if (st.complete)
			break;
		if (st.failed) {
			err_set(e, "download %s", st.message);
			goto out;
		}
		stream_wait(s, 0.25);
	}
	stream_free(s);
	s = NULL;
	cache_close(c);
	c = NULL;
	if (rename(part, dest) != 0) {
		err_set(e, "download %s: %s", dest, strerror(errno));
		goto out;
	}
	unlink(map);
	rc = 0;
out:
	stream_free(s);
	cache_close(c);
	free(part);
	free(map);
	return rc;
}
