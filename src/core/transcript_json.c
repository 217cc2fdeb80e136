/* transcript_json.c - Podcasting 2.0 JSON transcripts, read as a stream
 * with yajl's callback parser (no document tree: a three-hour word-level
 * transcript is 30,000 small objects, and building and freeing jansson's
 * tree of them cost more than all of hark's own work; see
 * docs/internals/transcripts.md), with word-level segments joined into
 * readable lines that keep their word times. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "transcript_int.h"

/* Gap between two words (seconds) above which a new line starts. */
#define JOIN_GAP 1.5
/* A joined line is closed at the first word boundary past this many bytes. */
#define JOIN_MAX_BYTES 240

/* A usable time: finite and not negative, else -1. */
static double good_time(double t)
{
	return isnan(t) || isinf(t) || t < 0 ? -1 : t;
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
	char *speaker; /* owned */
	bool open;
};

static int line_flush(struct tx_build *tb, struct line *l)
{
	int rc = 0;

	if (l->open && tb != NULL) /* with tb NULL: the line is dropped */
		rc = tx_add(tb, l->start, l->end, l->speaker, l->text.data, l->w, l->nw);
	l->open = false;
	free(l->speaker);
	l->speaker = NULL;
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
		if (speaker != NULL && (l->speaker = str_dup(speaker)) == NULL)
			return -1;
		l->open = true;
		l->start = start;
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

/* ---- the stream ----
 * The document is a {"segments": [...]} object or the array itself. Only
 * four fields of each segment object are read; everything else (other keys,
 * nested values) only moves the depth. As with a document tree, the last of
 * two equal keys wins, and a value of the wrong type counts as absent. */
enum seg_field { F_OTHER, F_BODY, F_SPEAKER, F_START, F_END };

struct jp {
	struct tx_build tb;
	struct line l;
	int depth;      /* containers open */
	int segs_depth; /* the depth inside the segments array; 0 when outside */
	bool root_map;
	bool key_segments; /* the root object's current key is "segments" */
	bool have_segs;    /* the last "segments" value was an array */
	bool in_seg;       /* reading a segment object (depth segs_depth + 1) */
	enum seg_field key;
	struct buf body, speaker;
	bool has_body, has_speaker;
	double start, end;
};

/* A new segments array: what an earlier one gave is dropped (last wins). */
static void segs_begin(struct jp *j)
{
	tx_build_free(&j->tb);
	line_flush(NULL, &j->l);
	j->have_segs = true;
	j->segs_depth = j->depth + 1;
}

static int seg_done(struct jp *j)
{
	const char *body = j->has_body ? j->body.data : NULL;
	const char *speaker = j->has_speaker ? j->speaker.data : NULL;
	double start = j->start, end = j->end;
	struct line *l = &j->l;

	if (body == NULL || start < 0)
		return 0; /* untimed or bodiless segments cannot be placed */
	if (end >= 0 && end < start)
		end = -1;
	if (speaker != NULL && *speaker == '\0')
		speaker = NULL;
	if (!is_word(body)) {
		if (line_flush(&j->tb, l) < 0)
			return -1;
		return tx_add(&j->tb, start, end, speaker, body, NULL, 0);
	}
	if (l->open) {
		double prev = l->last_end >= 0 ? l->last_end : l->last_start;
		bool brk = !same_speaker(speaker, l->speaker) || start - prev > JOIN_GAP ||
		           (ends_sentence(l->text.data, l->text.len) && !attaches(body)) ||
		           (l->text.len >= JOIN_MAX_BYTES && !attaches(body));

		if (brk && line_flush(&j->tb, l) < 0)
			return -1;
	}
	return line_word(l, body, start, end, speaker);
}

enum jtype { J_MAP, J_ARRAY, J_STRING, J_NUMBER, J_OTHER };

/* Any value (a container at its start): what it means depends on where it
 * is. s, n: a string's bytes or a number's text. */
static int on_value(struct jp *j, enum jtype t, const char *s, size_t n)
{
	if (j->depth == 0) {
		j->root_map = t == J_MAP;
		if (t == J_ARRAY)
			segs_begin(j);
	} else if (j->depth == 1 && j->root_map && j->key_segments) {
		if (t == J_ARRAY)
			segs_begin(j);
		else
			j->have_segs = false;
	} else if (j->segs_depth > 0 && j->depth == j->segs_depth) {
		if (t == J_MAP) { /* a segment begins */
			j->in_seg = true;
			j->key = F_OTHER;
			j->has_body = j->has_speaker = false;
			j->start = j->end = -1;
		}
	} else if (j->in_seg && j->depth == j->segs_depth + 1) {
		struct buf *b = j->key == F_BODY      ? &j->body
		                : j->key == F_SPEAKER ? &j->speaker
		                                      : NULL;
		double v = -1;

		if (b != NULL) {
			bool *has = j->key == F_BODY ? &j->has_body : &j->has_speaker;

			*has = t == J_STRING;
			b->len = 0;
			if (*has && buf_reserve(b, n) < 0)
				return -1;
			for (size_t i = 0; *has && i < n; i++) /* a \u0000 is dropped */
				if (s[i] != '\0')
					b->data[b->len++] = s[i];
			if (*has)
				b->data[b->len] = '\0';
		} else if (j->key == F_START || j->key == F_END) {
			if (t == J_NUMBER || t == J_STRING) {
				char *tmp = str_ndup(s, n);

				if (tmp == NULL)
					return -1;
				v = t == J_NUMBER ? strtod(tmp, NULL) : time_parse_clock(tmp);
				free(tmp);
			}
			*(j->key == F_START ? &j->start : &j->end) = good_time(v);
		}
	}
	return 0;
}

/* yajl callbacks: non-zero to go on. */
static int cb_null(void *c)
{
	return on_value(c, J_OTHER, NULL, 0) == 0;
}

static int cb_bool(void *c, int v)
{
	(void)v;
	return on_value(c, J_OTHER, NULL, 0) == 0;
}

static int cb_number(void *c, const char *s, size_t n)
{
	return on_value(c, J_NUMBER, s, n) == 0;
}

static int cb_string(void *c, const unsigned char *s, size_t n)
{
	return on_value(c, J_STRING, (const char *)s, n) == 0;
}

static int cb_key(void *c, const unsigned char *s, size_t n)
{
	struct jp *j = c;

#define KEY_IS(k) (n == sizeof k - 1 && memcmp(s, k, n) == 0)
	if (j->depth == 1 && j->root_map)
		j->key_segments = KEY_IS("segments");
	else if (j->in_seg && j->depth == j->segs_depth + 1)
		j->key = KEY_IS("body")        ? F_BODY
		         : KEY_IS("speaker")   ? F_SPEAKER
		         : KEY_IS("startTime") ? F_START
		         : KEY_IS("endTime")   ? F_END
		                               : F_OTHER;
#undef KEY_IS
	return 1;
}

static int cb_start(void *c, enum jtype t)
{
	struct jp *j = c;

	if (on_value(j, t, NULL, 0) < 0)
		return 0;
	j->depth++;
	return 1;
}

static int cb_start_map(void *c)
{
	return cb_start(c, J_MAP);
}

static int cb_start_array(void *c)
{
	return cb_start(c, J_ARRAY);
}

static int cb_end(void *c)
{
	struct jp *j = c;

	j->depth--;
	if (j->in_seg && j->depth == j->segs_depth) {
		j->in_seg = false;
		if (seg_done(j) < 0)
			return 0;
	} else if (j->segs_depth > 0 && j->depth == j->segs_depth - 1) {
		j->segs_depth = 0; /* the segments array ends */
	}
	return 1;
}

static const yajl_callbacks callbacks = {
        .yajl_null = cb_null,
        .yajl_boolean = cb_bool,
        .yajl_number = cb_number,
        .yajl_string = cb_string,
        .yajl_start_map = cb_start_map,
        .yajl_map_key = cb_key,
        .yajl_end_map = cb_end,
        .yajl_start_array = cb_start_array,
        .yajl_end_array = cb_end,
};

/* "JSON: line N: why" from yajl's error, found at byte `at`. */
static void json_error(yajl_handle h, const char *data, size_t len, size_t at, struct err *e)
{
	unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)data, len);
	size_t i, line = 1;
	const char *why = msg ? (const char *)msg : "parse error";
	size_t n;

	for (i = 0; i < at && i < len; i++)
		line += data[i] == '\n';
	if (strncmp(why, "parse error: ", 13) == 0)
		why += 13;
	for (n = strlen(why); n > 0 && isspace((unsigned char)why[n - 1]); n--)
		;
	err_set(e, "JSON: line %zu: %.*s", line, (int)n, why);
	if (msg)
		yajl_free_error(h, msg);
}

