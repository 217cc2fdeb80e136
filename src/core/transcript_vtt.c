/* transcript_vtt.c - WebVTT (W3C WebVTT, with the choices of Mozilla's
 * vtt.js where the two differ: see docs/conformance.md). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "transcript_int.h"

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A WebVTT timestamp at the start of s: hours ":" minutes ":" seconds "."
 * mmm, or minutes ":" seconds "." mmm (a first field above 59 is read as
 * hours:minutes, as vtt.js does). Minutes and seconds have one or two
 * digits, the fraction exactly three. Returns seconds, or -1; *end (may be
 * NULL) gets the first byte after the fraction. */
static double vtt_timestamp(const char *s, const char **end)
{
	double v[3] = {0, 0, 0};
	int n = 0, d;
	const char *p = s;
	long ms;

	for (;;) {
		if (!isdigit((unsigned char)*p))
			return -1;
		d = 0;
		while (isdigit((unsigned char)*p)) {
			v[n] = v[n] * 10 + (*p - '0');
			p++;
			d++;
		}
		if (n > 0 && d > 2)
			return -1;
		n++;
		if (*p == ':' && n < 3) {
			p++;
			continue;
		}
		break;
	}
	if (n < 2 || *p != '.')
		return -1;
	p++;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]))
		return -1;
	ms = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	p += 3;
	if (end != NULL)
		*end = p;
	/* Whole milliseconds first, so 2.76 is the double nearest 2.76. */
	if (n == 3)
		return ((v[0] * 3600 + v[1] * 60 + v[2]) * 1000 + (double)ms) / 1000;
	if (v[0] > 59)
		return ((v[0] * 3600 + v[1] * 60) * 1000 + (double)ms) / 1000;
	return ((v[0] * 60 + v[1]) * 1000 + (double)ms) / 1000;
}

/* Parse a cue timing line: start "-->" end, then settings (ignored).
 * 0 or -1 when it is not a valid timing line. */
static int vtt_timing(const char *s, double *start, double *end)
{
	const char *p = s;

	while (is_ws(*p))
		p++;
	*start = vtt_timestamp(p, &p);
	if (*start < 0)
		return -1;
	/* vtt.js drops everything up to a space, a letter or '-'. */
	while (*p && !is_ws(*p) && !isalpha((unsigned char)*p) && *p != '-')
		p++;
	while (is_ws(*p))
		p++;
	if (strncmp(p, "-->", 3) != 0)
		return -1;
	p += 3;
	while (is_ws(*p))
		p++;
	*end = vtt_timestamp(p, &p);
	if (*end < 0)
		return -1;
	return 0;
}

/* Append text[0, n) to b with the character references WebVTT files use
 * decoded: &amp; &lt; &gt; &lrm; &rlm; &nbsp; &quot; &apos; and numeric
 * ones. Anything else (including a reference without ';') stays as is. */
