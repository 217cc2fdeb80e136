/* test_vtt_corpus.c - every .vtt of the vtt.js conformance suite under
 * $HARK_CORPUS/webvtt/: cue times must match X.json, cue text and speaker
 * the rendered X-proc.json (textContent, voice title). One TAP line per
 * file; the known differences (docs/conformance.md) are TAP TODO. */
#include "config.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hark/transcript.h"
#include "hark/util.h"
#include "tap.h"

/* Files whose expected output hark deliberately does not reproduce; keep in
 * step with docs/conformance.md. */
static const struct {
	const char *file, *why;
} todo[] = {
        {NULL, NULL},
};

struct list {
	char **v;
	size_t n, cap;
};

static void list_add(struct list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

static void find_vtt(const char *dir, struct list *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat sb;
	char *p;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		p = str_printf("%s/%s", dir, de->d_name);
		if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			find_vtt(p, out);
			free(p);
		} else if (n > 4 && strcmp(de->d_name + n - 4, ".vtt") == 0) {
			list_add(out, p);
		} else {
			free(p);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Trim every line, drop empty lines at the ends: the same normalisation
 * hark applies to cue text, after the same text_sanitize(). */
static char *norm_text(const char *s)
{
	char *san = text_sanitize(s ? s : "", true), *out, *line, *save = NULL;
	struct buf b = {0};

	buf_puts(&b, "");
	for (line = strtok_r(san, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (b.len > 0)
			buf_putc(&b, '\n');
		buf_puts(&b, str_trim(line));
	}
	free(san);
	out = buf_steal(&b);
	str_trim(out);
	return out;
}

/* First non-empty "title" in document order (the voice of <v Name>). */
static const char *first_title(json_t *node)
{
	json_t *kids, *k;
	const char *t;
	size_t i;

	t = json_string_value(json_object_get(node, "title"));
	if (t != NULL && *t != '\0')
		return t;
	kids = json_object_get(node, "childNodes");
	json_array_foreach(kids, i, k)
	{
		t = first_title(k);
		if (t != NULL)
			return t;
	}
	return NULL;
}

static const char *todo_reason(const char *rel)
{
	size_t i;

	for (i = 0; i < HARK_ARRAY_LEN(todo); i++)
		if (todo[i].file != NULL && strcmp(todo[i].file, rel) == 0)
			return todo[i].why;
	return NULL;
}

/* Check one file; on a mismatch *why says what differed. */
static int check_file(const char *path, char *why, size_t whylen)
{
	struct buf data = {0};
	struct err e = {{0}};
	struct transcript *t;
	char *base, *jpath, *ppath;
	json_t *jx = NULL, *jp = NULL, *cues;
	size_t i, n;
	int ok_ = 1;
	struct stat sb;

	if (file_read_all(path, 0, &data, &e) < 0) {
		snprintf(why, whylen, "read: %s", e.msg);
		return 0;
	}
	t = transcript_parse(data.data, data.len, "text/vtt", &e);
	buf_free(&data);
	n = t ? t->n : 0;
	base = str_ndup(path, strlen(path) - 4);
	jpath = str_printf("%s.json", base);
	ppath = str_printf("%s-proc.json", base);
	if (stat(jpath, &sb) == 0)
		jx = json_load_file(jpath, 0, NULL);
	if (stat(ppath, &sb) == 0)
		jp = json_load_file(ppath, JSON_DECODE_ANY, NULL);
	if (jx == NULL && jp == NULL && n != 0) {
		snprintf(why, whylen, "no expected cues, got %zu", n);
		ok_ = 0;
	}
	cues = json_object_get(jx, "cues");
	if (ok_ && jx != NULL) {
		if (json_array_size(cues) != n) {
			snprintf(why, whylen, "%zu cues, want %zu (%s)", n, json_array_size(cues),
			         t ? "" : e.msg);
			ok_ = 0;
		}
		for (i = 0; ok_ && i < n; i++) {
			json_t *c = json_array_get(cues, i);
			double s = json_number_value(json_object_get(c, "startTime"));
			double en = json_number_value(json_object_get(c, "endTime"));

			if (fabs(s - t->cues[i].start) > 1e-6 || fabs(en - t->cues[i].end) > 1e-6) {
				snprintf(why, whylen, "cue %zu: %.3f-%.3f, want %.3f-%.3f", i,
				         t->cues[i].start, t->cues[i].end, s, en);
				ok_ = 0;
			}
		}
	}
	if (ok_ && json_is_array(jp)) {
		if (json_array_size(jp) != n) {
			snprintf(why, whylen, "%zu cues, want %zu rendered (%s)", n,
			         json_array_size(jp), t ? "" : e.msg);
			ok_ = 0;
		}
		for (i = 0; ok_ && i < n; i++) {
			json_t *c = json_array_get(jp, i);
			char *want =
			        norm_text(json_string_value(json_object_get(c, "textContent")));
			const char *spk = first_title(c);

			if (strcmp(want, t->cues[i].text) != 0) {
				snprintf(why, whylen, "cue %zu: text '%s', want '%s'", i,
				         t->cues[i].text, want);
				ok_ = 0;
			} else if ((spk == NULL) != (t->cues[i].speaker == NULL) ||
			           (spk && strcmp(spk, t->cues[i].speaker) != 0)) {
				snprintf(why, whylen, "cue %zu: speaker '%s', want '%s'", i,
				         t->cues[i].speaker ? t->cues[i].speaker : "(none)",
				         spk ? spk : "(none)");
				ok_ = 0;
			}
			free(want);
		}
	}
	json_decref(jx);
	json_decref(jp);
	free(base);
	free(jpath);
	free(ppath);
	transcript_free(t);
	return ok_;
}

int main(void)
{
	const char *corpus = getenv("HARK_CORPUS"), *ci = getenv("CI");
	struct list files = {0};
	char *dir, why[1024];
	size_t i, skip;

	dir = str_printf("%s/webvtt", corpus ? corpus : "");
	if (corpus != NULL)
		find_vtt(dir, &files);
	if (files.n == 0) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			ok(0, "WebVTT corpus at %s (required in CI)", dir);
		} else {
			printf("1..0 # SKIP no WebVTT corpus at %s\n", dir);
			free(dir);
			return 0;
		}
		free(dir);
		return tap_done();
	}
	qsort(files.v, files.n, sizeof *files.v, cmp_str);
	skip = strlen(dir) + 1;
	for (i = 0; i < files.n; i++) {
		const char *rel = files.v[i] + skip, *reason = todo_reason(rel);
		int good;

		why[0] = '\0';
		good = check_file(files.v[i], why, sizeof why);
		if (reason != NULL) {
			printf("%sok %d - %s # TODO %s\n", good ? "" : "not ", ++tap_n, rel,
			       reason);
			if (!good)
				printf("#   %s\n", why);
		} else if (!ok(good, "%s", rel)) {
			printf("#   %s\n", why);
		}
		free(files.v[i]);
	}
	free(files.v);
	free(dir);
	return tap_done();
}
