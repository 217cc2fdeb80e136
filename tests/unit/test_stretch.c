/* test_stretch.c - the pitch-keeping speed change (src/core/stretch.c):
 * length follows the speed all along, the pitch stays, the waveform has no
 * jumps, channels stay apart, the result does not depend on how the input
 * is cut into calls, and 1.0 copies. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/engine.h"
#include "tap.h"

#define PI 3.14159265358979323846

/* Frames of a voice-like signal: a harmonic tone whose pitch glides
 * between 110 and 240 Hz, with a little noise; R is L at half level when
 * stereo. */
static int16_t *voice(long rate, int ch, size_t frames)
{
	int16_t *s = malloc(frames * (size_t)ch * sizeof *s);
	double ph = 0;
	unsigned seed = 7;
	size_t i;

	for (i = 0; i < frames; i++) {
		double t = (double)i / (double)rate, f = 175 + 65 * sin(2 * PI * 0.3 * t), v;
		int h;
		ph += 2 * PI * f / (double)rate;
		v = 0;
		for (h = 1; h <= 6; h++)
			v += sin(h * ph) / h;
		seed = seed * 1103515245 + 12345;
		v = v * 6000 + (double)((seed >> 16) % 401) - 200;
		s[i * (size_t)ch] = (int16_t)lround(v);
		if (ch == 2)
			s[i * 2 + 1] = (int16_t)lround(v / 2);
	}
	return s;
}

static int16_t *sine(long rate, int ch, size_t frames, double hz, double amp)
{
	int16_t *s = malloc(frames * (size_t)ch * sizeof *s);
	size_t i;
	int c;

	for (i = 0; i < frames; i++)
		for (c = 0; c < ch; c++)
			s[i * (size_t)ch + (size_t)c] =
			        (int16_t)lround(amp * sin(2 * PI * hz * (double)i / (double)rate));
	return s;
}

struct run {
	int16_t *out;
	size_t frames, cap;
	double worst; /* largest |made - used / speed| after any call, frames */
	size_t held_max;
};

static void take(struct run *r, const int16_t *o, size_t n, int ch)
{
	if (n == 0)
		return;
	if (r->frames + n > r->cap) {
		r->cap = (r->frames + n) * 2;
		r->out = realloc(r->out, r->cap * (size_t)ch * sizeof *r->out);
	}
	memcpy(r->out + r->frames * (size_t)ch, o, n * (size_t)ch * sizeof *o);
	r->frames += n;
}

/* Feed in chunks of chunk frames (0: random sizes up to 5000). */
static struct run stretch_all(const int16_t *in, size_t frames, long rate, int ch, double speed,
                              size_t chunk)
{
	struct stretch *st = stretch_new(rate, ch, speed);
	struct run r = {0};
	size_t at = 0, chunk_len;
	unsigned seed = 3;
	int16_t *o;

	while (at < frames) {
		size_t n = chunk;
		double dev;
		if (n == 0) {
			seed = seed * 1103515245 + 12345;
			n = 1 + (seed >> 16) % 5000;
		}
		if (n > frames - at)
			n = frames - at;
		chunk_len = stretch_process(st, in + at * (size_t)ch, n, false, &o);
		take(&r, o, chunk_len, ch);
		at += n;
		if (stretch_held(st) > r.held_max)
			r.held_max = stretch_held(st);
		dev = fabs((double)r.frames - (double)(at - stretch_held(st)) / speed);
		if (dev > r.worst)
			r.worst = dev;
	}
	chunk_len = stretch_process(st, NULL, 0, true, &o);
	take(&r, o, chunk_len, ch);
	/* the end flushes what was held: the output ends on the input's last
	 * frame (the last window goes out as it is) */
	ok(stretch_held(st) == 0 && r.frames > 0 &&
	           memcmp(r.out + (r.frames - 1) * (size_t)ch, in + (frames - 1) * (size_t)ch,
	                  (size_t)ch * sizeof *in) == 0,
	   "speed %.1f: the end flushes the rest: the output ends on the input's last frame",
	   speed);
	stretch_free(st);
	return r;
}

/* Zero crossings per second of channel 0 from frame skip on. */
static double pitch_hz(const int16_t *s, size_t frames, int ch, long rate, size_t skip)
{
	size_t i, z = 0;

	for (i = skip + 1; i < frames; i++) {
		int a = s[(i - 1) * (size_t)ch], b = s[i * (size_t)ch];
		if ((a < 0) != (b < 0))
			z++;
	}
	return (double)z / 2 / ((double)(frames - skip) / (double)rate);
}

static void test_length(void)
{
	static const double speeds[] = {0.5, 0.6, 0.9, 1.1, 1.5, 2.0, 2.5, 3.0};
	long rate = 44100;
	size_t frames = 10 * 44100, i;
	int16_t *in = voice(rate, 2, frames);
	double maxp = rate / 65.0;

	for (i = 0; i < sizeof speeds / sizeof *speeds; i++) {
		double sp = speeds[i], want = (double)frames / sp;
		struct run r = stretch_all(in, frames, rate, 2, sp, 0);
		/* within 31 ms: the last window (under two longest periods) goes
		 * out unstretched */
		ok(fabs((double)r.frames - want) <= 2 * maxp,
		   "speed %.1f: %zu frames out of %zu (want %.0f)", sp, r.frames, frames, want);
		ok(r.worst <= 3 * maxp,
		   "speed %.1f: the output follows the speed after every call (off by %.0f frames "
		   "at most)",
		   sp, r.worst);
		ok(r.held_max < (size_t)(2 * maxp) + 1,
		   "speed %.1f: holds under two longest periods (%zu frames at most)", sp,
		   r.held_max);
		free(r.out);
	}
	free(in);
}

