/* feed.c - RSS 0.9x/1.0/2.0 and Atom 1.0 (with iTunes, Podcasting 2.0,
 * Media RSS, content, Dublin Core and Podlove Simple Chapters) into struct
 * feed, with libxml2.
 *
 * Safety: the parser runs with NONET and without NOENT/DTDLOAD/DTDATTR, the
 * external-subset and entity-resolving SAX hooks are cut off, and text is
 * gathered by our own walk that expands internal entities against a byte
 * budget, so neither a file on disk nor an entity bomb gets into the result.
 * Elements are matched by namespace URI (with the common misspellings),
 * element names case-insensitively, as feed readers in the wild do. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "hark/datetime.h"
#include "hark/feed.h"
#include "hark/html.h"
#include "hark/util.h"

#define FEED_MAX_ENTITY_DEPTH 16
/* Documents this big convert their descriptions on the other cores too
 * (html_pool.c); a small one is not worth starting a thread. */
#define FEED_POOL_MIN_BYTES (512 * 1024)
#define FEED_MAX_ITEMS 100000

enum ns {
	NS_OTHER,
	NS_CORE, /* no namespace, RSS 0.90/1.0, userland RSS 2 */
	NS_ATOM,
	NS_ITUNES,
	NS_PODCAST,
	NS_CONTENT,
	NS_MEDIA,
	NS_DC,
	NS_PSC,
	NS_RDF,
};

struct pctx {
	xmlDocPtr doc;
	bool local;
	char *doc_url;   /* base for relative references (absolute path if local) */
	char *local_dir; /* the feed file's folder when local */
	size_t budget;   /* bytes of text we may still gather (entity expansion) */
	bool bomb;       /* budget exhausted */
	bool atom;       /* an Atom feed: un-namespaced elements count as Atom */
	bool oom;
	struct html_conv *html; /* one HTML parser for every description */
	struct html_pool *pool; /* a big document's descriptions: other cores */
	/* Episodes, parsed as each item ends (and its subtree is freed), in
	 * document order; group orders them the way the feed is read: items
	 * of a bare <channel> root first, then each <channel>'s, then items
	 * straight under the root. */
	struct feed_episode *eps;
	int *eps_group;
	size_t n_eps, cap_eps;
	int dialect; /* DIALECT_* of the root, once known */
	bool bare_channel;
	const xmlNode *last_channel; /* the <channel> of the last item */
	int n_channels;
};

enum { DIALECT_UNKNOWN, DIALECT_RSS, DIALECT_ATOM, DIALECT_NONE };

/* ---- namespaces ---- */

static bool ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool ci_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static enum ns ns_classify_uncached(const char *uri);

/* Which vocabulary a namespace URI stands for (ns_classify_uncached()),
 * remembering the last few URIs: it is asked for every element, and a
 * feed uses a handful of namespaces. */
static enum ns ns_classify(const char *uri)
{
	enum { NS_CACHE = 8, NS_CACHE_URI = 128 };
	static _Thread_local struct {
		char uri[NS_CACHE_URI];
		enum ns ns;
	} cache[NS_CACHE];
	static _Thread_local unsigned next;
	size_t n = strlen(uri);
	enum ns ns;

	for (unsigned i = 0; i < NS_CACHE; i++)
		if (cache[i].uri[0] && strcmp(cache[i].uri, uri) == 0)
			return cache[i].ns;
	ns = ns_classify_uncached(uri);
	if (n > 0 && n < NS_CACHE_URI) {
		unsigned i = next++ % NS_CACHE;

		memcpy(cache[i].uri, uri, n + 1);
		cache[i].ns = ns;
	}
	return ns;
}

/* Which vocabulary a namespace URI stands for, accepting the variants real
 * feeds use (case, http/https, trailing slash, the spec's example URI). */
static enum ns ns_classify_uncached(const char *uri)
{
	char tmp[256];
	size_t n = strlen(uri);

	if (n == 0)
		return NS_CORE;
	if (n >= sizeof(tmp))
		return NS_OTHER;
	memcpy(tmp, uri, n + 1);
	while (n > 0 && (tmp[n - 1] == '/' || tmp[n - 1] == ' '))
		tmp[--n] = '\0';
	if (ci_ends_with(tmp, "/dtds/podcast-1.0.dtd"))
		return NS_ITUNES;
	if (ci_contains(tmp, "podcastindex.org/namespace/1.0") ||
	    ci_contains(tmp, "podcastindex-org/podcast-namespace"))
		return NS_PODCAST;
	if (ci_contains(tmp, "purl.org/rss/1.0/modules/content"))
		return NS_CONTENT;
	if (ci_contains(tmp, "search.yahoo.com/mrss"))
		return NS_MEDIA;
	if (ci_contains(tmp, "purl.org/dc/elements/1.1") || ci_contains(tmp, "purl.org/dc/terms"))
		return NS_DC;
	if (ci_contains(tmp, "podlove.org/simple-chapters"))
		return NS_PSC;
	if (ci_contains(tmp, "www.w3.org/2005/atom") || ci_contains(tmp, "purl.org/atom/ns"))
		return NS_ATOM;
	if (ci_contains(tmp, "www.w3.org/1999/02/22-rdf-syntax-ns"))
		return NS_RDF;
	if (ci_ends_with(tmp, "purl.org/rss/1.0") ||
	    ci_contains(tmp, "my.netscape.com/rdf/simple") ||
	    ci_contains(tmp, "backend.userland.com/rss") ||
	    ci_contains(tmp, "blogs.law.harvard.edu/tech/rss"))
		return NS_CORE;
	return NS_OTHER;
}

static enum ns ns_of_prefix(const char *p, size_t n)
{
	static const struct {
		const char *prefix;
		enum ns ns;
	} map[] = {{"itunes", NS_ITUNES}, {"podcast", NS_PODCAST}, {"content", NS_CONTENT},
	           {"media", NS_MEDIA},   {"dc", NS_DC},           {"dcterms", NS_DC},
	           {"psc", NS_PSC},       {"atom", NS_ATOM},       {"rdf", NS_RDF}};

	for (size_t i = 0; i < HARK_ARRAY_LEN(map); i++)
		if (strlen(map[i].prefix) == n && strncasecmp(p, map[i].prefix, n) == 0)
			return map[i].ns;
	return NS_OTHER;
}

/* Namespace class and local name of an element. An undeclared prefix
 * ("itunes:duration" with no xmlns:itunes) is mapped by its usual prefix. */
static enum ns node_ns(const xmlNode *n, const char **local)
{
	const char *name = (const char *)n->name;
	const char *colon;

	*local = name ? name : "";
	if (n->ns && n->ns->href)
		return ns_classify((const char *)n->ns->href);
	if (name && (colon = strchr(name, ':')) != NULL) {
		*local = colon + 1;
		return ns_of_prefix(name, (size_t)(colon - name));
	}
	return NS_CORE;
}

static bool is_el(const xmlNode *n, enum ns ns, const char *name)
{
	const char *local;

	if (n->type != XML_ELEMENT_NODE)
		return false;
	return node_ns(n, &local) == ns && strcasecmp(local, name) == 0;
}

/* ---- text ---- */

static void gather(struct pctx *c, const xmlNode *first, struct buf *b, int depth);

static void put_budget(struct pctx *c, struct buf *b, const char *s, size_t n)
{
	if (n > c->budget) {
		c->bomb = true;
		c->budget = 0;
		return;
	}
	c->budget -= n;
	if (buf_append(b, s, n) < 0)
		c->oom = true;
}

/* An entity reference: internal entities are expanded (against the budget),
 * undeclared HTML names like &nbsp; decoded, external ones never read. */
static void gather_entity(struct pctx *c, const xmlNode *ref, struct buf *b, int depth)
{
	const xmlEntity *ent = (const xmlEntity *)ref->children;

	if (ent == NULL || ent->type != XML_ENTITY_DECL) {
		const htmlEntityDesc *d = htmlEntityLookup(ref->name);

		if (d) {
			char u[8];
			int len = xmlCopyCharMultiByte((xmlChar *)u, (int)d->value);

			if (len > 0)
				put_budget(c, b, u, (size_t)len);
		}
		return;
	}
	if (ent->etype == XML_INTERNAL_PREDEFINED_ENTITY) {
		if (ent->content)
			put_budget(c, b, (const char *)ent->content,
			           strlen((const char *)ent->content));
		return;
	}
	if (ent->etype != XML_INTERNAL_GENERAL_ENTITY)
		return; /* external: never loaded */
	if (depth >= FEED_MAX_ENTITY_DEPTH) {
		c->bomb = true;
		return;
	}
	if (ent->children)
		gather(c, ent->children, b, depth + 1);
	else if (ent->content)
		put_budget(c, b, (const char *)ent->content, strlen((const char *)ent->content));
}

