/* fuzz.h - shared bits of hark's fuzz targets (fuzz/fuzz_NAME.c).
 *
 * Each target defines LLVMFuzzerTestOneInput(). With --enable-fuzzing it is
 * linked with -fsanitize=fuzzer (libFuzzer's main); in every build it is
 * also linked with fuzz/driver.c into tests/fuzz/replay_<target>, which runs
 * the function once per file named on its command line. */
#ifndef HARK_FUZZ_H
#define HARK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hark/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd, NUL-terminated copy of the input (for APIs taking C strings;
 * an embedded NUL simply ends the string early). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		if (size)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* Abort loudly when a property the API promises does not hold: libFuzzer
 * and the replay driver both report the abort as a crash with this input. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(#cond, __FILE__, __LINE__);                                      \
	} while (0)

__attribute__((noreturn)) static inline void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
	abort();
}

/* True when s is what text_sanitize() promises: valid UTF-8 without C0/C1
 * controls, DEL or bidi overrides/isolates ('\n' allowed with
 * keep_newlines; never a tab). NULL counts as safe. */
static inline int fuzz_screen_safe(const char *s, int keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return 1;
	if (!text_utf8_valid(s, strlen(s)))
		return 0;
	while (*p) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			cp = *p, n = 1;
		} else if (*p < 0xe0) {
			cp = (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f), n = 2;
		} else if (*p < 0xf0) {
			cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 |
			     (p[2] & 0x3f);
			n = 3;
		} else {
			cp = (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3f) << 12 |
			     (unsigned)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
			n = 4;
		}
		if (cp == '\n') {
			if (!keep_newlines)
				return 0;
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			return 0;
		} else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
			return 0;
		}
		p += n;
	}
	return 1;
}

/* True for NULL or an http:// / https:// URL (any case). */
static inline int fuzz_http_url(const char *u)
{
	return !u || strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0;
}

#endif
