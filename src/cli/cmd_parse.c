/* cmd_parse.c - `hark parse URL|FILE [--json]`: parse a feed without storing
 * it and print it normalised (JSON), or as a short summary. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "hark/datetime.h"
#include "hark/feed.h"
#include "hark/net.h"

/* Fetch an http(s) feed and parse it as a remote one (no local paths). */
static struct feed *parse_url(const char *url, struct err *e)
{
	struct net_opts o = {0};
	struct net_result r;
	struct err ne;
	struct feed *f;

	o.accept_encoding = true;
	o.spool = true; /* a big feed's body is not kept in memory */
	if (net_fetch(url, &o, &r, &ne) < 0) {
		err_set(e, "%s", ne.msg);
		net_result_free(&r);
		return NULL;
	}
	if (r.body == NULL || r.len == 0) {
		err_set(e, "%s: empty response (HTTP %ld)", url, r.status);
		net_result_free(&r);
		return NULL;
	}
	f = r.body_mapped ? feed_parse_mapped(r.body, r.len,
	                                      r.effective_url ? r.effective_url : url, false, &ne)
	                  : feed_parse(r.body, r.len, r.effective_url ? r.effective_url : url,
	                               false, &ne);
	if (f == NULL)
		err_set(e, "%s: %s", url, ne.msg);
	net_result_free(&r);
	return f;
}

static void print_summary(const struct feed *f)
{
	char date[32], dur[16];

	printf("%s\n", f->title ? cli_shown(f->title) : "(untitled feed)");
	if (f->author)
		printf("by %s\n", cli_shown(f->author));
	printf("%zu episode%s, %s\n", f->n_episodes, f->n_episodes == 1 ? "" : "s",
	       f->type ? f->type : "episodic");
	for (size_t i = 0; i < f->n_episodes; i++) {
		const struct feed_episode *ep = &f->episodes[i];

		if (datetime_format_iso(ep->published, date))
			date[10] = '\0';
		else
			snprintf(date, sizeof(date), "----------");
		printf("  %s  %8s  %s\n", date, time_format(ep->duration, dur, sizeof(dur)),
		       ep->title ? cli_shown(ep->title) : "(untitled)");
	}
}

int cmd_parse(int argc, char **argv)
{
	const char *src = NULL;
	bool json = false;
	struct feed *f;
	struct err e = {{0}};

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_error("parse: %s: unknown option", argv[i]);
			cli_usage("parse", true);
			return CLI_USAGE;
		} else if (src == NULL) {
			src = argv[i];
		} else {
			cli_error("parse: %s: only one feed at a time", argv[i]);
			return CLI_USAGE;
		}
	}
	if (src == NULL) {
		cli_usage("parse", true);
		return CLI_USAGE;
	}
	if (str_case_starts_with(src, "http://") || str_case_starts_with(src, "https://"))
		f = parse_url(src, &e);
	else if (str_case_starts_with(src, "file://"))
		f = feed_parse_file(src + 7, &e); /* file:///path -> /path */
	else
		f = feed_parse_file(src, &e);
	if (f == NULL) {
		cli_error("%s", e.msg);
		return CLI_FAIL;
	}
	if (json) {
		json_t *j = feed_to_json(f);

		/* the JSON holds its own copies: let the feed go, and write the
		 * JSON out as it is serialised rather than as one big string */
		feed_free(f);
		f = NULL;
		if (j == NULL || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
			cli_error("%s: out of memory", src);
			json_decref(j);
			return CLI_FAIL;
		}
		fputc('\n', stdout);
		json_decref(j);
	} else {
		print_summary(f);
	}
	feed_free(f);
	return CLI_OK;
}
