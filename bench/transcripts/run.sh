#!/bin/bash
# run.sh - the transcripts benchmark (not a test). Measures, on generated data:
#   1. a three-hour word-level Podcasting 2.0 JSON transcript (30,000 one-word
#      segments): `hark transcript FILE --json` (the whole process: read,
#      parse, join words into lines, print), the same code in-process
#      (bench_tx load: parse, the interface's layout, store save/load,
#      following playback: transcript_find + transcript_find_word per tick),
#      and the interface itself in tmux: from the key that opens the
#      Transcript tab to the pane showing its text, for a transcript stored
#      by `hark add` and for one the interface must read and parse first;
#   2. `hark search` over a library of EPISODES episodes (default 5,000),
#      each with a CUES-cue transcript (default 300: 1.5 M cue rows in
#      FTS5), for words from the commonest to rare ones: the `hark search
#      --json` process, search_query in-process, and the sqlite3 shell
#      running the same ranking query (the reference: SQLite's own FTS5 with
#      nothing of hark's around it).
# Each number is the median of RUNS (default 5). Prints Markdown tables. Use
# an optimised build without sanitizers:
#   ./configure CFLAGS='-O2 -g' && make hark bench/transcripts/bench_tx &&
#   HARK=$PWD/hark BENCH_TX=$PWD/bench/transcripts/bench_tx bench/transcripts/run.sh
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
RUNS=${RUNS:-5}
EPISODES=${EPISODES:-5000}
CUES=${CUES:-300}
PARTS=${PARTS:-transcript search}
need "$HARK" "$BENCH_TX" sqlite3 jq tmux
if ldd "$HARK" | grep -q libasan; then
	echo "warning: $HARK is built with sanitizers; numbers will be meaningless" >&2
fi

ms_now() { date +%s%N | awk '{ printf "%.3f\n", $1 / 1e6 }'; }
# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# wall CMD... - milliseconds CMD takes (output discarded)
wall() {
	local a b
	a=$(ms_now)
	"$@" >/dev/null 2>&1
	b=$(ms_now)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f\n", b - a }'
}

work=$(mk_temp work)

# ---- 1. the three-hour word-level transcript ----
if [[ " $PARTS " == *" transcript "* ]]; then
"$BENCH_TX" json "$work/long.json" 10800 30000
segs=$(jq '.segments | length' "$work/long.json")
bytes=$(stat -c %s "$work/long.json")
for ((i = 0; i < RUNS; i++)); do wall "$HARK" transcript "$work/long.json" --json; done |
	median >"$work/cli_ms"
ncues=$("$HARK" transcript "$work/long.json" --json | jq '.cues | length')
for ((i = 0; i < RUNS; i++)); do "$BENCH_TX" load "$work/long.json" 60 >"$work/load.$i"; done
col() { # NAME - median over the load runs
	for ((i = 0; i < RUNS; i++)); do awk -v k="$1" '$1 == k { print $2 }' "$work/load.$i"; done | median
}

# The interface: a local feed whose one episode names the long transcript.
# first draw = from the 't' key (Transcript tab) to its first cue's text on
# screen, polled every 2 ms through tmux capture-pane (so an upper bound).
first=$(jq -r '.cues[0].text' <("$HARK" transcript "$work/long.json" --json) | cut -c1-20)
ui_first_draw() { # MODE: stored | parse
	local home a b t
	home=$(mk_temp home)
	mkdir -p "$home/config" "$work/feed"
	cp "$work/long.json" "$work/feed/long.json"
	: >"$work/feed/ep.mp3"
	cat >"$work/feed/feed.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Bench</title>
<item><title>Three hours</title><guid>long</guid><enclosure url="ep.mp3" type="audio/mpeg" length="1"/>
<itunes:duration xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">3:00:00</itunes:duration>
<podcast:transcript url="long.json" type="application/json"/></item>
</channel></rss>
EOF
	if [ "$1" = parse ]; then echo 'set transcripts_fetch 0' >"$home/config/config"; fi
	HARK_HOME=$home "$HARK" add "$work/feed/feed.xml" >/dev/null 2>&1
	tmux_start 120 40 env HARK_HOME="$home" "$HARK"
	tmux_wait_text 20 "Three hours" || return 1
	# the episodes pane, the episode selected: its description is shown
	tmux_keys Tab
	sleep 1
	a=$(ms_now)
	tmux_keys t
	while ! tmux_screen | grep -qF -- "$first"; do
		b=$(ms_now)
		if awk -v a="$a" -v b="$b" 'BEGIN { exit !(b - a > 10000) }'; then
			echo "ui: no transcript on screen" >&2
			tmux_screen >&2
			break
		fi
		sleep 0.002
	done
	b=$(ms_now)
	tmux_keys Q
	tmux_wait_exit 10 >/dev/null 2>&1
	tmux_stop >/dev/null 2>&1
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f\n", b - a }'
}
for ((i = 0; i < RUNS; i++)); do ui_first_draw stored; done | median >"$work/ui_stored"
for ((i = 0; i < RUNS; i++)); do ui_first_draw parse; done | median >"$work/ui_parse"
# tmux's own latency: the same poll for text that is already on screen
a=$(ms_now)
tmux_start 120 40 sh -c 'echo ready; sleep 30'
tmux_wait_text 5 ready
for ((i = 0; i < RUNS; i++)); do
	a=$(ms_now)
	tmux_screen | grep -q ready
	b=$(ms_now)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f\n", b - a }'
done | median >"$work/tmux_poll"
tmux_stop >/dev/null 2>&1

