/* test_opml.c - OPML import (nested outlines, broken files, the corpus) and
 * export that reads back to the same set. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hark/opml.h"
#include "tap.h"

static int parse_str(const char *s, struct opml *o, struct err *e)
{
	return opml_parse(s, strlen(s), o, e);
}

static void test_nested(void)
{
	const char *doc = "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>Mine</title>"
	                  "</head><body>"
	                  "<outline text=\"top\" xmlUrl=\"https://a.example/feed\"/>"
	                  "<outline text=\"folder\">"
	                  " <outline text=\"sub\">"
	                  "  <outline text=\"deep\"><outline title=\"Deepest\" text=\"ignored\""
	                  "   xmlUrl=\" https://d.example/rss \" htmlUrl=\"https://d.example/\"/>"
	                  "  </outline></outline>"
	                  " <outline text=\"no url here\"/>"
	                  " <outline text=\"dup\" xmlUrl=\"https://a.example/feed\"/>"
	                  " <outline text=\"B &amp; C\" xmlurl=\"https://b.example/?a=1&amp;b=2\"/>"
	                  "</outline></body></opml>";
	struct opml o;
	struct err e;

	ok(parse_str(doc, &o, &e) == 0, "nested OPML parses");
	is_num((double)o.n, 3, "three feeds: folders and duplicates skipped");
	is_str(o.title, "Mine", "head title");
	if (o.n == 3) {
		is_str(o.feeds[0].xml_url, "https://a.example/feed", "first feed");
		is_str(o.feeds[0].title, "top", "text when no title");
		is_str(o.feeds[1].xml_url, "https://d.example/rss", "deep feed, URL trimmed");
		is_str(o.feeds[1].title, "Deepest", "title preferred over text");
		is_str(o.feeds[1].html_url, "https://d.example/", "htmlUrl");
		is_str(o.feeds[2].xml_url, "https://b.example/?a=1&b=2", "entities decoded");
		is_str(o.feeds[2].title, "B & C", "xmlurl in any case");
	}
	opml_free(&o);
}

static void test_broken(void)
{
	struct opml o;
	struct err e;

	ok(parse_str("<opml><body><outline", &o, &e) < 0 && strstr(e.msg, "well-formed"),
	   "truncated XML: %s", e.msg);
	ok(parse_str("<rss><channel/></rss>", &o, &e) < 0 && strstr(e.msg, "<rss>"), "not OPML: %s",
	   e.msg);
	ok(parse_str("<opml version=\"1.0\"><head/></opml>", &o, &e) < 0 && strstr(e.msg, "body"),
	   "no body: %s", e.msg);
	ok(parse_str("<opml><body/></opml>", &o, &e) == 0 && o.n == 0, "empty body: no feeds");
	opml_free(&o);
	ok(parse_str("<opml><body><outline text=\"\x1b[31mred\" xmlUrl=\"https://x/\"/>"
	             "</body></opml>",
	             &o, &e) < 0 ||
	           (o.n == 1 && strchr(o.feeds[0].title, '\x1b') == NULL),
	   "no escape character reaches a title");
	opml_free(&o);
}

/* An entity bomb must fail or stay small, never expand a billion times. */
static void test_bomb(void)
{
	const char *bomb =
	        "<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY a \"aaaaaaaaaa\">"
	        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
	        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
	        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
	        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">"
	        "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>"
	        "<opml><body><outline text=\"&i;\" xmlUrl=\"https://x/&i;\"/></body></opml>";
	struct opml o;
	struct err e;
	int rc = parse_str(bomb, &o, &e);

	ok(rc < 0 || o.n == 0 || strlen(o.feeds[0].xml_url) < 100000,
	   "entity bomb refused or bounded (%s)", rc < 0 ? e.msg : "parsed");
	if (rc == 0)
		opml_free(&o);
}

