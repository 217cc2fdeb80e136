/* transcript_srt.c - SubRip (.srt) and plain-text transcripts. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "transcript_int.h"

/* An SRT time: [HH:]MM:SS followed by ',' or '.' and 1-3 digits (a
 * missing fraction is accepted). Returns seconds or -1; *end gets the
 * byte after it. */
static double srt_time(const char *s, const char **end)
{
	long v[3], ms = 0;
	int n = 0, d;
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	for (;;) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v[n] = 0;
		d = 0;
		while (isdigit((unsigned char)*p) && d < 9) {
			v[n] = v[n] * 10 + (*p - '0');
			p++;
			d++;
		}
		n++;
		if (*p == ':' && n < 3) {
			p++;
			continue;
		}
		break;
	}
	if (n < 2)
		return -1;
	if ((*p == ',' || *p == '.') && isdigit((unsigned char)p[1])) {
		p++;
		for (d = 0; isdigit((unsigned char)*p); p++, d++)
			if (d < 3)
				ms = ms * 10 + (*p - '0');
		for (; d < 3; d++)
			ms *= 10;
	}
	*end = p;
	if (n == 2)
		return (double)((v[0] * 60 + v[1]) * 1000 + ms) / 1000;
	return (double)(((v[0] * 60 + v[1]) * 60 + v[2]) * 1000 + ms) / 1000;
}

/* "00:00:01,000 --> 00:00:02,500 [X1:... position]" */
static int srt_timing(const char *line, double *start, double *end)
{
	const char *p;

	*start = srt_time(line, &p);
	if (*start < 0)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "-->", 3) != 0)
		return -1;
	*end = srt_time(p + 3, &p);
	if (*end < 0)
		return -1;
	return 0;
}

static bool all_digits(const char *s)
{
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0';
}

/* Append a line without markup: <i>, </b>, <font ...> and {\an8}-style
 * override codes are dropped; other '<' stay. */
static int strip_markup(struct buf *b, const char *s)
{
	const char *p = s, *q;

	while (*p) {
		if (*p == '<' && (isalpha((unsigned char)p[1]) ||
		                  (p[1] == '/' && isalpha((unsigned char)p[2])))) {
			q = strchr(p, '>');
			if (q != NULL && memchr(p + 1, '<', (size_t)(q - p - 1)) == NULL) {
				p = q + 1;
				continue;
			}
		}
		if (p[0] == '{' && p[1] == '\\') {
			q = strchr(p, '}');
			if (q != NULL) {
				p = q + 1;
				continue;
			}
		}
		if (buf_putc(b, *p) < 0)
			return -1;
		p++;
	}
	return 0;
}

/* "Travis: When you..." -> speaker "Travis". A name is one to three words
 * starting with a capital (or non-ASCII) letter, at most 32 bytes, then a
 * colon and a space. Returns the name length (0: none); *skip gets the
 * bytes to drop from the text. */
static size_t speaker_prefix(const char *s, size_t *skip)
{
	const char *p = s;
	int words = 0;

	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (!(isupper(c) || c >= 0x80))
			return 0;
		while (*p && *p != ' ' && *p != ':')
			p++;
		words++;
		if (*p == ':')
			break;
		if (*p != ' ' || words == 3)
			return 0;
		p++;
	}
	if (p - s > 32 || (p[1] != ' ' && p[1] != '\0'))
		return 0;
	*skip = (size_t)(p - s) + 1;
	while (s[*skip] == ' ')
		(*skip)++;
	return (size_t)(p - s);
}

struct transcript *tx_parse_srt(const char *data, size_t len, struct err *e)
{
	struct tx_build tb = {0};
	char *copy = tx_copy_input(data, len), **lines = NULL, *speaker = NULL;
	size_t n = 0, i, blank_run = 0;
	struct buf text = {0};
	double start = 0, end = 0, s2, e2;
	bool in_cue = false, any_timing = false;