/* Text of a node list (text, CDATA, entities, and nested elements' text). */
static void gather(struct pctx *c, const xmlNode *first, struct buf *b, int depth)
{
	for (const xmlNode *k = first; k && !c->bomb && !c->oom; k = k->next) {
		switch (k->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (k->content)
				put_budget(c, b, (const char *)k->content,
				           strlen((const char *)k->content));
			break;
		case XML_ENTITY_REF_NODE:
			gather_entity(c, k, b, depth);
			break;
		case XML_ELEMENT_NODE:
			if (depth < 64)
				gather(c, k->children, b, depth + 1);
			break;
		default:
			break;
		}
	}
}

/* Raw (unsanitized) text of an element, malloc'd ("" when empty). */
static char *raw_text(struct pctx *c, const xmlNode *n)
{
	struct buf b = {0};

	gather(c, n->children, &b, 0);
	if (b.data == NULL)
		return str_dup("");
	return buf_steal(&b);
}

/* One-line text for the screen: sanitized, trimmed; NULL when empty. */
static char *clean_line(const char *raw)
{
	char *s, *nb;

	if (raw == NULL)
		return NULL;
	nb = str_dup(raw);
	if (nb == NULL)
		return NULL;
	{ /* U+00A0 counts as a space, so that runs of them collapse */
		char *w = nb;

		for (const char *r = nb; *r; r++) {
			if ((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0) {
				*w++ = ' ';
				r++;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
	}
	s = text_sanitize(nb, false);
	free(nb);
	if (s == NULL)
		return NULL;
	str_trim(s);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static char *el_line(struct pctx *c, const xmlNode *n)
{
	char *raw = raw_text(c, n);
	char *s = clean_line(raw);

	free(raw);
	return s;
}

static char *attr_raw(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = str_dup((const char *)v);
	xmlFree(v);
	return s;
}

static char *attr_line(const xmlNode *n, const char *name)
{
	char *raw = attr_raw(n, name);
	char *s = clean_line(raw);

	free(raw);
	return s;
}

/* Keep the first non-NULL value: *dst gets v unless already set. */
static void take(char **dst, char *v)
{
	if (*dst == NULL)
		*dst = v;
	else
		free(v);
}

static bool has_element_children(const xmlNode *n)
{
	for (const xmlNode *k = n->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* Serialize an element's children as markup (XHTML content, or HTML a
 * sloppy feed put into <description> without escaping). */
static char *inner_markup(const xmlNode *n)
{
	xmlBufferPtr xb = xmlBufferCreate();
	char *s;

	if (xb == NULL)
		return NULL;
	for (xmlNode *k = n->children; k; k = k->next)
		xmlNodeDump(xb, n->doc, k, 0, 0);
	s = str_dup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return s;
}

/* Base64 (whitespace ignored) to bytes; NULL when s is not base64. */
static char *b64_decode(const char *s)
{
	static const char alpha[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf b = {0};
	unsigned acc = 0;
	int bits = 0;

	for (; *s; s++) {
		const char *p;

		if (isspace((unsigned char)*s))
			continue;
		if (*s == '=')
			break;
		p = strchr(alpha, *s);
		if (p == NULL) {
			buf_free(&b);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)(p - alpha);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(&b, (char)((acc >> bits) & 0xFF));
		}
	}
	if (b.data == NULL)
		return str_dup("");
	return buf_steal(&b);
}

/* Atom text constructs may be base64: a MIME type that is not text or XML
 * (Atom 1.0), or mode="base64" (Atom 0.3). */
static bool is_base64_construct(const xmlNode *n)
{
	xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
	xmlChar *mode = xmlGetProp(n, (const xmlChar *)"mode");
	bool b64 = false;

	if (mode && strcasecmp((const char *)mode, "base64") == 0)
		b64 = true;
	else if (type && strchr((const char *)type, '/') &&
	         !str_case_starts_with((const char *)type, "text/") &&
	         !ci_contains((const char *)type, "xml") &&
	         !ci_contains((const char *)type, "json"))
		b64 = true;
	xmlFree(type);
	xmlFree(mode);
	return b64;
}

/* Raw text, base64-decoded when the element says so and the result is
 * UTF-8 text. */
static char *raw_text_b64(struct pctx *c, const xmlNode *n, bool *decoded)
{
	char *raw = raw_text(c, n), *dec;

	*decoded = false;
	if (raw == NULL || !is_base64_construct(n))
		return raw;
	dec = b64_decode(raw);
	if (dec && text_utf8_valid(dec, strlen(dec))) {
		free(raw);
		*decoded = true;
		return dec;
	}
	free(dec);
	return raw;
}

enum text_mode { MODE_HTML, MODE_TEXT };

/* A description-like element to plain text (NULL when empty). Atom's
 * type="text" is plain, type="xhtml" or unescaped child elements are
 * markup, everything else is treated as (possibly escaped) HTML. */
/* A description-like element's markup or text, unconverted. Atom's
 * type="text" is plain, type="xhtml" or unescaped child elements are
 * markup, base64 constructs are decoded to text, everything else is treated
 * as (possibly escaped) HTML. */
struct desc_cand {
	char *raw;
	enum text_mode mode;
	size_t score; /* estimated visible characters */
};

/* Visible characters of raw: non-space bytes outside tags (HTML) or all
 * non-space bytes (text). Cheap, so only the winner gets converted. any:
 * stop at the first (is there any?). */
static size_t visible_estimate(const char *raw, enum text_mode mode, bool any)
{
	size_t n = 0;
	bool in_tag = false;

	for (const char *p = raw; *p; p++) {
		if (mode == MODE_HTML) {
			if (*p == '<' &&
			    (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!')) {
				in_tag = true;
				continue;
			}
			if (in_tag) {
				if (*p == '>')
					in_tag = false;
				continue;
			}
		}
		if (!isspace((unsigned char)*p)) {
			n++;
			if (any)
				break;
		}
	}
	return n;
}

#define SCORE_UNKNOWN SIZE_MAX

static void desc_read(struct pctx *c, const xmlNode *n, enum text_mode mode, struct desc_cand *d)
{
	xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");

	memset(d, 0, sizeof(*d));
	if (type && (strcasecmp((const char *)type, "text") == 0 ||
	             strcasecmp((const char *)type, "text/plain") == 0))
		mode = MODE_TEXT;
	else if (type && (strcasecmp((const char *)type, "html") == 0 ||
	                  strcasecmp((const char *)type, "xhtml") == 0 ||
	                  strcasecmp((const char *)type, "text/html") == 0))
		mode = MODE_HTML;
	xmlFree(type);
	if (has_element_children(n)) {
		d->raw = inner_markup(n);
		mode = MODE_HTML;
	} else {
		bool decoded;

		d->raw = raw_text_b64(c, n, &decoded);
		if (decoded)
			mode = MODE_TEXT;
	}
	d->mode = mode;
	d->score = SCORE_UNKNOWN; /* counted only when there is a rival */
}

/* A converted description, NULL when it came out empty. */
static char *nonempty(char *text)
{
	if (text != NULL && *text == '\0') {
		free(text);
		text = NULL;
	}
	return text;
}

/* Plain text of a candidate (NULL when empty); frees the raw text. */
static char *desc_convert(struct pctx *c, struct desc_cand *d)
{
	char *out;

	if (d->raw == NULL)
		return NULL;
	out = d->mode == MODE_TEXT ? html_plain_text(d->raw, strlen(d->raw))
	                           : html_conv_text(c->html, d->raw, strlen(d->raw));
	free(d->raw);
	d->raw = NULL;
	return nonempty(out);
}

/* An item's description (the winner, d) into ep->description: converted
 * here, or handed to the pool, whose result desc_collect() puts in place. */
static void desc_give(struct pctx *c, struct desc_cand *d, struct feed_episode *ep)
{
	if (c->pool != NULL && d->raw != NULL &&
	    html_pool_submit(c->pool, (size_t)(ep - c->eps), d->raw, d->mode == MODE_TEXT)) {
		d->raw = NULL;
		return;
	}
	ep->description = desc_convert(c, d);
}

static void desc_take(void *arg, size_t slot, char *text)
{
	struct pctx *c = arg;

	text = nonempty(text);
	if (slot < c->n_eps && c->eps[slot].description == NULL)
		c->eps[slot].description = text;
	else
		free(text);
}

/* Every description handed to the pool, into its episode. Before c's
 * episodes are taken, freed or left for another parse of the document. */
static void desc_collect(struct pctx *c)
{
	if (c->pool != NULL)
		html_pool_wait(c->pool, desc_take, c);
}

static char *el_description(struct pctx *c, const xmlNode *n, enum text_mode mode)
{
	struct desc_cand d;

	desc_read(c, n, mode, &d);
	return desc_convert(c, &d);
}

/* Keep the richer (more visible text) of *best and element n. */
static void take_richer(struct pctx *c, struct desc_cand *best, const xmlNode *n,
                        enum text_mode mode)
{
	struct desc_cand d;

	desc_read(c, n, mode, &d);
	if (d.raw == NULL)
		return;
	if (best->raw == NULL) { /* most items have one: no need to count it */
		if (visible_estimate(d.raw, d.mode, true) > 0)
			*best = d;
		else
			free(d.raw);
		return;
	}
	if (best->score == SCORE_UNKNOWN)
		best->score = visible_estimate(best->raw, best->mode, false);
	d.score = visible_estimate(d.raw, d.mode, false);
	if (d.score > 0 && d.score > best->score) {
		free(best->raw);
		*best = d;
	} else {
		free(d.raw);
	}
}

/* A title: one line; Atom XHTML titles as text, base64 ones decoded. */
static char *el_title(struct pctx *c, const xmlNode *n)
{
	char *raw, *s;
	bool decoded;

	if (has_element_children(n)) {
		char *m = inner_markup(n), *t = m ? html_conv_text(c->html, m, strlen(m)) : NULL;

		s = clean_line(t);
		free(m);
		free(t);
		return s;
	}
	raw = raw_text_b64(c, n, &decoded);
	s = clean_line(raw);
	free(raw);
	return s;
}

/* An author: RSS text, or an Atom person as "name (email)". */
static char *el_author(struct pctx *c, const xmlNode *n)
{
	char *name = NULL, *email = NULL, *s;

	if (!has_element_children(n))
		return el_line(c, n);
	for (const xmlNode *k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (!strcasecmp((const char *)k->name, "name"))
			take(&name, el_line(c, k));
		else if (!strcasecmp((const char *)k->name, "email"))
			take(&email, el_line(c, k));
	}
	if (name && email)
		s = str_printf("%s (%s)", name, email);
	else
		s = name ? str_dup(name) : str_dup(email);
	free(name);
	free(email);
	return s;
}

/* ---- URLs ---- */

static bool is_http(const char *u)
{
	return str_case_starts_with(u, "http://") || str_case_starts_with(u, "https://");
}

static bool has_scheme(const char *u)
{
	const char *p = u;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':' && p - u >= 2;
}

/* A file: URL to a local path (percent-decoded); NULL when not local. */
static char *file_url_path(const char *u)
{
	const char *p = u + 5;
	char *dec;

	if (strncmp(p, "//", 2) == 0) {
		p += 2;
		if (str_case_starts_with(p, "localhost/"))
			p += 9;
		else if (*p != '/')
			return NULL; /* file://otherhost/... */
	}
	if (*p != '/')
		return NULL;
	dec = xmlURIUnescapeString(p, 0, NULL);
	if (dec == NULL)
		return NULL;
	{
		char *r = str_dup(dec);

		xmlFree(dec);
		return r;
	}
}

/* Resolve a URL found in the feed at node n. http(s) results are kept; for
 * local feeds file: URLs and paths become absolute paths; anything else
 * (ftp:, javascript:, file: in a fetched feed...) gives NULL. */
static char *resolve_url(struct pctx *c, const xmlNode *n, const char *raw_in)
{
	char *raw, *res = NULL, *out = NULL;
	xmlChar *base, *built = NULL;

	if (raw_in == NULL)
		return NULL;
	raw = text_sanitize(raw_in, false);
	if (raw == NULL)
		return NULL;
	str_trim(raw);
	if (*raw == '\0') {
		free(raw);
		return NULL;
	}
	if (is_http(raw)) {
		out = raw;
		goto done;
	}
	base = xmlNodeGetBase(c->doc, n);
	if (base)
		built = xmlBuildURI((const xmlChar *)raw, base);
	xmlFree(base);
	res = built ? str_dup((const char *)built) : str_dup(raw);
	xmlFree(built);
	if (res && is_http(res)) {
		out = res;
		res = NULL;
	} else if (res && c->local) {
		if (str_case_starts_with(res, "file:"))
			out = file_url_path(res);
		else if (res[0] == '/')
			out = str_dup(res);
		else if (!has_scheme(res) && c->local_dir)
			out = str_printf("%s/%s", c->local_dir, res);
	}
	free(res);
	free(raw);
done:
	if (out && *out == '\0') {
		free(out);
		out = NULL;
	}
	return out;
}

static char *attr_url(struct pctx *c, const xmlNode *n, const char *name)
{
	char *raw = attr_raw(n, name);
	char *u = resolve_url(c, n, raw);

	free(raw);
	return u;
}

static char *el_url(struct pctx *c, const xmlNode *n)
{
	char *raw = raw_text(c, n);
	char *u = resolve_url(c, n, raw);

	free(raw);
	return u;
}

/* ---- small value parsers ---- */

/* yes/true/explicit -> 1, no/false/clean -> 0, else -1. */
static int parse_explicit(const char *s)
{
	if (s == NULL)
		return -1;
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcasecmp(s, "explicit"))
		return 1;
	if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcasecmp(s, "clean"))
		return 0;
	return -1;
}

static bool parse_yes(const char *s)
{
	return s && (!strcasecmp(s, "yes") || !strcasecmp(s, "true"));
}

/* A non-negative integer ("3", " 12 ", "1.0"), else -1. */
static int parse_int(const char *s)
{
	char *end;
	long v;

	if (s == NULL)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || errno || v < 0 || v > INT_MAX)
		return -1;
	if (*end == '.') { /* podcast:episode may be "1.5": keep the integer part */
		end++;
		while (isdigit((unsigned char)*end))
			end++;
	}
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -1 : (int)v;
}

static int64_t parse_length(const char *s)
{
	char *end;
	long long v;

	if (s == NULL)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno || v <= 0)
		return -1;
	return (int64_t)v;
}

static char *lower_dup(const char *s)
{
	char *d = str_dup(s);

	for (char *p = d; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* ---- growable arrays ---- */

static void *grow(void *v, size_t n, size_t size, bool *oom)
{
	void *nv = realloc(v, (n + 1) * size);

	if (nv == NULL) {
		*oom = true;
		return v;
	}
	memset((char *)nv + n * size, 0, size);
	return nv;
}

static void add_person(struct pctx *c, struct feed_person **v, size_t *n, const xmlNode *el)
{
	char *name = el_line(c, el);
	struct feed_person *p;

	if (name == NULL)
		return;
	*v = grow(*v, *n, sizeof(**v), &c->oom);
	if (c->oom) {
		free(name);
		return;
	}
	p = &(*v)[(*n)++];
	p->name = name;
	p->role = attr_line(el, "role");
	p->group = attr_line(el, "group");
	p->href = attr_url(c, el, "href");
	p->img = attr_url(c, el, "img");
}

/* ---- items ---- */

struct media_pick {
	char *url, *type;
	int64_t length;
	double duration;
	int score; /* 2 audio, 1 other (video...), 0 none */
};

static void media_consider(struct pctx *c, struct media_pick *m, const xmlNode *el)
{
	char *url = attr_url(c, el, "url");
	char *type = attr_line(el, "type");
	char *medium = attr_line(el, "medium");
	int score = 1;

	if (url == NULL)
		goto out;
	if ((type && str_case_starts_with(type, "audio/")) ||
	    (medium && strcasecmp(medium, "audio") == 0))
		score = 2;
	else if (type && !str_case_starts_with(type, "video/"))
		score = 0; /* an image or a document: not something to play */
	else if (type == NULL && medium && strcasecmp(medium, "video") != 0)
		score = 0;
	if (score > m->score) {
		char *dur = attr_raw(el, "duration");
		char *len = attr_raw(el, "fileSize");

		free(m->url);
		free(m->type);
		m->url = url;
		m->type = type;
		m->length = parse_length(len);
		m->duration = datetime_parse_duration(dur);
		m->score = score;
		url = type = NULL;
		free(dur);
		free(len);
	}
out:
	free(url);
	free(type);
	free(medium);
}

struct item_acc {
	struct desc_cand desc; /* richest description, converted at the end */
	char *pub_core;        /* pubDate */
	char *pub_dc;          /* dc:date / dc:issued... */
	char *pub_atom;        /* atom published */
	char *upd_atom;        /* atom updated */
	char *guid_permalink;  /* guid usable as link */
	int enc_score;         /* 2: audio/video enclosure, 1 other */
	struct media_pick media;
	int p_season, p_episode; /* podcast: namespace fallbacks */
	char *dc_title;
	bool psc_done;
};

static void item_enclosure(struct pctx *c, struct feed_episode *ep, struct item_acc *a,
                           const xmlNode *el, const char *urlattr)
{
	char *url = attr_url(c, el, urlattr);
	char *type = attr_line(el, "type");
	int score;

	if (url == NULL) {
		free(type);
		return;
	}
	score = (type == NULL || str_case_starts_with(type, "audio/") ||
	         str_case_starts_with(type, "video/"))
	                ? 2
	                : 1;
	if (score > a->enc_score) {
		char *len = attr_raw(el, "length");

		free(ep->enc_url);
		free(ep->enc_type);
		ep->enc_url = url;
		ep->enc_type = type;
		ep->enc_length = parse_length(len);
		a->enc_score = score;
		free(len);
		return;
	}
	free(url);
	free(type);
}

static void item_psc(struct pctx *c, struct feed_episode *ep, const xmlNode *chapters)
{
	for (const xmlNode *k = chapters->children; k && !c->oom; k = k->next) {
		struct feed_psc_chapter *ch;
		char *start;
		double t;

		if (!is_el(k, NS_PSC, "chapter"))
			continue;
		start = attr_raw(k, "start");
		t = datetime_parse_duration(start);
		free(start);
		if (t < 0)
			continue;
		ep->psc = grow(ep->psc, ep->n_psc, sizeof(*ep->psc), &c->oom);
		if (c->oom)
			return;
		ch = &ep->psc[ep->n_psc++];
		ch->start = t;
		ch->title = attr_line(k, "title");
		ch->href = attr_url(c, k, "href");
		ch->image = attr_url(c, k, "image");
	}
}

static void item_transcript(struct pctx *c, struct feed_episode *ep, const xmlNode *el)
{
	char *url = attr_url(c, el, "url");
	struct feed_transcript *t;

	if (url == NULL)
		return;
	ep->transcripts = grow(ep->transcripts, ep->n_transcripts, sizeof(*t), &c->oom);
	if (c->oom) {
		free(url);
		return;
	}
	t = &ep->transcripts[ep->n_transcripts++];
	t->url = url;
	t->type = attr_line(el, "type");
	t->language = attr_line(el, "language");
	t->rel = attr_line(el, "rel");
}

/* An Atom <link>: alternate -> link, enclosure -> enclosure, image. */
static void atom_link(struct pctx *c, struct feed_episode *ep, struct item_acc *a,
                      const xmlNode *el)
{
	char *rel = attr_line(el, "rel");

	if (rel == NULL || strcasecmp(rel, "alternate") == 0) {
		take(&ep->link, attr_url(c, el, "href"));
	} else if (strcasecmp(rel, "enclosure") == 0) {
		item_enclosure(c, ep, a, el, "href");
	} else if (strcasecmp(rel, "image") == 0) {
		take(&ep->image, attr_url(c, el, "href"));
	}
	free(rel);
}

static void item_element(struct pctx *c, struct feed_episode *ep, struct item_acc *a,
                         const xmlNode *k)
{
	const char *name;
	enum ns ns = node_ns(k, &name);
	char *s;

	if (ns == NS_CORE && c->atom)
		ns = NS_ATOM;
	switch (ns) {
	case NS_CORE:
	case NS_ATOM:
		if (!strcasecmp(name, "title")) {
			take(&ep->title, el_title(c, k));
		} else if (!strcasecmp(name, "link")) {
			if (xmlHasProp(k, (const xmlChar *)"href"))
				atom_link(c, ep, a, k);
			else
				take(&ep->link, el_url(c, k));
		} else if (!strcasecmp(name, "guid") ||
		           (ns == NS_ATOM && !strcasecmp(name, "id"))) {
			take(&ep->guid, el_line(c, k));
			if (!strcasecmp(name, "guid")) {
				/* A permalink guid is a link only when it is an
				 * absolute http(s) URL: an opaque id ("abc-123",
				 * isPermaLink absent) must not be resolved against
				 * xml:base or a local feed's folder. */
				char *perma = attr_raw(k, "isPermaLink");

				if ((perma == NULL || strcasecmp(perma, "false") != 0) &&
				    ep->guid && is_http(ep->guid))
					take(&a->guid_permalink, str_dup(ep->guid));
				free(perma);
			}
		} else if (!strcasecmp(name, "pubDate") || !strcasecmp(name, "issued")) {
			take(&a->pub_core, el_line(c, k));
		} else if (!strcasecmp(name, "published")) {
			take(&a->pub_atom, el_line(c, k));
		} else if (!strcasecmp(name, "updated") || !strcasecmp(name, "modified")) {
			take(&a->upd_atom, el_line(c, k));
		} else if (!strcasecmp(name, "description") || !strcasecmp(name, "summary") ||
		           !strcasecmp(name, "content")) {
			if (ns == NS_ATOM && !strcasecmp(name, "content") &&
			    xmlHasProp(k, (const xmlChar *)"src"))
				break; /* out-of-line content */
			take_richer(c, &a->desc, k, MODE_HTML);
		} else if (!strcasecmp(name, "enclosure")) {
			item_enclosure(c, ep, a, k, "url");
		} else if (!strcasecmp(name, "author")) {
			take(&ep->author, el_author(c, k));
		}
		break;
	case NS_ITUNES:
		if (!strcasecmp(name, "duration")) {
			s = el_line(c, k);
			if (ep->duration < 0)
				ep->duration = datetime_parse_duration(s);
			free(s);
		} else if (!strcasecmp(name, "title")) {
			take(&ep->title, el_line(c, k)); /* core title wins when first */
		} else if (!strcasecmp(name, "subtitle")) {
			take(&ep->subtitle, el_line(c, k));
		} else if (!strcasecmp(name, "summary")) {
			take_richer(c, &a->desc, k, MODE_HTML);
		} else if (!strcasecmp(name, "author")) {
			free(ep->author); /* itunes:author is the one podcast apps show */
			ep->author = el_line(c, k);
		} else if (!strcasecmp(name, "image")) {
			char *u = attr_url(c, k, "href");

			if (u == NULL)
				u = attr_url(c, k, "url");
			if (u == NULL)
				u = el_url(c, k);
			if (u) {
				free(ep->image); /* itunes:image beats media thumbnails */
				ep->image = u;
			}
		} else if (!strcasecmp(name, "link")) {
			char *rel = attr_raw(k, "rel");

			if (rel && !strcasecmp(rel, "image"))
				take(&ep->image, attr_url(c, k, "href"));
			free(rel);
		} else if (!strcasecmp(name, "explicit")) {
			s = el_line(c, k);
			ep->explicit_ = parse_explicit(s);
			free(s);
		} else if (!strcasecmp(name, "block")) {
			s = el_line(c, k);
			ep->block = parse_yes(s);
			free(s);
		} else if (!strcasecmp(name, "season")) {
			s = el_line(c, k);
			ep->season = parse_int(s);
			free(s);
		} else if (!strcasecmp(name, "episode")) {
			s = el_line(c, k);
			ep->episode = parse_int(s);
			free(s);
		} else if (!strcasecmp(name, "episodeType")) {
			s = el_line(c, k);
			free(ep->episode_type);
			ep->episode_type = lower_dup(s);
			free(s);
		}
		break;
	case NS_PODCAST:
		if (!strcasecmp(name, "transcript")) {
			item_transcript(c, ep, k);
		} else if (!strcasecmp(name, "chapters")) {
			if (ep->chapters_url == NULL) {
				ep->chapters_url = attr_url(c, k, "url");
				if (ep->chapters_url)
					ep->chapters_type = attr_line(k, "type");
			}
		} else if (!strcasecmp(name, "season")) {
			s = el_line(c, k);
			a->p_season = parse_int(s);
			free(s);
		} else if (!strcasecmp(name, "episode")) {
			s = el_line(c, k);
			a->p_episode = parse_int(s);
			free(s);
		} else if (!strcasecmp(name, "person")) {
			add_person(c, &ep->persons, &ep->n_persons, k);
		}
		break;
	case NS_CONTENT:
		if (!strcasecmp(name, "encoded"))
			take_richer(c, &a->desc, k, MODE_HTML);
		break;
	case NS_MEDIA:
		if (!strcasecmp(name, "content")) {
			media_consider(c, &a->media, k);
		} else if (!strcasecmp(name, "group")) {
			for (const xmlNode *g = k->children; g; g = g->next)
				if (is_el(g, NS_MEDIA, "content"))
					media_consider(c, &a->media, g);
				else if (is_el(g, NS_MEDIA, "thumbnail"))
					take(&ep->image, attr_url(c, g, "url"));
		} else if (!strcasecmp(name, "thumbnail")) {
			take(&ep->image, attr_url(c, k, "url"));
		} else if (!strcasecmp(name, "description")) {
			take_richer(c, &a->desc, k, MODE_TEXT);
		}
		break;
	case NS_DC:
		if (!strcasecmp(name, "date") || !strcasecmp(name, "issued") ||
		    !strcasecmp(name, "created"))
			take(&a->pub_dc, el_line(c, k));
		else if (!strcasecmp(name, "modified"))
			take(&a->upd_atom, el_line(c, k));
		else if (!strcasecmp(name, "creator") || !strcasecmp(name, "author"))
			take(&ep->author, el_line(c, k));
		else if (!strcasecmp(name, "title"))
			take(&a->dc_title, el_line(c, k));
		else if (!strcasecmp(name, "description"))
			take_richer(c, &a->desc, k, MODE_HTML);
		break;
	case NS_PSC:
		if (!strcasecmp(name, "chapters") && !a->psc_done) {
			item_psc(c, ep, k);
			a->psc_done = true; /* only the first chapter list counts */
		}
		break;
	default:
		break;
	}
}

static void persons_free(struct feed_person *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].role);
		free(v[i].group);
		free(v[i].href);
		free(v[i].img);
	}
	free(v);
}

static void episode_free_members(struct feed_episode *ep)
{
	free(ep->guid);
	free(ep->title);
	free(ep->enc_url);
	free(ep->enc_type);
	free(ep->description);
	free(ep->link);
	free(ep->image);
	free(ep->episode_type);
	for (size_t i = 0; i < ep->n_transcripts; i++) {
		free(ep->transcripts[i].url);
		free(ep->transcripts[i].type);
		free(ep->transcripts[i].language);
		free(ep->transcripts[i].rel);
	}
	free(ep->transcripts);
	free(ep->chapters_url);
	free(ep->chapters_type);
	for (size_t i = 0; i < ep->n_psc; i++) {
		free(ep->psc[i].title);
		free(ep->psc[i].href);
		free(ep->psc[i].image);
	}
	free(ep->psc);
	persons_free(ep->persons, ep->n_persons);
	free(ep->subtitle);
	free(ep->author);
}

static int64_t first_date(const char *const *cands, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t t = datetime_parse(cands[i]);

		if (t >= 0)
			return t;
	}
	return -1;
}

