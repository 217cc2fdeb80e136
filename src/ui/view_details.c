/* view_details.c - the details pane: the selected episode's Description
 * (show-note timestamps become seekable lines), its Transcript (follows
 * playback, highlights the cue and word being heard) and its Chapters.
 * Content is laid out into wrapped lines, cached until it or the width
 * changes; every line may carry a start time that Enter seeks to. */
#include "config.h"

#include <curses.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hark/config.h"
#include "hark/feed.h"
#include "hark/transcript.h"
#include "ui.h"
#include "uitext.h"

enum dl_kind { DL_PLAIN, DL_HEAD, DL_META, DL_SPEAKER, DL_CUE, DL_STAMP, DL_CHAPTER, DL_NOTE };

struct dline {
	char *text;
	enum dl_kind kind;
	double start; /* -1: not seekable */
	long cue;     /* transcript cue or chapter index, -1 */
	size_t off;   /* byte offset of text inside the cue's text */
	char gutter[16];
};

static struct {
	struct dline *v;
	size_t n, cap;
	long *cue_line; /* first line of each cue */
	/* what the cache was built from */
	int64_t ep;
	int tab, width;
	size_t ncues, nch;
	bool loading;
	unsigned gen;
} lines;

static unsigned content_gen; /* bumped whenever cues/chapters change */

static void lines_free(void)
{
	size_t i;

	for (i = 0; i < lines.n; i++)
		free(lines.v[i].text);
	free(lines.v);
	free(lines.cue_line);
	lines.v = NULL;
	lines.cue_line = NULL;
	lines.n = 0;
	lines.cap = 0;
}

static void add_line(const char *text, enum dl_kind kind, double start, long cue, size_t off,
                     const char *gutter)
{
	struct dline *nv = lines.v;

	if (lines.n == lines.cap) {
		size_t cap = lines.cap ? lines.cap * 2 : 64;

		nv = realloc(lines.v, cap * sizeof *nv);
		if (nv == NULL)
			return;
		lines.v = nv;
		lines.cap = cap;
	}
	nv[lines.n].text = str_dup(text ? text : "");
	nv[lines.n].kind = kind;
	nv[lines.n].start = start;
	nv[lines.n].cue = cue;
	nv[lines.n].off = off;
	snprintf(nv[lines.n].gutter, sizeof nv[lines.n].gutter, "%s", gutter ? gutter : "");
	lines.n++;
}

/* Wrap text into lines of kind (all carrying start and cue). */
static void add_wrapped(const char *text, int width, enum dl_kind kind, double start, long cue,
                        const char *gutter)
{
	char **wl = NULL, *clean = text_sanitize(text ? text : "", true);
	const char *from = clean ? clean : "";
	int n, i;
	size_t off = 0;

	n = uitext_wrap(from, width, &wl);
	for (i = 0; i < n; i++) {
		const char *at = wl[i][0] ? strstr(from + off, wl[i]) : NULL;

		if (at)
			off = (size_t)(at - from);
		add_line(wl[i], kind, start, cue, off, i == 0 ? gutter : "");
		if (at)
			off += strlen(wl[i]);
	}
	uitext_lines_free(wl, n);
	free(clean);
}

/* The episode the pane shows: the selected one, else the playing one. */
static const struct store_episode *shown_episode(void)
{
	const struct store_episode *ep = view_episodes.selected();

	if (ep == NULL && ui_st.have_cur)
		ep = &ui_st.cur;
	return ep;
}

static void build_description(const struct store_episode *ep, int width)
{
	char date[64], dur[16], *meta, *desc, *p, *nl;

	add_wrapped(ep->title ? ep->title : "(untitled)", width, DL_HEAD, -1, -1, NULL);
	ui_format_date(ep->published, date, sizeof date);
	if (ep->duration > 0)
		time_format(ep->duration, dur, sizeof dur);
	else
		snprintf(dur, sizeof dur, "--:--");
	meta = str_printf("%s%s%s · %s", ep->feed_title ? ep->feed_title : "",
	                  ep->feed_title ? " · " : "", date[0] ? date : "no date", dur);
	add_wrapped(meta, width, DL_META, -1, -1, NULL);
	free(meta);
	if (!ep->played && ep->position > 0) {
		char pos[16];
		meta = str_printf("stopped at %s", time_format(ep->position, pos, sizeof pos));
		add_wrapped(meta, width, DL_META, ep->position, -1, NULL);
		free(meta);
	}
	add_line("", DL_PLAIN, -1, -1, 0, NULL);
	desc = str_dup(ep->description && ep->description[0] ? ep->description
	                                                     : "(no description)");
	for (p = desc; p; p = nl ? nl + 1 : NULL) {
		struct transcript *t;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		t = transcript_from_shownotes(p);
		if (t && t->n == 1) {
			char g[16];
			time_format(t->cues[0].start, g, sizeof g);
			add_wrapped(p, width, DL_STAMP, t->cues[0].start, -1, NULL);
		} else {
			add_wrapped(p, width, DL_PLAIN, -1, -1, NULL);
		}
		transcript_free(t);
	}
	free(desc);
}

