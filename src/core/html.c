/* html.c - feed descriptions from HTML to plain text.
 *
 * libxml2's HTML parser reads the markup (it decodes entities and repairs
 * tag soup) and reports it as SAX events; no tree is built. The handlers
 * keep a stack of the open elements and write text into a buffer, tracking
 * how many newlines the output ends with and how many the next block wants,
 * so that block elements come out blank-line separated without piling up
 * empty lines. Links become numbered references listed at the end. */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
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
	struct frame *open; /* the elements open at this point of the parse */
	size_t n_open, cap_open;
	size_t skip; /* inside a dropped element (its 1-based frame), else 0 */
	size_t raw;  /* inside absurdly deep nesting: text only */
	struct tag_cache *cache;
};

/* The class of the element names seen lately, kept by a reused converter:
 * one hash and one comparison instead of comparing a name with forty tag
 * names every time. */
#define TAG_CACHE 64
struct tag_cache {
	char copy[TAG_CACHE][16];
	unsigned char tag[TAG_CACHE];
};

/* One open element: what its end has to do. */
struct frame {
	int tag;        /* enum tag */
	int list;       /* frame index of the list this element is in, -1 none */
	int child_list; /* the list its children are in */
	bool ordered;   /* lists: <ol> */
	int counter;    /* lists: last number used */
	size_t start;   /* <a>: output offset of its text */
	char *href;     /* <a> */
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
static void conv_text(struct conv *c, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		size_t ws = 0;

		if (!c->pre && *p > ' ' && *p != 0xC2) {
			/* Fast path: words separated by single spaces come out as
			 * they are (the word-by-word path below would write the
			 * same bytes). Stops at other whitespace, a double space,
			 * a possible U+00A0 or the end. */
			const unsigned char *q = p;

			while (q<end && * q> ' ' && *q != 0xC2) {
				q++;
				if (q + 1 < end && *q == ' ' && q[1] > ' ' && q[1] != 0xC2)
					q++;
			}
			conv_flush(c);
			conv_put(c, (const char *)p, (size_t)(q - p));
			c->trailing_nl = 0;
			p = q;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
			ws = 1;
		else if (p[0] == 0xC2 && p + 1 < end && p[1] == 0xA0)
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

			while (q < end && *q && *q != ' ' && *q != '\t' && *q != '\n' &&
			       *q != '\r' && *q != '\f' &&
			       !(q[0] == 0xC2 && q + 1 < end && q[1] == 0xA0))
				q++;
			if (q == p) { /* a NUL byte */
				p++;
				continue;
			}
			conv_flush(c);
			conv_put(c, (const char *)p, (size_t)(q - p));
			c->trailing_nl = 0;
			p = q;
		}
	}
}

/* Element classes the converter treats differently. */
enum tag {
	TAG_OTHER,
	TAG_SKIP, /* dropped with everything inside */
	TAG_BLOCK,
	TAG_PRE,
	TAG_BR,
	TAG_A,
	TAG_LIST,
	TAG_LI,
	TAG_LINE, /* tr, dt, dd, caption */
	TAG_CELL, /* td, th */
};

static const char *const skip_tags[] = {"script", "style",  "head",  "noscript", "template",
                                        "iframe", "object", "embed", "svg",      "math",
                                        "select", "button", "title", NULL};
static const char *const block_tags[] = {
        "p",       "div",        "h1",      "h2",      "h3",       "h4",         "h5",   "h6",
        "section", "article",    "header",  "footer",  "aside",    "nav",        "main", "address",
        "figure",  "figcaption", "table",   "form",    "fieldset", "blockquote", "pre",  "dl",
        "hr",      "center",     "details", "summary", NULL};

static bool name_in(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (strcasecmp(name, *names) == 0)
			return true;
	return false;
}

static enum tag classify(const char *name)
{
	if (name_in(name, skip_tags))
		return TAG_SKIP;
	if (!strcasecmp(name, "br"))
		return TAG_BR;
	if (!strcasecmp(name, "a"))
		return TAG_A;
	if (!strcasecmp(name, "ul") || !strcasecmp(name, "ol") || !strcasecmp(name, "menu"))
		return TAG_LIST;
	if (!strcasecmp(name, "li"))
		return TAG_LI;
	if (!strcasecmp(name, "tr") || !strcasecmp(name, "dt") || !strcasecmp(name, "dd") ||
	    !strcasecmp(name, "caption"))
		return TAG_LINE;
	if (!strcasecmp(name, "td") || !strcasecmp(name, "th"))
		return TAG_CELL;
	if (!strcasecmp(name, "pre"))
		return TAG_PRE;
	if (name_in(name, block_tags))
		return TAG_BLOCK;
	return TAG_OTHER;
}

