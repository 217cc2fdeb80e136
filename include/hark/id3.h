/* id3.h - ID3v2 tags at the front of an MP3: their size, and the frames
 * hark reads from them (chapters). */
#ifndef HARK_ID3_H
#define HARK_ID3_H

#include <stdbool.h>
#include <stddef.h>

/* Total size in bytes of the ID3v2 tag starting at p (header, body and
 * footer), or 0 when p does not start with a valid ID3v2 header. Needs the
 * first 10 bytes (n >= 10). */
size_t id3_tag_size(const unsigned char *p, size_t n);

/* A tag opened for reading frames: version 3 or 4 (ID3v2.3 / 2.4; 2.2 has
 * no chapter frames and is refused), and the frame area with the tag-wide
 * unsynchronisation undone and the extended header skipped. */
struct id3_tag {
	int version;
	bool unsync; /* v2.4: every frame is unsynchronised */
	unsigned char *frames;
	size_t len;
};

/* Open the tag in p[0, n) (n may be less than the tag: the frames that fit
 * are read). 0, or -1 when it is not a readable ID3v2.3/2.4 tag. */
int id3_open(struct id3_tag *t, const unsigned char *p, size_t n);
void id3_close(struct id3_tag *t);

/* Called for each frame with its 4-character id and its body (flags
 * handled: compressed or encrypted frames are skipped, per-frame
 * unsynchronisation undone, data length indicators removed). A non-zero
 * return stops the walk and is returned by id3_frames. */
typedef int (*id3_frame_fn)(void *ctx, const char *id, const unsigned char *body, size_t len);
/* Walk the frames in p[0, n): t->frames for the tag itself, or the
 * sub-frame area of a CHAP/CTOC frame. Padding ends the walk. */
int id3_frames(const struct id3_tag *t, const unsigned char *p, size_t n, id3_frame_fn fn,
               void *ctx);

/* Length in bytes of the string at p[0, n) in text encoding enc (0 Latin-1,
 * 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8) up to its terminator; *skip gets
 * that length plus the terminator's bytes (n when unterminated). */
size_t id3_strlen(int enc, const unsigned char *p, size_t n, size_t *skip);
/* The string at p[0, n) in encoding enc as malloc'd UTF-8, up to the first
 * terminator. Latin-1 and UTF-16 are converted (an unpaired UTF-16
 * surrogate becomes U+FFFD); UTF-8 (enc 3) comes back as stored, invalid
 * bytes included: callers pass it through text_sanitize(). NULL on out of
 * memory. */
char *id3_text(int enc, const unsigned char *p, size_t n);

#endif
