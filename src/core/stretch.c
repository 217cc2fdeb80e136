/* stretch.c - speed change with the pitch kept: pitch-synchronous overlap
 * and add (the PICOLA family, the method libsonic uses too).
 *
 * At each step the pitch period P of the audio at the read position is
 * found (AMDF: the lag with the smallest mean absolute difference between
 * the signal and itself shifted, searched coarsely on a ~4 kHz mono sum and
 * refined at the full rate around the two best coarse lags). Faster: one period is
 * cross-faded into the next, so P (or more, above 2x) input frames vanish
 * without a jump in the waveform. Slower: a period is played twice, the
 * repeat cross-faded in. Between the steps frames are copied through
 * unchanged, as many as keep the output/input ratio at the speed over the
 * whole run (the count is recomputed from the totals at every step, so
 * rounding never accumulates).
 *
 * Why not libsonic, which does the same: its search refines over +-4 coarse
 * steps at the full rate and re-mixes the window for every search; at 1.5x
 * it cost 4.4 times the decoding of the episode. See docs/internals/engine.md. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define PITCH_MIN_HZ 65
#define PITCH_MAX_HZ 400
#define COARSE_HZ 4000
#define SILENT 8 /* mean |sample| at or below which a window is silence (-72 dBFS) */

struct stretch {
	int ch;
	double speed;
	int minp, maxp; /* pitch period range, frames */
	int skip;       /* frames per coarse sample */
	int16_t *in;    /* input frames not yet used start at in + pos * ch */
	int32_t *mono;  /* per input frame, the sum of its channels */
	size_t len, pos, cap;
	int16_t *out; /* output of the current call */
	size_t olen, ocap;
	int32_t *work;        /* the coarse sums */
	int64_t *coarse;      /* their sums of differences, by coarse lag */
	long long used, made; /* input frames used, output frames made, since the speed was set */
	long long copy;       /* frames still to copy through before the next step */
};

struct stretch *stretch_new(long rate, int channels, double speed)
{
	struct stretch *st;

	if (rate <= 0 || channels <= 0)
		return NULL;
	st = calloc(1, sizeof *st);
	if (st == NULL)
		return NULL;
	st->ch = channels;
	st->minp = (int)(rate / PITCH_MAX_HZ);
	st->maxp = (int)(rate / PITCH_MIN_HZ);
	if (st->minp < 1)
		st->minp = 1;
	if (st->maxp < st->minp + 1)
		st->maxp = st->minp + 1;
	st->skip = rate > COARSE_HZ ? (int)(rate / COARSE_HZ) : 1;
	st->work = malloc((size_t)(2 * st->maxp / st->skip + 2) * sizeof *st->work);
	st->coarse = malloc((size_t)(st->maxp / st->skip + 2) * sizeof *st->coarse);
	if (st->work == NULL || st->coarse == NULL) {
		stretch_free(st);
		return NULL;
	}
	stretch_set_speed(st, speed);
	return st;
}

void stretch_free(struct stretch *st)
{
	if (st == NULL)
		return;
	free(st->in);
	free(st->mono);
	free(st->out);
	free(st->work);
	free(st->coarse);
	free(st);
}

void stretch_set_speed(struct stretch *st, double speed)
{
	st->speed = speed;
	st->used = st->made = 0;
	st->copy = fabs(speed - 1.0) < 1e-9 ? LLONG_MAX : 0; /* 1.0: copy all */
}

size_t stretch_held(const struct stretch *st)
{
	return st->len - st->pos;
}

static size_t grown(size_t cap, size_t frames)
{
	size_t n = cap ? cap : 4096;

	while (n < frames)
		n *= 2;
	return n;
}

static bool reserve(int16_t **p, size_t *cap, size_t frames, int ch)
{
	if (frames > *cap) {
		size_t n = grown(*cap, frames);
		int16_t *np = realloc(*p, n * (size_t)ch * sizeof **p);
		if (np == NULL)
			return false;
		*p = np;
		*cap = n;
	}
	return true;
}

/* Room for frames of input and of their channel sums. */
static bool reserve_input(struct stretch *st, size_t frames)
{
	if (frames > st->cap) {
		size_t n = grown(st->cap, frames);
		int32_t *m = realloc(st->mono, n * sizeof *m);
		if (m == NULL)
			return false;
		st->mono = m;
		if (!reserve(&st->in, &st->cap, n, st->ch))
			return false;
	}
	return true;
}

/* Sum of |a[i] - a[i + p]| for i < p; in blocks of 8 lanes, which the
 * compiler turns into vector instructions. */
