/* view_search.c - the search results overlay: "/" in the podcasts and
 * episodes panes searches every stored episode's title, description and
 * transcript (search.h, FTS5); Enter plays the hit's episode, from the
 * cue's time for a transcript hit. n / N step through the results. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hark/search.h"
#include "ui.h"
#include "uitext.h"

static struct search_results res;
static char *query;
static int sel, top;

/* Run the query; the overlay shows the results. */
int ui_search_library(const char *text, struct err *e)
{
	search_results_free(&res);
	memset(&res, 0, sizeof res);
	free(query);
	query = str_dup(text);
	sel = top = 0;
	if (search_query(ui_st.st, text, 200, &res, e) < 0)
		return -1;
	ui_open_overlay(&view_search);
	if (res.n == 0)
		ui_message(false, "search: nothing matches %s", text);
	else
		ui_message(false, "search: %zu hits for %s", res.n, text);
	return 0;
}

static void search_draw(struct ui_rect r, bool focused)
{
	int h = r.h - 1, i;
	char *title, t[16];

	title = str_printf("Search: %s (%zu) — Enter plays, n/N next/previous, q closes",
	                   query ? query : "", res.n);
	ui_title(r, title, true);
	free(title);
	/* two lines per hit: episode, then the snippet */
	ui_scroll_to(&top, sel, h / 2 > 0 ? h / 2 : 1, (int)res.n);
	for (i = 0; i < h; i++) {
		int k = top + i / 2;
		const struct search_result *s;
		unsigned attr = A_NORMAL;
		char *line;

		if (k >= (int)res.n) {
			ui_put(r.y + 1 + i, r.x, r.w, i == 0 && res.n == 0 ? "(no hits)" : "",
			       A_NORMAL);
			continue;
		}
		s = &res.v[k];
		if (k == sel)
			attr = ui_attr(UI_C_SELECTED);
		if (i % 2 == 0) {
			line = str_printf("%s%s%s — %s",
			                  s->time >= 0 ? time_format(s->time, t, sizeof t) : "",
			                  s->time >= 0 ? " " : "",
			                  s->episode_title ? s->episode_title : "(untitled)",
			                  s->feed_title ? s->feed_title : "");
			ui_put(r.y + 1 + i, r.x, r.w, line, attr | A_BOLD);
		} else {
			line = str_printf("    %s%s%s", s->speaker ? s->speaker : "",
			                  s->speaker ? ": " : "", s->snippet ? s->snippet : "");
			ui_put(r.y + 1 + i, r.x, r.w, line, attr);
		}
		free(line);
	}
}

static void search_move(enum ui_move how, int n)
{
	sel = ui_move_index(sel, (int)res.n, (ui_st.body.h - 1) / 2, how, n);
}

static void search_activate(void)
{
	struct store_episode ep;
	struct err e;

	if (sel < 0 || sel >= (int)res.n)
		return;
	if (store_episode_get(ui_st.st, res.v[sel].episode_id, &ep, &e) != 0) {
		ui_message(true, "search: episode %lld is gone", (long long)res.v[sel].episode_id);
		return;
	}
	ui_play_episode(&ep, res.v[sel].time >= 0 ? res.v[sel].time : -1);
	store_episode_free(&ep);
}

static void search_click(int row, int col, bool dbl)
{
	if (row < 1)
		return;
	search_move(UI_MOVE_TO, top + (row - 1) / 2);
	if (dbl)
		search_activate();
}

/* n / N inside the results: the next / previous hit. */
static bool search_search(const char *text, int dir, bool next)
{
	if (res.n == 0)
		return false;
	if (next)
		search_move(UI_MOVE_BY, dir);
	return true;
}

static void search_close(void)
{
	/* the results stay for the next time the overlay opens */
}

void ui_search_free(void)
{
	search_results_free(&res);
	memset(&res, 0, sizeof res);
	free(query);
	query = NULL;
}

const struct ui_view view_search = {
        .name = "search",
        .draw = search_draw,
        .nav = search_move,
        .activate = search_activate,
        .click = search_click,
        .search = search_search,
        .close = search_close,
};
