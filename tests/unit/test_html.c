/* test_html.c - HTML descriptions to plain text. */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hark/html.h"
#include "hark/util.h"
#include "tap.h"

static void conv_is(const char *html, const char *want, const char *name)
{
	char *got = html_to_text(html, strlen(html));

	is_str(got, want, name);
	free(got);
}

/* test_pool's fragment for a slot: plain text for every third slot, else
 * HTML with a list and a link. */
static bool pool_plain(size_t slot)
{
	return slot % 3 == 0;
}

static char *pool_raw(size_t slot)
{
	return pool_plain(slot) ? str_printf("plain %zu\n\n\n  text", slot)
	                        : str_printf("<p>item <b>%zu</b></p><ul><li>a</li></ul>"
	                                     "<a href=\"https://e.com/%zu\">x</a>",
	                                     slot, slot);
}

enum { POOL_N = 3000 };

struct pool_round {
	int n, wrong, twice, order;
	size_t last;
	bool seen[POOL_N];
};

/* html_pool_wait's callback: each result must be what the plain functions
 * make of its slot's fragment, once, in the order submitted (descending). */
static void pool_take(void *arg, size_t slot, char *text)
{
	struct pool_round *r = arg;
	char *raw = pool_raw(slot);
	char *want = pool_plain(slot) ? html_plain_text(raw, strlen(raw))
	                              : html_to_text(raw, strlen(raw));

	if (slot >= POOL_N || text == NULL || want == NULL || strcmp(text, want) != 0)
		r->wrong++;
	else if (r->seen[slot])
		r->twice++;
	else
		r->seen[slot] = true;
	if (r->n > 0 && slot >= r->last)
		r->order++;
	r->last = slot;
	r->n++;
	free(raw);
	free(want);
	free(text);
}

/* html_pool: fragments converted on other threads come back under their
 * slots exactly as the plain functions convert them here; the pool works
 * again after a wait, and can be freed with fragments still submitted. */
static void test_pool(void)
{
	static struct pool_round r;
	struct html_conv *own = html_conv_new(); /* the caller's, as the feed parser's */
	struct html_pool *p = html_pool_new(own);
	cpu_set_t set;
	long cpus;

	CPU_ZERO(&set);
	cpus = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set)
	                                                    : sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 2) {
		ok(p == NULL, "one CPU: no pool, the caller converts");
		html_conv_free(own);
		return;
	}
	if (!ok(p != NULL, "a pool on %ld CPUs", cpus)) {
		html_conv_free(own);
		return;
	}
	{ /* held to one CPU (taskset, a cpuset): no pool */
		cpu_set_t one;
		struct html_pool *q;

		CPU_ZERO(&one);
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set)) {
				CPU_SET(c, &one);
				break;
			}
		q = sched_setaffinity(0, sizeof(one), &one) == 0 ? html_pool_new(NULL) : p;
		ok(q == NULL, "held to one CPU: no pool");
		html_pool_free(q == p ? NULL : q);
		sched_setaffinity(0, sizeof(set), &set);
	}
	for (int round = 1; round <= 2; round++) {
		int refused = 0;

		memset(&r, 0, sizeof(r));
		for (size_t i = 0; i < POOL_N; i++) { /* slots are the caller's: descending */
			size_t slot = POOL_N - 1 - i;
			char *raw = pool_raw(slot);

			if (!html_pool_submit(p, slot, raw, pool_plain(slot))) {
				free(raw);
				refused++;
			}
		}
		html_pool_wait(p, pool_take, &r);
		ok(refused == 0 && r.n == POOL_N && r.wrong == 0 && r.twice == 0 && r.order == 0,
		   "round %d: %d of %d results, %d wrong, %d twice, %d out of order", round, r.n,
		   POOL_N, r.wrong, r.twice, r.order);
	}
	for (size_t i = 0; i < 100; i++)
		if (!html_pool_submit(p, i, str_printf("<p>%zu</p>", i), false))
			ok(0, "submit");
	html_pool_free(p); /* waits and discards: no leak (ASan), no hang */
	html_conv_free(own);
	ok(1, "freed with fragments still submitted");
}