static void test_pitch_and_shape(void)
{
	static const double speeds[] = {0.5, 1.5, 2.0, 3.0};
	long rate = 44100;
	size_t frames = 4 * 44100, i, j;
	double amp = 12000, hz = 220;
	int16_t *in = sine(rate, 1, frames, hz, amp);
	/* the steepest step between two samples of that sine */
	double slope = amp * 2 * sin(PI * hz / (double)rate);

	for (i = 0; i < sizeof speeds / sizeof *speeds; i++) {
		double sp = speeds[i], f, jump = 0, low = amp;
		struct run r = stretch_all(in, frames, rate, 1, sp, 4096);
		f = pitch_hz(r.out, r.frames, 1, rate, 2000);
		ok(fabs(f - hz) < 2, "speed %.1f: a 220 Hz tone stays at 220 Hz (%.1f)", sp, f);
		for (j = 1; j < r.frames; j++) {
			double d = fabs((double)r.out[j] - r.out[j - 1]);
			if (d > jump)
				jump = d;
		}
		ok(jump <= slope * 1.02 + 2,
		   "speed %.1f: no jump in the waveform (largest step %.0f, the tone's own %.0f)",
		   sp, jump, slope);
		/* every period still reaches the tone's level: no dips where periods were joined */
		for (j = 0; j + 201 < r.frames - 400; j += 100) {
			size_t k;
			double peak = 0;
			for (k = j; k < j + 201; k++)
				if (fabs((double)r.out[k]) > peak)
					peak = fabs((double)r.out[k]);
			if (peak < low)
				low = peak;
		}
		ok(low > amp * 0.98, "speed %.1f: the level never dips (lowest peak %.0f of %.0f)",
		   sp, low, amp);
		free(r.out);
	}
	free(in);
}

static void test_channels_and_cuts(void)
{
	long rate = 48000;
	size_t frames = 6 * 48000, j, bad = 0;
	int16_t *in = voice(rate, 2, frames);
	struct run a = stretch_all(in, frames, rate, 2, 1.7, 0),
	           b = stretch_all(in, frames, rate, 2, 1.7, frames);

	ok(a.frames == b.frames && memcmp(a.out, b.out, a.frames * 2 * sizeof *a.out) == 0,
	   "the same output whether the input comes in random pieces or in one (%zu and %zu "
	   "frames)",
	   a.frames, b.frames);
	for (j = 0; j < a.frames; j++)
		if (abs(2 * a.out[j * 2 + 1] - a.out[j * 2]) > 3)
			bad++;
	ok(bad == 0, "both channels get the same joins: R stays half of L (%zu frames off)", bad);
	free(a.out);
	free(b.out);
	free(in);
}

static void test_copy_and_silence(void)
{
	long rate = 22050;
	size_t frames = 3 * 22050, j, loud = 0;
	int16_t *in = voice(rate, 1, frames), *zero = calloc(frames, sizeof *zero);
	struct run r = stretch_all(in, frames, rate, 1, 1.0, 0), q;

	ok(r.frames == frames && memcmp(r.out, in, frames * sizeof *in) == 0,
	   "speed 1.0 copies the input unchanged");
	free(r.out);
	q = stretch_all(zero, frames, rate, 1, 2.5, 0);
	for (j = 0; j < q.frames; j++)
		loud += q.out[j] != 0;
	ok(fabs((double)q.frames - (double)frames / 2.5) <= 2 * rate / 65.0 && loud == 0,
	   "silence at 2.5x: silence of 1/2.5 the length (%zu frames, %zu not zero)", q.frames,
	   loud);
	free(q.out);
	free(zero);
	free(in);
}

static void test_speed_change(void)
{
	long rate = 44100;
	size_t frames = 4 * 44100, half = frames / 2, total = 0, n;
	int16_t *in = voice(rate, 2, frames), *o;
	struct stretch *st = stretch_new(rate, 2, 2.0);

	total += stretch_process(st, in, half, false, &o);
	ok(fabs((double)total - (double)(half - stretch_held(st)) / 2.0) <= rate / 65.0,
	   "first half at 2x: half the length");
	stretch_set_speed(st, 0.5);
	n = stretch_process(st, in + half * 2, frames - half, true, &o);
	total += n;
	ok(fabs((double)total - (double)half / 2.0 - (double)(frames - half) * 2.0) <=
	           3 * rate / 65.0,
	   "then 0.5x: the second half twice as long (%zu frames in all)", total);
	stretch_free(st);
	free(in);
	ok(stretch_new(0, 2, 1.5) == NULL && stretch_new(44100, 0, 1.5) == NULL,
	   "no stretch for a rate or channel count of 0");
}

int main(void)
{
	test_length();
	test_pitch_and_shape();
	test_channels_and_cuts();
	test_copy_and_silence();
	test_speed_change();
	return tap_done();
}
