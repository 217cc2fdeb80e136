#!/bin/bash
# ui_queue.sh - the queue: "a" adds at the end, "A" puts an episode first,
# J/K reorder it, Enter plays from it; when an episode ends the next one in
# the queue starts by itself (and the finished one is marked played); the
# queue is kept across a restart; D downloads in the background; a
# timestamp in the show notes is a line that Enter plays from. Feeds and
# audio come from nginx.
. "$top_srcdir/tests/e2e/ui_lib.bash"
. "$top_srcdir/tests/lib/nginx.sh"
ui_setup
fx=$(fixtures_dir)
need_file "$fx/short1.mp3" "$fx/short2.mp3" "$fx/short3.mp3" "$fx/cbr128.mp3"

root=$(mk_temp www)
cp "$fx"/short[123].mp3 "$root/"
cp "$fx/cbr128.mp3" "$root/short4.mp3"
nginx_start "$root"
item() { # item N TITLE DAY
	printf '<item><title>%s</title><guid>short-%s</guid><pubDate>%s Dec 2025 05:00:00 +0000</pubDate>' \
		"$2" "$1" "$3"
	printf '<enclosure url="%s/short%s.mp3" length="%s" type="audio/mpeg"/>' \
		"$NGINX_URL" "$1" "$(stat -c %s "$root/short$1.mp3")"
	printf '<itunes:duration>0:04</itunes:duration><description>Fixture %s.&#10;0:02 - the second half</description></item>\n' "$1"
}
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
	echo '<title>Queue Test Cast</title><link>http://example.com/</link><description>three short ones</description>'
	item 1 "Short one" 03
	item 2 "Short two" 02
	item 3 "Short three" 01
	item 4 "A longer one" 01 | sed 's/0:04/1:00/; s/0:02 - the second half/0:40 - the last part/' 
	echo '</channel></rss>'
} >"$root/feed.xml"
run "$HARK" add "$NGINX_URL/feed.xml"
is "$run_rc" 0 "the test feed is added"

ui_start 100 30
tmux_wait_text 20 "Short three"
ok $? "the feed's episodes are listed"
# list order is newest first: one, two, three
tmux_keys a j a j A
tmux_keys q
tmux_wait_text 10 "Queue (3"
ok $? "three episodes queued"
tmux_wait_text 5 "1. Short three"
ok $? "A put Short three first (play next)"
like "$(tmux_screen)" "2. Short one" "a added Short one at the end..."
like "$(tmux_screen)" "3. Short two" "...and then Short two after it"

# reorder: Short two up one place: three, two, one
tmux_keys G K
tmux_wait_text 5 "2. Short two"
ok $? "K moves an entry up"
like "$(tmux_screen)" "3. Short one" "the entry it passed moves down"
tmux_keys J
tmux_wait_text 5 "3. Short two"
ok $? "J moves it back down"
tmux_keys K

tmux_keys g Enter
ui_wait_field 20 title '== "Short three"'
ok $? "Enter in the queue plays its entry"
tmux_wait_text 5 "1. Short two"
ok $? "the playing entry leaves the queue"
ui_wait_field 30 title '== "Short two"'
ok $? "when it ends the next queued episode starts by itself (the reordered order)"
# pause it at once, so that Short one stays queued for the restart below
ui_remote pause
ui_wait_field 10 state '== "paused"'
ok $? "and it was playing (now paused)"
tmux_keys q
tmux_wait_text 5 "✓"
ok $? "the finished episode is marked played"

# the queue survives a restart
ui_quit
ok $? "quits cleanly"
tmux_stop
ui_start 100 30
tmux_wait_text 20 "Short three"
tmux_keys q
tmux_wait_text 10 "1. Short one"
ok $? "the queue is kept across a restart"
tmux_keys q

# D downloads in the background; the list marks it
tmux_keys g D
wait_for 30 eval 'ui_remote messages | grep -q "downloaded: Short one"'
ok $? "D downloads the selected episode in the background" "$(ui_remote messages)"
tmux_wait_text 10 "↓"
ok $? "the episode is marked downloaded"

# a timestamp in the show notes is a line that Enter seeks to
tmux_keys G l G
tmux_wait_text 5 "0:40 - the last part"
ok $? "the description shows the show notes"
tmux_keys Enter
ui_wait_field 15 title '== "A longer one"'
ok $? "Enter on a show-notes timestamp plays the episode"
ui_wait_field 15 position '>= 39.9 && v < 55'
ok $? "from that time"
ui_quit
ok $? "quits cleanly again"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
