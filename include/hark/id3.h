/* id3.h - ID3v2 tags at the front of an MP3: their size, and the frames
 * hark reads from them (chapters). */
#ifndef HARK_ID3_H
#define HARK_ID3_H

#include <stddef.h>

/* Total size in bytes of the ID3v2 tag starting at p (header, body and
 * footer), or 0 when p does not start with a valid ID3v2 header. Needs the
 * first 10 bytes (n >= 10). */
size_t id3_tag_size(const unsigned char *p, size_t n);

#endif
