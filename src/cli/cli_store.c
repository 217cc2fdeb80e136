/* cli_store.c - open the library for a subcommand (seeding the demo). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

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
