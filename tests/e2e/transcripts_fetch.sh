#!/bin/bash
# transcripts_fetch.sh - `hark add` and `hark update` fetch the transcripts a
# feed names (the preferred one of each episode, in parallel) into the
# library and its search index, exactly once: a second update asks nginx for
# no transcript again. A broken transcript is reported and fails nothing; a
# local feed's local transcript and sidecar file are stored too; the
# transcripts_fetch setting bounds the work to each feed's newest episodes.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
need jq sqlite3
C=$HARK_CORPUS
need_file "$C/transcripts/podcastindex-example.vtt" "$C/transcripts/podcastindex-example.json"
mk_home
db=$HARK_HOME/data/library.db

doc=$(mk_temp doc)
cp "$C/transcripts/podcastindex-example.json" "$doc/ep1.json"
cp "$C/transcripts/podcastindex-example.vtt" "$doc/ep1.vtt"
cp "$C/transcripts/podcastindex-example.vtt" "$doc/ep2.vtt"
# ep1 names VTT and JSON (JSON wins), ep2 a VTT only, ep3 a missing file,
# ep4 nothing.
item() { # TITLE DATE TRANSCRIPT-TAGS...
	local t=$1 d=$2
	shift 2
	printf '<item><title>%s</title><guid>%s</guid><pubDate>%s</pubDate>\n' "$t" "$t" "$d"
	printf '<enclosure url="http://127.0.0.1:1/%s.mp3" type="audio/mpeg" length="1"/>\n' "$t"
	printf '%s\n' "$@"
	printf '</item>\n'
}
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">\n'
	printf '<channel><title>Words</title>\n'
	item ep1 'Mon, 04 Mar 2024 10:00:00 GMT' \
		'<podcast:transcript url="ep1.vtt" type="text/vtt"/>' \
		'<podcast:transcript url="ep1.json" type="application/json"/>'
	item ep2 'Sun, 03 Mar 2024 10:00:00 GMT' '<podcast:transcript url="ep2.vtt" type="text/vtt"/>'
	item ep3 'Sat, 02 Mar 2024 10:00:00 GMT' '<podcast:transcript url="gone.vtt" type="text/vtt"/>'
	item ep4 'Fri, 01 Mar 2024 10:00:00 GMT'
	printf '</channel></rss>\n'
} >"$doc/feed.xml"
nginx_start "$doc"

treqs() { nginx_requests | grep -cE ' /(ep[0-9]\.(vtt|json)|gone\.vtt) '; }
ep_id() { sqlite3 "$db" "SELECT id FROM episodes WHERE title = '$1'"; }

run "$HARK" add "$NGINX_URL/feed.xml"
is "$run_rc" 0 "add exits 0 although one transcript is missing" "$run_err"
like "$run_out" '2 transcripts stored' "add says how many transcripts it stored"
like "$run_err" "^hark: add: episode [0-9]+: transcript .*gone\.vtt.*404" \
	"the missing one is reported on its own line"
is "$(grep -c . "$run_stderr")" 1 "and nothing else on stderr"
reqs=$(nginx_requests)
diag "$reqs"
is "$(echo "$reqs" | grep -c ' /ep1\.json ')" 1 "ep1: the JSON transcript fetched"
is "$(echo "$reqs" | grep -c ' /ep1\.vtt ')" 0 "ep1: its VTT is not (JSON is preferred)"
is "$(echo "$reqs" | grep -c ' /ep2\.vtt ')" 1 "ep2: its VTT fetched"

# The stored cues are the parser's cues.
run "$HARK" transcript "$doc/ep1.json" --json
want1=$(jq -c '[.cues[] | [.start, .text]]' "$run_stdout")
run "$HARK" transcript "$doc/ep2.vtt" --json
want2=$(jq -c '[.cues[] | [.start, .text]]' "$run_stdout")
got1=$(sqlite3 -json "$db" "SELECT start, text FROM cues WHERE episode_id = $(ep_id ep1) ORDER BY seq" |
	jq -c '[.[] | [.start, .text]]')
is "$got1" "$want1" "ep1: the JSON's cues stored in the database, in order"
got2=$(sqlite3 -json "$db" "SELECT start, text FROM cues WHERE episode_id = $(ep_id ep2) ORDER BY seq" |
	jq -c '[.[] | [.start, .text]]')
is "$got2" "$want2" "ep2: the VTT's cues stored"
ncues=$(sqlite3 "$db" "SELECT count(*) FROM cues WHERE episode_id = $(ep_id ep1)")
is "$(sqlite3 "$db" "SELECT count(*) FROM cues WHERE words IS NOT NULL AND episode_id = $(ep_id ep1)")" \
	"$ncues" "ep1: every joined line of the word-level JSON keeps its word times"