/* Parse one <item> / <entry> into ep. */
static void parse_item(struct pctx *c, const xmlNode *item, struct feed_episode *ep)
{
	struct item_acc a = {0};

	memset(ep, 0, sizeof(*ep));
	ep->published = -1;
	ep->duration = -1;
	ep->enc_length = -1;
	ep->season = ep->episode = -1;
	ep->explicit_ = -1;
	a.p_season = a.p_episode = -1;
	a.media.duration = -1;
	for (const xmlNode *k = item->children; k && !c->bomb && !c->oom; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			item_element(c, ep, &a, k);
	{
		const char *const dates[] = {a.pub_core, a.pub_dc, a.pub_atom, a.upd_atom};

		ep->published = first_date(dates, HARK_ARRAY_LEN(dates));
	}
	if (ep->enc_url == NULL && a.media.url) { /* media:content fallback */
		ep->enc_url = a.media.url;
		ep->enc_type = a.media.type;
		ep->enc_length = a.media.length;
		a.media.url = a.media.type = NULL;
	}
	if (ep->duration < 0 && a.media.duration >= 0)
		ep->duration = a.media.duration;
	if (ep->guid == NULL && is_el(item, NS_CORE, "item")) {
		char *about = NULL;
		xmlChar *v = xmlGetNsProp(
		        item, (const xmlChar *)"about",
		        (const xmlChar *)"http://www.w3.org/1999/02/22-rdf-syntax-ns#");

		if (v) {
			about = clean_line((const char *)v);
			xmlFree(v);
		}
		ep->guid = about;
	}
	if (ep->link == NULL && a.guid_permalink) {
		ep->link = a.guid_permalink;
		a.guid_permalink = NULL;
	}
	if (ep->title == NULL) {
		ep->title = a.dc_title;
		a.dc_title = NULL;
	}
	free(a.dc_title);
	if (ep->season < 0)
		ep->season = a.p_season;
	if (ep->episode < 0)
		ep->episode = a.p_episode;
	desc_give(c, &a.desc, ep);
	free(a.pub_core);
	free(a.pub_dc);
	free(a.pub_atom);
	free(a.upd_atom);
	free(a.guid_permalink);
	free(a.media.url);
	free(a.media.type);
}

/* ---- channel ---- */

struct chan_acc {
	char *desc;     /* first non-empty description / atom subtitle */
	char *summary;  /* itunes:summary */
	char *owner;    /* itunes:owner/itunes:name */
	char *editor;   /* managingEditor, dc:creator, atom author */
	char *img_core; /* image/url, atom logo/icon */
	char *img_media;
	char *dc_title;
};

static void channel_element(struct pctx *c, struct feed *f, struct chan_acc *a, const xmlNode *k)
{
	const char *name;
	enum ns ns = node_ns(k, &name);
	char *s;

	if (ns == NS_CORE && c->atom)
		ns = NS_ATOM;
	switch (ns) {
	case NS_CORE:
	case NS_ATOM:
		if (!strcasecmp(name, "title")) {
			take(&f->title, el_title(c, k));
		} else if (!strcasecmp(name, "link")) {
			if (xmlHasProp(k, (const xmlChar *)"href")) {
				char *rel = attr_line(k, "rel");

				if (rel == NULL || !strcasecmp(rel, "alternate"))
					take(&f->link, attr_url(c, k, "href"));
				free(rel);
			} else {
				take(&f->link, el_url(c, k));
			}
		} else if (!strcasecmp(name, "description") ||
		           (ns == NS_ATOM &&
		            (!strcasecmp(name, "subtitle") || !strcasecmp(name, "tagline")))) {
			take(&a->desc, el_description(c, k, MODE_HTML));
		} else if (!strcasecmp(name, "language")) {
			take(&f->language, el_line(c, k));
		} else if (!strcasecmp(name, "managingEditor") || !strcasecmp(name, "webMaster")) {
			take(&a->editor, el_line(c, k));
		} else if (!strcasecmp(name, "author")) {
			take(&a->editor, el_author(c, k));
		} else if (!strcasecmp(name, "image")) {
			for (const xmlNode *n = k->children; n; n = n->next)
				if (n->type == XML_ELEMENT_NODE &&
				    !strcasecmp((const char *)n->name, "url"))
					take(&a->img_core, el_url(c, n));
		} else if (ns == NS_ATOM &&
		           (!strcasecmp(name, "logo") || !strcasecmp(name, "icon"))) {
			take(&a->img_core, el_url(c, k));
		}
		break;
	case NS_ITUNES:
		if (!strcasecmp(name, "author")) {
			take(&f->author, el_line(c, k));
		} else if (!strcasecmp(name, "title")) {
			take(&f->title, el_line(c, k));
		} else if (!strcasecmp(name, "subtitle")) {
			take(&f->subtitle, el_line(c, k));
		} else if (!strcasecmp(name, "summary")) {
			take(&a->summary, el_description(c, k, MODE_HTML));
		} else if (!strcasecmp(name, "image")) {
			char *u = attr_url(c, k, "href");

			if (u == NULL)
				u = attr_url(c, k, "url");
			if (u == NULL)
				u = el_url(c, k);
			take(&f->image, u);
		} else if (!strcasecmp(name, "link")) {
			char *rel = attr_raw(k, "rel");

			if (rel && !strcasecmp(rel, "image"))
				take(&f->image, attr_url(c, k, "href"));
			free(rel);
		} else if (!strcasecmp(name, "explicit")) {
			s = el_line(c, k);
			f->explicit_ = parse_explicit(s);
			free(s);
		} else if (!strcasecmp(name, "block")) {
			s = el_line(c, k);
			f->block = parse_yes(s);
			free(s);
		} else if (!strcasecmp(name, "type")) {
			s = el_line(c, k);
			if (s && (!strcasecmp(s, "serial") || !strcasecmp(s, "episodic"))) {
				free(f->type);
				f->type = lower_dup(s);
			}
			free(s);
		} else if (!strcasecmp(name, "new-feed-url")) {
			take(&f->new_feed_url, el_url(c, k));
		} else if (!strcasecmp(name, "owner")) {
			for (const xmlNode *n = k->children; n; n = n->next)
				if (is_el(n, NS_ITUNES, "name"))
					take(&a->owner, el_line(c, n));
		}
		break;
	case NS_PODCAST:
		if (!strcasecmp(name, "funding")) {
			char *url = attr_url(c, k, "url");

			if (url) {
				f->funding = grow(f->funding, f->n_funding, sizeof(*f->funding),
				                  &c->oom);
				if (c->oom) {
					free(url);
					break;
				}
				f->funding[f->n_funding].url = url;
				f->funding[f->n_funding].text = el_line(c, k);
				f->n_funding++;
			}
		} else if (!strcasecmp(name, "person")) {
			add_person(c, &f->persons, &f->n_persons, k);
		} else if (!strcasecmp(name, "guid")) {
			take(&f->guid, el_line(c, k));
		}
		break;
	case NS_MEDIA:
		if (!strcasecmp(name, "thumbnail"))
			take(&a->img_media, attr_url(c, k, "url"));
		break;
	case NS_DC:
		if (!strcasecmp(name, "language"))
			take(&f->language, el_line(c, k));
		else if (!strcasecmp(name, "creator") || !strcasecmp(name, "publisher"))
			take(&a->editor, el_line(c, k));
		else if (!strcasecmp(name, "title"))
			take(&a->dc_title, el_line(c, k));
		else if (!strcasecmp(name, "description"))
			take(&a->desc, el_description(c, k, MODE_HTML));
		break;
	default:
		break;
	}
}

static bool is_item(const xmlNode *n)
{
	return is_el(n, NS_CORE, "item") || is_el(n, NS_ATOM, "entry") ||
	       is_el(n, NS_CORE, "entry");
}

/* Which kind of document the root element makes this. */
static int root_dialect(struct pctx *c, const xmlNode *root)
{
	const char *rname;
	enum ns rns = node_ns(root, &rname);

	if ((rns == NS_ATOM || rns == NS_CORE) && !strcasecmp(rname, "feed")) {
		c->atom = true;
		return DIALECT_ATOM;
	}
	if ((rns == NS_CORE && !strcasecmp(rname, "rss")) ||
	    (rns == NS_RDF && !strcasecmp(rname, "RDF")))
		return DIALECT_RSS;
	if (rns == NS_CORE && !strcasecmp(rname, "channel")) {
		c->bare_channel = true;
		return DIALECT_RSS;
	}
	return DIALECT_NONE;
}

/* The group of an item at its place in the document (see struct pctx), or
 * -1 when it is not where a feed's items are (they are then ignored). */
static int item_group(struct pctx *c, const xmlNode *item)
{
	const xmlNode *parent = item->parent, *root;

	if (parent == NULL || !is_item(item) || (root = xmlDocGetRootElement(c->doc)) == NULL)
		return -1;
	if (c->dialect == DIALECT_UNKNOWN)
		c->dialect = root_dialect(c, root);
	if (c->dialect == DIALECT_ATOM)
		return parent == root ? 0 : -1;
	if (c->dialect != DIALECT_RSS)
		return -1;
	if (parent == root)
		return c->bare_channel ? 0 : INT_MAX;
	if (parent->parent == root && is_el(parent, NS_CORE, "channel")) {
		if (parent != c->last_channel) {
			c->last_channel = parent;
			c->n_channels++;
		}
		return c->n_channels;
	}
	return -1;
}

/* Parse item into the next episode of group g. */
static void add_item(struct pctx *c, const xmlNode *item, int g)
{
	if (c->bomb || c->oom || c->n_eps >= FEED_MAX_ITEMS)
		return;
	if (c->n_eps == c->cap_eps) {
		size_t ncap = c->cap_eps ? c->cap_eps * 2 : 16;
		struct feed_episode *nv = realloc(c->eps, ncap * sizeof(*nv));
		int *ng;

		if (nv == NULL) {
			c->oom = true;
			return;
		}
		c->eps = nv;
		ng = realloc(c->eps_group, ncap * sizeof(*ng));
		if (ng == NULL) {
			c->oom = true;
			return;
		}
		c->eps_group = ng;
		c->cap_eps = ncap;
	}
	c->eps_group[c->n_eps] = g;
	parse_item(c, item, &c->eps[c->n_eps++]);
}

/* Items still in the tree under parent (the streaming parse took every
 * complete one; what is left is an item a truncated document never
 * closed). */
static void add_items_from(struct pctx *c, const xmlNode *parent)
{
	for (const xmlNode *k = parent->children; k && !c->bomb && !c->oom; k = k->next) {
		int g = item_group(c, k);

		if (g >= 0)
			add_item(c, k, g);
	}
}

/* Move the parsed episodes into f, ordered by group (stable). */
static void take_episodes(struct pctx *c, struct feed *f)
{
	bool sorted = true;

	desc_collect(c);
	if (c->eps == NULL)
		return;
	for (size_t i = 1; i < c->n_eps && sorted; i++)
		sorted = c->eps_group[i - 1] <= c->eps_group[i];
	if (!sorted) {
		struct feed_episode *v = malloc(c->n_eps * sizeof(*v));
		bool *done = calloc(c->n_eps, sizeof(*done));
		size_t k = 0;

		if (v == NULL || done == NULL) {
			free(v);
			free(done);
			c->oom = true;
			return;
		}
		while (k < c->n_eps) { /* few groups: one pass per group */
			int g = INT_MAX;

			for (size_t i = 0; i < c->n_eps; i++)
				if (!done[i] && c->eps_group[i] < g)
					g = c->eps_group[i];
			for (size_t i = 0; i < c->n_eps; i++)
				if (!done[i] && c->eps_group[i] == g) {
					v[k++] = c->eps[i];
					done[i] = true;
				}
		}
		free(done);
		free(c->eps);
		c->eps = v;
	}
	f->episodes = c->eps;
	f->n_episodes = c->n_eps;
	c->eps = NULL;
	c->n_eps = c->cap_eps = 0;
	free(c->eps_group);
	c->eps_group = NULL;
}

/* Order a serial feed's episodes oldest first: by date when every episode
 * has one, else by season/episode number when every episode has one, else
 * reverse a list that runs newest first. Stable: ties keep feed order. */
static int cmp_date(const void *pa, const void *pb)
{
	const struct feed_episode *a = pa, *b = pb;

	if (a->published != b->published)
		return a->published < b->published ? -1 : 1;
	return 0;
}

static int cmp_number(const void *pa, const void *pb)
{
	const struct feed_episode *a = pa, *b = pb;
	int sa = a->season < 0 ? 0 : a->season, sb = b->season < 0 ? 0 : b->season;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->episode != b->episode)
		return a->episode < b->episode ? -1 : 1;
	return 0;
}

