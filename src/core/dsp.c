/* dsp.c - what happens to the PCM between the decoder and the device:
 * skip silence, then the pitch-keeping speed change of stretch.c (bypassed
 * at 1.0x), then software gain with saturation. At 1.0x, 100 % and without
 * skip silence the samples pass through untouched (bit-exact output). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define SILENCE_LEVEL 328 /* about -40 dBFS */
#define SILENCE_KEEP 0.6  /* seconds of each pause that are kept */

struct dsp {
	long rate;
	int channels;
	double speed;
	int volume;
	bool skip;
	struct stretch *st;   /* made when first needed, again after a reset */
	bool stretching;      /* st holds audio */
	long long silent_run; /* frames of silence in a row */
	long long dropped;    /* frames of silence dropped */
	int16_t *a;           /* work buffer */
	size_t acap;          /* in samples */
};

struct dsp *dsp_new(void)
{
	struct dsp *d = calloc(1, sizeof *d);

	if (d == NULL)
		return NULL;
	d->speed = 1.0;
	d->volume = 100;
	return d;
}

void dsp_free(struct dsp *d)
{
	if (d == NULL)
		return;
	stretch_free(d->st);
	free(d->a);
	free(d);
}

void dsp_reset(struct dsp *d, long rate, int channels)
{
	stretch_free(d->st);
	d->st = NULL;
	d->stretching = false;
	d->rate = rate;
	d->channels = channels;
	d->silent_run = 0;
}

void dsp_set_speed(struct dsp *d, double speed)
{
	d->speed = speed;
	if (d->st != NULL)
		stretch_set_speed(d->st, speed);
}

void dsp_set_volume(struct dsp *d, int pct)
{
	d->volume = pct;
}

void dsp_set_skip_silence(struct dsp *d, bool on)
{
	d->skip = on;
	d->silent_run = 0;
}

static int16_t *grow(int16_t **p, size_t *cap, size_t n)
{
	if (n > *cap) {
		int16_t *np = realloc(*p, n * sizeof **p);
		if (np == NULL)
			return NULL;
		*p = np;
		*cap = n;
	}
	return *p;
}

void dsp_gain(int16_t *s, size_t n, int pct)
{
	size_t i;

	for (i = 0; i < n; i++) {
		long v = (long)s[i] * pct / 100;
		s[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
}

/* Copy frames of in to out except silence beyond SILENCE_KEEP seconds. */
static size_t skip_silence(struct dsp *d, const int16_t *in, size_t frames, int16_t *out)
{
	size_t i, o = 0, ch = (size_t)d->channels;
	long long keep = (long long)(SILENCE_KEEP * (double)d->rate);

	for (i = 0; i < frames; i++) {
		const int16_t *f = in + i * ch;
		bool quiet = true;
		size_t c;
		for (c = 0; c < ch; c++)
			if (f[c] > SILENCE_LEVEL || f[c] < -SILENCE_LEVEL)
				quiet = false;
		d->silent_run = quiet ? d->silent_run + 1 : 0;
		if (quiet && d->silent_run > keep) {
			d->dropped++;
			continue;
		}
		memmove(out + o * ch, f, ch * sizeof *f);
		o++;
	}
	return o;
}

size_t dsp_process(struct dsp *d, const int16_t *in, size_t frames, const int16_t **out)
{
	size_t ch = (size_t)(d->channels > 0 ? d->channels : 1), n = frames;
	const int16_t *cur = in;
	bool bypass_speed = fabs(d->speed - 1.0) < 1e-6;

	if (!d->skip && bypass_speed && !d->stretching && d->volume == 100) {
		*out = in;
		return frames;
	}
	if (d->skip) {
		if (grow(&d->a, &d->acap, frames * ch) == NULL)
			return *out = in, frames;
		n = skip_silence(d, in, frames, d->a);
		cur = d->a;
	}
	if (!bypass_speed || d->stretching) {
		int16_t *o;
		if (d->st == NULL) {
			d->st = stretch_new(d->rate, d->channels, d->speed);
			if (d->st == NULL)
				return *out = in, frames;
		}
		/* back at 1.0: what it holds goes out, then it is bypassed */
		n = stretch_process(d->st, cur, n, bypass_speed, &o);
		d->stretching = !bypass_speed;
		cur = o;
	}
	if (d->volume != 100) {
		if (cur == in) {
			if (grow(&d->a, &d->acap, n * ch) == NULL)
				return *out = in, frames;
			memcpy(d->a, in, n * ch * sizeof *in);
			cur = d->a;
		}
		dsp_gain((int16_t *)(uintptr_t)cur, n * ch, d->volume);
	}
	*out = cur;
	return n;
}

size_t dsp_drain(struct dsp *d, const int16_t **out)
{
	int16_t *o;
	size_t n;

	*out = NULL;
	if (!d->stretching)
		return 0;
	n = stretch_process(d->st, NULL, 0, true, &o);
	d->stretching = false;
	if (d->volume != 100)
		dsp_gain(o, n * (size_t)d->channels, d->volume);
	*out = o;
	return n;
}

double dsp_held_frames(const struct dsp *d)
{
	/* input frames not yet used; what is queued for output is already
	 * counted as written by the caller */
	return d->stretching ? (double)stretch_held(d->st) : 0.0;
}

double dsp_saved(const struct dsp *d)
{
	return d->rate > 0 ? (double)d->dropped / (double)d->rate : 0.0;
}
