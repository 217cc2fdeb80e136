#!/bin/bash
# fuzz/valgrind.sh - run a command under valgrind memcheck for check-valgrind.
#
# usage: valgrind.sh PROGRAM [ARG...]
#
# Exit status 99 on any memcheck error or definitely lost block; the report
# goes to $HARK_VALGRIND_LOGS/<program>.<pid>.txt (never to the test's
# stderr, which some tests check) and, on failure, is copied to stderr.
# Scripts (a #! first line) run directly: only ELF programs get valgrind.
set -u
prog=$1
if [ "$(head -c 2 "$prog" 2>/dev/null)" = "#!" ]; then
	exec "$@"
fi
logs=${HARK_VALGRIND_LOGS:-${TMPDIR:-/tmp}}
mkdir -p "$logs"
log=$logs/$(basename "$prog").$$.txt
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --track-origins=yes --log-file="$log" "$@"
rc=$?
if [ "$rc" -eq 99 ] || [ -s "$log" ]; then
	echo "valgrind: $* (exit $rc):" >&2
	cat "$log" >&2
fi
[ -s "$log" ] || rm -f "$log"
exit "$rc"