/* Insertion-free stable merge sort (qsort is not stable). */
static void stable_sort(struct feed_episode *v, size_t n, int (*cmp)(const void *, const void *))
{
	struct feed_episode *tmp;

	if (n < 2)
		return;
	tmp = malloc(n * sizeof(*tmp));
	if (tmp == NULL)
		return;
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(tmp);
}

static void order_serial(struct feed *f)
{
	bool all_dates = true, all_numbers = true;
	int64_t first = -1, last = -1;

	for (size_t i = 0; i < f->n_episodes; i++) {
		const struct feed_episode *ep = &f->episodes[i];

		if (ep->published < 0)
			all_dates = false;
		else {
			if (first < 0)
				first = ep->published;
			last = ep->published;
		}
		if (ep->episode < 0)
			all_numbers = false;
	}
	if (all_dates)
		stable_sort(f->episodes, f->n_episodes, cmp_date);
	else if (all_numbers)
		stable_sort(f->episodes, f->n_episodes, cmp_number);
	else if (first > last)
		for (size_t i = 0, j = f->n_episodes - 1; i < j; i++, j--) {
			struct feed_episode t = f->episodes[i];

			f->episodes[i] = f->episodes[j];
			f->episodes[j] = t;
		}
}

/* ---- the document ---- */

