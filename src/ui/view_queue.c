/* view_queue.c - the queue overlay: the episodes that play next, in order;
 * J/K reorder, d removes, Enter plays. Kept in the store. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "uitext.h"

static void queue_draw(struct ui_rect r, bool focused)
{
	struct ui *u = &ui_st;
	int h = r.h - 1, i;
	char title[96];
	double total = 0;
	size_t k;

	for (k = 0; k < u->queue.n; k++)
		total += u->queue.v[k].duration;
	char t[16];
	snprintf(title, sizeof title, "Queue (%zu, %s) — J/K move, d remove, Enter play, q close",
	         u->queue.n, time_format(total, t, sizeof t));
	ui_title(r, title, true);
	ui_scroll_to(&u->q_top, u->q_sel, h, (int)u->queue.n);
	for (i = 0; i < h; i++) {
		int n = u->q_top + i, durw = r.w >= 30 ? 8 : 0;
		unsigned attr = A_NORMAL;
		const struct store_episode *ep;
		char *line, dur[16] = "";

		if (n >= (int)u->queue.n) {
			ui_put(r.y + 1 + i, r.x, r.w,
			       i == 0 && u->queue.n == 0
			               ? "(the queue is empty: a adds, A plays next)"
			               : "",
			       A_NORMAL);
			continue;
		}
		ep = &u->queue.v[n];
		if (n == u->q_sel)
			attr = ui_attr(UI_C_SELECTED);
		line = str_printf("%2d. %s — %s", n + 1, ep->title ? ep->title : "(untitled)",
		                  ep->feed_title ? ep->feed_title : "");
		ui_put(r.y + 1 + i, r.x, r.w - durw, line, attr);
		if (durw) {
			if (ep->duration > 0)
				time_format(ep->duration, dur, sizeof dur);
			char *d = str_printf("%*s", durw, dur);
			ui_put(r.y + 1 + i, r.x + r.w - durw, durw, d, attr);
			free(d);
		}
		free(line);
	}
}

static void queue_move(enum ui_move how, int n)
{
	struct ui *u = &ui_st;

	u->q_sel = ui_move_index(u->q_sel, (int)u->queue.n, u->body.h - 2, how, n);
}

static const struct store_episode *queue_selected(void)
{
	struct ui *u = &ui_st;

	if (u->q_sel >= 0 && u->q_sel < (int)u->queue.n)
		return &u->queue.v[u->q_sel];
	return NULL;
}

static void queue_activate(void)
{
	const struct store_episode *sel = queue_selected();
	struct store_episode ep;
	struct err e;

	if (sel == NULL)
		return;
	/* playing from the queue takes the episode off it */
	if (store_episode_get(ui_st.st, sel->id, &ep, &e) != 0)
		return;
	store_queue_remove(ui_st.st, ep.id, &e);
	ui_play_episode(&ep, -1);
	store_episode_free(&ep);
	ui_reload_queue();
}

static void queue_click(int row, int col, bool dbl)
{
	if (row < 1)
		return;
	queue_move(UI_MOVE_TO, ui_st.q_top + row - 1);
	if (dbl)
		queue_activate();
}

static bool queue_search(const char *text, int dir, bool next)
{
	struct ui *u = &ui_st;
	int n = (int)u->queue.n, i, k;

	if (n == 0)
		return false;
	for (i = next ? 1 : 0; i <= n; i++) {
		k = ((u->q_sel + dir * i) % n + n) % n;
		if (u->queue.v[k].title && strcasestr(u->queue.v[k].title, text)) {
			u->q_sel = k;
			return true;
		}
	}
	return false;
}

static void queue_open(void)
{
	ui_reload_queue();
}

const struct ui_view view_queue = {
        .name = "queue",
        .open = queue_open,
        .draw = queue_draw,
        .nav = queue_move,
        .activate = queue_activate,
        .click = queue_click,
        .search = queue_search,
        .selected = queue_selected,
};
