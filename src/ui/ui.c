/* ui.c - `hark` without a command: the curses interface. One thread; a
 * poll() on the terminal, the player's wake fd, the remote socket and the
 * background jobs' pipes; the screen is redrawn from the state after every
 * event (curses only sends what changed). */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "hark/config.h"
#include "ui.h"
#include "uitext.h"

struct ui ui_st;

#define MSG_KEEP 500 /* messages kept for :messages */

/* Where the progress bar was drawn (for mouse clicks). */
static int bar_y = -1, bar_x, bar_w;

void ui_message(bool error, const char *fmt, ...)
{
	struct ui *u = &ui_st;
	char tmp[1024], *clean;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	clean = text_sanitize(tmp, false);
	if (clean == NULL)
		return;
	log_msg("ui: %s%s", error ? "error: " : "", clean);
	if (u->nmsgs == MSG_KEEP) {
		free(u->msgs[0].text);
		memmove(u->msgs, u->msgs + 1, (MSG_KEEP - 1) * sizeof *u->msgs);
		u->nmsgs--;
	}
	struct ui_message *nm = realloc(u->msgs, (u->nmsgs + 1) * sizeof *nm);
	if (nm) {
		u->msgs = nm;
		nm[u->nmsgs].text = str_dup(clean);
		nm[u->nmsgs].error = error;
		nm[u->nmsgs].when = time_mono();
		u->nmsgs++;
	}
	free(u->msg);
	u->msg = clean;
	u->msg_error = error;
	u->msg_when = time_mono();
	u->dirty = true;
}

/* ---- the library ---- */

static int64_t selected_feed_id(void)
{
	struct ui *u = &ui_st;

	if (u->feed_sel >= 0 && u->feed_sel < (int)u->feeds.n)
		return u->feeds.v[u->feed_sel].id;
	return 0;
}

void ui_reload_episodes(void)
{
	struct ui *u = &ui_st;
	int64_t fid = selected_feed_id(), keep = 0;
	struct err e;
	size_t i;

	if (u->ep_sel >= 0 && u->ep_sel < (int)u->eps.n && u->eps_feed == fid)
		keep = u->eps.v[u->ep_sel].id;
	store_episode_list_free(&u->eps);
	memset(&u->eps, 0, sizeof u->eps);
	u->eps_feed = fid;
	if (fid && store_episode_list(u->st, fid, &u->eps, &e) < 0)
		ui_message(true, "episodes: %s", e.msg);
	if (keep) {
		for (i = 0; i < u->eps.n; i++)
			if (u->eps.v[i].id == keep)
				u->ep_sel = (int)i;
	}
	if (u->ep_sel >= (int)u->eps.n)
		u->ep_sel = u->eps.n ? (int)u->eps.n - 1 : 0;
	u->dirty = true;
}

void ui_reload_queue(void)
{
	struct ui *u = &ui_st;
	struct store_id_list ids = {0};
	struct err e;
	size_t i;

	store_episode_list_free(&u->queue);
	memset(&u->queue, 0, sizeof u->queue);
	if (store_queue_list(u->st, &ids, &e) < 0) {
		ui_message(true, "queue: %s", e.msg);
		return;
	}
	u->queue.v = calloc(ids.n ? ids.n : 1, sizeof *u->queue.v);
	for (i = 0; u->queue.v && i < ids.n; i++)
		if (store_episode_get(u->st, ids.v[i], &u->queue.v[u->queue.n], &e) == 0)
			u->queue.n++;
	store_id_list_free(&ids);
	if (u->q_sel >= (int)u->queue.n)
		u->q_sel = u->queue.n ? (int)u->queue.n - 1 : 0;
	u->dirty = true;
}

void ui_reload_feeds(void)
{
	struct ui *u = &ui_st;
	int64_t keep = selected_feed_id();
	struct err e;
	size_t i;

	store_feed_list_free(&u->feeds);
	memset(&u->feeds, 0, sizeof u->feeds);
	if (store_feed_list(u->st, &u->feeds, &e) < 0)
		ui_message(true, "podcasts: %s", e.msg);
	for (i = 0; i < u->feeds.n; i++)
		if (u->feeds.v[i].id == keep)
			u->feed_sel = (int)i;
	if (u->feed_sel >= (int)u->feeds.n)
		u->feed_sel = u->feeds.n ? (int)u->feeds.n - 1 : 0;
	ui_reload_episodes();
	ui_reload_queue();
}

