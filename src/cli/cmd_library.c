/* cmd_library.c - the library subcommands: add, remove, update, list,
 * import, export. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "hark/library.h"
#include "hark/jsonutil.h"
#include "hark/opml.h"
#include "hark/store.h"

/* Options shared by the library commands. */
struct lib_args {
	const char *cacert;
	int jobs;
	bool json;
	char **pos; /* positional arguments */
	int npos;
};

/* Parse argv (argv[0] = command) accepting the options in `allow`
 * ("cacert", "jobs", "json"). Returns 0, or CLI_USAGE after an error. */
static int parse_args(int argc, char **argv, const char *allow, struct lib_args *a)
{
	int i;

	memset(a, 0, sizeof *a);
	a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
	if (a->pos == NULL)
		return CLI_FAIL;
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (strcmp(s, "--") == 0) {
			for (i++; i < argc; i++)
				a->pos[a->npos++] = argv[i];
			break;
		}
		if (s[0] != '-' || s[1] == '\0') {
			a->pos[a->npos++] = argv[i];
		} else if (strcmp(s, "--json") == 0 && strstr(allow, "json")) {
			a->json = true;
		} else if ((strcmp(s, "--jobs") == 0 || strcmp(s, "-j") == 0) &&
		           strstr(allow, "jobs")) {
			char *end;
			long n;

			if (i + 1 >= argc) {
				cli_error("%s: --jobs needs a number", argv[0]);
				return CLI_USAGE;
			}
			n = strtol(argv[++i], &end, 10);
			if (*end != '\0' || n < 1 || n > 64) {
				cli_error("%s: --jobs %s: not a number from 1 to 64", argv[0],
				          argv[i]);
				return CLI_USAGE;
			}
			a->jobs = (int)n;
		} else if (strcmp(s, "--cacert") == 0 && strstr(allow, "cacert")) {
			if (i + 1 >= argc) {
				cli_error("%s: --cacert needs a file", argv[0]);
				return CLI_USAGE;
			}
			a->cacert = argv[++i];
		} else {
			cli_error("%s: %s: unknown option (see hark %s --help)", argv[0], s,
			          argv[0]);
			return CLI_USAGE;
		}
	}
	return 0;
}

static void lib_opts_from(struct library_opts *o, const struct lib_args *a)
{
	memset(o, 0, sizeof *o);
	o->cacert = a->cacert;
	o->jobs = a->jobs;
}

/* The name of a feed for messages: its title, else its URL. */
static const char *feed_name(const char *title, const char *url)
{
	return title != NULL && title[0] != '\0' ? cli_shown(title)
	       : url != NULL                     ? url
	                                         : "(unknown)";
}

static struct store *open_or_fail(const char *cmd)
{
	struct err e;
	struct store *st = cli_open_store(&e);

	if (st == NULL)
		cli_error("%s: %s", cmd, e.msg);
	return st;
}

int cmd_add(int argc, char **argv)
{
	struct library_opts o;
	struct lib_args a;
	struct store_feed sf;
	struct store *st;
	int64_t id = 0;
	struct err e;
	int rc;

	rc = parse_args(argc, argv, "cacert", &a);
	if (rc == 0 && a.npos != 1) {
		cli_usage("add", true);
		rc = CLI_USAGE;
	}
	if (rc != 0) {
		free(a.pos);
		return rc;
	}
	st = open_or_fail("add");
	if (st == NULL) {
		free(a.pos);
		return CLI_FAIL;
	}
	lib_opts_from(&o, &a);
	rc = library_add(st, a.pos[0], &o, &id, &e);
	if (rc < 0) {
		cli_error("add: %s", e.msg);
		rc = CLI_FAIL;
	} else if (store_feed_get(st, id, &sf, &e) == 0) {
		printf("%s feed %lld: %s (%d episodes)\n",
		       rc == 1 ? "already subscribed:" : "added", (long long)sf.id,
		       feed_name(sf.title, sf.url), sf.episodes);
		store_feed_free(&sf);
		if (rc == 0)
			cli_fetch_transcripts(st, &id, 1, "add", o.cacert, o.jobs);
		rc = CLI_OK;
	} else {
		rc = CLI_OK;
	}
	store_close(st);
	free(a.pos);
	return rc;
}

