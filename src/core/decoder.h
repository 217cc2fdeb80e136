/* decoder.h - the small interface a decoder implements (only MP3 today).
 * Bytes are pushed in (feed mode); PCM (s16, native endian, interleaved,
 * at the stream's own rate) is pulled out. Never blocks, never does I/O. */
#ifndef HARK_DECODER_H
#define HARK_DECODER_H

#include <stdbool.h>
#include <stddef.h>

#include "hark/util.h"

enum {
	DEC_OK = 0,     /* PCM bytes returned (maybe 0) */
	DEC_NEED_MORE,  /* feed more input */
	DEC_NEW_FORMAT, /* the format is (newly) known: ask format() */
	DEC_DONE,       /* end of stream */
	DEC_ERROR,
};

struct decoder;

struct decoder_ops {
	const char *name;
	struct decoder *(*open)(struct err *e);
	void (*close)(struct decoder *d);
	int (*feed)(struct decoder *d, const unsigned char *p, size_t n);
	int (*read)(struct decoder *d, unsigned char *out, size_t size, size_t *done);
	void (*format)(struct decoder *d, long *rate, int *channels);
	/* Seek to sample (from the start, gapless); returns the sample reached
	 * or -1 (not possible yet: no frame parsed), and in *input_off the byte
	 * offset (counted from the first byte fed) to feed from next. */
	long long (*seek)(struct decoder *d, long long sample, bool fuzzy, long long *input_off);
	long long (*length)(struct decoder *d); /* samples, 0 unknown */
	void (*set_filesize)(struct decoder *d, long long bytes);
	/* Declare the stream CBR with Info tag: compute an exact seek index;
	 * first_frame is the offset of the first audio frame, hdr its header. */
	int (*set_cbr_index)(struct decoder *d, long long first_frame, long long total_bytes,
	                     const unsigned char hdr[4]);
	/* The first frame is a Xing/Info tag frame (not audio). */
	void (*set_tag_frame)(struct decoder *d, bool on);
	/* The frame parsed last: its number as the decoder counts (from the
	 * first audio frame, or from where a fuzzy seek guessed it landed),
	 * its byte offset from the first byte fed, and the number (counted the
	 * same way) of the next sample read() returns. -1 before a frame. */
	int (*frame_pos)(struct decoder *d, long long *frame, long long *off,
	                 long long *next_sample);
	int (*samples_per_frame)(struct decoder *d); /* 0 unknown */
	/* The decoder as a frame counter (a handle of its own, fed from the
	 * first audio byte, nothing decoded): take n more bytes and parse the
	 * frames in them. 1 and *frame (the number of the frame starting at
	 * byte off) when it got there; -1 when the frames step over off (no
	 * frame starts there) or on an error; 0 when it needs more bytes. */
	int (*count_to)(struct decoder *d, const unsigned char *p, size_t n, long long off,
	                long long *frame);
	const char *(*strerror)(struct decoder *d);
};

extern const struct decoder_ops decoder_mpg123;

#endif
