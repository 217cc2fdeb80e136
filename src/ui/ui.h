/* ui.h - the curses interface's shared state, the view interface, the
 * command table and the drawing helpers. Everything here runs on the one UI
 * thread; the player is driven through its mailbox API and its snapshot. */
#ifndef HARK_UI_UI_H
#define HARK_UI_UI_H

#include <stdbool.h>
#include <stdint.h>
#include <poll.h>
#include <sys/types.h>

#include "hark/player.h"
#include "hark/store.h"
#include "hark/util.h"

struct ui_rect {
	int y, x, h, w;
};

enum ui_move {
	UI_MOVE_BY,   /* n lines (negative: up) */
	UI_MOVE_PAGE, /* n pages */
	UI_MOVE_TOP,
	UI_MOVE_BOTTOM,
	UI_MOVE_TO, /* line n */
};

/* One view: a pane (podcasts, episodes, details) or a full-screen overlay
 * (queue, help, messages). Unused entries may be NULL. */
struct ui_view {
	const char *name; /* also the binding context */
	void (*open)(void);
	void (*draw)(struct ui_rect r, bool focused);
	bool (*key)(int key); /* before bindings; true when used */
	void (*resize)(struct ui_rect r);
	void (*close)(void);
	void (*nav)(enum ui_move how, int n);
	void (*activate)(void);
	void (*click)(int row, int col, bool dbl); /* row/col inside the rect */
	/* Find text from the selection on (dir +1/-1, skip the current line
	 * when next); select it and return true when found. */
	bool (*search)(const char *text, int dir, bool next);
	/* The episode this view has selected (may be NULL). */
	const struct store_episode *(*selected)(void);
};

extern const struct ui_view view_podcasts, view_episodes, view_details, view_queue, view_help,
        view_messages, view_search;
/* view_search.c: search the whole library, show the hits in an overlay. */
int ui_search_library(const char *text, struct err *e);
void ui_search_free(void);

enum ui_tab { UI_TAB_DESCRIPTION, UI_TAB_TRANSCRIPT, UI_TAB_CHAPTERS, UI_TAB_N };

/* A transcript or chapter line as the details pane shows it. */
struct ui_cue {
	double start, end; /* end -1: unknown */
	char *speaker;     /* or NULL */
	char *text;
	size_t nwords; /* word times: words[i] starts at text + woff[i] */
	double *wstart;
	size_t *woff;
};

struct ui_cues {
	struct ui_cue *v;
	size_t n;
	bool from_notes; /* timestamps found in the show notes */
};

struct ui_chapter {
	double start;
	char *title;
};

struct ui_message {
	char *text;
	bool error;
	double when; /* time_mono() */
};

struct ui_binding {
	int ctx; /* index in ui_contexts, 0 = common */
	int key;
	char *command;
};

/* The whole interface state. */
struct ui {
	struct store *st;
	struct player *pl;
	struct player_snapshot snap;
	bool quit;
	int rows, cols;
	bool color, mouse_on;
	bool dirty; /* redraw needed */

	/* podcasts pane */
	struct store_feed_list feeds;
	int feed_sel, feed_top;
	/* episodes pane (of the selected feed) */
	struct store_episode_list eps;
	int64_t eps_feed;
	int ep_sel, ep_top;
	/* the queue */
	struct store_episode_list queue;
	int q_sel, q_top;

	/* the playing (or paused, or restored) episode */
	struct store_episode cur;
	bool have_cur;
	bool opened;       /* player_open() done for cur */
	double cur_pos;    /* position while not opened (restored) */
	double saved_pos;  /* last position written to the store */
	double saved_when; /* time_mono() of that write */
	char *cur_url;

	/* panes and overlays */
	int focus;                     /* 0 podcasts, 1 episodes, 2 details */
	const struct ui_view *overlay; /* queue/help/messages or NULL */
	bool folded;                   /* one pane at a time */
	struct ui_rect pane[3], body, status;
	enum ui_tab tab;

	/* details pane */
	int64_t det_ep; /* episode whose transcript/chapters are loaded */
	struct ui_cues cues;
	bool cues_loading;
	char cues_note[512]; /* why there are none */
	struct ui_chapter *chapters;
	size_t nchapters;
	bool chapters_loading;
	int det_top;   /* first wrapped line shown */
	long cue_sel;  /* selected cue */
	bool follow;   /* keep the heard cue selected and in view */
	long cue_seen; /* the heard cue at the last draw */

	/* messages */
	struct ui_message *msgs;
	size_t nmsgs;
	char *msg; /* shown in the status line */
	bool msg_error;
	double msg_when;

	/* the : or / line */
	bool prompt_on;
	char prompt_kind; /* ':' or '/' */
	struct buf line;
	size_t cursor; /* byte offset in line */
	char *last_search;

	/* sleep timer */
	double sleep_at; /* time_mono() deadline, 0 off */
	bool sleep_end;  /* at the end of this episode */
	int sleep_volume;
	bool fading;

	/* key bindings */
	struct ui_binding *binds;
	size_t nbinds;

	/* remote control */
	int remote_fd;
	char *remote_path;
	struct buf *reply; /* set while running a remote command */

	/* mouse double-click on the progress bar etc. */
	double last_click;
	int last_click_y, last_click_x;
};

extern struct ui ui_st;