/* ---- playback ---- */

double ui_position(void)
{
	struct ui *u = &ui_st;

	if (!u->have_cur)
		return 0;
	return u->opened ? u->snap.pos : u->cur_pos;
}

double ui_duration(void)
{
	struct ui *u = &ui_st;

	if (!u->have_cur)
		return 0;
	if (u->opened && u->snap.duration > 0)
		return u->snap.duration;
	return u->cur.duration;
}

void ui_save_position(void)
{
	struct ui *u = &ui_st;
	double pos = ui_position();
	struct err e;
	size_t i;

	if (!u->have_cur || u->cur.played)
		return;
	if (store_set_position(u->st, u->cur.id, pos, &e) < 0)
		log_msg("ui: save position: %s", e.msg);
	u->saved_pos = pos;
	u->saved_when = time_mono();
	u->cur.position = pos;
	for (i = 0; i < u->eps.n; i++)
		if (u->eps.v[i].id == u->cur.id)
			u->eps.v[i].position = pos;
}

void ui_seek(double t, bool rel)
{
	struct ui *u = &ui_st;
	double d = ui_duration();

	if (!u->have_cur) {
		ui_message(true, "seek: nothing is playing");
		return;
	}
	if (u->opened && u->snap.state != PLAYER_ENDED && u->snap.state != PLAYER_ERROR) {
		player_seek(u->pl, t, rel);
		return;
	}
	/* not playing: move the position Space will resume from */
	u->cur_pos = rel ? u->cur_pos + t : t;
	if (d > 0 && u->cur_pos > d)
		u->cur_pos = d;
	if (u->cur_pos < 0)
		u->cur_pos = 0;
	u->opened = false;
	ui_save_position();
}

/* Replace cur with a fresh copy of episode id from the store. */
static int load_current(int64_t id)
{
	struct ui *u = &ui_st;
	struct store_episode ep;
	struct err e;

	if (store_episode_get(u->st, id, &ep, &e) != 0)
		return -1;
	if (u->have_cur)
		store_episode_free(&u->cur);
	u->cur = ep;
	u->have_cur = true;
	return 0;
}

void ui_play_episode(const struct store_episode *ep, double start)
{
	struct ui *u = &ui_st;
	const char *url;
	char id[32];
	struct err e;
	int64_t epid = ep->id;

	if (u->have_cur && u->opened && u->cur.id != epid)
		ui_save_position();
	if (load_current(epid) < 0) {
		ui_message(true, "play: episode %lld is gone", (long long)epid);
		return;
	}
	if (start < 0)
		start = (config_bool("resume") && !u->cur.played) ? u->cur.position : 0;
	if (u->cur.duration > 0 && start >= u->cur.duration - 1)
		start = 0;
	url = u->cur.download_path ? u->cur.download_path : u->cur.enclosure_url;
	if (url == NULL || url[0] == '\0') {
		ui_message(true, "play %s: the episode has no audio", u->cur.title);
		return;
	}
	u->fading = false;
	if (u->sleep_at == 0 && !u->sleep_end)
		u->sleep_volume = (int)config_int("volume");
	player_set_speed(u->pl, config_double("speed"));
	player_set_volume(u->pl, (int)config_int("volume"));
	if (player_open(u->pl, url, start, u->cur.duration) < 0) {
		player_snapshot(u->pl, &u->snap);
		ui_message(true, "play %s: %s", u->cur.title ? u->cur.title : url, u->snap.message);
		u->opened = false;
		return;
	}
	u->opened = true;
	u->cur_pos = start;
	u->snap.pos = start;
	u->snap.state = PLAYER_BUFFERING;
	u->snap.duration = u->cur.duration;
	u->snap.nspans = 0;
	u->snap.cached_fraction = 0;
	u->saved_when = time_mono();
	snprintf(id, sizeof id, "%lld", (long long)epid);
	store_kv_set(u->st, "ui.current", id, &e);
	if (u->cur.is_new)
		store_mark_seen(u->st, epid, 0, &e);
	ui_details_load(&u->cur);
	ui_message(false, "playing %s", u->cur.title ? u->cur.title : url);
}

