/* cli_store.c - open the library for a subcommand (seeding the demo); cut
 * titles for one line of output. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hark/library.h"
#include "hark/store.h"

struct store *cli_open_store(struct err *e)
{
	struct store *st = store_open(cli_db_path(), e);

	if (st != NULL && cli_global.demo && store_feed_count(st) == 0) {
		char *demo = str_printf("%s/demo/demo.xml", paths_pkgdata_dir());
		struct err de;

		if (demo == NULL || library_add(st, demo, NULL, NULL, &de) < 0) {
			err_set(e, "demo: %s", demo != NULL ? de.msg : "out of memory");
			free(demo);
			store_close(st);
			return NULL;
		}
		free(demo);
	}
	return st;
}

/* Four rotating buffers: a line may show a few titles. */
const char *cli_shown(const char *s)
{
	static _Thread_local char bufs[4][CLI_TITLE_SHOWN + 4];
	static _Thread_local unsigned next;
	char *b;
	size_t n = CLI_TITLE_SHOWN;

	if (s == NULL || strlen(s) <= CLI_TITLE_SHOWN)
		return s;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	b = bufs[next++ % 4];
	memcpy(b, s, n);
	memcpy(b + n, "\xe2\x80\xa6", 4);
	return b;
}
