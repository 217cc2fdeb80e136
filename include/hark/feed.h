/* feed.h - parsing podcast feeds (RSS 0.9x/1.0/2.0, Atom 1.0, iTunes,
 * Podcasting 2.0, Podlove Simple Chapters) into plain structs with libxml2.
 *
 * Parsing never touches the network and never loads external entities or
 * DTDs. Every string is malloc'd, valid UTF-8 and sanitized with
 * text_sanitize(): descriptions keep their newlines, every other string is
 * one line. Absent strings are NULL, absent numbers -1. */
#ifndef HARK_FEED_H
#define HARK_FEED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hark/util.h"

/* <podcast:transcript url type language rel> */
struct feed_transcript {
	char *url;      /* absolute http(s) URL; for local feeds also an absolute path */
	char *type;     /* MIME type: "text/vtt", "application/x-subrip", ... */
	char *language; /* or NULL */
	char *rel;      /* "captions" or NULL */
};

/* <psc:chapter start title href image> */
struct feed_psc_chapter {
	double start; /* seconds */
	char *title;
	char *href;  /* or NULL */
	char *image; /* or NULL */
};

/* <podcast:person role group img href>name</podcast:person> */
struct feed_person {
	char *name;
	char *role;  /* or NULL ("host", "guest"...) */
	char *group; /* or NULL */
	char *href;  /* or NULL */
	char *img;   /* or NULL */
};

/* <podcast:funding url>text</podcast:funding> */
struct feed_funding {
	char *url;
	char *text; /* or NULL */
};

struct feed_episode {
	char *guid;
	char *title;       /* NULL when the item has none: the UI shows "(untitled)" */
	int64_t published; /* unix seconds UTC, or -1 */
	double duration;   /* seconds, or -1 */
	char *enc_url;     /* enclosure (or an audio media:content), or NULL */
	char *enc_type;
	int64_t enc_length; /* bytes, or -1 */
	char *description;  /* plain text with '\n' (HTML converted), or NULL */
	char *link;
	char *image;
	int season, episode; /* -1 when absent */
	char *episode_type;  /* "full", "trailer", "bonus" or NULL */
	int explicit_;       /* -1 unknown, 0 no/clean, 1 yes */
	bool block;          /* itunes:block yes */
	struct feed_transcript *transcripts;
	size_t n_transcripts;
	char *chapters_url; /* podcast:chapters, or NULL */
	char *chapters_type;
	struct feed_psc_chapter *psc; /* Podlove Simple Chapters, in feed order */
	size_t n_psc;
	struct feed_person *persons;
	size_t n_persons;
	char *subtitle; /* itunes:subtitle */
	char *author;   /* itunes:author, author, dc:creator, atom author name */
};

struct feed {
	char *title; /* NULL when the feed has none */
	char *link;
	char *description; /* plain text with '\n', the first non-empty one */
	char *image;
	char *author;
	char *language;
	char *type; /* "episodic" or "serial" (itunes:type); default "episodic" */
	char *new_feed_url;
	char *subtitle;
	char *guid;    /* podcast:guid, or NULL */
	int explicit_; /* -1 unknown, 0, 1 */
	bool block;
	struct feed_funding *funding;
	size_t n_funding;
	struct feed_person *persons;
	size_t n_persons;
	/* Episodes in display order: as listed (newest first in most feeds);
	 * for a serial feed sorted oldest first by published date. */
	struct feed_episode *episodes;
	size_t n_episodes;
};

/* Parse a feed document. base_url is the feed's URL or file path, used to
 * resolve relative URLs (may be NULL). local: the feed was read from a local
 * file, so relative paths and file:// URLs in enclosures, transcripts and
 * chapters are allowed (made absolute paths against the feed's folder);
 * otherwise any non-http(s) URL there is dropped (NULL / left out).
 * Returns NULL with e set ("not an RSS or Atom feed", "entity expansion
 * limit exceeded", ...) on failure. */
struct feed *feed_parse(const char *data, size_t len, const char *base_url, bool local,
                        struct err *e);
/* feed_parse() of a read-only private file mapping (a body fetched with
 * net_opts.spool): the pages already parsed are dropped from memory as the
 * parse goes (madvise MADV_DONTNEED; they read back from the file if
 * needed), so a big feed costs its parsed episodes, not its document. */
struct feed *feed_parse_mapped(const char *data, size_t len, const char *base_url, bool local,
                               struct err *e);
/* Read and parse a local file (local = true). e: "PATH: why". */
struct feed *feed_parse_file(const char *path, struct err *e);
void feed_free(struct feed *f);

/* The episode's identity: guid, else enclosure URL, else title "|" published
 * (published as decimal unix seconds, -1 when unknown). malloc'd; never
 * NULL except on out-of-memory. */
char *feed_episode_key(const struct feed_episode *ep);

/* The `hark parse --json` object (keys always present; absent values are
 * JSON null). New reference. */
json_t *feed_to_json(const struct feed *f);

#endif
