/* html.c - feed descriptions from HTML to plain text.
 *
 * libxml2's HTML parser builds the tree (it decodes entities and repairs tag
 * soup); a walk over it writes text into a buffer, tracking how many
 * newlines the output ends with and how many the next block wants, so that
 * block elements come out blank-line separated without piling up empty
 * lines. Links become numbered references listed at the end. */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "hark/html.h"
#include "hark/util.h"

#define HTML_MAX_DEPTH 200
#define HTML_MAX_LINKS 1000

struct conv {
	struct buf out;
	int trailing_nl; /* newlines at the end of out */
	int need;        /* newlines the next text wants before it (1 or 2) */
	bool space;      /* a collapsed space is pending */
	int pre;         /* inside <pre> */
	int list_depth;
	char **links;
	size_t n_links;
	bool oom;
};

struct list_ctx {
	bool ordered;
	int counter;
};

static void conv_put(struct conv *c, const char *s, size_t n)
{
	if (n && buf_append(&c->out, s, n) < 0)
		c->oom = true;
}

/* Honour a pending block break or space before visible output. */
static void conv_flush(struct conv *c)
{
	if (c->out.len == 0) {
		c->need = 0;
		c->space = false;
		return;
	}
	if (c->need > 0) {
		while (c->trailing_nl < c->need) {
			conv_put(c, "\n", 1);
			c->trailing_nl++;
		}
		c->need = 0;
		c->space = false;
	} else if (c->space && c->trailing_nl == 0) {
		conv_put(c, " ", 1);
	}
	c->space = false;
}

/* Literal output (list markers, link numbers). */
static void conv_raw(struct conv *c, const char *s)
{
	conv_flush(c);
	conv_put(c, s, strlen(s));
	c->trailing_nl = 0;
}

static void conv_block(struct conv *c, int n)
{
	if (c->need < n)
		c->need = n;
}

static void conv_newline(struct conv *c)
{
	if (c->out.len == 0)
		return;
	if (c->need > 0)
		conv_flush(c);
	if (c->trailing_nl < 2) {
		conv_put(c, "\n", 1);
		c->trailing_nl++;
	}
	c->space = false;
}

/* Text content: whitespace (and U+00A0) collapses outside <pre>. */
static void conv_text(struct conv *c, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t ws = 0;

		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
			ws = 1;
		else if (p[0] == 0xC2 && p[1] == 0xA0)
			ws = 2;
		if (c->pre) {
			if (*p == '\n') {
				conv_flush(c);
				conv_put(c, "\n", 1);
				c->trailing_nl++;
				p++;
				continue;
			}
			if (ws) {
				conv_flush(c);
				conv_put(c, " ", 1);
				c->trailing_nl = 0;
				p += ws;
				continue;
			}
		} else if (ws) {
			c->space = true;
			p += ws;
			continue;
		}
		{
			const unsigned char *q = p;

			while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' &&
			       *q != '\f' && !(q[0] == 0xC2 && q[1] == 0xA0))
				q++;
			conv_flush(c);
			conv_put(c, (const char *)p, (size_t)(q - p));
			c->trailing_nl = 0;
			p = q;
		}
	}
}

static bool name_is(const xmlNode *n, const char *name)
{
	return n->name && strcasecmp((const char *)n->name, name) == 0;
}

static bool name_in(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (name_is(n, *names))
			return true;
	return false;
}

static const char *const skip_tags[] = {"script", "style",  "head",  "noscript", "template",
                                        "iframe", "object", "embed", "svg",      "math",
                                        "select", "button", "title", NULL};
static const char *const block_tags[] = {
        "p",       "div",        "h1",      "h2",      "h3",       "h4",         "h5",   "h6",
        "section", "article",    "header",  "footer",  "aside",    "nav",        "main", "address",
        "figure",  "figcaption", "table",   "form",    "fieldset", "blockquote", "pre",  "dl",
        "hr",      "center",     "details", "summary", NULL};

/* Number of the link url, adding it when new (0 when full or OOM). */
static size_t conv_link(struct conv *c, const char *url)
{
	char **nl;

	for (size_t i = 0; i < c->n_links; i++)
		if (strcmp(c->links[i], url) == 0)
			return i + 1;
	if (c->n_links >= HTML_MAX_LINKS)
		return 0;
	nl = realloc(c->links, (c->n_links + 1) * sizeof(*nl));
	if (nl == NULL) {
		c->oom = true;
		return 0;
	}
	c->links = nl;
	c->links[c->n_links] = str_dup(url);
	if (c->links[c->n_links] == NULL) {
		c->oom = true;
		return 0;
	}
	return ++c->n_links;
}