struct perr {
	int first_code;
	char first_msg[200];
	bool entity_loop;
	bool encoding;
	bool nomem;
	int count;
	struct pctx *stream; /* items are parsed into it as they end */
};

/* The parser's end of an element: when it ends an item, the item becomes
 * an episode and its subtree is freed, so that the tree never holds more
 * than the channel and one item (a 25 MB feed's DOM was most of the peak
 * memory). */
static void on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                           const xmlChar *URI)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct perr *pe = ctxt->_private;
	struct pctx *c = pe ? pe->stream : NULL;
	xmlNodePtr node = ctxt->node;
	int g;

	xmlSAX2EndElementNs(ctx, localname, prefix, URI);
	if (c == NULL || node == NULL || node->type != XML_ELEMENT_NODE || ctxt->myDoc == NULL)
		return;
	c->doc = ctxt->myDoc;
	if ((g = item_group(c, node)) < 0)
		return;
	add_item(c, node, g);
	xmlUnlinkNode(node);
	xmlFreeNode(node);
	/* libxml2 appends the next text to the parent's last text node using
	 * lengths it remembers from the last text it made (inside the item
	 * just freed); 0 makes it measure again. */
	ctxt->nodemem = 0;
	if (c->bomb || c->oom)
		xmlStopParser(ctxt);
}

