#!/bin/bash
# ui_faults.sh - a feed that answers 500 and one that stalls: refreshing runs
# in the background, the interface keeps answering keys meanwhile, and the
# messages name the feed that failed.
. "$top_srcdir/tests/e2e/ui_lib.bash"
need_file "${FAULTSRV:-$top_builddir/tests/faultsrv}"
ui_setup
root=$(mk_temp www)
cat >"$root/good.xml" <<EOX
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Good Cast</title><link>http://example.com/</link>
<description>fine</description>
<item><title>Good episode</title><guid>g1</guid><enclosure url="http://127.0.0.1:1/g.mp3" length="1" type="audio/mpeg"/></item>
</channel></rss>
EOX
# Subscribe while nothing listens (import keeps failed subscriptions), then
# start the fault server on that port.
port=$(free_port)
base=http://127.0.0.1:$port
cat >"$TEST_TMPDIR/subs.opml" <<EOX
<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline type="rss" text="Good Cast" xmlUrl="$base/ok/good.xml"/>
<outline type="rss" text="Broken Cast" xmlUrl="$base/status/500"/>
<outline type="rss" text="Stalling Cast" xmlUrl="$base/stall/120000/20/good.xml"/>
</body></opml>
EOX
"$HARK" import "$TEST_TMPDIR/subs.opml" >/dev/null 2>&1
is "$("$HARK" list | wc -l)" 3 "three subscriptions (none fetched yet)"
"${FAULTSRV:-$top_builddir/tests/faultsrv}" -p "$port" -d "$root" -l "$TEST_TMPDIR/req.log" \
	-i 300 >"$TEST_TMPDIR/faultsrv.out" 2>&1 &
fpid=$!
at_exit "kill $fpid"
wait_port "$port" 10
ok $? "the fault server listens on $port"

ui_start 100 30
tmux_wait_text 20 "Stalling Cast"
ok $? "the subscriptions are listed"
tmux_keys R
tmux_wait_text 5 "⟳"
ok $? "R starts the refreshes in the background"
wait_for 10 eval 'tmux_screen | grep -qE "Stalling Cast +⟳"'
ok $? "the stalling feed shows it is refreshing" "$(tmux_screen)"

# the interface answers keys while the stalled refresh goes on
tmux_keys '?'
tmux_wait_text 10 "keys and commands"
ok $? "? opens help during the stalled refresh"
tmux_keys Escape
tmux_wait_gone 10 "keys and commands"
ok $? "Esc closes it"
st=$(ui_remote status)
like "$st" "state stopped" "hark remote answers during the stalled refresh"

wait_for 30 eval 'tmux_screen | grep -qE "Good Cast +1 new"'
ok $? "the good feed refreshes in the background" "$(tmux_screen)"
wait_for 30 eval 'ui_remote messages | grep -qE "error: Broken Cast: .*500"'
ok $? "the 500 is reported, naming the feed" "$(ui_remote messages)"
grep -q "/stall/" "$TEST_TMPDIR/req.log"
ok $? "the stalling feed was asked for"
tmux_keys :
tmux_type "messages"
tmux_keys Enter
tmux_wait_text 10 "Messages"
ok $? ":messages opens the log"
like "$(tmux_screen)" "Broken Cast: .*500" "the log names the broken feed and the status"
tmux_keys q
tmux_wait_gone 10 "Messages —"
# when the stalled fetch gives up, that too is reported with the feed's name
wait_for 150 eval 'ui_remote messages | grep -q "error: Stalling Cast: "'
ok $? "the stalled feed's failure names it" "$(ui_remote messages)"
tmux_keys h g j
tmux_wait_text 5 "Good episode"
ok $? "keys still work afterwards (the good feed's episode)"

ui_quit
ok $? "quits cleanly"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
