/* datetime.h - dates and durations as feeds write them. */
#ifndef HARK_DATETIME_H
#define HARK_DATETIME_H

#include <stddef.h>
#include <stdint.h>

/* RFC 822 dates and their common broken variants (no weekday, "Tues",
 * 2-digit years, lowercase or full month names, missing seconds, named
 * zones EST/PDT/GMT/UT/Z, +0000 and +00:00, extra spaces) and ISO 8601 /
 * RFC 3339 (with or without zone, with fractions). Returns UTC unix
 * seconds, or -1 when s is not a date (dates before 1970 count as invalid). */
int64_t datetime_parse(const char *s);

/* "2024-01-02T03:04:05Z" into buf; returns buf, or NULL (buf "") when t < 0. */
char *datetime_format_iso(int64_t t, char buf[32]);

/* itunes:duration and psc start values: "3600", "90.5", "1:30", "01:02:03",
 * "1:02:03.5", also ISO 8601 "PT1H2M3S". Seconds, or -1 when invalid. */
double datetime_parse_duration(const char *s);

#endif