static enum tag classify_cached(struct tag_cache *tc, const char *name)
{
	size_t i, n;
	enum tag t;

	if (tc == NULL)
		return classify(name);
	n = strlen(name);
	i = (n * 31u + (unsigned char)name[0] * 7u + (n > 1 ? (unsigned char)name[n - 1] : 0u)) %
	    TAG_CACHE;
	if (tc->copy[i][0] && strcmp(tc->copy[i], name) == 0)
		return (enum tag)tc->tag[i];
	t = classify(name);
	if (n < sizeof(tc->copy[i])) {
		memcpy(tc->copy[i], name, n + 1);
		tc->tag[i] = (unsigned char)t;
	}
	return t;
}

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

/* The end of an <a>: its text is what was written since `start`. */
static void end_anchor(struct conv *c, size_t start, char *href)
{
	char *h = href ? str_trim(href) : NULL;

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
}

static const char *att_get(const xmlChar **atts, const char *name, bool *present)
{
	*present = false;
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (strcasecmp((const char *)atts[i], name) == 0) {
			*present = true;
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
		}
	return NULL;
}

/* SAX start of an element: what a walk of the tree does before the
 * element's children. */
static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct conv *c = ((xmlParserCtxtPtr)ctx)->_private;
	const char *name = (const char *)xname;
	struct frame *f;
	int depth = (int)c->n_open + 1; /* the document is depth 0 */

	if (c->oom)
		return;
	if (c->n_open == c->cap_open) {
		size_t ncap = c->cap_open ? c->cap_open * 2 : 32;
		struct frame *nv = realloc(c->open, ncap * sizeof(*nv));

		if (nv == NULL) {
			c->oom = true;
			return;
		}
		c->open = nv;
		c->cap_open = ncap;
	}
	f = &c->open[c->n_open++];
	memset(f, 0, sizeof(*f));
	f->list = c->n_open > 1 ? c->open[c->n_open - 2].child_list : -1;
	f->child_list = f->list;
	if (c->skip || c->raw) {
		f->tag = TAG_OTHER;
		return;
	}
	f->tag = name ? classify_cached(c->cache, name) : TAG_OTHER;
	if (f->tag == TAG_SKIP) {
		c->skip = c->n_open;
		return;
	}
	if (depth > HTML_MAX_DEPTH) { /* absurd nesting: just its text */
		f->tag = TAG_OTHER;
		c->raw = c->n_open;
		return;
	}
	switch (f->tag) {
	case TAG_BR:
		conv_newline(c);
		break;
	case TAG_A: {
		bool present;
		const char *h = att_get(atts, "href", &present);

		f->start = c->out.len;
		if (h && (f->href = str_dup(h)) == NULL)
			c->oom = true;
		break;
	}
	case TAG_LIST: {
		bool present;
		const char *startp;

		f->ordered = !strcasecmp(name, "ol");
		f->counter = 0;
		startp = f->ordered ? att_get(atts, "start", &present) : NULL;
		if (startp)
			f->counter = atoi(startp) - 1;
		f->child_list = (int)c->n_open - 1;
		conv_block(c, c->list_depth ? 1 : 2);
		c->list_depth++;
		break;
	}
	case TAG_LI: {
		char mark[64];
		size_t indent = c->list_depth > 1 ? (size_t)(c->list_depth - 1) * 2 : 0;
		struct frame *l = f->list >= 0 ? &c->open[f->list] : NULL;

		if (indent > 20)
			indent = 20;
		memset(mark, ' ', indent);
		if (l && l->ordered)
			snprintf(mark + indent, sizeof(mark) - indent, "%d. ", ++l->counter);
		else
			snprintf(mark + indent, sizeof(mark) - indent, "\xe2\x80\xa2 ");
		conv_block(c, 1);
		conv_raw(c, mark);
		f->child_list = -1;
		break;
	}
	case TAG_LINE:
		conv_block(c, 1);
		break;
	case TAG_CELL:
		c->space = true;
		break;
	case TAG_PRE:
		conv_block(c, 2);
		c->pre++;
		break;
	case TAG_BLOCK:
		conv_block(c, 2);
		break;
	default:
		break;
	}
}

