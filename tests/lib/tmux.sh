#!/bin/bash
# tests/lib/tmux.sh - a person at a terminal: run a program in a private tmux
# server, type keys, read the screen.
#
#     . "$top_srcdir/tests/lib/common.sh"
#     . "$top_srcdir/tests/lib/tmux.sh"
#     tmux_start 100 30 "$HARK" --demo    run CMD in a 100x30 pane (TERM=xterm-256color,
#                                         LANG/LC_ALL=C.UTF-8, no status line)
#     tmux_wait_text 10 "Episodes"        poll the screen until the text shows (else diag
#                                         the screen and return 1)
#     tmux_keys j j Enter                 send-keys (tmux key names: Enter, Escape, Up, C-c)
#     tmux_type "search words"            send literal text
#     tmux_screen                         print the screen (capture-pane -p)
#     tmux_resize 80 24                   resize the window (the program gets SIGWINCH)
#     tmux_wait_exit 10                   wait until CMD has exited; tmux_exit_status prints
#                                         its exit status
#     tmux_stop                           (also done at exit)
#
# The pane stays after CMD exits (remain-on-exit) so its last screen can be read.

# _tmux ARGS... - tmux on this script's private socket.
_tmux() {
	tmux -S "$TMUX_SOCKET" "$@"
}

# tmux_start COLS ROWS CMD... - start CMD in a new detached session of a private server.
# tmux runs CMD's argv directly (several arguments: no shell in between).
tmux_start() {
	local cols=$1 rows=$2 dir
	shift 2
	need tmux
	dir=$(mk_temp tmux) || bail "tmux_start: mktemp failed"
	TMUX_SOCKET=$dir/socket
	TMUX_STATUS_FILE=$dir/status
	TMUX_TARGET=hark:0.0
	cat >"$dir/tmux.conf" <<EOC
set -g default-terminal xterm-256color
set -g default-shell /bin/sh
set -g status off
set -g remain-on-exit on
set -g history-limit 2000
set -g escape-time 0
EOC
	unset TMUX
	export TMUX_SOCKET TMUX_TARGET TMUX_STATUS_FILE
	at_exit tmux_stop
	if ! LANG=C.UTF-8 LC_ALL=C.UTF-8 _tmux -u -f "$dir/tmux.conf" new-session -d -s hark \
		-x "$cols" -y "$rows" env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		sh -c '"$@"; echo $? >"$0"' "$TMUX_STATUS_FILE" "$@"; then
		bail "tmux_start: tmux new-session failed"
	fi
	TMUX_SERVER_PID=$(_tmux display-message -p '#{pid}')
	export TMUX_SERVER_PID
	_guard "kill $TMUX_SERVER_PID"
}

tmux_keys() {
	_tmux send-keys -t "$TMUX_TARGET" "$@"
}

# tmux_type TEXT - type TEXT literally (no key-name lookup).
tmux_type() {
	_tmux send-keys -t "$TMUX_TARGET" -l -- "$1"
}

tmux_screen() {
	_tmux capture-pane -p -t "$TMUX_TARGET"
}

# _tmux_has TEXT - the screen shows TEXT now.
_tmux_has() {
	tmux_screen | grep -qF -- "$1"
}

# tmux_wait_text TIMEOUT TEXT - wait until TEXT is on screen; on timeout the screen goes to diag.
tmux_wait_text() {
	if wait_for "$1" _tmux_has "$2"; then
		return 0
	fi
	diag "tmux_wait_text: '$2' not on screen after $1 s; the screen:"
	diag "$(tmux_screen 2>&1)"
	return 1
}

# tmux_wait_gone TIMEOUT TEXT - wait until TEXT is no longer on screen.
tmux_wait_gone() {
	if wait_for "$1" eval '! _tmux_has "$2"'; then
		return 0
	fi
	diag "tmux_wait_gone: '$2' still on screen after $1 s; the screen:"
	diag "$(tmux_screen 2>&1)"
	return 1
}

tmux_resize() {
	_tmux resize-window -t "$TMUX_TARGET" -x "$1" -y "$2"
}

_tmux_dead() {
	[ "$(_tmux display-message -p -t "$TMUX_TARGET" '#{pane_dead}' 2>/dev/null)" = 1 ]
}

# tmux_wait_exit TIMEOUT - wait until the program in the pane has exited.
tmux_wait_exit() {
	if wait_for "$1" _tmux_dead; then
		return 0
	fi
	diag "tmux_wait_exit: still running after $1 s; the screen:"
	diag "$(tmux_screen 2>&1)"
	return 1
}

# tmux_exit_status - the exit status of the program that ran in the pane.
# Read from a file the pane's wrapper writes: tmux 3.3a can crash when asked
# for #{pane_dead_status} after a resize-window.
tmux_exit_status() {
	cat "$TMUX_STATUS_FILE" 2>/dev/null
}

# tmux_pid - the pid of the program in the pane.
tmux_pid() {
	_tmux display-message -p -t "$TMUX_TARGET" '#{pane_pid}'
}

tmux_stop() {
	if [ -n "${TMUX_SOCKET:-}" ] && [ -S "$TMUX_SOCKET" ]; then
		_tmux kill-server 2>/dev/null
	fi
	return 0
}
