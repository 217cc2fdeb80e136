/* datetime.c - parsing the dates and durations found in feeds.
 *
 * RFC 822 dates are read token by token so that the usual breakage (no
 * weekday, words in any case, full names, missing seconds, odd spacing,
 * two-digit years, named zones) is tolerated; ISO 8601 dates are detected by
 * their leading "YYYY-". Everything is normalised to UTC with timegm(). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hark/datetime.h"
#include "hark/util.h"

static const char *const month_names[12] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};
static const char *const day_names[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

struct zone {
	const char *name;
	int minutes; /* east of UTC */
};

static const struct zone zones[] = {
        {"gmt", 0},    {"ut", 0},     {"utc", 0},     {"z", 0},       {"wet", 0},    {"bst", 60},
        {"cet", 60},   {"cest", 120}, {"met", 60},    {"mest", 120},  {"eet", 120},  {"eest", 180},
        {"msk", 180},  {"ist", 330},  {"jst", 540},   {"kst", 540},   {"hkt", 480},  {"sgt", 480},
        {"awst", 480}, {"acst", 570}, {"aest", 600},  {"aedt", 660},  {"nzst", 720}, {"nzdt", 780},
        {"est", -300}, {"edt", -240}, {"cst", -360},  {"cdt", -300},  {"mst", -420}, {"mdt", -360},
        {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"akdt", -480}, {"hst", -600}, {"ast", -240},
        {"adt", -180}, {"nst", -210}, {"ndt", -150},
};

/* Index 0-11 when word names a month (3-letter prefix of a full name, or a
 * longer prefix such as "sept"), else -1. */
static int lookup_month(const char *w, size_t n)
{
	if (n < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (n <= strlen(month_names[i]) && strncasecmp(w, month_names[i], n) == 0)
			return i;
	return -1;
}

static bool is_weekday(const char *w, size_t n)
{
	if (n < 2)
		return false;
	for (int i = 0; i < 7; i++)
		if (n <= strlen(day_names[i]) && strncasecmp(w, day_names[i], n) == 0)
			return true;
	return false;
}

/* Offset in minutes for a zone name; false when unknown. Military single
 * letters other than Z are ignored (RFC 1123 says their sign was wrong). */
static bool lookup_zone(const char *w, size_t n, int *minutes)
{
	for (size_t i = 0; i < HARK_ARRAY_LEN(zones); i++)
		if (strlen(zones[i].name) == n && strncasecmp(w, zones[i].name, n) == 0) {
			*minutes = zones[i].minutes;
			return true;
		}
	return false;
}

/* "+0100", "-07:00", "+05", "-7". Returns the chars consumed, 0 when p is
 * not an offset. */
static size_t parse_offset(const char *p, int *minutes)
{
	const char *s = p + 1;
	int nd = 0, h, m = 0;
	char d[4];

	if (*p != '+' && *p != '-')
		return 0;
	while (nd < 4 && (isdigit((unsigned char)*s) || (*s == ':' && nd == 2))) {
		if (*s != ':')
			d[nd++] = *s;
		s++;
	}
	if (nd == 0 || nd == 3)
		return 0;
	if (nd <= 2) {
		h = (d[0] - '0');
		if (nd == 2)
			h = h * 10 + (d[1] - '0');
	} else {
		h = (d[0] - '0') * 10 + (d[1] - '0');
		m = (d[2] - '0') * 10 + (d[3] - '0');
	}
	if (h > 14 || m > 59)
		return 0;
	*minutes = (h * 60 + m) * (*p == '-' ? -1 : 1);
	return (size_t)(s - p);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Build the UTC time from broken-down fields after range checks. */
static int64_t make_time(int year, int mon, int day, int hour, int min, int sec, int off_minutes)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct tm tm = {0};
	time_t t;

	if (year < 1970 || year > 9999 || mon < 0 || mon > 11 || day < 1)
		return -1;
	if (day > mdays[mon] + (mon == 1 && leap(year)))
		return -1;
	if (hour < 0 || hour > 24 || min < 0 || min > 59 || sec < 0 || sec > 60)
		return -1;
	if (hour == 24 && (min || sec))
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	t -= (time_t)off_minutes * 60;
	return t < 0 ? -1 : (int64_t)t;
}

/* Read n digits at *p into *v; false when fewer digits are there. */
static bool read_digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return true;
}

/* ISO 8601 / RFC 3339: YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|+HH[:MM]], also
 * the basic forms YYYYMMDDTHHMMSS. */
