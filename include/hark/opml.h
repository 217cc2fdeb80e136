/* opml.h - OPML subscription lists: read 1.0/2.0 (nested outlines at any
 * depth; every outline with an xmlUrl is a feed, the others are folders),
 * write 2.0. Parsing uses libxml2 without network access or entity
 * substitution. */
#ifndef HARK_OPML_H
#define HARK_OPML_H

#include <stddef.h>

#include "hark/util.h"

struct opml_feed {
	char *xml_url;  /* trimmed; never NULL */
	char *title;    /* title, else text attribute; sanitized; may be NULL */
	char *html_url; /* may be NULL */
};

struct opml {
	char *title;             /* head/title, sanitized, or NULL */
	struct opml_feed *feeds; /* in document order, duplicate xmlUrls dropped */
	size_t n;
};

/* Parse an OPML document into out. -1 with e set: "not well-formed XML
 * (line N: ...)", "not an OPML file (root element <x>)", "no <body>". An
 * OPML body without any xmlUrl outline is not an error (n = 0). */
int opml_parse(const char *data, size_t len, struct opml *out, struct err *e);
/* The same for a file; e: "PATH: why". */
int opml_parse_file(const char *path, struct opml *out, struct err *e);
void opml_free(struct opml *o);

/* An OPML 2.0 document for feeds (head title `title`); each outline gets
 * type="rss", text and title, xmlUrl and htmlUrl when set. malloc'd, or
 * NULL on out-of-memory. */
char *opml_write(const struct opml_feed *feeds, size_t n, const char *title);

#endif
