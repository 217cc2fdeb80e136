/* transcript.c - the format-independent part of transcripts: building and
 * cleaning cues, format choice and sniffing, lookup by time, JSON output,
 * show-notes timestamps and sidecar files. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hark/feed.h"
#include "hark/transcript.h"
#include "transcript_int.h"

/* ---- building cues ---- */

char *tx_copy_input(const char *data, size_t len)
{
	struct buf b = {0};
	size_t i = 0, start;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (buf_reserve(&b, len) < 0)
		return NULL;
	while (i < len) {
		start = i;
		while (i < len && data[i] != '\0')
			i++;
		if (buf_append(&b, data + start, i - start) < 0)
			goto oom;
		if (i < len) {
			if (buf_puts(&b, "\xef\xbf\xbd") < 0)
				goto oom;
			i++;
		}
	}
	return buf_steal(&b);
oom:
	buf_free(&b);
	return NULL;
}

int tx_split_lines(char *s, char ***lines, size_t *n)
{
	size_t cap = 64, k = 0;
	char **v = malloc(cap * sizeof *v), **nv;
	char *p = s;

	if (v == NULL)
		return -1;
	for (;;) {
		if (k == cap) {
			cap *= 2;
			nv = realloc(v, cap * sizeof *v);
			if (nv == NULL) {
				free(v);
				return -1;
			}
			v = nv;
		}
		v[k++] = p;
		p += strcspn(p, "\r\n");
		if (*p == '\0')
			break;
		if (p[0] == '\r' && p[1] == '\n')
			*p++ = '\0';
		*p++ = '\0';
	}
	*lines = v;
	*n = k;
	return 0;
}

/* Clean a cue's text: sanitize (newlines kept), trim every line, drop empty
 * lines at both ends. Word spans are carried over into the new text and
 * shrunk to exclude white space at their edges; empty words are dropped. */
static int tx_clean(const char *raw, const struct transcript_word *words, size_t n_words,
                    char **out_text, struct transcript_word **out_words, size_t *out_n)
{
	struct buf b = {0};
	size_t *segoff = NULL, *map = NULL, nseg = 0, i, j, len, ls, le, k;
	size_t rawlen = strlen(raw), pos = 0;
	struct transcript_word *w = NULL;
	bool *del = NULL;
	size_t nw = 0;

	/* Sanitize piece by piece at word boundaries so offsets can follow
	 * (into one buffer: no allocation per piece). */
	if (buf_reserve(&b, rawlen) < 0)
		return -1;
	segoff = calloc(2 * n_words + 2, sizeof *segoff);
	if (segoff == NULL)
		goto oom;
	for (i = 0; i <= 2 * n_words; i++) {
		size_t cut;

		if (i == 2 * n_words)
			cut = rawlen;
		else if (i % 2 == 0)
			cut = words[i / 2].off;
		else
			cut = words[i / 2].off + words[i / 2].len;
		if (cut > rawlen)
			cut = rawlen;
		if (cut < pos)
			cut = pos;
		if (text_sanitize_append(&b, raw + pos, cut - pos, true) < 0)
			goto oom;
		pos = cut;
		segoff[nseg++] = b.len; /* end of piece i in the sanitized text */
	}
	if (b.data == NULL && buf_puts(&b, "") < 0)
		goto oom;
	len = b.len;
	del = calloc(len + 1, sizeof *del);
	map = calloc(len + 1, sizeof *map);
	if (del == NULL || map == NULL)
		goto oom;
	/* Trim each line. */
	for (ls = 0; ls <= len; ls = le + 1) {
		le = ls;
		while (le < len && b.data[le] != '\n')
			le++;
		for (k = ls; k < le && b.data[k] == ' '; k++)
			del[k] = true;
		for (k = le; k > ls && b.data[k - 1] == ' '; k--)
			del[k - 1] = true;
	}
	/* Empty lines at the ends. */
	for (k = 0; k < len && (del[k] || b.data[k] == '\n'); k++)
		del[k] = true;
	for (k = len; k > 0 && (del[k - 1] || b.data[k - 1] == '\n'); k--)
		del[k - 1] = true;
	for (i = 0, j = 0; i < len; i++) {
		map[i] = j;
		if (!del[i])
			b.data[j++] = b.data[i];
	}
	map[len] = j;
	b.data[j] = '\0';
	b.len = j;
	if (n_words > 0) {
		w = calloc(n_words, sizeof *w);
		if (w == NULL)
			goto oom;
		for (i = 0; i < n_words; i++) {
			size_t s = map[i == 0 ? segoff[0] : segoff[2 * i]];
			size_t e = map[segoff[2 * i + 1]];

			while (s < e && (b.data[s] == ' ' || b.data[s] == '\n'))
				s++;
			while (e > s && (b.data[e - 1] == ' ' || b.data[e - 1] == '\n'))
				e--;
			if (e == s)
				continue;
			w[nw].start = words[i].start;
			w[nw].off = s;
			w[nw].len = e - s;
			nw++;
		}
		if (nw == 0) {
			free(w);
			w = NULL;
		}
	}
	free(segoff);
	free(del);
	free(map);
	*out_text = buf_steal(&b);
	*out_words = w;
	*out_n = nw;
	return 0;
oom:
	free(segoff);
	free(del);
	free(map);
	free(w);
	buf_free(&b);
	return -1;
}