bool ui_play_next(void)
{
	struct ui *u = &ui_st;
	struct store_episode ep;
	int64_t id;
	struct err e;

	while (store_queue_pop_next(u->st, &id, &e) == 0) {
		if (store_episode_get(u->st, id, &ep, &e) != 0)
			continue;
		ui_play_episode(&ep, -1);
		store_episode_free(&ep);
		ui_reload_queue();
		return true;
	}
	ui_reload_queue();
	return false;
}

/* The player published a new snapshot: follow its events. */
static void player_event(void)
{
	struct ui *u = &ui_st;
	struct err e;

	player_snapshot(u->pl, &u->snap);
	u->dirty = true;
	if (!u->opened)
		return;
	if (u->snap.errored)
		ui_message(true, "play %s: %s", u->cur.title ? u->cur.title : "",
		           u->snap.message[0] ? u->snap.message : "failed");
	if (u->snap.ended) {
		u->opened = false;
		u->cur_pos = 0;
		if (store_set_played(u->st, u->cur.id, true, &e) < 0)
			log_msg("ui: mark played: %s", e.msg);
		u->cur.played = true;
		ui_message(false, "finished %s", u->cur.title ? u->cur.title : "");
		if (u->sleep_end) {
			u->sleep_end = false;
			player_set_volume(u->pl, u->sleep_volume);
			ui_message(false, "sleep timer: stopped at the end of the episode");
		} else if (config_bool("queue_autoplay")) {
			ui_play_next();
		}
		ui_reload_episodes();
	}
}

/* ---- views ---- */

const struct ui_view *ui_focus_view(void)
{
	static const struct ui_view *const panes[] = {&view_podcasts, &view_episodes,
	                                              &view_details};

	if (ui_st.overlay)
		return ui_st.overlay;
	return panes[ui_st.focus];
}

const struct store_episode *ui_selected_episode(void)
{
	const struct ui_view *v = ui_focus_view();

	if (v->selected)
		return v->selected();
	if (v == &view_podcasts)
		return view_episodes.selected();
	return NULL;
}

void ui_open_overlay(const struct ui_view *v)
{
	if (ui_st.overlay && ui_st.overlay->close)
		ui_st.overlay->close();
	ui_st.overlay = v;
	if (v->open)
		v->open();
	ui_st.dirty = true;
}

void ui_close_overlay(void)
{
	if (ui_st.overlay && ui_st.overlay->close)
		ui_st.overlay->close();
	ui_st.overlay = NULL;
	ui_st.dirty = true;
}

/* ---- drawing ---- */

static void layout(void)
{
	struct ui *u = &ui_st;
	int bh, w0, w1, w2;

	getmaxyx(stdscr, u->rows, u->cols);
	bh = u->rows - 2;
	if (bh < 1)
		bh = u->rows > 1 ? u->rows - 1 : 0;
	u->body = (struct ui_rect){0, 0, bh, u->cols};
	u->status = (struct ui_rect){bh, 0, u->rows - bh, u->cols};
	u->folded = u->cols < 80 || u->rows < 20;
	if (u->folded) {
		int i;
		for (i = 0; i < 3; i++)
			u->pane[i] = (i == u->focus) ? u->body : (struct ui_rect){0, 0, 0, 0};
		return;
	}
	w0 = u->cols / 5;
	if (w0 < 14)
		w0 = 14;
	w1 = (u->cols * 2) / 5;
	w2 = u->cols - w0 - w1 - 2;
	u->pane[0] = (struct ui_rect){0, 0, bh, w0};
	u->pane[1] = (struct ui_rect){0, w0 + 1, bh, w1};
	u->pane[2] = (struct ui_rect){0, w0 + w1 + 2, bh, w2};
}