/* Look a FEED argument up; prints the error and returns CLI_FAIL. */
static int find_feed(struct store *st, const char *cmd, const char *spec, struct store_feed *sf)
{
	struct err e;
	int rc = store_feed_find(st, spec, sf, &e);

	if (rc == 0)
		return 0;
	if (rc == 1)
		cli_error("%s: %s: no such feed (see hark list)", cmd, spec);
	else
		cli_error("%s: %s", cmd, e.msg);
	return CLI_FAIL;
}

int cmd_remove(int argc, char **argv)
{
	struct lib_args a;
	struct store_feed sf;
	struct store *st;
	struct err e;
	int rc;

	rc = parse_args(argc, argv, "", &a);
	if (rc == 0 && a.npos != 1) {
		cli_usage("remove", true);
		rc = CLI_USAGE;
	}
	if (rc != 0) {
		free(a.pos);
		return rc;
	}
	st = open_or_fail("remove");
	if (st == NULL) {
		free(a.pos);
		return CLI_FAIL;
	}
	rc = find_feed(st, "remove", a.pos[0], &sf);
	if (rc == 0) {
		if (store_feed_remove(st, sf.id, &e) < 0) {
			cli_error("remove: %s", e.msg);
			rc = CLI_FAIL;
		} else {
			printf("removed feed %lld: %s\n", (long long)sf.id,
			       feed_name(sf.title, sf.url));
		}
		store_feed_free(&sf);
	}
	store_close(st);
	free(a.pos);
	return rc;
}

/* One line per feed: results on stdout, failures on stderr. */
static void print_report(const struct library_report *r, void *ud)
{
	const char *verb = ud;
	const char *name = feed_name(r->title, r->url);

	if (r->status == LIBRARY_FAILED) {
		if (r->url != NULL)
			cli_error("%s: feed %lld: %s", verb, (long long)r->feed_id, r->error);
		else
			cli_error("%s: %s", verb, r->error);
		return;
	}
	if (r->status == LIBRARY_UNCHANGED)
		printf("feed %lld: %s: unchanged\n", (long long)r->feed_id, name);
	else
		printf("feed %lld: %s: %d new episode%s\n", (long long)r->feed_id, name,
		       r->new_episodes, r->new_episodes == 1 ? "" : "s");
	if (r->moved_from != NULL)
		printf("feed %lld: %s: moved from %s to %s\n", (long long)r->feed_id, name,
		       r->moved_from, r->url);
	if (r->note != NULL)
		printf("feed %lld: %s: note: %s\n", (long long)r->feed_id, name, r->note);
	fflush(stdout);
}

int cmd_update(int argc, char **argv)
{
	struct library_opts o;
	struct lib_args a;
	struct store *st;
	int64_t *ids = NULL;
	struct err e;
	int rc, i, failed;

	rc = parse_args(argc, argv, "cacert jobs", &a);
	if (rc != 0) {
		free(a.pos);
		return rc;
	}
	st = open_or_fail("update");
	if (st == NULL) {
		free(a.pos);
		return CLI_FAIL;
	}
	if (a.npos > 0) {
		ids = calloc((size_t)a.npos, sizeof *ids);
		for (i = 0; ids != NULL && i < a.npos; i++) {
			struct store_feed sf;

			if (find_feed(st, "update", a.pos[i], &sf) != 0) {
				rc = CLI_FAIL;
				break;
			}
			ids[i] = sf.id;
			store_feed_free(&sf);
		}
	}
	if (rc == 0) {
		lib_opts_from(&o, &a);
		failed = library_update(st, ids, ids != NULL ? (size_t)a.npos : 0, &o, print_report,
		                        (void *)"update", &e);
		if (failed < 0)
			cli_error("update: %s", e.msg);
		else
			cli_fetch_transcripts(st, ids, ids != NULL ? (size_t)a.npos : 0, "update",
			                      o.cacert, o.jobs);
		rc = failed != 0 ? CLI_FAIL : CLI_OK;
	}
	free(ids);
	store_close(st);
	free(a.pos);
	return rc;
}

