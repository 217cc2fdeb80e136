/* timeutil.c - clocks and "12:03"-style times. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hark/util.h"

double time_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *time_format(double secs, char *buf, size_t len)
{
	long t, h, m, s;

	/* beyond 1e15 s (and for inf) the cast to long would be undefined */
	if (isnan(secs) || secs < 0 || secs >= 1e15) {
		snprintf(buf, len, "--:--");
		return buf;
	}
	t = (long)secs;
	h = t / 3600;
	m = (t / 60) % 60;
	s = t % 60;
	if (h > 0)
		snprintf(buf, len, "%ld:%02ld:%02ld", h, m, s);
	else
		snprintf(buf, len, "%ld:%02ld", m, s);
	return buf;
}

double time_parse_clock(const char *s)
{
	double parts[3], frac = 0;
	int n = 0;
	char *end;

	if (s == NULL)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	for (;;) {
		if (!isdigit((unsigned char)*s))
			return -1;
		parts[n++] = (double)strtol(s, &end, 10);
		s = end;
		if (*s == ':' && n < 3) {
			s++;
			continue;
		}
		break;
	}
	if (*s == '.') {
		/* digits only: strtod alone would take ".5e999" (inf) or hex */
		frac = strtod(s, &end);
		if (end != s + 1 + strspn(s + 1, "0123456789"))
			return -1;
		s = end;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0')
		return -1;
	if (n == 1)
		return parts[0] + frac;
	if (n == 2)
		return parts[0] * 60 + parts[1] + frac;
	return parts[0] * 3600 + parts[1] * 60 + parts[2] + frac;
}
