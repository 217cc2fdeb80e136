/* id3.c - ID3v2 tag reading: the tag's size (for the engine) and a frame
 * walker with text decoding (for chapters). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hark/id3.h"
#include "hark/util.h"

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

static size_t syncsafe(const unsigned char *p)
{
	return ((size_t)(p[0] & 0x7f) << 21) | ((size_t)(p[1] & 0x7f) << 14) |
	       ((size_t)(p[2] & 0x7f) << 7) | (p[3] & 0x7f);
}

static size_t be32(const unsigned char *p)
{
	return ((size_t)p[0] << 24) | ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | p[3];
}

/* Undo unsynchronisation (0xFF 0x00 -> 0xFF) in place; returns the new
 * length. */
static size_t unsync(unsigned char *p, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		p[j++] = p[i];
		if (p[i] == 0xff && i + 1 < n && p[i + 1] == 0x00)
			i++;
	}
	return j;
}

int id3_open(struct id3_tag *t, const unsigned char *p, size_t n)
{
	size_t size, body, ext;

	memset(t, 0, sizeof *t);
	size = id3_tag_size(p, n);
	if (size == 0 || (p[3] != 3 && p[3] != 4))
		return -1;
	body = ((size_t)p[6] << 21) | ((size_t)p[7] << 14) | ((size_t)p[8] << 7) | p[9];
	if (body > n - 10)
		body = n - 10;
	t->version = p[3];
	t->frames = malloc(body + 1);
	if (t->frames == NULL)
		return -1;
	memcpy(t->frames, p + 10, body);
	t->len = body;
	if (p[5] & 0x80) {
		if (t->version == 3)
			t->len = unsync(t->frames, t->len);
		else
			t->unsync = true;
	}
	if (p[5] & 0x40) {
		/* Extended header: v2.3 size excludes its own 4 bytes, v2.4 is
		 * syncsafe and includes them. */
		if (t->len < 4)
			goto bad;
		ext = t->version == 3 ? be32(t->frames) + 4 : syncsafe(t->frames);
		if (ext > t->len)
			goto bad;
		memmove(t->frames, t->frames + ext, t->len - ext);
		t->len -= ext;
	}
	return 0;
bad:
	id3_close(t);
	return -1;
}

void id3_close(struct id3_tag *t)
{
	free(t->frames);
	memset(t, 0, sizeof *t);
}

static bool frame_id_ok(const unsigned char *p)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

/* The size of the frame at p in a v2.4 tag. Some writers put plain 32-bit
 * sizes there: when the syncsafe reading does not land on another frame (or
 * the end) but the plain one does, use the plain one. */
static size_t frame_size_v4(const unsigned char *p, size_t left)
{
	size_t ss = syncsafe(p + 4), plain = be32(p + 4);

	if (ss == plain || plain + 10 > left)
		return ss;
	if (ss + 10 == left || (ss + 20 <= left && frame_id_ok(p + 10 + ss)) ||
	    (ss + 10 < left && p[10 + ss] == 0))
		return ss;
	if (plain + 10 == left || (plain + 20 <= left && frame_id_ok(p + 10 + plain)))
		return plain;
	return ss;
}

int id3_frames(const struct id3_tag *t, const unsigned char *p, size_t n, id3_frame_fn fn,
               void *ctx)
{
	size_t pos = 0, size, blen;
	const unsigned char *body;
	unsigned char *copy;
	char id[5];
	int rc;

	while (pos + 10 <= n) {
		const unsigned char *h = p + pos;
		unsigned f2 = h[9];

		if (!frame_id_ok(h))
			break; /* padding or garbage */
		size = t->version == 4 ? frame_size_v4(h, n - pos) : be32(h + 4);
		if (size > n - pos - 10)
			break;
		memcpy(id, h, 4);
		id[4] = '\0';
		body = h + 10;
		blen = size;
		pos += 10 + size;
		copy = NULL;
		if (t->version == 3) {
			if (f2 & 0xc0)
				continue; /* compressed or encrypted */
			if (f2 & 0x20) {
				if (blen < 1)
					continue;
				body++; /* grouping identity */
				blen--;
			}
		} else {
			if (f2 & 0x0c)
				continue; /* compressed or encrypted */
			if (f2 & 0x40) {
				if (blen < 1)
					continue;
				body++;
				blen--;
			}
			if (f2 & 0x01) {
				if (blen < 4)
					continue;
				body += 4; /* data length indicator */
				blen -= 4;
			}
			if ((f2 & 0x02) || t->unsync) {
				copy = malloc(blen + 1);
				if (copy == NULL)
					return -1;
				memcpy(copy, body, blen);
				blen = unsync(copy, blen);
				body = copy;
			}
		}
		rc = fn(ctx, id, body, blen);
		free(copy);
		if (rc != 0)
			return rc;
	}
	return 0;
}

size_t id3_strlen(int enc, const unsigned char *p, size_t n, size_t *skip)
{
	size_t i;

	if (enc == 1 || enc == 2) {
		for (i = 0; i + 1 < n; i += 2)
			if (p[i] == 0 && p[i + 1] == 0) {
				*skip = i + 2;
				return i;
			}
		*skip = n;
		return n & ~(size_t)1;
	}
	for (i = 0; i < n; i++)
		if (p[i] == 0) {
			*skip = i + 1;
			return i;
		}
	*skip = n;
	return n;
}

static int put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_append(b, u, n);
}

char *id3_text(int enc, const unsigned char *p, size_t n)
{
	struct buf b = {0};
	size_t skip, len = id3_strlen(enc, p, n, &skip), i;
	bool le = false;
	int rc = buf_puts(&b, "");

	if (enc == 0) {
		for (i = 0; i < len && rc == 0; i++)
			rc = put_utf8(&b, p[i]);
	} else if (enc == 1 || enc == 2) {
		i = 0;
		if (enc == 1 && len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
			le = true;
			i = 2;
		} else if (enc == 1 && len >= 2 && p[0] == 0xfe && p[1] == 0xff) {
			i = 2;
		}
		for (; i + 1 < len && rc == 0; i += 2) {
			uint32_t u = le ? (uint32_t)(p[i] | p[i + 1] << 8)
			                : (uint32_t)(p[i] << 8 | p[i + 1]);

			if (u >= 0xd800 && u < 0xdc00 && i + 3 < len) {
				uint32_t lo = le ? (uint32_t)(p[i + 2] | p[i + 3] << 8)
				                 : (uint32_t)(p[i + 2] << 8 | p[i + 3]);

				if (lo >= 0xdc00 && lo < 0xe000) {
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
					i += 2;
				} else {
					u = 0xfffd;
				}
			} else if (u >= 0xd800 && u < 0xe000) {
				u = 0xfffd;
			}
			rc = put_utf8(&b, u);
		}
	} else {
		rc = buf_append(&b, p, len); /* UTF-8 (text_sanitize fixes bad bytes) */
	}
	if (rc < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}
