/* cmd_play.c - placeholder until its area lands. */
#include "config.h"

#include "cli.h"

int cmd_play(int argc, char **argv)
{
	cli_error("play: not implemented yet");
	return CLI_FAIL;
}

int cmd_download(int argc, char **argv)
{
	cli_error("download: not implemented yet");
	return CLI_FAIL;
}
