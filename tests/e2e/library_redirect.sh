#!/bin/bash
# library_redirect.sh - redirects and limits of feed fetching against the
# fault server: a 301 at add time subscribes to the new URL, a 301/308 seen
# by update moves the stored URL (a 302 does not), itunes:new-feed-url moves
# it too, a redirect to file:// or ftp:// is refused, a redirect loop stops,
# and a feed over the 50 MB cap fails with a clear error.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"
need sqlite3
mk_home
db=$HARK_HOME/data/library.db

doc=$(mk_temp doc)
feed() { # FILE TITLE [EXTRA-CHANNEL-XML]
	printf '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>%s</title>%s<item><guid>%s-1</guid><title>x</title>
<enclosure url="https://example.org/x.mp3" type="audio/mpeg"/></item></channel></rss>\n' \
		"$2" "${3:-}" "$2" >"$1"
}
feed "$doc/one.xml" "One"
feed "$doc/two.xml" "Two"
feed "$doc/three.xml" "Three"
feed "$doc/four.xml" "Four"
faultsrv_start "$doc"
url_of() { sqlite3 "$db" "SELECT url FROM feeds WHERE title = '$1'"; }

# add through a 301: subscribed at the target.
run "$HARK" add "$FAULT_URL/redirect301/1/one.xml"
is "$run_rc" 0 "add through a 301"
is "$(url_of One)" "$FAULT_URL/one.xml" "the 301 target is stored"

# add through a 302: the original URL stays.
run "$HARK" add "$FAULT_URL/redirect/1/two.xml"
is "$run_rc" 0 "add through a 302"
is "$(url_of Two)" "$FAULT_URL/redirect/1/two.xml" "a 302 keeps the URL"

# update: a 308 in the middle of a chain moves the URL to the 308's target.
run "$HARK" add "$FAULT_URL/three.xml"
sqlite3 "$db" "UPDATE feeds SET url = '$FAULT_URL/redirect308/2/three.xml' WHERE title = 'Three'"
run "$HARK" update Three
is "$run_rc" 0 "update through two 308s"
is "$(url_of Three)" "$FAULT_URL/three.xml" "the stored URL moved"
like "$run_out" "moved from $FAULT_URL/redirect308/2/three.xml to $FAULT_URL/three.xml" "the move is reported"
run "$HARK" update Two
is "$(url_of Two)" "$FAULT_URL/redirect/1/two.xml" "update through a 302 keeps the URL"

# itunes:new-feed-url moves the subscription.
feed "$doc/four.xml" "Four" "<itunes:new-feed-url>$FAULT_URL/four-new.xml</itunes:new-feed-url>"
feed "$doc/four-new.xml" "Four"
run "$HARK" add "$FAULT_URL/four.xml"
is "$(url_of Four)" "$FAULT_URL/four-new.xml" "new-feed-url followed at add"
sqlite3 "$db" "UPDATE feeds SET url = '$FAULT_URL/four.xml' WHERE title = 'Four'"
run "$HARK" update Four
is "$(url_of Four)" "$FAULT_URL/four-new.xml" "new-feed-url followed at update"
before=$(faultsrv_count /four-new.xml)
run "$HARK" update Four
is "$(faultsrv_count /four-new.xml)" $((before + 1)) "the next update fetches the new URL"

# Refused redirects.
run "$HARK" add "$FAULT_URL/tofile"
is "$run_rc" 2 "a redirect to file:// fails"
like "$run_err" "^hark: add: $FAULT_URL/tofile: redirect to file:///etc/passwd refused" "and says it was refused"
run "$HARK" add "$FAULT_URL/toftp"
is "$run_rc" 2 "a redirect to ftp:// fails"
like "$run_err" 'refused' "and says it was refused"
run "$HARK" add "$FAULT_URL/loop"
is "$run_rc" 2 "a redirect loop fails"
like "$run_err" 'more than 10 redirects' "after 10 redirects"
is "$(faultsrv_count /loop)" 6 "and stopped (11 requests in all)"

# The size cap (50 MB, counted after gzip decoding).
{
	printf '<rss version="2.0"><channel><title>Huge</title><description>'
	head -c $((51 * 1024 * 1024)) /dev/zero | tr '\0' 'x'
	printf '</description></channel></rss>\n'
} >"$doc/huge.xml"
run "$HARK" add "$FAULT_URL/huge.xml"
is "$run_rc" 2 "a feed over 50 MB fails"
like "$run_err" "^hark: add: $FAULT_URL/huge.xml: larger than 50 MB$" "with a clear error"
rm -f "$doc/huge.xml"

is "$(sqlite3 "$db" "SELECT count(*) FROM feeds")" 4 "only the four good feeds are subscribed"

done_testing
