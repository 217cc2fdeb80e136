/* uitext.h - text measured in terminal columns (wcwidth): width, cutting
 * with "…", and word wrapping. No curses here, so it is unit-tested. */
#ifndef HARK_UI_UITEXT_H
#define HARK_UI_UITEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Display width of UTF-8 s (CJK and emoji 2, combining marks 0). Characters
 * the terminal cannot print count as 1 (uitext_fit shows them as U+FFFD). */
int uitext_width(const char *s);
/* Columns of the first n bytes of s. */
int uitext_nwidth(const char *s, size_t n);
/* Bytes of the longest prefix of s that fits in cols columns; *used gets
 * its width (may be NULL). */
size_t uitext_prefix(const char *s, int cols, int *used);
/* A malloc'd copy of s that takes at most cols columns: cut with "…" when
 * too long, padded with spaces to exactly cols when pad. Unprintable
 * characters become U+FFFD, a leading combining mark gets a base space. */
char *uitext_fit(const char *s, int cols, bool pad);
/* Wrap s to lines of at most cols columns, breaking at spaces where it can,
 * inside words where it must; '\n' ends a line. *lines gets a malloc'd
 * array of malloc'd lines (free with uitext_lines_free); returns the count
 * (at least 1 for any s, even ""), or -1 on out of memory. */
int uitext_wrap(const char *s, int cols, char ***lines);
void uitext_lines_free(char **lines, int n);

#endif
