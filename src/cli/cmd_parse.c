/* cmd_parse.c - placeholder until its area lands. */
#include "config.h"

#include "cli.h"

int cmd_parse(int argc, char **argv)
{
	cli_error("parse: not implemented yet");
	return CLI_FAIL;
}
