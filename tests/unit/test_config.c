/* test_config.c - the options table, the config-file parser, key names. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hark/config.h"
#include "hark/util.h"
#include "tap.h"

/* Join words with '|' for easy comparison. */
static char *split_join(const char *line, int *n)
{
	struct buf b = {0};
	struct err e;
	char **w;
	int i;

	*n = config_split(line, &w, &e);
	if (*n < 0)
		return str_printf("ERR %s", e.msg);
	for (i = 0; i < *n; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, w[i]);
	}
	config_words_free(w, *n);
	return buf_steal(&b);
}

struct seen {
	int calls;
	char last[256];
};

static int collect(int argc, char **argv, void *ud, struct err *e)
{
	struct seen *s = ud;

	s->calls++;
	snprintf(s->last, sizeof s->last, "%s/%d", argv[0], argc);
	if (strcmp(argv[0], "set") == 0) {
		if (argc != 3) {
			err_set(e, "set: needs NAME VALUE");
			return -1;
		}
		return config_set(argv[1], argv[2], e);
	}
	if (strcmp(argv[0], "bind") == 0)
		return 0;
	err_set(e, "%s: unknown command", argv[0]);
	return -1;
}

static void test_split(void)
{
	char *s;
	int n;

	s = split_join("set seek_forward 45", &n);
	is_str(s, "set|seek_forward|45", "plain words");
	free(s);
	s = split_join("  bind\tcommon  x   mark  # trailing comment", &n);
	is_str(s, "bind|common|x|mark", "blanks and a comment");
	free(s);
	s = split_join("# only a comment", &n);
	ok(n == 0, "comment line has no words");
	free(s);
	s = split_join("", &n);
	ok(n == 0, "empty line has no words");
	free(s);
	s = split_join("set date_format '%d %b #1'", &n);
	is_str(s, "set|date_format|%d %b #1", "single quotes keep blanks and #");
	free(s);
	s = split_join("bind \"a \\\"b\\\" \\\\c\"", &n);
	is_str(s, "bind|a \"b\" \\c", "double quotes with escapes");
	free(s);
	s = split_join("bind \\# mark", &n);
	is_str(s, "bind|#|mark", "backslash escapes #");
	free(s);
	s = split_join("set output ''", &n);
	ok(n == 3, "empty quoted word counts");
	is_str(s, "set|output|", "empty quoted word is empty");
	free(s);
	s = split_join("set x 'oops", &n);
	ok(n == -1 && strstr(s, "unterminated"), "unterminated quote is an error");
	free(s);
	s = split_join("a'b c'd", &n);
	is_str(s, "ab cd", "quotes join inside a word");
	free(s);
	s = split_join("line\r", &n);
	is_str(s, "line", "CR at the end is ignored");
	free(s);

	const char *words[] = {"plain", "two words", "it's", "#x", "", "a\"b\\c"};
	for (size_t i = 0; i < HARK_ARRAY_LEN(words); i++) {
		char *q = config_quote(words[i]), **w;
		struct err e;
		int k = config_split(q, &w, &e);
		ok(k == 1 && strcmp(w[0], words[i]) == 0, "quote round trip: [%s] -> [%s]",
		   words[i], q);
		config_words_free(w, k);
		free(q);
	}
}

static void test_options(void)
{
	struct err e;
	char buf[64];
	size_t n, i;
	const struct config_option *o = config_options(&n);

	ok(n > 10, "options table has rows");
	for (i = 1; i < n; i++)
		ok(strcmp(o[i - 1].name, o[i].name) < 0, "table sorted at %s", o[i].name);
	/* every default is valid for its own type and range */
	for (i = 0; i < n; i++)
		ok(config_set(o[i].name, o[i].def, &e) == 0, "default of %s parses", o[i].name);
	config_reset();
	is_num(config_int("seek_forward"), 30, "seek_forward default 30");
	is_num(config_int("seek_back"), 10, "seek_back default 10");
	is_num(config_double("speed"), 1.0, "speed default 1.0");
	ok(config_bool("mouse"), "mouse default yes");
	is_str(config_str("output"), "", "output default empty");
	ok(config_set("seek_forward", "45", &e) == 0, "set seek_forward 45");
	is_num(config_int("seek_forward"), 45, "seek_forward now 45");
	ok(config_set("seek_forward", "0", &e) < 0 && strstr(e.msg, "out of range"),
	   "below range refused: %s", e.msg);
	is_num(config_int("seek_forward"), 45, "refused value leaves the old one");
	ok(config_set("seek_forward", "4x", &e) < 0 && strstr(e.msg, "whole number"),
	   "not a number refused");
	ok(config_set("speed", "3.5", &e) < 0, "speed 3.5 refused");
	ok(config_set("speed", "1.5", &e) == 0, "speed 1.5 accepted");
	is_num(config_double("speed"), 1.5, "speed now 1.5");
	ok(config_set("mouse", "off", &e) == 0 && !config_bool("mouse"), "mouse off");
	ok(config_set("mouse", "maybe", &e) < 0 && strstr(e.msg, "yes or no"), "bool checked");
	ok(config_set("nosuch", "1", &e) < 0 && strstr(e.msg, "no such option"),
	   "unknown option named: %s", e.msg);
	ok(config_set("output", "pulse", &e) == 0, "set output");
	is_str(config_str("output"), "pulse", "output now pulse");
	ok(config_set("output", "null", &e) == 0, "set output again (old string freed)");
	is_str(config_value_text("speed", buf, sizeof buf), "1.5", "value text of a double");
	is_str(config_value_text("mouse", buf, sizeof buf), "no", "value text of a bool");
	config_reset();
	is_num(config_int("seek_forward"), 30, "reset brings the default back");
	is_str(config_str("output"), "", "reset clears strings");
}

