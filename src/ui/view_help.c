/* view_help.c - the ? overlay, generated from the command table, the key
 * bindings and the options table: what each key does in each context. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hark/config.h"
#include "ui.h"
#include "uitext.h"

static char **text;
static int ntext, top;

static void push(const char *fmt, ...) HARK_PRINTF(1, 2);
static void push(const char *fmt, ...)
{
	char **nt = realloc(text, (size_t)(ntext + 1) * sizeof *nt);
	struct buf b = {0};
	va_list ap;
	char tmp[1024];

	if (nt == NULL)
		return;
	text = nt;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_puts(&b, tmp);
	text[ntext++] = buf_steal(&b);
}

static void help_close(void)
{
	int i;

	for (i = 0; i < ntext; i++)
		free(text[i]);
	free(text);
	text = NULL;
	ntext = 0;
}

/* The keys bound to command name in context ctx, comma-separated. */
static void keys_for(int ctx, const char *name, char *out, size_t len)
{
	struct ui *u = &ui_st;
	size_t i, used = 0;
	char kn[32];

	out[0] = '\0';
	for (i = 0; i < u->nbinds; i++) {
		const char *c = u->binds[i].command;
		size_t nl = strlen(name);
		if (u->binds[i].ctx != ctx || strncmp(c, name, nl) != 0 ||
		    (c[nl] != '\0' && c[nl] != ' '))
			continue;
		config_key_name(u->binds[i].key, kn, sizeof kn);
		int w = snprintf(out + used, len - used, "%s%s%s%s", used ? " " : "", kn,
		                 c[nl] ? " " : "", c[nl] ? c + nl : "");
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

static void help_open(void)
{
	size_t n, i, no;
	const struct ui_command *cmds = ui_commands(&n);
	const struct config_option *opts = config_options(&no);
	char keys[256], val[128];
	int ctx;

	help_close();
	top = 0;
	push("hark %s — keys and commands (j/k scroll, q closes)", HARK_VERSION);
	push("%s", "");
	for (ctx = 0; ui_contexts[ctx]; ctx++) {
		bool any = false;
		for (i = 0; i < n; i++) {
			keys_for(ctx, cmds[i].name, keys, sizeof keys);
			if (keys[0] == '\0')
				continue;
			if (!any)
				push("Keys (%s):", ui_contexts[ctx]);
			any = true;
			push("  %-24s %-14s %s", keys, cmds[i].name, cmds[i].help);
		}
		if (any)
			push("%s", "");
	}
	push("Commands (type : then the command):");
	for (i = 0; i < n; i++) {
		char *syn = str_printf("%s %s", cmds[i].name, cmds[i].args);
		push("  %-30s %s", syn, cmds[i].help);
		free(syn);
	}
	push("%s", "");
	push("Options (:set NAME VALUE):");
	for (i = 0; i < no; i++)
		push("  %-16s %-10s %s", opts[i].name,
		     config_value_text(opts[i].name, val, sizeof val), opts[i].help);
}

static void help_draw(struct ui_rect r, bool focused)
{
	int i;

	if (text == NULL)
		help_open();
	if (top > ntext - r.h)
		top = ntext - r.h;
	if (top < 0)
		top = 0;
	for (i = 0; i < r.h; i++)
		ui_put(r.y + i, r.x, r.w, top + i < ntext ? text[top + i] : "",
		       i == 0 && top == 0 ? (ui_attr(UI_C_ACCENT) | A_BOLD) : A_NORMAL);
}

static void help_move(enum ui_move how, int n)
{
	int h = ui_st.body.h;

	/* The top line moves over the lines that can start a full screen. */
	top = ui_move_index(top, ntext - h + 1, h - 1, how, n);
}

static bool help_search(const char *s, int dir, bool next)
{
	int i, k;

	for (i = next ? 1 : 0; i <= ntext; i++) {
		k = ((top + dir * i) % (ntext ? ntext : 1) + ntext) % (ntext ? ntext : 1);
		if (ntext && strcasestr(text[k], s)) {
			top = k;
			return true;
		}
	}
	return false;
}

const struct ui_view view_help = {
        .name = "help",
        .open = help_open,
        .draw = help_draw,
        .nav = help_move,
        .search = help_search,
        .close = help_close,
};