static bool link_wanted(const char *href)
{
	return str_case_starts_with(href, "http://") || str_case_starts_with(href, "https://") ||
	       str_case_starts_with(href, "mailto:");
}

static void walk(struct conv *c, xmlNode *n, struct list_ctx *list, int depth);

static void walk_children(struct conv *c, xmlNode *n, struct list_ctx *list, int depth)
{
	for (xmlNode *k = n->children; k; k = k->next)
		walk(c, k, list, depth + 1);
}

static void walk_anchor(struct conv *c, xmlNode *n, struct list_ctx *list, int depth)
{
	size_t start = c->out.len;
	xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
	char *h = NULL;

	walk_children(c, n, list, depth);
	if (href)
		h = str_trim((char *)href);
	if (h && *h && link_wanted(h)) {
		const char *text = c->out.data ? c->out.data + start : "";
		size_t tl = c->out.len - start;
		const char *cmp = str_case_starts_with(h, "mailto:") ? h + 7 : h;

		while (tl && isspace((unsigned char)*text)) {
			text++;
			tl--;
		}
		/* A link whose text is its own URL needs no reference. */
		if (!(tl == strlen(cmp) && strncmp(text, cmp, tl) == 0) &&
		    !(tl == strlen(h) && strncmp(text, h, tl) == 0)) {
			size_t num = conv_link(c, h);
			char ref[32];

			if (num) {
				snprintf(ref, sizeof(ref), tl ? " [%zu]" : "[%zu]", num);
				if (c->need == 0)
					c->space = false;
				conv_raw(c, ref);
			}
		}
	}
	xmlFree(href);
}

/* Write node n (and its subtree) into c. */
static void walk(struct conv *c, xmlNode *n, struct list_ctx *list, int depth)
{
	if (c->oom)
		return;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			conv_text(c, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE &&
	    n->type != XML_HTML_DOCUMENT_NODE)
		return;
	if (n->type == XML_ELEMENT_NODE) {
		if (name_in(n, skip_tags))
			return;
		if (depth > HTML_MAX_DEPTH) { /* absurd nesting: just its text */
			xmlChar *t = xmlNodeGetContent(n);

			if (t)
				conv_text(c, (const char *)t);
			xmlFree(t);
			return;
		}
		if (name_is(n, "br")) {
			conv_newline(c);
			return;
		}
		if (name_is(n, "a")) {
			walk_anchor(c, n, list, depth);
			return;
		}
		if (name_is(n, "ul") || name_is(n, "ol") || name_is(n, "menu")) {
			struct list_ctx sub = {name_is(n, "ol"), 0};
			xmlChar *startp =
			        sub.ordered ? xmlGetProp(n, (const xmlChar *)"start") : NULL;

			if (startp) {
				sub.counter = atoi((const char *)startp) - 1;
				xmlFree(startp);
			}
			conv_block(c, c->list_depth ? 1 : 2);
			c->list_depth++;
			walk_children(c, n, &sub, depth);
			c->list_depth--;
			conv_block(c, c->list_depth ? 1 : 2);
			return;
		}
		if (name_is(n, "li")) {
			char mark[64];
			size_t indent = c->list_depth > 1 ? (size_t)(c->list_depth - 1) * 2 : 0;

			if (indent > 20)
				indent = 20;
			memset(mark, ' ', indent);
			if (list && list->ordered)
				snprintf(mark + indent, sizeof(mark) - indent, "%d. ",
				         ++list->counter);
			else
				snprintf(mark + indent, sizeof(mark) - indent, "\xe2\x80\xa2 ");
			conv_block(c, 1);
			conv_raw(c, mark);
			walk_children(c, n, NULL, depth);
			conv_block(c, 1);
			return;
		}
		if (name_is(n, "tr") || name_is(n, "dt") || name_is(n, "dd") ||
		    name_is(n, "caption")) {
			conv_block(c, 1);
			walk_children(c, n, list, depth);
			conv_block(c, 1);
			return;
		}
		if (name_is(n, "td") || name_is(n, "th")) {
			c->space = true;
			walk_children(c, n, list, depth);
			c->space = true;
			return;
		}
		if (name_in(n, block_tags)) {
			bool pre = name_is(n, "pre");

			conv_block(c, 2);
			c->pre += pre;
			walk_children(c, n, list, depth);
			c->pre -= pre;
			conv_block(c, 2);
			return;
		}
	}
	walk_children(c, n, list, depth);
}

