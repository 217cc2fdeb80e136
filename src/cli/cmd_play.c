/* cmd_play.c - `hark play` (headless playback driven by --control, reporting
 * --events as JSON lines) and `hark download`. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "hark/config.h"
#include "hark/player.h"
#include "hark/store.h"

/* `set NAME VALUE` lines of the user's config; the rest is the interface's. */
static int config_cmd(int argc, char **argv, void *ud, struct err *e)
{
	(void)ud;
	if (argc == 3 && strcmp(argv[0], "set") == 0 && config_set(argv[1], argv[2], e) != 0)
		log_msg("config: %s", e->msg);
	return 0;
}

/* Defaults from the config file: output, cache size, speed, volume. */
static void load_config(struct player_opts *o)
{
	struct err e;
	char *path = str_printf("%s/config", paths_config_dir());
	const char *out;

	if (path != NULL && config_parse_file(path, true, config_cmd, NULL, &e) != 0)
		log_msg("config %s: %s", path, e.msg);
	free(path);
	out = config_str("output");
	if (out != NULL && out[0] != '\0')
		o->output = out;
	o->cache_max_bytes = (long long)config_int("cache_max_mb") << 20;
	o->speed = config_double("speed");
	o->volume = (int)config_int("volume");
	o->skip_silence = config_bool("skip_silence");
	o->stall_timeout = (double)config_int("stall_timeout");
}

struct play_ctx {
	struct player *p;
	bool events;
	struct store *st;
	int64_t ep_id;
	double last_save, last_pos_event;
	double pos;
	enum player_state state;
	bool have_state;
	char message[256];
};

/* One JSON event line on stdout: {"event":name,"t":now, ...extra}. */
static void emit(struct play_ctx *c, const char *name, json_t *extra)
{
	json_t *o;
	char *s;

	if (!c->events) {
		json_decref(extra);
		return;
	}
	o = json_pack("{s:s,s:f}", "event", name, "t", time_mono());
	if (o == NULL) {
		json_decref(extra);
		return;
	}
	if (extra != NULL) {
		json_object_update(o, extra);
		json_decref(extra);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
		fflush(stdout);
		free(s);
	}
	json_decref(o);
}

static void save_position(struct play_ctx *c, double pos)
{
	struct err e;

	if (c->st == NULL)
		return;
	if (store_set_position(c->st, c->ep_id, pos, &e) != 0)
		log_msg("play: save position: %s", e.msg);
	c->last_save = time_mono();
}

/* "T" absolute, "+N"/"-N" relative; T as seconds or [H:]MM:SS. */
static int parse_seek(const char *arg, double *t, bool *relative)
{
	*relative = arg[0] == '+' || arg[0] == '-';
	*t = time_parse_clock(*relative ? arg + 1 : arg);
	if (*t < 0)
		return -1;
	if (arg[0] == '-')
		*t = -*t;
	return 0;
}

/* One --control line; returns 1 to quit, -1 on a bad command. */
static int control_line(struct play_ctx *c, char *line)
{
	char *cmd = str_trim(line), *arg;
	double t;
	bool rel;

	if (cmd[0] == '\0' || cmd[0] == '#')
		return 0;
	arg = cmd;
	while (*arg && !isspace((unsigned char)*arg))
		arg++;
	if (*arg)
		*arg++ = '\0';
	arg = str_trim(arg);
	if (strcmp(cmd, "quit") == 0 || strcmp(cmd, "q") == 0)
		return 1;
	if (strcmp(cmd, "pause") == 0) {
		player_pause(c->p, true);
	} else if (strcmp(cmd, "resume") == 0 || strcmp(cmd, "play") == 0) {
		player_pause(c->p, false);
	} else if (strcmp(cmd, "toggle") == 0) {
		player_toggle(c->p);
	} else if (strcmp(cmd, "seek") == 0 && parse_seek(arg, &t, &rel) == 0) {
		player_seek(c->p, t, rel);
	} else if (strcmp(cmd, "speed") == 0 && atof(arg) > 0) {
		player_set_speed(c->p, atof(arg));
	} else if (strcmp(cmd, "volume") == 0 && arg[0] != '\0') {
		player_set_volume(c->p, atoi(arg));
	} else if (strcmp(cmd, "skip-silence") == 0) {
		player_set_skip_silence(c->p, strcmp(arg, "off") != 0 && strcmp(arg, "0") != 0);
	} else {
		log_msg("play: bad control command '%s %s'", cmd, arg);
		emit(c, "error", json_pack("{s:s}", "message", "bad control command"));
		return -1;
	}
	return 0;
}

