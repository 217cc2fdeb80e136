/* commands.c - the one command table of the interface. Key bindings, the
 * ":" line, the config file, `hark remote` and the "?" help screen all go
 * through it. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hark/config.h"
#include "ui.h"

const char *const ui_contexts[] = {"common", "podcasts", "episodes", "details", "queue",
                                   "help",   "messages", "search",   NULL};

int ui_context_index(const char *name)
{
	int i;

	for (i = 0; ui_contexts[i]; i++)
		if (strcmp(ui_contexts[i], name) == 0)
			return i;
	return -1;
}

/* Write a line of output for `hark remote` (when it asked). */
static void reply(const char *fmt, ...) HARK_PRINTF(1, 2);
static void reply(const char *fmt, ...)
{
	va_list ap;
	char tmp[1024];

	if (ui_st.reply == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_puts(ui_st.reply, tmp);
	buf_putc(ui_st.reply, '\n');
}

static int arg_int(int argc, char **argv, int def)
{
	return argc > 1 ? atoi(argv[1]) : def;
}

static void move(enum ui_move how, int n)
{
	const struct ui_view *v = ui_focus_view();

	if (v->nav)
		v->nav(how, n);
}

static int c_down(int argc, char **argv, struct err *e)
{
	move(UI_MOVE_BY, arg_int(argc, argv, 1));
	return 0;
}

static int c_up(int argc, char **argv, struct err *e)
{
	move(UI_MOVE_BY, -arg_int(argc, argv, 1));
	return 0;
}

static int c_page_down(int argc, char **argv, struct err *e)
{
	move(UI_MOVE_PAGE, 1);
	return 0;
}

static int c_page_up(int argc, char **argv, struct err *e)
{
	move(UI_MOVE_PAGE, -1);
	return 0;
}

static int c_top(int argc, char **argv, struct err *e)
{
	move(UI_MOVE_TOP, 0);
	return 0;
}

static int c_bottom(int argc, char **argv, struct err *e)
{
	move(UI_MOVE_BOTTOM, 0);
	return 0;
}

static int c_pane_next(int argc, char **argv, struct err *e)
{
	if (ui_st.overlay)
		ui_close_overlay();
	else
		ui_st.focus = (ui_st.focus + 1) % 3;
	return 0;
}

static int c_pane_prev(int argc, char **argv, struct err *e)
{
	if (ui_st.overlay)
		ui_close_overlay();
	else
		ui_st.focus = (ui_st.focus + 2) % 3;
	return 0;
}

static int c_pane_left(int argc, char **argv, struct err *e)
{
	if (ui_st.overlay == NULL && ui_st.focus > 0)
		ui_st.focus--;
	return 0;
}

static int c_pane_right(int argc, char **argv, struct err *e)
{
	if (ui_st.overlay == NULL && ui_st.focus < 2)
		ui_st.focus++;
	return 0;
}

static int c_activate(int argc, char **argv, struct err *e)
{
	const struct ui_view *v = ui_focus_view();

	if (v->activate)
		v->activate();
	return 0;
}

static int c_redraw(int argc, char **argv, struct err *e)
{
	ui_st.dirty = true;
	return 0;
}

/* Resume the restored/stopped episode, or pause/unpause the open one. */
static int c_toggle(int argc, char **argv, struct err *e)
{
	struct ui *u = &ui_st;

	if (!u->have_cur) {
		err_set(e, "nothing is playing (Enter plays the selected episode)");
		return -1;
	}
	if (!u->opened || u->snap.state == PLAYER_ENDED || u->snap.state == PLAYER_ERROR ||
	    u->snap.state == PLAYER_IDLE) {
		struct store_episode ep = u->cur;
		ui_play_episode(&ep, u->cur_pos);
		return 0;
	}
	player_toggle(u->pl);
	if (u->snap.state == PLAYER_PLAYING)
		ui_save_position();
	return 0;
}

static int c_pause(int argc, char **argv, struct err *e)
{
	if (ui_st.opened && ui_st.snap.state != PLAYER_PAUSED) {
		player_pause(ui_st.pl, true);
		ui_save_position();
	}
	return 0;
}

static int c_play(int argc, char **argv, struct err *e)
{
	if (ui_st.opened && ui_st.snap.state == PLAYER_PAUSED)
		player_pause(ui_st.pl, false);
	else if (!ui_st.opened || ui_st.snap.state != PLAYER_PLAYING)
		return c_toggle(argc, argv, e);
	return 0;
}

static int c_stop(int argc, char **argv, struct err *e)
{
	if (ui_st.opened) {
		ui_save_position();
		ui_st.cur_pos = ui_position();
		player_stop(ui_st.pl);
		ui_st.opened = false;
	}
	return 0;
}

static int c_next(int argc, char **argv, struct err *e)
{
	if (ui_st.opened)
		ui_save_position();
	if (!ui_play_next()) {
		err_set(e, "the queue is empty");
		return -1;
	}
	return 0;
}

/* "12:30", "+30", "-1:00", "50%". */
static int c_seek(int argc, char **argv, struct err *e)
{
	const char *a = argv[1];
	size_t n = strlen(a);
	double t;
	bool rel = a[0] == '+' || a[0] == '-';

	if (!ui_st.have_cur) {
		err_set(e, "seek: nothing is playing");
		return -1;
	}
	if (n > 1 && a[n - 1] == '%') {
		char *end;
		double pct = strtod(a, &end);
		if (end != a + n - 1 || pct < 0 || pct > 100 || ui_duration() <= 0) {
			err_set(e, "seek: %s: needs a percentage and a known duration", a);
			return -1;
		}
		ui_seek(ui_duration() * pct / 100, false);
		return 0;
	}
	t = time_parse_clock(rel ? a + 1 : a);
	if (t < 0) {
		err_set(e, "seek: '%s' is not a time (12:30, +30, -1:00, 50%%)", a);
		return -1;
	}
	ui_seek(a[0] == '-' ? -t : t, rel);
	return 0;
}

static int c_forward(int argc, char **argv, struct err *e)
{
	ui_seek((double)config_int("seek_forward"), true);
	return 0;
}

static int c_back(int argc, char **argv, struct err *e)
{
	ui_seek(-(double)config_int("seek_back"), true);
	return 0;
}

static int c_forward_big(int argc, char **argv, struct err *e)
{
	ui_seek((double)config_int("seek_big"), true);
	return 0;
}

static int c_back_big(int argc, char **argv, struct err *e)
{
	ui_seek(-(double)config_int("seek_big"), true);
	return 0;
}

static double cur_speed(void)
{
	return ui_st.opened && ui_st.snap.speed > 0 ? ui_st.snap.speed : config_double("speed");
}

static int set_speed(double x, struct err *e)
{
	char v[32];

	x = round(x * 10) / 10;
	if (x < 0.5)
		x = 0.5;
	if (x > 3.0)
		x = 3.0;
	snprintf(v, sizeof v, "%.1f", x);
	if (config_set("speed", v, e) < 0)
		return -1;
	player_set_speed(ui_st.pl, x);
	ui_st.snap.speed = x;
	ui_message(false, "speed %.1fx", x);
	return 0;
}

static int c_speed(int argc, char **argv, struct err *e)
{
	const char *a = argv[1];
	char *end;
	double x = strtod(a, &end);

	if (end == a || *end != '\0') {
		err_set(e, "speed: '%s' is not a number (1.5, +0.1, -0.1)", a);
		return -1;
	}
	if (a[0] == '+' || a[0] == '-')
		x += cur_speed();
	return set_speed(x, e);
}

static int c_speed_up(int argc, char **argv, struct err *e)
{
	return set_speed(cur_speed() + config_double("speed_step"), e);
}

static int c_speed_down(int argc, char **argv, struct err *e)
{
	return set_speed(cur_speed() - config_double("speed_step"), e);
}

static int cur_volume(void)
{
	return ui_st.opened ? ui_st.snap.volume : (int)config_int("volume");
}

static int set_volume(int v, struct err *e)
{
	char s[16];

	if (v < 0)
		v = 0;
	if (v > 150)
		v = 150;
	snprintf(s, sizeof s, "%d", v);
	config_set("volume", s, e);
	player_set_volume(ui_st.pl, v);
	ui_st.snap.volume = v;
	ui_st.sleep_volume = v;
	ui_message(false, "volume %d%%", v);
	return 0;
}

static int c_volume(int argc, char **argv, struct err *e)
{
	const char *a = argv[1];
	char *end;
	long v = strtol(a, &end, 10);

	if (end == a || (*end != '\0' && strcmp(end, "%") != 0)) {
		err_set(e, "volume: '%s' is not a number (80, +5, -5)", a);
		return -1;
	}
	if (a[0] == '+' || a[0] == '-')
		v += cur_volume();
	return set_volume((int)v, e);
}

static int c_volume_up(int argc, char **argv, struct err *e)
{
	return set_volume(cur_volume() + (int)config_int("volume_step"), e);
}

static int c_volume_down(int argc, char **argv, struct err *e)
{
	return set_volume(cur_volume() - (int)config_int("volume_step"), e);
}

static const struct store_episode *need_episode(const char *what, struct err *e)
{
	const struct store_episode *ep = ui_selected_episode();

	if (ep == NULL)
		err_set(e, "%s: no episode selected", what);
	return ep;
}

static int c_queue_add(int argc, char **argv, struct err *e)
{
	const struct store_episode *ep = need_episode("queue", e);

	if (ep == NULL || store_queue_append(ui_st.st, ep->id, e) < 0)
		return -1;
	ui_message(false, "queued at the end: %s", ep->title ? ep->title : "");
	ui_reload_queue();
	return 0;
}

static int c_queue_next(int argc, char **argv, struct err *e)
{
	const struct store_episode *ep = need_episode("queue", e);

	if (ep == NULL || store_queue_insert_next(ui_st.st, ep->id, e) < 0)
		return -1;
	ui_message(false, "plays next: %s", ep->title ? ep->title : "");
	ui_reload_queue();
	return 0;
}

static int c_queue(int argc, char **argv, struct err *e)
{
	if (ui_st.overlay == &view_queue)
		ui_close_overlay();
	else
		ui_open_overlay(&view_queue);
	return 0;
}

static int queue_move_by(int d, struct err *e)
{
	struct ui *u = &ui_st;
	int to = u->q_sel + d;

	if (u->overlay != &view_queue || u->q_sel < 0 || u->q_sel >= (int)u->queue.n)
		return 0;
	if (to < 0 || to >= (int)u->queue.n)
		return 0;
	if (store_queue_move(u->st, u->queue.v[u->q_sel].id, (size_t)to, e) < 0)
		return -1;
	u->q_sel = to;
	ui_reload_queue();
	return 0;
}

static int c_move_down(int argc, char **argv, struct err *e)
{
	return queue_move_by(1, e);
}

static int c_move_up(int argc, char **argv, struct err *e)
{
	return queue_move_by(-1, e);
}

static int c_remove(int argc, char **argv, struct err *e)
{
	struct ui *u = &ui_st;

	if (u->overlay != &view_queue || u->q_sel < 0 || u->q_sel >= (int)u->queue.n)
		return 0;
	if (store_queue_remove(u->st, u->queue.v[u->q_sel].id, e) < 0)
		return -1;
	ui_reload_queue();
	if (u->q_sel >= (int)u->queue.n && u->q_sel > 0)
		u->q_sel--;
	return 0;
}

static const char *feed_label(const struct store_feed *f)
{
	return f->title && f->title[0] ? f->title : f->url;
}

static int c_refresh(int argc, char **argv, struct err *e)
{
	struct ui *u = &ui_st;
	const struct store_feed *f;
	char id[32];

	if (u->feed_sel < 0 || u->feed_sel >= (int)u->feeds.n) {
		err_set(e, "refresh: no podcast selected");
		return -1;
	}
	f = &u->feeds.v[u->feed_sel];
	if (ui_job_busy(UI_JOB_REFRESH, f->id)) {
		ui_message(false, "already refreshing %s", feed_label(f));
		return 0;
	}
	snprintf(id, sizeof id, "%lld", (long long)f->id);
	const char *args[] = {"update", id, NULL};
	if (ui_job_start(UI_JOB_REFRESH, f->id, feed_label(f), args) < 0) {
		err_set(e, "refresh %s: cannot start hark update", feed_label(f));
		return -1;
	}
	ui_message(false, "refreshing %s…", feed_label(f));
	return 0;
}

/* One `hark update FEED` per podcast (a few at a time), so that a slow
 * feed holds up nobody and each one reports on its own. */
static int c_refresh_all(int argc, char **argv, struct err *e)
{
	struct ui *u = &ui_st;
	size_t i, started = 0;
	char id[32];

	for (i = 0; i < u->feeds.n; i++) {
		const struct store_feed *f = &u->feeds.v[i];
		if (ui_job_busy(UI_JOB_REFRESH, f->id))
			continue;
		snprintf(id, sizeof id, "%lld", (long long)f->id);
		const char *args[] = {"update", id, NULL};
		if (ui_job_start(UI_JOB_REFRESH, f->id, feed_label(f), args) < 0) {
			err_set(e, "refresh %s: cannot start hark update", feed_label(f));
			return -1;
		}
		started++;
	}
	ui_message(false, "refreshing %zu podcasts…", started);
	return 0;
}

static int c_download(int argc, char **argv, struct err *e)
{
	const struct store_episode *ep = need_episode("download", e);
	char id[32];

	if (ep == NULL)
		return -1;
	if (ep->download_path) {
		ui_message(false, "already downloaded: %s", ep->download_path);
		return 0;
	}
	if (ui_job_busy(UI_JOB_DOWNLOAD, ep->id))
		return 0;
	snprintf(id, sizeof id, "%lld", (long long)ep->id);
	const char *args[] = {"download", id, NULL};
	if (ui_job_start(UI_JOB_DOWNLOAD, ep->id, ep->title ? ep->title : id, args) < 0) {
		err_set(e, "download: cannot start hark download");
		return -1;
	}
	ui_message(false, "downloading %s…", ep->title ? ep->title : id);
	return 0;
}

static int c_add(int argc, char **argv, struct err *e)
{
	const char *args[] = {"add", argv[1], NULL};

	if (ui_job_start(UI_JOB_ADD, 0, argv[1], args) < 0) {
		err_set(e, "add %s: cannot start hark add", argv[1]);
		return -1;
	}
	ui_message(false, "adding %s…", argv[1]);
	return 0;
}

static int c_mark(int argc, char **argv, struct err *e)
{
	const struct store_episode *ep = need_episode("mark", e);
	bool played;

	if (ep == NULL)
		return -1;
	played = !ep->played;
	if (store_set_played(ui_st.st, ep->id, played, e) < 0)
		return -1;
	ui_message(false, "%s: %s", played ? "played" : "unplayed", ep->title ? ep->title : "");
	ui_reload_feeds();
	return 0;
}

/* Search the focused view; the text (if given) becomes the last search. */
static int do_search(const char *text, int dir, bool next, struct err *e)
{
	const struct ui_view *v = ui_focus_view();

	if (text == NULL || text[0] == '\0') {
		err_set(e, "no search yet (/ searches)");
		return -1;
	}
	if (v->search == NULL || !v->search(text, dir, next)) {
		err_set(e, "not found: %s", text);
		return -1;
	}
	return 0;
}

static int c_search(int argc, char **argv, struct err *e)
{
	struct buf b = {0};
	int i;

	if (argc == 1) {
		ui_st.prompt_on = true;
		ui_st.prompt_kind = '/';
		buf_free(&ui_st.line);
		ui_st.cursor = 0;
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (i > 1)
			buf_putc(&b, ' ');
		buf_puts(&b, argv[i]);
	}
	free(ui_st.last_search);
	ui_st.last_search = buf_steal(&b);
	/* from the podcasts and episodes panes: the whole library */
	if (ui_st.overlay == NULL && ui_st.focus < 2)
		return ui_search_library(ui_st.last_search, e);
	return do_search(ui_st.last_search, 1, false, e);
}

static int c_search_next(int argc, char **argv, struct err *e)
{
	return do_search(ui_st.last_search, 1, true, e);
}

static int c_search_prev(int argc, char **argv, struct err *e)
{
	return do_search(ui_st.last_search, -1, true, e);
}

static int c_cmdline(int argc, char **argv, struct err *e)
{
	ui_st.prompt_on = true;
	ui_st.prompt_kind = ':';
	buf_free(&ui_st.line);
	ui_st.cursor = 0;
	return 0;
}

static int c_help(int argc, char **argv, struct err *e)
{
	ui_open_overlay(&view_help);
	return 0;
}

static int c_messages(int argc, char **argv, struct err *e)
{
	size_t i;

	if (ui_st.reply) { /* hark remote messages: print them */
		for (i = 0; i < ui_st.nmsgs; i++)
			reply("%s%s", ui_st.msgs[i].error ? "error: " : "", ui_st.msgs[i].text);
		return 0;
	}
	ui_open_overlay(&view_messages);
	return 0;
}

static int c_close(int argc, char **argv, struct err *e)
{
	ui_close_overlay();
	return 0;
}

static int c_quit(int argc, char **argv, struct err *e)
{
	ui_st.quit = true;
	return 0;
}

static int c_tab(int argc, char **argv, struct err *e)
{
	static const char *const names[] = {"description", "transcript", "chapters"};
	int t;

	if (argc > 1) {
		for (t = 0; t < UI_TAB_N; t++)
			if (str_case_starts_with(names[t], argv[1]))
				break;
		if (t == UI_TAB_N) {
			err_set(e, "tab: '%s': description, transcript or chapters", argv[1]);
			return -1;
		}
	} else {
		t = ((int)ui_st.tab + 1) % UI_TAB_N;
	}
	ui_st.tab = (enum ui_tab)t;
	return 0;
}

static int c_follow(int argc, char **argv, struct err *e)
{
	ui_st.follow = true;
	ui_st.cue_seen = -2;
	ui_st.tab = UI_TAB_TRANSCRIPT;
	return 0;
}

static int c_chapter_next(int argc, char **argv, struct err *e)
{
	ui_chapter_step(1);
	return 0;
}

static int c_chapter_prev(int argc, char **argv, struct err *e)
{
	ui_chapter_step(-1);
	return 0;
}

/* "30m", "1h", "90" (minutes), "1:30:00", "end", "off". */
static int c_sleep(int argc, char **argv, struct err *e)
{
	struct ui *u = &ui_st;
	const char *a = argv[1];
	double secs = -1;
	char *end;

	if (strcmp(a, "off") == 0 || strcmp(a, "cancel") == 0) {
		if (u->fading)
			player_set_volume(u->pl, u->sleep_volume);
		u->sleep_at = 0;
		u->sleep_end = false;
		u->fading = false;
		ui_message(false, "sleep timer off");
		return 0;
	}
	if (strcmp(a, "end") == 0) {
		u->sleep_at = 0;
		u->sleep_end = true;
		u->sleep_volume = cur_volume();
		ui_message(false, "sleeping at the end of this episode");
		return 0;
	}
	if (strchr(a, ':')) {
		secs = time_parse_clock(a);
	} else {
		double v = strtod(a, &end);
		if (end != a && v > 0) {
			if (*end == '\0' || strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
				secs = v * 60;
			else if (strcmp(end, "h") == 0)
				secs = v * 3600;
			else if (strcmp(end, "s") == 0)
				secs = v;
		}
	}
	if (secs <= 0) {
		err_set(e, "sleep: '%s': 30m, 1h, 45s, 1:30:00, end or off", a);
		return -1;
	}
	u->sleep_at = time_mono() + secs;
	u->sleep_end = false;
	u->sleep_volume = cur_volume();
	char t[16];
	ui_message(false, "sleeping in %s", time_format(secs, t, sizeof t));
	return 0;
}

/* Fade out over sleep_fade seconds before the sleep deadline, then pause. */
void ui_sleep_tick(void)
{
	struct ui *u = &ui_st;
	double left = -1, fade = (double)config_int("sleep_fade");

	if (u->sleep_at > 0)
		left = u->sleep_at - time_mono();
	else if (u->sleep_end && u->opened && ui_duration() > 0)
		left = (ui_duration() - ui_position()) / (cur_speed() > 0 ? cur_speed() : 1);
	if (left < 0 && u->sleep_at == 0)
		return;
	if (left <= 0) {
		if (u->opened)
			player_pause(u->pl, true);
		ui_save_position();
		player_set_volume(u->pl, u->sleep_volume);
		u->sleep_at = 0;
		u->fading = false;
		ui_message(false, "sleep timer: paused");
		return;
	}
	if (left < fade && u->snap.state == PLAYER_PLAYING) {
		int v = (int)(u->sleep_volume * left / fade);
		u->fading = true;
		player_set_volume(u->pl, v);
	}
}

static int c_set(int argc, char **argv, struct err *e)
{
	char val[256];
	size_t n, i;
	const struct config_option *o;

	if (argc == 1) {
		o = config_options(&n);
		for (i = 0; i < n; i++)
			reply("%s %s", o[i].name, config_value_text(o[i].name, val, sizeof val));
		ui_open_overlay(&view_help);
		return 0;
	}
	if (argc == 2) {
		if (config_option_find(argv[1]) == NULL) {
			err_set(e, "%s: no such option", argv[1]);
			return -1;
		}
		config_value_text(argv[1], val, sizeof val);
		ui_message(false, "%s %s", argv[1], val);
		reply("%s", val);
		return 0;
	}
	if (config_set(argv[1], argv[2], e) < 0)
		return -1;
	/* options that act at once */
	if (strcmp(argv[1], "speed") == 0)
		player_set_speed(ui_st.pl, config_double("speed"));
	else if (strcmp(argv[1], "volume") == 0)
		player_set_volume(ui_st.pl, (int)config_int("volume"));
	else if (strcmp(argv[1], "skip_silence") == 0)
		player_set_skip_silence(ui_st.pl, config_bool("skip_silence"));
	else if (str_starts_with(argv[1], "color_"))
		ui_colors_init();
	ui_st.dirty = true;
	return 0;
}

int ui_bind(int ctx, int key, const char *command, struct err *e)
{
	struct ui *u = &ui_st;
	struct ui_binding *nb;
	size_t i;

	for (i = 0; i < u->nbinds; i++) {
		if (u->binds[i].ctx == ctx && u->binds[i].key == key) {
			char *c = command ? str_dup(command) : NULL;
			free(u->binds[i].command);
			if (c == NULL) { /* unbind */
				u->binds[i] = u->binds[--u->nbinds];
				return 0;
			}
			u->binds[i].command = c;
			return 0;
		}
	}
	if (command == NULL) {
		err_set(e, "unbind: that key is not bound");
		return -1;
	}
	nb = realloc(u->binds, (u->nbinds + 1) * sizeof *nb);
	if (nb == NULL) {
		err_set(e, "bind: out of memory");
		return -1;
	}
	u->binds = nb;
	nb[u->nbinds].ctx = ctx;
	nb[u->nbinds].key = key;
	nb[u->nbinds].command = str_dup(command);
	u->nbinds++;
	return 0;
}

void ui_binds_free(void)
{
	size_t i;

	for (i = 0; i < ui_st.nbinds; i++)
		free(ui_st.binds[i].command);
	free(ui_st.binds);
	ui_st.binds = NULL;
	ui_st.nbinds = 0;
}

const char *ui_binding_for(const char *ctx, int key)
{
	int c = ui_context_index(ctx), pass;
	size_t i;

	for (pass = 0; pass < 2; pass++) {
		int want = pass == 0 ? c : 0;
		if (want < 0)
			continue;
		for (i = 0; i < ui_st.nbinds; i++)
			if (ui_st.binds[i].ctx == want && ui_st.binds[i].key == key)
				return ui_st.binds[i].command;
	}
	return NULL;
}

/* bind [CONTEXT] KEY COMMAND [ARGS...] */
static int c_bind(int argc, char **argv, struct err *e)
{
	struct buf b = {0};
	int ctx = 0, i = 1, key;
	size_t nc;

	if (argc >= 4 && ui_context_index(argv[1]) >= 0)
		ctx = ui_context_index(argv[i++]);
	key = config_key_parse(argv[i++], e);
	if (key < 0)
		return -1;
	if (i >= argc) {
		err_set(e, "bind: needs a command after the key");
		return -1;
	}
	const struct ui_command *cmds = ui_commands(&nc);
	size_t k;
	for (k = 0; k < nc; k++)
		if (strcmp(cmds[k].name, argv[i]) == 0)
			break;
	if (k == nc) {
		err_set(e, "bind: %s: no such command", argv[i]);
		return -1;
	}
	for (; i < argc; i++) {
		char *q = config_quote(argv[i]);
		if (b.len)
			buf_putc(&b, ' ');
		buf_puts(&b, q);
		free(q);
	}
	int rc = ui_bind(ctx, key, b.data, e);
	buf_free(&b);
	return rc;
}

static int c_unbind(int argc, char **argv, struct err *e)
{
	int ctx = 0, key, i = 1;

	if (argc == 3) {
		ctx = ui_context_index(argv[1]);
		if (ctx < 0) {
			err_set(e, "unbind: %s: no such context", argv[1]);
			return -1;
		}
		i = 2;
	}
	key = config_key_parse(argv[i], e);
	if (key < 0)
		return -1;
	return ui_bind(ctx, key, NULL, e);
}

/* For `hark remote status`: one "name value" a line. */
static int c_status(int argc, char **argv, struct err *e)
{
	struct ui *u = &ui_st;
	char t[16];

	reply("state %s", !u->have_cur ? "stopped"
	                  : u->opened  ? player_state_name(u->snap.state)
	                               : "paused");
	if (u->have_cur) {
		reply("title %s", u->cur.title ? u->cur.title : "");
		reply("podcast %s", u->cur.feed_title ? u->cur.feed_title : "");
		reply("episode %lld", (long long)u->cur.id);
		reply("position %.1f", ui_position());
		reply("duration %.1f", ui_duration());
		reply("elapsed %s", time_format(ui_position(), t, sizeof t));
		const char *ch = ui_current_chapter();
		if (ch)
			reply("chapter %s", ch);
	}
	reply("speed %.1f", cur_speed());
	reply("volume %d", cur_volume());
	reply("queue %zu", u->queue.n);
	return 0;
}

static const struct ui_command commands[] = {
        {"activate", c_activate, 0, 0, "", "play the selected episode / seek to the line"},
        {"add", c_add, 1, 1, "URL", "subscribe to a feed (in the background)"},
        {"back", c_back, 0, 0, "", "seek back by seek_back seconds"},
        {"back_big", c_back_big, 0, 0, "", "seek back by seek_big seconds"},
        {"bind", c_bind, 2, -1, "[CONTEXT] KEY COMMAND [ARGS]", "bind a key to a command"},
        {"bottom", c_bottom, 0, 0, "", "go to the last line"},
        {"chapter_next", c_chapter_next, 0, 0, "", "go to the next chapter"},
        {"chapter_prev", c_chapter_prev, 0, 0, "", "go to this/the previous chapter"},
        {"close", c_close, 0, 0, "", "close the queue, help or messages view"},
        {"cmdline", c_cmdline, 0, 0, "", "type a command"},
        {"down", c_down, 0, 1, "[N]", "move down"},
        {"download", c_download, 0, 0, "", "download the selected episode (background)"},
        {"follow", c_follow, 0, 0, "", "the transcript follows playback again"},
        {"forward", c_forward, 0, 0, "", "seek forward by seek_forward seconds"},
        {"forward_big", c_forward_big, 0, 0, "", "seek forward by seek_big seconds"},
        {"help", c_help, 0, 0, "", "this help"},
        {"mark", c_mark, 0, 0, "", "mark the selected episode played / unplayed"},
        {"messages", c_messages, 0, 0, "", "every message of this session"},
        {"move_down", c_move_down, 0, 0, "", "move the queue entry down"},
        {"move_up", c_move_up, 0, 0, "", "move the queue entry up"},
        {"next", c_next, 0, 0, "", "play the next episode in the queue"},
        {"page_down", c_page_down, 0, 0, "", "move down a page"},
        {"page_up", c_page_up, 0, 0, "", "move up a page"},
        {"pane_left", c_pane_left, 0, 0, "", "the pane on the left"},
        {"pane_next", c_pane_next, 0, 0, "", "the next pane"},
        {"pane_prev", c_pane_prev, 0, 0, "", "the previous pane"},
        {"pane_right", c_pane_right, 0, 0, "", "the pane on the right"},
        {"pause", c_pause, 0, 0, "", "pause"},
        {"play", c_play, 0, 0, "", "resume playing"},
        {"queue", c_queue, 0, 0, "", "show / hide the queue"},
        {"queue_add", c_queue_add, 0, 0, "", "add the selected episode at the end of the queue"},
        {"queue_next", c_queue_next, 0, 0, "", "play the selected episode next"},
        {"quit", c_quit, 0, 0, "", "quit (everything is saved)"},
        {"redraw", c_redraw, 0, 0, "", "redraw the screen"},
        {"refresh", c_refresh, 0, 0, "", "refresh the selected podcast (background)"},
        {"refresh_all", c_refresh_all, 0, 0, "", "refresh every podcast (background)"},
        {"remove", c_remove, 0, 0, "", "remove the entry from the queue"},
        {"search", c_search, 0, -1, "[TEXT]", "search the pane (n / N: next / previous)"},
        {"search_next", c_search_next, 0, 0, "", "next match"},
        {"search_prev", c_search_prev, 0, 0, "", "previous match"},
        {"seek", c_seek, 1, 1, "TIME|+T|-T|N%", "seek to a time, by a time or to a percentage"},
        {"set", c_set, 0, 2, "[NAME [VALUE]]", "show or change an option"},
        {"sleep", c_sleep, 1, 1, "30m|1h|end|off", "pause after a while, fading out"},
        {"speed", c_speed, 1, 1, "X|+X|-X", "playback speed (0.5-3.0)"},
        {"speed_down", c_speed_down, 0, 0, "", "slower by speed_step"},
        {"speed_up", c_speed_up, 0, 0, "", "faster by speed_step"},
        {"status", c_status, 0, 0, "", "print the playing state (for hark remote)"},
        {"stop", c_stop, 0, 0, "", "stop playing (the position is kept)"},
        {"tab", c_tab, 0, 1, "[description|transcript|chapters]", "switch the details tab"},
        {"toggle", c_toggle, 0, 0, "", "pause / resume"},
        {"top", c_top, 0, 0, "", "go to the first line"},
        {"unbind", c_unbind, 1, 2, "[CONTEXT] KEY", "remove a key binding"},
        {"up", c_up, 0, 1, "[N]", "move up"},
        {"volume", c_volume, 1, 1, "N|+N|-N", "volume in percent (0-150)"},
        {"volume_down", c_volume_down, 0, 0, "", "quieter by volume_step"},
        {"volume_up", c_volume_up, 0, 0, "", "louder by volume_step"},
};

const struct ui_command *ui_commands(size_t *n)
{
	*n = HARK_ARRAY_LEN(commands);
	return commands;
}

int ui_run_argv(int argc, char **argv, struct err *e)
{
	size_t i;

	if (argc < 1)
		return 0;
	for (i = 0; i < HARK_ARRAY_LEN(commands); i++) {
		const struct ui_command *c = &commands[i];
		if (strcmp(c->name, argv[0]) != 0)
			continue;
		if (argc - 1 < c->min_args || (c->max_args >= 0 && argc - 1 > c->max_args)) {
			err_set(e, "usage: %s %s", c->name, c->args);
			return -1;
		}
		return c->run(argc, argv, e);
	}
	err_set(e, "%s: no such command (? lists them)", argv[0]);
	return -1;
}

int ui_run_line(const char *line, struct err *e)
{
	char **w;
	int n = config_split(line, &w, e), rc;

	if (n <= 0)
		return n;
	rc = ui_run_argv(n, w, e);
	config_words_free(w, n);
	return rc;
}

int ui_config_cmd(int argc, char **argv, void *ud, struct err *e)
{
	/* in a config file only set, bind and unbind make sense */
	if (strcmp(argv[0], "set") == 0) {
		if (argc != 3) {
			err_set(e, "usage: set NAME VALUE");
			return -1;
		}
		return config_set(argv[1], argv[2], e);
	}
	if (strcmp(argv[0], "bind") == 0)
		return ui_run_argv(argc, argv, e);
	if (strcmp(argv[0], "unbind") == 0)
		return ui_run_argv(argc, argv, e);
	err_set(e, "%s: only set, bind and unbind belong in a config file", argv[0]);
	return -1;
}