static int vtt_unescape(struct buf *b, const char *s, size_t n)
{
	static const struct {
		const char *name, *utf8;
	} ent[] = {
	        {"amp", "&"},
	        {"lt", "<"},
	        {"gt", ">"},
	        {"lrm", "\xe2\x80\x8e"},
	        {"rlm", "\xe2\x80\x8f"},
	        {"nbsp", "\xc2\xa0"},
	        {"quot", "\""},
	        {"apos", "'"},
	};
	size_t i = 0, k, j;

	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t upto = amp ? (size_t)(amp - s) : n;
		bool done = false;

		if (buf_append(b, s + i, upto - i) < 0)
			return -1;
		i = upto;
		if (i >= n)
			break;
		for (k = 0; k < HARK_ARRAY_LEN(ent) && !done; k++) {
			size_t l = strlen(ent[k].name);

			if (i + 1 + l < n && strncmp(s + i + 1, ent[k].name, l) == 0 &&
			    s[i + 1 + l] == ';') {
				if (buf_puts(b, ent[k].utf8) < 0)
					return -1;
				i += l + 2;
				done = true;
			}
		}
		if (!done && i + 2 < n && s[i + 1] == '#') {
			unsigned long cp = 0;
			bool hex = s[i + 2] == 'x' || s[i + 2] == 'X';

			j = i + (hex ? 3 : 2);
			k = j;
			while (j < n &&
			       (hex ? isxdigit((unsigned char)s[j])
			            : isdigit((unsigned char)s[j])) &&
			       cp <= 0x10ffff) {
				cp = cp * (hex ? 16 : 10) +
				     (unsigned long)(isdigit((unsigned char)s[j])
				                             ? s[j] - '0'
				                             : (tolower((unsigned char)s[j]) - 'a' +
				                                10));
				j++;
			}
			if (j > k && j < n && s[j] == ';' && cp > 0 && cp <= 0x10ffff &&
			    !(cp >= 0xd800 && cp <= 0xdfff)) {
				char u[4];
				size_t ul;

				if (cp < 0x80) {
					u[0] = (char)cp;
					ul = 1;
				} else if (cp < 0x800) {
					u[0] = (char)(0xc0 | (cp >> 6));
					u[1] = (char)(0x80 | (cp & 0x3f));
					ul = 2;
				} else if (cp < 0x10000) {
					u[0] = (char)(0xe0 | (cp >> 12));
					u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
					u[2] = (char)(0x80 | (cp & 0x3f));
					ul = 3;
				} else {
					u[0] = (char)(0xf0 | (cp >> 18));
					u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
					u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
					u[3] = (char)(0x80 | (cp & 0x3f));
					ul = 4;
				}
				if (buf_append(b, u, ul) < 0)
					return -1;
				i = j + 1;
				done = true;
			}
		}
		if (!done) {
			if (buf_putc(b, '&') < 0)
				return -1;
			i++;
		}
	}
	return 0;
}

/* Does tag (the whole "<...>" token, possibly without its '>') match
 * vtt.js's start tag shape <name[.classes][ annotation][\]>? On success
 * *name / *ann point into tag with their lengths. */
static bool vtt_start_tag(const char *tag, size_t n, const char **name, size_t *nlen,
                          const char **ann, size_t *alen)
{
	size_t i = 1, s;

	s = i;
	while (i < n && !is_ws(tag[i]) && tag[i] != '.' && tag[i] != '/' &&
	       !isdigit((unsigned char)tag[i]) && tag[i] != '>')
		i++;
	if (i == s)
		return false;
	*name = tag + s;
	*nlen = i - s;
	if (i < n && tag[i] == '.') {
		s = ++i;
		while (i < n && !is_ws(tag[i]) && tag[i] != '\\' && tag[i] != '>')
			i++;
		if (i == s)
			return false;
	}
	s = i;
	while (i < n && tag[i] != '>' && tag[i] != '\\')
		i++;
	*ann = tag + s;
	*alen = i - s;
	if (i < n && tag[i] == '\\')
		i++;
	if (i < n && tag[i] == '>')
		i++;
	return i == n;
}

/* Turn cue text into plain text: tags dropped, the first <v> annotation
 * kept as speaker, inline timestamps turned into word start times. */
static int vtt_cue(struct tx_build *tb, double start, double end, const char *payload)
{
	struct transcript_word *w = NULL, *nw;
	size_t nwords = 0, capw = 0, i;
	struct buf text = {0};
	char *speaker = NULL;
	const char *p = payload;
	int rc = -1;

	if (buf_puts(&text, "") < 0)
		return -1;
	while (*p) {
		if (*p == '<') {
			size_t n = 1;
			const char *name, *ann;
			size_t nlen, alen;
			char *inner;
			double ts;

			while (p[n] && p[n] != '>')
				n++;
			if (p[n] == '>')
				n++;
			if (p[1] == '/') {
				p += n;
				continue;
			}
			/* vtt.js reads the token minus its first and last byte. */
			inner = str_ndup(p + 1, n >= 2 ? n - 2 : 0);
			if (inner == NULL)
				goto out;
			ts = vtt_timestamp(inner, NULL);
			free(inner);
			if (ts >= 0) {
				if (nwords == capw) {
					capw = capw ? capw * 2 : 8;
					nw = realloc(w, capw * sizeof *w);
					if (nw == NULL)
						goto out;
					w = nw;
				}
				w[nwords].start = ts;
				w[nwords].off = text.len;
				w[nwords].len = 0;
				nwords++;
			} else if (vtt_start_tag(p, n, &name, &nlen, &ann, &alen) && nlen == 1 &&
			           name[0] == 'v' && speaker == NULL && alen > 0) {
				speaker = str_ndup(ann, alen);
				if (speaker == NULL)
					goto out;
				str_trim(speaker);
			}
			p += n;
			continue;
		}
		{
			size_t n = strcspn(p, "<");

			if (vtt_unescape(&text, p, n) < 0)
				goto out;
			p += n;
		}
	}
	/* Word spans: from each timestamp to the next; the text before the
	 * first one starts with the cue. */
	if (nwords > 0) {
		struct transcript_word *all = calloc(nwords + 1, sizeof *all);
		size_t k = 0;

		if (all == NULL)
			goto out;
		if (w[0].off > 0) {
			all[k].start = start;
			all[k].off = 0;
			all[k].len = w[0].off;
			k++;
		}
		for (i = 0; i < nwords; i++) {
			size_t stop = i + 1 < nwords ? w[i + 1].off : text.len;

			if (stop == w[i].off)
				continue;
			all[k].start = w[i].start;
			all[k].off = w[i].off;
			all[k].len = stop - w[i].off;
			k++;
		}
		free(w);
		w = all;
		nwords = k;
	}
	rc = tx_add(tb, start, end, speaker, text.data, w, nwords);
out:
	free(w);
	free(speaker);
	buf_free(&text);
	return rc;
}

