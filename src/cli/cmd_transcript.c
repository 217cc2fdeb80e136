/* cmd_transcript.c - `hark transcript`, `hark chapters` and `hark search`. */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "hark/chapters.h"
#include "hark/config.h"
#include "hark/id3.h"
#include "hark/net.h"
#include "hark/search.h"
#include "hark/store.h"
#include "hark/transcript.h"

/* Largest transcript or chapters document, and largest ID3 tag, read. */
#define DOC_MAX_BYTES ((size_t)32 * 1024 * 1024)
#define TAG_MAX_BYTES ((size_t)32 * 1024 * 1024)

static bool is_url(const char *s)
{
	return str_case_starts_with(s, "http://") || str_case_starts_with(s, "https://");
}

/* Print a JSON value (ordered keys, times with up to 10 significant
 * digits) and free it. */
static int print_json(json_t *j, const char *what)
{
	char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
	            : NULL;

	json_decref(j);
	if (s == NULL) {
		cli_error("%s: out of memory", what);
		return CLI_FAIL;
	}
	puts(s);
	free(s);
	return CLI_OK;
}

/* A whole document: an http(s) URL through net_fetch, else a file. */
static int read_doc(const char *src, struct buf *out, char **ctype, struct err *e)
{
	struct net_opts o = {0};
	struct net_result r;
	int rc;

	*ctype = NULL;
	if (!is_url(src)) {
		if (file_read_all(src, DOC_MAX_BYTES, out, e) < 0)
			return -1;
		return 0;
	}
	o.max_bytes = DOC_MAX_BYTES;
	o.accept_encoding = true;
	rc = net_fetch(src, &o, &r, e);
	if (rc == 0) {
		if (buf_append(out, r.body ? r.body : "", r.len) < 0) {
			err_set(e, "%s: out of memory", src);
			rc = -1;
		}
		*ctype = r.content_type;
		r.content_type = NULL;
	}
	net_result_free(&r);
	return rc;
}

/* ---- transcripts fetched ahead by add / update / import ---- */

/* `set NAME VALUE` lines of the user's config (the rest is the UI's). */
static int set_only(int argc, char **argv, void *ud, struct err *e)
{
	(void)ud;
	if (argc == 3 && strcmp(argv[0], "set") == 0 && config_set(argv[1], argv[2], e) != 0)
		log_msg("config: %s", e->msg);
	return 0;
}

struct ahead_out {
	const char *verb;
	size_t stored;
};

static void ahead_cb(const struct transcript_fetch_report *r, void *ud)
{
	struct ahead_out *o = ud;

	if (r->error != NULL)
		cli_error("%s: episode %lld: transcript %s", o->verb, (long long)r->episode_id,
		          r->error);
	else
		o->stored++;
}

/* The user's settings, read once; the preferred transcript language. */
static const char *user_lang(void)
{
	static bool config_read;
	const char *l;

	if (!config_read) {
		char *path = str_printf("%s/config", paths_config_dir());
		struct err e;

		if (path != NULL && config_parse_file(path, true, set_only, NULL, &e) != 0)
			log_msg("config %s: %s", path, e.msg);
		free(path);
		config_read = true;
	}
	l = config_str("transcript_language");
	return l != NULL && l[0] != '\0' ? l : NULL;
}

void cli_fetch_transcripts(struct store *st, const int64_t *feed_ids, size_t n, const char *verb,
                           const char *cacert, int jobs)
{
	struct transcript_fetch_opts o = {0};
	struct ahead_out out = {verb, 0};
	struct err e;

	o.lang = user_lang();
	o.newest = config_int("transcripts_fetch");
	o.jobs = jobs;
	o.cacert = cacert;
	if (transcript_fetch_pending(st, feed_ids, n, &o, ahead_cb, &out, &e) < 0)
		cli_error("%s: transcripts: %s", verb, e.msg);
	if (out.stored > 0)
		printf("%zu transcript%s stored\n", out.stored, out.stored == 1 ? "" : "s");
	fflush(stdout);
}

/* ---- hark transcript ---- */

/* An episode id of the library rather than a file: digits only, and no
 * file of that name. */
static bool is_episode_id(const char *s)
{
	return s[0] != '\0' && strspn(s, "0123456789") == strlen(s) && access(s, F_OK) != 0;
}

/* `hark transcript EPISODE`: the episode's transcript, fetched once into
 * the library (and its search index) and read from there afterwards. */
static struct transcript *episode_transcript(const char *id, struct err *e)
{
	struct transcript *t = NULL;
	struct store *st = cli_open_store(e);
	int rc;