	if (copy == NULL || tx_split_lines(copy, &lines, &n) < 0)
		goto oom;
	for (i = 0; i <= n; i++) {
		const char *line = i < n ? lines[i] : NULL;
		bool timing = line != NULL && srt_timing(line, &s2, &e2) == 0;

		if (line == NULL || timing) {
			if (in_cue) {
				/* A counter line right before the next timing line
				 * belongs to that cue, not to this one's text. */
				if (timing && text.len > 0) {
					char *last = strrchr(text.data, '\n');
					char *tail = last ? last + 1 : text.data;

					if (all_digits(tail)) {
						text.len = (size_t)(tail - text.data);
						if (text.len > 0)
							text.len--;
						text.data[text.len] = '\0';
					}
				}
				if (tx_add(&tb, start, end, speaker, text.data, NULL, 0) < 0)
					goto oom;
			}
			if (line == NULL)
				break;
			any_timing = true;
			in_cue = true;
			start = s2;
			end = e2;
			text.len = 0;
			blank_run = 0;
			if (buf_puts(&text, "") < 0)
				goto oom;
			continue;
		}
		if (!in_cue)
			continue;
		if (*line == '\0' || strspn(line, " \t") == strlen(line)) {
			blank_run++;
			continue;
		}
		if (blank_run > 0 && all_digits(line))
			continue; /* the next cue's counter */
		if (text.len == 0) {
			size_t skip = 0, nl = speaker_prefix(line, &skip);

			if (nl > 0) {
				free(speaker);
				speaker = str_ndup(line, nl);
				if (speaker == NULL)
					goto oom;
				line += skip;
			}
		} else if (buf_putc(&text, '\n') < 0) {
			goto oom;
		}
		if (strip_markup(&text, line) < 0)
			goto oom;
		blank_run = 0;
	}
	if (!any_timing && n > 0 && strspn(copy, " \t") != strlen(copy)) {
		bool empty = true;

		for (i = 0; i < n && empty; i++)
			empty = lines[i][strspn(lines[i], " \t")] == '\0';
		if (!empty) {
			err_set(e, "SRT: no cue timings (\"00:00:01,000 --> 00:00:02,000\")");
			goto fail;
		}
	}
	free(speaker);
	buf_free(&text);
	free(lines);
	free(copy);
	return tx_finish(&tb);
oom:
	err_set(e, "SRT: out of memory");
fail:
	free(speaker);
	buf_free(&text);
	free(lines);
	free(copy);
	tx_build_free(&tb);
	return NULL;
}

/* A clock at the start of a paragraph ("00:01:02", "[1:02]", "(12:30)"),
 * as in many plain-text transcripts. -1 when there is none. */
static double leading_clock(const char *s, size_t *skip)
{
	const char *p = s, *q;
	size_t n;
	char tmp[32];
	double t;

	if (*p == '[' || *p == '(')
		p++;
	n = strspn(p, "0123456789:.");
	if (n == 0 || n >= sizeof tmp || memchr(p, ':', n) == NULL)
		return -1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	t = time_parse_clock(tmp);
	if (t < 0)
		return -1;
	q = p + n;
	if (*q == ']' || *q == ')')
		q++;
	while (*q == ' ' || *q == '\t' || *q == '-')
		q++;
	*skip = (size_t)(q - s);
	return t;
}

struct transcript *tx_parse_text(const char *data, size_t len, struct err *e)
{
	struct tx_build tb = {0};
	char *copy = tx_copy_input(data, len), **lines = NULL;
	size_t n = 0, i, skip;
	struct buf para = {0};
	double t, start = -1, prev = -1;

	if (copy == NULL || tx_split_lines(copy, &lines, &n) < 0)
		goto oom;
	/* One cue per paragraph (blank-line separated); untimed (-1) unless
	 * the paragraph or one before it starts with a clock. */
	for (i = 0; i <= n; i++) {
		const char *line = i < n ? lines[i] : "";

		if (line[strspn(line, " \t")] == '\0') {
			if (para.len > 0 && tx_add(&tb, start, -1, NULL, para.data, NULL, 0) < 0)
				goto oom;
			para.len = 0;
			continue;
		}
		if (para.len == 0) {
			skip = 0;
			t = leading_clock(line, &skip);
			start = prev; /* untimed: keeps the time before it */
			if (t >= 0) {
				start = prev = t;
				line += skip;
			}
		} else if (buf_putc(&para, '\n') < 0) {
			goto oom;
		}
		if (buf_puts(&para, line) < 0)
			goto oom;
	}
	buf_free(&para);
	free(lines);
	free(copy);
	return tx_finish(&tb);
oom:
	err_set(e, "text: out of memory");
	buf_free(&para);
	free(lines);
	free(copy);
	tx_build_free(&tb);
	return NULL;
}
