/* uitext.c - column-aware text helpers for the curses interface. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hark/util.h"
#include "uitext.h"

/* Decode one UTF-8 character; returns its byte length (>= 1, invalid bytes
 * count as one U+FFFD) and the code point in *cp. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	*cp = c;
	return len;
}

/* Columns of one code point; -1 when it cannot be printed. */
static int cp_width(uint32_t cp)
{
	if (cp == '\t')
		return 1;
	return wcwidth((wchar_t)cp);
}

int uitext_nwidth(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t k;
	int w = 0, cw;

	while (n > 0 && *p) {
		k = decode(p, n, &cp);
		cw = cp_width(cp);
		w += cw < 0 ? 1 : cw;
		p += k;
		n -= k;
	}
	return w;
}

int uitext_width(const char *s)
{
	return s ? uitext_nwidth(s, strlen(s)) : 0;
}

size_t uitext_prefix(const char *s, int cols, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), off = 0, k;
	uint32_t cp;
	int w = 0, cw;

	while (off < n) {
		k = decode(p + off, n - off, &cp);
		cw = cp_width(cp);
		if (cw < 0)
			cw = 1;
		if (w + cw > cols)
			break;
		w += cw;
		off += k;
	}
	if (used)
		*used = w;
	return off;
}

/* Append s[0..n) to b, making every character printable. */
static void put_clean(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	bool first = b->len == 0;
	uint32_t cp;
	size_t k;

	while (n > 0) {
		k = decode(p, n, &cp);
		int cw = cp_width(cp);
		if (cp == '\t')
			buf_putc(b, ' ');
		else if (cw < 0 || cp == 0xfffd)
			buf_puts(b, "\xef\xbf\xbd");
		else {
			if (cw == 0 && first)
				buf_putc(b, ' ');
			buf_append(b, p, k);
		}
		first = false;
		p += k;
		n -= k;
	}
}

char *uitext_fit(const char *s, int cols, bool pad)
{
	struct buf b = {0};
	size_t cut;
	int w, used;

	if (s == NULL)
		s = "";
	if (cols < 0)
		cols = 0;
	w = uitext_width(s);
	/* a leading combining mark gets a space to sit on: count it */
	if (s[0] != '\0') {
		uint32_t cp;
		decode((const unsigned char *)s, strlen(s), &cp);
		if (cp_width(cp) == 0)
			w++;
	}
	if (w <= cols) {
		put_clean(&b, s, strlen(s));
		used = w;
	} else if (cols == 0) {
		used = 0;
	} else {
		cut = uitext_prefix(s, cols - 1, &used);
		put_clean(&b, s, cut);
		if (b.len > 0 && uitext_width(b.data) > used)
			used = uitext_width(b.data);
		/* never leave the cut right before a combining mark */
		buf_puts(&b, "\xe2\x80\xa6");
		used++;
	}
	while (pad && used < cols) {
		buf_putc(&b, ' ');
		used++;
	}
	return buf_steal(&b);
}

void uitext_lines_free(char **lines, int n)
{
	int i;

	if (lines == NULL)
		return;
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Add s[0..n) (trailing blanks dropped) as a new line. */
static int push_line(char ***lines, int *n, const char *s, size_t len)
{
	char **nl = realloc(*lines, (size_t)(*n + 1) * sizeof *nl);
	struct buf b = {0};

	if (nl == NULL)
		return -1;
	*lines = nl;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	put_clean(&b, s, len);
	nl[*n] = buf_steal(&b);
	if (nl[*n] == NULL)
		return -1;
	(*n)++;
	return 0;
}

/* Wrap one paragraph (no '\n') into lines. */
static int wrap_para(const char *s, size_t len, int cols, char ***lines, int *n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = 0, off, k, lastsp;
	uint32_t cp;
	int w, cw;

	if (len == 0)
		return push_line(lines, n, s, 0);
	while (start < len) {
		/* skip blanks at the start of a continuation line */
		if (*n > 0 && start > 0)
			while (start < len && s[start] == ' ')
				start++;
		if (start >= len)
			break;
		w = 0;
		off = start;
		lastsp = 0;
		while (off < len) {
			k = decode(p + off, len - off, &cp);
			cw = cp_width(cp);
			if (cw < 0)
				cw = 1;
			if (w + cw > cols)
				break;
			if (cp == ' ')
				lastsp = off;
			w += cw;
			off += k;
		}
		if (off >= len) {
			if (push_line(lines, n, s + start, len - start) < 0)
				return -1;
			break;
		}
		if (lastsp > start) {
			if (push_line(lines, n, s + start, lastsp - start) < 0)
				return -1;
			start = lastsp + 1;
		} else {
			if (off == start) /* a character wider than the line */
				off += decode(p + off, len - off, &cp);
			/* keep combining marks with their base */
			while (off < len) {
				k = decode(p + off, len - off, &cp);
				if (cp_width(cp) != 0)
					break;
				off += k;
			}
			if (push_line(lines, n, s + start, off - start) < 0)
				return -1;
			start = off;
		}
	}
	return 0;
}

int uitext_wrap(const char *s, int cols, char ***lines)
{
	const char *p, *nl;
	int n = 0;

	*lines = NULL;
	if (s == NULL)
		s = "";
	if (cols < 1)
		cols = 1;
	p = s;
	for (;;) {
		nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (wrap_para(p, len, cols, lines, &n) < 0) {
			uitext_lines_free(*lines, n);
			*lines = NULL;
			return -1;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return n;
}
