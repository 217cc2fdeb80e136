/* cli.h - the command line: one handler per subcommand, all in one table. */
#ifndef HARK_CLI_H
#define HARK_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "hark/util.h"

/* Exit statuses of every subcommand. */
enum {
	CLI_OK = 0,    /* success */
	CLI_USAGE = 1, /* bad arguments */
	CLI_FAIL = 2,  /* a feed, file or network step failed */
};

/* Options that come before the subcommand and apply to all of them. */
struct cli_global {
	bool demo; /* --demo: use the demo library instead of the user's */
};
extern struct cli_global cli_global;

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
	const char *args;                  /* synopsis after the name */
	const char *help;                  /* one line */
};

/* "hark: <what>: <why>" on stderr. */
void cli_error(const char *fmt, ...) HARK_PRINTF(1, 2);
/* Print "usage: hark NAME ARGS" and the help line of a subcommand. */
void cli_usage(const char *name, bool to_stderr);
/* True when argv holds -h or --help: the subcommand prints its help. */
bool cli_wants_help(int argc, char **argv);
/* The library database path: the demo one with --demo. */
const char *cli_db_path(void);
struct store;
/* Open the library at cli_db_path(); with --demo, first seed it from the
 * shipped demo feed when it holds no feed yet. NULL and e set on failure. */
struct store *cli_open_store(struct err *e);
/* A title for one line of output: cut to CLI_TITLE_SHOWN bytes at a character
 * boundary, "…" added, so a 100 KB title does not fill the terminal (--json
 * keeps it whole). Static storage, valid for a few more calls. */
#define CLI_TITLE_SHOWN 200
const char *cli_shown(const char *s);
/* After add/update/import stored feeds (feed_ids NULL: all): fetch and
 * store the transcripts of each feed's newest episodes (config
 * transcripts_fetch, transcript_language; cmd_transcript.c). A failure is
 * one line on stderr and never changes the exit status. */
void cli_fetch_transcripts(struct store *st, const int64_t *feed_ids, size_t n, const char *verb,
                           const char *cacert, int jobs);

int cmd_ui(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_play(int argc, char **argv);
int cmd_download(int argc, char **argv);
int cmd_remote(int argc, char **argv);
int cmd_transcript(int argc, char **argv);
int cmd_chapters(int argc, char **argv);
int cmd_search(int argc, char **argv);

#endif
