/* config.c - the options table, key names and the config-file parser. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hark/config.h"

/* The one options table: name, type, range, default, help. Keep it sorted. */
static const struct config_option options[] = {
        {"cache_max_mb", CONFIG_INT, 0, 1048576, "2048", "size limit of the audio cache, in MiB"},
        {"color_accent", CONFIG_STRING, 0, 0, "cyan", "colour of pane titles and marks (FG[,BG])"},
        {"color_error", CONFIG_STRING, 0, 0, "red", "colour of error messages"},
        {"color_highlight", CONFIG_STRING, 0, 0, "yellow",
         "colour of the playing episode and the cue being heard"},
        {"color_selected", CONFIG_STRING, 0, 0, "reverse", "colour of the selected line"},
        {"color_status", CONFIG_STRING, 0, 0, "reverse", "colour of the status line"},
        {"date_format", CONFIG_STRING, 0, 0, "%Y-%m-%d", "strftime format of episode dates"},
        {"follow", CONFIG_BOOL, 0, 0, "yes", "the transcript pane follows playback"},
        {"mouse", CONFIG_BOOL, 0, 0, "yes", "use the mouse (click, double-click, wheel)"},
        {"output", CONFIG_STRING, 0, 0, "",
         "audio output: a libao driver (pulse, alsa, null...); empty: libao's default"},
        {"queue_autoplay", CONFIG_BOOL, 0, 0, "yes",
         "when an episode ends, play the next one in the queue"},
        {"resume", CONFIG_BOOL, 0, 0, "yes", "Enter resumes an episode where it stopped"},
        {"seek_back", CONFIG_INT, 1, 3600, "10", "seconds the Left key goes back"},
        {"seek_big", CONFIG_INT, 1, 7200, "300", "seconds of Shift+Left/Right and , ."},
        {"seek_forward", CONFIG_INT, 1, 3600, "30", "seconds the Right key goes forward"},
        {"skip_silence", CONFIG_BOOL, 0, 0, "no", "shorten long pauses"},
        {"sleep_fade", CONFIG_INT, 0, 300, "10", "seconds the sleep timer fades out over"},
        {"speed", CONFIG_DOUBLE, 0.5, 3.0, "1.0", "playback speed at start"},
        {"speed_step", CONFIG_DOUBLE, 0.1, 1.0, "0.1", "step of the [ and ] keys"},
        {"stall_timeout", CONFIG_INT, 1, 600, "10",
         "seconds an episode's download may stay below 1 KiB/s before hark reconnects"},
        {"transcript_language", CONFIG_STRING, 0, 0, "",
         "preferred transcript language (en, de...); empty: $LANG's"},
        {"transcripts_fetch", CONFIG_INT, 0, 100000, "20",
         "add/update store the transcripts of each feed's N newest episodes"},
        {"volume", CONFIG_INT, 0, 150, "100", "volume at start, percent"},
        {"volume_step", CONFIG_INT, 1, 50, "5", "step of the - and + keys, percent"},
};

#define NOPT HARK_ARRAY_LEN(options)

/* Current values, parallel to options[]. */
static struct value {
	bool set; /* parsed at least once (else the default is parsed lazily) */
	bool b;
	long i;
	double d;
	char *s;
} values[NOPT];

const struct config_option *config_options(size_t *n)
{
	*n = NOPT;
	return options;
}

static int option_index(const char *name)
{
	size_t i;

	for (i = 0; i < NOPT; i++)
		if (strcmp(options[i].name, name) == 0)
			return (int)i;
	return -1;
}

