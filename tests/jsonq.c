/* jsonq.c - a tiny JSON checker and getter for shell tests (no jq needed).
 *
 *   jsonq FILE|- [PATH...]
 *
 * Exits 1 with a message when the input is not valid JSON. Otherwise prints
 * one line per PATH (".title", ".episodes.0.enclosure.url"; numeric parts
 * index arrays): strings raw (newlines as "\n"), numbers, true/false/null,
 * "[N]" for an array and "{N}" for an object of N members, "<missing>" when
 * the path leads nowhere. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *walk(json_t *v, const char *path)
{
	char part[256];

	while (v && *path) {
		size_t n;

		if (*path == '.')
			path++;
		n = strcspn(path, ".");
		if (n == 0 || n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		path += n;
		if (json_is_array(v)) {
			char *end;
			long i = strtol(part, &end, 10);

			v = (*end || i < 0) ? NULL : json_array_get(v, (size_t)i);
		} else if (json_is_object(v)) {
			v = json_object_get(v, part);
		} else {
			return NULL;
		}
	}
	return v;
}

static void print(json_t *v)
{
	if (v == NULL) {
		puts("<missing>");
	} else if (json_is_string(v)) {
		for (const char *s = json_string_value(v); *s; s++)
			if (*s == '\n')
				fputs("\\n", stdout);
			else
				putchar(*s);
		putchar('\n');
	} else if (json_is_integer(v)) {
		printf("%lld\n", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		printf("%.10g\n", json_real_value(v));
	} else if (json_is_true(v)) {
		puts("true");
	} else if (json_is_false(v)) {
		puts("false");
	} else if (json_is_null(v)) {
		puts("null");
	} else if (json_is_array(v)) {
		printf("[%zu]\n", json_array_size(v));
	} else {
		printf("{%zu}\n", json_object_size(v));
	}
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *root;

	if (argc < 2) {
		fprintf(stderr, "usage: jsonq FILE|- [PATH...]\n");
		return 2;
	}
	root = strcmp(argv[1], "-") == 0 ? json_loadf(stdin, JSON_DECODE_ANY, &err)
	                                 : json_load_file(argv[1], JSON_DECODE_ANY, &err);
	if (root == NULL) {
		fprintf(stderr, "jsonq: %s:%d: %s\n", argv[1], err.line, err.text);
		return 1;
	}
	for (int i = 2; i < argc; i++)
		print(walk(root, argv[i]));
	json_decref(root);
	return 0;
}
