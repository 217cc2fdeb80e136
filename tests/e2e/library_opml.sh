#!/bin/bash
# library_opml.sh - hark import of a nested OPML file (feeds fetched in
# parallel, a failing feed still subscribed and reported), hark export, and
# export -> import into a fresh library giving the same set of feeds.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
need jq xmllint
mk_home

doc=$(mk_temp doc)
for n in 1 2 3; do
	printf '<rss version="2.0"><channel><title>Feed %s</title><link>https://example.org/%s</link>
<item><guid>g%s</guid><title>t</title><enclosure url="https://example.org/%s.mp3" type="audio/mpeg"/></item>
</channel></rss>\n' $n $n $n $n >"$doc/f$n.xml"
done
printf '<rss version="2.0"><channel><title>Local &amp; Co</title><item><guid>l1</guid>
<title>l</title><enclosure url="l.mp3" type="audio/mpeg"/></item></channel></rss>\n' >"$doc/local.xml"
nginx_start "$doc"

cat >"$doc/subs.opml" <<OPML
<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Mine</title></head><body>
  <outline text="Feed 1 (from OPML)" type="rss" xmlUrl="$NGINX_URL/f1.xml"/>
  <outline text="folder">
    <outline text="deeper">
      <outline text="Feed 2" type="rss" xmlUrl="$NGINX_URL/f2.xml"/>
    </outline>
    <outline text="Gone" title="Gone Show" type="rss" xmlUrl="$NGINX_URL/gone.xml"/>
  </outline>
  <outline text="Feed 3" xmlUrl="$NGINX_URL/f3.xml"/>
  <outline text="Local" xmlUrl="$doc/local.xml"/>
  <outline text="A pipe" xmlUrl="|cat /etc/passwd"/>
</body></opml>
OPML

run "$HARK" import "$doc/subs.opml"
is "$run_rc" 2 "import with failing feeds exits 2"
like "$run_err" "hark: import: feed [0-9]+: $NGINX_URL/gone.xml: HTTP 404 \(subscribed; hark update retries it\)" \
	"the 404 feed is reported and kept"
like "$run_err" 'hark: import: \|cat /etc/passwd: not an http\(s\) URL or a local file' \
	"a command 'URL' is refused"
for t in "Feed 1" "Feed 2" "Feed 3" "Local & Co"; do
	like "$run_out" "^feed [0-9]+: $t: 1 new episode" "imported $t"
done
like "$run_out" '6 feeds in .*subs.opml, 5 newly subscribed' "summary line"
run "$HARK" list --json
is "$(jq length "$run_stdout")" 5 "five subscriptions"
is "$(jq -r '.[] | select(.url | endswith("gone.xml")) | .title' "$run_stdout")" "Gone Show" \
	"the failed feed keeps its OPML title"
is "$(jq -r '[.[].episodes] | add' "$run_stdout")" 4 "episodes of the four good feeds"

run "$HARK" import "$doc/subs.opml"
like "$run_out" 'already subscribed' "importing again subscribes nothing twice"
run "$HARK" list --json
is "$(jq length "$run_stdout")" 5 "still five"

run "$HARK" export
is "$run_rc" 0 "export exits 0"
cp "$run_stdout" "$doc/out.opml"
check "export is well-formed XML" xmllint --noout "$doc/out.opml"
is "$(xmllint --xpath 'string(/opml/@version)' "$doc/out.opml")" "2.0" "OPML 2.0"
is "$(xmllint --xpath 'count(//outline[@type="rss"])' "$doc/out.opml")" 5 "five rss outlines"
is "$(xmllint --xpath "string(//outline[@xmlUrl='$NGINX_URL/f1.xml']/@htmlUrl)" "$doc/out.opml")" \
	"https://example.org/1" "htmlUrl exported"
is "$(xmllint --xpath "string(//outline[@xmlUrl='$NGINX_URL/f1.xml']/@title)" "$doc/out.opml")" \
	"Feed 1" "title exported (the feed's own)"

"$HARK" list --json | jq -r '.[].url' | sort >"$doc/set1"
mk_home
run "$HARK" import "$doc/out.opml"
"$HARK" list --json | jq -r '.[].url' | sort >"$doc/set2"
check "export then import gives the same set" diff "$doc/set1" "$doc/set2"

run "$HARK" import "$doc/none.opml"
is "$run_rc" 2 "a missing OPML file exits 2"
if [ -n "${HARK_CORPUS:-}" ] && [ -d "$HARK_CORPUS/opml" ]; then
	run "$HARK" import "$HARK_CORPUS/opml/castero-broken_parse.xml"
	is "$run_rc" 2 "a broken OPML file exits 2"
	like "$run_err" '^hark: import: .*castero-broken_parse.xml: not well-formed XML' "with a clear error"
	run "$HARK" import "$HARK_CORPUS/opml/newsboat-opml-element-missing.opml"
	like "$run_err" 'not an OPML file' "a non-OPML file is named as such"
else
	skip "corpus OPML files" "no HARK_CORPUS"
fi
run "$HARK" import
is "$run_rc" 1 "import without a file is a usage error"

done_testing
