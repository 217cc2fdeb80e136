#!/bin/bash
# tests/lib/faultsrv.sh - start and stop hark's fault HTTP server (tests/faultsrv).
#
#     . "$top_srcdir/tests/lib/common.sh"
#     . "$top_srcdir/tests/lib/faultsrv.sh"
#     faultsrv_start DOCROOT        exports FAULT_PORT, FAULT_URL, FAULT_LOG, FAULT_PID,
#                                   FAULT_DIR (the server's stderr is $FAULT_DIR/stderr)
#     curl "$FAULT_URL/close/1000/ep.mp3"
#     faultsrv_requests             the request log (tab-separated, see tests/faultsrv.c)
#     faultsrv_stop                 (also done at exit)
#
# The kernel picks the port (faultsrv -p 0 prints it), so there is no race.

FAULTSRV=${FAULTSRV:-$top_builddir/tests/faultsrv}

faultsrv_start() {
	local docroot=$1 dir
	if [ ! -x "$FAULTSRV" ]; then
		skip_all "missing $FAULTSRV (make check builds it)"
	fi
	dir=$(mk_temp faultsrv) || bail "faultsrv_start: mktemp failed"
	FAULT_DIR=$dir
	FAULT_LOG=$dir/requests.log
	: >"$FAULT_LOG"
	"$FAULTSRV" -p 0 -d "$docroot" -l "$FAULT_LOG" >"$dir/port" 2>"$dir/stderr" &
	FAULT_PID=$!
	at_exit "faultsrv_stop"
	_guard "kill $FAULT_PID"
	if ! wait_for 10 test -s "$dir/port"; then
		diag "faultsrv did not start: $(cat "$dir/stderr")"
		bail "faultsrv_start failed"
	fi
	FAULT_PORT=$(head -n 1 "$dir/port")
	FAULT_URL=http://127.0.0.1:$FAULT_PORT
	export FAULT_PORT FAULT_URL FAULT_LOG FAULT_PID FAULT_DIR
}

# faultsrv_requests - print the request log so far.
faultsrv_requests() {
	cat "$FAULT_LOG"
}

# faultsrv_count PATH - how many requests had exactly this target.
faultsrv_count() {
	awk -F'\t' -v t="$1" '$3 == t { n++ } END { print n + 0 }' "$FAULT_LOG"
}

faultsrv_stop() {
	if [ -n "${FAULT_PID:-}" ]; then
		kill "$FAULT_PID" 2>/dev/null
		wait "$FAULT_PID" 2>/dev/null
		FAULT_PID=""
	fi
	return 0
}
