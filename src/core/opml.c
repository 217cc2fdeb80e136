/* opml.c - read and write OPML subscription lists with libxml2. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hark/opml.h"

/* An attribute by name, ASCII case-insensitive (xmlUrl, xmlurl, XMLURL). */
static char *attr_ci(xmlNode *n, const char *name)
{
	xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (strcasecmp((const char *)a->name, name) == 0) {
			xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
			char *s = str_dup(v != NULL ? (const char *)v : "");

			xmlFree(v);
			return s;
		}
	}
	return NULL;
}

static bool is_elem(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

static xmlNode *child(xmlNode *parent, const char *name)
{
	xmlNode *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

static bool have_url(const struct opml *o, const char *url)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->feeds[i].xml_url, url) == 0)
			return true;
	return false;
}

/* Sanitized, trimmed, NULL when empty. Frees s. */
static char *clean(char *s)
{
	char *t;

	if (s == NULL)
		return NULL;
	t = text_sanitize(str_trim(s), false);
	free(s);
	if (t != NULL && t[0] == '\0') {
		free(t);
		t = NULL;
	}
	return t;
}

/* Collect every outline with an xmlUrl below parent, depth first. */
static int walk(xmlNode *parent, struct opml *o, size_t *cap, int depth, struct err *e)
{
	xmlNode *c;

	if (depth > 1000) {
		err_set(e, "outlines nested too deeply");
		return -1;
	}
	for (c = parent->children; c != NULL; c = c->next) {
		char *url;

		if (!is_elem(c, "outline"))
			continue;
		url = clean(attr_ci(c, "xmlUrl"));
		if (url != NULL && !have_url(o, url)) {
			struct opml_feed *f;

			if (o->n == *cap) {
				size_t ncap = *cap ? *cap * 2 : 16;

				f = realloc(o->feeds, ncap * sizeof *f);
				if (f == NULL) {
					free(url);
					err_set(e, "out of memory");
					return -1;
				}
				o->feeds = f;
				*cap = ncap;
			}
			f = &o->feeds[o->n++];
			f->xml_url = url;
			f->title = clean(attr_ci(c, "title"));
			if (f->title == NULL)
				f->title = clean(attr_ci(c, "text"));
			f->html_url = clean(attr_ci(c, "htmlUrl"));
			url = NULL;
		}
		free(url);
		if (walk(c, o, cap, depth + 1, e) < 0)
			return -1;
	}
	return 0;
}

int opml_parse(const char *data, size_t len, struct opml *out, struct err *e)
{
	xmlDoc *doc;
	xmlNode *root, *head, *body, *t;
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	if (len > INT32_MAX) {
		err_set(e, "file too large");
		return -1;
	}
	/* No NOENT (no entity substitution), no DTD loading, no network. */
	doc = xmlReadMemory(data, (int)len, NULL, NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                            XML_PARSE_NOCDATA);
	if (doc == NULL) {
		const xmlError *x = xmlGetLastError();
		char *why = x != NULL && x->message ? text_sanitize(x->message, false) : NULL;

		err_set(e, "not well-formed XML (line %d: %s)", x != NULL ? x->line : 0,
		        why != NULL ? why : "parse error");
		free(why);
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, "opml")) {
		char *name = root != NULL ? text_sanitize((const char *)root->name, false) : NULL;

		err_set(e, "not an OPML file (root element <%s>)", name != NULL ? name : "none");
		free(name);
		xmlFreeDoc(doc);
		return -1;
	}
	body = child(root, "body");
	if (body == NULL) {
		err_set(e, "not an OPML file (no <body> element)");
		xmlFreeDoc(doc);
		return -1;
	}
	head = child(root, "head");
	if (head != NULL && (t = child(head, "title")) != NULL) {
		xmlChar *v = xmlNodeGetContent(t);

		out->title = clean(str_dup((const char *)v));
		xmlFree(v);
	}
	if (walk(body, out, &cap, 0, e) < 0) {
		opml_free(out);
		xmlFreeDoc(doc);
		return -1;
	}
	xmlFreeDoc(doc);
	return 0;
}

int opml_parse_file(const char *path, struct opml *out, struct err *e)
{
	struct buf b = {0};
	struct err pe;

	memset(out, 0, sizeof *out);
	if (file_read_all(path, (size_t)64 * 1024 * 1024, &b, e) < 0)
		return -1;
	if (opml_parse(b.data != NULL ? b.data : "", b.len, out, &pe) < 0) {
		err_set(e, "%s: %s", path, pe.msg);
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	return 0;
}

void opml_free(struct opml *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->n; i++) {
		free(o->feeds[i].xml_url);
		free(o->feeds[i].title);
		free(o->feeds[i].html_url);
	}
	free(o->feeds);
	free(o->title);
	memset(o, 0, sizeof *o);
}

char *opml_write(const struct opml_feed *feeds, size_t n, const char *title)
{
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *root, *head, *body;
	xmlChar *mem = NULL;
	char date[64], *out;
	time_t now = time(NULL);
	struct tm tm;
	int len = 0;
	size_t i;

	if (doc == NULL)
		return NULL;
	root = xmlNewNode(NULL, BAD_CAST "opml");
	xmlSetProp(root, BAD_CAST "version", BAD_CAST "2.0");
	xmlDocSetRootElement(doc, root);
	head = xmlNewChild(root, NULL, BAD_CAST "head", NULL);
	xmlNewTextChild(head, NULL, BAD_CAST "title",
	                BAD_CAST(title != NULL ? title : "hark subscriptions"));
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	xmlNewTextChild(head, NULL, BAD_CAST "dateCreated", BAD_CAST date);
	body = xmlNewChild(root, NULL, BAD_CAST "body", NULL);
	for (i = 0; i < n; i++) {
		xmlNode *o = xmlNewChild(body, NULL, BAD_CAST "outline", NULL);
		const char *t = feeds[i].title != NULL ? feeds[i].title : feeds[i].xml_url;

		xmlSetProp(o, BAD_CAST "type", BAD_CAST "rss");
		xmlSetProp(o, BAD_CAST "text", BAD_CAST t);
		xmlSetProp(o, BAD_CAST "title", BAD_CAST t);
		xmlSetProp(o, BAD_CAST "xmlUrl", BAD_CAST feeds[i].xml_url);
		if (feeds[i].html_url != NULL)
			xmlSetProp(o, BAD_CAST "htmlUrl", BAD_CAST feeds[i].html_url);
	}
	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	xmlFreeDoc(doc);
	out = mem != NULL ? str_ndup((const char *)mem, (size_t)len) : NULL;
	xmlFree(mem);
	return out;
}
