#!/bin/bash
# tests/e2e/ui_lib.bash - shared set-up of the interface's end-to-end tests
# (sourced by tests/e2e/ui_*.sh; not a test itself).
#
#     ui_setup                 temp HARK_HOME, PulseAudio null sink, output pulse
#     ui_start COLS ROWS ARGS  run "$HARK ARGS" in tmux
#     ui_remote ARGS           hark remote ARGS
#     ui_field NAME            one field of `hark remote status` (position, state...)
#     ui_wait_field T NAME AWK-CONDITION   poll until the field satisfies $1 CONDITION
#     ui_quit                  Q, then wait for a clean exit (status 0)
#     ui_no_sanitizer_report   the log holds no ASan/UBSan/LSan report
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
. "$top_srcdir/tests/lib/pulse.sh"


ui_setup() {
	need tmux pulseaudio pactl jq
	mk_home
	pulse_start
	mkdir -p "$HARK_HOME/config"
	printf 'set output pulse\n%s\n' "${UI_EXTRA_CONFIG:-}" >"$HARK_HOME/config/config"
}

# The exit status goes to a file: tmux 3.3a can crash when asked for
# #{pane_dead_status} after resize-window, so ui_quit does not ask tmux.
ui_start() {
	local cols=$1 rows=$2
	shift 2
	UI_EXIT_FILE=$TEST_TMPDIR/ui_exit.$RANDOM
	rm -f "$UI_EXIT_FILE"
	tmux_start "$cols" "$rows" env HARK_HOME="$HARK_HOME" PULSE_SERVER="$PULSE_SERVER" \
		PULSE_CLIENTCONFIG="$PULSE_CLIENTCONFIG" HARK_DATADIR="${HARK_DATADIR:-}" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
		UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" ${UI_ENV:-} \
		sh -c '"$0" "$@"; echo $? >"'"$UI_EXIT_FILE"'.tmp"; mv "'"$UI_EXIT_FILE"'.tmp" "'"$UI_EXIT_FILE"'"' \
		"$HARK" "$@"
}

ui_remote() {
	"$HARK" remote "$@"
}

ui_field() {
	"$HARK" remote status 2>/dev/null | awk -v k="$1" '$1 == k { sub(/^[^ ]+ /, ""); print; exit }'
}

# _ui_field_is NAME CONDITION - e.g. _ui_field_is position '> 3'
_ui_field_is() {
	local v
	v=$(ui_field "$1")
	[ -n "$v" ] && awk -v v="$v" "BEGIN { exit !(v $2) }"
}

ui_wait_field() {
	local t=$1
	shift
	if wait_for "$t" _ui_field_is "$@"; then
		return 0
	fi
	diag "ui_wait_field: $1 not $2 after $t s (status: $("$HARK" remote status 2>&1 | tr '\n' ' '))"
	diag "$(tmux_screen 2>&1)"
	return 1
}

ui_quit() {
	local st
	tmux_keys Q
	if ! wait_for 20 test -s "$UI_EXIT_FILE"; then
		diag "ui_quit: still running after 20 s; the screen:"
		diag "$(tmux_screen 2>&1)"
		return 1
	fi
	st=$(cat "$UI_EXIT_FILE")
	if [ "$st" != 0 ]; then
		diag "exit status $st; the screen:"
		diag "$(tmux_screen)"
		diag "the log's end:"
		diag "$(tail -n 15 "$HARK_HOME/data/hark.log")"
		return 1
	fi
}

ui_no_sanitizer_report() {
	local log=$HARK_HOME/data/hark.log
	if grep -qE 'Sanitizer|runtime error:' "$log" 2>/dev/null; then
		diag "$(grep -E -A20 'Sanitizer|runtime error:' "$log" | head -60)"
		return 1
	fi
	return 0
}

# ui_status_line - the status line (the screen's line above the last).
ui_status_line() {
	tmux_screen | tail -n 2 | head -n 1
}
