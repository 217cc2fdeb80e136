/* jsonutil.h - small jansson helpers shared by every --json printer. */
#ifndef HARK_JSONUTIL_H
#define HARK_JSONUTIL_H

#include <jansson.h>

/* A JSON string, or null for NULL: absent values are null, never missing. */
static inline json_t *json_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

#endif
