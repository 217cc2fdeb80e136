/* transcript.h - episode transcripts: WebVTT, SRT, Podcasting 2.0 JSON, HTML
 * and plain text parsed into one list of timed cues, the choice among several
 * <podcast:transcript> tags, cue lookup by time, the `hark transcript --json`
 * form, timestamps found in show notes, and sidecar files.
 *
 * Every string is malloc'd, valid UTF-8 and passed through text_sanitize()
 * (newlines kept inside a cue's text; speakers on one line). */
#ifndef HARK_TRANSCRIPT_H
#define HARK_TRANSCRIPT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hark/util.h"

struct feed_transcript; /* hark/feed.h */
struct store;           /* hark/store.h */

/* A word (or timed run of text) inside a cue: text[off, off+len) starts
 * being spoken at `start` seconds. Words are in text order, never overlap. */
struct transcript_word {
	double start;
	size_t off, len;
};

struct transcript_cue {
	double start, end;             /* seconds; end -1 = unknown (until the next cue) */
	char *speaker;                 /* or NULL */
	char *text;                    /* plain text, '\n' between lines; may be "" */
	struct transcript_word *words; /* NULL when the source had no word times */
	size_t n_words;
};

/* Cues sorted by start (stable: equal starts keep file order). */
struct transcript {
	struct transcript_cue *cues;
	size_t n;
};

enum transcript_format {
	TRANSCRIPT_UNKNOWN = 0,
	TRANSCRIPT_JSON, /* application/json (Podcasting 2.0) */
	TRANSCRIPT_VTT,  /* text/vtt */
	TRANSCRIPT_SRT,  /* application/x-subrip, application/srt, text/srt */
	TRANSCRIPT_HTML, /* text/html */
	TRANSCRIPT_TEXT, /* text/plain */
};

/* The format a MIME type names (parameters such as "; charset=" ignored),
 * TRANSCRIPT_UNKNOWN for NULL or anything else. */
enum transcript_format transcript_format_from_mime(const char *mime);
/* The format a file name or URL path suggests by its extension (.vtt .srt
 * .json .html .htm .txt), TRANSCRIPT_UNKNOWN otherwise. */
enum transcript_format transcript_format_from_name(const char *name);
/* Guess from the bytes: BOM/"WEBVTT", a JSON object, an SRT time line,
 * HTML tags; else text. */
enum transcript_format transcript_sniff(const char *data, size_t len);
const char *transcript_format_name(enum transcript_format f); /* "vtt"... */

/* Parse a transcript. mime may be NULL or unknown: the bytes are sniffed.
 * Returns NULL with e set ("WebVTT: missing WEBVTT signature", "JSON: line
 * 3: ...") when the data is not a transcript of that type. A valid file
 * without cues gives an empty transcript (n == 0), not an error. */
struct transcript *transcript_parse(const char *data, size_t len, const char *mime, struct err *e);
/* The same with an explicit format (TRANSCRIPT_UNKNOWN sniffs). */
struct transcript *transcript_parse_format(const char *data, size_t len, enum transcript_format fmt,
                                           struct err *e);
void transcript_free(struct transcript *t);

/* {"cues":[{"start":s,"end":s|null,"speaker":str|null,"text":str}]}.
 * New reference (NULL on out of memory). */
json_t *transcript_to_json(const struct transcript *t);

/* The cue being heard at pos: the last cue with start <= pos, provided pos
 * is before its end (or its end is unknown). -1 when pos is before the
 * first cue or in a gap after a cue's end. O(log n). */
long transcript_find(const struct transcript *t, double pos);
/* Within cue c, the word being heard at pos (last word with start <= pos),
 * -1 when the cue has no word times or pos is before its first word. */
long transcript_find_word(const struct transcript_cue *c, double pos);

/* Which of n <podcast:transcript> tags to fetch: the best format (JSON >
 * VTT > SRT > HTML > text; unknown types last) among those in the
 * preferred language (matched on the primary subtag, "en" = "en-US"),
 * else among those without a language, else among all. preferred may be
 * NULL (then $LANG's language, else any). -1 when n == 0. */
long transcript_pick(const struct feed_transcript *list, size_t n, const char *preferred);