/* "2024-01-02T10:00:00Z", or JSON null for 0. */
static json_t *json_time(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return json_null();
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *feed_json(const struct store_feed *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(f->id));
	json_object_set_new(o, "title", json_str_or_null(f->title));
	json_object_set_new(o, "url", json_str_or_null(f->url));
	json_object_set_new(o, "link", json_str_or_null(f->link));
	json_object_set_new(o, "image", json_str_or_null(f->image));
	json_object_set_new(o, "author", json_str_or_null(f->author));
	json_object_set_new(o, "type", json_string(f->serial ? "serial" : "episodic"));
	json_object_set_new(o, "local", json_boolean(f->local));
	json_object_set_new(o, "episodes", json_integer(f->episodes));
	json_object_set_new(o, "unplayed", json_integer(f->unplayed));
	json_object_set_new(o, "new", json_integer(f->new_count));
	json_object_set_new(o, "updated", json_time(f->updated_at));
	json_object_set_new(o, "error", json_str_or_null(f->last_error));
	return o;
}

static json_t *episode_json(const struct store_episode *ep)
{
	json_t *o = json_object(), *tr = json_array(), *enc;
	size_t i;

	json_object_set_new(o, "id", json_integer(ep->id));
	json_object_set_new(o, "feed_id", json_integer(ep->feed_id));
	json_object_set_new(o, "guid", json_str_or_null(ep->guid));
	json_object_set_new(o, "title", json_str_or_null(ep->title));
	json_object_set_new(o, "published", json_time(ep->published));
	json_object_set_new(o, "duration",
	                    ep->duration > 0 ? json_real(ep->duration) : json_null());
	json_object_set_new(o, "url", json_str_or_null(ep->enclosure_url));
	if (ep->enclosure_url != NULL) {
		enc = json_object();
		json_object_set_new(enc, "url", json_string(ep->enclosure_url));
		json_object_set_new(enc, "type", json_str_or_null(ep->enclosure_type));
		json_object_set_new(enc, "length",
		                    ep->enclosure_length > 0 ? json_integer(ep->enclosure_length)
		                                             : json_null());
	} else {
		enc = json_null();
	}
	json_object_set_new(o, "enclosure", enc);
	json_object_set_new(o, "played", json_boolean(ep->played));
	json_object_set_new(o, "position", json_real(ep->position));
	json_object_set_new(o, "new", json_boolean(ep->is_new));
	json_object_set_new(o, "downloaded", json_str_or_null(ep->download_path));
	json_object_set_new(o, "description", json_str_or_null(ep->description));
	json_object_set_new(o, "link", json_str_or_null(ep->link));
	json_object_set_new(o, "image", json_str_or_null(ep->image));
	json_object_set_new(o, "season", ep->season > 0 ? json_integer(ep->season) : json_null());
	json_object_set_new(o, "episode",
	                    ep->episode > 0 ? json_integer(ep->episode) : json_null());
	json_object_set_new(o, "episode_type", json_str_or_null(ep->episode_type));
	for (i = 0; i < ep->ntranscripts; i++) {
		json_t *t = json_object();

		json_object_set_new(t, "url", json_str_or_null(ep->transcripts[i].url));
		json_object_set_new(t, "type", json_str_or_null(ep->transcripts[i].type));
		json_object_set_new(t, "language", json_str_or_null(ep->transcripts[i].language));
		json_object_set_new(t, "rel", json_str_or_null(ep->transcripts[i].rel));
		json_array_append_new(tr, t);
	}
	json_object_set_new(o, "transcripts", tr);
	json_object_set_new(o, "chapters_url", json_str_or_null(ep->chapters_url));
	return o;
}

