/* player.h - the audio engine: one episode at a time, streamed over HTTP(S)
 * with Range requests into a sparse cache (or read from a local file),
 * decoded by libmpg123, sped up with the pitch kept (stretch.c), played
 * through libao.
 *
 * Threads: the caller (UI or CLI) never blocks. Every call below only posts
 * a command into a mailbox (a newer seek replaces a pending one) and returns.
 * State comes back through player_snapshot(); player_wake_fd() becomes
 * readable whenever a new snapshot is ready (poll() it with stdin). */
#ifndef HARK_PLAYER_H
#define HARK_PLAYER_H

#include <stdbool.h>
#include <stddef.h>

#include "hark/util.h"

struct player;

struct player_opts {
	/* "null", "raw:FILE", "wav:FILE", a libao live driver name ("pulse",
	 * "alsa", ...), or NULL for libao's default live driver. */
	const char *output;
	bool pace;                 /* hold file/null output to real time */
	const char *cache_dir;     /* NULL: paths_cache_dir()/audio */
	long long cache_max_bytes; /* LRU limit of the audio cache; 0: 2 GiB */
	const char *cacert;        /* CA bundle for https, NULL: system default */
	double speed;              /* 0.5-3.0; 1.0 by player_opts_init() */
	int volume;                /* 0-150 (percent); 100 by player_opts_init() */
	bool skip_silence;         /* shorten pauses longer than ~0.6 s */
	bool stderr_to_log;        /* send libao/ALSA stderr noise to log_fd() */
	double stall_timeout;      /* seconds below 1 KiB/s before reconnecting; 0: 10 */
	int max_retries;           /* reconnect attempts in a row; 0: 5 */
};

/* Fill o with the defaults (speed 1.0, volume 100, everything else off). */
void player_opts_init(struct player_opts *o);

enum player_state {
	PLAYER_IDLE,      /* nothing opened yet, or stopped */
	PLAYER_BUFFERING, /* waiting for bytes (start, seek, reconnect) */
	PLAYER_PLAYING,
	PLAYER_PAUSED,
	PLAYER_ENDED, /* the last sample has been played */
	PLAYER_ERROR, /* message says what and why */
};

#define PLAYER_MAX_SPANS 16
#define PLAYER_MAX_FORMATS 8

/* A copy of the player's state. The event flags report what happened since
 * the previous player_snapshot() call (they are cleared by taking it). */
struct player_snapshot {
	enum player_state state;
	double pos;             /* audible position, seconds */
	double duration;        /* seconds; the hint until the decoder knows better; 0 unknown */
	bool accurate;          /* false after an approximate (fuzzy) seek until corrected */
	double buffered_to;     /* seconds cached contiguously from pos (>= pos) */
	double cached_fraction; /* 0..1 of the file's bytes held in the cache */
	int nspans;             /* cached spans, in seconds, for a progress bar */
	struct {
		double start, end;
	} spans[PLAYER_MAX_SPANS];
	double speed;
	int volume;
	bool skip_silence;
	double silence_saved; /* seconds of silence skipped so far */
	long rate;            /* 0 until the format is known */
	int channels;
	char message[256]; /* status or error text; "" when nothing to say */
	unsigned seq;      /* increments with every change */
	/* events since the last snapshot */
	/* formats taken (the first one, then every change of rate or
	 * channels), oldest first: two changes between snapshots are both here;
	 * past PLAYER_MAX_FORMATS the last entry is the newest */
	int nformats;
	struct {
		long rate;
		int channels;
	} formats[PLAYER_MAX_FORMATS];
	bool first_audio;           /* the first samples of this episode were written */
	bool seeked;                /* the first audio at the seek target was written */
	double seek_target;         /* with seeked: what was asked for */
	double seek_pos;            /* with seeked: where the audio really restarted */
	bool seek_accurate;         /* with seeked: whether seek_pos was exact then */
	long long seek_out_frames;  /* with seeked: frames written to the output before it */
	bool corrected;             /* an approximate seek was corrected: */
	double corrected_target;    /* with corrected: what was asked for */
	double corrected_reported;  /* with corrected: where the seek event said it landed */
	double corrected_pos;       /* with corrected: where it really landed (the position
	                            * moved by corrected_pos - corrected_reported) */
	bool corrected_then_seeked; /* both, in that order (a seek redone after the fix) */
	bool ended;                 /* end of episode reached */
	bool errored;               /* state became PLAYER_ERROR */
	bool id3_ready;             /* player_id3_tag() now has the tag (or knows there is none) */
};

/* A player with its threads started; NULL and e set on failure (bad output
 * spec). The audio device is opened when the format is known. */
struct player *player_new(const struct player_opts *o, struct err *e);
void player_free(struct player *p);

/* Start playing url_or_path (http://, https://, file:// or a local path)
 * from start seconds. duration_hint (0 if unknown) is the feed's
 * itunes:duration, used until the decoder knows the length. Returns 0, or -1
 * when the argument cannot be used at all (the message is in the snapshot).
 * Everything later (network, format) is reported through the snapshot. */
int player_open(struct player *p, const char *url_or_path, double start, double duration_hint);
/* Seek to t seconds (relative: by t seconds). Repeated calls coalesce. */
void player_seek(struct player *p, double t, bool relative);
void player_pause(struct player *p, bool on);
void player_toggle(struct player *p);
/* 0.5-3.0, rounded to 0.1 steps; pitch is kept. */
void player_set_speed(struct player *p, double x);
/* 0-150 percent (clipped samples are saturated, not wrapped). */
void player_set_volume(struct player *p, int pct);
void player_set_skip_silence(struct player *p, bool on);
/* Stop playing and close the episode (the cache keeps what was fetched). */
void player_stop(struct player *p);

/* Readable when the snapshot changed; player_snapshot() drains it. */
int player_wake_fd(const struct player *p);
void player_snapshot(struct player *p, struct player_snapshot *out);

/* A malloc'd copy of the episode's ID3v2 tag (header included) and its size
 * in *len; NULL when there is none or it is not read yet (see id3_ready). */
unsigned char *player_id3_tag(struct player *p, size_t *len);

/* Fetch url into dest without playing (blocking; for `hark download`): the
 * bytes go to "dest.part" (+ "dest.part.map"), an interrupted download
 * resumes with a Range request, and dest appears by rename when whole.
 * progress (may be NULL) is called a few times a second. 0 or -1 and e. */
int player_download(const char *url, const char *dest, const struct player_opts *o,
                    void (*progress)(void *arg, long long got, long long total), void *arg,
                    struct err *e);

/* "idle", "buffering", "playing", "paused", "ended", "error". */
const char *player_state_name(enum player_state s);

#endif
