/* view_messages.c - the :messages overlay: every message and error of this
 * session, newest last, each saying which feed or episode and why. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "uitext.h"

static int top = -1; /* -1: stick to the end */

static void messages_draw(struct ui_rect r, bool focused)
{
	struct ui *u = &ui_st;
	int h = r.h - 1, i, n = (int)u->nmsgs;

	ui_title(r, "Messages — q closes", true);
	if (top < 0 || top > n - h)
		top = n - h;
	if (top < 0)
		top = 0;
	for (i = 0; i < h; i++) {
		int k = top + i;
		ui_put(r.y + 1 + i, r.x, r.w,
		       k < n ? u->msgs[k].text : (n == 0 && i == 0 ? "(no messages)" : ""),
		       k < n && u->msgs[k].error ? ui_attr(UI_C_ERROR) : A_NORMAL);
	}
}

static void messages_move(enum ui_move how, int n)
{
	int h = ui_st.body.h - 1, count = (int)ui_st.nmsgs;

	if (top < 0)
		top = count - h > 0 ? count - h : 0;
	switch (how) {
	case UI_MOVE_BY:
		top += n;
		break;
	case UI_MOVE_PAGE:
		top += n * h;
		break;
	case UI_MOVE_TOP:
		top = 0;
		break;
	case UI_MOVE_BOTTOM:
		top = -1;
		return;
	case UI_MOVE_TO:
		top = n;
		break;
	}
	if (top < 0)
		top = 0;
}

static void messages_open(void)
{
	top = -1;
}

const struct ui_view view_messages = {
        .name = "messages",
        .open = messages_open,
        .draw = messages_draw,
        .nav = messages_move,
};
