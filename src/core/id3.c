/* id3.c - ID3v2 tag reading. */
#include "config.h"

#include "hark/id3.h"

size_t id3_tag_size(const unsigned char *p, size_t n)
{
	size_t size;

	if (n < 10 || p[0] != 'I' || p[1] != 'D' || p[2] != '3')
		return 0;
	if (p[3] == 0xff || p[4] == 0xff)
		return 0;
	if ((p[6] | p[7] | p[8] | p[9]) & 0x80)
		return 0;
	size = ((size_t)p[6] << 21) | ((size_t)p[7] << 14) | ((size_t)p[8] << 7) | p[9];
	size += 10;
	if (p[3] == 4 && (p[5] & 0x10))
		size += 10; /* footer */
	return size;
}