/* "━━━━──···": played, cached, not cached. */
static void draw_bar(int y, int x, int w)
{
	struct ui *u = &ui_st;
	double d = ui_duration(), pos = ui_position();
	struct buf b = {0};
	int i, played;

	bar_y = y;
	bar_x = x;
	bar_w = w;
	played = d > 0 ? (int)(w * pos / d) : 0;
	if (played > w)
		played = w;
	for (i = 0; i < w; i++) {
		double t0 = d > 0 ? d * i / w : 0, t1 = d > 0 ? d * (i + 1) / w : 0;
		bool cached = false;
		int s;

		for (s = 0; u->opened && s < u->snap.nspans; s++)
			if (u->snap.spans[s].start <= t0 + 1e-9 &&
			    u->snap.spans[s].end >= t1 - 1e-9)
				cached = true;
		if (!u->opened && u->cur.download_path)
			cached = true;
		buf_puts(&b, i < played ? "━" : cached ? "─" : "·");
	}
	attrset(ui_attr(UI_C_STATUS));
	mvaddstr(y, x, b.data ? b.data : "");
	attrset(A_NORMAL);
	buf_free(&b);
}

static const char *state_symbol(void)
{
	struct ui *u = &ui_st;

	if (!u->have_cur)
		return "■";
	if (!u->opened)
		return u->snap.state == PLAYER_ERROR ? "!" : "⏸";
	switch (u->snap.state) {
	case PLAYER_PLAYING:
		return "▶";
	case PLAYER_PAUSED:
		return "⏸";
	case PLAYER_BUFFERING:
		return "…";
	case PLAYER_ERROR:
		return "!";
	case PLAYER_ENDED:
	case PLAYER_IDLE:
		return "■";
	}
	return "?";
}

static void draw_status(void)
{
	struct ui *u = &ui_st;
	struct ui_rect r = u->status;
	char pos[16], dur[16], right[96], *left;
	int rw, bw = 0, lw, x;
	unsigned sattr = ui_attr(UI_C_STATUS);
	double speed = u->opened && u->snap.speed > 0 ? u->snap.speed : config_double("speed");
	int vol = u->opened ? u->snap.volume : (int)config_int("volume");

	if (r.h <= 0)
		return;
	time_format(ui_position(), pos, sizeof pos);
	if (ui_duration() > 0)
		time_format(ui_duration(), dur, sizeof dur);
	else
		snprintf(dur, sizeof dur, "--:--");
	if (!u->have_cur)
		snprintf(right, sizeof right, " %.1fx %d%% ", speed, vol);
	else if (r.w >= 60)
		snprintf(right, sizeof right, " %s / %s %.1fx %d%% ", pos, dur, speed, vol);
	else
		snprintf(right, sizeof right, " %s / %s ", pos, dur);
	rw = uitext_width(right);
	if (u->have_cur && r.w >= 50)
		bw = r.w / 5 > 30 ? 30 : r.w / 5;
	lw = r.w - rw - bw;
	left = str_printf("%s %s", state_symbol(),
	                  u->have_cur ? (u->cur.title ? u->cur.title : "") : "hark — ? for help");
	if (lw < 2) {
		/* very narrow: the time wins */
		lw = 2;
		rw = r.w - lw;
		bw = 0;
	}
	ui_put(r.y, r.x, lw, left, sattr | A_BOLD);
	free(left);
	x = r.x + lw;
	if (bw > 0) {
		draw_bar(r.y, x, bw);
		x += bw;
	} else {
		bar_y = -1;
	}
	ui_put(r.y, x, rw, right, sattr);

	/* second line: the prompt, or the message and the chapter / sleep */
	if (r.h < 2)
		return;
	if (u->prompt_on) {
		char *p = str_printf("%c%s", u->prompt_kind, u->line.data ? u->line.data : "");
		int cw = 1 + uitext_nwidth(u->line.data ? u->line.data : "", u->cursor);
		/* keep the cursor on screen: show the end of a long line */
		ui_put(r.y + 1, r.x, r.w, p, A_NORMAL);
		free(p);
		if (cw >= r.w)
			cw = r.w - 1;
		move(r.y + 1, r.x + cw);
		return;
	}
	char extra[160] = "";
	const char *ch = ui_current_chapter();
	if (u->sleep_at > 0) {
		char t[16];
		snprintf(extra, sizeof extra, " sleep %s",
		         time_format(u->sleep_at - time_mono(), t, sizeof t));
	} else if (u->sleep_end) {
		snprintf(extra, sizeof extra, " sleep at end");
	}
	if (ui_jobs_running())
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " ⟳%d",
		         ui_jobs_running());
	char *chs = ch ? str_printf("§ %s%s", ch, extra) : str_dup(extra);
	int ew = uitext_width(chs) + 1; /* + the screen's last cell, left blank */
	if (ew > r.w / 2)
		ew = r.w / 2;
	const char *m = u->msg && (u->msg_error || time_mono() - u->msg_when < 30) ? u->msg : "";
	ui_put(r.y + 1, r.x, r.w - ew, m, u->msg_error ? ui_attr(UI_C_ERROR) : A_NORMAL);
	ui_put(r.y + 1, r.x + r.w - ew, ew, chs, ui_attr(UI_C_ACCENT));
	free(chs);
}

