/* test_engine_player.c - the player's public API as the interface uses it:
 * open a local file, wait on the wake fd, read snapshots and events, the
 * ID3 tag accessor, seek coalescing, pause, stop. */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hark/id3.h"
#include "hark/player.h"
#include "tap.h"

/* Wait (at most 20 s of polling) until cond(snapshot) holds; events seen on
 * the way are or-ed into *seen. */
struct seen {
	bool first_audio, format, id3, seeked, ended;
	double seek_target, seek_pos;
};

static bool wait_until(struct player *p, bool (*cond)(const struct player_snapshot *),
                       struct player_snapshot *s, struct seen *seen)
{
	int i;

	for (i = 0; i < 400; i++) {
		struct pollfd pfd = {.fd = player_wake_fd(p), .events = POLLIN};
		poll(&pfd, 1, 50);
		player_snapshot(p, s);
		seen->first_audio |= s->first_audio;
		seen->format |= s->nformats > 0;
		seen->id3 |= s->id3_ready;
		seen->ended |= s->ended;
		if (s->seeked) {
			seen->seeked = true;
			seen->seek_target = s->seek_target;
			seen->seek_pos = s->seek_pos;
		}
		if (cond(s))
			return true;
	}
	return false;
}

static bool is_ended(const struct player_snapshot *s)
{
	return s->state == PLAYER_ENDED || s->state == PLAYER_ERROR;
}

static bool is_paused(const struct player_snapshot *s)
{
	return s->state == PLAYER_PAUSED;
}

static bool is_idle(const struct player_snapshot *s)
{
	return s->state == PLAYER_IDLE;
}

