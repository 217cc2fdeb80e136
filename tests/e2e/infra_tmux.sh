#!/bin/bash
# infra_tmux.sh - the tmux helpers drive a program and read its screen.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
need tmux tput

# The program under test: greets, echoes a typed line, reports its size, exits 3.
prog='echo "hello wörld"; echo "term=$TERM lang=$LC_ALL size=$(tput cols)x$(tput lines)";
read -r x; echo "got <$x>"; read -r y; echo "now $(tput cols)x$(tput lines)"; read -r z; exit 3'
tmux_start 70 20 bash -c "$prog"
tmux_wait_text 10 "hello wörld"
ok $? "tmux_wait_text sees the greeting (UTF-8 intact)"
tmux_wait_text 10 "size=70x20"
ok $? "the pane is 70x20"
like "$(tmux_screen)" "term=xterm-256color lang=C.UTF-8" "TERM and locale inside the pane"

tmux_type 'a b;c'
tmux_keys Enter
tmux_wait_text 10 "got <a b;c>"
ok $? "tmux_type and tmux_keys reach the program"

tmux_resize 50 12
tmux_keys Enter
tmux_wait_text 10 "now 50x12"
ok $? "tmux_resize changes the terminal size"

tmux_wait_text 0.3 "text that never appears" >"$TEST_TMPDIR/diag"
ok $((! $?)) "tmux_wait_text times out for absent text"
grep -q "^# now 50x12" "$TEST_TMPDIR/diag"
ok $? "on timeout the screen is printed as diag"
tmux_wait_gone 5 "text that never appears"
ok $? "tmux_wait_gone returns for absent text"

tmux_keys Enter
tmux_wait_exit 10
ok $? "tmux_wait_exit sees the program exit"
is "$(tmux_exit_status)" 3 "tmux_exit_status gives its exit status"
like "$(tmux_screen)" "now 50x12" "the last screen stays readable"

sock=$TMUX_SOCKET
tmux_stop
ok "$(tmux -S "$sock" has-session 2>/dev/null && echo 1 || echo 0)" "tmux_stop ends the private server"

done_testing