struct transcript *tx_parse_json(const char *data, size_t len, struct err *e)
{
	struct jp j = {0};
	yajl_handle h = yajl_alloc(&callbacks, NULL, &j);
	yajl_status st;
	size_t at;

	if (h == NULL) {
		err_set(e, "JSON: out of memory");
		return NULL;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) { /* a UTF-8 byte order mark */
		data += 3;
		len -= 3;
	}
	st = yajl_parse(h, (const unsigned char *)data, len);
	at = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		at = len; /* an error now is at the end (a premature end) */
	}
	if (st == yajl_status_ok && j.have_segs && line_flush(&j.tb, &j.l) < 0)
		st = yajl_status_client_canceled;
	if (st == yajl_status_error)
		json_error(h, data, len, at, e);
	else if (st == yajl_status_client_canceled)
		err_set(e, "JSON: out of memory");
	else if (!j.have_segs)
		err_set(e, "JSON: no \"segments\" array");
	yajl_free(h);
	line_flush(NULL, &j.l);
	buf_free(&j.l.text);
	free(j.l.w);
	buf_free(&j.body);
	buf_free(&j.speaker);
	if (st != yajl_status_ok || !j.have_segs) {
		tx_build_free(&j.tb);
		return NULL;
	}
	return tx_finish(&j.tb);
}