/* Cues from timestamps written in show notes: a line holding "12:30",
 * "1:02:03" or "(12:30)" gives a cue starting there whose text is the line
 * without the timestamp and its separators ("12:30 - the frozen assets" ->
 * "the frozen assets"). End times are unknown. NULL when the notes hold no
 * timestamp (or on out of memory); an empty transcript is never returned. */
struct transcript *transcript_from_shownotes(const char *description);

/* A sidecar transcript beside a local audio file: "x.mp3" -> "x.vtt", then
 * "x.srt" (also "x.mp3.vtt"...). malloc'd path of the first that exists,
 * or NULL. */
char *transcript_sidecar(const char *audio_path);

/* ---- the library database (src/core/store_transcript.c) ----
 * Cues live in the `cues` table (one row per cue, in order), the fetched
 * transcript's URL/type/language in `transcripts` with fetched_at set; the
 * search index follows the cues by trigger (store.h). Word times are kept
 * when the schema has a cues.words column, otherwise dropped on save. */

/* Replace the episode's stored cues with t's in one transaction and mark
 * url (a URL or a local path; may be NULL for "local") as the fetched
 * transcript. type and lang may be NULL. 0, or -1 with e set. */
int transcript_store_save(struct store *st, int64_t episode_id, const struct transcript *t,
                          const char *url, const char *type, const char *lang, struct err *e);
/* The stored transcript of an episode: 0 with *out set (possibly with no
 * cues, when an empty transcript was stored), 1 when none was ever stored,
 * -1 with e set on a database error. */
int transcript_store_load(struct store *st, int64_t episode_id, struct transcript **out,
                          struct err *e);
/* The episode's transcript, fetched once: the stored one; else the best of
 * the transcripts the feed names (transcript_pick, preferred language
 * lang), fetched over HTTP (or read, for a local feed), parsed and saved;
 * else a sidecar .vtt/.srt beside the downloaded file, parsed and saved.
 * Blocks on the network: call it off the UI thread. 0 with *out set, 1 when
 * the episode has no transcript, -1 with e set. */
int transcript_store_get(struct store *st, int64_t episode_id, const char *lang,
                         struct transcript **out, struct err *e);

/* ---- fetching ahead (after `hark add` / `hark update`) ----
 * So that search finds transcript text before an episode is ever opened,
 * the newest episodes of each feed get their transcript fetched and stored
 * right after the feed is stored. */
#define TRANSCRIPT_FETCH_DEFAULT 20 /* newest episodes per feed */

struct transcript_fetch_opts {
	long newest;        /* per feed: the N newest episodes; 0 none; < 0 all */
	const char *lang;   /* preferred language (transcript_pick), NULL: $LANG */
	int jobs;           /* fetches at a time; 0: NET_DEFAULT_JOBS (8) */
	const char *cacert; /* CA bundle, NULL: $HARK_CACERT or the system's */
};

/* One episode's outcome; pointers live until the callback returns. */
struct transcript_fetch_report {
	int64_t episode_id;
	const char *url;   /* the transcript's URL or path */
	size_t cues;       /* cues stored (error NULL) */
	const char *error; /* NULL: stored; else why not ("URL: HTTP 404", ...) */
};
typedef void (*transcript_fetch_cb)(const struct transcript_fetch_report *r, void *ud);

/* For each feed (feed_ids NULL: every feed), the o->newest newest episodes
 * that have no stored transcript but could have one (the feed names one:
 * transcript_pick; else a sidecar beside a downloaded file or a local
 * feed's audio file) get it fetched -- over HTTP through one net batch,
 * o->jobs at a time -- parsed and saved with transcript_store_save. An
 * episode whose transcript is stored is never fetched again; a failed one
 * is tried again next time. cb (may be NULL) hears of every episode tried.
 * Returns the number that failed (a failure never stops the others), or -1
 * with e set on a database error before anything was tried. o may be NULL
 * (TRANSCRIPT_FETCH_DEFAULT newest, $LANG, 8 at a time). */
int transcript_fetch_pending(struct store *st, const int64_t *feed_ids, size_t nfeeds,
                             const struct transcript_fetch_opts *o, transcript_fetch_cb cb,
                             void *ud, struct err *e);

#endif