int tx_add(struct tx_build *b, double start, double end, const char *speaker, const char *raw_text,
           const struct transcript_word *words, size_t n_words)
{
	struct transcript_cue *c, *nv;
	size_t cap;

	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 64;
		nv = realloc(b->v, cap * sizeof *nv);
		if (nv == NULL)
			return -1;
		b->v = nv;
		b->cap = cap;
	}
	c = &b->v[b->n];
	memset(c, 0, sizeof *c);
	c->start = start;
	c->end = end;
	if (speaker != NULL) {
		c->speaker = text_sanitize(speaker, false);
		if (c->speaker == NULL)
			return -1;
		if (c->speaker[0] == '\0') {
			free(c->speaker);
			c->speaker = NULL;
		}
	}
	if (tx_clean(raw_text ? raw_text : "", words, n_words, &c->text, &c->words, &c->n_words) <
	    0) {
		free(c->speaker);
		return -1;
	}
	b->n++;
	return 0;
}

static void cue_free(struct transcript_cue *c)
{
	free(c->speaker);
	free(c->text);
	free(c->words);
}

void tx_build_free(struct tx_build *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		cue_free(&b->v[i]);
	free(b->v);
	memset(b, 0, sizeof *b);
}

/* Stable merge sort of cues by start time (start -1 = untimed sorts first,
 * which keeps untimed plain text in file order). */
