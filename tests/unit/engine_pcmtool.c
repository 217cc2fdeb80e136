/* engine_pcmtool.c - measure what a recording holds, for the engine's
 * real-time tests: `engine_pcmtool runs FILE RATE CHANNELS` prints one line
 * per stretch of sound ("START END" in seconds, 10 ms resolution; gaps
 * shorter than 50 ms do not split a stretch). Input: raw s16 native endian. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL 1000 /* about -30 dBFS: louder is sound */

int main(int argc, char **argv)
{
	FILE *f;
	long rate;
	int ch;
	size_t win, got, i;
	int16_t *buf;
	long long w = 0, start = -1, last = -1;

	if (argc != 5 || strcmp(argv[1], "runs") != 0) {
		fprintf(stderr, "usage: engine_pcmtool runs FILE RATE CHANNELS\n");
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