static void test_roundtrip(void)
{
	struct opml_feed in[3] = {
	        {(char *)"https://a.example/feed?x=1&y=2", (char *)"A \"quoted\" <show> & more",
	         (char *)"https://a.example/"},
	        {(char *)"http://b.example/rss", (char *)"B\xc3\xa9\xe4\xb8\xad", NULL},
	        {(char *)"/home/u/local feed.xml", NULL, NULL},
	};
	struct opml o;
	struct err e;
	char *xml = opml_write(in, 3, "hark subscriptions");
	size_t i;

	ok(xml != NULL && strstr(xml, "version=\"2.0\"") && strstr(xml, "type=\"rss\""),
	   "OPML 2.0 written");
	ok(xml != NULL && parse_str(xml, &o, &e) == 0, "export parses back");
	is_num((double)o.n, 3, "same number of feeds");
	for (i = 0; i < 3 && i < o.n; i++) {
		is_str(o.feeds[i].xml_url, in[i].xml_url, "xmlUrl round trip");
		is_str(o.feeds[i].title, in[i].title != NULL ? in[i].title : in[i].xml_url,
		       "title round trip");
		is_str(o.feeds[i].html_url, in[i].html_url, "htmlUrl round trip");
	}
	opml_free(&o);
	free(xml);
	xml = opml_write(NULL, 0, NULL);
	ok(xml != NULL && parse_str(xml, &o, &e) == 0 && o.n == 0, "empty export round trip");
	opml_free(&o);
	free(xml);
}

/* Every corpus OPML file: the feed count, or a clear error. */
static void test_corpus(void)
{
	static const struct {
		const char *file;
		int n;           /* feeds, or -1 for an error */
		const char *err; /* substring of the error */
	} want[] = {
	        {"castero-broken_no_body.xml", -1, "body"},
	        {"castero-broken_no_container.xml", 2, NULL},
	        {"castero-broken_no_outline.xml", 0, NULL},
	        {"castero-broken_parse.xml", -1, "well-formed"},
	        {"castero-valid_base.xml", 2, NULL},
	        {"castero-valid_complete.xml", 2, NULL},
	        {"castero-valid_minimal.xml", 0, NULL},
	        {"castero-valid_no_head.xml", 2, NULL},
	        {"newsboat-body-element-missing.opml", -1, "body"},
	        {"newsboat-category.opml", 1, NULL},
	        {"newsboat-example.opml", 7, NULL},
	        {"newsboat-example2.opml", 7, NULL},
	        {"newsboat-filtered.opml", 2, NULL},
	        {"newsboat-opml-element-missing.opml", -1, "not-opml"},
	        {"newsboat-piped.opml", 2, NULL},
	        {"newsboat-test-urls+.opml", 4, NULL},
	};
	const char *corpus = getenv("HARK_CORPUS");
	const char *ci = getenv("CI");
	size_t i;

	if (corpus == NULL || corpus[0] == '\0') {
		bool in_ci = ci != NULL && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);

		ok(!in_ci, "HARK_CORPUS is set (required in CI)");
		if (!in_ci)
			printf("ok %d # SKIP no HARK_CORPUS\n", ++tap_n);
		return;
	}
	for (i = 0; i < HARK_ARRAY_LEN(want); i++) {
		char *path = str_printf("%s/opml/%s", corpus, want[i].file);
		struct opml o;
		struct err e;
		int rc = opml_parse_file(path, &o, &e);

		if (want[i].n < 0)
			ok(rc < 0 && strstr(e.msg, want[i].err) != NULL && strstr(e.msg, path),
			   "%s fails clearly: %s", want[i].file, rc < 0 ? e.msg : "parsed");
		else
			ok(rc == 0 && o.n == (size_t)want[i].n, "%s: %d feeds (got %zu%s%s)",
			   want[i].file, want[i].n, rc == 0 ? o.n : 0, rc < 0 ? ", " : "",
			   rc < 0 ? e.msg : "");
		if (rc == 0)
			opml_free(&o);
		free(path);
	}
}

int main(void)
{
	test_nested();
	test_broken();
	test_bomb();
	test_roundtrip();
	test_corpus();
	return tap_done();
}
