/* test_uitext.c - width, cutting with "…" and wrapping by display width. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ui/uitext.h"
#include "tap.h"

static void test_width(void)
{
	is_num(uitext_width(""), 0, "empty");
	is_num(uitext_width("hello"), 5, "ascii");
	is_num(uitext_width("日本語"), 6, "CJK is two columns each");
	is_num(uitext_width("a😀b"), 4, "emoji is two columns");
	is_num(uitext_width("e\xcc\x81"), 1, "combining acute adds nothing");
	is_num(uitext_width("שלום"), 4, "Hebrew one column each");
	is_num(uitext_nwidth("日本語", 3), 2, "nwidth counts bytes given");
	int used;
	size_t n = uitext_prefix("日本語", 5, &used);
	ok(n == 6 && used == 4, "prefix never splits a wide char (%zu bytes, %d cols)", n, used);
}

static void test_fit(void)
{
	char *s;

	s = uitext_fit("hello", 10, false);
	is_str(s, "hello", "short text unchanged");
	free(s);
	s = uitext_fit("hello", 8, true);
	is_str(s, "hello   ", "padded to width");
	free(s);
	s = uitext_fit("hello world", 8, false);
	is_str(s, "hello w…", "cut with an ellipsis");
	ok(uitext_width(s) == 8, "cut text is exactly the width");
	free(s);
	s = uitext_fit("日本語のタイトル", 7, true);
	is_str(s, "日本語…", "wide cut to 7 columns");
	free(s);
	s = uitext_fit("日本語のタイトル", 8, true);
	is_str(s, "日本語… ", "wide cut then padded to the exact width");
	ok(uitext_width(s) == 8, "wide cut is 8 columns");
	free(s);
	s = uitext_fit("😀😀😀", 4, false);
	ok(uitext_width(s) <= 4, "emoji cut fits (%d)", uitext_width(s));
	free(s);
	s = uitext_fit("abc", 3, false);
	is_str(s, "abc", "exact fit is not cut");
	free(s);
	s = uitext_fit("abcd", 0, true);
	is_str(s, "", "zero columns gives nothing");
	free(s);
	s = uitext_fit("abcd", 1, false);
	is_str(s, "…", "one column gives the ellipsis");
	free(s);
	s = uitext_fit("Cafe\xcc\x81 ok", 20, false);
	is_str(s, "Cafe\xcc\x81 ok", "combining mark kept");
	free(s);
	s = uitext_fit("\xcc\x81x", 5, true);
	ok(uitext_width(s) == 5 && s[0] == ' ', "leading combining mark gets a base");
	free(s);
	s = uitext_fit("a\xff"
	               "b",
	               5, false);
	is_str(s,
	       "a\xef\xbf\xbd"
	       "b",
	       "invalid byte shown as U+FFFD");
	free(s);
	s = uitext_fit("a\tb", 5, false);
	is_str(s, "a b", "tab becomes a space");
	free(s);
}

static void test_wrap(void)
{
	char **l;
	int n, i, ok_all = 1;

	n = uitext_wrap("the quick brown fox jumps over the lazy dog", 10, &l);
	ok(n == 5, "wrapped into 5 lines (%d)", n);
	if (n >= 2) {
		is_str(l[0], "the quick", "first line breaks at a space");
		is_str(l[1], "brown fox", "second line");
	}
	for (i = 0; i < n; i++)
		ok_all &= uitext_width(l[i]) <= 10;
	ok(ok_all, "no line wider than 10");
	uitext_lines_free(l, n);

	n = uitext_wrap("line one\n\nline three", 40, &l);
	ok(n == 3, "newlines end lines, empty lines kept (%d)", n);
	if (n == 3)
		is_str(l[1], "", "empty middle line");
	uitext_lines_free(l, n);

	n = uitext_wrap("日本語日本語日本語", 5, &l);
	ok_all = 1;
	for (i = 0; i < n; i++)
		ok_all &= uitext_width(l[i]) <= 5;
	ok(n == 5 && ok_all, "CJK wraps by width (%d lines)", n);
	uitext_lines_free(l, n);

	n = uitext_wrap("abcdefghijklmnop", 5, &l);
	ok(n == 4, "long word broken (%d)", n);
	if (n == 4)
		is_str(l[3], "p", "last piece");
	uitext_lines_free(l, n);

	n = uitext_wrap("", 10, &l);
	ok(n == 1 && strcmp(l[0], "") == 0, "empty text is one empty line");
	uitext_lines_free(l, n);

	n = uitext_wrap("ab", 1, &l);
	ok(n == 2, "one column still works");
	uitext_lines_free(l, n);

	n = uitext_wrap("日", 1, &l);
	ok(n == 1, "a wide char on a one-column line is not lost");
	uitext_lines_free(l, n);
}

int main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL && setlocale(LC_ALL, "en_US.UTF-8") == NULL) {
		const char *ci = getenv("CI");
		if (ci && strcmp(ci, "true") == 0) {
			printf("not ok 1 - no UTF-8 locale (C.UTF-8) on a CI machine\n1..1\n");
			return 1;
		}
		printf("1..0 # SKIP no UTF-8 locale\n");
		return 0;
	}
	test_width();
	test_fit();
	test_wrap();
	return tap_done();
}
