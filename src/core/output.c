/* output.c - where the PCM goes: a libao live driver, a raw or WAV file, or
 * nowhere (null), optionally held to real time (--pace). */
#include "config.h"

#include <ao/ao.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

enum out_kind { OUT_NULL, OUT_RAW, OUT_WAV, OUT_LIVE };

struct output {
	enum out_kind kind;
	char *name; /* driver name or file path */
	int driver; /* libao driver id */
	bool pace, stderr_to_log;
	ao_device *dev;
	FILE *f;
	long rate;
	int channels;
	long long wav_bytes;
	double t0;           /* pace clock start */
	long long t0_frames; /* frames written since t0 */
};

/* libao is started only when a live driver is asked for: ao_initialize()
 * loads every plugin (PulseAudio, ALSA... and their libraries), which costs
 * about 3 MB of RSS and 6 ms that `--output null|raw:|wav:` does without.
 * It runs in the thread making the output (player_new's caller), before the
 * audio thread exists. */
static pthread_once_t ao_once = PTHREAD_ONCE_INIT;

static void ao_start(void)
{
	ao_initialize();
	atexit(ao_shutdown);
}

static const char *ao_why(int e)
{
	switch (e) {
	case AO_ENODRIVER:
		return "no such driver";
	case AO_ENOTLIVE:
		return "not a live output driver";
	case AO_EBADOPTION:
		return "bad option";
	case AO_EOPENDEVICE:
		return "cannot open the device (no sound server or card?)";
	case AO_EFAIL:
	default:
		return "the driver failed";
	}
}

struct output *output_new(const char *spec, bool pace, bool stderr_to_log, struct err *e)
{
	struct output *o = calloc(1, sizeof *o);

	if (o == NULL) {
		err_set(e, "output: out of memory");
		return NULL;
	}
	o->pace = pace;
	o->stderr_to_log = stderr_to_log;
	o->driver = -1;
	if (spec != NULL && strcmp(spec, "null") == 0) {
		o->kind = OUT_NULL;
		o->name = str_dup("null");
	} else if (spec != NULL &&
	           (str_starts_with(spec, "raw:") || str_starts_with(spec, "wav:"))) {
		o->kind = spec[0] == 'r' ? OUT_RAW : OUT_WAV;
		o->name = str_dup(spec + 4);
		if (o->name[0] == '\0') {
			err_set(e, "output %s: a file name is needed (%.3s:FILE)", spec, spec);
			output_free(o);
			return NULL;
		}
	} else {
		o->kind = OUT_LIVE;
		pthread_once(&ao_once, ao_start);
		if (spec == NULL || spec[0] == '\0' || strcmp(spec, "default") == 0) {
			ao_info *info;
			o->driver = ao_default_driver_id();
			info = o->driver >= 0 ? ao_driver_info(o->driver) : NULL;
			o->name = str_dup(info ? info->short_name : "default");
		} else {
			o->driver = ao_driver_id(spec);
			o->name = str_dup(spec);
		}
		if (o->driver < 0) {
			err_set(e,
			        "audio output %s: no such libao driver (pick another with "
			        "--output DRIVER, e.g. pulse, alsa, null, wav:FILE, or 'set "
			        "output' "
			        "in the config)",
			        o->name);
			output_free(o);
			return NULL;
		}
	}
	return o;
}

static void wav_header(FILE *f, long rate, int channels, long long bytes)
{
	unsigned char h[44];
	unsigned long data = bytes > 0xffffffd0LL ? 0xffffffd0UL : (unsigned long)bytes;
	unsigned long riff = data + 36, br = (unsigned long)rate * (unsigned long)channels * 2;
	int i;

	memcpy(h, "RIFF", 4);
	for (i = 0; i < 4; i++)
		h[4 + i] = (unsigned char)(riff >> (8 * i));
	memcpy(h + 8, "WAVEfmt ", 8);
	h[16] = 16, h[17] = h[18] = h[19] = 0;
	h[20] = 1, h[21] = 0; /* PCM */
	h[22] = (unsigned char)channels, h[23] = 0;
	for (i = 0; i < 4; i++)
		h[24 + i] = (unsigned char)((unsigned long)rate >> (8 * i));
	for (i = 0; i < 4; i++)
		h[28 + i] = (unsigned char)(br >> (8 * i));
	h[32] = (unsigned char)(channels * 2), h[33] = 0;
	h[34] = 16, h[35] = 0;
	memcpy(h + 36, "data", 4);
	for (i = 0; i < 4; i++)
		h[40 + i] = (unsigned char)(data >> (8 * i));
	fwrite(h, 1, sizeof h, f);
}