static void draw(void)
{
	struct ui *u = &ui_st;
	static const struct ui_view *const panes[] = {&view_podcasts, &view_episodes,
	                                              &view_details};
	int i, y;

	layout();
	if (u->overlay) {
		u->overlay->draw(u->body, true);
	} else if (u->folded) {
		if (u->body.h > 0)
			panes[u->focus]->draw(u->body, true);
	} else {
		for (i = 0; i < 3; i++)
			panes[i]->draw(u->pane[i], i == u->focus);
		for (y = 0; y < u->body.h; y++) {
			ui_put(y, u->pane[1].x - 1, 1, "│", ui_attr(UI_C_ACCENT) & ~A_BOLD);
			ui_put(y, u->pane[2].x - 1, 1, "│", ui_attr(UI_C_ACCENT) & ~A_BOLD);
		}
	}
	draw_status();
	curs_set(u->prompt_on ? 1 : 0);
	refresh();
	u->dirty = false;
}

/* ---- input ---- */

/* A curses key as a config key code (see config.h), -1 to ignore. */
static int key_from_curses(int r, wint_t wc)
{
	if (r == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP:
			return CONFIG_KEY_UP;
		case KEY_DOWN:
			return CONFIG_KEY_DOWN;
		case KEY_LEFT:
			return CONFIG_KEY_LEFT;
		case KEY_RIGHT:
			return CONFIG_KEY_RIGHT;
		case KEY_SR:
			return CONFIG_KEY_SUP;
		case KEY_SF:
			return CONFIG_KEY_SDOWN;
		case KEY_SLEFT:
			return CONFIG_KEY_SLEFT;
		case KEY_SRIGHT:
			return CONFIG_KEY_SRIGHT;
		case KEY_PPAGE:
			return CONFIG_KEY_PGUP;
		case KEY_NPAGE:
			return CONFIG_KEY_PGDN;
		case KEY_HOME:
			return CONFIG_KEY_HOME;
		case KEY_END:
			return CONFIG_KEY_END;
		case KEY_IC:
			return CONFIG_KEY_INSERT;
		case KEY_DC:
			return CONFIG_KEY_DELETE;
		case KEY_BTAB:
			return CONFIG_KEY_BTAB;
		case KEY_ENTER:
			return 13;
		case KEY_BACKSPACE:
			return 127;
		default:
			if (wc >= KEY_F(1) && wc <= KEY_F(12))
				return CONFIG_KEY_F1 + (int)(wc - KEY_F(1));
			return -1;
		}
	}
	if (wc == '\n')
		return 13;
	if (wc == 8)
		return 127;
	return (int)wc;
}