	if (st == NULL)
		return NULL;
	rc = transcript_store_get(st, strtoll(id, NULL, 10), user_lang(), &t, e);
	store_close(st);
	if (rc == 1)
		err_set(e, "episode %s: no transcript (none in the feed, no sidecar file)", id);
	return rc == 0 ? t : NULL;
}

int cmd_transcript(int argc, char **argv)
{
	const char *src = NULL, *type = NULL;
	bool json = false;
	struct err e = {{0}};
	struct buf data = {0};
	struct transcript *t;
	enum transcript_format f;
	char *ctype = NULL, tbuf[16];
	size_t i;
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[k], "--type") == 0 && k + 1 < argc) {
			type = argv[++k];
		} else if (argv[k][0] == '-' && argv[k][1] != '\0') {
			cli_error("transcript: %s: unknown option", argv[k]);
			cli_usage("transcript", true);
			return CLI_USAGE;
		} else if (src == NULL) {
			src = argv[k];
		} else {
			cli_error("transcript: %s: only one transcript at a time", argv[k]);
			return CLI_USAGE;
		}
	}
	if (src == NULL) {
		cli_usage("transcript", true);
		return CLI_USAGE;
	}
	f = transcript_format_from_mime(type);
	if (type != NULL && f == TRANSCRIPT_UNKNOWN) {
		cli_error("transcript: --type %s: not a transcript type (text/vtt, "
		          "application/x-subrip, application/json, text/html, text/plain)",
		          type);
		return CLI_USAGE;
	}
	if (is_episode_id(src)) {
		t = episode_transcript(src, &e);
		if (t == NULL) {
			cli_error("%s", e.msg);
			return CLI_FAIL;
		}
	} else {
		if (read_doc(src, &data, &ctype, &e) < 0) {
			cli_error("%s", e.msg);
			free(ctype);
			return CLI_FAIL;
		}
		if (f == TRANSCRIPT_UNKNOWN)
			f = transcript_format_from_mime(ctype);
		if (f == TRANSCRIPT_UNKNOWN)
			f = transcript_format_from_name(src);
		free(ctype);
		t = transcript_parse_format(data.data, data.len, f, &e);
		buf_free(&data);
		if (t == NULL) {
			cli_error("%s: %s", src, e.msg);
			return CLI_FAIL;
		}
	}
	if (json) {
		k = print_json(transcript_to_json(t), src);
		transcript_free(t);
		return k;
	}
	for (i = 0; i < t->n; i++) {
		const struct transcript_cue *c = &t->cues[i];

		printf("[%s] %s%s%s\n", time_format(c->start, tbuf, sizeof tbuf),
		       c->speaker ? c->speaker : "", c->speaker ? ": " : "", c->text);
	}
	transcript_free(t);
	return CLI_OK;
}

/* ---- hark chapters ---- */

struct range_get {
	struct buf body;
	size_t want; /* stop after this many bytes (a 200 ignoring Range) */
	long status;
	long cr_start;   /* Content-Range first byte, -1 if none */
	char *validator; /* ETag, else Last-Modified, for If-Range */
};

static size_t range_write(char *p, size_t size, size_t n, void *ctx)
{
	struct range_get *g = ctx;
	size_t len = size * n;

	if (g->body.len + len > g->want) {
		if (g->body.len < g->want)
			buf_append(&g->body, p, g->want - g->body.len);
		return 0; /* enough: abort the transfer */
	}
	if (buf_append(&g->body, p, len) < 0)
		return 0;
	return len;
}

static size_t range_header(char *p, size_t size, size_t n, void *ctx)
{
	struct range_get *g = ctx;
	size_t len = size * n;
	char *h = str_ndup(p, len), *v;

	if (h == NULL)
		return len;
	str_trim(h);
	if (strncasecmp(h, "HTTP/", 5) == 0) {
		/* A new response (after a redirect): forget the last one's. */
		g->cr_start = -1;
		free(g->validator);
		g->validator = NULL;
	} else if (strncasecmp(h, "Content-Range:", 14) == 0) {
		v = h + 14;
		while (*v == ' ')
			v++;
		if (strncasecmp(v, "bytes ", 6) == 0)
			g->cr_start = strtol(v + 6, NULL, 10);
	} else if (strncasecmp(h, "ETag:", 5) == 0) {
		free(g->validator);
		g->validator = str_dup(str_trim(h + 5));
	} else if (strncasecmp(h, "Last-Modified:", 14) == 0 && g->validator == NULL) {
		g->validator = str_dup(str_trim(h + 14));
	}
	free(h);
	return len;
}

