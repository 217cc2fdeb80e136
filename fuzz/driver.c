/* driver.c - replay inputs through a fuzz target without libFuzzer.
 *
 * Linked with one fuzz/fuzz_*.c into tests/fuzz/replay_<target>. Every
 * argument is a file (or a folder, whose regular files are taken in name
 * order); each file's bytes are copied into an exactly sized buffer (so
 * ASan sees any overread) and passed to LLVMFuzzerTestOneInput() once.
 * Prints one line per input; a crash or sanitizer report ends the process
 * with a non-zero status, which is the failure. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Read path whole into a malloc'd buffer of exactly its size. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL, *np;
	size_t n = 0, cap = 0, r;

	if (!f)
		return -1;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			np = realloc(p, cap);
			if (!np) {
				free(p);
				fclose(f);
				return -1;
			}
			p = np;
		}
		r = fread(p + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	/* shrink to the exact size so an overread is caught */
	np = malloc(n ? n : 1);
	if (!np) {
		free(p);
		return -1;
	}
	if (n)
		memcpy(np, p, n);
	free(p);
	*out = np;
	*len = n;
	return 0;
}

/* Run one file through the target. */
static int run_file(const char *path)
{
	uint8_t *data;
	size_t len;

	if (read_file(path, &data, &len) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	printf("replay: %s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly inside dir, in name order. */
static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		p = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!p)
			break;
		sprintf(p, "%s/%s", dir, de->d_name);
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		nn = realloc(names, (n + 1) * sizeof *names);
		if (!nn) {
			free(p);
			break;
		}
		names = nn;
		names[n++] = p;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		if (run_file(names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode) ? run_dir(argv[i]) < 0 : run_file(argv[i]) < 0) {
			rc = 2;
		}
	}
	return rc;
}