/* Structured error sink for the parser context: nothing reaches stderr. */
static void on_xml_error(void *user, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = user;
	struct perr *pe = ctxt ? ctxt->_private : NULL;

	if (pe == NULL || err == NULL)
		return;
	if (err->level == XML_ERR_WARNING)
		return;
	pe->count++;
	if (pe->first_code == 0) {
		pe->first_code = err->code;
		snprintf(pe->first_msg, sizeof(pe->first_msg), "%s",
		         err->message ? err->message : "");
		str_trim(pe->first_msg);
	}
	if (err->code == XML_ERR_ENTITY_LOOP)
		pe->entity_loop = true;
	if (err->code == XML_ERR_INVALID_CHAR || err->code == XML_ERR_INVALID_ENCODING ||
	    err->code == XML_ERR_UNSUPPORTED_ENCODING)
		pe->encoding = true;
	if (err->code == XML_ERR_NO_MEMORY)
		pe->nomem = true;
	if (err->message && strstr(err->message, "amplification"))
		pe->entity_loop = true;
}

static void silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* External entities are never fetched, not even from the local disk. */
static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *publicId, const xmlChar *systemId)
{
	(void)ctx;
	(void)publicId;
	(void)systemId;
	return NULL;
}

struct mem_reader {
	const char *p;
	size_t left;
	bool drop;        /* a file mapping: drop the pages already read */
	const char *kept; /* first byte whose page is still mapped in */
};

#define DROP_STEP ((size_t)1 << 20)

/* Give the pages of a read-only file mapping from m->kept up to (not
 * including) the page of `upto` back to the kernel: they leave the
 * process's resident set, and come back from the file if read again. */
static void drop_pages(struct mem_reader *m, const char *upto)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)m->kept + page - 1) & ~(page - 1);
	uintptr_t to = (uintptr_t)upto & ~(page - 1);

	if (to > from)
		madvise((void *)from, to - from, MADV_DONTNEED);
	m->kept = upto;
}

static int mem_read(void *ctx, char *buffer, int len)
{
	struct mem_reader *m = ctx;
	size_t n = len < 0 ? 0 : (size_t)len;

	if (n > m->left)
		n = m->left;
	memcpy(buffer, m->p, n);
	m->p += n;
	m->left -= n;
	if (m->drop && (size_t)(m->p - m->kept) >= DROP_STEP)
		drop_pages(m, m->p);
	return (int)n;
}

