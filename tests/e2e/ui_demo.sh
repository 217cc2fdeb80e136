#!/bin/bash
# ui_demo.sh - issue 5's first proof: the demo feed lists; the seed episode
# shows its description and "25:43"; Enter plays and the elapsed time
# advances; Right moves it by 30 s; Space pauses; quitting and starting again
# restores the selection and the paused episode at its position. Also
# `hark remote` (status, toggle, seek, errors).
. "$top_srcdir/tests/e2e/ui_lib.bash"
ui_setup

ui_start 100 30 --demo
tmux_wait_text 30 "In the News"
ok $? "the demo feed is listed"
tmux_wait_text 10 "25:43"
ok $? "the seed episode shows its duration 25:43"
tmux_wait_text 5 "The latest round of"
ok $? "the seed episode's description is shown"
like "$(tmux_screen)" "US-Russia talks" "the seed episode is in the list"

tmux_keys Enter
ui_wait_field 20 state '== "playing"'
ok $? "Enter plays the selected episode"
like "$(ui_status_line)" "▶" "the status line shows the play symbol"
p1=$(ui_field position)
ui_wait_field 20 position "> $p1 + 1.5"
ok $? "the elapsed time advances (from $p1)"
t1=$(ui_status_line | grep -oE '[0-9]+:[0-9]{2} / 25:43')
wait_for 10 eval '[ "$(ui_status_line | grep -oE "[0-9]+:[0-9]{2} / 25:43")" != "$t1" ]'
ok $? "the clock on the status line moves ($t1)"

p0=$(ui_field position)
tmux_keys Right
ui_wait_field 15 position ">= $p0 + 30"
ok $? "Right seeks forward 30 s (from $p0)"
p=$(ui_field position)
awk -v a="$p" -v b="$p0" 'BEGIN { exit !(a < b + 40) }'
ok $? "and not much further ($p0 -> $p)"

tmux_keys Space
ui_wait_field 10 state '== "paused"'
ok $? "Space pauses"
tmux_wait_text 5 "⏸"
ok $? "the status line shows the pause symbol"
pp=$(ui_field position)
# paused: the position stays where it is across several polls
same=0
for i in 1 2 3 4; do
	q=$(ui_field position)
	[ "$q" = "$pp" ] && same=$((same + 1))
done
is "$same" 4 "paused position stays at $pp"

# hark remote: toggle resumes, seek moves, errors are reported
ui_remote toggle
ui_wait_field 10 state '== "playing"'
ok $? "hark remote toggle resumes"
ui_remote pause
ui_wait_field 10 state '== "paused"'
ok $? "hark remote pause pauses"
ui_remote seek 1:00
ui_wait_field 10 position '>= 59.5'
ok $? "hark remote seek 1:00 moves the paused episode"
like "$(ui_remote status)" "title US-Russia talks" "hark remote status names the episode"
like "$(ui_remote status)" "duration 1543" "hark remote status gives the duration"
run "$HARK" remote frobnicate
is "$run_rc" 2 "an unknown remote command fails"
like "$(cat "$run_stderr")" "hark: remote: frobnicate: no such command" "and says why"

pp=$(ui_field position)
ui_quit
ok $? "Q quits with status 0"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
run "$HARK" remote status
is "$run_rc" 2 "after quitting hark remote finds no interface"

tmux_stop
ui_start 100 30 --demo
tmux_wait_text 30 "⏸"
ok $? "starting again shows the restored episode paused"
like "$(ui_status_line)" "US-Russia talks" "the status line names the restored episode"
st=$(ui_field state)
is "$st" paused "the restored episode is not playing"
rp=$(ui_field position)
awk -v a="$rp" -v b="$pp" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1) }'
ok $? "restored at its position ($pp -> $rp)"
like "$(ui_status_line)" "1:0[0-9] / 25:43" "the status line shows the restored time"
tmux_keys Space
ui_wait_field 20 state '== "playing"'
ok $? "Space resumes the restored episode"
p=$(ui_field position)
awk -v a="$p" -v b="$pp" 'BEGIN { exit !(a >= b - 1) }'
ok $? "from where it stopped ($p)"
ui_quit
ok $? "quits again cleanly"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
