/* decoder_mpg123.c - the MP3 decoder: libmpg123 in feed mode. */
#include "config.h"

#include <mpg123.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"

struct decoder {
	mpg123_handle *mh;
	bool tag_frame; /* the first frame is a Xing/Info tag */
	off_t *index;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
	mpg123_init();
}

static struct decoder *m_open(struct err *e)
{
	struct decoder *d = calloc(1, sizeof *d);
	int rc = MPG123_OK;

	pthread_once(&init_once, lib_init);
	if (d == NULL) {
		err_set(e, "decoder: out of memory");
		return NULL;
	}
	d->mh = mpg123_new(NULL, &rc);
	if (d->mh == NULL) {
		err_set(e, "decoder: %s", mpg123_plain_strerror(rc));
		free(d);
		return NULL;
	}
	/* Quiet; gapless is the default. No forced format: resampling would
	 * break sample-exact positions. */
	mpg123_param(d->mh, MPG123_ADD_FLAGS, MPG123_QUIET, 0);
	/* Look for the next frame through up to 1 MiB of garbage (libmpg123's
	 * default gives up after 1 KiB and ends the episode with an error). */
	mpg123_param(d->mh, MPG123_RESYNC_LIMIT, 1L << 20, 0);
	mpg123_param(d->mh, MPG123_REMOVE_FLAGS, MPG123_FUZZY, 0);
	if (mpg123_open_feed(d->mh) != MPG123_OK) {
		err_set(e, "decoder: %s", mpg123_strerror(d->mh));
		mpg123_delete(d->mh);
		free(d);
		return NULL;
	}
	return d;
}

static void m_close(struct decoder *d)
{
	if (d == NULL)
		return;
	mpg123_delete(d->mh);
	free(d->index);
	free(d);
}

static int m_feed(struct decoder *d, const unsigned char *p, size_t n)
{
	return mpg123_feed(d->mh, p, n) == MPG123_OK ? DEC_OK : DEC_ERROR;
}

static int m_read(struct decoder *d, unsigned char *out, size_t size, size_t *done)
{
	int rc = mpg123_read(d->mh, out, size, done);

	switch (rc) {
	case MPG123_OK:
		return DEC_OK;
	case MPG123_NEED_MORE:
		return *done > 0 ? DEC_OK : DEC_NEED_MORE;
	case MPG123_NEW_FORMAT:
		return DEC_NEW_FORMAT;
	case MPG123_DONE:
		return DEC_DONE;
	default:
		/* damaged frames are skipped by mpg123; only hard errors stop */
		if (*done > 0)
			return DEC_OK;
		return DEC_ERROR;
	}
}

static void m_format(struct decoder *d, long *rate, int *channels)
{
	int enc = 0;

	*rate = 0;
	*channels = 0;
	mpg123_getformat(d->mh, rate, channels, &enc);
}

static long long m_seek(struct decoder *d, long long sample, bool fuzzy, long long *input_off)
{
	off_t in = 0, r;

	if (!fuzzy) {
		/* The synthesis filter's buffer phase after a seek depends on the
		 * frame where decoding restarts: a restart frame in step with an
		 * uninterrupted decode gives bit-identical output. Choose the
		 * number of preroll frames to get there. */
		long delay = -1, tf, pf;
		int spf = mpg123_spf(d->mh);
		mpg123_getstate(d->mh, MPG123_ENC_DELAY, &delay, NULL);
		tf = spf > 0 ? (long)((sample + (delay >= 0 ? delay + 529 : 0)) / spf) : 0;
		pf = (tf - (d->tag_frame ? 1 : 0)) % 8;
		while (pf < 2)
			pf += 8;
		if (tf < 10)
			pf = tf; /* restart from the first frame */
		mpg123_param(d->mh, MPG123_PREFRAMES, pf, 0);
	}
	mpg123_param(d->mh, fuzzy ? MPG123_ADD_FLAGS : MPG123_REMOVE_FLAGS, MPG123_FUZZY, 0);
	r = mpg123_feedseek(d->mh, (off_t)sample, SEEK_SET, &in);
	if (!fuzzy)
		mpg123_param(d->mh, MPG123_PREFRAMES, 4, 0); /* libmpg123's default */
	log_msg("decoder: seek to sample %lld: frame %ld, feed from %lld", sample,
	        (long)mpg123_tellframe(d->mh), (long long)in);
	mpg123_param(d->mh, MPG123_REMOVE_FLAGS, MPG123_FUZZY, 0);
	if (r < 0)
		return -1;
	*input_off = (long long)in;
	return (long long)r;
}

