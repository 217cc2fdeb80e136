/* engine.h - the player's internal parts (not public API): the audio
 * output, the DSP chain, the net stream and the command mailbox. */
#ifndef HARK_ENGINE_H
#define HARK_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hark/cache.h"
#include "hark/util.h"

/* --- output.c: libao live drivers, raw/wav files, null --- */
struct output;
/* Parse spec ("null", "raw:FILE", "wav:FILE", driver name, NULL = default)
 * and check the driver exists; the device opens at output_open(). */
struct output *output_new(const char *spec, bool pace, bool stderr_to_log, struct err *e);
/* (Re)open for this format; a file keeps going across format changes. */
int output_open(struct output *o, long rate, int channels, struct err *e);
/* Write bytes of s16 interleaved PCM; blocks for live devices, sleeps for
 * --pace. -1 on a device error. */
int output_play(struct output *o, const void *pcm, size_t bytes);
/* Push buffered file output to disk (at the end of an episode). */
void output_flush(struct output *o);
/* The pace clock restarts (after a pause or a seek). */
void output_restart_clock(struct output *o);
/* Seconds of audio the device still holds after output_play returns. */
double output_latency(const struct output *o);
bool output_is_live(const struct output *o);
const char *output_name(const struct output *o);
void output_free(struct output *o);

/* --- dsp.c: skip silence -> speed (stretch.c) -> gain --- */
struct dsp;
struct dsp *dsp_new(void);
void dsp_free(struct dsp *d);
/* New format or a seek: drop what the speed change holds and start again. */
void dsp_reset(struct dsp *d, long rate, int channels);
void dsp_set_speed(struct dsp *d, double speed);
void dsp_set_volume(struct dsp *d, int pct);
void dsp_set_skip_silence(struct dsp *d, bool on);
/* Process frames of interleaved s16 input; *out points at the result
 * (valid until the next call); returns output frames. */
size_t dsp_process(struct dsp *d, const int16_t *in, size_t frames, const int16_t **out);
/* End of stream: what the speed change still holds. */
size_t dsp_drain(struct dsp *d, const int16_t **out);
/* Input frames held by the speed change (not yet audible). */
double dsp_held_frames(const struct dsp *d);
/* Seconds of silence dropped so far. */
double dsp_saved(const struct dsp *d);
/* Scale samples by pct/100 with saturation (exported for tests). */
void dsp_gain(int16_t *s, size_t n, int pct);

/* --- stretch.c: pitch-keeping speed change of interleaved s16 --- */
struct stretch;
/* NULL when out of memory or rate/channels are not positive. */
struct stretch *stretch_new(long rate, int channels, double speed);
void stretch_free(struct stretch *st);
/* 0.5-3.0 (any value other than 1.0 works; 1.0 copies). */
void stretch_set_speed(struct stretch *st, double speed);
/* Append frames of input; *out gets the output made, which the caller may
 * change, valid until the next call. last: the input ends here, everything
 * held goes out. Returns output frames. */
size_t stretch_process(struct stretch *st, const int16_t *in, size_t frames, bool last,
                       int16_t **out);
/* Input frames held, not yet in any output. */
size_t stretch_held(const struct stretch *st);

/* --- stream.c: the net thread (curl multi) filling a cache --- */
struct stream_opts {
	const char *cacert;
	double stall_timeout; /* seconds */
	int max_retries;
	bool download; /* no reader: fill from the start, never stop early */
};
struct stream_status {
	long long size; /* -1 unknown */
	bool no_range;  /* the server ignored a Range request */
	bool failed;    /* gave up: message says why */
	bool retrying;  /* reconnecting after a drop */
	bool complete;  /* every byte is cached */
	char content_type[96];
	char message[256];
};
struct stream;
struct stream *stream_new(const char *url, struct cache *c, const struct stream_opts *o,
                          struct err *e);
void stream_free(struct stream *s);
/* The reader needs bytes from off on (it also restarts the fetch there). */
void stream_want(struct stream *s, long long off);
void stream_get_status(struct stream *s, struct stream_status *st);
/* Wait up to timeout seconds for new bytes or a status change. */
void stream_wait(struct stream *s, double timeout);
/* Bytes received so far over the network (for download progress). */
long long stream_received(struct stream *s);

/* --- the command mailbox (player.c) --- */
struct player_mailbox {
	bool has_seek;
	bool seek_relative; /* pending seek is relative to the position at apply time */
	double seek;
	int pause; /* -1 none, 0 resume, 1 pause, 2 toggle */
	bool has_speed, has_volume, has_skip;
	double speed;
	int volume;
	bool skip;
	bool stop, quit;
	char *open_url; /* pending open (owned) */
	double open_start, open_hint;
};
/* Post a seek; a newer one replaces a pending one (relative ones add up). */
void player_mailbox_seek(struct player_mailbox *m, double t, bool relative);
void player_mailbox_pause(struct player_mailbox *m, int what);

#endif
