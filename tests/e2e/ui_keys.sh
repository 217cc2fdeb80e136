#!/bin/bash
# ui_keys.sh - the default keys and the command line: speed [ ] =, volume
# - +, 0-9 percent jumps, Shift+Right / . / , big seeks, m marks played,
# / searches the whole library and Enter plays a hit, ? help is generated
# from the command table (with a user binding from the config file),
# :set and :bind, :sleep with its fade and pause.
. "$top_srcdir/tests/e2e/ui_lib.bash"
UI_EXTRA_CONFIG='bind episodes x mark
set seek_big 120'
ui_setup

ui_start 110 32 --demo
tmux_wait_text 30 "25:43"
tmux_keys Enter
ui_wait_field 20 state '== "playing"'
ok $? "playing"

tmux_keys ']' ']'
ui_wait_field 10 speed '== 1.2'
ok $? "] ] speeds up to 1.2"
tmux_wait_text 5 "1.2x"
ok $? "the status line shows 1.2x"
tmux_keys '['
ui_wait_field 10 speed '== 1.1'
ok $? "[ slows down by 0.1"
tmux_keys '='
ui_wait_field 10 speed '== 1.0'
ok $? "= goes back to 1.0"
tmux_keys -
ui_wait_field 10 volume '== 95'
ok $? "- lowers the volume by 5"
tmux_keys + +
ui_wait_field 10 volume '== 105'
ok $? "+ raises it"
tmux_wait_text 5 "105%"
ok $? "the status line shows the volume"

tmux_keys 5
ui_wait_field 15 position '>= 771 && v < 790'
ok $? "5 jumps to 50 %"
tmux_keys 0
ui_wait_field 15 position '< 10'
ok $? "0 jumps to the start"
tmux_keys .
ui_wait_field 15 position '>= 120 && v < 140'
ok $? ". seeks forward by seek_big (set to 120 s in the config)"
tmux_keys ,
ui_wait_field 15 position '< 20'
ok $? ", seeks back by seek_big"
tmux_keys S-Right
ui_wait_field 15 position '>= 120 && v < 140'
ok $? "Shift+Right seeks forward by seek_big"

tmux_keys :
tmux_type "seek 2:00"
tmux_keys Enter
ui_wait_field 15 position '>= 120 && v < 130'
ok $? ":seek 2:00"
tmux_keys :
tmux_type "speed 1.5"
tmux_keys Enter
ui_wait_field 10 speed '== 1.5'
ok $? ":speed 1.5"
tmux_keys :
tmux_type "set seek_forward 45"
tmux_keys Enter
p0=$(ui_field position)
tmux_keys Right
ui_wait_field 15 position ">= $p0 + 45"
ok $? ":set seek_forward 45 changes what Right does"
tmux_keys :
tmux_type "frobnicate"
tmux_keys Enter
tmux_wait_text 5 "frobnicate: no such command"
ok $? "an unknown command says so"
tmux_keys :
tmux_type "bind episodes z queue_add"
tmux_keys Enter
tmux_keys z
tmux_wait_text 5 "queued at the end"
ok $? ":bind makes a new key work at once"

# the help screen comes from the command table and the bindings
tmux_keys '?'
tmux_wait_text 5 "keys and commands"
ok $? "? opens the help"
tmux_keys /
tmux_type "pause / resume"
tmux_keys Enter
wait_for 5 eval 'tmux_screen | grep -qE "Space +toggle +pause / resume"'
ok $? "help lists keys, commands and their help text" "$(tmux_screen)"
tmux_keys /
tmux_type "Keys (episodes)"
tmux_keys Enter
wait_for 5 eval 'tmux_screen | grep -qE "x +mark +mark the selected"'
ok $? "the user's binding (x mark) is in the help" "$(tmux_screen)"
tmux_keys q

# marking played
tmux_keys j x
tmux_wait_text 5 "played: Briefing: Why the night bus"
ok $? "x (bound in the config file) marks played"
tmux_wait_text 5 "✓"
ok $? "the played mark shows"
tmux_keys m
tmux_wait_text 5 "unplayed: Briefing: Why the night bus"
ok $? "m marks it unplayed again"

# library search: / in the episodes pane, Enter plays the hit
tmux_keys /
tmux_type "night bus"
tmux_keys Enter
tmux_wait_text 10 "Search: night bus"
ok $? "/ searches the library"
tmux_keys Enter
ui_wait_field 15 title '~ /night bus/'
ok $? "Enter plays the search hit"
tmux_keys q

# sleep timer: fades, then pauses
tmux_keys :
tmux_type "sleep 8s"
tmux_keys Enter
tmux_wait_text 5 "sleep 0:0"
ok $? "the sleep timer shows on the status line"
ui_wait_field 8 volume '< 100'
ok $? "it fades the volume out"
ui_wait_field 15 state '== "paused"'
ok $? "the sleep timer pauses playback"
ui_wait_field 5 volume '== 105'
ok $? "and puts the volume back after the fade"

ui_quit
ok $? "quits cleanly"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