static void build_transcript(int width)
{
	struct ui *u = &ui_st;
	const char *prev_speaker = NULL;
	int gw = 0, tw;
	size_t i;
	char g[16];

	if (u->cues.n == 0) {
		add_wrapped(u->cues_loading   ? "Loading the transcript…"
		            : u->cues_note[0] ? u->cues_note
		                              : "No transcript for this episode.",
		            width, DL_NOTE, -1, -1, NULL);
		return;
	}
	if (u->cues.from_notes)
		add_wrapped("(from the timestamps in the show notes)", width, DL_NOTE, -1, -1,
		            NULL);
	for (i = 0; i < u->cues.n; i++) {
		int w = uitext_width(time_format(u->cues.v[i].start, g, sizeof g)) + 1;
		if (w > gw)
			gw = w;
	}
	gw += 1; /* the heard-cue mark */
	tw = width - gw;
	if (tw < 4) {
		gw = 0;
		tw = width;
	}
	lines.cue_line = calloc(u->cues.n, sizeof *lines.cue_line);
	for (i = 0; i < u->cues.n; i++) {
		const struct ui_cue *c = &u->cues.v[i];

		if (c->speaker && c->speaker[0] &&
		    (prev_speaker == NULL || strcmp(prev_speaker, c->speaker) != 0)) {
			char *s = str_printf("%s:", c->speaker);
			add_wrapped(s, width, DL_SPEAKER, c->start, (long)i, NULL);
			free(s);
		}
		prev_speaker = c->speaker;
		if (lines.cue_line)
			lines.cue_line[i] = (long)lines.n;
		time_format(c->start, g, sizeof g);
		add_wrapped(c->text, tw, DL_CUE, c->start, (long)i, gw ? g : NULL);
	}
}

static void build_chapters(int width)
{
	struct ui *u = &ui_st;
	char g[16], *s;
	size_t i;

	if (u->nchapters == 0) {
		add_wrapped(u->chapters_loading ? "Loading the chapters…"
		                                : "No chapters for this episode.",
		            width, DL_NOTE, -1, -1, NULL);
		return;
	}
	for (i = 0; i < u->nchapters; i++) {
		s = str_printf("%s %s  %s", " ", time_format(u->chapters[i].start, g, sizeof g),
		               u->chapters[i].title ? u->chapters[i].title : "");
		add_wrapped(s, width, DL_CHAPTER, u->chapters[i].start, (long)i, NULL);
		free(s);
	}
}

/* Rebuild the line cache when the content or the width changed. */
static void layout(int width)
{
	struct ui *u = &ui_st;
	const struct store_episode *ep = shown_episode();
	int64_t id = ep ? ep->id : 0;

	if (lines.v && lines.ep == id && lines.tab == (int)u->tab && lines.width == width &&
	    lines.gen == content_gen && lines.ncues == u->cues.n && lines.nch == u->nchapters &&
	    lines.loading == (u->cues_loading || u->chapters_loading))
		return;
	if (lines.ep != id || lines.tab != (int)u->tab) {
		u->cue_sel = 0;
		u->det_top = 0;
	}
	lines_free();
	lines.ep = id;
	lines.tab = (int)u->tab;
	lines.width = width;
	lines.gen = content_gen;
	lines.ncues = u->cues.n;
	lines.nch = u->nchapters;
	lines.loading = u->cues_loading || u->chapters_loading;
	if (ep == NULL) {
		add_line("No episode selected.", DL_NOTE, -1, -1, 0, NULL);
		return;
	}
	if (u->tab != UI_TAB_DESCRIPTION)
		ui_details_load(ep);
	if (u->det_ep != id && u->tab != UI_TAB_DESCRIPTION) {
		add_line("…", DL_NOTE, -1, -1, 0, NULL);
		return;
	}
	switch (u->tab) {
	case UI_TAB_DESCRIPTION:
	case UI_TAB_N:
		build_description(ep, width);
		break;
	case UI_TAB_TRANSCRIPT:
		build_transcript(width);
		break;
	case UI_TAB_CHAPTERS:
		build_chapters(width);
		break;
	}
	if (u->cue_sel >= (long)lines.n)
		u->cue_sel = lines.n ? (long)lines.n - 1 : 0;
}

