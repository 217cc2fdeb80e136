/* test_datetime.c - RFC 822 (and its broken variants), ISO 8601 and
 * duration parsing. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hark/datetime.h"
#include "tap.h"

/* 2024-01-02T03:04:05Z */
#define T0 1704164645LL

static void date_is(const char *s, long long want)
{
	long long got = (long long)datetime_parse(s);

	if (!ok(got == want, "date '%s'", s))
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
}

int main(void)
{
	char buf[32];

	/* RFC 822 and friends */
	date_is("Tue, 02 Jan 2024 03:04:05 GMT", T0);
	date_is("Tue, 02 Jan 2024 03:04:05 +0000", T0);
	date_is("Tue, 02 Jan 2024 03:04:05 +00:00", T0);
	date_is("Tue, 2 Jan 2024 03:04:05 UT", T0);
	date_is("Tue, 02 Jan 2024 03:04:05 UTC", T0);
	date_is("Tue, 02 Jan 2024 03:04:05 Z", T0);
	date_is("02 Jan 2024 03:04:05 GMT", T0);      /* no weekday */
	date_is("Tue, 02 Jan 24 03:04:05 GMT", T0);   /* 2-digit year */
	date_is("Mon, 01 Jan 2024 22:04:05 EST", T0); /* -0500 */
	date_is("Mon, 01 Jan 2024 19:04:05 PST", T0); /* -0800 */
	date_is("Mon, 01 Jan 2024 20:04:05 PDT", T0); /* -0700 */
	date_is("Mon, 01 Jan 2024 21:04:05 CST", T0); /* -0600 */
	date_is("Tue, 02 Jan 2024 04:04:05 +0100", T0);
	date_is("Mon, 01 Jan 2024 22:04:05 -0500", T0);
	date_is("Tue, 02 Jan 2024 03:04 GMT", T0 - 5);       /* no seconds */
	date_is("Tue,  02  Jan  2024   03:04:05   GMT", T0); /* extra spaces */
	date_is("  Tue, 02 Jan 2024 03:04:05 GMT  ", T0);
	date_is("tue, 02 jan 2024 03:04:05 gmt", T0);         /* lowercase */
	date_is("Tuesday, 02 January 2024 03:04:05 GMT", T0); /* full names */
	date_is("Tues, 02 Jan 2024 03:04:05 GMT", T0);
	date_is("Tue, 02 Jan 2024 03:04:05", T0); /* no zone: UTC */
	date_is("Tue, 02 Jan 2024", T0 - 3 * 3600 - 4 * 60 - 5);
	date_is("Tue Jan  2 03:04:05 2024", T0); /* asctime */
	date_is("January 2, 2024 03:04:05 GMT", T0);
	date_is("Tue, 02 Jan 2024 03:04:05 GMT+0000", T0);
	date_is("Tue, 02 Sept 2024 03:04:05 GMT", 1725246245LL);
	date_is("Thu, 29 Feb 2024 00:00:00 GMT", 1709164800LL);
	date_is("Tue, 2 Jan 2024 3:04:05 PM GMT", T0 + 12 * 3600);
	date_is("Tue, 02 Jan 2024 03:04:05.123 GMT", T0);
	/* ISO 8601 / RFC 3339 */
	date_is("2024-01-02T03:04:05Z", T0);
	date_is("2024-01-02T03:04:05.123456Z", T0);
	date_is("2024-01-02T04:04:05+01:00", T0);
	date_is("2024-01-01T22:04:05-05:00", T0);
	date_is("2024-01-02T04:04:05+0100", T0);
	date_is("2024-01-02T03:04:05", T0); /* no zone: UTC */
	date_is("2024-01-02 03:04:05Z", T0);
	date_is("2024-01-02t03:04:05z", T0);
	date_is("2024-01-02T03:04Z", T0 - 5);
	date_is("2024-01-02", T0 - 3 * 3600 - 4 * 60 - 5);
	date_is("20240102T030405Z", T0);
	/* invalid */
	date_is("", -1);
	date_is(NULL, -1);
	date_is("not a date", -1);
	date_is("Tue, 32 Jan 2024 03:04:05 GMT", -1);
	date_is("Tue, 30 Feb 2024 03:04:05 GMT", -1);
	date_is("Tue, 02 Foo 2024 03:04:05 GMT", -1);
	date_is("2024-13-02T03:04:05Z", -1);
	date_is("2024-01-02T25:04:05Z", -1);
	date_is("2024-01-02T03:04:05Zjunk", -1);
	date_is("Tue, 02 Jan 2024 03:61:05 GMT", -1);
	date_is("1969-12-31T23:59:59Z", -1);

	/* formatting */
	is_str(datetime_format_iso(T0, buf), "2024-01-02T03:04:05Z", "format iso");
	is_str(datetime_format_iso(0, buf), "1970-01-01T00:00:00Z", "format epoch");
	ok(datetime_format_iso(-1, buf) == NULL && buf[0] == '\0', "format -1 gives NULL");

	/* durations */
	is_num(datetime_parse_duration("3600"), 3600, "duration seconds");
	is_num(datetime_parse_duration("90.5"), 90.5, "duration fractional seconds");
	is_num(datetime_parse_duration("1:30"), 90, "duration M:SS");
	is_num(datetime_parse_duration("01:02:03"), 3723, "duration HH:MM:SS");
	is_num(datetime_parse_duration("1:02:03.5"), 3723.5, "duration H:MM:SS.f");
	is_num(datetime_parse_duration("00:03:07.250"), 187.25, "duration psc start");
	is_num(datetime_parse_duration("12:42.345"), 762.345, "duration MM:SS.mmm");
	is_num(datetime_parse_duration(" 3:00 "), 180, "duration with spaces");
	is_num(datetime_parse_duration("PT1H2M3S"), 3723, "duration ISO 8601");
	is_num(datetime_parse_duration("3600s"), 3600, "duration with unit");
	is_num(datetime_parse_duration(""), -1, "duration empty");
	is_num(datetime_parse_duration("abc"), -1, "duration garbage");
	is_num(datetime_parse_duration("-5"), -1, "duration negative");
	is_num(datetime_parse_duration("1:2:3:4"), -1, "duration too many parts");
	is_num(datetime_parse_duration(NULL), -1, "duration NULL");
	/* ISO numbers are digits only: strtod took "1E2122" as an exponent (inf) */
	is_num(datetime_parse_duration("P2H1H2H2H2H1E2122H"), -1, "duration ISO exponent rejected");
	is_num(datetime_parse_duration("PT1E3S"), -1, "duration ISO small exponent rejected");
	is_num(datetime_parse_duration("PT0x10S"), -1, "duration ISO hex rejected");
	is_num(datetime_parse_duration("PTinfS"), -1, "duration ISO inf rejected");
	is_num(datetime_parse_duration("PT1.5S"), 1.5, "duration ISO fraction");
	is_num(datetime_parse_duration("PT0.25S"), 0.25, "duration ISO fraction exact");
	is_num(datetime_parse_duration("P1DT2H"), 93600, "duration ISO days and hours");
	is_num(datetime_parse_duration("pt3m"), 180, "duration ISO lower case");
	is_num(datetime_parse_duration("P1M"), -1, "duration ISO months rejected");
	is_num(datetime_parse_duration("P1M99999999D"), -1,
	       "duration ISO months not cancelled by days");
	is_num(datetime_parse_duration("PT"), -1, "duration ISO no number");
	is_num(datetime_parse_duration("PT5"), -1, "duration ISO no unit");
	{
		/* the longest accepted input: 62 nines of hours is still finite */
		char big[64];
		double v;

		memset(big, '9', sizeof(big));
		memcpy(big, "PT", 2);
		big[62] = 'H';
		big[63] = '\0';
		v = datetime_parse_duration(big);
		ok(v > 1e60 && isfinite(v), "duration ISO 60 digits finite");
	}
	return tap_done();
}
