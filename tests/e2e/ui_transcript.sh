#!/bin/bash
# ui_transcript.sh - issue 6's interface proof: while the demo episode plays,
# the transcript pane marks (▸) the cue matching the elapsed time, follows a
# seek, stops following when moved by hand, and Enter on a line (found with
# / in the pane) moves playback there. Also the Chapters tab and the current
# chapter in the status line.
. "$top_srcdir/tests/e2e/ui_lib.bash"
ui_setup
vtt=${HARK_DATADIR:-$top_builddir/data}/demo/in-the-news.vtt
need_file "$vtt"
# cue starts, one a line
"$HARK" transcript "$vtt" --json | jq -r '.cues[] | "\(.start) \(.end)"' >"$TEST_TMPDIR/cues"
ok $? "the demo transcript parses"

# The cue heard at position $1: the start of the last cue with start <= pos
# and pos < end; empty in a gap.
cue_at() {
	awk -v p="$1" '$1 <= p && p < $2 { s = $1 } END { if (s != "") print s }' "$TEST_TMPDIR/cues"
}
# m:ss of seconds, as the gutter shows it
clock() {
	awk -v s="$1" 'BEGIN { s = int(s); printf "%d:%02d\n", int(s / 60), s % 60 }'
}
# The marked cue's time on screen.
marked() {
	tmux_screen | grep -oE '▸[0-9]+:[0-9]{2}' | head -n 1 | sed 's/▸//'
}
# The mark agrees with the position: two position reads around one screen
# capture fall in the same cue, and the mark shows that cue's start.
_mark_matches() {
	local a b m ca cb
	a=$(ui_field position)
	m=$(marked)
	b=$(ui_field position)
	ca=$(cue_at "$a")
	cb=$(cue_at "$b")
	[ -n "$ca" ] && [ "$ca" = "$cb" ] && [ "$m" = "$(clock "$ca")" ]
}
mark_matches() {
	if wait_for "$1" _mark_matches; then
		return 0
	fi
	diag "mark '$(marked)' at position $(ui_field position)"
	diag "$(tmux_screen)"
	return 1
}

ui_start 100 30 --demo
tmux_wait_text 30 "25:43"
tmux_keys Enter
ui_wait_field 20 state '== "playing"'
ok $? "the demo episode plays"
tmux_keys Tab t
tmux_wait_text 10 "● following playback"
ok $? "the Transcript tab follows playback"
tmux_wait_text 5 "Narrator:"
ok $? "speaker names are shown"
mark_matches 20
ok $? "the marked cue matches the elapsed time"

tmux_keys Right
ui_wait_field 15 position '>= 30'
mark_matches 20
ok $? "after a seek (+30 s) the mark follows to the cue being heard"
like "$(tmux_screen)" "$(clock "$(cue_at "$(ui_field position)")")" "the heard cue is in view"

# moving by hand stops the following
tmux_keys k
tmux_wait_text 5 "○ not following"
ok $? "moving by hand stops following, with a visible mark"

# / searches the pane; Enter on the found line seeks to its cue
tmux_keys /
tmux_type "Miami"
tmux_keys Enter
miami=$(jq -r '.cues[] | select(.text | test("Miami")) | .start' \
	<("$HARK" transcript "$vtt" --json) | head -n 1)
tmux_keys Enter
ui_wait_field 15 position ">= $miami - 0.1"
p=$(ui_field position)
awk -v a="$p" -v b="$miami" 'BEGIN { exit !(a < b + 5) }'
ok $? "Enter on the line found by / seeks to its cue ($miami -> $p)"
tmux_wait_text 5 "● following playback"
ok $? "and following is back on"
mark_matches 20
ok $? "the mark shows the cue that was chosen"

tmux_keys j
tmux_wait_text 5 "○ not following"
tmux_keys f
tmux_wait_text 5 "● following playback"
ok $? "f turns following on again"

# chapters: the tab lists them, the status line names the current one
tmux_keys t
tmux_wait_text 10 "Where the sides stand"
ok $? "the Chapters tab lists the demo chapters"
tmux_wait_text 10 "§ Where the sides"
ok $? "the status line names the current chapter"
tmux_keys '}'
ui_wait_field 10 position '>= 83'
ok $? "} goes to the next chapter"
tmux_wait_text 10 "▸ 1:23  Zelenskiy at home"
ok $? "the Chapters tab marks the chapter being heard"

ui_quit
ok $? "quits cleanly"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