static void position_event(struct play_ctx *c, const struct player_snapshot *s)
{
	emit(c, "position",
	     json_pack("{s:f,s:b,s:f}", "pos", s->pos, "accurate", s->accurate, "buffered_to",
	               s->buffered_to));
	c->last_pos_event = time_mono();
}

/* An approximate seek's true position: {"event":"corrected",...}. */
static void corrected_event(struct play_ctx *c, const struct player_snapshot *s)
{
	emit(c, "corrected",
	     json_pack("{s:f,s:f,s:f,s:f}", "target", s->corrected_target, "reported",
	               s->corrected_reported, "pos", s->corrected_pos, "error",
	               s->corrected_reported - s->corrected_pos));
}

/* React to a snapshot: events, saved position. Returns 1 at the end, 2 on
 * error, 0 otherwise. */
static int handle_snapshot(struct play_ctx *c, const struct player_snapshot *s)
{
	c->pos = s->pos;
	for (int i = 0; i < s->nformats; i++) /* every one, also two between snapshots */
		emit(c, "format",
		     json_pack("{s:i,s:i}", "rate", (json_int_t)s->formats[i].rate, "channels",
		               s->formats[i].channels));
	if (s->first_audio)
		emit(c, "first_audio", NULL);
	if (s->corrected && s->corrected_then_seeked)
		corrected_event(c, s);
	if (s->seeked)
		emit(c, "seek",
		     json_pack("{s:f,s:f,s:b,s:I}", "target", s->seek_target, "pos", s->seek_pos,
		               "accurate", s->seek_accurate, "out_frames",
		               (json_int_t)s->seek_out_frames));
	if (s->corrected && !s->corrected_then_seeked)
		corrected_event(c, s);
	if (c->have_state && s->state == c->state && s->state == PLAYER_BUFFERING &&
	    strcmp(s->message, c->message) != 0 && s->message[0] != '\0')
		c->have_state = false; /* a new reason to wait: say it */
	snprintf(c->message, sizeof c->message, "%s", s->message);
	if (!c->have_state || s->state != c->state) {
		c->have_state = true;
		c->state = s->state;
		if (s->state == PLAYER_PLAYING || s->state == PLAYER_PAUSED ||
		    s->state == PLAYER_BUFFERING) {
			json_t *o = json_pack("{s:s,s:f}", "state", player_state_name(s->state),
			                      "pos", s->pos);
			if (s->message[0]) {
				char *m = text_sanitize(s->message, false);
				json_object_set_new(o, "message", json_string(m ? m : ""));
				free(m);
			}
			emit(c, "state", o);
		}
		if (s->state == PLAYER_PAUSED)
			save_position(c, s->pos);
	}
	if (s->errored || s->state == PLAYER_ERROR) {
		char *m = text_sanitize(s->message, false);
		emit(c, "error", json_pack("{s:s}", "message", m ? m : ""));
		cli_error("play: %s", m ? m : "failed");
		free(m);
		return 2;
	}
	if (s->ended || s->state == PLAYER_ENDED) {
		position_event(c, s);
		emit(c, "end", NULL);
		return 1;
	}
	if (c->st != NULL && s->state == PLAYER_PLAYING && time_mono() - c->last_save >= 5.0)
		save_position(c, s->pos);
	return 0;
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* An EPISODE id from the library: its file or URL, and where to resume. */
static char *episode_source(struct play_ctx *c, const char *arg, double *start, double *hint)
{
	struct store_episode ep;
	struct err e;
	char *src = NULL;

	c->st = cli_open_store(&e);
	if (c->st == NULL) {
		cli_error("play: %s", e.msg);
		return NULL;
	}
	memset(&ep, 0, sizeof ep);
	if (store_episode_get(c->st, strtoll(arg, NULL, 10), &ep, &e) != 0) {
		cli_error("play: episode %s: %s", arg, e.msg);
		return NULL;
	}
	c->ep_id = ep.id;
	if (ep.download_path != NULL && access(ep.download_path, R_OK) == 0)
		src = str_dup(ep.download_path);
	else
		src = str_dup(ep.enclosure_url);
	*hint = ep.duration;
	if (*start < 0 && !ep.played && ep.position > 0) {
		*start = ep.position;
		/* after a long break, rewind a little to find the thread again */
		if (ep.position_updated_at > 0 &&
		    (int64_t)time(NULL) - ep.position_updated_at > 3600)
			*start = ep.position > 5 ? ep.position - 5 : 0;
	}
	store_episode_free(&ep);
	if (src == NULL)
		cli_error("play: episode %s: no enclosure", arg);
	return src;
}

int cmd_play(int argc, char **argv)
{
	struct player_opts o;
	struct play_ctx c;
	struct err e;
	const char *target = NULL;
	char *src = NULL, linebuf[4096];
	size_t linelen = 0;
	double start = -1, hint = 0;
	bool control = false, stdin_open;
	int i, rc = CLI_OK;

	memset(&c, 0, sizeof c);
	if (log_fd() < 0)
		log_open(NULL);
	player_opts_init(&o);
	load_config(&o);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (strcmp(a, "--start") == 0 && has) {
			start = time_parse_clock(argv[++i]);
			if (start < 0) {
				cli_error("play: --start %s: not a time (seconds or [H:]MM:SS)",
				          argv[i]);
				return CLI_USAGE;
			}
		} else if (strcmp(a, "--speed") == 0 && has) {
			o.speed = atof(argv[++i]);
			if (!(o.speed >= 0.5 && o.speed <= 3.0)) {
				cli_error("play: --speed %s: must be 0.5 to 3.0", argv[i]);
				return CLI_USAGE;
			}
		} else if (strcmp(a, "--volume") == 0 && has) {
			o.volume = atoi(argv[++i]);
			if (o.volume < 0 || o.volume > 150) {
				cli_error("play: --volume %s: must be 0 to 150", argv[i]);
				return CLI_USAGE;
			}
		} else if (strcmp(a, "--output") == 0 && has) {
			o.output = argv[++i];
		} else if (strcmp(a, "--pace") == 0) {
			o.pace = true;
		} else if (strcmp(a, "--skip-silence") == 0) {
			o.skip_silence = true;
		} else if (strcmp(a, "--control") == 0 && has) {
			if (strcmp(argv[++i], "-") != 0) {
				cli_error("play: --control %s: only '-' (stdin) is supported",
				          argv[i]);
				return CLI_USAGE;
			}
			control = true;
		} else if (strcmp(a, "--events") == 0) {
			c.events = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			cli_error("play: %s: unknown option", a);
			cli_usage("play", true);
			return CLI_USAGE;
		} else if (target == NULL) {
			target = a;
		} else {
			cli_usage("play", true);
			return CLI_USAGE;
		}
	}
	if (target == NULL) {
		cli_usage("play", true);
		return CLI_USAGE;
	}
	if (all_digits(target) && access(target, F_OK) != 0) {
		src = episode_source(&c, target, &start, &hint);
		if (src == NULL) {
			rc = CLI_FAIL;
			goto out;
		}
	} else {
		src = str_dup(target);
	}
	c.p = player_new(&o, &e);
	if (c.p == NULL) {
		cli_error("play: %s", e.msg);
		rc = CLI_FAIL;
		goto out;
	}
	if (player_open(c.p, src, start > 0 ? start : 0, hint) != 0) {
		cli_error("play: %s: cannot open", src);
		rc = CLI_FAIL;
		goto out;
	}
	stdin_open = control;
	c.last_save = time_mono();
	for (;;) {
		struct pollfd pfd[2];
		int n = 1, r;
		double now;
		pfd[0].fd = player_wake_fd(c.p);
		pfd[0].events = POLLIN;
		if (stdin_open) {
			pfd[1].fd = 0;
			pfd[1].events = POLLIN;
			n = 2;
		}
		r = poll(pfd, (nfds_t)n, 100);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (pfd[0].revents & POLLIN)) {
			struct player_snapshot s;
			player_snapshot(c.p, &s);
			r = handle_snapshot(&c, &s);
			if (r == 1)
				break;
			if (r == 2) {
				rc = CLI_FAIL;
				break;
			}
		}
		if (n == 2 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			ssize_t got = read(0, linebuf + linelen, sizeof linebuf - 1 - linelen);
			char *nl;
			bool quit = false;
			if (got <= 0) {
				stdin_open = false; /* keep playing to the end */
				if (linelen > 0) {
					linebuf[linelen] = '\0';
					quit = control_line(&c, linebuf) == 1;
					linelen = 0;
				}
			} else {
				linelen += (size_t)got;
				linebuf[linelen] = '\0';
				while ((nl = strchr(linebuf, '\n')) != NULL) {
					*nl = '\0';
					if (control_line(&c, linebuf) == 1)
						quit = true;
					memmove(linebuf, nl + 1, strlen(nl + 1) + 1);
					linelen = strlen(linebuf);
				}
				if (linelen >= sizeof linebuf - 1)
					linelen = 0; /* an overlong line is dropped */
			}
			if (quit)
				break;
		}
		now = time_mono();
		if (c.events && c.state == PLAYER_PLAYING && now - c.last_pos_event >= 0.5) {
			struct player_snapshot s;
			player_snapshot(c.p, &s);
			r = handle_snapshot(&c, &s);
			if (r == 1)
				break;
			if (r == 2) {
				rc = CLI_FAIL;
				break;
			}
			position_event(&c, &s);
		}
	}
	if (c.st != NULL) {
		if (c.have_state && c.state == PLAYER_ENDED) {
			if (store_set_played(c.st, c.ep_id, true, &e) != 0)
				log_msg("play: mark played: %s", e.msg);
		} else {
			save_position(&c, c.pos);
		}
	}