static void print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

static int list_feeds(struct store *st, bool json)
{
	struct store_feed_list l;
	struct err e;
	size_t i;

	if (store_feed_list(st, &l, &e) < 0) {
		cli_error("list: %s", e.msg);
		return CLI_FAIL;
	}
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < l.n; i++)
			json_array_append_new(arr, feed_json(&l.v[i]));
		print_json(arr);
	} else {
		for (i = 0; i < l.n; i++) {
			const struct store_feed *f = &l.v[i];

			printf("%lld\t%s\t%d episodes, %d unplayed\t%s%s%s\n", (long long)f->id,
			       feed_name(f->title, f->url), f->episodes, f->unplayed, f->url,
			       f->last_error ? "\tfailed: " : "",
			       f->last_error ? f->last_error : "");
		}
	}
	store_feed_list_free(&l);
	return CLI_OK;
}

static int list_episodes(struct store *st, const char *spec, bool json)
{
	struct store_episode_list l;
	struct store_feed sf;
	struct err e;
	size_t i;

	if (find_feed(st, "list", spec, &sf) != 0)
		return CLI_FAIL;
	if (store_episode_list(st, sf.id, &l, &e) < 0) {
		cli_error("list: %s", e.msg);
		store_feed_free(&sf);
		return CLI_FAIL;
	}
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < l.n; i++)
			json_array_append_new(arr, episode_json(&l.v[i]));
		print_json(arr);
	} else {
		for (i = 0; i < l.n; i++) {
			const struct store_episode *ep = &l.v[i];
			char date[16] = "-", dur[16], pos[16], state[40];
			time_t t = (time_t)ep->published;
			struct tm tm;

			if (ep->published > 0 && gmtime_r(&t, &tm) != NULL)
				strftime(date, sizeof date, "%Y-%m-%d", &tm);
			time_format(ep->duration > 0 ? ep->duration : -1, dur, sizeof dur);
			if (ep->played)
				snprintf(state, sizeof state, "played");
			else if (ep->position > 0)
				snprintf(state, sizeof state, "at %s",
				         time_format(ep->position, pos, sizeof pos));
			else
				snprintf(state, sizeof state, "%s", ep->is_new ? "new" : "-");
			printf("%lld\t%s\t%s\t%s\t%s\n", (long long)ep->id, date, dur, state,
			       ep->title != NULL ? cli_shown(ep->title) : "(untitled)");
		}
	}
	store_episode_list_free(&l);
	store_feed_free(&sf);
	return CLI_OK;
}

int cmd_list(int argc, char **argv)
{
	struct lib_args a;
	struct store *st;
	int rc;

	rc = parse_args(argc, argv, "json", &a);
	if (rc == 0 && a.npos > 1) {
		cli_usage("list", true);
		rc = CLI_USAGE;
	}
	if (rc != 0) {
		free(a.pos);
		return rc;
	}
	st = open_or_fail("list");
	if (st == NULL) {
		free(a.pos);
		return CLI_FAIL;
	}
	rc = a.npos == 0 ? list_feeds(st, a.json) : list_episodes(st, a.pos[0], a.json);
	store_close(st);
	free(a.pos);
	return rc;
}

/* The import report: "imported" wording and a hint on failures. */
static void import_report(const struct library_report *r, void *ud)
{
	if (r->status == LIBRARY_FAILED) {
		cli_error("import: feed %lld: %s (subscribed; hark update retries it)",
		          (long long)r->feed_id, r->error);
		return;
	}
	print_report(r, ud);
}