static void sort_cues(struct transcript_cue *v, struct transcript_cue *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	sort_cues(v, tmp, mid);
	sort_cues(v + mid, tmp, n - mid);
	if (v[mid - 1].start <= v[mid].start)
		return;
	while (i < mid && j < n)
		tmp[k++] = v[j].start < v[i].start ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

struct transcript *tx_finish(struct tx_build *b)
{
	struct transcript *t = calloc(1, sizeof *t);
	struct transcript_cue *tmp;

	if (t == NULL) {
		tx_build_free(b);
		return NULL;
	}
	if (b->n > 1) {
		tmp = malloc(b->n * sizeof *tmp);
		if (tmp == NULL) {
			tx_build_free(b);
			free(t);
			return NULL;
		}
		sort_cues(b->v, tmp, b->n);
		free(tmp);
	}
	t->cues = b->v;
	t->n = b->n;
	memset(b, 0, sizeof *b);
	return t;
}

void transcript_free(struct transcript *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		cue_free(&t->cues[i]);
	free(t->cues);
	free(t);
}

/* ---- formats ---- */

enum transcript_format transcript_format_from_mime(const char *mime)
{
	static const struct {
		const char *mime;
		enum transcript_format f;
	} map[] = {
	        {"application/json", TRANSCRIPT_JSON},
	        {"text/json", TRANSCRIPT_JSON},
	        {"application/x-podcast-transcript+json", TRANSCRIPT_JSON},
	        {"text/vtt", TRANSCRIPT_VTT},
	        {"text/webvtt", TRANSCRIPT_VTT},
	        {"application/x-subrip", TRANSCRIPT_SRT},
	        {"application/srt", TRANSCRIPT_SRT},
	        {"application/x-srt", TRANSCRIPT_SRT},
	        {"text/srt", TRANSCRIPT_SRT},
	        {"text/x-srt", TRANSCRIPT_SRT},
	        {"text/html", TRANSCRIPT_HTML},
	        {"application/xhtml+xml", TRANSCRIPT_HTML},
	        {"text/plain", TRANSCRIPT_TEXT},
	};
	size_t i, n;

	if (mime == NULL)
		return TRANSCRIPT_UNKNOWN;
	while (*mime == ' ')
		mime++;
	n = strcspn(mime, "; \t");
	for (i = 0; i < HARK_ARRAY_LEN(map); i++)
		if (strlen(map[i].mime) == n && strncasecmp(mime, map[i].mime, n) == 0)
			return map[i].f;
	return TRANSCRIPT_UNKNOWN;
}

enum transcript_format transcript_format_from_name(const char *name)
{
	const char *end, *dot;
	size_t n;

	if (name == NULL)
		return TRANSCRIPT_UNKNOWN;
	end = name + strcspn(name, "?#");
	for (dot = end; dot > name && dot[-1] != '.' && dot[-1] != '/'; dot--)
		;
	if (dot == name || dot[-1] != '.')
		return TRANSCRIPT_UNKNOWN;
	n = (size_t)(end - dot);
	if (n == 3 && strncasecmp(dot, "vtt", 3) == 0)
		return TRANSCRIPT_VTT;
	if (n == 3 && strncasecmp(dot, "srt", 3) == 0)
		return TRANSCRIPT_SRT;
	if (n == 4 && strncasecmp(dot, "json", 4) == 0)
		return TRANSCRIPT_JSON;
	if ((n == 4 && strncasecmp(dot, "html", 4) == 0) ||
	    (n == 3 && strncasecmp(dot, "htm", 3) == 0))
		return TRANSCRIPT_HTML;
	if (n == 3 && strncasecmp(dot, "txt", 3) == 0)
		return TRANSCRIPT_TEXT;
	return TRANSCRIPT_UNKNOWN;
}

const char *transcript_format_name(enum transcript_format f)
{
	switch (f) {
	case TRANSCRIPT_JSON:
		return "json";
	case TRANSCRIPT_VTT:
		return "vtt";
	case TRANSCRIPT_SRT:
		return "srt";
	case TRANSCRIPT_HTML:
		return "html";
	case TRANSCRIPT_TEXT:
		return "text";
	default:
		return "unknown";
	}
}

/* True when line (up to a newline) looks like an SRT/VTT timing line. */
static bool has_timing(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *lend = nl ? nl : end;
	const char *a;

	for (a = p; a + 3 <= lend; a++)
		if (a[0] == '-' && a[1] == '-' && a[2] == '>')
			return a > p && isdigit((unsigned char)a[-1 - (a[-1] == ' ')]);
	return false;
}

enum transcript_format transcript_sniff(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int lines = 0;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (end - p >= 6 && memcmp(p, "WEBVTT", 6) == 0)
		return TRANSCRIPT_VTT;
	if (p < end && (*p == '{' || *p == '['))
		return TRANSCRIPT_JSON;
	if (p < end && *p == '<')
		return TRANSCRIPT_HTML;
	while (p < end && lines < 12) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (has_timing(p, end))
			return TRANSCRIPT_SRT;
		if (nl == NULL)
			break;
		p = nl + 1;
		lines++;
	}
	return TRANSCRIPT_TEXT;
}

struct transcript *transcript_parse_format(const char *data, size_t len, enum transcript_format fmt,
                                           struct err *e)
{
	if (data == NULL) {
		data = "";
		len = 0;
	}
	if (fmt == TRANSCRIPT_UNKNOWN || fmt == TRANSCRIPT_TEXT)
		fmt = transcript_sniff(data, len);
	switch (fmt) {
	case TRANSCRIPT_VTT:
		return tx_parse_vtt(data, len, e);
	case TRANSCRIPT_SRT:
		return tx_parse_srt(data, len, e);
	case TRANSCRIPT_JSON:
		return tx_parse_json(data, len, e);
	case TRANSCRIPT_HTML:
		return tx_parse_html(data, len, e);
	default:
		return tx_parse_text(data, len, e);
	}
}

struct transcript *transcript_parse(const char *data, size_t len, const char *mime, struct err *e)
{
	return transcript_parse_format(data, len, transcript_format_from_mime(mime), e);
}

/* ---- output and lookup ---- */

static json_t *time_or_null(double t)
{
	return t < 0 || isnan(t) ? json_null() : json_real(t);
}

