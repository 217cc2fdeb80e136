/* engine_pcmtool.c - measure PCM for the engine's tests (raw s16, native
 * endian):
 *   engine_pcmtool runs FILE RATE CHANNELS
 *       one line per stretch of sound ("START END" in seconds, 10 ms
 *       resolution; gaps shorter than 50 ms do not split a stretch)
 *   engine_pcmtool gain REF OUT PCT
 *       exit 0 when OUT is REF scaled by PCT % (truncated, saturated at the
 *       16-bit limits) sample for sample; prints the mismatches and clips */
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

int main(int argc, char **argv)
{
	FILE *f;
	long rate;
	int ch;
	size_t win, got, i;
	int16_t *buf;
	long long w = 0, start = -1, last = -1;

	if (argc == 5 && strcmp(argv[1], "gain") == 0)
		return check_gain(argv[2], argv[3], atoi(argv[4]));
	if (argc != 5 || strcmp(argv[1], "runs") != 0) {
		fprintf(stderr,
		        "usage: engine_pcmtool runs FILE RATE CHANNELS | gain REF OUT PCT\n");
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
				printf("%.2f %.2f\n", (double)start / 100,
				       (double)(last + 1) / 100);
				start = -1;
			}
			if (start < 0)
				start = w;
			last = w;
		}
		w++;
	}
	if (start >= 0)
		printf("%.2f %.2f\n", (double)start / 100, (double)(last + 1) / 100);
	free(buf);
	fclose(f);
	return 0;
}
