#!/bin/bash
# library_add.sh - hark add over HTTP (nginx) and from a local file (relative
# enclosure), list / list FEED (plain and --json), remove, and the errors
# and exit statuses of the library commands.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
need jq
mk_home

doc=$(mk_temp doc)
cat >"$doc/feed.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Loopback Radio</title><link>https://example.org/</link>
<description>Tests</description>
<item><guid>lr-1</guid><title>One</title><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
<itunes:duration>90</itunes:duration>
<enclosure url="https://example.org/1.mp3" type="audio/mpeg" length="1234"/></item>
<item><guid>lr-2</guid><title>Two &#x1b;[31m</title><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="https://example.org/2.mp3" type="audio/mpeg"/></item>
<item><guid>lr-3</guid><title>Three</title><pubDate>Wed, 03 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="file:///etc/passwd" type="audio/mpeg"/></item>
</channel></rss>
XML
nginx_start "$doc"

run "$HARK" add "$NGINX_URL/feed.xml"
is "$run_rc" 0 "add over http exits 0"
like "$run_out" '^added feed 1: Loopback Radio \(3 episodes\)$' "add reports the feed"
like "$(grep ' /feed.xml ' "$NGINX_ACCESS_LOG")" 'gzip' "Accept-Encoding offers gzip"

run "$HARK" add "$NGINX_URL/feed.xml"
is "$run_rc" 0 "adding again is fine"
like "$run_out" 'already subscribed' "and says it is already subscribed"

run "$HARK" list --json
is "$(jq -r '.[0].title' "$run_stdout")" "Loopback Radio" "list --json: title"
is "$(jq -r '.[0].url' "$run_stdout")" "$NGINX_URL/feed.xml" "list --json: url"
is "$(jq -r '.[0].episodes' "$run_stdout")" 3 "list --json: episode count"
is "$(jq length "$run_stdout")" 1 "one subscription"

run "$HARK" list "Loopback Radio" --json
is "$run_rc" 0 "list FEED by title"
is "$(jq -r '[.[].title] | join(",")' "$run_stdout")" "Three,Two [31m,One" "episodes newest first, ESC stripped from the title"
is "$(jq -r '.[2].duration' "$run_stdout")" 90 "duration in seconds"
is "$(jq -r '.[2].published' "$run_stdout")" "2024-01-01T10:00:00Z" "published ISO 8601 UTC"
is "$(jq -r '.[2].enclosure.length' "$run_stdout")" 1234 "enclosure length"
is "$(jq -r '.[2].played' "$run_stdout")" false "not played"
is "$(jq -r '.[0].url' "$run_stdout")" null "a network feed never keeps a file: enclosure"
if grep -q $'\x1b' "$run_stdout"; then fail "no escape character in the output"; else pass "no escape character in the output"; fi

run "$HARK" list 1
is "$run_rc" 0 "list FEED by id"
is "$(wc -l <"$run_stdout")" 3 "one line per episode"
like "$(sed -n 3p "$run_stdout")" $'^[0-9]+\t2024-01-01\t1:30\tnew\tOne$' "plain line: id, date, duration, state, title"

# A local feed: enclosures relative to the feed's folder.
mkdir -p "$doc/local/audio"
cat >"$doc/local/show.xml" <<'XML'
<rss version="2.0"><channel><title>On Disk</title>
<item><guid>d1</guid><title>Disk one</title>
<enclosure url="audio/d1.mp3" type="audio/mpeg"/></item>
</channel></rss>
XML
(cd "$doc/local" && "$HARK" add show.xml >"$TEST_TMPDIR/local.out" 2>&1)
ok $? "add a local file by a relative path"
run "$HARK" list "On Disk" --json
is "$(jq -r '.[0].url' "$run_stdout")" "$doc/local/audio/d1.mp3" "relative enclosure made absolute"
run "$HARK" list --json
is "$(jq -r '.[] | select(.title == "On Disk") | .url' "$run_stdout")" "$doc/local/show.xml" \
	"a local feed is stored by its absolute path"
is "$(jq -r '.[] | select(.title == "On Disk") | .local' "$run_stdout")" true "and marked local"

# A local feed is re-read by update.
cat >"$doc/local/show.xml" <<'XML'
<rss version="2.0"><channel><title>On Disk</title>
<item><guid>d2</guid><title>Disk two</title>
<enclosure url="./audio/d2.mp3" type="audio/mpeg"/></item>
<item><guid>d1</guid><title>Disk one</title>
<enclosure url="audio/d1.mp3" type="audio/mpeg"/></item>
</channel></rss>
XML
run "$HARK" update "On Disk"
is "$run_rc" 0 "update re-reads a local feed"
like "$run_out" '^feed 2: On Disk: 1 new episode$' "and finds the new episode"
run "$HARK" list "$doc/local/show.xml" --json
is "$(jq -r '[.[].url] | join(" ")' "$run_stdout")" "$doc/local/audio/d2.mp3 $doc/local/audio/d1.mp3" \
	"list FEED by path"

# Errors.
run "$HARK" add "$NGINX_URL/missing.xml"
is "$run_rc" 2 "a 404 feed exits 2"
like "$run_err" "^hark: add: $NGINX_URL/missing.xml: HTTP 404$" "and says HTTP 404"
run "$HARK" add "$doc/nothing.xml"
is "$run_rc" 2 "a missing file exits 2"
like "$run_err" '^hark: add: .*nothing.xml: No such file' "and says why"
echo "not a feed" >"$doc/junk.xml"
run "$HARK" add "$NGINX_URL/junk.xml"
is "$run_rc" 2 "a document that is no feed exits 2"
like "$run_err" "^hark: add: $NGINX_URL/junk.xml: " "with the URL in the message"
run "$HARK" add "ftp://127.0.0.1/feed.xml"
is "$run_rc" 2 "ftp is refused"
like "$run_err" 'only http and https' "with the reason"
run "$HARK" add
is "$run_rc" 1 "add without a feed is a usage error"
run "$HARK" add a b
is "$run_rc" 1 "add with two feeds is a usage error"
run "$HARK" list --frob
is "$run_rc" 1 "an unknown option is a usage error"
for c in add remove update list import export; do
	run "$HARK" "$c" --help
	ok $run_rc "$c --help exits 0"
done
run "$HARK" list "No Such Show"
is "$run_rc" 2 "list of an unknown feed exits 2"
like "$run_err" '^hark: list: No Such Show: no such feed' "and says so"

run "$HARK" list --json
is "$(jq length "$run_stdout")" 2 "failed adds left nothing behind"

run "$HARK" remove "Loopback Radio"
is "$run_rc" 0 "remove by title"
like "$run_out" '^removed feed 1: Loopback Radio$' "remove reports the feed"
run "$HARK" remove 1
is "$run_rc" 2 "removing again exits 2"
run "$HARK" list --json
is "$(jq -r '[.[].title] | join(",")' "$run_stdout")" "On Disk" "one subscription left"

done_testing
