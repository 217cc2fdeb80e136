/* view_episodes.c - the episodes pane: the selected podcast's episodes with
 * marks for new, in progress (percent), played, downloaded and queued. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hark/config.h"
#include "ui.h"
#include "uitext.h"

static bool queued(int64_t id)
{
	size_t i;

	for (i = 0; i < ui_st.queue.n; i++)
		if (ui_st.queue.v[i].id == id)
			return true;
	return false;
}

/* The mark column: playing, new, percent, played, downloaded, queued. */
static void episode_mark(const struct store_episode *ep, char *buf, size_t len)
{
	struct ui *u = &ui_st;
	const char *a = " ", *b = " ";
	char pct[16] = "";

	if (u->have_cur && u->cur.id == ep->id)
		a = u->snap.state == PLAYER_PLAYING ? "▶" : "⏸";
	else if (ep->played)
		a = "✓";
	else if (ep->is_new)
		a = "●";
	if (ep->download_path)
		b = "↓";
	else if (queued(ep->id))
		b = "+";
	if (!ep->played && ep->position > 0 && ep->duration > 0) {
		int p = (int)(100 * ep->position / ep->duration);
		snprintf(pct, sizeof pct, "%d%%", p > 99 ? 99 : p);
	}
	snprintf(buf, len, "%s%s%3s ", a, b, pct);
}

void ui_format_date(int64_t when, char *buf, size_t len)
{
	time_t t = (time_t)when;
	struct tm tm;

	buf[0] = '\0';
	if (when <= 0 || localtime_r(&t, &tm) == NULL)
		return;
		/* the format is the user's date_format option */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, len, config_str("date_format"), &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
}

static void episodes_draw(struct ui_rect r, bool focused)
{
	struct ui *u = &ui_st;
	int h = r.h - 1, i, datew, durw;
	char title[256];
	const char *ft = NULL;

	if (u->feed_sel >= 0 && u->feed_sel < (int)u->feeds.n)
		ft = u->feeds.v[u->feed_sel].title;
	snprintf(title, sizeof title, "Episodes%s%s", ft ? ": " : "", ft ? ft : "");
	ui_title(r, title, focused);
	ui_scroll_to(&u->ep_top, u->ep_sel, h, (int)u->eps.n);
	datew = r.w >= 60 ? 11 : 0;
	durw = r.w >= 36 ? 8 : 0;
	for (i = 0; i < h; i++) {
		int k = u->ep_top + i, tw;
		unsigned attr = A_NORMAL;
		struct store_episode *ep;
		char mark[32], date[64], dur[16];

		if (k >= (int)u->eps.n) {
			ui_put(r.y + 1 + i, r.x, r.w,
			       i == 0 && u->eps.n == 0 ? (u->feeds.n ? "(no episodes)" : "") : "",
			       A_NORMAL);
			continue;
		}
		ep = &u->eps.v[k];
		episode_mark(ep, mark, sizeof mark);
		if (u->have_cur && u->cur.id == ep->id)
			attr = ui_attr(UI_C_HIGHLIGHT);
		if (k == u->ep_sel)
			attr = focused ? ui_attr(UI_C_SELECTED) : (attr | A_BOLD);
		ui_put(r.y + 1 + i, r.x, 6, mark, attr);
		tw = r.w - 6 - datew - durw;
		ui_put(r.y + 1 + i, r.x + 6, tw, ep->title ? ep->title : "(untitled)", attr);
		if (datew) {
			ui_format_date(ep->published, date, sizeof date);
			char *d = str_printf(" %s", date);
			ui_put(r.y + 1 + i, r.x + 6 + tw, datew, d, attr);
			free(d);
		}
		if (durw) {
			if (ep->duration > 0)
				time_format(ep->duration, dur, sizeof dur);
			else
				dur[0] = '\0';
			char *d = str_printf("%*s", durw, dur);
			ui_put(r.y + 1 + i, r.x + r.w - durw, durw, d, attr);
			free(d);
		}
	}
}

static void episodes_move(enum ui_move how, int n)
{
	struct ui *u = &ui_st;
	int sel = ui_move_index(u->ep_sel, (int)u->eps.n, u->pane[1].h - 2, how, n);

	if (sel != u->ep_sel) {
		u->ep_sel = sel;
		u->det_top = 0;
	}
}

static const struct store_episode *episodes_selected(void)
{
	struct ui *u = &ui_st;

	if (u->ep_sel >= 0 && u->ep_sel < (int)u->eps.n)
		return &u->eps.v[u->ep_sel];
	return NULL;
}

static void episodes_activate(void)
{
	const struct store_episode *ep = episodes_selected();

	if (ep)
		ui_play_episode(ep, -1);
}

static void episodes_click(int row, int col, bool dbl)
{
	if (row < 1)
		return;
	episodes_move(UI_MOVE_TO, ui_st.ep_top + row - 1);
	if (dbl)
		episodes_activate();
}

static bool episodes_search(const char *text, int dir, bool next)
{
	struct ui *u = &ui_st;
	int n = (int)u->eps.n, i, k;

	if (n == 0)
		return false;
	for (i = next ? 1 : 0; i <= n; i++) {
		const struct store_episode *ep;

		k = ((u->ep_sel + dir * i) % n + n) % n;
		ep = &u->eps.v[k];
		if ((ep->title && strcasestr(ep->title, text)) ||
		    (ep->description && strcasestr(ep->description, text))) {
			episodes_move(UI_MOVE_TO, k);
			return true;
		}
	}
	return false;
}

const struct ui_view view_episodes = {
        .name = "episodes",
        .draw = episodes_draw,
        .nav = episodes_move,
        .activate = episodes_activate,
        .click = episodes_click,
        .search = episodes_search,
        .selected = episodes_selected,
};
