/* engine_pcmtool.c - measure PCM for the engine's tests (raw s16, native
 * endian):
 *   engine_pcmtool runs FILE RATE CHANNELS
 *       one line per stretch of sound ("START END LOUD" in seconds, 10 ms
 *       resolution; gaps shorter than 50 ms do not split a stretch, LOUD
 *       counts only the windows with sound, so a short underrun gap inside a
 *       stretch is not taken for audio)
 *   engine_pcmtool gain REF OUT PCT
 *       exit 0 when OUT is REF scaled by PCT % (truncated, saturated at the
 *       16-bit limits) sample for sample; prints the mismatches and clips
 *   engine_pcmtool find REF OUT RATE CHANNELS OUT_FRAME GUESS RANGE
 *       where OUT from frame OUT_FRAME on sits in REF: the frame of REF
 *       within GUESS +- RANGE where half a second of sound (the first one
 *       within 10 s that is not near silence, which would match any other
 *       silence) differs least (sum of absolute differences, coarse then
 *       fine); prints "FRAME MEAN_ABS_DIFF", exit 1 when nothing could be
 *       compared */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL 1000 /* about -30 dBFS: louder is sound */

/* OUT == saturate(REF * pct / 100) for every sample? */
static int check_gain(const char *ref, const char *out, int pct)
{
	FILE *a = fopen(ref, "rb"), *b = fopen(out, "rb");
	int16_t x, y;
	long long n = 0, bad = 0, clipped = 0;

	if (a == NULL || b == NULL) {
		fprintf(stderr, "engine_pcmtool: cannot read %s or %s\n", ref, out);
		return 1;
	}
	while (fread(&x, sizeof x, 1, a) == 1) {
		long v = (long)x * pct / 100;
		if (fread(&y, sizeof y, 1, b) != 1) {
			bad++;
			break;
		}
		if (v > 32767 || v < -32768)
			clipped++;
		v = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
		if (y != v)
			bad++;
		n++;
	}
	if (fread(&y, sizeof y, 1, b) == 1)
		bad++; /* OUT is longer */
	printf("%lld samples, %lld clipped, %lld mismatched\n", n, clipped, bad);
	fclose(a);
	fclose(b);
	return bad == 0 && n > 0 ? 0 : 1;
}

/* Frames [from, from + n) of a raw file, channels summed to mono; the
 * count read in *got. */
static int32_t *mono(const char *path, int ch, long long from, size_t n, size_t *got)
{
	FILE *f = fopen(path, "rb");
	int16_t *raw = malloc(n * (size_t)ch * sizeof *raw);
	int32_t *m = malloc(n * sizeof *m);
	size_t i, r = 0;
	int c;

	*got = 0;
	if (f == NULL || raw == NULL || m == NULL || from < 0 ||
	    fseeko(f, (off_t)(from * ch * 2), SEEK_SET) != 0) {
		if (f != NULL)
			fclose(f);
		free(raw);
		free(m);
		return NULL;
	}
	r = fread(raw, (size_t)ch * sizeof *raw, n, f);
	fclose(f);
	for (i = 0; i < r; i++) {
		m[i] = 0;
		for (c = 0; c < ch; c++)
			m[i] += raw[i * (size_t)ch + (size_t)c];
	}
	free(raw);
	*got = r;
	return m;
}

/* Sum of |a[i*step] - b[i*step]| over n samples. */
static long long sad(const int32_t *a, const int32_t *b, size_t n, size_t step)
{
	long long d = 0;
	size_t i;

	for (i = 0; i < n; i += step)
		d += llabs((long long)a[i] - b[i]);
	return d;
}