/* Close the innermost open element: what the walk does after its children. */
static void close_top(struct conv *c)
{
	struct frame *f = &c->open[--c->n_open];

	if (c->skip > c->n_open)
		c->skip = 0;
	else if (c->raw > c->n_open)
		c->raw = 0;
	else if (!c->skip && !c->raw) {
		switch (f->tag) {
		case TAG_A:
			end_anchor(c, f->start, f->href);
			break;
		case TAG_LIST:
			c->list_depth--;
			conv_block(c, c->list_depth ? 1 : 2);
			break;
		case TAG_LI:
		case TAG_LINE:
			conv_block(c, 1);
			break;
		case TAG_CELL:
			c->space = true;
			break;
		case TAG_PRE:
			c->pre--;
			conv_block(c, 2);
			break;
		case TAG_BLOCK:
			conv_block(c, 2);
			break;
		default:
			break;
		}
	}
	free(f->href);
	f->href = NULL;
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct conv *c = ((xmlParserCtxtPtr)ctx)->_private;

	(void)name;
	if (c->n_open > 0)
		close_top(c);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct conv *c = ((xmlParserCtxtPtr)ctx)->_private;

	/* Text outside any element (a stray "<" before the implied <html>)
	 * has nowhere to go in a tree either: dropped. */
	if (c->skip || c->oom || len <= 0 || c->n_open == 0)
		return;
	conv_text(c, (const char *)s, (size_t)len);
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
	while (*r) {
		if (*r == ' ') {
			sp++;
			r++;
			continue;
		}
		if (*r == '\n') {
			sp = 0;
			nl++;
			r++;
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
		do /* the rest of the word */
			*w++ = *r++;
		while (*r && *r != ' ' && *r != '\n');
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

struct html_conv {
	htmlParserCtxtPtr ctxt;
	struct tag_cache cache;
};

struct html_conv *html_conv_new(void)
{
	struct html_conv *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->ctxt = htmlNewParserCtxt();
	if (h->ctxt == NULL) {
		free(h);
		return NULL;
	}
	/* Events instead of a tree: the converter needs one pass in document
	 * order, and building and freeing a DOM per description was most of
	 * the cost. */
	memset(h->ctxt->sax, 0, sizeof(*h->ctxt->sax));
	h->ctxt->sax->startElement = on_start;
	h->ctxt->sax->endElement = on_end;
	h->ctxt->sax->characters = on_text;
	h->ctxt->sax->cdataBlock = on_text;
	h->ctxt->sax->initialized = 1;
	h->ctxt->userData = h->ctxt;
	return h;
}

void html_conv_free(struct html_conv *h)
{
	if (h == NULL)
		return;
	htmlFreeParserCtxt(h->ctxt);
	free(h);
}

/* Run the HTML parser over src with c receiving its events. -1 when the
 * parser could not be started. */
static int conv_parse(struct html_conv *h, struct conv *c, const char *src, size_t len)
{
	htmlDocPtr doc;

	h->ctxt->_private = c;
	c->cache = &h->cache;
	doc = htmlCtxtReadMemory(h->ctxt, src, (int)(len > 0x7fffffff ? 0x7fffffff : len), NULL,
	                         "UTF-8",
	                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                                 HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
	h->ctxt->_private = NULL;
	xmlFreeDoc(doc);            /* none: no SAX callback builds one */
	if (h->ctxt->input == NULL) /* the input could not be set up */
		return -1;
	/* Elements still open when the parser stopped (nesting deeper than
	 * libxml2 allows) end here, as in a tree of what was read. */
	while (c->n_open > 0)
		close_top(c);
	return 0;
}

char *html_conv_text(struct html_conv *h, const char *html, size_t len)
{
	struct conv c = {0};
	char *san;
	struct buf in = {0};
	const char *src = html;
	size_t srclen = len;
	struct html_conv *own = NULL;
	int rc;

	if (html == NULL || len == 0)
		return str_dup("");
	if (!html_has_markup(html, len))
		return html_plain_text(html, len);
	if (h == NULL && (h = own = html_conv_new()) == NULL)
		return NULL;
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
	rc = conv_parse(h, &c, src, srclen);
	buf_free(&in);
	html_conv_free(own);
	free(c.open);
	if (rc < 0) {
		buf_free(&c.out);
		return html_plain_text(html, len);
	}
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
	tidy_lines(san);
	{ /* a feed keeps thousands of these: give back the buffer's slack */
		char *fit = realloc(san, strlen(san) + 1);

		return fit ? fit : san;
	}
}

char *html_to_text(const char *html, size_t len)
{
	return html_conv_text(NULL, html, len);
}