/* Editing keys of the : and / line. */
static void prompt_key(int key)
{
	struct ui *u = &ui_st;
	struct err e;

	if (key == 27) {
		u->prompt_on = false;
		return;
	}
	if (key == 13) {
		char *line = buf_steal(&u->line);
		u->prompt_on = false;
		if (line && line[0]) {
			int rc;
			if (u->prompt_kind == '/') {
				free(u->last_search);
				u->last_search = str_dup(line);
				const char *args[] = {"search", line, NULL};
				rc = ui_run_argv(2, (char **)args, &e);
			} else {
				rc = ui_run_line(line, &e);
			}
			if (rc < 0)
				ui_message(true, "%s", e.msg);
		}
		free(line);
		return;
	}
	if (key == 127) {
		if (u->cursor == 0) {
			if (u->line.len == 0)
				u->prompt_on = false;
			return;
		}
		size_t at = u->cursor - 1;
		while (at > 0 && ((unsigned char)u->line.data[at] & 0xc0) == 0x80)
			at--;
		memmove(u->line.data + at, u->line.data + u->cursor, u->line.len - u->cursor + 1);
		u->line.len -= u->cursor - at;
		u->cursor = at;
		return;
	}
	if (key == CONFIG_KEY_LEFT) {
		while (u->cursor > 0) {
			u->cursor--;
			if (((unsigned char)u->line.data[u->cursor] & 0xc0) != 0x80)
				break;
		}
		return;
	}
	if (key == CONFIG_KEY_RIGHT) {
		while (u->cursor < u->line.len) {
			u->cursor++;
			if (u->cursor == u->line.len ||
			    ((unsigned char)u->line.data[u->cursor] & 0xc0) != 0x80)
				break;
		}
		return;
	}
	if (key == 21) { /* C-u */
		buf_free(&u->line);
		u->cursor = 0;
		return;
	}
	if (key == 1) { /* C-a */
		u->cursor = 0;
		return;
	}
	if (key == 5) { /* C-e */
		u->cursor = u->line.len;
		return;
	}
	if (key < 32 || key >= CONFIG_KEY_BASE)
		return;
	char enc[8];
	config_key_name(key, enc, sizeof enc);
	size_t n = strlen(enc);
	if (key == ' ')
		enc[0] = ' ', enc[1] = '\0', n = 1;
	if (buf_reserve(&u->line, n) < 0)
		return;
	memmove(u->line.data + u->cursor + n, u->line.data + u->cursor, u->line.len - u->cursor);
	memcpy(u->line.data + u->cursor, enc, n);
	u->line.len += n;
	u->line.data[u->line.len] = '\0';
	u->cursor += n;
}

static void handle_key(int key)
{
	struct ui *u = &ui_st;
	const struct ui_view *v;
	const char *cmd;
	struct err e;

	if (u->prompt_on) {
		prompt_key(key);
		return;
	}
	v = ui_focus_view();
	if (v->key && v->key(key))
		return;
	cmd = ui_binding_for(v->name, key);
	if (cmd == NULL) {
		char kn[32];
		if (key != 27)
			ui_message(false, "%s: not bound (? for help)",
			           config_key_name(key, kn, sizeof kn));
		return;
	}
	err_clear(&e);
	if (ui_run_line(cmd, &e) < 0)
		ui_message(true, "%s", e.msg);
}

static bool in_rect(struct ui_rect r, int y, int x)
{
	return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static void handle_mouse(void)
{
	struct ui *u = &ui_st;
	static const struct ui_view *const panes[] = {&view_podcasts, &view_episodes,
	                                              &view_details};
	const struct ui_view *v = NULL;
	struct ui_rect r = {0};
	MEVENT ev;
	int i;

	if (getmouse(&ev) != OK)
		return;
	if (bar_y >= 0 && ev.y == bar_y && ev.x >= bar_x && ev.x < bar_x + bar_w &&
	    (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))) {
		if (ui_duration() > 0)
			ui_seek(ui_duration() * (ev.x - bar_x + 0.5) / bar_w, false);
		return;
	}
	if (u->overlay) {
		v = u->overlay;
		r = u->body;
	} else {
		for (i = 0; i < 3; i++)
			if (in_rect(u->pane[i], ev.y, ev.x)) {
				v = panes[i];
				r = u->pane[i];
				if (ev.bstate &
				    (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_PRESSED))
					u->focus = i;
			}
	}
	if (v == NULL || !in_rect(r, ev.y, ev.x))
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		if (v->nav)
			v->nav(UI_MOVE_BY, -3);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		if (v->nav)
			v->nav(UI_MOVE_BY, 3);
	} else if (ev.bstate & BUTTON1_DOUBLE_CLICKED) {
		if (v->click)
			v->click(ev.y - r.y, ev.x - r.x, true);
	} else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) {
		if (v->click)
			v->click(ev.y - r.y, ev.x - r.x, false);
	}
}

