/* fuzz_config.c - the config file and `:` command-line parser.
 *
 * The input is a config file. Every line goes through config_parse(); "set"
 * lines through config_set() (and back out with config_value_text()),
 * "bind" lines through config_key_parse(). Properties: every word quoted
 * with config_quote() splits back to itself, and a parsed key's canonical
 * name parses back to the same key. */
#include "fuzz.h"
#include "hark/config.h"

/* config_quote(w) must split to exactly { w }. */
static void check_quote(const char *w)
{
	struct err e = {{0}};
	char *q = config_quote(w), **back = NULL;
	int n;

	FUZZ_CHECK(q != NULL);
	n = config_split(q, &back, &e);
	if (n != 1 || strcmp(back[0], w) != 0) {
		fprintf(stderr, "word [%s] quoted as [%s] splits to %d word(s)\n", w, q, n);
		FUZZ_CHECK(!"config_quote round trip");
	}
	config_words_free(back, n);
	free(q);
}

/* The canonical name of a parsed key parses back to the same key. */
static void check_key(const char *name)
{
	struct err e = {{0}};
	char buf[64];
	int k = config_key_parse(name, &e), k2;

	if (k < 0) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return;
	}
	config_key_name(k, buf, sizeof buf);
	k2 = config_key_parse(buf, &e);
	if (k2 != k) {
		fprintf(stderr, "key [%s] = %d named [%s] parses to %d\n", name, k, buf, k2);
		FUZZ_CHECK(!"config_key_name round trip");
	}
}

/* The config_parse() callback. */
static int on_cmd(int argc, char **argv, void *ud, struct err *e)
{
	char buf[256];

	for (int i = 0; i < argc; i++) {
		FUZZ_CHECK(argv[i] != NULL);
		check_quote(argv[i]);
	}
	if (strcmp(argv[0], "set") == 0 && argc == 3) {
		if (config_set(argv[1], argv[2], e) < 0)
			return -1;
		FUZZ_CHECK(config_value_text(argv[1], buf, sizeof buf) != NULL);
		return 0;
	}
	if (strcmp(argv[0], "bind") == 0 && argc >= 3) {
		check_key(argv[2]);
		return 0;
	}
	for (int i = 1; i < argc; i++)
		check_key(argv[i]);
	err_set(e, "%s: not a config command", argv[0]);
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {{0}};
	char *text = fuzz_cstr(data, size);
	size_t n;
	const struct config_option *opts;

	if (!text)
		return 0;
	(void)config_parse(text, "fuzz.conf", on_cmd, NULL, &e);
	/* options must still read back whatever was set */
	opts = config_options(&n);
	for (size_t i = 0; i < n; i++) {
		char buf[256];

		FUZZ_CHECK(config_value_text(opts[i].name, buf, sizeof buf) != NULL);
	}
	config_reset();
	free(text);
	return 0;
}
