#!/bin/bash
# ui_hostile.sh - a feed whose titles hold terminal escape sequences, bidi
# overrides, CJK, emoji and combining marks: the screen shows them as inert
# text (no colour change, no window title, no clearing) and the columns stay
# aligned (every pane border at the same display column on every line).
# Also: the theme has colours, NO_COLOR removes them all.
. "$top_srcdir/tests/e2e/ui_lib.bash"
ui_setup
need wc
feed=$TEST_TMPDIR/evil.xml
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
	printf '<title>Evil \033[31mRed\033[0m Cast \033]0;pwned\007</title><link>http://example.com/</link><description>x</description>\n'
	item() { # GUID DAY TITLE DURATION DESCRIPTION
		printf '<item><title>%s</title><guid>%s</guid><pubDate>%s Nov 2025 05:00:00 +0000</pubDate>' "$3" "$1" "$2"
		printf '<enclosure url="http://127.0.0.1:1/%s.mp3" length="1" type="audio/mpeg"/>' "$1"
		printf '<itunes:duration>%s</itunes:duration><description>%s</description></item>\n' "$4" "$5"
	}
	item h1 29 '日本語のエピソード第一回のとても長いタイトルです' 12:34 $'desc \033[2J\033[H one'
	item h2 28 'Emoji 🎧😀 episode 🎙 mic' 1:02:03 'emoji'
	item h3 27 $'Cafe\xcc\x81 combining &#x202E;reversed&#x202C; שלום עולם' 3:21 'rtl'
	item h4 26 $'Bell \007 and \033[5m blink \033[0m' 0:45 'bell'
	printf '</channel></rss>\n'
} >"$feed"
run "$HARK" add "$feed"
is "$run_rc" 0 "the hostile feed is added"

ui_start 120 30
tmux_wait_text 20 "Evil [31mRed[0m Cast"
ok $? "escape sequences in the podcast title show as inert text"
tmux_wait_text 5 "日本語のエピソード"
ok $? "CJK titles are shown"
like "$(tmux_screen)" "Emoji 🎧😀 episode" "emoji titles are shown"
like "$(tmux_screen)" $'Cafe\xcc\x81 combining' "combining marks are kept"
like "$(tmux_screen)" "שלום עולם" "right-to-left text is shown"
like "$(tmux_screen)" "日本語.*…" "a long wide title is cut with …"
title=$(_tmux display-message -p -t "$TMUX_TARGET" '#{pane_title}')
isnt "$title" "pwned" "the window title was not changed ($title)"
esc=$(_tmux capture-pane -e -p -t "$TMUX_TARGET" | grep -c $'\033\\[\\(5\\|31\\)m')
is "$esc" 0 "no blinking or red text reached the terminal"
like "$(tmux_screen | head -n 1)" "^Podcasts" "the screen was not cleared or moved"
grep -q $'\u202e' < <(tmux_screen)
ok $((! $?)) "the bidi override is not on screen"

# alignment: the two pane borders sit at the same display column everywhere
cols_of() {
	local line=$1 a b
	a=${line%%│*}
	b=${line#*│}
	b=${b%%│*}
	printf '%s %s\n' "$(printf '%s' "$a" | wc -L)" "$(printf '%s' "$b" | wc -L)"
}
aligned() {
	local first="" line c bad=0
	while IFS= read -r line; do
		case $line in *│*│*) ;; *) continue ;; esac
		c=$(cols_of "$line")
		[ -z "$first" ] && first=$c
		[ "$c" = "$first" ] || bad=1
	done < <(tmux_screen | head -n 28)
	[ -n "$first" ] && [ "$bad" = 0 ]
}
aligned
ok $? "pane borders line up on every row" "$(tmux_screen)"
# the durations are right-aligned against the border
like "$(tmux_screen | grep '日本語')" "12:34│" "a duration after a wide title ends at the border"
like "$(tmux_screen | grep 'Emoji')" "1:02:03│" "a duration after emoji ends at the border"
like "$(tmux_screen | grep 'combining')" "3:21│" "a duration after combining marks ends at the border"

# the description shows inert too, and narrow sizes keep the alignment
tmux_keys j
tmux_wait_text 5 "Emoji 🎧😀 episode 🎙 mic"
tmux_keys k
tmux_wait_text 5 "desc [2J[H one"
ok $? "escape sequences in a description are inert"
tmux_resize 80 24
wait_for 10 aligned
ok $? "aligned at 80x24 too" "$(tmux_screen)"
# colours: some by default (the theme), none with NO_COLOR
colour_codes() {
	_tmux capture-pane -e -p -t "$TMUX_TARGET" | grep -cE $'\033\\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+|9[0-7])(;[0-9;]*)?m'
}
ok "$([ "$(colour_codes)" -gt 0 ] && echo 0 || echo 1)" "the default theme uses colours"
ui_quit
ok $? "quits cleanly"
tmux_stop
UI_ENV=NO_COLOR=1 ui_start 100 30
tmux_wait_text 20 "Evil"
is "$(colour_codes)" 0 "NO_COLOR: no colour at all"
like "$(_tmux capture-pane -e -p -t "$TMUX_TARGET")" $'\033\\[[0-9;]*7m' "NO_COLOR: the selection is still shown (reverse)"
ui_quit
ok $? "quits cleanly"
ok "$(ui_no_sanitizer_report && echo 0 || echo 1)" "no sanitizer report in the log"
done_testing