int main(void)
{
	const char *bd = getenv("top_builddir");
	char *bigid3, *cbr, *tag, hdr[10];
	struct player_opts o;
	struct player_snapshot s;
	struct seen seen;
	struct player *p;
	struct err e;
	size_t len = 0;
	FILE *f;

	bigid3 = str_printf("%s/tests/fixtures/out/bigid3.mp3", bd ? bd : ".");
	cbr = str_printf("%s/tests/fixtures/out/cbr128.mp3", bd ? bd : ".");
	f = fopen(bigid3, "rb");
	if (f == NULL || fread(hdr, 1, sizeof hdr, f) != sizeof hdr) {
		/* fixtures are made by `make check`; without them nothing to test */
		printf("1..0 # SKIP no fixtures in %s\n", bigid3);
		return getenv("CI") && strcmp(getenv("CI"), "true") == 0 ? 1 : 0;
	}
	fclose(f);

	player_opts_init(&o);
	is_num(o.speed, 1.0, "default speed 1.0");
	is_num(o.volume, 100, "default volume 100");
	o.output = "nosuchdriver";
	p = player_new(&o, &e);
	ok(p == NULL && strstr(e.msg, "no such libao driver") != NULL,
	   "an unknown output driver is refused with a message");

	o.output = "null";
	p = player_new(&o, &e);
	if (!ok(p != NULL, "player_new with the null output"))
		return tap_done();
	ok(player_wake_fd(p) >= 0, "a wake fd");
	player_snapshot(p, &s);
	is_str(player_state_name(s.state), "idle", "idle before open");

	memset(&seen, 0, sizeof seen);
	ok(player_open(p, bigid3, 0, 0) == 0, "open a local file with a 500 kB ID3 tag");
	ok(wait_until(p, is_ended, &s, &seen) && s.state == PLAYER_ENDED, "plays to the end");
	ok(seen.format && s.rate == 44100 && s.channels == 2, "format event: 44100 Hz stereo");
	ok(seen.first_audio, "first_audio event");
	ok(seen.ended, "ended event");
	ok(seen.id3, "id3_ready event");
	is_num(s.duration, 60.0, "duration from the Info tag: 60 s");
	tag = (char *)player_id3_tag(p, &len);
	ok(tag != NULL && len == id3_tag_size((unsigned char *)hdr, sizeof hdr) && len > 500000,
	   "player_id3_tag gives the whole tag (%zu bytes)", len);
	ok(tag != NULL && memcmp(tag, "ID3", 3) == 0, "the tag starts with its header");
	free(tag);

	/* relative seeks add up, whether they coalesce in the mailbox or not */
	memset(&seen, 0, sizeof seen);
	player_open(p, cbr, 0, 0);
	player_pause(p, true);
	ok(wait_until(p, is_paused, &s, &seen), "paused just after open");
	{
		double p0 = seen.seeked ? seen.seek_target : s.pos;
		player_seek(p, 10, true);
		player_seek(p, 10, true);
		player_seek(p, 5, true);
		player_pause(p, false);
		ok(wait_until(p, is_ended, &s, &seen), "second episode plays on to the end");
		ok(seen.seeked, "a seek event");
		ok(fabs(seen.seek_target - (p0 + 25)) < 0.001, "+10 +10 +5 from %.3f land on %.3f",
		   p0, seen.seek_target);
		ok(fabs(seen.seek_pos - seen.seek_target) < 1.0 / 44100,
		   "and the audio restarted within a sample of it (%.6f)", seen.seek_pos);
	}

	/* pause right after open, then stop */
	memset(&seen, 0, sizeof seen);
	player_open(p, cbr, 30, 0);
	player_pause(p, true);
	ok(wait_until(p, is_paused, &s, &seen), "paused");
	player_set_volume(p, 170);
	player_set_speed(p, 1.25);
	player_set_skip_silence(p, true);
	ok(wait_until(p, is_paused, &s, &seen) && s.volume == 150, "volume is clipped to 150");
	player_snapshot(p, &s);
	is_num(s.speed, 1.3, "speed rounded to a 0.1 step (1.25 -> 1.3)");
	ok(s.skip_silence, "skip silence on");
	player_stop(p);
	ok(wait_until(p, is_idle, &s, &seen), "stop gives idle");

	/* Three formats (44.1, 48, 44.1 kHz): unpaced, all three come before the
	 * first snapshot, which must still hold every one, oldest first. */
	{
		char *mixed = str_printf("%s/tests/fixtures/out/test_engine_player-mixed.mp3",
		                         bd ? bd : ".");
		char *cmd = str_printf("cd '%s/tests/fixtures/out' && cat short1.mp3 s48k.mp3 "
		                       "short2.mp3 > '%s'",
		                       bd ? bd : ".", mixed);
		long want[] = {44100, 48000, 44100}, got[16];
		int n = 0, i, tries;

		ok(system(cmd) == 0, "make a file of 44.1, 48 and 44.1 kHz parts");
		player_open(p, mixed, 0, 0);
		for (tries = 0; tries < 40; tries++) {
			struct timespec ts = {0, 500 * 1000 * 1000};

			nanosleep(&ts, NULL);
			player_snapshot(p, &s);
			for (i = 0; i < s.nformats && n < 16; i++)
				got[n++] = s.formats[i].rate;
			if (is_ended(&s))
				break;
		}
		ok(s.state == PLAYER_ENDED, "the mixed file plays to the end");
		ok(n == 3 && got[0] == want[0] && got[1] == want[1] && got[2] == want[2],
		   "every format change is in the snapshots, also three between two of them (%d: "
		   "%ld %ld %ld)",
		   n, n > 0 ? got[0] : 0, n > 1 ? got[1] : 0, n > 2 ? got[2] : 0);
		unlink(mixed);
		free(mixed);
		free(cmd);
	}

	player_open(p, "/nonexistent/ep.mp3", 0, 0);
	ok(wait_until(p, is_ended, &s, &seen) && s.state == PLAYER_ERROR, "a missing file: error");
	ok(strstr(s.message, "/nonexistent/ep.mp3") != NULL, "the message names it: %s", s.message);
	player_open(p, "gopher://example.org/x.mp3", 0, 0);
	ok(wait_until(p, is_ended, &s, &seen) && strstr(s.message, "unsupported URL scheme"),
	   "an unknown scheme: %s", s.message);
	player_free(p);
	free(bigid3);
	free(cbr);
	return tap_done();
}
