/* fuzz_opml.c - OPML import (opml_parse) and the export round trip.
 *
 * Whatever parses must export (opml_write) into a document that parses
 * back to the same feed URLs in the same order. */
#include "fuzz.h"
#include "hark/opml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {{0}};
	struct opml o = {0}, back = {0};
	char *doc;

	if (opml_parse((const char *)data, size, &o, &e) != 0) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(fuzz_screen_safe(o.title, 0));
	for (size_t i = 0; i < o.n; i++) {
		FUZZ_CHECK(o.feeds[i].xml_url != NULL);
		FUZZ_CHECK(fuzz_screen_safe(o.feeds[i].title, 0));
	}
	doc = opml_write(o.feeds, o.n, o.title);
	FUZZ_CHECK(doc != NULL);
	if (opml_parse(doc, strlen(doc), &back, &e) != 0) {
		fprintf(stderr, "re-import failed: %s\n", e.msg);
		FUZZ_CHECK(!"exported OPML parses back");
	}
	FUZZ_CHECK(back.n == o.n);
	for (size_t i = 0; i < o.n; i++)
		FUZZ_CHECK(strcmp(back.feeds[i].xml_url, o.feeds[i].xml_url) == 0);
	opml_free(&back);
	free(doc);
	opml_free(&o);
	return 0;
}