static xmlDocPtr read_doc(const char *data, size_t len, const char *url, const char *encoding,
                          struct perr *pe, struct pctx *stream, bool drop)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	memset(pe, 0, sizeof(*pe));
	if (len > INT_MAX) {
		pe->first_code = -1;
		snprintf(pe->first_msg, sizeof(pe->first_msg), "document too large");
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		pe->nomem = true;
		return NULL;
	}
	ctxt->_private = pe;
	pe->stream = stream;
	ctxt->sax->endElementNs = on_end_element;
	ctxt->sax->serror = on_xml_error;
	ctxt->sax->resolveEntity = refuse_entity;
	ctxt->sax->externalSubset = NULL;
	/* Read through callbacks rather than xmlCtxtReadMemory(), which copies
	 * the whole document into its own buffer first. */
	{
		struct mem_reader mr = {data, len, drop, data};

		doc = xmlCtxtReadIO(ctxt, mem_read, NULL, &mr, url, encoding,
		                    XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOCDATA);
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* Copy of data without NUL bytes (stray NULs end libxml2's parse early),
 * unless it is UTF-16/32, where NULs are part of the text. */
static char *strip_nuls(const char *data, size_t len, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)data;
	char *o;
	size_t n = 0;

	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
	                 u[0] == 0 || u[1] == 0))
		return NULL;
	if (memchr(data, '\0', len) == NULL)
		return NULL;
	o = malloc(len + 1);
	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (data[i] != '\0')
			o[n++] = data[i];
	o[n] = '\0';
	*out_len = n;
	return o;
}

static bool xml_predefined(const char *name, size_t n)
{
	static const char *const pre[] = {"amp", "lt", "gt", "quot", "apos"};

	for (size_t i = 0; i < HARK_ARRAY_LEN(pre); i++)
		if (strlen(pre[i]) == n && strncmp(pre[i], name, n) == 0)
			return true;
	return false;
}

/* memmem() for the short needles of the pre-pass: memchr() for the
 * needle's rarest byte (the one after its first) is several times faster
 * than glibc's general memmem over a 25 MB document. */
static const char *find_str(const char *hay, size_t len, const char *needle, size_t n)
{
	const char *p = hay, *end = hay + len;

	if (n < 2)
		return n == 0 ? hay : memchr(hay, needle[0], len);
	while (p + n <= end && (p = memchr(p + 1, needle[1], (size_t)(end - p - 1))) != NULL) {
		if (p + n - 1 <= end && p[-1] == needle[0] && memcmp(p - 1, needle, n) == 0)
			return p - 1;
	}
	return NULL;
}

/* The first repair: the copy starts with everything before it. Until
 * then nothing is copied, so a document that needs no repair (most) costs
 * one scan and no second 25 MB buffer. */
static void start_copy(struct buf *b, const char *data, size_t upto, bool *changed)
{
	if (!*changed)
		buf_append(b, data, upto);
	*changed = true;
}

/* Repair what sloppy feeds do with '&' before libxml2 sees it (its
 * recovery drops such text): a stray '&' becomes "&amp;" and, when the
 * document declares no DTD, an HTML entity such as "&eacute;" becomes a
 * character reference. CDATA sections, comments and PIs are left alone.
 * Returns NULL when nothing needed changing. */
static char *fix_ampersands(const char *data, size_t len, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)data;
	bool has_dtd, changed = false;
	struct buf b = {0};
	size_t i = 0;

	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
	                 u[0] == 0 || u[1] == 0))
		return NULL;
	if (memchr(data, '&', len) == NULL)
		return NULL;
	has_dtd = find_str(data, len, "<!DOCTYPE", 9) != NULL;
	while (i < len) {
		static const struct {
			const char *open, *close;
		} skips[] = {
		        {"<![CDATA[", "]]>"}, {"<!--", "-->"}, {"<?", "?>"}, {"<!DOCTYPE", ">"}};
		bool skipped = false;

		if (data[i] == '<') {
			for (size_t k = 0; k < HARK_ARRAY_LEN(skips); k++) {
				size_t ol = strlen(skips[k].open);
				const char *end;

				if (len - i < ol || memcmp(data + i, skips[k].open, ol) != 0)
					continue;
				if (k == 3 && memchr(data + i, '[', len - i)) {
					/* internal subset: up to "]>" */
					end = find_str(data + i, len - i, "]>", 2);
					end = end ? end + 2 : data + len;
				} else {
					end = find_str(data + i + ol, len - i - ol, skips[k].close,
					               strlen(skips[k].close));
					end = end ? end + strlen(skips[k].close) : data + len;
				}
				if (changed)
					buf_append(&b, data + i, (size_t)(end - (data + i)));
				i = (size_t)(end - data);
				skipped = true;
				break;
			}
			if (skipped)
				continue;
		}
		if (data[i] == '&') {
			size_t j = i + 1;

			if (j < len && data[j] == '#') {
				j++;
				if (j < len && (data[j] == 'x' || data[j] == 'X'))
					j++;
				while (j < len && isxdigit((unsigned char)data[j]))
					j++;
				if (j < len && data[j] == ';' && j > i + 2) {
					if (changed)
						buf_append(&b, data + i, j + 1 - i);
					i = j + 1;
					continue;
				}
			} else {
				while (j < len && j - i < 40 &&
				       (isalnum((unsigned char)data[j]) || data[j] == '_' ||
				        data[j] == '-' || data[j] == '.' || data[j] == ':'))
					j++;
				if (j < len && data[j] == ';' && j > i + 1) {
					const char *name = data + i + 1;
					size_t n = j - i - 1;
					char nm[48];
					const htmlEntityDesc *d;

					if (has_dtd || xml_predefined(name, n)) {
						if (changed)
							buf_append(&b, data + i, j + 1 - i);
						i = j + 1;
						continue;
					}
					memcpy(nm, name, n);
					nm[n] = '\0';
					d = htmlEntityLookup((const xmlChar *)nm);
					start_copy(&b, data, i, &changed);
					if (d)
						buf_printf(&b, "&#%u;", d->value);
					/* an unknown name: dropped, as libxml2 would */
					i = j + 1;
					continue;
				}
			}
			start_copy(&b, data, i, &changed);
			buf_puts(&b, "&amp;");
			i++;
			continue;
		}
		{
			const char *next = memchr(data + i, '&', len - i);
			const char *lt = memchr(data + i, '<', len - i);
			size_t stop = len;

			if (next && (size_t)(next - data) < stop)
				stop = (size_t)(next - data);
			if (lt && (size_t)(lt - data) < stop)
				stop = (size_t)(lt - data);
			if (stop == i)
				stop = i + 1;
			if (changed)
				buf_append(&b, data + i, stop - i);
			i = stop;
		}
	}
	if (!changed || b.data == NULL) {
		buf_free(&b);
		return NULL;
	}
	*out_len = b.len;
	return buf_steal(&b);
}

static char *abs_path(const char *p)
{
	char cwd[PATH_MAX];

	if (p[0] == '/')
		return str_dup(p);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return str_dup(p);
	return str_printf("%s/%s", cwd, p);
}

static void setup_local(struct pctx *c, const char *base_url)
{
	char *abs, *slash;
	char real[PATH_MAX];

	if (base_url == NULL || *base_url == '\0')
		base_url = "feed.xml";
	if (str_case_starts_with(base_url, "file:")) {
		char *p = file_url_path(base_url);

		abs = p ? p : str_dup("feed.xml");
		if (abs[0] != '/') {
			char *t = abs_path(abs);

			free(abs);
			abs = t;
		}
	} else {
		abs = abs_path(base_url);
	}
	if (abs == NULL)
		return;
	slash = strrchr(abs, '/');
	if (slash) {
		*slash = '\0';
		if (realpath(*abs ? abs : "/", real))
			c->local_dir = str_printf("%s", real);
		else
			c->local_dir = str_dup(*abs ? abs : "/");
		*slash = '/';
	}
	c->doc_url = c->local_dir ? str_printf("%s/%s", c->local_dir, slash ? slash + 1 : abs)
	                          : str_dup(abs);
	free(abs);
}

/* Free the episodes a parse took that never reached a feed. */
static void stream_free(struct pctx *c)
{
	desc_collect(c);
	for (size_t i = 0; i < c->n_eps; i++)
		episode_free_members(&c->eps[i]);
	free(c->eps);
	free(c->eps_group);
	c->eps = NULL;
	c->eps_group = NULL;
	c->n_eps = c->cap_eps = 0;
}

/* Fill f from a parsed document (whose complete items were already taken
 * into c->eps as they ended); -1 with e set when it is not a feed. */
