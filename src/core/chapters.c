/* chapters.c - chapters from ID3v2 CHAP/CTOC, Podcasting 2.0 JSON and
 * Podlove Simple Chapters; merging two sources; JSON output. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hark/chapters.h"
#include "hark/jsonutil.h"
#include "hark/feed.h"
#include "hark/id3.h"

/* Most chapters read from one source (a hostile file cannot make more). */
#define CHAPTERS_MAX 10000

struct chap_build {
	struct chapter *v;
	size_t n, cap;
};

static struct chapter *chap_new(struct chap_build *b)
{
	struct chapter *nv;
	size_t cap;

	if (b->n >= CHAPTERS_MAX)
		return NULL;
	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 16;
		nv = realloc(b->v, cap * sizeof *nv);
		if (nv == NULL)
			return NULL;
		b->v = nv;
		b->cap = cap;
	}
	nv = &b->v[b->n++];
	memset(nv, 0, sizeof *nv);
	nv->start = 0;
	nv->end = -1;
	nv->toc = true;
	return nv;
}

/* A one-line sanitized copy; NULL for NULL or an empty result. */
static char *clean(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = text_sanitize(s, false);
	if (c != NULL && *c == '\0') {
		free(c);
		c = NULL;
	}
	return c;
}

static void chapter_free(struct chapter *c)
{
	free(c->title);
	free(c->url);
	free(c->image);
}

void chapters_free(struct chapters *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		chapter_free(&c->v[i]);
	free(c->v);
	free(c);
}

static void build_free(struct chap_build *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		chapter_free(&b->v[i]);
	free(b->v);
	memset(b, 0, sizeof *b);
}

/* Stable insertion sort by start (chapter lists are short and nearly
 * always sorted already). */
static void sort_chapters(struct chapter *v, size_t n)
{
	size_t i, j;
	struct chapter tmp;

	for (i = 1; i < n; i++) {
		tmp = v[i];
		for (j = i; j > 0 && v[j - 1].start > tmp.start; j--)
			v[j] = v[j - 1];
		v[j] = tmp;
	}
}

static struct chapters *build_finish(struct chap_build *b)
{
	struct chapters *c = calloc(1, sizeof *c);

	if (c == NULL) {
		build_free(b);
		return NULL;
	}
	sort_chapters(b->v, b->n);
	c->v = b->v;
	c->n = b->n;
	memset(b, 0, sizeof *b);
	return c;
}

/* ---- ID3 ---- */

struct id3_ctx {
	const struct id3_tag *tag;
	struct chap_build b;
	char **ids; /* element id of each chapter in b */
	size_t n_ids;
	char **toc_ids; /* entries of CTOC frames */
	size_t n_toc, cap_toc;
	bool have_ctoc;
	struct chapter *cur; /* CHAP being filled by its sub-frames */
	int oom;
};

static int push_toc_id(struct id3_ctx *cx, const unsigned char *p, size_t n)
{
	char **nv;

	if (cx->n_toc == cx->cap_toc) {
		cx->cap_toc = cx->cap_toc ? cx->cap_toc * 2 : 16;
		nv = realloc(cx->toc_ids, cx->cap_toc * sizeof *nv);
		if (nv == NULL)
			return -1;
		cx->toc_ids = nv;
	}
	cx->toc_ids[cx->n_toc] = str_ndup((const char *)p, n);
	if (cx->toc_ids[cx->n_toc] == NULL)
		return -1;
	cx->n_toc++;
	return 0;
}

/* Sub-frames of a CHAP: TIT2 title, WXXX link, APIC picture. */
static int chap_sub(void *ctx, const char *id, const unsigned char *p, size_t n)
{
	struct id3_ctx *cx = ctx;
	struct chapter *c = cx->cur;
	size_t skip, len;
	char *s;

	if (n < 1)
		return 0;
	if (strcmp(id, "TIT2") == 0 && c->title == NULL) {
		s = id3_text(p[0], p + 1, n - 1);
		c->title = clean(s);
		free(s);
	} else if (strcmp(id, "WXXX") == 0 && c->url == NULL) {
		id3_strlen(p[0], p + 1, n - 1, &skip); /* description */
		s = id3_text(0, p + 1 + skip, n - 1 - skip);
		c->url = clean(s);
		free(s);
	} else if (strcmp(id, "WOAR") == 0 && c->url == NULL) {
		s = id3_text(0, p, n);
		c->url = clean(s);
		free(s);
	} else if (strcmp(id, "APIC") == 0 && c->image == NULL) {
		len = id3_strlen(0, p + 1, n - 1, &skip);
		s = str_ndup((const char *)p + 1, len);
		if (s != NULL && strcmp(s, "-->") == 0) {
			/* The picture is a link: type byte, description, URL. */
			size_t at = 1 + skip + 1, dskip;

			free(s);
			s = NULL;
			if (at < n) {
				id3_strlen(p[0], p + at, n - at, &dskip);
				if (at + dskip < n)
					s = id3_text(0, p + at + dskip, n - at - dskip);
			}
			c->image = clean(s);
		} else {
			char *m = clean(s && *s ? s : "image/");

			c->image = m ? str_printf("apic:%s", m) : NULL;
			free(m);
		}
		free(s);
	}
	return 0;
}