static int64_t parse_iso(const char *p)
{
	int y, mo, d, h = 0, mi = 0, s = 0, off = 0;
	bool ext;

	if (!read_digits(&p, 4, &y))
		return -1;
	ext = (*p == '-');
	if (ext)
		p++;
	if (!read_digits(&p, 2, &mo))
		return -1;
	if (ext && *p == '-')
		p++;
	else if (ext)
		return -1;
	if (!read_digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (!read_digits(&p, 2, &h))
			return -1;
		if (*p == ':')
			p++;
		if (!read_digits(&p, 2, &mi))
			return -1;
		if (*p == ':' || (!ext && isdigit((unsigned char)*p))) {
			if (*p == ':')
				p++;
			if (!read_digits(&p, 2, &s))
				return -1;
		}
		if (*p == '.' || *p == ',') {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
		}
		while (*p == ' ')
			p++;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			size_t n = parse_offset(p, &off);

			if (n == 0)
				return -1;
			p += n;
		} else if (isalpha((unsigned char)*p)) {
			const char *w = p;

			while (isalpha((unsigned char)*p))
				p++;
			if (!lookup_zone(w, (size_t)(p - w), &off))
				return -1;
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		return -1;
	return make_time(y, mo - 1, d, h, mi, s, off);
}

/* "HH:MM[:SS[.fff]]" with an optional glued offset ("15:04:05-0700"). */
static bool parse_clock(const char *w, size_t n, int *h, int *m, int *s, int *off, bool *has_off)
{
	const char *p = w, *end = w + n;
	int v[3] = {0, 0, 0}, k = 0;

	while (p < end && k < 3) {
		if (!isdigit((unsigned char)*p))
			return false;
		v[k] = 0;
		while (p < end && isdigit((unsigned char)*p)) {
			v[k] = v[k] * 10 + (*p - '0');
			if (v[k] > 99)
				return false;
			p++;
		}
		k++;
		if (p < end && *p == ':' && k < 3)
			p++;
		else
			break;
	}
	if (k < 2)
		return false;
	if (p < end && (*p == '.' || *p == ',')) {
		p++;
		while (p < end && isdigit((unsigned char)*p))
			p++;
	}
	if (p < end) {
		size_t used;

		if (*p == 'Z' || *p == 'z') {
			p++;
			*off = 0;
			*has_off = true;
		} else if ((used = parse_offset(p, off)) > 0 && p + used == end) {
			p += used;
			*has_off = true;
		} else {
			return false;
		}
	}
	if (p != end)
		return false;
	*h = v[0];
	*m = v[1];
	*s = v[2];
	return true;
}

/* RFC 822 and relatives ("Tue, 02 Jan 2024 03:04:05 GMT", "2 jan 24 3:04
 * EST", "Tues, January 2, 2024 03:04 +00:00", asctime's "Tue Jan  2
 * 03:04:05 2024"). */
static int64_t parse_rfc822(const char *s)
{
	int day = -1, mon = -1, year = -1, h = 0, mi = 0, sec = 0, off = 0;
	bool have_time = false, have_off = false, pm = false, am = false;
	const char *p = s;

	while (*p) {
		const char *w;
		size_t n;

		while (*p && (isspace((unsigned char)*p) || *p == ',' || *p == '.' || *p == '/'))
			p++;
		if (!*p)
			break;
		w = p;
		if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
			int o;
			size_t used = parse_offset(p, &o);

			if (used == 0 || have_off)
				return -1;
			off = o;
			have_off = true;
			p += used;
			continue;
		}
		if (*p == '(') { /* "(PDT)" comments */
			while (*p && *p != ')')
				p++;
			if (*p)
				p++;
			continue;
		}
		while (*p && !isspace((unsigned char)*p) && *p != ',' && *p != '/' &&
		       !(*p == '.' && !isdigit((unsigned char)p[1])))
			p++;
		n = (size_t)(p - w);
		if (isalpha((unsigned char)*w)) {
			int m, o;
			size_t k = 0;

			while (k < n && isalpha((unsigned char)w[k]))
				k++;
			if (k < n) { /* "GMT+0100", "UTC-5" */
				if (!lookup_zone(w, k, &o) || o != 0 || have_off)
					return -1;
				if (parse_offset(w + k, &o) != n - k)
					return -1;
				off = o;
				have_off = true;
			} else if ((m = lookup_month(w, n)) >= 0 && mon < 0) {
				mon = m;
			} else if (is_weekday(w, n)) {
				/* ignored: it is often wrong anyway */
			} else if (lookup_zone(w, n, &o)) {
				if (have_off)
					return -1;
				off = o;
				have_off = true;
			} else if (n == 2 && strncasecmp(w, "pm", 2) == 0) {
				pm = true;
			} else if (n == 2 && strncasecmp(w, "am", 2) == 0) {
				am = true;
			} else if (n == 2 &&
			           (strncasecmp(w, "st", 2) == 0 || strncasecmp(w, "nd", 2) == 0 ||
			            strncasecmp(w, "rd", 2) == 0 || strncasecmp(w, "th", 2) == 0)) {
				/* "2 nd" */
			} else if (n == 2 && strncasecmp(w, "at", 2) == 0) {
				/* "Jan 2, 2024 at 10:00" */
			} else {
				return -1;
			}
		} else if (isdigit((unsigned char)*w)) {
			bool clock = memchr(w, ':', n) != NULL;

			if (clock) {
				if (have_time)
					return -1;
				if (!parse_clock(w, n, &h, &mi, &sec, &off, &have_off))
					return -1;
				have_time = true;
			} else {
				size_t k = 0;
				int v = 0;

				while (k < n && isdigit((unsigned char)w[k]) && k < 5)
					v = v * 10 + (w[k++] - '0');
				/* allow "2nd", "3rd" */
				if (k < n && !(n - k == 2 && isalpha((unsigned char)w[k])))
					return -1;
				if (k >= 3) {
					if (year >= 0)
						return -1;
					year = v;
				} else if (day < 0 && v >= 1 && v <= 31 && (year < 0 || mon >= 0)) {
					day = v;
				} else if (year < 0) {
					year = v < 50 ? 2000 + v : 1900 + v;
				} else {
					return -1;
				}
			}
		} else {
			return -1;
		}
	}
	if (day < 0 || mon < 0 || year < 0)
		return -1;
	if (pm && h < 12)
		h += 12;
	else if (am && h == 12)
		h = 0;
	return make_time(year, mon, day, h, mi, sec, off);
}

