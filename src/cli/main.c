/* main.c - hark's entry point: global options, then one subcommand. */
#include "config.h"

#include <ao/ao.h>
#include <curl/curl.h>
#include <curses.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <locale.h>
#include <mpg123.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_global cli_global;

static const struct cli_command commands[] = {
        {"add", cmd_add, "URL|FILE", "subscribe to a feed"},
        {"remove", cmd_remove, "FEED", "unsubscribe (FEED: id, URL or title)"},
        {"update", cmd_update, "[--jobs N] [FEED]", "refresh subscriptions"},
        {"list", cmd_list, "[FEED] [--json]", "list subscriptions, or a feed's episodes"},
        {"import", cmd_import, "FILE", "subscribe to the feeds of an OPML file"},
        {"export", cmd_export, "", "write the subscriptions as OPML 2.0"},
        {"parse", cmd_parse, "URL|FILE --json", "parse a feed without storing it"},
        {"play", cmd_play,
         "URL|FILE|EPISODE [--start T] [--speed X] [--volume N] [--output DRIVER[:FILE]] "
         "[--pace] [--control -] [--events]",
         "play without the interface"},
        {"download", cmd_download, "EPISODE|URL", "download an episode"},
        {"remote", cmd_remote, "CMD [ARGS]", "control a running interface"},
        {"transcript", cmd_transcript, "URL|FILE [--type MIME] --json", "parse a transcript"},
        {"chapters", cmd_chapters, "URL|FILE --json", "read an episode's chapters"},
        {"search", cmd_search, "TEXT [--json]", "search titles, descriptions and transcripts"},
};

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hark: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_usage(const char *name, bool to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;
	size_t i;

	for (i = 0; i < HARK_ARRAY_LEN(commands); i++) {
		if (strcmp(commands[i].name, name) != 0)
			continue;
		fprintf(f, "usage: hark %s %s\n%s\n", name, commands[i].args, commands[i].help);
		return;
	}
}

bool cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

const char *cli_db_path(void)
{
	static char path[4096];

	if (path[0] == '\0')
		snprintf(path, sizeof path, "%s/%s", paths_data_dir(),
		         cli_global.demo ? "demo/library.db" : "library.db");
	return path;
}

static void print_help(void)
{
	size_t i;

	printf("usage: hark [--demo] [COMMAND [ARGS]]\n\n"
	       "A terminal podcast player. Without a command, hark opens the interface.\n\n"
	       "Options:\n"
	       "  --demo       use the bundled demo library (kept apart from yours)\n"
	       "  --version    print the version of hark and of its libraries\n"
	       "  --help       print this help\n\n"
	       "Commands:\n");
	for (i = 0; i < HARK_ARRAY_LEN(commands); i++)
		printf("  %-11s %s\n", commands[i].name, commands[i].help);
	printf("\n'hark COMMAND --help' describes one command; man hark has the rest.\n");
}

static void print_version(void)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	printf("hark %s\n", HARK_VERSION);
	printf("  libmpg123 %s (API %d)\n", MPG123_MODVERSION, MPG123_API_VERSION);
	printf("  libao %s\n", AO_MODVERSION);
	printf("  libcurl %s (%s)\n", cv->version, cv->ssl_version ? cv->ssl_version : "no TLS");
	printf("  libxml2 %s\n", xmlParserVersion);
	printf("  sqlite %s\n", sqlite3_libversion());
	printf("  jansson %s\n", jansson_version_str());
	printf("  %s\n", curses_version());
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd = NULL;
	int i = 1, rc;
	size_t k;

	setlocale(LC_ALL, "");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--demo") == 0) {
			cli_global.demo = true;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			print_version();
			return CLI_OK;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_help();
			return CLI_OK;
		} else {
			cli_error("%s: unknown option (see hark --help)", argv[i]);
			return CLI_USAGE;
		}
	}
	if (i < argc) {
		for (k = 0; k < HARK_ARRAY_LEN(commands); k++)
			if (strcmp(commands[k].name, argv[i]) == 0)
				cmd = &commands[k];
		if (cmd == NULL) {
			cli_error("%s: unknown command (see hark --help)", argv[i]);
			return CLI_USAGE;
		}
		if (cli_wants_help(argc - i, argv + i)) {
			cli_usage(cmd->name, false);
			return CLI_OK;
		}
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* libao starts when a live output is made (core/output.c) */
	rc = cmd ? cmd->run(argc - i, argv + i) : cmd_ui(argc - i, argv + i);
	curl_global_cleanup();
	return rc;
}