/* Trim spaces at line ends, collapse 3+ newlines to 2, trim the ends; in
 * place (the result is never longer). Returns s. */
static char *tidy_lines(char *s)
{
	char *w = s;
	const char *r = s;
	int nl = 0;
	size_t sp = 0;

	while (*r == '\n' || *r == ' ')
		r++;
	for (; *r; r++) {
		if (*r == ' ') {
			sp++;
			continue;
		}
		if (*r == '\n') {
			sp = 0;
			nl++;
			continue;
		}
		if (nl) {
			*w++ = '\n';
			if (nl >= 2)
				*w++ = '\n';
			nl = 0;
		}
		while (sp) {
			*w++ = ' ';
			sp--;
		}
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

bool html_has_markup(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] == '<' && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/' ||
		                    s[i + 1] == '!' || s[i + 1] == '?'))
			return true;
		if (s[i] == '&') {
			size_t j = i + 1;

			if (j < len && s[j] == '#')
				j++;
			while (j < len && j - i < 12 && isalnum((unsigned char)s[j]))
				j++;
			if (j < len && j > i + 1 && s[j] == ';')
				return true;
		}
	}
	return false;
}

char *html_plain_text(const char *text, size_t len)
{
	struct buf b = {0};
	char *san;

	for (size_t i = 0; i < len; i++) {
		char ch = text[i];

		if (ch == '\r') {
			if (i + 1 < len && text[i + 1] == '\n')
				continue;
			ch = '\n';
		}
		if (ch == '\0')
			continue;
		buf_putc(&b, ch);
	}
	san = text_sanitize(b.data ? b.data : "", true);
	buf_free(&b);
	if (san == NULL)
		return NULL;
	/* collapse runs of spaces inside lines */
	{
		char *w = san;
		bool sp = false;

		for (char *r = san; *r; r++) {
			if (*r == ' ') {
				sp = true;
				continue;
			}
			if (sp && w != san && *r != '\n' && w[-1] != '\n')
				*w++ = ' ';
			sp = false;
			*w++ = *r;
		}
		*w = '\0';
	}
	return tidy_lines(san);
}

char *html_to_text(const char *html, size_t len)
{
	struct conv c = {0};
	htmlDocPtr doc;
	char *san;
	struct buf in = {0};
	const char *src = html;
	size_t srclen = len;

	if (html == NULL || len == 0)
		return str_dup("");
	if (!html_has_markup(html, len))
		return html_plain_text(html, len);
	if (memchr(html, '<', len) == NULL) {
		/* Entities but no tags: plain text whose breaks must survive. */
		for (size_t i = 0; i < len; i++) {
			if (html[i] == '\n')
				buf_puts(&in, "<br>\n");
			else if (html[i] != '\r')
				buf_putc(&in, html[i]);
		}
		src = in.data ? in.data : "";
		srclen = in.len;
	}
	doc = htmlReadMemory(src, (int)(srclen > 0x7fffffff ? 0x7fffffff : srclen), NULL, "UTF-8",
	                     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                             HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
	buf_free(&in);
	if (doc == NULL)
		return html_plain_text(html, len);
	walk(&c, (xmlNode *)doc, NULL, 0);
	xmlFreeDoc(doc);
	if (c.n_links) {
		conv_block(&c, 2);
		for (size_t i = 0; i < c.n_links; i++) {
			char num[32];

			snprintf(num, sizeof(num), "[%zu] ", i + 1);
			conv_block(&c, i ? 1 : 2);
			conv_raw(&c, num);
			conv_put(&c, c.links[i], strlen(c.links[i]));
			c.trailing_nl = 0;
		}
	}
	for (size_t i = 0; i < c.n_links; i++)
		free(c.links[i]);
	free(c.links);
	if (c.oom) {
		buf_free(&c.out);
		return NULL;
	}
	san = text_sanitize(c.out.data ? c.out.data : "", true);
	buf_free(&c.out);
	if (san == NULL)
		return NULL;
	return tidy_lines(san);
}
