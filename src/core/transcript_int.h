/* transcript_int.h - helpers shared by the transcript parsers (private to
 * src/core/transcript*.c). */
#ifndef HARK_TRANSCRIPT_INT_H
#define HARK_TRANSCRIPT_INT_H

#include "hark/transcript.h"

/* A transcript being built: cues appended in file order. */
struct tx_build {
	struct transcript_cue *v;
	size_t n, cap;
};

/* Append a cue. raw_text is the cue's text before cleaning (entities
 * already decoded); words (may be NULL) give spans in raw_text and are
 * remapped into the cleaned text. speaker may be NULL; an empty one counts
 * as NULL. The cleaned text has every line trimmed and goes through
 * text_sanitize(). Returns 0, -1 on out of memory. */
int tx_add(struct tx_build *b, double start, double end, const char *speaker, const char *raw_text,
           const struct transcript_word *words, size_t n_words);
/* Sort the cues by start (stable) and hand them over as a transcript. NULL
 * on out of memory (b is freed either way). */
struct transcript *tx_finish(struct tx_build *b);
void tx_build_free(struct tx_build *b);

/* A malloc'd copy of data[0, len) with NUL bytes replaced by U+FFFD and a
 * UTF-8 byte order mark at the front removed. */
char *tx_copy_input(const char *data, size_t len);
/* Split s in place into lines at CRLF, CR or LF. *lines is malloc'd. */
int tx_split_lines(char *s, char ***lines, size_t *n);

struct transcript *tx_parse_vtt(const char *data, size_t len, struct err *e);
struct transcript *tx_parse_srt(const char *data, size_t len, struct err *e);
struct transcript *tx_parse_json(const char *data, size_t len, struct err *e);
struct transcript *tx_parse_html(const char *data, size_t len, struct err *e);
struct transcript *tx_parse_text(const char *data, size_t len, struct err *e);

#endif
