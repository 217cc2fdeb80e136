/* cmd_transcript.c - placeholder until its area lands. */
#include "config.h"

#include "cli.h"

int cmd_transcript(int argc, char **argv)
{
	cli_error("transcript: not implemented yet");
	return CLI_FAIL;
}

int cmd_chapters(int argc, char **argv)
{
	cli_error("chapters: not implemented yet");
	return CLI_FAIL;
}

int cmd_search(int argc, char **argv)
{
	cli_error("search: not implemented yet");
	return CLI_FAIL;
}