static void test_parse(void)
{
	struct seen s = {0};
	struct err e;
	int failed;

	failed = config_parse("# hark config\n"
	                      "set seek_back 15\n"
	                      "\n"
	                      "bind common x mark\n"
	                      "frobnicate\n"
	                      "set speed 9\n",
	                      "test.conf", collect, &s, &e);
	ok(failed == 2, "two bad lines counted (%d)", failed);
	is_str(e.msg, "test.conf:5: frobnicate: unknown command", "first error has file:line");
	ok(s.calls == 4, "handler called for every command line (%d)", s.calls);
	is_num(config_int("seek_back"), 15, "good lines still applied");
	is_num(config_double("speed"), 1.0, "bad value not applied");
	failed = config_parse("set seek_back 'unterminated\n", "q.conf", collect, &s, &e);
	ok(failed == 1 && strstr(e.msg, "q.conf:1: unterminated"), "split error located");
	failed = config_parse_file("/nonexistent/hark/config", true, collect, &s, &e);
	ok(failed == 0, "missing optional file is fine");
	failed = config_parse_file("/nonexistent/hark/config", false, collect, &s, &e);
	ok(failed == 1 && e.msg[0], "missing required file is an error: %s", e.msg);

	/* the shipped defaults parse cleanly (set lines; bind lines accepted) */
	const char *top = getenv("top_srcdir");
	char *path = str_printf("%s/data/hark.conf", top ? top : ".");
	config_reset();
	s.calls = 0;
	failed = config_parse_file(path, false, collect, &s, &e);
	ok(failed == 0, "data/hark.conf parses: %s", failed ? e.msg : "ok");
	ok(s.calls > 40, "data/hark.conf has the bindings (%d lines)", s.calls);
	free(path);
	config_reset();
}

static void test_keys(void)
{
	static const struct {
		const char *name;
		int key;
		const char *canon;
	} cases[] = {
	        {"j", 'j', "j"},
	        {"J", 'J', "J"},
	        {"Space", ' ', "Space"},
	        {"space", ' ', "Space"},
	        {"Enter", 13, "Enter"},
	        {"Return", 13, "Enter"},
	        {"Tab", 9, "Tab"},
	        {"S-Tab", CONFIG_KEY_BTAB, "S-Tab"},
	        {"Esc", 27, "Esc"},
	        {"Backspace", 127, "Backspace"},
	        {"Up", CONFIG_KEY_UP, "Up"},
	        {"down", CONFIG_KEY_DOWN, "Down"},
	        {"S-Left", CONFIG_KEY_SLEFT, "S-Left"},
	        {"S-Right", CONFIG_KEY_SRIGHT, "S-Right"},
	        {"PgUp", CONFIG_KEY_PGUP, "PgUp"},
	        {"PageDown", CONFIG_KEY_PGDN, "PgDn"},
	        {"NPage", CONFIG_KEY_PGDN, "PgDn"},
	        {"Home", CONFIG_KEY_HOME, "Home"},
	        {"F1", CONFIG_KEY_F1, "F1"},
	        {"F12", CONFIG_KEY_F12, "F12"},
	        {"C-r", 18, "C-r"},
	        {"C-R", 18, "C-r"},
	        {"^L", 12, "C-l"},
	        {"M-x", 'x' | CONFIG_KEY_META, "M-x"},
	        {"M-Left", CONFIG_KEY_LEFT | CONFIG_KEY_META, "M-Left"},
	        {"#", '#', "#"},
	        {"[", '[', "["},
	        {"é", 0xe9, "é"},
	        {"字", 0x5b57, "字"},
	};
	static const char *const bad[] = {"", "Foo", "C-", "C-1", "F13", "M-M-x", "jj"};
	struct err e;
	char buf[32];
	size_t i;

	for (i = 0; i < HARK_ARRAY_LEN(cases); i++) {
		int k = config_key_parse(cases[i].name, &e);
		ok(k == cases[i].key, "key '%s' parses (%d)", cases[i].name, k);
		is_str(config_key_name(k, buf, sizeof buf), cases[i].canon, cases[i].name);
	}
	for (i = 0; i < HARK_ARRAY_LEN(bad); i++)
		ok(config_key_parse(bad[i], &e) < 0 && e.msg[0], "bad key '%s' refused: %s", bad[i],
		   e.msg);
}

int main(void)
{
	test_split();
	test_options();
	test_parse();
	test_keys();
	return tap_done();
}