static int find(char **argv)
{
	int ch = atoi(argv[5]);
	long rate = atol(argv[4]);
	long long at = atoll(argv[6]), guess = atoll(argv[7]), range = atoll(argv[8]);
	long long lo = guess - range < 0 ? 0 : guess - range, k, best = -1, fine_lo, fine_hi;
	long long best_d = -1;
	size_t win = (size_t)(rate / 2), nout, nref, skip = 0, i;
	int32_t *out, *ref, *o;

	if (ch <= 0 || rate <= 0 || range < 0)
		return 1;
	out = mono(argv[3], ch, at, (size_t)rate * 10 + win, &nout);
	/* the first half second of sound: mean |sample| above ~-36 dBFS */
	for (skip = 0; out != NULL && skip + win <= nout; skip += (size_t)rate / 10) {
		long long e = 0;
		for (i = 0; i < win; i++)
			e += llabs((long long)out[skip + i]);
		if (e / (long long)win > 500 * ch)
			break;
	}
	if (out != NULL && skip + win > nout)
		nout = 0;
	else
		nout = win;
	o = out != NULL ? out + skip : NULL;
	guess += (long long)skip;
	lo = guess - range < 0 ? 0 : guess - range;
	ref = mono(argv[2], ch, lo, (size_t)(guess + range - lo) + win, &nref);
	if (out == NULL || ref == NULL || nout == 0 || nref < nout) {
		fprintf(stderr, "engine_pcmtool: nothing to compare\n");
		free(out);
		free(ref);
		return 1;
	}
	/* every 8th frame at every 8th candidate, then all frames near the best */
	for (k = 0; k + (long long)nout <= (long long)nref; k += 8) {
		long long d = sad(ref + k, o, nout, 8);
		if (best_d < 0 || d < best_d)
			best_d = d, best = k;
	}
	fine_lo = best - 16 < 0 ? 0 : best - 16;
	fine_hi = best + 16;
	best_d = -1;
	for (k = fine_lo; k <= fine_hi && k + (long long)nout <= (long long)nref; k++) {
		long long d = sad(ref + k, o, nout, 1);
		if (best_d < 0 || d < best_d)
			best_d = d, best = k;
	}
	printf("%lld %.2f\n", lo + best - (long long)skip, (double)best_d / (double)nout);
	free(out);
	free(ref);
	return 0;
}

int main(int argc, char **argv)
{
	FILE *f;
	long rate;
	int ch;
	size_t win, got, i;
	int16_t *buf;
	long long w = 0, start = -1, last = -1, loud_n = 0;

	if (argc == 9 && strcmp(argv[1], "find") == 0)
		return find(argv);
	if (argc == 5 && strcmp(argv[1], "gain") == 0)
		return check_gain(argv[2], argv[3], atoi(argv[4]));
	if (argc != 5 || strcmp(argv[1], "runs") != 0) {
		fprintf(stderr,
		        "usage: engine_pcmtool runs FILE RATE CHANNELS | gain REF OUT PCT | "
		        "find REF OUT RATE CHANNELS OUT_FRAME GUESS RANGE\n");
		return 1;
	}
	f = fopen(argv[2], "rb");
	rate = atol(argv[3]);
	ch = atoi(argv[4]);
	if (f == NULL || rate <= 0 || ch <= 0) {
		fprintf(stderr, "engine_pcmtool: cannot read %s\n", argv[2]);
		return 1;
	}
	win = (size_t)(rate / 100) * (size_t)ch; /* 10 ms windows */
	buf = malloc(win * sizeof *buf);
	if (buf == NULL)
		return 1;
	while ((got = fread(buf, sizeof *buf, win, f)) > 0) {
		int loud = 0;
		for (i = 0; i < got; i++)
			if (buf[i] > LEVEL || buf[i] < -LEVEL)
				loud = 1;
		if (loud) {
			if (start >= 0 && w - last > 5) {
				printf("%.2f %.2f %.2f\n", (double)start / 100,
				       (double)(last + 1) / 100, (double)loud_n / 100);
				start = -1;
			}
			if (start < 0)
				start = w, loud_n = 0;
			last = w;
			loud_n++;
		}
		w++;
	}
	if (start >= 0)
		printf("%.2f %.2f %.2f\n", (double)start / 100, (double)(last + 1) / 100,
		       (double)loud_n / 100);
	free(buf);
	fclose(f);
	return 0;
}