static long long m_length(struct decoder *d)
{
	off_t n = mpg123_length(d->mh);

	return n > 0 ? (long long)n : 0;
}

static void m_set_filesize(struct decoder *d, long long bytes)
{
	mpg123_set_filesize(d->mh, (off_t)bytes);
}

/* Bytes of frame n counted from the first audio frame, for a CBR stream:
 * lame spreads the padding slots evenly, so this is exact or at most a byte
 * or two short; the player resyncs forward on the header. */
static int m_set_cbr_index(struct decoder *d, long long first_frame, long long total_bytes,
                           const unsigned char hdr[4])
{
	struct mpg123_frameinfo fi;
	long long step = 128, nframes, k, fill, num, den;
	int spf = mpg123_spf(d->mh);

	(void)hdr;
	if (mpg123_info(d->mh, &fi) != MPG123_OK || fi.bitrate <= 0 || fi.rate <= 0 || spf <= 0)
		return -1;
	if (fi.layer == 1)
		return -1;
	num = (long long)spf * fi.bitrate * 1000;
	den = 8LL * fi.rate;
	/* entries only for frames wholly inside the file */
	nframes = (total_bytes - first_frame) * den / num - 1;
	if (nframes < 1)
		return -1;
	fill = (nframes - 1) / step + 1;
	free(d->index);
	d->index = malloc((size_t)fill * sizeof *d->index);
	if (d->index == NULL)
		return -1;
	for (k = 0; k < fill; k++)
		d->index[k] = (off_t)(first_frame + (k * step * num) / den);
	if (mpg123_set_index(d->mh, d->index, (off_t)step, (size_t)fill) != MPG123_OK)
		return -1;
	return 0;
}

static void m_set_tag_frame(struct decoder *d, bool on)
{
	d->tag_frame = on;
}

/* mpg123_tell() counts from the frame numbers; after a fuzzy seek it is
 * the true place in the decoder's numbering, while the sample the seek
 * returned is only the one asked for. */
static int m_frame_pos(struct decoder *d, long long *frame, long long *off, long long *next_sample)
{
	off_t f = mpg123_tellframe(d->mh), o = mpg123_framepos(d->mh), t = mpg123_tell(d->mh);

	if (f < 0 || o < 0 || t < 0)
		return -1;
	*frame = (long long)f;
	*off = (long long)o;
	*next_sample = (long long)t;
	return 0;
}

static int m_samples_per_frame(struct decoder *d)
{
	int n = mpg123_spf(d->mh);

	return n > 0 ? n : 0;
}

/* mpg123_framebyframe_next() parses a frame without decoding it. */
static int m_count_to(struct decoder *d, const unsigned char *p, size_t n, long long off,
                      long long *frame)
{
	if (n > 0 && mpg123_feed(d->mh, p, n) != MPG123_OK)
		return -1;
	for (;;) {
		int rc = mpg123_framebyframe_next(d->mh);
		off_t at;
		if (rc == MPG123_NEED_MORE)
			return 0;
		if (rc != MPG123_OK && rc != MPG123_NEW_FORMAT)
			return -1;
		at = mpg123_framepos(d->mh);
		if ((long long)at == off) {
			*frame = (long long)mpg123_tellframe(d->mh);
			return 1;
		}
		if ((long long)at > off)
			return -1;
	}
}

static const char *m_strerror(struct decoder *d)
{
	return mpg123_strerror(d->mh);
}

const struct decoder_ops decoder_mpg123 = {
        .name = "mpg123",
        .open = m_open,
        .close = m_close,
        .feed = m_feed,
        .read = m_read,
        .format = m_format,
        .seek = m_seek,
        .length = m_length,
        .set_filesize = m_set_filesize,
        .set_cbr_index = m_set_cbr_index,
        .set_tag_frame = m_set_tag_frame,
        .frame_pos = m_frame_pos,
        .samples_per_frame = m_samples_per_frame,
        .count_to = m_count_to,
        .strerror = m_strerror,
};
