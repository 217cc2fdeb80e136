/* fuzz_datetime.c - feed dates and durations, and clock times.
 *
 * datetime_parse() must give -1 or a date that datetime_format_iso()
 * writes and datetime_parse() reads back unchanged; durations and clock
 * times must be -1 or finite and non-negative. */
#include <math.h>

#include "fuzz.h"
#include "hark/datetime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), iso[32], clk[32];
	int64_t t;
	double d;

	if (!s)
		return 0;
	t = datetime_parse(s);
	FUZZ_CHECK(t >= -1);
	if (t >= 0) {
		FUZZ_CHECK(datetime_format_iso(t, iso) != NULL);
		if (datetime_parse(iso) != t) {
			fprintf(stderr, "[%s] -> %lld -> [%s] -> %lld\n", s, (long long)t, iso,
			        (long long)datetime_parse(iso));
			FUZZ_CHECK(!"ISO round trip");
		}
	}
	d = datetime_parse_duration(s);
	FUZZ_CHECK(d == -1 || (isfinite(d) && d >= 0));
	time_format(d, clk, sizeof clk);
	d = time_parse_clock(s);
	FUZZ_CHECK(d == -1 || (isfinite(d) && d >= 0));
	time_format(d, clk, sizeof clk);
	free(s);
	return 0;
}
