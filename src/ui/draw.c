/* draw.c - curses drawing helpers and the colour theme. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hark/config.h"
#include "ui.h"
#include "uitext.h"

static unsigned attrs[UI_C_N];

static const char *const color_options[UI_C_N] = {
        NULL, "color_accent", "color_highlight", "color_selected", "color_status", "color_error",
};

static int color_number(const char *name)
{
	static const char *const names[] = {"black", "red",     "green", "yellow",
	                                    "blue",  "magenta", "cyan",  "white"};
	size_t i;
	char *end;
	long n;

	if (strcasecmp(name, "default") == 0 || name[0] == '\0')
		return -1;
	for (i = 0; i < HARK_ARRAY_LEN(names); i++)
		if (strcasecmp(name, names[i]) == 0)
			return (int)i;
	n = strtol(name, &end, 10);
	if (*end == '\0' && n >= 0 && n < COLORS)
		return (int)n;
	return -2;
}

/* Parse "FG[,BG]", "reverse", "bold", "underline" (combinable with
 * spaces or '+') into attributes for pair number pair. */
static unsigned parse_theme(const char *spec, short pair)
{
	char *copy = str_dup(spec), *tok, *save = NULL;
	unsigned attr = A_NORMAL;
	int fg = -1, bg = -1, ncol = 0;

	for (tok = strtok_r(copy, " +", &save); tok; tok = strtok_r(NULL, " +", &save)) {
		if (strcasecmp(tok, "reverse") == 0) {
			attr |= A_REVERSE;
		} else if (strcasecmp(tok, "bold") == 0) {
			attr |= A_BOLD;
		} else if (strcasecmp(tok, "underline") == 0) {
			attr |= A_UNDERLINE;
		} else {
			char *comma = strchr(tok, ',');
			if (comma)
				*comma = '\0';
			fg = color_number(tok);
			bg = comma ? color_number(comma + 1) : -1;
			ncol = 1;
		}
	}
	free(copy);
	if (ncol && ui_st.color && fg >= -1 && bg >= -1) {
		init_pair(pair, (short)fg, (short)bg);
		attr |= COLOR_PAIR(pair);
	} else if (ncol && !ui_st.color && pair == UI_C_SELECTED) {
		attr |= A_REVERSE;
	}
	return attr;
}

void ui_colors_init(void)
{
	const char *nc = getenv("NO_COLOR");
	int i;

	ui_st.color = has_colors() && !(nc && nc[0]);
	if (ui_st.color) {
		start_color();
		use_default_colors();
	}
	attrs[UI_C_NORMAL] = A_NORMAL;
	for (i = 1; i < UI_C_N; i++)
		attrs[i] = parse_theme(config_str(color_options[i]), (short)i);
	/* without colour, keep things distinguishable */
	if (!ui_st.color) {
		attrs[UI_C_ACCENT] = A_BOLD;
		attrs[UI_C_HIGHLIGHT] = A_BOLD;
		attrs[UI_C_ERROR] = A_BOLD;
		attrs[UI_C_SELECTED] = A_REVERSE;
		attrs[UI_C_STATUS] = A_REVERSE;
	}
}

unsigned ui_attr(enum ui_color c)
{
	return attrs[c];
}

void ui_put(int y, int x, int w, const char *s, unsigned attr)
{
	char *fit;

	if (w <= 0 || y < 0 || y >= ui_st.rows || x >= ui_st.cols)
		return;
	if (x + w > ui_st.cols)
		w = ui_st.cols - x;
	/* the last cell of the screen cannot be written without scrolling on
	 * some terminals: leave it out */
	if (y == ui_st.rows - 1 && x + w == ui_st.cols)
		w--;
	fit = uitext_fit(s ? s : "", w, true);
	if (fit == NULL)
		return;
	attrset(attr);
	mvaddstr(y, x, fit);
	attrset(A_NORMAL);
	free(fit);
}

void ui_clear_rect(struct ui_rect r)
{
	int i;

	for (i = 0; i < r.h; i++)
		ui_put(r.y + i, r.x, r.w, "", A_NORMAL);
}

void ui_title(struct ui_rect r, const char *title, bool focused)
{
	ui_put(r.y, r.x, r.w, title,
	       focused ? (ui_attr(UI_C_ACCENT) | A_BOLD) : (ui_attr(UI_C_ACCENT) & ~A_BOLD));
}

void ui_scroll_to(int *top, int sel, int h, int n)
{
	if (h <= 0)
		return;
	if (sel < *top)
		*top = sel;
	if (sel >= *top + h)
		*top = sel - h + 1;
	if (*top > n - h)
		*top = n - h;
	if (*top < 0)
		*top = 0;
}

int ui_move_index(int cur, int count, int page, enum ui_move how, int n)
{
	int sel = cur;

	if (page < 1)
		page = 1;
	switch (how) {
	case UI_MOVE_BY:
		sel += n;
		break;
	case UI_MOVE_PAGE:
		sel += n * page;
		break;
	case UI_MOVE_TOP:
		sel = 0;
		break;
	case UI_MOVE_BOTTOM:
		sel = count - 1;
		break;
	case UI_MOVE_TO:
		sel = n;
		break;
	}
	if (sel >= count)
		sel = count - 1;
	if (sel < 0)
		sel = 0;
	return sel;
}
