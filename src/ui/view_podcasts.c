/* view_podcasts.c - the podcasts pane: every subscription, with counts. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "uitext.h"

static void podcasts_draw(struct ui_rect r, bool focused)
{
	struct ui *u = &ui_st;
	int h = r.h - 1, i;
	char title[64];

	snprintf(title, sizeof title, "Podcasts (%zu)", u->feeds.n);
	ui_title(r, title, focused);
	ui_scroll_to(&u->feed_top, u->feed_sel, h, (int)u->feeds.n);
	for (i = 0; i < h; i++) {
		int k = u->feed_top + i, cw;
		unsigned attr = A_NORMAL;
		struct store_feed *f;
		char count[32] = "";

		if (k >= (int)u->feeds.n) {
			ui_put(r.y + 1 + i, r.x, r.w,
			       i == 0 && u->feeds.n == 0 ? "(none yet: type :add URL)" : "",
			       A_NORMAL);
			continue;
		}
		f = &u->feeds.v[k];
		if (ui_job_busy(UI_JOB_REFRESH, f->id))
			snprintf(count, sizeof count, " ⟳");
		else if (f->last_error)
			snprintf(count, sizeof count, " !");
		else if (f->new_count > 0)
			snprintf(count, sizeof count, " %d new", f->new_count);
		else if (f->unplayed > 0)
			snprintf(count, sizeof count, " %d", f->unplayed);
		if (k == u->feed_sel)
			attr = focused ? ui_attr(UI_C_SELECTED) : A_BOLD;
		cw = uitext_width(count);
		if (cw > r.w / 2)
			cw = 0;
		ui_put(r.y + 1 + i, r.x, r.w - cw, f->title && f->title[0] ? f->title : f->url,
		       attr);
		if (cw)
			ui_put(r.y + 1 + i, r.x + r.w - cw, cw, count,
			       f->last_error ? (attr | ui_attr(UI_C_ERROR)) : attr);
	}
}

static void podcasts_move(enum ui_move how, int n)
{
	struct ui *u = &ui_st;
	int sel = ui_move_index(u->feed_sel, (int)u->feeds.n, u->pane[0].h - 2, how, n);

	if (sel != u->feed_sel) {
		u->feed_sel = sel;
		u->ep_sel = 0;
		u->ep_top = 0;
		ui_reload_episodes();
	}
}

static void podcasts_activate(void)
{
	/* Enter on a podcast goes to its episodes */
	ui_st.focus = 1;
}

static void podcasts_click(int row, int col, bool dbl)
{
	if (row < 1)
		return;
	podcasts_move(UI_MOVE_TO, ui_st.feed_top + row - 1);
	if (dbl)
		podcasts_activate();
}

static bool podcasts_search(const char *text, int dir, bool next)
{
	struct ui *u = &ui_st;
	int n = (int)u->feeds.n, i, k;

	if (n == 0)
		return false;
	for (i = next ? 1 : 0; i <= n; i++) {
		k = ((u->feed_sel + dir * i) % n + n) % n;
		if (u->feeds.v[k].title && strcasestr(u->feeds.v[k].title, text)) {
			podcasts_move(UI_MOVE_TO, k);
			return true;
		}
	}
	return false;
}

const struct ui_view view_podcasts = {
        .name = "podcasts",
        .draw = podcasts_draw,
        .nav = podcasts_move,
        .activate = podcasts_activate,
        .click = podcasts_click,
        .search = podcasts_search,
};