/* GET bytes [from, to] of url into g->body. With if_range, the server must
 * answer from the same version. *eff gets the URL after redirects. */
static int range_fetch(const char *url, size_t from, size_t to, const char *if_range,
                       struct range_get *g, char **eff, struct err *e)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char range[64], *ir = NULL;
	const char *u = NULL;
	CURLcode rc;

	memset(g, 0, sizeof *g);
	g->cr_start = -1;
	if (h == NULL) {
		err_set(e, "%s: cannot start a transfer", url);
		return -1;
	}
	g->want = to - from + 1;
	net_apply_common(h, NULL);
	snprintf(range, sizeof range, "%zu-%zu", from, to);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_RANGE, range);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, range_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, g);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, range_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, g);
	if (if_range != NULL) {
		ir = str_printf("If-Range: %s", if_range);
		hdr = curl_slist_append(hdr, ir);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &g->status);
	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &u);
	if (eff != NULL)
		*eff = str_dup(u ? u : url);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	free(ir);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && g->body.len == g->want)) {
		err_set(e, "%s: %s", url, curl_easy_strerror(rc));
		return -1;
	}
	if (g->status >= 400) {
		err_set(e, "%s: HTTP %ld", url, g->status);
		return -1;
	}
	/* A 206 must start where asked; a 200 is the whole file from byte 0. */
	if ((g->status == 206 && g->cr_start != (long)from) || (g->status != 206 && from != 0)) {
		err_set(e, "%s: the server did not honour the Range request (HTTP %ld)", url,
		        g->status);
		return -1;
	}
	return 0;
}

/* The ID3 tag of an MP3 over HTTP: bytes 0-9, then the rest of the tag.
 * Sets *tag to NULL (and returns 0) when the file starts with no tag; *head
 * gets the first bytes either way. */
static int http_id3(const char *url, struct buf *tag, struct buf *head, struct err *e)
{
	struct range_get g1, g2;
	char *eff = NULL;
	size_t size;
	int rc = -1;

	if (range_fetch(url, 0, 9, NULL, &g1, &eff, e) < 0)
		goto out1;
	*head = g1.body;
	memset(&g1.body, 0, sizeof g1.body);
	size = id3_tag_size((const unsigned char *)head->data, head->len);
	if (size == 0) {
		rc = 0;
		goto out1;
	}
	if (size > TAG_MAX_BYTES) {
		err_set(e, "%s: ID3 tag of %zu bytes is too large", url, size);
		goto out1;
	}
	/* The rest of the tag; a server that ignored the first Range gets
	 * one read from byte 0 that stops at the tag's end. */
	if (range_fetch(eff, g1.status == 206 ? 10 : 0, size - 1, g1.validator, &g2, NULL, e) < 0) {
		buf_free(&g2.body);
		free(g2.validator);
		goto out1;
	}
	if ((g1.status == 206 && buf_append(tag, head->data, head->len) < 0) ||
	    buf_append(tag, g2.body.data ? g2.body.data : "", g2.body.len) < 0) {
		err_set(e, "%s: out of memory", url);
	} else {
		rc = 0;
	}
	buf_free(&g2.body);
	free(g2.validator);
out1:
	buf_free(&g1.body);
	free(g1.validator);
	free(eff);
	return rc;
}

