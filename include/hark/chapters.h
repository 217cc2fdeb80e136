/* chapters.h - episode chapters from ID3v2 CHAP/CTOC frames, Podcasting 2.0
 * JSON chapters and Podlove Simple Chapters, the merge of two sources, and
 * the `hark chapters --json` form.
 *
 * Strings are malloc'd, one line, sanitized with text_sanitize(); absent
 * ones are NULL, absent times -1. */
#ifndef HARK_CHAPTERS_H
#define HARK_CHAPTERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hark/util.h"

struct feed_psc_chapter; /* hark/feed.h */

struct chapter {
	double start, end; /* seconds; end -1 = unknown (until the next one) */
	char *title, *url;
	/* An image URL; for an ID3 chapter with an embedded APIC picture,
	 * "apic:" followed by the picture's MIME type (the bytes stay in the
	 * file). */
	char *image;
	bool toc; /* listed in the table of contents (JSON "toc": false, or an
		   * ID3 chapter no CTOC lists, is hidden) */
};

/* Sorted by start (stable). */
struct chapters {
	struct chapter *v;
	size_t n;
};

/* From an ID3v2.3/2.4 tag (tag[0, len), starting with "ID3"). A tag without
 * chapters gives an empty list; NULL with e set when it is not a readable
 * ID3v2.3/2.4 tag. */
struct chapters *chapters_from_id3(const unsigned char *tag, size_t len, struct err *e);
/* From a Podcasting 2.0 JSON chapters document. NULL with e set when it is
 * not one. Fractional startTime/endTime are kept. */
struct chapters *chapters_from_json(const char *data, size_t len, struct err *e);
/* From a feed's Podlove Simple Chapters (never NULL except out of memory). */
struct chapters *chapters_from_psc(const struct feed_psc_chapter *v, size_t n);

/* Combine two sources (either may be NULL). When they agree (same count,
 * every start within 1 s) the result takes a's starts and fills each
 * field a lacks from b; otherwise the richer list wins (more chapters,
 * then more titles, links, images and ends), a on a tie. A new list, NULL
 * only when both are NULL or out of memory. */
struct chapters *chapters_merge(const struct chapters *a, const struct chapters *b);
void chapters_free(struct chapters *c);

/* {"chapters":[{"start":s,"end":s|null,"title":str|null,"url":str|null,
 * "image":str|null,"toc":bool}]}. New reference. */
json_t *chapters_to_json(const struct chapters *c);
/* The chapter playing at pos: the last with start <= pos (hidden ones
 * included; skip them with only_toc). -1 before the first. O(log n). */
long chapters_find(const struct chapters *c, double pos, bool only_toc);

#endif
