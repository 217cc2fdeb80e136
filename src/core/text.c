/* text.c - make untrusted text safe to put on a terminal. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hark/util.h"

/* Decode one UTF-8 sequence at s (n bytes left). Returns its length and the
 * code point in *cp, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t k;

	while (n > 0) {
		k = utf8_decode(p, n, &cp);
		if (k == 0)
			return false;
		p += k;
		n -= k;
	}
	return true;
}

/* Code points that must never reach the terminal: controls, the bidi
 * embedding/override/isolate marks that can reorder what is shown, and the
 * invisible format characters that only hide or spoof (ZWSP U+200B, LRM/RLM
 * U+200E/F, ALM U+061C, word joiner and invisible operators U+2060-2064,
 * ZWNBSP/BOM U+FEFF): terminals disagree on their width. ZWNJ U+200C and
 * ZWJ U+200D stay: Persian, Indic scripts and emoji sequences need them. */
static bool is_forbidden(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return true;
	if (cp >= 0x202a && cp <= 0x202e)
		return true;
	if (cp >= 0x2066 && cp <= 0x2069)
		return true;
	if (cp == 0x200b || cp == 0x200e || cp == 0x200f || cp == 0x061c)
		return true;
	if (cp >= 0x2060 && cp <= 0x2064)
		return true;
	if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff)
		return true;
	return false;
}

int text_sanitize_append(struct buf *b, const char *s, size_t n, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k, start = b->len;
	bool space = false;
	uint32_t cp;
	int rc = 0;

	if (buf_reserve(b, n) < 0)
		return -1;
	while (n > 0) {
		/* Printable ASCII (with newlines kept: also spaces and newlines,
		 * which come out unchanged) is copied a run at a time. */
		for (k = 0; k < n && p[k] < 0x7f &&
		            (p[k] > 0x20 || (keep_newlines && (p[k] == ' ' || p[k] == '\n')));
		     k++)
			;
		if (k > 0) {
			rc |= buf_append(b, p, k);
			p += k;
			n -= k;
			space = false;
			continue;
		}
		k = utf8_decode(p, n, &cp);
		if (k == 0) {
			rc |= buf_puts(b, "\xef\xbf\xbd");
			p++;
			n--;
			space = false;
			continue;
		}
		if (cp == '\n' && keep_newlines) {
			rc |= buf_putc(b, '\n');
			space = false;
		} else if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 ||
		           cp == 0x2029) {
			if (keep_newlines && cp != '\r')
				rc |= buf_putc(b, ' ');
			else if (!keep_newlines && !space && b->len > start)
				rc |= buf_putc(b, ' ');
			space = true;
		} else if (!is_forbidden(cp)) {
			rc |= buf_append(b, p, k);
			space = false;
		}
		p += k;
		n -= k;
	}
	if (!keep_newlines && b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return rc < 0 ? -1 : 0;
}

char *text_sanitize(const char *s, bool keep_newlines)
{
	struct buf b = {0};

	if (s == NULL)
		return NULL;
	if (text_sanitize_append(&b, s, strlen(s), keep_newlines) < 0 && b.data == NULL)
		return NULL;
	return buf_steal(&b);
}