int output_open(struct output *o, long rate, int channels, struct err *e)
{
	bool same = rate == o->rate && channels == o->channels;

	o->rate = rate;
	o->channels = channels;
	output_restart_clock(o);
	switch (o->kind) {
	case OUT_NULL:
		return 0;
	case OUT_RAW:
	case OUT_WAV:
		if (o->f != NULL) {
			if (!same)
				log_msg("output %s: format changed to %ld Hz %d ch mid-file",
				        o->name, rate, channels);
			return 0;
		}
		o->f = fopen(o->name, "wb");
		if (o->f == NULL) {
			err_set(e, "output %s: %s", o->name, strerror(errno));
			return -1;
		}
		if (o->kind == OUT_WAV)
			wav_header(o->f, rate, channels, 0);
		return 0;
	case OUT_LIVE: {
		ao_sample_format fmt;
		int saved = -1;
		if (o->dev != NULL) {
			if (same)
				return 0;
			ao_close(o->dev);
			o->dev = NULL;
		}
		memset(&fmt, 0, sizeof fmt);
		fmt.bits = 16;
		fmt.rate = (int)rate;
		fmt.channels = channels;
		fmt.byte_format = AO_FMT_NATIVE;
		if (o->stderr_to_log && log_fd() >= 0) {
			fflush(stderr);
			saved = dup(2);
			dup2(log_fd(), 2);
		}
		o->dev = ao_open_live(o->driver, &fmt, NULL);
		if (saved >= 0) {
			int why = errno;
			fflush(stderr);
			dup2(saved, 2);
			close(saved);
			errno = why;
		}
		if (o->dev == NULL) {
			err_set(e,
			        "audio output %s: %s (pick another with --output DRIVER, e.g. "
			        "pulse, alsa, null, wav:FILE, or 'set output' in the config)",
			        o->name, ao_why(errno));
			return -1;
		}
		return 0;
	}
	}
	return 0;
}

/* Sleep until the written frames are due on the wall clock. */
static void pace_wait(struct output *o)
{
	double due, now;

	if (o->rate <= 0)
		return;
	due = o->t0 + (double)o->t0_frames / (double)o->rate;
	now = time_mono();
	if (due > now + 0.001) {
		struct timespec ts;
		double d = due - now;
		ts.tv_sec = (time_t)d;
		ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

int output_play(struct output *o, const void *pcm, size_t bytes)
{
	size_t frame = (size_t)(o->channels > 0 ? o->channels : 1) * 2;

	if (bytes == 0)
		return 0;
	if (o->pace && o->kind != OUT_LIVE)
		pace_wait(o);
	o->t0_frames += (long long)(bytes / frame);
	switch (o->kind) {
	case OUT_NULL:
		return 0;
	case OUT_RAW:
	case OUT_WAV:
		if (o->f == NULL || fwrite(pcm, 1, bytes, o->f) != bytes)
			return -1;
		o->wav_bytes += (long long)bytes;
		return 0;
	case OUT_LIVE:
		if (o->dev == NULL)
			return -1;
		return ao_play(o->dev, (char *)(uintptr_t)pcm, (uint_32)bytes) ? 0 : -1;
	}
	return 0;
}

void output_flush(struct output *o)
{
	if (o->f != NULL)
		fflush(o->f);
}

void output_restart_clock(struct output *o)
{
	o->t0 = time_mono();
	o->t0_frames = 0;
}

double output_latency(const struct output *o)
{
	return o->kind == OUT_LIVE ? 0.02 : 0.0;
}

bool output_is_live(const struct output *o)
{
	return o->kind == OUT_LIVE;
}

const char *output_name(const struct output *o)
{
	return o->name;
}

void output_free(struct output *o)
{
	if (o == NULL)
		return;
	if (o->dev != NULL)
		ao_close(o->dev);
	if (o->f != NULL) {
		if (o->kind == OUT_WAV && fseek(o->f, 0, SEEK_SET) == 0)
			wav_header(o->f, o->rate, o->channels, o->wav_bytes);
		fclose(o->f);
	}
	free(o->name);
	free(o);
}
