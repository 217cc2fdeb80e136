#!/bin/bash
# ui_words.sh - word-level highlight: with a word-timed Podcasting 2.0 JSON
# transcript (one word every 0.8 s), the word shown bold and reverse in the
# transcript pane is the word being heard, and it moves on with playback.
# The transcript is remote and not fetched ahead (transcripts_fetch 0), so
# the interface fetches it through a `hark transcript EPISODE_ID` child: it
# is stored once (nginx sees one request) and its word times come back from
# the library.
. "$top_srcdir/tests/e2e/ui_lib.bash"
. "$top_srcdir/tests/lib/nginx.sh"
UI_EXTRA_CONFIG='set transcripts_fetch 0'
ui_setup
need python3 sqlite3
fx=$(fixtures_dir)
need_file "$fx/cbr128.mp3"

root=$(mk_temp www)
cp "$fx/cbr128.mp3" "$root/ep.mp3"
STEP=0.8
FIRST=1.0
N=60
# word K ("wordK", K = 10...69) starts at FIRST + (K - 10) * STEP
python3 - "$root/ep.json" "$FIRST" "$STEP" "$N" <<'PY'
import json, sys
out, first, step, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
segs = [{"speaker": "Ada", "startTime": round(first + k * step, 3),
         "endTime": round(first + k * step + step * 0.9, 3), "body": "word%d" % (k + 10)}
        for k in range(n)]
json.dump({"version": "1.0.0", "segments": segs}, open(out, "w"))
PY
nginx_start "$root"
cat >"$root/feed.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<title>Word Cast</title>
<item><title>Every word</title><guid>w1</guid>
<enclosure url="$NGINX_URL/ep.mp3" length="$(stat -c %s "$root/ep.mp3")" type="audio/mpeg"/>
<podcast:transcript url="$NGINX_URL/ep.json" type="application/json"/></item>
</channel></rss>
XML
run "$HARK" add "$NGINX_URL/feed.xml"
is "$run_rc" 0 "the feed is added" "$run_err"
is "$(nginx_requests | grep -c ' /ep\.json ')" 0 "transcripts_fetch 0: nothing fetched ahead"

# The words shown bold + reverse on screen, one a line.
highlighted() {
	tmux -S "$TMUX_SOCKET" capture-pane -e -p -t "$TMUX_TARGET" | python3 -c '
import re, sys
for line in sys.stdin:
    bold = rev = False
    run = ""
    for tok in re.split(r"(\x1b\[[0-9;]*m)", line):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", tok)
        if m:
            if run.strip() and bold and rev:
                print(run.strip())
            run = ""
            for p in (m.group(1) or "0").split(";"):
                if p in ("", "0"): bold = rev = False
                elif p == "1": bold = True
                elif p == "7": rev = True
                elif p == "22": bold = False
                elif p == "27": rev = False
        else:
            run += tok
    if run.strip() and bold and rev:
        print(run.strip())
' | grep -oE '^word[0-9]+$'
}
# index of the word heard at position P
word_at() {
	awk -v p="$1" -v f="$FIRST" -v s="$STEP" -v n="$N" 'BEGIN {
		k = int((p - f) / s); if (p < f) k = -1; if (k >= n) k = n - 1; print k + 10 }'
}
# The highlighted word is the heard one: positions read around one capture
# bracket the word shown.
_word_matches() {
	local a b w
	a=$(ui_field position)
	w=$(highlighted | head -n 1)
	b=$(ui_field position)
	[ -n "$w" ] && [ -n "$a" ] && [ -n "$b" ] || return 1
	w=${w#word}
	seen="$seen $w"
	[ "$w" -ge "$(word_at "$a")" ] && [ "$w" -le "$(word_at "$b")" ]
}

ui_start 100 30
tmux_wait_text 20 "Every word"
ok $? "the episode is listed"
tmux_keys Enter
ui_wait_field 20 state '== "playing"'
ok $? "it plays"
tmux_keys Tab t
tmux_wait_text 15 "word10"
ok $? "the transcript (fetched by the interface's child job) is shown"
ui_wait_field 20 position '>= 3'
seen=""
good=0
for i in 1 2 3 4 5 6; do
	if wait_for 5 _word_matches; then good=$((good + 1)); fi
	sleep 1.3
done
diag "highlighted words seen: $seen"
is "$good" 6 "six times over eight seconds the highlighted word is the one being heard"
distinct=$(printf '%s\n' $seen | sort -un | wc -l)
ok $((distinct >= 5 ? 0 : 1)) "the highlight moves with playback ($distinct different words)"
sorted=$(printf '%s\n' $seen | sort -n | tr '\n' ' ')
is "$(printf '%s\n' $seen | tr '\n' ' ')" "$sorted" "and only forward"

# seek back: the highlight follows
tmux_keys Left
ui_wait_field 10 position '< 8'
wait_for 10 _word_matches
ok $? "after a seek back the highlighted word is the one heard again"

is "$(nginx_requests | grep -c ' /ep\.json ')" 1 "the interface fetched the transcript once"
is "$(sqlite3 "$HARK_HOME/data/library.db" "SELECT count(*) FROM cues WHERE words IS NOT NULL")" \
	"$(sqlite3 "$HARK_HOME/data/library.db" "SELECT count(*) FROM cues")" \
	"it is stored in the library with its word times"
ui_quit
ok $? "quits cleanly"
ui_no_sanitizer_report
done_testing
