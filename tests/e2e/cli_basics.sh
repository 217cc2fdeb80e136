#!/bin/bash
# cli_basics.sh - the version line, the help text and the exit statuses that
# every front end relies on.
. "$top_srcdir/tests/lib/common.sh"

run "$HARK" --version
ok $run_rc "--version exits 0"
like "$(head -n 1 "$run_stdout")" '^hark [0-9]+\.[0-9]+\.[0-9]+$' "first line is hark X.Y.Z"
for lib in libmpg123 libao libcurl libxml2 sqlite jansson ncurses; do
	grep -Eq "^  $lib [0-9]" "$run_stdout"
	ok $? "--version names $lib with its version"
done

run "$HARK" --help
ok $run_rc "--help exits 0"
for cmd in add remove update list import export parse play download remote transcript \
	chapters search; do
	grep -Eq "^  $cmd " "$run_stdout"
	ok $? "--help lists $cmd"
done

run "$HARK" frobnicate
is "$run_rc" 1 "an unknown command is a usage error"
like "$(cat "$run_stderr")" '^hark: frobnicate: unknown command' "and says so on stderr"

run "$HARK" --frob
is "$run_rc" 1 "an unknown option is a usage error"

run "$HARK" add --help
ok $run_rc "a subcommand's --help exits 0"
like "$(head -n 1 "$run_stdout")" '^usage: hark add ' "and prints its usage"

done_testing
