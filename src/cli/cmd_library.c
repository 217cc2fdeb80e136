/* cmd_library.c - placeholder until its area lands. */
#include "config.h"

#include "cli.h"

int cmd_add(int argc, char **argv)
{
	cli_error("add: not implemented yet");
	return CLI_FAIL;
}

int cmd_remove(int argc, char **argv)
{
	cli_error("remove: not implemented yet");
	return CLI_FAIL;
}

int cmd_update(int argc, char **argv)
{
	cli_error("update: not implemented yet");
	return CLI_FAIL;
}

int cmd_list(int argc, char **argv)
{
	cli_error("list: not implemented yet");
	return CLI_FAIL;
}

int cmd_import(int argc, char **argv)
{
	cli_error("import: not implemented yet");
	return CLI_FAIL;
}

int cmd_export(int argc, char **argv)
{
	cli_error("export: not implemented yet");
	return CLI_FAIL;
}
