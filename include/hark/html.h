/* html.h - HTML fragments (feed descriptions) to plain text. */
#ifndef HARK_HTML_H
#define HARK_HTML_H

#include <stdbool.h>
#include <stddef.h>

/* Convert an HTML fragment to plain text with libxml2's HTML parser (no
 * network): paragraphs, divs and headings become blank-line separated
 * blocks, <br> a newline, <li> "• item" ("1. item" in <ol>), entities are
 * decoded, links are kept as numbered references ("text [1]" and, at the
 * end, "[1] https://..."), scripts and styles are dropped and whitespace
 * collapses. Input without any tag is treated as plain text whose line and
 * paragraph breaks are kept. The result is sanitized (text_sanitize with
 * newlines kept) and trimmed; malloc'd, "" for empty input, NULL only on
 * out-of-memory. */
char *html_to_text(const char *html, size_t len);

/* A reusable converter (one libxml2 HTML parser context), for converting
 * many fragments in a row, as a feed parse does: html_conv_text(h, ...) is
 * html_to_text() without setting up a parser each time. h NULL: a temporary
 * one. A converter is not shared between threads. */
struct html_conv;
struct html_conv *html_conv_new(void);
void html_conv_free(struct html_conv *h);
char *html_conv_text(struct html_conv *h, const char *html, size_t len);

/* Many fragments converted on the other cores (html_pool.c): submit hands
 * over raw (malloc'd; converted as html_conv_text(), or html_plain_text()
 * when plain) under a slot number of the caller's choosing and returns at
 * once, or false (out of memory) when raw stays the caller's to convert.
 * html_pool_wait() waits for every fragment submitted since the last wait
 * and hands each result (malloc'd, NULL on out-of-memory) to take, in the
 * order submitted. html_pool_new() is NULL on a single CPU: convert in the
 * caller then. One thread submits and waits (and converts with caller, its
 * own converter, when it helps; NULL: one per fragment); free waits and
 * discards. */
struct html_pool;
struct html_pool *html_pool_new(struct html_conv *caller);
bool html_pool_submit(struct html_pool *p, size_t slot, char *raw, bool plain);
void html_pool_wait(struct html_pool *p, void (*take)(void *arg, size_t slot, char *text),
                    void *arg);
void html_pool_free(struct html_pool *p);

/* Plain text (no markup interpretation): whitespace tidied, paragraph
 * breaks kept, sanitized. malloc'd. */
char *html_plain_text(const char *text, size_t len);

/* True when s looks like it contains markup (a tag, comment or entity). */
bool html_has_markup(const char *s, size_t len);

#endif
