/* ui.c - placeholder until its area lands. */
#include "config.h"

#include "../cli/cli.h"

int cmd_ui(int argc, char **argv)
{
	cli_error("ui: not implemented yet");
	return CLI_FAIL;
}

int cmd_remote(int argc, char **argv)
{
	cli_error("remote: not implemented yet");
	return CLI_FAIL;
}