static int64_t amdf(const int32_t *a, int p)
{
	int32_t lane[8] = {0};
	int64_t d = 0;
	int i = 0, k;

	for (; i + 8 <= p; i += 8)
		for (k = 0; k < 8; k++) {
			int32_t x = a[i + k] - a[i + k + p];
			lane[k] += x < 0 ? -x : x;
		}
	for (; i < p; i++) {
		int32_t x = a[i] - a[i + p];
		d += x < 0 ? -x : x;
	}
	for (k = 0; k < 8; k++)
		d += lane[k];
	return d;
}

/* Sum of |a[i]| for i < n, in blocks of 8 lanes as amdf(). */
static int64_t sum_abs(const int32_t *a, int n)
{
	int32_t lane[8] = {0};
	int64_t d = 0;
	int i = 0, k;

	for (; i + 8 <= n; i += 8)
		for (k = 0; k < 8; k++)
			lane[k] += a[i + k] < 0 ? -a[i + k] : a[i + k];
	for (; i < n; i++)
		d += a[i] < 0 ? -a[i] : a[i];
	for (k = 0; k < 8; k++)
		d += lane[k];
	return d;
}

/* The lag in [lo, hi] with the smallest mean difference (a[] holds 2 * hi
 * values). */
static int best_lag(const int32_t *a, int lo, int hi)
{
	int p, best = lo;
	int64_t bestd = -1;

	for (p = lo; p <= hi; p++) {
		int64_t d = amdf(a, p);
		if (bestd < 0 || d * best < bestd * p) {
			bestd = d;
			best = p;
		}
	}
	return best;
}

/* The full-rate lag in [c - half, c + half] (within [minp, maxp]) with the
 * smallest mean difference; *d gets its sum of differences. */
static int refine(const struct stretch *st, const int32_t *m, int c, int64_t *d)
{
	int half = (st->skip + 1) / 2, lo = c - half > st->minp ? c - half : st->minp,
	    hi = c + half < st->maxp ? c + half : st->maxp, p = best_lag(m, lo, hi);

	*d = amdf(m, p);
	return p;
}

/* Pitch period of the 2 * maxp frames whose channel sums are at m. The
 * coarse search keeps its two best local minima and refines both: a single
 * one picks, for one step in twenty of speech, a lag whose mean
 * difference is over 25 % worse than the best at the full rate; with two,
 * one in forty. */
static int find_period(struct stretch *st, const int32_t *m)
{
	int skip = st->skip, top = st->maxp, lo, hi = top / skip, n = 2 * hi, i, k, q, c1 = -1,
	    c2 = -1, p1, p2;
	int32_t *w = st->work;
	int64_t *dq = st->coarse, d1, d2;

	if (sum_abs(m, 2 * top) <= (int64_t)2 * top * SILENT * st->ch)
		return top; /* nothing to hear: the longest step */
	if (skip == 1)
		return best_lag(m, st->minp, top);
	for (i = 0; i < n; i++) {
		int32_t v = 0;
		for (k = 0; k < skip; k++)
			v += m[i * skip + k];
		w[i] = v;
	}
	lo = st->minp / skip < 1 ? 1 : st->minp / skip;
	for (q = lo; q <= hi; q++)
		dq[q] = amdf(w, q);
	for (q = lo; q <= hi; q++) { /* local minima of dq[q] / q */
		bool left = q == lo || dq[q] * (q - 1) <= dq[q - 1] * q,
		     right = q == hi || dq[q] * (q + 1) <= dq[q + 1] * q;
		if (!left || !right)
			continue;
		if (c1 < 0 || dq[q] * c1 < dq[c1] * q) {
			c2 = c1;
			c1 = q;
		} else if (c2 < 0 || dq[q] * c2 < dq[c2] * q) {
			c2 = q;
		}
	}
	if (c1 < 0)
		c1 = lo;
	p1 = refine(st, m, c1 * skip, &d1);
	if (c2 < 0)
		return p1;
	p2 = refine(st, m, c2 * skip, &d2);
	return d2 * p1 < d1 * p2 ? p2 : p1;
}

/* n output frames fading from a to b (weights in 1/32768); inlined with
 * a constant ch for mono and stereo, so that the compiler unrolls it. */
static inline void fade_ch(int16_t *o, const int16_t *a, const int16_t *b, int n, int ch)
{
	int64_t step = ((int64_t)32768 << 16) / n, w = 0;
	int i, c;

	for (i = 0; i < n; i++, w += step) {
		int32_t wb = (int32_t)(w >> 16), wa = 32768 - wb;
		for (c = 0; c < ch; c++) {
			int32_t v = a[c] * wa + b[c] * wb;
			o[c] = (int16_t)((v + 16384) >> 15);
		}
		o += ch, a += ch, b += ch;
	}
}