json_t *transcript_to_json(const struct transcript *t)
{
	json_t *root = json_object(), *cues = json_array(), *c;
	size_t i;

	if (root == NULL || cues == NULL)
		goto oom;
	for (i = 0; t != NULL && i < t->n; i++) {
		const struct transcript_cue *q = &t->cues[i];

		c = json_pack("{s:o,s:o,s:o,s:s}", "start", time_or_null(q->start), "end",
		              time_or_null(q->end), "speaker",
		              q->speaker ? json_string(q->speaker) : json_null(), "text",
		              q->text ? q->text : "");
		if (c == NULL || json_array_append_new(cues, c) < 0)
			goto oom;
	}
	if (json_object_set_new(root, "cues", cues) < 0) {
		cues = NULL;
		goto oom;
	}
	return root;
oom:
	json_decref(cues);
	json_decref(root);
	return NULL;
}

long transcript_find(const struct transcript *t, double pos)
{
	size_t lo = 0, hi, k, stop;

	if (t == NULL || t->n == 0 || isnan(pos))
		return -1;
	/* First cue with start > pos. */
	hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->cues[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	/* The last started cue, or (overlapping cues) one of the few before it
	 * that is still running. */
	stop = lo > 8 ? lo - 8 : 0;
	for (k = lo; k > stop; k--) {
		const struct transcript_cue *c = &t->cues[k - 1];

		if (c->start < 0)
			return -1;
		if (c->end < 0 ? k == lo : pos < c->end)
			return (long)(k - 1);
	}
	return -1;
}

long transcript_find_word(const struct transcript_cue *c, double pos)
{
	size_t lo = 0, hi;

	if (c == NULL || c->n_words == 0)
		return -1;
	hi = c->n_words;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->words[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* ---- choosing among <podcast:transcript> tags ---- */

static int format_rank(const struct feed_transcript *ft)
{
	enum transcript_format f = transcript_format_from_mime(ft->type);

	if (f == TRANSCRIPT_UNKNOWN)
		f = transcript_format_from_name(ft->url);
	switch (f) {
	case TRANSCRIPT_JSON:
		return 0;
	case TRANSCRIPT_VTT:
		return 1;
	case TRANSCRIPT_SRT:
		return 2;
	case TRANSCRIPT_HTML:
		return 3;
	case TRANSCRIPT_TEXT:
		return 4;
	default:
		return 5;
	}
}

/* Same primary language subtag ("en" matches "en-US" and "EN_gb"). */
static bool lang_match(const char *a, const char *b)
{
	size_t na = strcspn(a, "-_.@"), nb = strcspn(b, "-_.@");

	return na > 0 && na == nb && strncasecmp(a, b, na) == 0;
}

long transcript_pick(const struct feed_transcript *list, size_t n, const char *preferred)
{
	long best = -1;
	int best_score = 0, score;
	size_t i;

	if (list == NULL || n == 0)
		return -1;
	if (preferred == NULL || *preferred == '\0') {
		preferred = getenv("LANG");
		if (preferred != NULL &&
		    (strcmp(preferred, "C") == 0 || strncmp(preferred, "C.", 2) == 0 ||
		     strcmp(preferred, "POSIX") == 0))
			preferred = NULL;
	}
	for (i = 0; i < n; i++) {
		const struct feed_transcript *ft = &list[i];
		int lang;

		if (ft->url == NULL)
			continue;
		if (ft->language == NULL || *ft->language == '\0')
			lang = 1;
		else if (preferred != NULL && *preferred && lang_match(ft->language, preferred))
			lang = 0;
		else
			lang = preferred != NULL && *preferred ? 2 : 1;
		score = lang * 10 + format_rank(ft);
		if (best < 0 || score < best_score) {
			best = (long)i;
			best_score = score;
		}
	}
	return best;
}

/* ---- show notes ---- */

/* Parse a clock at p: [H:]MM:SS or M:SS (seconds exactly two digits). Sets
 * *len to the bytes used; -1 when there is none. */
static double clock_at(const char *p, size_t *len)
{
	long v[3];
	int n = 0, digits;
	const char *q = p;

	for (;;) {
		digits = 0;
		v[n] = 0;
		while (isdigit((unsigned char)*q) && digits < 3) {
			v[n] = v[n] * 10 + (*q - '0');
			q++;
			digits++;
		}
		if (digits == 0 || isdigit((unsigned char)*q))
			return -1;
		if (n > 0 && (digits != 2 || v[n] > 59))
			return -1;
		if (n == 0 && digits > 2)
			return -1;
		n++;
		if (*q == ':' && n < 3 && isdigit((unsigned char)q[1]))
			q++;
		else
			break;
	}
	if (n < 2)
		return -1;
	*len = (size_t)(q - p);
	if (n == 2)
		return (double)v[0] * 60 + (double)v[1];
	return (double)v[0] * 3600 + (double)v[1] * 60 + (double)v[2];
}

/* Separators around a show-notes timestamp: space, dashes, dots, colons,
 * bars, brackets, bullets. */
static size_t sep_len(const char *p)
{
	static const char *const multi[] = {"\xe2\x80\x94", "\xe2\x80\x93", "\xe2\x80\xa2",
	                                    "\xc2\xb7"};
	size_t i;

	if (*p != '\0' && strchr(" \t-:|.,()[]*>", *p))
		return 1;
	for (i = 0; i < HARK_ARRAY_LEN(multi); i++)
		if (strncmp(p, multi[i], strlen(multi[i])) == 0)
			return strlen(multi[i]);
	return 0;
}

/* True when the 3 bytes before end are an em or en dash. */
static bool is_dash_end(const char *start, const char *end)
{
	return end - start >= 3 &&
	       (memcmp(end - 3, "\xe2\x80\x94", 3) == 0 || memcmp(end - 3, "\xe2\x80\x93", 3) == 0);
}

struct transcript *transcript_from_shownotes(const char *description)
{
	struct tx_build b = {0};
	char *copy, **lines = NULL, *line, *p, *text, *before_end, *after, *orig;
	size_t n = 0, i, len, k;
	struct transcript *t;
	double secs;

	if (description == NULL)
		return NULL;
	copy = str_dup(description);
	if (copy == NULL || tx_split_lines(copy, &lines, &n) < 0) {
		free(copy);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		line = lines[i];
		secs = -1;
		len = 0;
		for (p = line; *p; p++) {
			if (!isdigit((unsigned char)*p) ||
			    (p > line && (isdigit((unsigned char)p[-1]) || p[-1] == ':')))
				continue;
			secs = clock_at(p, &len);
			if (secs >= 0)
				break;
		}
		if (secs < 0)
			continue;
		/* The line without the timestamp and the separators around it
		 * (the whole line when nothing else is left). */
		orig = str_dup(line);
		if (orig == NULL)
			goto fail;
		before_end = p;
		after = p + len;
		while (before_end > line && sep_len(before_end - 1) == 1)
			before_end--;
		while (before_end > line && is_dash_end(line, before_end))
			before_end -= 3;
		while (before_end > line && sep_len(before_end - 1) == 1)
			before_end--;
		while ((k = sep_len(after)) > 0)
			after += k;
		*before_end = '\0';
		if (*line == '\0')
			text = str_dup(after);
		else if (*after == '\0')
			text = str_dup(line);
		else
			text = str_printf("%s %s", line, after);
		if (text == NULL) {
			free(orig);
			goto fail;
		}
		str_trim(text);
		k = tx_add(&b, secs, -1, NULL, *text ? text : str_trim(orig), NULL, 0) < 0;
		free(text);
		free(orig);
		if (k)
			goto fail;
	}
	free(lines);
	free(copy);
	if (b.n == 0)
		return NULL;
	t = tx_finish(&b);
	return t;
fail:
	free(lines);
	free(copy);
	tx_build_free(&b);
	return NULL;
}

/* ---- sidecar files ---- */

char *transcript_sidecar(const char *audio_path)
{
	static const char *const ext[] = {".vtt", ".srt"};
	const char *slash, *dot;
	size_t i, base;
	char *p;

	if (audio_path == NULL || *audio_path == '\0')
		return NULL;
	slash = strrchr(audio_path, '/');
	dot = strrchr(audio_path, '.');
	base = dot && (slash == NULL || dot > slash + 1) ? (size_t)(dot - audio_path)
	                                                 : strlen(audio_path);
	for (i = 0; i < HARK_ARRAY_LEN(ext); i++) {
		p = str_printf("%.*s%s", (int)base, audio_path, ext[i]);
		if (p != NULL && access(p, R_OK) == 0)
			return p;
		free(p);
	}
	for (i = 0; i < HARK_ARRAY_LEN(ext); i++) {
		p = str_printf("%s%s", audio_path, ext[i]);
		if (p != NULL && access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}