# Search finds the transcript text, with the cue's time.
# a word of five letters or more, and the first cue that says it
word=$(jq -r '[.[][1] | split(" ")[] | gsub("[^A-Za-z]"; "") | select(length >= 5)] | .[0]' <<<"$want1")
t1=$(jq -r --arg w "$word" '[.[] | select(.[1] | test("\\b" + $w + "\\b")) | .[0]] | min' <<<"$want1")
like "$word $t1" '^[A-Za-z]{5,} [0-9.]+$' "ep1's transcript has a word to search for"
diag "searching ep1 for '$word' (first said at $t1 s)"
run "$HARK" search "$word" --json
is "$run_rc" 0 "search exits 0" "$run_err"
is "$(jq -c --argjson id "$(ep_id ep1)" \
	'[.results[] | select(.kind == "cue" and .episode_id == $id) | .time] | min' "$run_stdout")" \
	"$t1" "a cue hit in ep1 carries the time of the cue"
vword=$(jq -r '[.[][1] | split(" ")[] | select(test("^[A-Za-z]{6,}$"))] | .[-1]' <<<"$want2")
run "$HARK" search "$vword" --json
is "$(jq --argjson id "$(ep_id ep2)" '[.results[] | select(.kind == "cue" and .episode_id == $id)] | length > 0' \
	"$run_stdout")" true "the VTT's text ('$vword') is found in ep2"

# A second update fetches no stored transcript again.
before=$(nginx_requests | wc -l)
run "$HARK" update
is "$run_rc" 0 "update exits 0 (the missing transcript never fails it)" "$run_err"
diag "$(nginx_requests | tail -n +"$((before + 1))")"
is "$(nginx_requests | grep -cE ' /ep1\.json | /ep2\.vtt ')" 2 \
	"update fetched neither stored transcript again"
is "$(nginx_requests | grep -c ' /gone\.vtt ')" 2 "the failed one is tried again"
is "$(grep -c 'stored$' "$run_stdout")" 0 "update stored nothing new"

# transcripts_fetch bounds the work to each feed's newest episodes.
mk_home
db=$HARK_HOME/data/library.db
mkdir -p "$HARK_HOME/config"
echo 'set transcripts_fetch 1' >"$HARK_HOME/config/config"
n0=$(treqs)
run "$HARK" add "$NGINX_URL/feed.xml"
is "$run_rc" 0 "add with transcripts_fetch 1" "$run_err"
is "$(($(treqs) - n0))" 1 "only the newest episode's transcript fetched"
is "$(sqlite3 "$db" "SELECT group_concat(e.title) FROM transcripts t JOIN episodes e ON e.id = t.episode_id WHERE t.fetched_at IS NOT NULL")" \
	ep1 "and it is the newest one's"
echo 'set transcripts_fetch 0' >"$HARK_HOME/config/config"
n0=$(treqs)
run "$HARK" update
is "$(($(treqs) - n0))" 0 "transcripts_fetch 0 fetches none"
run "$HARK" transcript "$(ep_id ep2)" --json
is "$(jq -c '[.cues[] | [.start, .text]]' "$run_stdout")" "$want2" \
	"an episode left out is fetched when asked for (hark transcript ID)"

# A local feed: a transcript path and a sidecar beside the audio file.
mk_home
db=$HARK_HOME/data/library.db
loc=$(mk_temp local)
cp "$doc/ep2.vtt" "$loc/one.vtt"
cp "$doc/ep2.vtt" "$loc/two.vtt" # the sidecar of two.mp3
: >"$loc/one.mp3"
: >"$loc/two.mp3"
cat >"$loc/feed.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Local</title>
<item><title>one</title><guid>one</guid><enclosure url="one.mp3" type="audio/mpeg" length="1"/>
<podcast:transcript url="one.vtt" type="text/vtt"/></item>
<item><title>two</title><guid>two</guid><enclosure url="two.mp3" type="audio/mpeg" length="1"/></item>
<item><title>three</title><guid>three</guid><enclosure url="three.mp3" type="audio/mpeg" length="1"/>
<podcast:transcript url="$NGINX_URL/ep1.json" type="application/json"/></item>
</channel></rss>
EOF
n0=$(treqs)
run "$HARK" add "$loc/feed.xml"
is "$run_rc" 0 "a local feed is added" "$run_err"
is "$(sqlite3 "$db" "SELECT group_concat(title) FROM (SELECT DISTINCT e.title FROM cues c JOIN episodes e ON e.id = c.episode_id ORDER BY e.title)")" \
	"one,two" "its local transcript and the sidecar are stored"
is "$(($(treqs) - n0))" 0 "a local feed's remote transcript waits until it is opened"

done_testing