/* "NOTE", "STYLE" or "REGION" alone or followed by white space. */
static bool block_keyword(const char *line, const char *kw)
{
	size_t n = strlen(kw);

	return strncmp(line, kw, n) == 0 && (line[n] == '\0' || line[n] == ' ' || line[n] == '\t');
}

enum vtt_state { S_HEADER, S_ID, S_CUE, S_TEXT, S_SKIP };

struct transcript *tx_parse_vtt(const char *data, size_t len, struct err *e)
{
	struct tx_build tb = {0};
	char *copy = tx_copy_input(data, len), **lines = NULL;
	const char *line;
	size_t n = 0, i;
	enum vtt_state st = S_HEADER;
	struct buf payload = {0};
	double start = 0, end = 0;
	bool any_cue = false;

	if (copy == NULL || tx_split_lines(copy, &lines, &n) < 0) {
		err_set(e, "WebVTT: out of memory");
		goto fail;
	}
	line = lines[0];
	if (strncmp(line, "WEBVTT", 6) != 0 ||
	    (line[6] != '\0' && line[6] != ' ' && line[6] != '\t')) {
		err_set(e, "WebVTT: missing WEBVTT signature");
		goto fail;
	}
	for (i = 1; i <= n; i++) {
		line = i < n ? lines[i] : "";
		switch (st) {
		case S_HEADER:
			/* The header runs to the first blank line. */
			if (*line == '\0')
				st = S_ID;
			break;
		case S_SKIP:
			if (*line == '\0')
				st = S_ID;
			break;
		case S_ID:
			if (*line == '\0')
				break;
			if (block_keyword(line, "NOTE") ||
			    (!any_cue && strstr(line, "-->") == NULL &&
			     (block_keyword(line, "STYLE") || block_keyword(line, "REGION")))) {
				st = S_SKIP;
				break;
			}
			if (strstr(line, "-->") == NULL) {
				st = S_CUE; /* a cue identifier: timings follow */
				break;
			}
			/* fall through */
		case S_CUE:
			if (vtt_timing(line, &start, &end) < 0) {
				st = S_SKIP;
				break;
			}
			payload.len = 0;
			if (buf_puts(&payload, "") < 0)
				goto oom;
			st = S_TEXT;
			break;
		case S_TEXT:
			if (*line == '\0' || strstr(line, "-->") != NULL) {
				if (vtt_cue(&tb, start, end, payload.data) < 0)
					goto oom;
				any_cue = true;
				st = S_ID;
				if (*line != '\0')
					i--; /* a timing line right after: read it again */
				break;
			}
			if ((payload.len > 0 && buf_putc(&payload, '\n') < 0) ||
			    buf_puts(&payload, line) < 0)
				goto oom;
			break;
		}
	}
	buf_free(&payload);
	free(lines);
	free(copy);
	return tx_finish(&tb);
oom:
	err_set(e, "WebVTT: out of memory");
fail:
	buf_free(&payload);
	free(lines);
	free(copy);
	tx_build_free(&tb);
	return NULL;
}