static int top_frame(void *ctx, const char *id, const unsigned char *p, size_t n)
{
	struct id3_ctx *cx = ctx;
	size_t skip, i, count;

	if (strcmp(id, "CHAP") == 0) {
		size_t idlen = id3_strlen(0, p, n, &skip);
		uint32_t st, en;
		char **nv;

		if (skip + 16 > n)
			return 0;
		st = (uint32_t)p[skip] << 24 | (uint32_t)p[skip + 1] << 16 |
		     (uint32_t)p[skip + 2] << 8 | p[skip + 3];
		en = (uint32_t)p[skip + 4] << 24 | (uint32_t)p[skip + 5] << 16 |
		     (uint32_t)p[skip + 6] << 8 | p[skip + 7];
		cx->cur = chap_new(&cx->b);
		if (cx->cur == NULL)
			return cx->b.n >= CHAPTERS_MAX ? 1 : (cx->oom = 1);
		nv = realloc(cx->ids, cx->b.cap * sizeof *nv);
		if (nv == NULL)
			return (cx->oom = 1);
		cx->ids = nv;
		cx->ids[cx->n_ids++] = str_ndup((const char *)p, idlen);
		cx->cur->start = st / 1000.0;
		cx->cur->end = en == 0xffffffffu || en <= st ? -1 : en / 1000.0;
		id3_frames(cx->tag, p + skip + 16, n - skip - 16, chap_sub, cx);
		cx->cur = NULL;
	} else if (strcmp(id, "CTOC") == 0) {
		id3_strlen(0, p, n, &skip);
		if (skip + 2 > n)
			return 0;
		cx->have_ctoc = true;
		count = p[skip + 1];
		i = skip + 2;
		while (count-- > 0 && i < n) {
			size_t len = id3_strlen(0, p + i, n - i, &skip);

			if (push_toc_id(cx, p + i, len) < 0)
				return (cx->oom = 1);
			i += skip;
		}
	}
	return 0;
}

struct chapters *chapters_from_id3(const unsigned char *tag, size_t len, struct err *e)
{
	struct id3_ctx cx;
	struct id3_tag t;
	struct chapters *c = NULL;
	size_t i, k;

	memset(&cx, 0, sizeof cx);
	if (tag == NULL || id3_open(&t, tag, len) < 0) {
		err_set(e, "not an ID3v2.3 or ID3v2.4 tag");
		return NULL;
	}
	cx.tag = &t;
	id3_frames(&t, t.frames, t.len, top_frame, &cx);
	if (cx.oom) {
		err_set(e, "out of memory");
		build_free(&cx.b);
	} else {
		/* With a CTOC, chapters it does not list are hidden. */
		for (i = 0; cx.have_ctoc && i < cx.b.n; i++) {
			bool listed = false;

			for (k = 0; k < cx.n_toc && !listed; k++)
				listed = i < cx.n_ids && cx.ids[i] &&
				         strcmp(cx.ids[i], cx.toc_ids[k]) == 0;
			cx.b.v[i].toc = listed;
		}
		c = build_finish(&cx.b);
		if (c == NULL)
			err_set(e, "out of memory");
	}
	for (i = 0; i < cx.n_ids; i++)
		free(cx.ids[i]);
	free(cx.ids);
	for (i = 0; i < cx.n_toc; i++)
		free(cx.toc_ids[i]);
	free(cx.toc_ids);
	id3_close(&t);
	return c;
}

/* ---- JSON ---- */

static double json_time(json_t *v)
{
	double t = -1;

	if (json_is_number(v))
		t = json_number_value(v);
	else if (json_is_string(v))
		t = time_parse_clock(json_string_value(v));
	return isnan(t) || isinf(t) || t < 0 ? -1 : t;
}

struct chapters *chapters_from_json(const char *data, size_t len, struct err *e)
{
	struct chap_build b = {0};
	json_error_t je;
	json_t *root, *arr, *it;
	size_t i;

	root = json_loadb(data, len, 0, &je);
	if (root == NULL) {
		err_set(e, "JSON chapters: line %d: %s", je.line, je.text);
		return NULL;
	}
	arr = json_object_get(root, "chapters");
	if (!json_is_array(arr)) {
		err_set(e, "JSON chapters: no \"chapters\" array");
		json_decref(root);
		return NULL;
	}
	json_array_foreach(arr, i, it)
	{
		double st = json_time(json_object_get(it, "startTime"));
		struct chapter *c;
		json_t *toc;

		if (st < 0)
			continue;
		c = chap_new(&b);
		if (c == NULL)
			break;
		c->start = st;
		c->end = json_time(json_object_get(it, "endTime"));
		if (c->end >= 0 && c->end < st)
			c->end = -1;
		c->title = clean(json_string_value(json_object_get(it, "title")));
		c->url = clean(json_string_value(json_object_get(it, "url")));
		c->image = clean(json_string_value(json_object_get(it, "img")));
		toc = json_object_get(it, "toc");
		c->toc = !json_is_false(toc);
	}
	json_decref(root);
	return build_finish(&b);
}

