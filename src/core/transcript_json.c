/* transcript_json.c - Podcasting 2.0 JSON transcripts (jansson), with
 * word-level segments joined into readable lines that keep their word
 * times. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "transcript_int.h"

/* Gap between two words (seconds) above which a new line starts. */
#define JOIN_GAP 1.5
/* A joined line is closed at the first word boundary past this many bytes. */
#define JOIN_MAX_BYTES 240

/* A number, or a string holding a number or a clock ("1:02.5"); -1 when
 * absent or unusable. */
static double seg_time(json_t *v)
{
	double t = -1;

	if (json_is_number(v))
		t = json_number_value(v);
	else if (json_is_string(v))
		t = time_parse_clock(json_string_value(v));
	if (isnan(t) || isinf(t) || t < 0)
		return -1;
	return t;
}

/* One word: no white space inside the (trimmed) body. */
static bool is_word(const char *s)
{
	const char *p = s;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '\0')
		return false;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
		p++;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return *p == '\0';
}

/* Ends a sentence: . ? ! or an ellipsis, maybe followed by a closing quote
 * or bracket. */
static bool ends_sentence(const char *s, size_t n)
{
	while (n > 0 && strchr("\"')]", s[n - 1]) != NULL)
		n--;
	if (n >= 3 && memcmp(s + n - 3, "\xe2\x80\xa6", 3) == 0)
		return true;
	if (n >= 3 && memcmp(s + n - 3, "\xe2\x80\x9d", 3) == 0)
		return ends_sentence(s, n - 3);
	return n > 0 && (s[n - 1] == '.' || s[n - 1] == '?' || s[n - 1] == '!');
}

/* Punctuation that attaches to the word before it without a space. */
static bool attaches(const char *s)
{
	return *s != '\0' && strchr(",.;:!?)]}%", *s) != NULL;
}

static bool same_speaker(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

struct line {
	struct buf text;
	struct transcript_word *w;
	size_t nw, capw;
	double start, end, last_end, last_start;
	const char *speaker;
	bool open;
};

static int line_flush(struct tx_build *tb, struct line *l)
{
	int rc = 0;

	if (l->open)
		rc = tx_add(tb, l->start, l->end, l->speaker, l->text.data, l->w, l->nw);
	l->open = false;
	l->text.len = 0;
	if (l->text.data)
		l->text.data[0] = '\0';
	l->nw = 0;
	return rc;
}

static int line_word(struct line *l, const char *body, double start, double end,
                     const char *speaker)
{
	const char *p = body;
	size_t n;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	n = strlen(p);
	while (n > 0 &&
	       (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (!l->open) {
		l->open = true;
		l->start = start;
		l->speaker = speaker;
	} else if (!attaches(p) && buf_putc(&l->text, ' ') < 0) {
		return -1;
	}
	if (l->nw == l->capw) {
		size_t cap = l->capw ? l->capw * 2 : 32;
		struct transcript_word *nw = realloc(l->w, cap * sizeof *nw);

		if (nw == NULL)
			return -1;
		l->w = nw;
		l->capw = cap;
	}
	l->w[l->nw].start = start;
	l->w[l->nw].off = l->text.len;
	l->w[l->nw].len = n;
	l->nw++;
	if (buf_append(&l->text, p, n) < 0)
		return -1;
	l->end = end;
	l->last_end = end;
	l->last_start = start;
	return 0;
}

struct transcript *tx_parse_json(const char *data, size_t len, struct err *e)
{
	struct tx_build tb = {0};
	struct line l = {0};
	json_error_t je;
	json_t *root, *segs, *seg;
	size_t i;

	root = json_loadb(data, len, JSON_DECODE_ANY, &je);
	if (root == NULL) {
		err_set(e, "JSON: line %d: %s", je.line, je.text);
		return NULL;
	}
	segs = json_is_object(root) ? json_object_get(root, "segments") : root;
	if (!json_is_array(segs)) {
		err_set(e, "JSON: no \"segments\" array");
		json_decref(root);
		return NULL;
	}
	json_array_foreach(segs, i, seg)
	{
		json_t *jb = json_object_get(seg, "body"), *jsp = json_object_get(seg, "speaker");
		const char *body = json_string_value(jb);
		const char *speaker = json_string_value(jsp);
		double start = seg_time(json_object_get(seg, "startTime"));
		double end = seg_time(json_object_get(seg, "endTime"));

		if (!json_is_object(seg) || body == NULL || start < 0)
			continue; /* untimed or bodiless segments cannot be placed */
		if (end >= 0 && end < start)
			end = -1;
		if (speaker != NULL && *speaker == '\0')
			speaker = NULL;
		if (!is_word(body)) {
			if (line_flush(&tb, &l) < 0 ||
			    tx_add(&tb, start, end, speaker, body, NULL, 0) < 0)
				goto oom;
			continue;
		}
		if (l.open) {
			double prev = l.last_end >= 0 ? l.last_end : l.last_start;
			bool brk = !same_speaker(speaker, l.speaker) || start - prev > JOIN_GAP ||
			           (ends_sentence(l.text.data, l.text.len) && !attaches(body)) ||
			           (l.text.len >= JOIN_MAX_BYTES && !attaches(body));

			if (brk && line_flush(&tb, &l) < 0)
				goto oom;
		}
		if (line_word(&l, body, start, end, speaker) < 0)
			goto oom;
	}
	if (line_flush(&tb, &l) < 0)
		goto oom;
	buf_free(&l.text);
	free(l.w);
	json_decref(root);
	return tx_finish(&tb);
oom:
	err_set(e, "JSON: out of memory");
	buf_free(&l.text);
	free(l.w);
	json_decref(root);
	tx_build_free(&tb);
	return NULL;
}