static void read_keys(void)
{
	struct ui *u = &ui_st;
	wint_t wc;
	int r, key;

	for (;;) {
		r = get_wch(&wc);
		if (r == ERR)
			break;
		u->dirty = true;
		if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
			clear();
			continue;
		}
		if (r == KEY_CODE_YES && wc == KEY_MOUSE) {
			handle_mouse();
			continue;
		}
		key = key_from_curses(r, wc);
		if (key == 27 && !u->prompt_on) {
			/* Esc then a key within the delay: Alt/Meta */
			wint_t w2;
			int r2 = get_wch(&w2);
			if (r2 != ERR) {
				int k2 = key_from_curses(r2, w2);
				/* an unbound M-x is Esc, then x */
				if (k2 >= 0 && k2 != 27 &&
				    ui_binding_for(ui_focus_view()->name, k2 | CONFIG_KEY_META)) {
					key = k2 | CONFIG_KEY_META;
				} else {
					handle_key(27);
					if (r2 == KEY_CODE_YES && w2 == KEY_RESIZE)
						clear();
					else if (r2 == KEY_CODE_YES && w2 == KEY_MOUSE)
						handle_mouse();
					else
						key = k2;
				}
			}
		}
		if (key >= 0)
			handle_key(key);
		if (u->quit)
			break;
	}
}

/* ---- state ---- */

static long long kv_int(const char *key, long long def)
{
	char *v = NULL;
	struct err e;
	long long n = def;

	if (store_kv_get(ui_st.st, key, &v, &e) == 0 && v)
		n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

static void kv_put_int(const char *key, long long n)
{
	char v[32];
	struct err e;

	snprintf(v, sizeof v, "%lld", n);
	if (store_kv_set(ui_st.st, key, v, &e) < 0)
		log_msg("ui: save %s: %s", key, e.msg);
}

/* Selection, focus and the paused episode, as they were at the last quit. */
static void restore_state(void)
{
	struct ui *u = &ui_st;
	long long fid = kv_int("ui.feed", 0), eid = kv_int("ui.episode", 0);
	long long cur = kv_int("ui.current", 0);
	size_t i;

	u->focus = (int)kv_int("ui.focus", 1);
	if (u->focus < 0 || u->focus > 2)
		u->focus = 1;
	u->tab = (enum ui_tab)kv_int("ui.tab", 0);
	if ((int)u->tab < 0 || u->tab >= UI_TAB_N)
		u->tab = UI_TAB_DESCRIPTION;
	for (i = 0; i < u->feeds.n; i++)
		if (u->feeds.v[i].id == fid)
			u->feed_sel = (int)i;
	ui_reload_episodes();
	for (i = 0; i < u->eps.n; i++)
		if (u->eps.v[i].id == eid)
			u->ep_sel = (int)i;
	if (cur > 0 && load_current(cur) == 0) {
		u->cur_pos = u->cur.played ? 0 : u->cur.position;
		u->opened = false;
		ui_details_load(&u->cur);
	}
}

static void save_state(void)
{
	struct ui *u = &ui_st;

	ui_save_position();
	kv_put_int("ui.feed", selected_feed_id());
	if (u->ep_sel >= 0 && u->ep_sel < (int)u->eps.n)
		kv_put_int("ui.episode", u->eps.v[u->ep_sel].id);
	kv_put_int("ui.focus", u->focus);
	kv_put_int("ui.tab", u->tab);
	if (u->have_cur)
		kv_put_int("ui.current", u->cur.id);
}

static void load_config(void)
{
	struct err e;
	char *path = paths_data_file("hark.conf");

	if (config_parse_file(path, false, ui_config_cmd, NULL, &e) > 0)
		ui_message(true, "config: %s", e.msg);
	free(path);
	path = str_printf("%s/config", paths_config_dir());
	if (config_parse_file(path, true, ui_config_cmd, NULL, &e) > 0)
		ui_message(true, "config: %s", e.msg);
	free(path);
}

static void curses_start(void)
{
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* xterm-style shifted arrows, for terminals whose terminfo lacks them */
	define_key("\033[1;2D", KEY_SLEFT);
	define_key("\033[1;2C", KEY_SRIGHT);
	define_key("\033[1;2A", KEY_SR);
	define_key("\033[1;2B", KEY_SF);
	ui_colors_init();
	if (config_bool("mouse")) {
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_PRESSED |
		                  BUTTON4_PRESSED | BUTTON5_PRESSED,
		          NULL);
		mouseinterval(200);
	}
}

