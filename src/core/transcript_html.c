/* transcript_html.c - Podcasting 2.0 HTML transcripts: <cite> speaker,
 * <time> start, <p> text, read with libxml2's HTML parser. */
#include "config.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "transcript_int.h"

/* Nesting deeper than this is not followed (hostile documents). */
#define HTML_MAX_DEPTH 200

struct html_ctx {
	struct tx_build *tb;
	char *speaker; /* pending <cite>, kept for the following paragraphs */
	double start;  /* pending <time>, or the last one used */
	bool fresh;    /* start came from a <time> not yet used */
	int oom;
};

/* Text of a node with white space collapsed to single spaces. */
static int collect_plain(xmlNode *n, struct buf *b, int depth)
{
	xmlNode *c;

	if (depth > HTML_MAX_DEPTH)
		return 0;
	for (c = n; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			const char *p = (const char *)c->content;

			for (; p && *p; p++) {
				bool ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
				          *p == '\f';

				if (ws && b->len > 0 && b->data[b->len - 1] != ' ' &&
				    b->data[b->len - 1] != '\n') {
					if (buf_putc(b, ' ') < 0)
						return -1;
				} else if (!ws && buf_putc(b, *p) < 0) {
					return -1;
				}
			}
		} else if (c->type == XML_ELEMENT_NODE) {
			if (xmlStrcasecmp(c->name, (const xmlChar *)"br") == 0) {
				while (b->len > 0 && b->data[b->len - 1] == ' ')
					b->data[--b->len] = '\0';
				if (buf_putc(b, '\n') < 0)
					return -1;
			} else if (xmlStrcasecmp(c->name, (const xmlChar *)"script") != 0 &&
			           xmlStrcasecmp(c->name, (const xmlChar *)"style") != 0 &&
			           collect_plain(c->children, b, depth + 1) < 0) {
				return -1;
			}
		}
	}
	return 0;
}

static char *node_text(xmlNode *n)
{
	struct buf b = {0};

	if (buf_puts(&b, "") < 0 || collect_plain(n->children, &b, 0) < 0) {
		buf_free(&b);
		return NULL;
	}
	return str_trim(buf_steal(&b));
}

static void take_cite(struct html_ctx *cx, xmlNode *n)
{
	char *s = node_text(n);
	size_t len;

	if (s == NULL) {
		cx->oom = 1;
		return;
	}
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ':' || s[len - 1] == ' '))
		s[--len] = '\0';
	free(cx->speaker);
	cx->speaker = s;
}

static void take_time(struct html_ctx *cx, xmlNode *n)
{
	char *s = node_text(n);
	double t = s ? time_parse_clock(s) : -1;
	xmlChar *dt;

	free(s);
	if (t < 0) {
		dt = xmlGetProp(n, (const xmlChar *)"datetime");
		if (dt != NULL)
			t = time_parse_clock((const char *)dt);
		xmlFree(dt);
	}
	if (t >= 0) {
		cx->start = t;
		cx->fresh = true;
	}
}

/* A paragraph's text; <cite>/<time> inside it set its speaker/start. */
static int collect_para(struct html_ctx *cx, xmlNode *n, struct buf *b, int depth)
{
	xmlNode *c;

	for (c = n; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrcasecmp(c->name, (const xmlChar *)"cite") == 0) {
			take_cite(cx, c);
		} else if (c->type == XML_ELEMENT_NODE &&
		           xmlStrcasecmp(c->name, (const xmlChar *)"time") == 0) {
			take_time(cx, c);
		} else {
			xmlNode *next = c->next;
			int rc;

			c->next = NULL; /* collect just this node */
			rc = collect_plain(c, b, depth);
			c->next = next;
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static void walk(struct html_ctx *cx, xmlNode *n, int depth)
{
	xmlNode *c;

	if (depth > HTML_MAX_DEPTH)
		return;
	for (c = n; c != NULL && !cx->oom; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcasecmp(c->name, (const xmlChar *)"cite") == 0) {
			take_cite(cx, c);
		} else if (xmlStrcasecmp(c->name, (const xmlChar *)"time") == 0) {
			take_time(cx, c);
		} else if (xmlStrcasecmp(c->name, (const xmlChar *)"p") == 0) {
			struct buf b = {0};

			if (buf_puts(&b, "") < 0 || collect_para(cx, c->children, &b, depth) < 0 ||
			    tx_add(cx->tb, cx->start, -1, cx->speaker, str_trim(b.data), NULL, 0) <
			            0)
				cx->oom = 1;
			cx->fresh = false;
			buf_free(&b);
		} else if (xmlStrcasecmp(c->name, (const xmlChar *)"script") != 0 &&
		           xmlStrcasecmp(c->name, (const xmlChar *)"style") != 0 &&
		           xmlStrcasecmp(c->name, (const xmlChar *)"head") != 0) {
			walk(cx, c->children, depth + 1);
		}
	}
}

struct transcript *tx_parse_html(const char *data, size_t len, struct err *e)
{
	struct tx_build tb = {0};
	struct html_ctx cx = {&tb, NULL, -1, false, 0};
	htmlDocPtr doc;

	if (len > (size_t)INT32_MAX) {
		err_set(e, "HTML: too large");
		return NULL;
	}
	doc = htmlReadMemory(data, (int)len, NULL, "UTF-8",
	                     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	                             HTML_PARSE_RECOVER);
	if (doc == NULL) {
		err_set(e, "HTML: not a document");
		return NULL;
	}
	walk(&cx, xmlDocGetRootElement(doc) ? doc->children : NULL, 0);
	xmlFreeDoc(doc);
	free(cx.speaker);
	if (cx.oom) {
		err_set(e, "HTML: out of memory");
		tx_build_free(&tb);
		return NULL;
	}
	return tx_finish(&tb);
}
