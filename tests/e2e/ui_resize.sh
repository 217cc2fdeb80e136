#!/bin/bash
# ui_resize.sh - resize while playing through 120x40, 80x24, 50x15, 40x10 and
# back: no crash, the status line stays whole (state, time, no line wider
# than the terminal), small sizes fold to one pane, and keys keep working.
. "$top_srcdir/tests/e2e/ui_lib.bash"
ui_setup

# Display width of each screen line must be <= COLS, the screen ROWS tall.
fits() {
	local cols=$1 rows=$2 w n
	w=$(tmux_screen | wc -L)
	n=$(tmux_screen | wc -l)
	[ "$w" -le "$cols" ] && [ "$n" -le "$rows" ]
}
status_ok() { # the status line: a state symbol and "m:ss / 25:43"
	ui_status_line | grep -qE '^[▶⏸…■!] .*[0-9]+:[0-9]{2} / 25:43'
}

ui_start 120 40 --demo
tmux_wait_text 30 "25:43"
tmux_keys Enter
ui_wait_field 20 state '== "playing"'
ok $? "playing at 120x40"

for size in 120x40 80x24 50x15 40x10 60x20 40x10 100x30; do
	c=${size%x*}
	r=${size#*x}
	tmux_resize "$c" "$r"
	wait_for 10 eval "[ \"\$(tmux_screen | wc -l)\" -le $r ] && status_ok"
	ok $? "$size: the status line is intact" "$(tmux_screen)"
	fits "$c" "$r"
	ok $? "$size: nothing wider than the screen" "$(tmux_screen)"
	case $size in
	120x40 | 100x30)
		like "$(tmux_screen | head -n 1)" "Podcasts.*Episodes.*Description" \
			"$size: three panes side by side"
		;;
	50x15 | 40x10)
		scr=$(tmux_screen | head -n 1)
		! grep -q "Podcasts.*Episodes" <<<"$scr"
		ok $? "$size: folded to one pane" "$scr"
		;;
	esac
	st=$(ui_field state)
	like "$st" "playing" "$size: still playing"
done

# at 40x10, keys still move between the folded panes
tmux_resize 40 10
wait_for 10 status_ok
tmux_keys h
tmux_wait_text 5 "Podcasts (1)"
ok $? "40x10: h shows the podcasts pane"
tmux_keys l l
tmux_wait_text 5 "Description"
ok $? "40x10: l l shows the details pane"
tmux_keys '?'
tmux_wait_text 5 "keys and commands"
ok $? "40x10: help opens"
tmux_keys q
tmux_wait_gone 5 "keys and commands"
tmux_keys :
tmux_type "seek 1:00"
tmux_keys Enter
ui_wait_field 10 position '>= 60'
ok $? "40x10: the command line works"
# resize a lot, quickly
for i in 1 2 3 4 5; do
	tmux_resize 41 11
	tmux_resize 119 39
done
wait_for 10 status_ok
ok $? "after a burst of resizes the status line is intact"
ui_quit
ok $? "quits cleanly"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