int cmd_import(int argc, char **argv)
{
	struct library_opts o;
	struct lib_args a;
	struct opml op;
	struct store *st;
	int64_t *ids = NULL;
	size_t i, nids = 0;
	struct err e;
	int rc, bad = 0;

	rc = parse_args(argc, argv, "cacert jobs", &a);
	if (rc == 0 && a.npos != 1) {
		cli_usage("import", true);
		rc = CLI_USAGE;
	}
	if (rc != 0) {
		free(a.pos);
		return rc;
	}
	if (opml_parse_file(a.pos[0], &op, &e) < 0) {
		cli_error("import: %s", e.msg);
		free(a.pos);
		return CLI_FAIL;
	}
	st = open_or_fail("import");
	if (st == NULL) {
		opml_free(&op);
		free(a.pos);
		return CLI_FAIL;
	}
	ids = calloc(op.n + 1, sizeof *ids);
	for (i = 0; ids != NULL && i < op.n; i++) {
		const char *url = op.feeds[i].xml_url;
		char *path = NULL;
		struct store_feed sf;
		bool local = !library_is_url(url);
		int64_t id;

		if (local) {
			/* Only what hark export writes for a local feed: an absolute
			 * path or a file: URL. */
			const char *p = str_case_starts_with(url, "file://") ? url + 7 : url;

			if (p[0] != '/' || (path = realpath(p, NULL)) == NULL) {
				cli_error("import: %s: %s", url,
				          p[0] != '/' ? "not an http(s) URL or a local file"
				                      : strerror(errno));
				bad++;
				continue;
			}
			url = path;
		}
		if (store_feed_find_url(st, url, &sf, NULL) == 0) {
			printf("feed %lld: %s: already subscribed\n", (long long)sf.id,
			       feed_name(sf.title, sf.url));
			store_feed_free(&sf);
		} else if (store_feed_add_url(st, url, local, &id, &e) < 0) {
			cli_error("import: %s: %s", url, e.msg);
			bad++;
		} else {
			if (op.feeds[i].title != NULL)
				store_feed_set_title(st, id, op.feeds[i].title, NULL);
			ids[nids++] = id;
		}
		free(path);
	}
	if (nids > 0) {
		int failed;

		lib_opts_from(&o, &a);
		failed = library_update(st, ids, nids, &o, import_report, (void *)"import", &e);
		if (failed < 0) {
			cli_error("import: %s", e.msg);
			bad++;
		} else {
			bad += failed;
			cli_fetch_transcripts(st, ids, nids, "import", o.cacert, o.jobs);
		}
	}
	printf("%zu feed%s in %s, %zu newly subscribed\n", op.n, op.n == 1 ? "" : "s", a.pos[0],
	       nids);
	free(ids);
	opml_free(&op);
	store_close(st);
	free(a.pos);
	return bad ? CLI_FAIL : CLI_OK;
}

int cmd_export(int argc, char **argv)
{
	struct store_feed_list l;
	struct opml_feed *of;
	struct lib_args a;
	struct store *st;
	struct err e;
	char *xml;
	size_t i;
	int rc;

	rc = parse_args(argc, argv, "", &a);
	if (rc == 0 && a.npos != 0) {
		cli_usage("export", true);
		rc = CLI_USAGE;
	}
	free(a.pos);
	if (rc != 0)
		return rc;
	st = open_or_fail("export");
	if (st == NULL)
		return CLI_FAIL;
	if (store_feed_list(st, &l, &e) < 0) {
		cli_error("export: %s", e.msg);
		store_close(st);
		return CLI_FAIL;
	}
	of = calloc(l.n + 1, sizeof *of);
	for (i = 0; of != NULL && i < l.n; i++) {
		of[i].xml_url = l.v[i].url;
		of[i].title = l.v[i].title;
		of[i].html_url = l.v[i].link;
	}
	xml = of != NULL ? opml_write(of, l.n, "hark subscriptions") : NULL;
	if (xml == NULL) {
		cli_error("export: out of memory");
		rc = CLI_FAIL;
	} else {
		fputs(xml, stdout);
		rc = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
		if (rc != CLI_OK)
			cli_error("export: stdout: %s", strerror(errno));
	}
	free(xml);
	free(of);
	store_feed_list_free(&l);
	store_close(st);
	return rc;
}
