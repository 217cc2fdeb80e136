#!/bin/bash
# ui_mouse.sh - the mouse (xterm SGR reports typed into the pane): a click
# selects, a double-click plays, the wheel scrolls, a click on the progress
# bar seeks there.
. "$top_srcdir/tests/e2e/ui_lib.bash"
ui_setup
click() { # click X Y (1-based cells)
	tmux_type $'\e[<0;'"$1;$2"$'M\e[<0;'"$1;$2"$'m'
}
ui_start 100 30 --demo
tmux_wait_text 30 "25:43"

click 40 3
tmux_wait_text 5 "Briefing: Why the night bus matters"
ok $? "a click on an episode selects it (its details show)"
is "$(ui_field state)" stopped "a single click does not play"

tmux_type $'\e[<0;40;2M\e[<0;40;2m\e[<0;40;2M\e[<0;40;2m'
ui_wait_field 15 state '== "playing"'
ok $? "a double-click plays"
like "$(ui_field title)" "US-Russia talks" "the episode that was double-clicked"

# wheel down over the episodes pane: the selection moves by three
tmux_type $'\e[<65;40;4M'
tmux_wait_text 5 "What a heat pump"
ok $? "the wheel scrolls the list"
tmux_type $'\e[<64;40;4M'
tmux_wait_text 5 "Why push for peace in Ukraine is failing"
ok $? "and back up"

# the progress bar: its first cell and width from the status line
line=$(ui_status_line)
pre=${line%%[━─·]*}
x0=$(($(printf '%s' "$pre" | wc -L) + 1))
bar=${line:${#pre}}
bar=${bar%%[!━─·]*}
w=${#bar}
ok "$([ "$w" -ge 10 ] && echo 0 || echo 1)" "the status line has a progress bar ($w cells at column $x0)"
y=$(($(tmux_screen | wc -l) - 1))
click $((x0 + w / 2)) "$y"
ui_wait_field 15 position '>= 700 && v < 850'
ok $? "a click in the middle of the bar seeks to the middle ($(ui_field position))"

ui_quit
ok $? "quits cleanly"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
