/* fuzz_html.c - HTML fragments (feed descriptions) to plain text.
 *
 * html_to_text() and html_plain_text() must return screen-safe, trimmed
 * text for any input; html_has_markup() must not read past len. */
#include <stdbool.h>

#include "fuzz.h"
#include "hark/html.h"

/* Trimmed: no ASCII whitespace at either end. */
static int trimmed(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return 1;
	return !strchr(" \t\n\r\f\v", s[0]) && !strchr(" \t\n\r\f\v", s[n - 1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *t;

	(void)html_has_markup(s, size);
	t = html_to_text(s, size);
	FUZZ_CHECK(t != NULL);
	FUZZ_CHECK(fuzz_screen_safe(t, 1));
	FUZZ_CHECK(trimmed(t));
	free(t);
	t = html_plain_text(s, size);
	FUZZ_CHECK(t != NULL);
	FUZZ_CHECK(fuzz_screen_safe(t, 1));
	free(t);
	return 0;
}