/* ---- ui.c ---- */
/* Show a message in the status line and keep it in the :messages log. */
void ui_message(bool error, const char *fmt, ...) HARK_PRINTF(2, 3);
/* Reload from the store: feeds (and the selected feed's episodes), queue. */
void ui_reload_feeds(void);
void ui_reload_episodes(void);
void ui_reload_queue(void);
/* Play ep from its stored position (from_queue: it came off the queue). */
void ui_play_episode(const struct store_episode *ep, double start);
/* Write the playing episode's position into the store now. */
void ui_save_position(void);
/* Current position / duration of the playing episode (0 when none). */
double ui_position(void);
double ui_duration(void);
/* Seek the playing episode (relative when rel), if any. */
void ui_seek(double t, bool rel);
/* The view that has the keyboard: the overlay, else the focused pane. */
const struct ui_view *ui_focus_view(void);
/* The episode the keys act on (the focused view's selection). */
const struct store_episode *ui_selected_episode(void);
/* Open/close an overlay view. */
void ui_open_overlay(const struct ui_view *v);
void ui_close_overlay(void);
/* Play the next queued episode; false when the queue is empty. */
bool ui_play_next(void);
/* Load the details tabs (transcript, chapters) for ep if not loaded. */
void ui_details_load(const struct store_episode *ep);
/* The current chapter's title or NULL. */
const char *ui_current_chapter(void);
/* view_details.c: content changed (redo the layout); a transcript or
 * chapters child finished; forget everything loaded. */
void ui_details_changed(void);
void ui_details_job_done(int kind, int64_t id, int status, const char *out);
void ui_details_reset(void);
void ui_chapter_step(int dir);

/* ---- commands.c ---- */
struct ui_command {
	const char *name;
	int (*run)(int argc, char **argv, struct err *e);
	int min_args, max_args; /* after the name; -1: no limit */
	const char *args;
	const char *help;
};
const struct ui_command *ui_commands(size_t *n);
/* Run a command line (":seek 1:00" without the colon). 0, or -1 with e. */
int ui_run_line(const char *line, struct err *e);
int ui_run_argv(int argc, char **argv, struct err *e);
/* Handler for config_parse(): set, bind, unbind and every other command. */
int ui_config_cmd(int argc, char **argv, void *ud, struct err *e);
/* Binding contexts: "common", then the view names. */
extern const char *const ui_contexts[];
int ui_context_index(const char *name);
int ui_bind(int ctx, int key, const char *command, struct err *e);
/* The command bound to key in the focused context (else common), or NULL. */
const char *ui_binding_for(const char *ctx, int key);
void ui_binds_free(void);
/* The :sleep timer, called about once a second and on player events. */
void ui_sleep_tick(void);

/* ---- draw.c ---- */
enum ui_color {
	UI_C_NORMAL,
	UI_C_ACCENT,
	UI_C_HIGHLIGHT,
	UI_C_SELECTED,
	UI_C_STATUS,
	UI_C_ERROR,
	UI_C_N,
};
/* Set up colour pairs from the color_* options (or none with NO_COLOR). */
void ui_colors_init(void);
unsigned ui_attr(enum ui_color c);
/* Put s at (y, x) in exactly w columns (cut with "…", padded). */
void ui_put(int y, int x, int w, const char *s, unsigned attr);
/* Blank a rectangle. */
void ui_clear_rect(struct ui_rect r);
/* A pane title line. */
void ui_title(struct ui_rect r, const char *title, bool focused);
/* Keep sel visible: adjust *top for a list of h rows. */
void ui_scroll_to(int *top, int sel, int h, int n);
/* The line a move from cur lands on in a list of count lines with page
 * lines to a page, clamped to the list (0 when it is empty). */
int ui_move_index(int cur, int count, int page, enum ui_move how, int n);

/* An episode date in the date_format option ("" when unknown). */
void ui_format_date(int64_t when, char *buf, size_t len);

/* ---- remote.c ---- */
/* Listen on paths_runtime_dir()/socket; -1 (message shown) if impossible. */
int ui_remote_listen(void);
/* Serve one connection on the listening socket (poll said readable). */
void ui_remote_accept(void);
void ui_remote_close(void);

/* ---- jobs.c: background `hark update` / `hark download` children ---- */
enum ui_job_kind {
	UI_JOB_REFRESH,
	UI_JOB_DOWNLOAD,
	UI_JOB_ADD,
	UI_JOB_TRANSCRIPT,
	UI_JOB_CHAPTERS
};
/* Start `hark ARGS...` in the background; label names it in messages. */
int ui_job_start(enum ui_job_kind kind, int64_t id, const char *label, const char *const *args);
/* The same, started only once the screen has been drawn (ui_jobs_drawn):
 * for work that would otherwise take the CPU from the first draw. */
int ui_job_start_after_draw(enum ui_job_kind kind, int64_t id, const char *label,
                            const char *const *args);
/* The screen was drawn: jobs waiting for it may start. */
void ui_jobs_drawn(void);
/* Fill pollfds (at most max) with the jobs' output pipes; returns the count. */
int ui_jobs_fds(struct pollfd *fds, int max);
/* Read what the jobs wrote, reap the finished ones. */
void ui_jobs_handle(void);
int ui_jobs_running(void);
/* True when a job of kind for id runs. */
bool ui_job_busy(enum ui_job_kind kind, int64_t id);
void ui_jobs_kill(void);

#endif
