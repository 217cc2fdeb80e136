#!/bin/bash
# parse_cli.sh - `hark parse FILE|URL [--json]`: exit statuses, the human
# summary, and the local/remote URL rules end to end (a local feed may name
# local files; the same feed served over HTTP by nginx may not, and its
# relative URLs resolve against the URL it was finally fetched from).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"

JSONQ="$top_builddir/tests/jsonq"
need_file "$HARK" "$JSONQ"
need "${NGINX_BIN:-/usr/sbin/nginx}"

dir=$(mk_temp feeds)
mkdir -p "$dir/sub"
cat >"$dir/sub/feed.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
<title>CLI &amp; Test</title>
<item>
  <title>First</title>
  <guid>ep-1</guid>
  <pubDate>Tue, 02 Jan 2024 03:04:05 GMT</pubDate>
  <itunes:duration>1:02:03</itunes:duration>
  <enclosure url="media/one.mp3" type="audio/mpeg" length="1000"/>
  <podcast:transcript url="file:///etc/passwd" type="text/plain"/>
  <podcast:transcript url="t/one.vtt" type="text/vtt" rel="captions"/>
  <podcast:chapters url="file:///etc/hostname" type="application/json+chapters"/>
</item>
<item><description>no title here</description></item>
</channel>
</rss>
EOF
out="$TEST_TMPDIR/out.json"

# ---- usage and failures ----
run "$HARK" parse
is "$run_rc" 1 "no argument: usage error"
run "$HARK" parse --bogus "$dir/sub/feed.xml"
is "$run_rc" 1 "unknown option: usage error"
run "$HARK" parse --help
is "$run_rc" 0 "--help"
like "$(cat "$run_stdout")" 'usage: hark parse' "--help prints usage"
run "$HARK" parse "$dir/missing.xml" --json
is "$run_rc" 2 "missing file: exit 2"
like "$(cat "$run_stderr")" "^hark: $dir/missing.xml: " "missing file: hark: PATH: why"
printf '<html><body>hi</body></html>' >"$dir/page.html"
run "$HARK" parse "$dir/page.html" --json
is "$run_rc" 2 "not a feed: exit 2"
like "$(cat "$run_stderr")" 'not an RSS or Atom feed' "not a feed: says why"

# ---- a local file ----
"$HARK" parse "$dir/sub/feed.xml" --json >"$out"
ok $? "local feed parses"
real=$(cd "$dir/sub" && pwd -P)
is "$("$JSONQ" "$out" .title)" "CLI & Test" "title"
is "$("$JSONQ" "$out" .episodes.0.enclosure.url)" "$real/media/one.mp3" \
	"local: relative enclosure becomes an absolute path"
is "$("$JSONQ" "$out" .episodes.0.transcripts)" "[2]" "local: file:// transcript allowed"
is "$("$JSONQ" "$out" .episodes.0.transcripts.0.url)" "/etc/passwd" "local: file:// as a path"
is "$("$JSONQ" "$out" .episodes.0.transcripts.1.url)" "$real/t/one.vtt" "local: relative transcript"
is "$("$JSONQ" "$out" .episodes.0.chapters_url)" "/etc/hostname" "local: file:// chapters"
is "$("$JSONQ" "$out" .episodes.0.published .episodes.0.duration)" "2024-01-02T03:04:05Z
3723" "published and duration"
is "$("$JSONQ" "$out" .episodes.1.title .episodes.1.guid .episodes.1.enclosure)" "null
null
null" "absent values are null"

run "$HARK" parse "$dir/sub/feed.xml"
is "$run_rc" 0 "summary without --json"
like "$(cat "$run_stdout")" 'CLI & Test' "summary: feed title"
like "$(cat "$run_stdout")" '2024-01-02 +1:02:03 +First' "summary: date, duration, title"
like "$(cat "$run_stdout")" '\(untitled\)' "summary: untitled episode"

# ---- the same feed over HTTP ----
NGINX_EXTRA_CONF='location = /old.xml { return 301 /sub/feed.xml; }'
nginx_start "$dir"
"$HARK" parse "$NGINX_URL/sub/feed.xml" --json >"$out"
ok $? "remote feed parses"
is "$("$JSONQ" "$out" .episodes.0.enclosure.url)" "$NGINX_URL/sub/media/one.mp3" \
	"remote: relative enclosure resolved against the feed URL"
is "$("$JSONQ" "$out" .episodes.0.transcripts)" "[1]" "remote: file:// transcript dropped"
is "$("$JSONQ" "$out" .episodes.0.transcripts.0.url)" "$NGINX_URL/sub/t/one.vtt" \
	"remote: relative transcript resolved"
is "$("$JSONQ" "$out" .episodes.0.chapters_url)" "null" "remote: file:// chapters dropped"
"$HARK" parse "$NGINX_URL/old.xml" --json >"$out"
ok $? "redirected feed parses"
is "$("$JSONQ" "$out" .episodes.0.enclosure.url)" "$NGINX_URL/sub/media/one.mp3" \
	"redirect: relative URLs resolve against where the feed was found"
run "$HARK" parse "$NGINX_URL/nope.xml" --json
is "$run_rc" 2 "HTTP 404: exit 2"
like "$(cat "$run_stderr")" "^hark: .*nope\.xml.*404" "HTTP 404: hark: URL: why"
run "$HARK" parse "$NGINX_URL/page.html" --json
is "$run_rc" 2 "remote non-feed: exit 2"
like "$(cat "$run_stderr")" "^hark: $NGINX_URL/page.html: not an RSS or Atom feed" \
	"remote non-feed: says why"

done_testing