static void fade(int16_t *o, const int16_t *a, const int16_t *b, int n, int ch)
{
	if (ch == 2)
		fade_ch(o, a, b, n, 2);
	else if (ch == 1)
		fade_ch(o, a, b, n, 1);
	else
		fade_ch(o, a, b, n, ch);
}

/* The channel sums of n frames, the same way. */
static inline void mix_ch(int32_t *m, const int16_t *in, size_t n, size_t ch)
{
	size_t i, c;

	for (i = 0; i < n; i++) {
		int32_t v = 0;
		for (c = 0; c < ch; c++)
			v += in[i * ch + c];
		m[i] = v;
	}
}

static void mix(int32_t *m, const int16_t *in, size_t n, size_t ch)
{
	if (ch == 2)
		mix_ch(m, in, n, 2);
	else if (ch == 1)
		mix_ch(m, in, n, 1);
	else
		mix_ch(m, in, n, ch);
}

/* One step at the read position; false when there is not enough input. */
static bool step(struct stretch *st)
{
	size_t ch = (size_t)st->ch;
	const int16_t *s = st->in + st->pos * ch;
	double sp = st->speed;
	int p, n;

	if (st->len - st->pos < (size_t)(2 * st->maxp))
		return false;
	p = find_period(st, st->mono + st->pos);
	if (sp > 1) {
		n = sp > 2 ? (int)lround(p / (sp - 1)) : p;
		if (n < 1)
			n = 1;
		if (!reserve(&st->out, &st->ocap, st->olen + (size_t)n, st->ch))
			return false;
		fade(st->out + st->olen * ch, s, s + (size_t)p * ch, n, st->ch);
		st->olen += (size_t)n;
		st->pos += (size_t)(p + n);
		st->used += p + n;
		st->made += n;
		st->copy = llround(((double)st->used - sp * (double)st->made) / (sp - 1));
	} else {
		n = sp < 0.5 ? (int)lround(p * sp / (1 - sp)) : p;
		if (n < 1)
			n = 1;
		if (!reserve(&st->out, &st->ocap, st->olen + (size_t)(p + n), st->ch))
			return false;
		memcpy(st->out + st->olen * ch, s, (size_t)p * ch * sizeof *s);
		fade(st->out + (st->olen + (size_t)p) * ch, s + (size_t)p * ch, s, n, st->ch);
		st->olen += (size_t)(p + n);
		st->pos += (size_t)n;
		st->used += n;
		st->made += p + n;
		st->copy = llround((sp * (double)st->made - (double)st->used) / (1 - sp));
	}
	return true;
}

/* Copy up to st->copy frames straight through. */
static bool copy_through(struct stretch *st)
{
	size_t ch = (size_t)st->ch, n = st->len - st->pos;

	if (st->copy <= 0 || n == 0)
		return false;
	if ((long long)n > st->copy)
		n = (size_t)st->copy;
	if (!reserve(&st->out, &st->ocap, st->olen + n, st->ch))
		return false;
	memcpy(st->out + st->olen * ch, st->in + st->pos * ch, n * ch * sizeof *st->in);
	st->olen += n;
	st->pos += n;
	st->used += (long long)n;
	st->made += (long long)n;
	st->copy -= (long long)n;
	return true;
}

size_t stretch_process(struct stretch *st, const int16_t *in, size_t frames, bool last,
                       int16_t **out)
{
	size_t ch = (size_t)st->ch, rest;

	*out = st->out;
	st->olen = 0;
	if (st->pos > 0) { /* keep only what is not used yet */
		memmove(st->in, st->in + st->pos * ch, (st->len - st->pos) * ch * sizeof *st->in);
		memmove(st->mono, st->mono + st->pos, (st->len - st->pos) * sizeof *st->mono);
		st->len -= st->pos;
		st->pos = 0;
	}
	if (frames > 0) {
		if (!reserve_input(st, st->len + frames))
			return 0; /* out of memory: this input is lost */
		memcpy(st->in + st->len * ch, in, frames * ch * sizeof *in);
		mix(st->mono + st->len, in, frames, ch);
		st->len += frames;
	}
	while (copy_through(st) || (st->copy <= 0 && step(st)))
		;
	rest = st->len - st->pos;
	/* the last < 31 ms, shorter than a window, go out as they are */
	if (last && rest > 0 && reserve(&st->out, &st->ocap, st->olen + rest, st->ch)) {
		memcpy(st->out + st->olen * ch, st->in + st->pos * ch, rest * ch * sizeof *st->in);
		st->olen += rest;
	}
	if (last) {
		st->len = st->pos = 0;
		stretch_set_speed(st, st->speed);
	}
	*out = st->out;
	return st->olen;
}
