/* test_html.c - HTML descriptions to plain text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hark/html.h"
#include "tap.h"

static void conv_is(const char *html, const char *want, const char *name)
{
	char *got = html_to_text(html, strlen(html));

	is_str(got, want, name);
	free(got);
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
	return tap_done();
}