cat <<EOF
### A three-hour word-level JSON transcript

$segs one-word segments over 3:00:00 ($((bytes / 1024)) KB) → $ncues lines (cues)
with $(col words) word times; median of $RUNS runs.

| step | ms | target |
| --- | ---: | --- |
| \`hark transcript FILE --json\` (process: read, parse, join, print JSON) | $(cat "$work/cli_ms") | |
| read + parse + join (in-process, \`transcript_parse\`): wall / CPU | $(col parse_ms) / $(col parse_cpu_ms) | |
| (reference: jansson's \`json_loadb\` + \`json_decref\` of the same file alone, wall) | $(col jansson_ms) | |
| (reference: yajl's parser without callbacks over the same file, wall: the floor of hark's stream reader) | $(col yajl_ms) | |
| the pane's layout of every cue (\`text_sanitize\` + \`uitext_wrap\`, 60 columns, $(col lines) lines): wall / CPU | $(col layout_ms) / $(col layout_cpu_ms) | |
| **load = parse + layout**: wall / CPU | **$(col load_ms) / $(col load_cpu_ms)** | < 100 |
| interface, stored transcript: \`t\` key → text on screen (tmux) | $(cat "$work/ui_stored") | < 100 |
| interface, first open (read + parse + draw; a child stores it meanwhile; \`transcripts_fetch 0\`): \`t\` → text | $(cat "$work/ui_parse") | < 100 |
| (tmux capture-pane of text already on screen: the poll's own cost) | $(cat "$work/tmux_poll") | |
| \`transcript_store_save\` of all cues (one transaction, FTS5 rows with the cues) | $(col store_save_ms) | |
| \`transcript_store_load\` (what the interface reads) | $(col store_load_ms) | |
| following playback: \`transcript_find\` + \`transcript_find_word\` per tick ($(col follow_ticks) ticks) | $(col follow_us_per_tick) µs | a binary search |

EOF
fi

# ---- 2. search over a big library ----
[[ " $PARTS " == *" search "* ]] || exit 0
home=$(mk_temp libhome)
mkdir -p "$home/data"
db=$home/data/library.db
a=$(ms_now)
"$BENCH_TX" library "$db" "$EPISODES" "$CUES" >"$work/lib"
b=$(ms_now)
# the shell and hark both open it read-mostly; warm the page cache once
cat "$db" >/dev/null
rows=$(sqlite3 "$db" "SELECT count(*) FROM cues")
size=$(($(stat -c %s "$db") / 1048576))
fts_q() { # QUERY - every word as a prefix, as hark's second pass
	printf '%s' "$1" | awk '{ for (i = 1; i <= NF; i++) printf "%s\"%s\"*", (i > 1 ? " " : ""), $i }'
}
sql_ref() { # QUERY - the plain FTS5 way (hark's query before this benchmark):
	# bm25 over every match (cues in cue_search, episodes in search), joins
	local q
	q=$(fts_q "$1")
	printf '%s\n' "SELECT r.kind, r.episode_id, r.start, f.title, e.title, r.score FROM" \
		" (SELECT 'cue' AS kind, c.episode_id, c.start, bm25(cue_search, 5.0, 1.0) AS score" \
		"  FROM cue_search JOIN cues c ON c.id = -cue_search.rowid WHERE cue_search MATCH '$q'" \
		"  UNION ALL SELECT 'episode', search.rowid, NULL, bm25(search, 5.0, 1.0)" \
		"  FROM search WHERE search MATCH '$q') r JOIN episodes e ON e.id = r.episode_id" \
		" LEFT JOIN feeds f ON f.id = e.feed_id ORDER BY r.score LIMIT 50;"
}
echo "### \`hark search\` over $EPISODES episodes with transcripts"
echo
echo "$EPISODES episodes, $rows cue rows ($CUES a transcript, 12 words a cue, Zipf-distributed"
echo "over 30,000 words), database $size MB, built in $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", (b - a) / 1000 }') s"
echo "through store_feed_add and transcript_store_save. Median of $RUNS runs, ms."
echo
echo "| query | rows matching | hits returned | \`hark search --json\` (process) | search_query (in-process) | sqlite3 shell: FTS5 bm25 over all matches (process) | target |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for spec in 1 10 100 1000 10000 "1 2" "50 500" "prefix:1" none; do
	if [ "$spec" = none ]; then # no hit: the process and store_open alone
		q=qqqqzzzz
		spec="no hit: process start and store_open"
	elif [ "${spec#prefix:}" != "$spec" ]; then # the first two letters of a word
		w=$("$BENCH_TX" word "${spec#prefix:}")
		q=${w:0:2}
		spec="first 2 letters of rank ${spec#prefix:}"
	else
		q=""
		for r in $spec; do q="$q${q:+ }$("$BENCH_TX" word "$r")"; done
		spec="rank $spec"
	fi
	match=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM cue_search WHERE cue_search MATCH '$(fts_q "$q")')
		+ (SELECT count(*) FROM search WHERE search MATCH '$(fts_q "$q")')")
	cli=$(for ((i = 0; i < RUNS; i++)); do HARK_HOME=$home wall "$HARK" search --json -- "$q"; done | median)
	read -r inproc hits < <("$BENCH_TX" search "$db" "$RUNS" "$q")
	sql_ref "$q" >"$work/ref.sql"
	ref=$(for ((i = 0; i < RUNS; i++)); do wall sqlite3 "$db" ".read $work/ref.sql"; done | median)
	echo "| \`$q\` ($spec) | $match | $hits | $cli | $inproc | $ref | < 50 |"
done