void ui_details_changed(void)
{
	content_gen++;
}

/* Index of the cue heard at pos: the last with start <= pos (and pos
 * before its end, when known); -1 if none. Binary search. */
static long heard_cue(double pos)
{
	const struct ui_cues *c = &ui_st.cues;
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->v[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	if (c->v[lo - 1].end >= 0 && pos >= c->v[lo - 1].end)
		return -1;
	return (long)lo - 1;
}

static long heard_chapter(double pos)
{
	struct ui *u = &ui_st;
	long k = -1;
	size_t i;

	for (i = 0; i < u->nchapters; i++)
		if (u->chapters[i].start <= pos + 1e-6)
			k = (long)i;
	return k;
}

static bool shows_playing(void)
{
	const struct store_episode *ep = shown_episode();

	return ep && ui_st.have_cur && ep->id == ui_st.cur.id && ui_st.det_ep == ep->id;
}

const char *ui_current_chapter(void)
{
	struct ui *u = &ui_st;
	long k;

	if (!u->have_cur || u->det_ep != u->cur.id)
		return NULL;
	k = heard_chapter(ui_position());
	return k >= 0 ? u->chapters[k].title : NULL;
}

void ui_chapter_step(int dir)
{
	struct ui *u = &ui_st;
	double pos = ui_position();
	long k;

	if (!u->have_cur || u->det_ep != u->cur.id || u->nchapters == 0) {
		ui_message(true, "no chapters for this episode");
		return;
	}
	k = heard_chapter(pos);
	if (dir > 0) {
		k++;
	} else if (k >= 0 && pos - u->chapters[k].start < 3) {
		k--; /* near the start of one: go to the one before */
	}
	if (k < 0)
		k = 0;
	if (k >= (long)u->nchapters) {
		ui_message(false, "last chapter");
		return;
	}
	ui_seek(u->chapters[k].start, false);
	ui_message(false, "chapter: %s", u->chapters[k].title ? u->chapters[k].title : "");
}

/* Draw one line, the heard word (if any) in reverse. */
static void draw_line(int y, int x, int w, const struct dline *l, unsigned attr, long word_off,
                      size_t word_len)
{
	int gw = 0;

	if (l->kind == DL_CUE) {
		/* the gutter column is as wide as the widest time */
		gw = lines.width - w;
	}
	(void)gw;
	if (word_off >= 0 && (size_t)word_off >= l->off &&
	    (size_t)word_off < l->off + strlen(l->text)) {
		size_t a = (size_t)word_off - l->off, b = a + word_len;
		char *pre = str_ndup(l->text, a), *word, *post;
		int pw, ww;

		if (b > strlen(l->text))
			b = strlen(l->text);
		word = str_ndup(l->text + a, b - a);
		post = str_dup(l->text + b);
		pw = uitext_width(pre);
		ww = uitext_width(word);
		if (pw + ww <= w) {
			ui_put(y, x, pw, pre, attr);
			ui_put(y, x + pw, ww, word, attr | A_REVERSE | A_BOLD);
			ui_put(y, x + pw + ww, w - pw - ww, post, attr);
		} else {
			ui_put(y, x, w, l->text, attr);
		}
		free(pre);
		free(word);
		free(post);
		return;
	}
	ui_put(y, x, w, l->text, attr);
}

static void details_draw(struct ui_rect r, bool focused)
{
	static const char *const names[] = {"Description", "Transcript", "Chapters"};
	struct ui *u = &ui_st;
	int x = r.x, h = r.h - 1, i, gw = 0, t;
	long heard = -1, heard_ch = -1, word = -1;
	size_t word_len = 0;
	double pos = ui_position();
	bool playing = shows_playing();

	/* the tabs */
	for (t = 0; t < UI_TAB_N && x < r.x + r.w; t++) {
		char *s = str_printf("%s%s", t ? "│" : "", names[t]);
		int w = uitext_width(s);
		unsigned attr = t == (int)u->tab ? (ui_attr(UI_C_ACCENT) | A_BOLD | A_UNDERLINE)
		                                 : (focused ? A_NORMAL : A_DIM);
		if (x + w > r.x + r.w)
			w = r.x + r.w - x;
		ui_put(r.y, x, w, s, attr);
		x += w;
		free(s);
	}
	if (x < r.x + r.w)
		ui_put(r.y, x, r.x + r.w - x, "", A_NORMAL);
	if (h <= 0)
		return;
	layout(r.w);
	/* the transcript's last row says whether it follows playback */
	if (u->tab == UI_TAB_TRANSCRIPT && u->cues.n && h >= 3) {
		h--;
		ui_put(r.y + r.h - 1, r.x, r.w,
		       u->follow ? "● following playback" : "○ not following (f follows again)",
		       u->follow ? ui_attr(UI_C_ACCENT) : (ui_attr(UI_C_HIGHLIGHT) | A_BOLD));
	}
	if (u->tab == UI_TAB_TRANSCRIPT && lines.cue_line) {
		for (size_t k = 0; k < lines.n; k++)
			if (lines.v[k].kind == DL_CUE && lines.v[k].gutter[0]) {
				int w = uitext_width(lines.v[k].gutter) + 2;
				if (w > gw)
					gw = w;
			}
		if (playing) {
			heard = heard_cue(pos);
			if (heard >= 0) {
				const struct ui_cue *c = &u->cues.v[heard];
				long wi = -1;
				for (size_t k = 0; k < c->nwords; k++)
					if (c->wstart[k] <= pos)
						wi = (long)k;
				if (wi >= 0) {
					word = (long)c->woff[wi];
					word_len = (size_t)wi + 1 < c->nwords
					                   ? c->woff[wi + 1] - c->woff[wi]
					                   : strlen(c->text) - c->woff[wi];
					while (word_len > 0 &&
					       c->text[c->woff[wi] + word_len - 1] == ' ')
						word_len--;
				}
			}
		}
		/* following: select the heard cue, scroll only when it leaves the view */
		if (u->follow && heard >= 0 && heard != u->cue_seen) {
			long l = lines.cue_line[heard];
			u->cue_sel = l;
			if (l < u->det_top || l >= u->det_top + h)
				u->det_top = (int)(l - h / 3);
		}
		u->cue_seen = heard;
	} else if (u->tab == UI_TAB_CHAPTERS && playing) {
		heard_ch = heard_chapter(pos);
	}
	if (u->det_top > (int)lines.n - h)
		u->det_top = (int)lines.n - h;
	if (u->det_top < 0)
		u->det_top = 0;
	for (i = 0; i < h; i++) {
		long k = u->det_top + i;
		const struct dline *l;
		unsigned attr = A_NORMAL;
		int lx = r.x, lw = r.w;

		if (k >= (long)lines.n) {
			ui_put(r.y + 1 + i, r.x, r.w, "", A_NORMAL);
			continue;
		}
		l = &lines.v[k];
		switch (l->kind) {
		case DL_HEAD:
			attr = A_BOLD;
			break;
		case DL_META:
		case DL_NOTE:
			attr = ui_attr(UI_C_ACCENT);
			break;
		case DL_SPEAKER:
			attr = A_BOLD | ui_attr(UI_C_ACCENT);
			break;
		case DL_STAMP:
			attr = A_UNDERLINE;
			break;
		default:
			break;
		}
		if ((l->kind == DL_CUE && l->cue == heard && heard >= 0) ||
		    (l->kind == DL_CHAPTER && l->cue == heard_ch && heard_ch >= 0))
			attr = ui_attr(UI_C_HIGHLIGHT) | A_BOLD;
		if (k == u->cue_sel && focused)
			attr = ui_attr(UI_C_SELECTED);
		if (l->kind == DL_CUE && gw > 0) {
			/* "▸" marks the cue being heard, also without colour */
			char *g = str_printf("%s%s", l->cue == heard && heard >= 0 ? "▸" : " ",
			                     l->gutter);
			ui_put(r.y + 1 + i, r.x, gw, g,
			       k == u->cue_sel && focused ? attr : ui_attr(UI_C_ACCENT));
			free(g);
			lx += gw;
			lw -= gw;
		}
		if (l->kind == DL_CHAPTER && l->cue == heard_ch && heard_ch >= 0 &&
		    l->text[0] == ' ') {
			char *m = str_printf("▸%s", l->text + 1);
			ui_put(r.y + 1 + i, lx, lw, m, attr);
			free(m);
			continue;
		}
		draw_line(r.y + 1 + i, lx, lw, l, attr,
		          l->kind == DL_CUE && l->cue == heard ? word : -1, word_len);
	}
}

/* Lay out for the current episode before acting on lines: keys may come
 * before the next draw. */
static void ensure_layout(void)
{
	struct ui *u = &ui_st;
	int w = u->folded ? u->body.w : u->pane[2].w;

	layout(w > 0 ? w : (lines.width > 0 ? lines.width : 40));
}

static void details_move(enum ui_move how, int n)
{
	struct ui *u = &ui_st;
	int page = u->pane[2].h - 2 > 1 ? u->pane[2].h - 2 : 1;

	ensure_layout();
	if (how == UI_MOVE_PAGE)
		u->det_top += n * page;
	u->cue_sel = ui_move_index((int)u->cue_sel, (int)lines.n, page, how, n);
	if (u->tab == UI_TAB_TRANSCRIPT)
		u->follow = false;
	int rows = u->pane[2].h - 1 - (u->tab == UI_TAB_TRANSCRIPT && u->cues.n ? 1 : 0);
	if (u->folded)
		rows = u->body.h - 1 - (u->tab == UI_TAB_TRANSCRIPT && u->cues.n ? 1 : 0);
	if (rows < 1)
		rows = 1;
	if (u->cue_sel < u->det_top)
		u->det_top = (int)u->cue_sel;
	if (u->cue_sel >= u->det_top + rows)
		u->det_top = (int)u->cue_sel - rows + 1;
}

static void details_activate(void)
{
	struct ui *u = &ui_st;
	const struct store_episode *ep = shown_episode();
	double start = -1;

	if (ep == NULL)
		return;
	ensure_layout();
	if (u->cue_sel >= 0 && u->cue_sel < (long)lines.n)
		start = lines.v[u->cue_sel].start;
	if (u->have_cur && u->cur.id == ep->id) {
		if (start >= 0) {
			ui_seek(start, false);
			if (u->tab == UI_TAB_TRANSCRIPT) {
				u->follow = true;
				u->cue_seen = -2;
			}
		} else if (!u->opened) {
			ui_play_episode(ep, -1);
		}
	} else {
		ui_play_episode(ep, start);
	}
}

static void details_click(int row, int col, bool dbl)
{
	struct ui *u = &ui_st;

	if (row == 0) {
		/* a click on the tab names */
		int x = col, t;
		static const int widths[] = {11, 11, 9};
		for (t = 0; t < UI_TAB_N; t++) {
			if (x < widths[t] + (t ? 1 : 0)) {
				u->tab = (enum ui_tab)t;
				return;
			}
			x -= widths[t] + (t ? 1 : 0);
		}
		return;
	}
	details_move(UI_MOVE_TO, u->det_top + row - 1);
	if (dbl)
		details_activate();
}

static bool details_search(const char *text, int dir, bool next)
{
	struct ui *u = &ui_st;
	long n, i, k;

	ensure_layout();
	n = (long)lines.n;
	if (n == 0)
		return false;
	for (i = next ? 1 : 0; i <= n; i++) {
		k = ((u->cue_sel + dir * i) % n + n) % n;
		if (strcasestr(lines.v[k].text, text)) {
			details_move(UI_MOVE_TO, (int)k);
			return true;
		}
	}
	return false;
}

static const struct store_episode *details_selected(void)
{
	return shown_episode();
}

static void details_close(void)
{
	lines_free();
}

const struct ui_view view_details = {
        .name = "details",
        .draw = details_draw,
        .nav = details_move,
        .activate = details_activate,
        .click = details_click,
        .search = details_search,
        .selected = details_selected,
        .close = details_close,
};

/* ---- loading transcripts and chapters ---- */

static void cues_clear(void)
{
	struct ui *u = &ui_st;
	size_t i;

	for (i = 0; i < u->cues.n; i++) {
		free(u->cues.v[i].speaker);
		free(u->cues.v[i].text);
		free(u->cues.v[i].wstart);
		free(u->cues.v[i].woff);
	}
	free(u->cues.v);
	memset(&u->cues, 0, sizeof u->cues);
	for (i = 0; i < u->nchapters; i++)
		free(u->chapters[i].title);
	free(u->chapters);
	u->chapters = NULL;
	u->nchapters = 0;
	u->cues_note[0] = '\0';
	content_gen++;
}

/* Take the cues of a parsed transcript (word times kept). */
static void cues_from_transcript(const struct transcript *t, bool notes)
{
	struct ui *u = &ui_st;
	size_t i, k;

	u->cues.v = calloc(t->n ? t->n : 1, sizeof *u->cues.v);
	if (u->cues.v == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		const struct transcript_cue *c = &t->cues[i];
		struct ui_cue *d = &u->cues.v[i];

		d->start = c->start;
		d->end = c->end;
		d->speaker = text_sanitize(c->speaker, false);
		d->text = text_sanitize(c->text ? c->text : "", true);
		if (c->n_words && d->text && strcmp(d->text, c->text) == 0) {
			d->wstart = calloc(c->n_words, sizeof *d->wstart);
			d->woff = calloc(c->n_words, sizeof *d->woff);
			if (d->wstart && d->woff) {
				for (k = 0; k < c->n_words; k++) {
					d->wstart[k] = c->words[k].start;
					d->woff[k] = c->words[k].off;
				}
				d->nwords = c->n_words;
			}
		}
	}
	u->cues.n = t->n;
	u->cues.from_notes = notes;
	content_gen++;
}

static const char *local_path(const char *url)
{
	if (url == NULL)
		return NULL;
	if (url[0] == '/')
		return url;
	if (str_starts_with(url, "file://"))
		return url + 7;
	return NULL;
}

/* The preferred transcript language (config), NULL for $LANG's. */
static const char *transcript_lang(void)
{
	const char *l = config_str("transcript_language");

	return l != NULL && l[0] != '\0' ? l : NULL;
}

/* Pick the transcript to use among the feed's tags. */
static long pick_transcript(const struct store_episode *ep)
{
	struct feed_transcript *list;
	long k;
	size_t i;

	if (ep->ntranscripts == 0)
		return -1;
	list = calloc(ep->ntranscripts, sizeof *list);
	if (list == NULL)
		return -1;
	for (i = 0; i < ep->ntranscripts; i++) {
		list[i].url = ep->transcripts[i].url;
		list[i].type = ep->transcripts[i].type;
		list[i].language = ep->transcripts[i].language;
		list[i].rel = ep->transcripts[i].rel;
	}
	k = transcript_pick(list, ep->ntranscripts, transcript_lang());
	free(list);
	return k;
}

/* The stored transcript of the episode (word times kept): true when it
 * has cues. */
static bool cues_from_library(int64_t ep_id)
{
	struct transcript *t = NULL;
	struct err e;
	bool got = false;

	if (transcript_store_load(ui_st.st, ep_id, &t, &e) == 0 && t->n > 0) {
		cues_from_transcript(t, false);
		got = true;
	}
	transcript_free(t);
	return got;
}

/* The transcript, fetched once into the library: the stored cues; a local
 * file (a local feed's transcript, or a sidecar) read and stored here; a
 * remote one fetched and stored by a `hark transcript EPISODE_ID` child,
 * read back from the library when it ends; else the show notes. */
static void load_transcript(const struct store_episode *ep)
{
	struct ui *u = &ui_st;
	const char *audio;
	char *side = NULL;
	struct err e;
	long k;

	if (cues_from_library(ep->id))
		return;
	k = pick_transcript(ep);
	audio = ep->download_path ? ep->download_path : local_path(ep->enclosure_url);
	if (k < 0 && audio)
		side = transcript_sidecar(audio);
	if (side != NULL || (k >= 0 && local_path(ep->transcripts[k].url) != NULL)) {
		/* A local file: shown at once, stored by a child (saving a long
		 * transcript and its index takes longer than reading it). */
		const char *path = side != NULL ? side : local_path(ep->transcripts[k].url);
		struct buf b = {0};
		struct transcript *t = NULL;

		if (file_read_all(path, 32 << 20, &b, &e) == 0)
			t = transcript_parse(b.data ? b.data : "", b.len,
			                     k >= 0 ? ep->transcripts[k].type : NULL, &e);
		buf_free(&b);
		if (t != NULL) {
			char id[32];
			const char *args[] = {"transcript", id, "--json", NULL};

			if (t->n > 0)
				cues_from_transcript(t, false);
			transcript_free(t);
			snprintf(id, sizeof id, "%lld", (long long)ep->id);
			ui_job_start_after_draw(UI_JOB_TRANSCRIPT, ep->id, path, args);
		} else {
			snprintf(u->cues_note, sizeof u->cues_note, "transcript %.200s: %.200s",
			         path, e.msg);
		}
		free(side);
		if (u->cues.n > 0 || u->cues_note[0])
			return;
	} else if (k >= 0) {
		char id[32];
		const char *args[] = {"transcript", id, "--json", NULL};

		snprintf(id, sizeof id, "%lld", (long long)ep->id);
		if (ui_job_start(UI_JOB_TRANSCRIPT, ep->id, ep->transcripts[k].url, args) == 0)
			u->cues_loading = true;
		return;
	}
	/* no transcript: the show notes' timestamps, if any */
	struct transcript *t = transcript_from_shownotes(ep->description);
	if (t) {
		cues_from_transcript(t, true);
		transcript_free(t);
	}
}

static void load_chapters(const struct store_episode *ep)
{
	struct ui *u = &ui_st;
	const char *src = ep->chapters_url;

	if (src == NULL)
		src = ep->download_path ? ep->download_path : ep->enclosure_url;
	if (src == NULL)
		return;
	const char *args[] = {"chapters", src, "--json", NULL};
	if (ui_job_start_after_draw(UI_JOB_CHAPTERS, ep->id, src, args) == 0)
		u->chapters_loading = true;
}

void ui_details_load(const struct store_episode *ep)
{
	struct ui *u = &ui_st;

	if (ep == NULL || u->det_ep == ep->id)
		return;
	cues_clear();
	u->det_ep = ep->id;
	u->cues_loading = u->chapters_loading = false;
	u->follow = config_bool("follow");
	u->cue_seen = -2;
	load_transcript(ep);
	load_chapters(ep);
	content_gen++;
}

/* A finished `hark transcript --json` / `hark chapters --json` child. */
void ui_details_job_done(int kind, int64_t id, int status, const char *out)
{
	struct ui *u = &ui_st;
	json_error_t je;
	json_t *root, *arr, *it;
	size_t i;

	if (id != u->det_ep)
		return;
	if (kind == UI_JOB_TRANSCRIPT)
		u->cues_loading = false;
	else
		u->chapters_loading = false;
	if (kind == UI_JOB_TRANSCRIPT && u->cues.n > 0)
		return; /* shown from the local file; the child only stored it */
	content_gen++;
	root = status == 0 ? json_loads(out ? out : "", 0, &je) : NULL;
	if (root == NULL) {
		if (kind == UI_JOB_TRANSCRIPT)
			snprintf(u->cues_note, sizeof u->cues_note,
			         "The transcript could not be read (see :messages).");
		return;
	}
	if (kind == UI_JOB_TRANSCRIPT && cues_from_library(id)) {
		/* the child stored it: read back with its word times */
	} else if (kind == UI_JOB_TRANSCRIPT) {
		arr = json_object_get(root, "cues");
		size_t n = json_array_size(arr);
		u->cues.v = calloc(n ? n : 1, sizeof *u->cues.v);
		json_array_foreach(arr, i, it)
		{
			struct ui_cue *c = &u->cues.v[u->cues.n++];
			json_t *end = json_object_get(it, "end");
			c->start = json_number_value(json_object_get(it, "start"));
			c->end = json_is_number(end) ? json_number_value(end) : -1;
			c->speaker = text_sanitize(
			        json_string_value(json_object_get(it, "speaker")), false);
			if (c->speaker && c->speaker[0] == '\0') {
				free(c->speaker);
				c->speaker = NULL;
			}
			c->text =
			        text_sanitize(json_string_value(json_object_get(it, "text")), true);
		}
	} else {
		arr = json_object_get(root, "chapters");
		size_t n = json_array_size(arr);
		u->chapters = calloc(n ? n : 1, sizeof *u->chapters);
		json_array_foreach(arr, i, it)
		{
			if (json_is_false(json_object_get(it, "toc")))
				continue;
			u->chapters[u->nchapters].start =
			        json_number_value(json_object_get(it, "start"));
			u->chapters[u->nchapters].title = text_sanitize(
			        json_string_value(json_object_get(it, "title")), false);
			u->nchapters++;
		}
	}
	json_decref(root);
}

void ui_details_reset(void)
{
	cues_clear();
	lines_free();
	ui_st.det_ep = 0;
}