static int build_feed(struct pctx *c, xmlNode *root, struct feed *f, struct err *e)
{
	const char *rname;
	struct chan_acc a = {0};
	bool any_channel = false;
	xmlChar *lang;

	f->explicit_ = -1;
	(void)node_ns(root, &rname);
	if (c->dialect == DIALECT_UNKNOWN)
		c->dialect = root_dialect(c, root);
	if (c->dialect == DIALECT_ATOM) {
		for (xmlNode *k = root->children; k && !c->bomb && !c->oom; k = k->next)
			if (k->type == XML_ELEMENT_NODE && !is_item(k))
				channel_element(c, f, &a, k);
		add_items_from(c, root);
	} else if (c->dialect == DIALECT_RSS) {
		if (c->bare_channel) {
			any_channel = true;
			for (xmlNode *k = root->children; k && !c->bomb && !c->oom; k = k->next)
				if (k->type == XML_ELEMENT_NODE && !is_item(k))
					channel_element(c, f, &a, k);
		}
		for (xmlNode *ch = root->children; ch; ch = ch->next) {
			if (!is_el(ch, NS_CORE, "channel"))
				continue;
			any_channel = true;
			for (xmlNode *k = ch->children; k && !c->bomb && !c->oom; k = k->next)
				if (k->type == XML_ELEMENT_NODE && !is_item(k))
					channel_element(c, f, &a, k);
			add_items_from(c, ch);
		}
		/* RSS 1.0 items and images sit beside the channel; broken RSS 2.0
		 * feeds put everything straight under <rss>. */
		for (xmlNode *k = root->children; k && !c->bomb && !c->oom; k = k->next) {
			if (k->type != XML_ELEMENT_NODE || is_item(k) ||
			    is_el(k, NS_CORE, "channel"))
				continue;
			channel_element(c, f, &a, k); /* fills only what the channel lacks */
		}
		add_items_from(c, root);
		take_episodes(c, f);
		if (!any_channel && f->n_episodes == 0 && f->title == NULL) {
			err_set(e, "not an RSS or Atom feed: no <channel>");
			goto fail;
		}
	} else {
		err_set(e, "not an RSS or Atom feed (root element <%s>)",
		        rname && strlen(rname) < 64 ? rname : "?");
		goto fail;
	}
	take_episodes(c, f);
	if (c->bomb) {
		err_set(e, "entity expansion limit exceeded");
		goto fail;
	}
	if (c->oom) {
		err_set(e, "out of memory");
		goto fail;
	}
	if (f->title == NULL) {
		f->title = a.dc_title;
		a.dc_title = NULL;
	}
	free(a.dc_title);
	a.dc_title = NULL;
	f->description = a.desc ? a.desc : a.summary;
	if (a.desc)
		free(a.summary);
	a.desc = a.summary = NULL;
	if (f->author == NULL) {
		f->author = a.owner ? a.owner : a.editor;
		if (a.owner)
			free(a.editor);
	} else {
		free(a.owner);
		free(a.editor);
	}
	a.owner = a.editor = NULL;
	if (f->image == NULL) {
		f->image = a.img_core ? a.img_core : a.img_media;
		if (a.img_core)
			free(a.img_media);
	} else {
		free(a.img_core);
		free(a.img_media);
	}
	a.img_core = a.img_media = NULL;
	if (f->language == NULL && (lang = xmlNodeGetLang(root)) != NULL) {
		f->language = clean_line((const char *)lang);
		xmlFree(lang);
	}
	if (f->type == NULL)
		f->type = str_dup("episodic");
	if (strcmp(f->type, "serial") == 0)
		order_serial(f);
	return 0;
fail:
	free(a.dc_title);
	free(a.desc);
	free(a.summary);
	free(a.owner);
	free(a.editor);
	free(a.img_core);
	free(a.img_media);
	return -1;
}

/* feed_parse(); when owned is given it holds data and is freed as soon as
 * libxml2 has built the tree, so a big feed is not held twice. */
static struct feed *parse_owned(const char *data, size_t len, const char *base_url, bool local,
                                struct err *e, struct buf *owned, bool mapped)
{
	struct pctx c = {0}, base;
	struct perr pe;
	struct feed *f = NULL;
	xmlDocPtr doc;
	xmlNode *root;
	char *clean, *fixed;
	const char *orig;
	size_t clean_len = 0, fixed_len = 0, orig_len;
	xmlGenericErrorFunc saved_fn = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;

	if (data == NULL || len == 0) {
		err_set(e, "empty document: not an RSS or Atom feed");
		return NULL;
	}
	c.local = local;
	c.html = html_conv_new(); /* NULL (out of memory): one per description */
	if (len >= FEED_POOL_MIN_BYTES)
		c.pool = html_pool_new(c.html); /* NULL on one CPU: all converted here */
	if (local)
		setup_local(&c, base_url);
	else
		c.doc_url = str_dup(base_url);
	/* Text may grow past the input only through entities: allow a margin. */
	c.budget = len * 4 + (size_t)(8 << 20);
	orig = data;
	orig_len = len;
	clean = strip_nuls(data, len, &clean_len);
	if (clean) {
		data = clean;
		len = clean_len;
	}
	fixed = fix_ampersands(data, len, &fixed_len);
	if (fixed) {
		data = fixed;
		len = fixed_len;
	}
	if (mapped) {
		/* The scans above brought every page of the mapping in: let them
		 * go; the parse brings them back a little at a time and drops
		 * them behind it (unless a repaired copy is parsed instead). */
		struct mem_reader all = {orig + orig_len, 0, true, orig};

		drop_pages(&all, orig + orig_len);
		mapped = data == orig;
	}
	base = c; /* each parse below takes its items into its own copy */
	xmlSetGenericErrorFunc(NULL, silent_generic);
	doc = read_doc(data, len, c.doc_url, NULL, &pe, &c, mapped);
	desc_collect(&c);
	if (!pe.entity_loop && (doc == NULL || xmlDocGetRootElement(doc) == NULL || pe.encoding)) {
		/* Undeclared Windows-1252, or a declaration that lies: try again. */
		struct perr pe2;
		struct pctx c2 = base;
		xmlDocPtr doc2 = read_doc(data, len, c.doc_url, "windows-1252", &pe2, &c2, mapped);

		desc_collect(&c2);

		if (doc2 && xmlDocGetRootElement(doc2) && (!pe2.encoding || doc == NULL)) {
			xmlFreeDoc(doc);
			doc = doc2;
			pe = pe2;
			stream_free(&c);
			c = c2;
		} else {
			xmlFreeDoc(doc2);
			stream_free(&c2);
		}
	}
	xmlSetGenericErrorFunc(saved_ctx, saved_fn);
	free(clean);
	free(fixed);
	clean = fixed = NULL;
	if (owned)
		buf_free(owned);
	if (pe.entity_loop) {
		err_set(e, "entity expansion limit exceeded (%s)",
		        pe.first_msg[0] ? pe.first_msg : "entity loop");
		goto out;
	}
	if (pe.nomem) {
		err_set(e, "out of memory while parsing");
		goto out;
	}
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL) {
		if (pe.first_msg[0])
			err_set(e, "not an RSS or Atom feed: %s", pe.first_msg);
		else
			err_set(e, "not an RSS or Atom feed: no XML document");
		goto out;
	}
	c.doc = doc;
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	xmlSetGenericErrorFunc(NULL, silent_generic);
	if (build_feed(&c, root, f, e) < 0) {
		feed_free(f);
		f = NULL;
	}
	xmlSetGenericErrorFunc(saved_ctx, saved_fn);
out:
	xmlFreeDoc(doc);
	stream_free(&c);
	free(clean);
	free(fixed);
	free(c.doc_url);
	free(c.local_dir);
	html_conv_free(c.html);
	html_pool_free(c.pool);
	return f;
}

struct feed *feed_parse(const char *data, size_t len, const char *base_url, bool local,
                        struct err *e)
{
	return parse_owned(data, len, base_url, local, e, NULL, false);
}

struct feed *feed_parse_mapped(const char *data, size_t len, const char *base_url, bool local,
                               struct err *e)
{
	return parse_owned(data, len, base_url, local, e, NULL, true);
}

struct feed *feed_parse_file(const char *path, struct err *e)
{
	struct buf b = {0};
	struct err fe;
	struct feed *f;

	if (file_read_all(path, 0, &b, &fe) < 0) {
		err_set(e, "%s", fe.msg);
		return NULL;
	}
	f = parse_owned(b.data, b.len, path, true, &fe, &b, false);
	buf_free(&b);
	if (f == NULL)
		err_set(e, "%s: %s", path, fe.msg);
	return f;
}

void feed_free(struct feed *f)
{
	if (f == NULL)
		return;
	free(f->title);
	free(f->link);
	free(f->description);
	free(f->image);
	free(f->author);
	free(f->language);
	free(f->type);
	free(f->new_feed_url);
	free(f->subtitle);
	free(f->guid);
	for (size_t i = 0; i < f->n_funding; i++) {
		free(f->funding[i].url);
		free(f->funding[i].text);
	}
	free(f->funding);
	persons_free(f->persons, f->n_persons);
	for (size_t i = 0; i < f->n_episodes; i++)
		episode_free_members(&f->episodes[i]);
	free(f->episodes);
	free(f);
}

char *feed_episode_key(const struct feed_episode *ep)
{
	if (ep->guid && *ep->guid)
		return str_dup(ep->guid);
	if (ep->enc_url && *ep->enc_url)
		return str_dup(ep->enc_url);
	return str_printf("%s|%lld", ep->title ? ep->title : "", (long long)ep->published);
}
