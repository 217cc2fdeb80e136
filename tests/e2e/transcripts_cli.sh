#!/bin/bash
# transcripts_cli.sh - `hark transcript`, `hark chapters` and `hark search`
# on the corpus files, over HTTP from a private nginx (an MP3's chapters
# read with Range requests for the ID3 tag only), and through the library.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
need jq cmp
C=$HARK_CORPUS
need_file "$C/transcripts/podcastindex-example.vtt" "$C/chapters/antennapod-auphonic.mp3"
mk_home

# ---- transcripts from files ----
run "$HARK" transcript "$C/transcripts/podcastindex-example.json" --json
is "$run_rc" 0 "transcript JSON file exits 0"
is "$(jq -c '.cues[0]' "$run_stdout")" \
	'{"start":0.5,"end":2.5,"speaker":"Darth Vader","text":"I am your father."}' \
	"JSON: word segments joined into a line (exact issue-6 shape)"
is "$(jq -r '.cues[1].speaker' "$run_stdout")" "Luke" "JSON: speaker change starts a line"

run "$HARK" transcript "$C/transcripts/podcastindex-example.vtt" --json
is "$(jq '.cues | length' "$run_stdout")" 7 "VTT: 7 cues"
is "$(jq -r '.cues[2].text' "$run_stdout")" \
	"include in one? Welcome to Podcasting Q&A, where you learn" "VTT: entity decoded"
is "$(jq -c '.cues[5] | [.start, .end, .speaker]' "$run_stdout")" '[19.08,21.45,"Gillian"]' \
	"VTT: times and <v> speaker"

run "$HARK" transcript "$C/transcripts/podcastindex-example.srt" --json
is "$(jq '.cues | length' "$run_stdout")" 222 "SRT: 222 cues"
is "$(jq -c '.cues[0] | [.start, .speaker]' "$run_stdout")" '[0.179,"Travis"]' \
	"SRT: comma times and Name: speaker"
srt_sarah=$(jq -c '[.cues[] | select(.speaker == "Sarah")][0].start | floor' "$run_stdout")

run "$HARK" transcript "$C/transcripts/podcastindex-example.html" --json
is "$(jq '.cues | length' "$run_stdout")" 10 "HTML: 10 paragraphs"
is "$(jq -c '.cues[1] | [.start, .end, .speaker]' "$run_stdout")" '[53,null,"Sarah"]' \
	"HTML: <time> start, no end, <cite> speaker"
is "$srt_sarah" 53 "SRT and HTML agree on Sarah's first turn (53 s)"

run "$HARK" transcript "$C/transcripts/podcastindex-example.vtt"
like "$(head -n 1 "$run_stdout")" '^\[0:00\] Sarah: In today' "plain output: [time] speaker: text"

run "$HARK" transcript "$C/transcripts/podcastindex-example.srt" --type text/vtt --json
is "$run_rc" 2 "--type text/vtt on an SRT file fails (exit 2)"
like "$run_err" '^hark: .*WEBVTT' "and says why"
run "$HARK" transcript --type nonsense/type x.vtt
is "$run_rc" 1 "an unknown --type is a usage error"
run "$HARK" transcript
is "$run_rc" 1 "no argument is a usage error"

# ---- chapters from files ----
run "$HARK" chapters "$C/chapters/antennapod-auphonic.mp3" --json
is "$run_rc" 0 "chapters of a local MP3 exit 0"
is "$(jq -c '[.chapters[].start]' "$run_stdout")" '[0,3,6,9]' "Auphonic: chapters at 0, 3, 6, 9 s"
is "$(jq -r '.chapters[1].title' "$run_stdout")" "Chapter 2 - ßöÄ" "Auphonic: UTF-16 title"
local_json=$(jq -c . "$run_stdout")
run "$HARK" chapters "$C/chapters/antennapod-hindenburg-journalist-pro.mp3" --json
is "$(jq -c '[.chapters[] | [.start, .end, .url]]' "$run_stdout")" \
	'[[0,5.006,"https://example.com/chapter1url"],[5.006,10.884,"https://example.com/chapter2url"]]' \
	"Hindenburg: starts, ends and links"
run "$HARK" chapters "$C/chapters/podcastindex-exampleComplex.json" --json
is "$(jq -c '[.chapters[] | select(.toc == false) | .start]' "$run_stdout")" '[4826]' \
	"JSON chapters: toc:false kept and marked"

