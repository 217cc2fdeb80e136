#!/bin/bash
# rel_text.sh - text that reaches the screen (docs/reliability.md, "Text"):
# zero-width characters in a feed (the invisible ones removed, ZWJ/ZWNJ kept)
# and a feed with a 100 KB title and description: parsed and stored whole,
# shown cut by `hark list` and by the interface, which keeps answering.
. "$top_srcdir/tests/e2e/ui_lib.bash"
ui_setup
need wc
JSONQ=$top_builddir/tests/jsonq
need_file "$JSONQ"

feed=$TEST_TMPDIR/big.xml
# 100,009 bytes: "Start ", 20000 x "word ", "End"
big="Start $(printf 'word %.0s' $(seq 1 20000))End"
zws=$'pay\u200bpal \U0001F469\u200d\U0001F4BB coder \u2060join\u2060ed\ufeff \u200emark\u200f \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645'
zws_want=$'paypal \U0001F469\u200d\U0001F4BB coder joined mark \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645'
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
	printf '<title>%s</title><description>%s</description>\n' "$big" "$big"
	printf '<item><title>%s</title><guid isPermaLink="false">big</guid><description>%s</description>' "$big" "$big"
	printf '<pubDate>Tue, 02 Dec 2025 05:00:00 +0000</pubDate>'
	printf '<enclosure url="http://127.0.0.1:1/big.mp3" type="audio/mpeg" length="1"/></item>\n'
	printf '<item><title>%s</title><guid isPermaLink="false">zw</guid><description>zero &#x200B;width&#8203;</description>' "$zws"
	printf '<pubDate>Mon, 01 Dec 2025 05:00:00 +0000</pubDate>'
	printf '<enclosure url="http://127.0.0.1:1/zw.mp3" type="audio/mpeg" length="1"/></item>\n'
	printf '</channel></rss>\n'
} >"$feed"

run "$HARK" add "$feed"
is "$run_rc" 0 "a feed with a 100 KB title and description is added" "$run_err"
ok $(($(wc -c <"$run_stdout") < 400 ? 0 : 1)) "the add message shows a cut title ($(wc -c <"$run_stdout") bytes)"

# stored whole
run "$HARK" list --json
t=$("$JSONQ" "$run_stdout" .0.title)
is "${#t}" "${#big}" "the 100 KB feed title is stored whole"
run "$HARK" list 1 --json
# newest first: 0 is "big", 1 is "zw"
is "$("$JSONQ" "$run_stdout" .0.guid .1.guid | tr '\n' ' ')" "big zw " "both episodes stored"
is "$("$JSONQ" "$run_stdout" .0.title)" "$big" "the 100 KB episode title is stored whole"
t=$("$JSONQ" "$run_stdout" .0.description)
is "${#t}" "${#big}" "the 100 KB description is stored whole"

# zero-width characters: ZWSP, word joiner, BOM, LRM/RLM gone; ZWJ, ZWNJ kept
is "$("$JSONQ" "$run_stdout" .1.title)" "$zws_want" \
	"feed title: ZWSP, U+2060, U+FEFF, LRM, RLM removed; ZWJ (emoji) and ZWNJ (Persian) kept"
is "$("$JSONQ" "$run_stdout" .1.description)" "zero width" \
	"feed description: ZWSP from character references removed"

# hark list cuts
run "$HARK" list
line=$(head -n 1 "$run_stdout")
ok $((${#line} < 400 ? 0 : 1)) "hark list: the feed line is short (${#line} characters)"
like "$line" $'^1\tStart word word .*word\xe2\x80\xa6\t' "hark list: the title is cut with …"
run "$HARK" list 1
line=$(grep -v paypal "$run_stdout")
ok $((${#line} < 400 ? 0 : 1)) "hark list FEED: the episode line is short (${#line} characters)"
like "$line" $'\tStart word .*word\xe2\x80\xa6$' "hark list FEED: the episode title is cut with …"
like "$(grep paypal "$run_stdout")" "$zws_want\$" "hark list FEED: the zero-width title as stored"

# hark parse and hark search cut too
run "$HARK" parse "$feed"
is "$run_rc" 0 "hark parse reads the 100 KB feed" "$run_err"
ok $(($(wc -c <"$run_stdout") < 1000 ? 0 : 1)) "hark parse: the summary is short ($(wc -c <"$run_stdout") bytes)"
like "$(head -n 1 "$run_stdout")" $'^Start word .*word\xe2\x80\xa6$' "hark parse: the feed title is cut with …"
run "$HARK" search word
is "$run_rc" 0 "hark search finds the 100 KB episode" "$run_err"
ok $(($(wc -c <"$run_stdout") < 1000 ? 0 : 1)) "hark search: the result is short ($(wc -c <"$run_stdout") bytes)"
like "$(head -n 1 "$run_stdout")" $'word\xe2\x80\xa6 \xe2\x80\x94 Start word .*word\xe2\x80\xa6$' \
	"hark search: feed and episode titles are cut with …"

# the interface: titles cut at the pane, the description wraps, keys answer
ui_start 100 30
tmux_wait_text 20 "Start word word"
ok $? "the interface shows the 100 KB title"
like "$(tmux_screen | grep -m 1 'Start word')" "Start word.*…" "the interface cuts the title with …"
# the long titles did not wrap: the next episode is on the very next row,
# and both pane borders sit at the same column on every row
rows=$(tmux_screen | grep -n -e '●.*Start word' -e '●.*paypal' | cut -d: -f1 | tr '\n' ' ')
like "$rows" '^([0-9]+) ([0-9]+) $' "two episode rows ($rows)"
set -- $rows
is "$((${2:-0} - ${1:-0}))" 1 "the row after the 100 KB title is the next episode (no wrap)"
borders() { # the display columns of the first two │ of each row, one pair a line
	local line a b
	# (not the ZWJ row: tmux draws the emoji sequence as one 2-column cell
	# where wc -L, like wcwidth, counts two emoji)
	tmux_screen | head -n 28 | grep -v paypal | while IFS= read -r line; do
		case $line in *│*│*) ;; *) continue ;; esac
		a=${line%%│*}
		b=${line#*│}
		b=${b%%│*}
		printf '%s %s\n' "$(printf '%s' "$a" | wc -L)" "$(printf '%s' "$b" | wc -L)"
	done | sort -u | wc -l
}
is "$(borders)" 1 "pane borders line up on every row" "$(tmux_screen)"
tmux_keys Tab
tmux_wait_text 10 "paypal"
ok $? "the episode list shows the zero-width title" "$(tmux_screen)"
grep -q $'\u200b' < <(tmux_screen)
ok $((! $?)) "no ZWSP on the screen"
# scroll through the 100 KB description in the details pane
tmux_keys k l
for _ in 1 2 3 4 5 6 7 8; do
	tmux_keys PageDown
done
tmux_keys G
tmux_wait_text 10 "word word End"
ok $? "G reaches the end of the 100 KB description"
wait_for 10 ui_remote status
ok $? "the interface still answers after scrolling the 100 KB description"
ui_quit
ok $? "the interface quits cleanly (exit 0)"
ui_no_sanitizer_report
ok $? "no sanitizer report in the log"
done_testing