static void cleanup(void)
{
	struct ui *u = &ui_st;
	size_t i;

	ui_jobs_kill();
	ui_remote_close();
	if (u->pl)
		player_free(u->pl);
	u->pl = NULL;
	ui_details_reset();
	view_details.close();
	view_help.close();
	ui_search_free();
	store_feed_list_free(&u->feeds);
	store_episode_list_free(&u->eps);
	store_episode_list_free(&u->queue);
	if (u->have_cur)
		store_episode_free(&u->cur);
	u->have_cur = false;
	if (u->st)
		store_close(u->st);
	u->st = NULL;
	for (i = 0; i < u->nmsgs; i++)
		free(u->msgs[i].text);
	free(u->msgs);
	free(u->msg);
	free(u->last_search);
	buf_free(&u->line);
	ui_binds_free();
	config_reset();
}

int cmd_ui(int argc, char **argv)
{
	struct ui *u = &ui_st;
	struct player_opts po;
	struct pollfd fds[40];
	struct err e;
	double last_tick = 0;
	int n, i;

	if (argc > 1) {
		cli_error("%s: unknown command (see hark --help)", argv[1]);
		return CLI_USAGE;
	}
	if (!isatty(0) || !isatty(1)) {
		cli_error("ui: the interface needs a terminal (see hark --help for commands)");
		return CLI_FAIL;
	}
	memset(u, 0, sizeof *u);
	u->remote_fd = -1;
	u->focus = 1;
	u->follow = true;
	log_open(NULL);
	load_config();
	u->st = cli_open_store(&e);
	if (u->st == NULL) {
		cli_error("library: %s", e.msg);
		cleanup();
		return CLI_FAIL;
	}
	player_opts_init(&po);
	po.output = config_str("output")[0] ? config_str("output") : NULL;
	po.speed = config_double("speed");
	po.volume = (int)config_int("volume");
	po.skip_silence = config_bool("skip_silence");
	po.stderr_to_log = true;
	po.cache_max_bytes = (long long)config_int("cache_max_mb") << 20;
	po.stall_timeout = (double)config_int("stall_timeout");
	u->pl = player_new(&po, &e);
	if (u->pl == NULL) {
		cli_error("audio output %s: %s", po.output ? po.output : "(default)", e.msg);
		cleanup();
		return CLI_FAIL;
	}
	u->sleep_volume = po.volume;
	u->snap.speed = po.speed;
	u->snap.volume = po.volume;
	/* libao/ALSA noise must never reach the screen */
	if (log_fd() >= 0)
		dup2(log_fd(), 2);
	signal(SIGPIPE, SIG_IGN);
	ui_reload_feeds();
	restore_state();
	ui_remote_listen();
	curses_start();
	u->dirty = true;
	log_msg("ui: started, %zu podcasts", u->feeds.n);

	while (!u->quit) {
		int timeout;

		if (u->dirty)
			draw();
		ui_jobs_drawn(); /* starts what waited for the draw */
		n = 0;
		fds[n].fd = 0;
		fds[n++].events = POLLIN;
		fds[n].fd = player_wake_fd(u->pl);
		fds[n++].events = POLLIN;
		if (u->remote_fd >= 0) {
			fds[n].fd = u->remote_fd;
			fds[n++].events = POLLIN;
		}
		n += ui_jobs_fds(fds + n, (int)HARK_ARRAY_LEN(fds) - n);
		for (i = 0; i < n; i++)
			fds[i].revents = 0;
		/* tick faster while playing, so the clock moves smoothly */
		timeout = u->opened && u->snap.state == PLAYER_PLAYING ? 250 : 1000;
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			break;
		read_keys(); /* also catches KEY_RESIZE after a SIGWINCH */
		if (fds[1].revents & POLLIN)
			player_event();
		if (u->remote_fd >= 0 && (fds[2].revents & POLLIN))
			ui_remote_accept();
		ui_jobs_handle();
		if (time_mono() - last_tick >= 0.25) {
			last_tick = time_mono();
			if (u->opened && u->snap.state == PLAYER_PLAYING) {
				u->dirty = true;
				if (time_mono() - u->saved_when > 10)
					ui_save_position();
			}
			if (u->sleep_at > 0 || u->sleep_end)
				ui_sleep_tick();
			if (u->msg && !u->msg_error && time_mono() - u->msg_when >= 30)
				u->dirty = true;
		}
	}
	save_state();
	endwin();
	cleanup();
	return CLI_OK;
}