# ---- over HTTP ----
doc=$(mk_temp doc)
tag_size=2896 # the Auphonic file's ID3 tag, header included
cp "$C/chapters/antennapod-auphonic.mp3" "$doc/big.mp3"
head -c 4194304 /dev/zero >>"$doc/big.mp3" # 4 MB of "audio" after the tag
cp "$C/chapters/antennapod-auphonic.mp3" "$doc/norange.mp3"
cp "$C/chapters/podcastindex-example.json" "$doc/chapters.json"
cp "$C/transcripts/podcastindex-example.vtt" "$doc/ep.vtt"
NGINX_EXTRA_CONF='location = /norange.mp3 { max_ranges 0; }'
nginx_start "$doc"

run "$HARK" chapters "$NGINX_URL/big.mp3" --json
is "$run_rc" 0 "chapters of an MP3 over HTTP exit 0" "$run_err"
is "$(jq -c . "$run_stdout")" "$local_json" "the same chapters as from the local file"
reqs=$(nginx_requests | grep ' /big.mp3 ')
diag "$reqs"
is "$(echo "$reqs" | wc -l)" 2 "two requests for the MP3" "$reqs"
like "$(echo "$reqs" | sed -n 1p)" '^GET /big.mp3 "bytes=0-9" .* 206 10$' \
	"first: the 10-byte ID3 header, 206"
like "$(echo "$reqs" | sed -n 2p)" \
	"^GET /big.mp3 \"bytes=10-$((tag_size - 1))\" \"(\\\\x22)[0-9a-f-]+(\\\\x22)\" .* 206 $((tag_size - 10))\$" \
	"second: the rest of the tag only, with If-Range (the ETag), 206"
sent=$(echo "$reqs" | awk '{ s += $NF } END { print s }')
is "$sent" "$tag_size" "bytes sent = the tag, not the 4 MB file"

run "$HARK" chapters "$NGINX_URL/norange.mp3" --json
is "$(jq -c '[.chapters[].start]' "$run_stdout")" '[0,3,6,9]' \
	"a server ignoring Range (200): the tag is still read" "$run_err"

run "$HARK" chapters "$NGINX_URL/chapters.json" --json
is "$(jq '.chapters | length' "$run_stdout")" 9 "JSON chapters over HTTP"

run "$HARK" transcript "$NGINX_URL/ep.vtt" --json
is "$(jq '.cues | length' "$run_stdout")" 7 "a transcript over HTTP (gzip, text/vtt)" "$run_err"

run "$HARK" chapters "$NGINX_URL/missing.mp3"
is "$run_rc" 2 "a 404 fails with exit 2"
like "$run_err" 'HTTP 404' "and names the status"

# ---- through the library: fetched once, then searched ----
feed=$(mk_temp feed)
cat >"$feed/feed.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Cold Cases</title>
<item><title>Glaciers</title><guid>g1</guid>
<description>We talk about ice.</description>
<enclosure url="ep1.mp3" type="audio/mpeg" length="100"/>
<podcast:transcript url="ep1.srt" type="application/x-subrip"/>
<podcast:transcript url="ep1.vtt" type="text/vtt" language="en"/>
</item></channel></rss>
EOF
printf 'WEBVTT\n\n00:12:30.000 --> 00:12:40.000\n<v Bob>Now the frozen assets\n' >"$feed/ep1.vtt"
printf '1\n00:00:01,000 --> 00:00:02,000\nsrt loses to vtt\n' >"$feed/ep1.srt"
run "$HARK" add "$feed/feed.xml"
is "$run_rc" 0 "a local feed with two transcripts is added" "$run_err"
ep=$("$HARK" list 1 --json 2>/dev/null | jq -r '.. | objects | select(.title? == "Glaciers") | .id' | head -n 1)
: "${ep:=1}"
run "$HARK" transcript "$ep" --json
is "$(jq -c '.cues[0] | [.start, .speaker, .text]' "$run_stdout")" '[750,"Bob","Now the frozen assets"]' \
	"hark transcript EPISODE picks VTT over SRT and stores it" "$run_err"
rm "$feed/ep1.vtt"
run "$HARK" transcript "$ep" --json
is "$(jq '.cues | length' "$run_stdout")" 1 "second read comes from the library (file removed)" "$run_err"

run "$HARK" search frozen --json
is "$run_rc" 0 "search exits 0"
is "$(jq -c '[.results[] | select(.kind == "cue") | [.time, .episode, .feed, .speaker]]' "$run_stdout")" \
	'[[750,"Glaciers","Cold Cases","Bob"]]' "a transcript hit carries its time"
run "$HARK" search ice
like "$run_out" 'Cold Cases — Glaciers' "a description hit, plain output"
run "$HARK" search '"(NEAR OR' --json
is "$run_rc" 0 "FTS5 syntax in the query is just text"
run "$HARK" search
is "$run_rc" 1 "search without text is a usage error"

done_testing
