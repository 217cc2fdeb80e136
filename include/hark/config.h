/* config.h - hark's options table, key names and the config-file command
 * parser. The config file is a list of commands, one a line:
 *
 *   # a comment
 *   set seek_forward 45
 *   bind episodes x mark
 *   bind common "C-r" refresh_all
 *
 * Words are split on blanks; '...' keeps everything literally, "..." keeps
 * blanks and understands \" \\ \n \t; a bare \ escapes the next character;
 * '#' outside quotes starts a comment. The shipped defaults
 * (paths_pkgdata_dir()/hark.conf) use the same syntax. This module knows the
 * options; the commands themselves (bind, set, ...) are run by the caller. */
#ifndef HARK_CONFIG_H
#define HARK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "hark/util.h"

enum config_type {
	CONFIG_BOOL,
	CONFIG_INT,
	CONFIG_DOUBLE,
	CONFIG_STRING,
};

/* One row of the options table. */
struct config_option {
	const char *name;
	enum config_type type;
	double min, max;  /* range for CONFIG_INT / CONFIG_DOUBLE */
	const char *def;  /* default, as written in the config file */
	const char *help; /* one line */
};

/* The options table (sorted by name) and its length. */
const struct config_option *config_options(size_t *n);
const struct config_option *config_option_find(const char *name);

/* Set an option from its text form, checking type and range ("yes", "on",
 * "true", "1" and their opposites for booleans). -1 and e set on error. */
int config_set(const char *name, const char *value, struct err *e);
/* Every option back to its default. */
void config_reset(void);
/* Current values. Unknown names give 0 / false / "" (a programming error,
 * logged). */
bool config_bool(const char *name);
long config_int(const char *name);
double config_double(const char *name);
const char *config_str(const char *name);
/* The current value as text into buf (for ":set NAME" and the help screen). */
const char *config_value_text(const char *name, char *buf, size_t len);

/* Split one line into words (see the top of this file). The words are
 * malloc'd; free them with config_words_free(). Returns the number of words
 * (0 for a blank or comment line), or -1 and e set (unterminated quote). */
int config_split(const char *line, char ***words, struct err *e);
void config_words_free(char **words, int n);
/* Quote a word so that config_split() gives it back unchanged (malloc'd). */
char *config_quote(const char *word);

/* Called by config_parse() for every non-empty line. Return 0, or -1 with
 * e set: config_parse() then prefixes "FILE:LINE: " and goes on. */
typedef int (*config_cmd_fn)(int argc, char **argv, void *ud, struct err *e);

/* Run every line of text through fn. name labels errors ("hark.conf").
 * Returns the number of lines that failed (0: all fine); the first failure's
 * message is in e. */
int config_parse(const char *text, const char *name, config_cmd_fn fn, void *ud, struct err *e);
/* The same for a file; a missing file is not an error when optional. */
int config_parse_file(const char *path, bool optional, config_cmd_fn fn, void *ud, struct err *e);

/* Key codes. A plain key is its Unicode code point; control keys are 1-31
 * (C-a is 1, Tab 9, Enter 13, Esc 27); Backspace is 127; named keys come
 * after CONFIG_KEY_BASE; CONFIG_KEY_META is or'ed in for Alt/Meta. */
enum {
	CONFIG_KEY_BASE = 0x110000,
	CONFIG_KEY_UP = CONFIG_KEY_BASE,
	CONFIG_KEY_DOWN,
	CONFIG_KEY_LEFT,
	CONFIG_KEY_RIGHT,
	CONFIG_KEY_SUP,
	CONFIG_KEY_SDOWN,
	CONFIG_KEY_SLEFT,
	CONFIG_KEY_SRIGHT,
	CONFIG_KEY_PGUP,
	CONFIG_KEY_PGDN,
	CONFIG_KEY_HOME,
	CONFIG_KEY_END,
	CONFIG_KEY_INSERT,
	CONFIG_KEY_DELETE,
	CONFIG_KEY_BTAB,
	CONFIG_KEY_F1,
	CONFIG_KEY_F12 = CONFIG_KEY_F1 + 11,
	CONFIG_KEY_LAST,
	CONFIG_KEY_META = 0x1000000,
};

/* "j", "J", "Space", "Enter", "Tab", "S-Tab", "Esc", "Backspace", "Up",
 * "S-Left", "PgUp", "PgDn", "Home", "End", "F5", "C-r", "M-x", "é", "#" ...
 * (case-insensitive for the names). Returns the key code, or -1 and e set. */
int config_key_parse(const char *name, struct err *e);
/* The canonical name of a key code ("Space", "C-r", "S-Left", "x"). */
const char *config_key_name(int key, char *buf, size_t len);

#endif