out:
	player_free(c.p);
	if (c.st != NULL)
		store_close(c.st);
	free(src);
	return rc;
}

struct dl_progress {
	bool tty;
	int last_decile;
	double last;
};

static void dl_progress(void *arg, long long got, long long total)
{
	struct dl_progress *d = arg;

	if (total <= 0)
		return;
	if (d->tty) {
		if (time_mono() - d->last < 0.2 && got < total)
			return;
		d->last = time_mono();
		fprintf(stderr, "\r%5.1f%% %lld/%lld bytes", 100.0 * (double)got / (double)total,
		        got, total);
		if (got >= total)
			fputc('\n', stderr);
	} else {
		int dec = (int)(10 * got / total);
		if (dec > d->last_decile) {
			d->last_decile = dec;
			fprintf(stderr, "%d%% %lld/%lld bytes\n", dec * 10, got, total);
		}
	}
}

/* The file name for a download: the URL's last path segment, sanitized. */
static char *download_name(const char *url)
{
	const char *q = strchr(url, '?'), *end = q ? q : url + strlen(url), *b = end;
	char *name, *w;

	while (b > url && b[-1] != '/')
		b--;
	if (b == end)
		return str_dup("episode.mp3");
	name = str_ndup(b, (size_t)(end - b));
	for (w = name; w && *w; w++)
		if (!isalnum((unsigned char)*w) && *w != '.' && *w != '-' && *w != '_')
			*w = '_';
	if (name && name[0] == '.')
		name[0] = '_';
	return name;
}