const struct config_option *config_option_find(const char *name)
{
	int i = option_index(name);

	return i < 0 ? NULL : &options[i];
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "on", "true", "1"};
	static const char *const no[] = {"no", "off", "false", "0"};
	size_t i;

	for (i = 0; i < HARK_ARRAY_LEN(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Parse value for option o into v; nothing changes on error. */
static int parse_value(const struct config_option *o, const char *value, struct value *v,
                       struct err *e)
{
	char *end;
	double d;
	long l;
	bool b;

	switch (o->type) {
	case CONFIG_BOOL:
		if (parse_bool(value, &b) < 0) {
			err_set(e, "%s: '%s' is not yes or no", o->name, value);
			return -1;
		}
		v->b = b;
		break;
	case CONFIG_INT:
		errno = 0;
		l = strtol(value, &end, 10);
		if (errno || end == value || *end != '\0') {
			err_set(e, "%s: '%s' is not a whole number", o->name, value);
			return -1;
		}
		if (l < o->min || l > o->max) {
			err_set(e, "%s: %ld is out of range (%.0f-%.0f)", o->name, l, o->min,
			        o->max);
			return -1;
		}
		v->i = l;
		v->d = (double)l;
		break;
	case CONFIG_DOUBLE:
		errno = 0;
		d = strtod(value, &end);
		if (errno || end == value || *end != '\0' || !isfinite(d)) {
			err_set(e, "%s: '%s' is not a number", o->name, value);
			return -1;
		}
		if (d < o->min - 1e-9 || d > o->max + 1e-9) {
			err_set(e, "%s: %g is out of range (%g-%g)", o->name, d, o->min, o->max);
			return -1;
		}
		v->d = d;
		v->i = lround(d);
		break;
	case CONFIG_STRING: {
		char *s = str_dup(value);

		if (s == NULL) {
			err_set(e, "%s: out of memory", o->name);
			return -1;
		}
		free(v->s);
		v->s = s;
		break;
	}
	}
	v->set = true;
	return 0;
}

/* The value slot of option i, parsing the default on first use. */
static struct value *value_at(int i)
{
	struct err e;

	if (!values[i].set && parse_value(&options[i], options[i].def, &values[i], &e) < 0)
		log_msg("config: bad default: %s", e.msg);
	return &values[i];
}

int config_set(const char *name, const char *value, struct err *e)
{
	int i = option_index(name);
	struct value v;

	if (i < 0) {
		err_set(e, "%s: no such option", name);
		return -1;
	}
	v = *value_at(i);
	if (options[i].type == CONFIG_STRING)
		v.s = NULL; /* parse_value frees the old one only through values[] */
	if (parse_value(&options[i], value, &v, e) < 0)
		return -1;
	if (options[i].type == CONFIG_STRING)
		free(values[i].s);
	values[i] = v;
	return 0;
}

void config_reset(void)
{
	size_t i;

	for (i = 0; i < NOPT; i++) {
		free(values[i].s);
		memset(&values[i], 0, sizeof values[i]);
	}
}

static struct value *lookup(const char *name, enum config_type t)
{
	int i = option_index(name);

	if (i < 0 || options[i].type != t) {
		log_msg("config: no %s option '%s'", t == CONFIG_STRING ? "string" : "number",
		        name);
		return NULL;
	}
	return value_at(i);
}

bool config_bool(const char *name)
{
	struct value *v = lookup(name, CONFIG_BOOL);

	return v ? v->b : false;
}

long config_int(const char *name)
{
	int i = option_index(name);

	if (i >= 0 && options[i].type == CONFIG_DOUBLE)
		return value_at(i)->i;
	struct value *v = lookup(name, CONFIG_INT);
	return v ? v->i : 0;
}

double config_double(const char *name)
{
	int i = option_index(name);

	if (i >= 0 && options[i].type == CONFIG_INT)
		return value_at(i)->d;
	struct value *v = lookup(name, CONFIG_DOUBLE);
	return v ? v->d : 0;
}

const char *config_str(const char *name)
{
	struct value *v = lookup(name, CONFIG_STRING);

	return v && v->s ? v->s : "";
}

const char *config_value_text(const char *name, char *buf, size_t len)
{
	int i = option_index(name);
	struct value *v;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (i < 0)
		return buf;
	v = value_at(i);
	switch (options[i].type) {
	case CONFIG_BOOL:
		snprintf(buf, len, "%s", v->b ? "yes" : "no");
		break;
	case CONFIG_INT:
		snprintf(buf, len, "%ld", v->i);
		break;
	case CONFIG_DOUBLE:
		snprintf(buf, len, "%g", v->d);
		break;
	case CONFIG_STRING:
		snprintf(buf, len, "%s", v->s ? v->s : "");
		break;
	}
	return buf;
}

void config_words_free(char **words, int n)
{
	int i;

	if (words == NULL)
		return;
	for (i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

/* Append word (w, its buffer) to the list; returns -1 on out of memory. */
static int push_word(char ***words, int *n, struct buf *w)
{
	char **nw = realloc(*words, (size_t)(*n + 2) * sizeof *nw);

	if (nw == NULL)
		return -1;
	*words = nw;
	nw[*n] = buf_steal(w);
	if (nw[*n] == NULL)
		return -1;
	(*n)++;
	nw[*n] = NULL;
	return 0;
}

int config_split(const char *line, char ***words, struct err *e)
{
	struct buf w = {0};
	const char *p = line;
	bool inword = false;
	int n = 0;
	char c;

	*words = NULL;
	for (;;) {
		c = *p;
		if (c == '\0' || c == '\n' || c == '\r' || c == ' ' || c == '\t' ||
		    (c == '#' && !inword)) {
			if (inword) {
				if (push_word(words, &n, &w) < 0)
					goto oom;
				inword = false;
			}
			if (c == '\0' || c == '#' || c == '\n' || c == '\r')
				break;
			p++;
			continue;
		}
		inword = true;
		if (c == '\'') {
			const char *q = strchr(p + 1, '\'');

			if (q == NULL) {
				err_set(e, "unterminated ' quote");
				goto fail;
			}
			if (buf_append(&w, p + 1, (size_t)(q - p - 1)) < 0 ||
			    buf_reserve(&w, 1) < 0)
				goto oom;
			p = q + 1;
		} else if (c == '"') {
			p++;
			for (;;) {
				if (*p == '\0') {
					err_set(e, "unterminated \" quote");
					goto fail;
				}
				if (*p == '"')
					break;
				if (*p == '\\' && p[1] != '\0') {
					p++;
					c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
				} else {
					c = *p;
				}
				if (buf_putc(&w, c) < 0)
					goto oom;
				p++;
			}
			if (buf_reserve(&w, 1) < 0)
				goto oom;
			p++;
		} else if (c == '\\' && p[1] != '\0') {
			if (buf_putc(&w, p[1]) < 0)
				goto oom;
			p += 2;
		} else {
			if (buf_putc(&w, c) < 0)
				goto oom;
			p++;
		}
		/* an empty quoted word ('' or "") still counts as a word */
		if (w.data == NULL && buf_reserve(&w, 1) < 0)
			goto oom;
	}
	buf_free(&w);
	return n;
oom:
	err_set(e, "out of memory");
fail:
	buf_free(&w);
	config_words_free(*words, n);
	*words = NULL;
	return -1;
}

char *config_quote(const char *word)
{
	struct buf b = {0};
	const char *p;
	bool plain = word[0] != '\0';

	for (p = word; *p; p++)
		if (strchr(" \t\n\r'\"\\#", *p))
			plain = false;
	if (plain)
		return str_dup(word);
	if (strchr(word, '\'') == NULL && strchr(word, '\n') == NULL) {
		buf_putc(&b, '\'');
		buf_puts(&b, word);
		buf_putc(&b, '\'');
		return buf_steal(&b);
	}
	buf_putc(&b, '"');
	for (p = word; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(&b, '\\');
		if (*p == '\n')
			buf_puts(&b, "\\n");
		else if (*p == '\t')
			buf_puts(&b, "\\t");
		else
			buf_putc(&b, *p);
	}
	buf_putc(&b, '"');
	return buf_steal(&b);
}

int config_parse(const char *text, const char *name, config_cmd_fn fn, void *ud, struct err *e)
{
	const char *p = text, *nl;
	int lineno = 0, failed = 0, n;
	char **words;
	struct err le;
	char *line;

	err_clear(e);
	while (p && *p) {
		nl = strchr(p, '\n');
		line = nl ? str_ndup(p, (size_t)(nl - p)) : str_dup(p);
		p = nl ? nl + 1 : NULL;
		lineno++;
		if (line == NULL) {
			err_set(e, "%s: out of memory", name);
			return failed + 1;
		}
		err_clear(&le);
		n = config_split(line, &words, &le);
		free(line);
		bool bad = n < 0;
		if (n > 0 && fn(n, words, ud, &le) < 0)
			bad = true;
		config_words_free(words, n > 0 ? n : 0);
		if (bad) {
			if (failed++ == 0)
				err_set(e, "%s:%d: %s", name, lineno, le.msg);
			log_msg("config: %s:%d: %s", name, lineno, le.msg);
		}
	}
	return failed;
}

int config_parse_file(const char *path, bool optional, config_cmd_fn fn, void *ud, struct err *e)
{
	struct buf b = {0};
	struct err fe;
	int rc;

	err_clear(e);
	if (optional && access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (file_read_all(path, 1 << 20, &b, &fe) < 0) {
		buf_free(&b);
		err_set(e, "%s", fe.msg);
		return 1;
	}
	rc = config_parse(b.data ? b.data : "", path, fn, ud, e);
	buf_free(&b);
	return rc;
}

/* Names of the keys after CONFIG_KEY_BASE, in enum order. */
static const char *const key_names[] = {
        "Up",   "Down", "Left", "Right", "S-Up",   "S-Down", "S-Left", "S-Right",
        "PgUp", "PgDn", "Home", "End",   "Insert", "Delete", "S-Tab",
};

/* Other spellings people write. */
static const struct {
	const char *name;
	int key;
} key_aliases[] = {
        {"Space", ' '},
        {"Enter", 13},
        {"Return", 13},
        {"Tab", 9},
        {"Esc", 27},
        {"Escape", 27},
        {"Backspace", 127},
        {"BSpace", 127},
        {"PageUp", CONFIG_KEY_PGUP},
        {"PPage", CONFIG_KEY_PGUP},
        {"PageDown", CONFIG_KEY_PGDN},
        {"NPage", CONFIG_KEY_PGDN},
        {"PgDown", CONFIG_KEY_PGDN},
        {"BTab", CONFIG_KEY_BTAB},
        {"IC", CONFIG_KEY_INSERT},
        {"DC", CONFIG_KEY_DELETE},
        {"Del", CONFIG_KEY_DELETE},
};

/* One UTF-8 character making up all of s, or -1. */
static int single_char(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	int cp;

	if (len == 0 || !text_utf8_valid(s, len))
		return -1;
	if (p[0] < 0x80)
		return len == 1 ? p[0] : -1;
	if ((p[0] & 0xe0) == 0xc0 && len == 2)
		cp = ((p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	else if ((p[0] & 0xf0) == 0xe0 && len == 3)
		cp = ((p[0] & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
	else if ((p[0] & 0xf8) == 0xf0 && len == 4)
		cp = ((p[0] & 0x07) << 18) | ((p[1] & 0x3f) << 12) | ((p[2] & 0x3f) << 6) |
		     (p[3] & 0x3f);
	else
		return -1;
	return cp;
}

int config_key_parse(const char *name, struct err *e)
{
	size_t i;
	int k;

	if (name == NULL || name[0] == '\0') {
		err_set(e, "empty key name");
		return -1;
	}
	if ((k = single_char(name)) >= 0) {
		if (k < 32 || k == 127) {
			err_set(e, "'%s': write control keys as C-x", name);
			return -1;
		}
		return k;
	}
	if ((name[0] == 'M' || name[0] == 'm') && name[1] == '-' && name[2] != '\0') {
		k = config_key_parse(name + 2, e);
		if (k < 0)
			return -1;
		if (k & CONFIG_KEY_META) {
			err_set(e, "'%s': M- given twice", name);
			return -1;
		}
		return k | CONFIG_KEY_META;
	}
	if ((name[0] == 'C' || name[0] == 'c' || name[0] == '^') &&
	    (name[1] == '-' || name[0] == '^') && name[name[0] == '^' ? 1 : 2] != '\0') {
		const char *r = name + (name[0] == '^' ? 1 : 2);
		int c = single_char(r);

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		if (c == ' ' || c == '@')
			return 0;
		if (c == '[')
			return 27;
		if (strcasecmp(r, "Space") == 0)
			return 0;
		err_set(e, "'%s': only C-a ... C-z exist", name);
		return -1;
	}
	for (i = 0; i < HARK_ARRAY_LEN(key_names); i++)
		if (strcasecmp(name, key_names[i]) == 0)
			return CONFIG_KEY_BASE + (int)i;
	for (i = 0; i < HARK_ARRAY_LEN(key_aliases); i++)
		if (strcasecmp(name, key_aliases[i].name) == 0)
			return key_aliases[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
		char *end;
		long f = strtol(name + 1, &end, 10);

		if (*end == '\0' && f >= 1 && f <= 12)
			return CONFIG_KEY_F1 + (int)f - 1;
	}
	err_set(e, "'%s': unknown key name", name);
	return -1;
}

const char *config_key_name(int key, char *buf, size_t len)
{
	char meta[8] = "";
	size_t i;

	if (key & CONFIG_KEY_META) {
		strcpy(meta, "M-");
		key &= ~CONFIG_KEY_META;
	}
	for (i = 0; i < HARK_ARRAY_LEN(key_aliases) && (key <= ' ' || key == 127); i++) {
		if (key_aliases[i].key == key) {
			snprintf(buf, len, "%s%s", meta, key_aliases[i].name);
			return buf;
		}
	}
	if (key == 0) {
		snprintf(buf, len, "%sC-Space", meta);
	} else if (key > 0 && key < 32) {
		snprintf(buf, len, "%sC-%c", meta, 'a' + key - 1);
	} else if (key >= CONFIG_KEY_BASE && key < CONFIG_KEY_F1) {
		snprintf(buf, len, "%s%s", meta, key_names[key - CONFIG_KEY_BASE]);
	} else if (key >= CONFIG_KEY_F1 && key <= CONFIG_KEY_F12) {
		snprintf(buf, len, "%sF%d", meta, key - CONFIG_KEY_F1 + 1);
	} else if (key >= 32 && key < 0x110000) {
		char u[5] = {0};

		if (key < 0x80) {
			u[0] = (char)key;
		} else if (key < 0x800) {
			u[0] = (char)(0xc0 | (key >> 6));
			u[1] = (char)(0x80 | (key & 0x3f));
		} else if (key < 0x10000) {
			u[0] = (char)(0xe0 | (key >> 12));
			u[1] = (char)(0x80 | ((key >> 6) & 0x3f));
			u[2] = (char)(0x80 | (key & 0x3f));
		} else {
			u[0] = (char)(0xf0 | (key >> 18));
			u[1] = (char)(0x80 | ((key >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((key >> 6) & 0x3f));
			u[3] = (char)(0x80 | (key & 0x3f));
		}
		snprintf(buf, len, "%s%s", meta, u);
	} else {
		snprintf(buf, len, "?");
	}
	return buf;
}