/* ---- Podlove Simple Chapters ---- */

struct chapters *chapters_from_psc(const struct feed_psc_chapter *v, size_t n)
{
	struct chap_build b = {0};
	struct chapter *c;
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		if (v[i].start < 0)
			continue;
		c = chap_new(&b);
		if (c == NULL) {
			build_free(&b);
			return NULL;
		}
		c->start = v[i].start;
		c->title = clean(v[i].title);
		c->url = clean(v[i].href);
		c->image = clean(v[i].image);
	}
	return build_finish(&b);
}

/* ---- merge ---- */

static int copy_chapter(struct chapter *dst, const struct chapter *src)
{
	*dst = *src;
	dst->title = str_dup(src->title);
	dst->url = str_dup(src->url);
	dst->image = str_dup(src->image);
	if ((src->title && !dst->title) || (src->url && !dst->url) || (src->image && !dst->image)) {
		chapter_free(dst);
		return -1;
	}
	return 0;
}

static size_t richness(const struct chapters *c)
{
	size_t i, r = 0;

	for (i = 0; i < c->n; i++)
		r += (c->v[i].title != NULL) + (c->v[i].url != NULL) + (c->v[i].image != NULL) +
		     (c->v[i].end >= 0);
	return r;
}

static struct chapters *chapters_dup(const struct chapters *c)
{
	struct chapters *d = calloc(1, sizeof *d);
	size_t i;

	if (d == NULL)
		return NULL;
	d->v = calloc(c->n ? c->n : 1, sizeof *d->v);
	if (d->v == NULL) {
		free(d);
		return NULL;
	}
	for (i = 0; i < c->n; i++) {
		if (copy_chapter(&d->v[i], &c->v[i]) < 0) {
			chapters_free(d);
			return NULL;
		}
		d->n++;
	}
	return d;
}

struct chapters *chapters_merge(const struct chapters *a, const struct chapters *b)
{
	struct chapters *m;
	bool agree;
	size_t i;

	if (a == NULL || b == NULL)
		return a ? chapters_dup(a) : b ? chapters_dup(b) : NULL;
	agree = a->n == b->n && a->n > 0;
	for (i = 0; agree && i < a->n; i++)
		agree = fabs(a->v[i].start - b->v[i].start) <= 1.0;
	if (!agree) {
		if (b->n > a->n || (b->n == a->n && richness(b) > richness(a)))
			return chapters_dup(b);
		return chapters_dup(a);
	}
	m = chapters_dup(a);
	for (i = 0; m != NULL && i < m->n; i++) {
		struct chapter *c = &m->v[i];
		const struct chapter *o = &b->v[i];

		if (c->title == NULL && o->title && (c->title = str_dup(o->title)) == NULL)
			goto oom;
		if (c->url == NULL && o->url && (c->url = str_dup(o->url)) == NULL)
			goto oom;
		if (c->image == NULL && o->image && (c->image = str_dup(o->image)) == NULL)
			goto oom;
		if (c->end < 0)
			c->end = o->end;
		c->toc = c->toc && o->toc;
	}
	return m;
oom:
	chapters_free(m);
	return NULL;
}

/* ---- output and lookup ---- */

json_t *chapters_to_json(const struct chapters *c)
{
	json_t *root = json_object(), *arr = json_array(), *o;
	size_t i;

	if (root == NULL || arr == NULL)
		goto oom;
	for (i = 0; c != NULL && i < c->n; i++) {
		const struct chapter *ch = &c->v[i];

		o = json_pack("{s:f,s:o,s:o,s:o,s:o,s:b}", "start", ch->start, "end",
		              ch->end < 0 ? json_null() : json_real(ch->end), "title",
		              json_str_or_null(ch->title), "url", json_str_or_null(ch->url),
		              "image", json_str_or_null(ch->image), "toc", ch->toc);
		if (o == NULL || json_array_append_new(arr, o) < 0)
			goto oom;
	}
	if (json_object_set_new(root, "chapters", arr) < 0) {
		arr = NULL;
		goto oom;
	}
	return root;
oom:
	json_decref(arr);
	json_decref(root);
	return NULL;
}

long chapters_find(const struct chapters *c, double pos, bool only_toc)
{
	size_t lo = 0, hi;

	if (c == NULL || c->n == 0 || isnan(pos))
		return -1;
	hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->v[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (only_toc && lo > 0 && !c->v[lo - 1].toc)
		lo--;
	return (long)lo - 1;
}
