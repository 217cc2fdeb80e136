/* test_util.c - buffers, sanitising, paths and clock times. */
#include "config.h"

#include <stdlib.h>

#include "hark/util.h"
#include "tap.h"

static void test_sanitize(void)
{
	char *s;

	s = text_sanitize("a\x1b[31mred\x1b[0m\x07 b", false);
	is_str(s, "a[31mred[0m b", "escape and BEL removed");
	free(s);
	s = text_sanitize("  one \n\t two  ", false);
	is_str(s, "one two", "whitespace collapsed when newlines are not kept");
	free(s);
	s = text_sanitize("l1\nl2\tx\r\n", true);
	is_str(s, "l1\nl2 x\n", "newlines kept, tab becomes a space, CR dropped");
	free(s);
	s = text_sanitize("a\xe2\x80\xae"
	                  "evil\xe2\x80\xac b\xc2\x9b",
	                  false);
	is_str(s, "aevil b", "bidi override and C1 CSI removed");
	free(s);
	s = text_sanitize("bad\xff\xfe"
	                  "utf",
	                  false);
	is_str(s,
	       "bad\xef\xbf\xbd\xef\xbf\xbd"
	       "utf",
	       "invalid UTF-8 replaced");
	free(s);
	s = text_sanitize("\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x8e\xa7 e\xcc\x81", false);
	is_str(s, "\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x8e\xa7 e\xcc\x81",
	       "CJK, emoji, combining kept");
	free(s);
	/* zero-width characters: the invisible ones that only hide or spoof go,
	 * the joiners that scripts and emoji sequences need stay */
	s = text_sanitize("pay\xe2\x80\x8bpal", false);
	is_str(s, "paypal", "ZWSP U+200B removed");
	free(s);
	s = text_sanitize("a\xe2\x81\xa0"
	                  "b\xe2\x81\xa4"
	                  "c",
	                  false);
	is_str(s, "abc", "word joiner U+2060 and invisible plus U+2064 removed");
	free(s);
	s = text_sanitize("\xef\xbb\xbftitle\xef\xbb\xbf", false);
	is_str(s, "title", "ZWNBSP/BOM U+FEFF removed");
	free(s);
	s = text_sanitize("x\xe2\x80\x8ey\xe2\x80\x8fz\xd8\x9c!", false);
	is_str(s, "xyz!", "LRM, RLM and ALM removed");
	free(s);
	/* woman, ZWJ, laptop: one emoji only with the joiner */
	s = text_sanitize("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", false);
	is_str(s, "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
	       "ZWJ U+200D kept (emoji sequence)");
	free(s);
	/* Persian "mi-khaham" needs ZWNJ between the prefix and the verb */
	s = text_sanitize("\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85",
	                  false);
	is_str(s, "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85",
	       "ZWNJ U+200C kept (Persian)");
	free(s);
	s = text_sanitize("\xe2\x80\x8b \xe2\x80\x8b", false);
	is_str(s, "", "a title of only ZWSP and spaces becomes empty");
	free(s);
	ok(text_utf8_valid("\xe4\xb8\xad", 3), "valid UTF-8 accepted");
	ok(!text_utf8_valid("\xc0\xaf", 2), "overlong UTF-8 refused");
}

static void test_buf(void)
{
	struct buf b = {0};
	char *s;
	int i;

	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	ok(b.len == 3890, "buf grows to hold 1000 numbers (len %zu)", b.len);
	s = buf_steal(&b);
	ok(s != NULL && strncmp(s, "0,1,2,", 6) == 0 && b.data == NULL, "buf_steal hands over");
	free(s);
	s = buf_steal(&b);
	is_str(s, "", "empty buf steals as \"\"");
	free(s);
}

static void test_time(void)
{
	char t[16];

	is_str(time_format(1543, t, sizeof t), "25:43", "25:43");
	is_str(time_format(3723.9, t, sizeof t), "1:02:03", "hours");
	is_str(time_format(-1, t, sizeof t), "--:--", "unknown");
	is_num(time_parse_clock("12:30"), 750, "MM:SS");
	is_num(time_parse_clock("1:02:03.5"), 3723.5, "H:MM:SS.f");
	is_num(time_parse_clock("90"), 90, "seconds");
	is_num(time_parse_clock("1:x"), -1, "garbage");
	is_num(time_parse_clock(""), -1, "empty");
}

static void test_paths(void)
{
	setenv("HARK_HOME", "/tmp/hark-test-home", 1);
	is_str(paths_data_dir(), "/tmp/hark-test-home/data", "HARK_HOME moves data");
	is_str(paths_config_dir(), "/tmp/hark-test-home/config", "HARK_HOME moves config");
	setenv("HARK_DATADIR", "/nonexistent-hark-data", 1);
	{
		char *p = paths_data_file("hark.conf");

		is_str(p, ABS_SRCDIR "/data/hark.conf",
		       "a shipped file missing from the data folder comes from the source tree");
		free(p);
	}
}

int main(void)
{
	test_sanitize();
	test_buf();
	test_time();
	test_paths();
	return tap_done();
}