/* The ID3 tag at the front of a local file (empty when it has none). */
static int file_id3(const char *path, struct buf *tag, struct buf *head, struct err *e)
{
	unsigned char hdr[10];
	size_t n, size;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		err_set(e, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(hdr, 1, sizeof hdr, f);
	buf_append(head, hdr, n);
	size = id3_tag_size(hdr, n);
	if (size > TAG_MAX_BYTES) {
		fclose(f);
		err_set(e, "%s: ID3 tag of %zu bytes is too large", path, size);
		return -1;
	}
	if (size > 0) {
		if (buf_reserve(tag, size) < 0) {
			fclose(f);
			err_set(e, "%s: out of memory", path);
			return -1;
		}
		memcpy(tag->data, hdr, n);
		tag->len = n + fread(tag->data + n, 1, size - n, f);
		tag->data[tag->len] = '\0';
	}
	fclose(f);
	return 0;
}

static bool looks_json(const struct buf *b)
{
	size_t i = 0;

	if (b->len >= 3 && memcmp(b->data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < b->len && (b->data[i] == ' ' || b->data[i] == '\n' || b->data[i] == '\r' ||
	                      b->data[i] == '\t'))
		i++;
	return i < b->len && b->data[i] == '{';
}

static struct chapters *read_chapters(const char *src, struct err *e)
{
	struct buf tag = {0}, head = {0}, doc = {0};
	struct chapters *c = NULL;
	char *ctype = NULL;
	struct err pe = {{0}};
	bool json = transcript_format_from_name(src) == TRANSCRIPT_JSON;

	if (!json) {
		if ((is_url(src) ? http_id3(src, &tag, &head, e) : file_id3(src, &tag, &head, e)) <
		    0)
			goto out;
		if (tag.len > 0) {
			c = chapters_from_id3((const unsigned char *)tag.data, tag.len, &pe);
			if (c == NULL)
				err_set(e, "%s: %s", src, pe.msg);
			goto out;
		}
		if (!looks_json(&head)) {
			/* Audio without a tag: no chapters. */
			c = calloc(1, sizeof *c);
			goto out;
		}
	}
	if (read_doc(src, &doc, &ctype, e) < 0)
		goto out;
	c = chapters_from_json(doc.data ? doc.data : "", doc.len, &pe);
	if (c == NULL)
		err_set(e, "%s: %s", src, pe.msg);
out:
	free(ctype);
	buf_free(&tag);
	buf_free(&head);
	buf_free(&doc);
	return c;
}

int cmd_chapters(int argc, char **argv)
{
	const char *src = NULL;
	bool json = false;
	struct err e = {{0}};
	struct chapters *c;
	char tbuf[16];
	size_t i;
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0) {
			json = true;
		} else if (argv[k][0] == '-' && argv[k][1] != '\0') {
			cli_error("chapters: %s: unknown option", argv[k]);
			cli_usage("chapters", true);
			return CLI_USAGE;
		} else if (src == NULL) {
			src = argv[k];
		} else {
			cli_error("chapters: %s: only one file at a time", argv[k]);
			return CLI_USAGE;
		}
	}
	if (src == NULL) {
		cli_usage("chapters", true);
		return CLI_USAGE;
	}
	c = read_chapters(src, &e);
	if (c == NULL) {
		cli_error("%s", e.msg[0] ? e.msg : "out of memory");
		return CLI_FAIL;
	}
	if (json) {
		k = print_json(chapters_to_json(c), src);
		chapters_free(c);
		return k;
	}
	for (i = 0; i < c->n; i++)
		printf("%s%8s  %s\n", c->v[i].toc ? " " : "-",
		       time_format(c->v[i].start, tbuf, sizeof tbuf),
		       c->v[i].title ? c->v[i].title : "(untitled)");
	chapters_free(c);
	return CLI_OK;
}

/* ---- hark search ---- */

int cmd_search(int argc, char **argv)
{
	struct buf text = {0};
	bool json = false;
	struct err e = {{0}};
	struct search_results r;
	struct store *st;
	char tbuf[16];
	size_t i;
	int k, rc;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[k], "--") == 0) {
			for (k++; k < argc; k++)
				buf_printf(&text, "%s%s", text.len ? " " : "", argv[k]);
		} else if (argv[k][0] == '-' && argv[k][1] != '\0') {
			cli_error("search: %s: unknown option", argv[k]);
			cli_usage("search", true);
			buf_free(&text);
			return CLI_USAGE;
		} else {
			buf_printf(&text, "%s%s", text.len ? " " : "", argv[k]);
		}
	}
	if (text.len == 0) {
		cli_usage("search", true);
		return CLI_USAGE;
	}
	st = cli_open_store(&e);
	if (st == NULL) {
		cli_error("%s", e.msg);
		buf_free(&text);
		return CLI_FAIL;
	}
	rc = search_query(st, text.data, 0, &r, &e);
	store_close(st);
	buf_free(&text);
	if (rc < 0) {
		cli_error("%s", e.msg);
		return CLI_FAIL;
	}
	if (json) {
		k = print_json(search_results_to_json(&r), "search");
		search_results_free(&r);
		return k;
	}
	for (i = 0; i < r.n; i++) {
		const struct search_result *h = &r.v[i];

		printf("%lld  %s — %s", (long long)h->episode_id,
		       h->feed_title ? cli_shown(h->feed_title) : "(untitled feed)",
		       h->episode_title ? cli_shown(h->episode_title) : "(untitled)");
		if (h->kind == SEARCH_CUE)
			printf("  [%s]", time_format(h->time, tbuf, sizeof tbuf));
		printf("\n    %s\n", h->snippet);
	}
	if (r.n == 0)
		printf("no matches\n");
	search_results_free(&r);
	return CLI_OK;
}