int64_t datetime_parse(const char *s)
{
	const char *p;

	if (s == NULL)
		return -1;
	p = s;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return -1;
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
	    (p[4] == '-' || isdigit((unsigned char)p[4])))
		return parse_iso(p);
	return parse_rfc822(p);
}

char *datetime_format_iso(int64_t t, char buf[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	buf[0] = '\0';
	if (t < 0 || gmtime_r(&tt, &tm) == NULL)
		return NULL;
	if (strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return buf;
}

/* A run of decimal digits with an optional ".digits" fraction, read by hand:
 * strtod would also take an exponent ("1E2122" is inf) or hex ("0x1p9").
 * Returns the end, or NULL when there is no digit first. */
static const char *parse_decimal(const char *p, double *out)
{
	char num[64];
	size_t n = strspn(p, "0123456789");

	if (n == 0)
		return NULL;
	if (p[n] == '.' && isdigit((unsigned char)p[n + 1]))
		n += 1 + strspn(p + n + 1, "0123456789");
	if (n >= sizeof(num))
		return NULL;
	memcpy(num, p, n);
	num[n] = '\0';
	*out = strtod(num, NULL); /* only digits and one '.': correctly rounded */
	return p + n;
}

/* ISO 8601 durations "PT1H2M3.5S", "P1DT2H". Years, months and weeks are
 * not durations we take; anything that overflows a double is -1. */
static double parse_iso_duration(const char *p)
{
	double total = 0;
	bool in_time = false, any = false;

	if (*p != 'P' && *p != 'p')
		return -1;
	p++;
	while (*p) {
		double v;

		if (*p == 'T' || *p == 't') {
			in_time = true;
			p++;
			continue;
		}
		p = parse_decimal(p, &v);
		if (p == NULL)
			return -1;
		switch (toupper((unsigned char)*p)) {
		case 'D':
			total += v * 86400;
			break;
		case 'H':
			total += v * 3600;
			break;
		case 'M':
			if (!in_time)
				return -1; /* months */
			total += v * 60;
			break;
		case 'S':
			total += v;
			break;
		default:
			return -1;
		}
		if (!isfinite(total))
			return -1;
		any = true;
		p++;
	}
	return any ? total : -1;
}

double datetime_parse_duration(const char *s)
{
	char tmp[64];
	size_t n;
	double v;
	char *t;

	if (s == NULL)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n + 1);
	t = str_trim(tmp);
	if (*t == 'P' || *t == 'p')
		return parse_iso_duration(t);
	/* "3600 sec", "3600s" */
	n = strlen(t);
	if (n > 1 && (t[n - 1] == 's' || t[n - 1] == 'S')) {
		t[--n] = '\0';
		while (n > 0 && isalpha((unsigned char)t[n - 1]))
			t[--n] = '\0';
		str_trim(t);
	}
	v = time_parse_clock(t);
	if (v < 0 || isnan(v) || isinf(v))
		return -1;
	return v;
}