int cmd_download(int argc, char **argv)
{
	struct player_opts o;
	struct dl_progress d = {.tty = isatty(2) != 0, .last_decile = 0};
	struct err e;
	struct store *st = NULL;
	const char *arg = NULL, *outpath = NULL;
	char *url = NULL, *dest = NULL, *dir = NULL, *name = NULL;
	int64_t ep_id = 0;
	int i, rc = CLI_FAIL;

	for (i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) &&
		    i + 1 < argc)
			outpath = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_error("download: %s: unknown option", argv[i]);
			return CLI_USAGE;
		} else if (arg == NULL)
			arg = argv[i];
		else {
			cli_usage("download", true);
			return CLI_USAGE;
		}
	}
	if (arg == NULL) {
		cli_usage("download", true);
		return CLI_USAGE;
	}
	if (all_digits(arg)) {
		struct store_episode ep;
		memset(&ep, 0, sizeof ep);
		st = cli_open_store(&e);
		if (st == NULL) {
			cli_error("download: %s", e.msg);
			goto out;
		}
		if (store_episode_get(st, strtoll(arg, NULL, 10), &ep, &e) != 0) {
			cli_error("download: episode %s: %s", arg, e.msg);
			goto out;
		}
		ep_id = ep.id;
		url = str_dup(ep.enclosure_url);
		store_episode_free(&ep);
	} else {
		url = str_dup(arg);
	}
	if (url == NULL) {
		cli_error("download: %s: no enclosure URL", arg);
		goto out;
	}
	if (outpath != NULL) {
		dest = str_dup(outpath);
	} else {
		dir = str_printf("%s/downloads", paths_data_dir());
		if (paths_mkdir_p(dir, &e) != 0) {
			cli_error("download: %s", e.msg);
			goto out;
		}
		name = download_name(url);
		dest = str_printf("%s/%s", dir, name);
	}
	player_opts_init(&o);
	load_config(&o);
	if (player_download(url, dest, &o, dl_progress, &d, &e) != 0) {
		if (d.tty)
			fputc('\n', stderr);
		cli_error("%s", e.msg);
		goto out;
	}
	if (st != NULL && store_set_download(st, ep_id, dest, &e) != 0) {
		cli_error("download: %s", e.msg);
		goto out;
	}
	printf("%s\n", dest);
	rc = CLI_OK;
out:
	if (st != NULL)
		store_close(st);
	free(url);
	free(dest);
	free(dir);
	free(name);
	return rc;
}
