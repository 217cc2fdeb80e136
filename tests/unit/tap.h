/* tap.h - a tiny TAP producer for hark's unit tests.
 *
 *   ok(cond, "name %d", i);  is_str(got, want, "name");  is_num(got, want, "name");
 *   return tap_done();       (plan printed at the end)
 */
#ifndef HARK_TAP_H
#define HARK_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3), unused)) static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

__attribute__((unused)) static int is_str(const char *got, const char *want, const char *name)
{
	int same = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);

	if (!ok(same, "%s", name))
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
	return same;
}

__attribute__((unused)) static int is_num(double got, double want, const char *name)
{
	int same = fabs(got - want) < 1e-6;

	if (!ok(same, "%s", name))
		printf("#   got:  %.6f\n#   want: %.6f\n", got, want);
	return same;
}

__attribute__((unused)) static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