int main(void)
{
	char *s;

	conv_is("<p>Hello <b>world</b></p><p>Second &amp; para</p>", "Hello world\n\nSecond & para",
	        "paragraphs are blank-line separated, entities decoded");
	conv_is("Line one<br>Line two<br><br>After blank", "Line one\nLine two\n\nAfter blank",
	        "<br> is a newline");
	conv_is("<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul><ol><li>a</li><li>b</"
	        "li></ol>",
	        "\xe2\x80\xa2 one\n\xe2\x80\xa2 two\n  \xe2\x80\xa2 nested\n\n1. a\n2. b",
	        "lists: bullets, nesting, numbers");
	conv_is("<ol start=\"3\"><li>c</li><li>d</li></ol>", "3. c\n4. d", "ol start");
	conv_is("See <a href=\"https://example.com/x\">the site</a> and <a "
	        "href=\"https://example.com/x\">again</a>, <a "
	        "href=\"http://b.example/\">other</a>.",
	        "See the site [1] and again [1], other [2].\n\n[1] https://example.com/x\n[2] "
	        "http://b.example/",
	        "links become numbered references, same URL same number");
	conv_is("Visit <a href=\"https://a.example/\">https://a.example/</a> now",
	        "Visit https://a.example/ now", "a link showing its own URL gets no reference");
	conv_is("x <a href=\"javascript:alert(1)\">bad</a> y", "x bad y",
	        "javascript: links are not listed");
	conv_is("<script>alert(1)</script><style>p{color:red}</style>Visible", "Visible",
	        "scripts and styles dropped");
	conv_is("<h1>Title</h1>text<div>div</div><h2>Sub</h2>", "Title\n\ntext\n\ndiv\n\nSub",
	        "headings and divs are blocks");
	conv_is("<p>a   b\n\tc</p>", "a b c", "whitespace collapses");
	conv_is("<p>caf&eacute; &lt;tag&gt; &#8220;q&#8221; &nbsp;x</p>",
	        "caf\xc3\xa9 <tag> \xe2\x80\x9cq\xe2\x80\x9d x", "named and numeric entities");
	conv_is("Plain text.\n\nSecond paragraph\nwith a line.",
	        "Plain text.\n\nSecond paragraph\nwith a line.", "plain text keeps its breaks");
	conv_is("Plain\n\n\n\n  text  with   spaces  \r\nend", "Plain\n\ntext with spaces\nend",
	        "plain text: blank lines and spaces tidied");
	conv_is("Tom &amp; Jerry\nnext", "Tom & Jerry\nnext", "entities without tags keep breaks");
	conv_is("esc \x1b[31mred\x1b[0m \xe2\x80\xae!", "esc [31mred[0m !",
	        "control characters and bidi overrides removed");
	conv_is("<p>esc &#27;[2J &#x9b;x</p>", "esc [2J x",
	        "escape via character reference removed");
	conv_is("", "", "empty");
	conv_is("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc",
	        "table rows and cells");
	conv_is("<pre>line 1\n  line 2</pre>", "line 1\n  line 2", "pre keeps whitespace");
	conv_is("<p>unclosed <b>bold<p>next", "unclosed bold\n\nnext", "tag soup repaired");
	conv_is("<blockquote>q</blockquote>after", "q\n\nafter", "blockquote is a block");
	ok(html_has_markup("a <b>x</b>", 10), "has_markup: tag");
	ok(html_has_markup("a &amp; b", 9), "has_markup: entity");
	ok(!html_has_markup("a < b & c", 9), "has_markup: plain");
	s = html_plain_text("a <b> c", 7);
	is_str(s, "a <b> c", "plain_text leaves markup alone");
	free(s);
	{
		/* deep nesting does not blow the stack: libxml2 stops at depth
		 * 256, the text before survives */
		size_t n = 20000;
		char *deep = malloc(n * 5 + 32);
		size_t k = 7;

		memcpy(deep, "before ", 7);
		for (size_t i = 0; i < n; i++) {
			memcpy(deep + k, "<div>", 5);
			k += 5;
		}
		memcpy(deep + k, "deep", 5);
		s = html_to_text(deep, strlen(deep));
		ok(s && strncmp(s, "before", 6) == 0, "20000 nested divs");
		free(s);
		s = html_to_text(deep + 7 + 5 * (n - 200), strlen(deep + 7 + 5 * (n - 200)));
		is_str(s, "deep", "200 nested divs");
		free(s);
		free(deep);
	}
	test_pool();
	return tap_done();
}
