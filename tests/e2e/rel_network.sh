#!/bin/bash
# rel_network.sh - a bad network (docs/reliability.md, "Network"): a chain of
# 307s, DNS failure, connection refused, a Content-Length longer and shorter
# than the body (feed and audio), a file that changes between requests
# (If-Range catches it: never two versions spliced; the same bytes under
# another ETag play on). Slow-loris drips: rel_slow.sh.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"

FIX=$(fixtures_dir)
need mpg123 cmp perl
JSONQ=$top_builddir/tests/jsonq
need_file "$JSONQ"
need_file "$FIX/cbr128.ref"
mk_home
OUT=$(mk_temp out)
DOC=$(mk_temp doc)
for n in r307 lie short changing changedl; do
	cp "$FIX/cbr128.mp3" "$DOC/$n.mp3"
done
size=$(stat -c %s "$FIX/cbr128.mp3")
# a feed whose second episode sits in its last 2000 bytes
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Net</title>\n'
	printf '<item><title>First</title><guid>n1</guid><enclosure url="http://127.0.0.1:1/1.mp3" type="audio/mpeg" length="1"/></item>\n'
	printf '<!-- %s -->\n' "$(head -c 3000 /dev/zero | tr '\0' p)"
	printf '<item><title>Second</title><guid>n2</guid><enclosure url="http://127.0.0.1:1/2.mp3" type="audio/mpeg" length="1"/></item>\n'
	printf '</channel></rss>\n'
} >"$DOC/feed.xml"
fsize=$(stat -c %s "$DOC/feed.xml")
faultsrv_start "$DOC"

# statuses PATH: the statuses faultsrv answered for this exact target
statuses() {
	awk -F'\t' -v t="$1" '$3 == t { printf "%s ", $8 }' "$FAULT_LOG"
}

# 1. three 307s in a row: followed, and (temporary) the stored URL stays
run "$HARK" add "$FAULT_URL/redirect307/3/feed.xml"
is "$run_rc" 0 "307 chain: a feed behind three 307s is added" "$run_err"
is "$(statuses /redirect307/3/feed.xml)$(statuses /redirect307/1/feed.xml)$(statuses /feed.xml)" \
	"307 307 200 " "307 chain: each hop was followed once"
run "$HARK" list --json
is "$("$JSONQ" "$run_stdout" .0.url)" "$FAULT_URL/redirect307/3/feed.xml" \
	"307 chain: the stored URL is the one subscribed (a 307 is temporary)"
run "$HARK" update
is "$run_rc" 0 "307 chain: update follows it again" "$run_err"
run "$HARK" play "$FAULT_URL/redirect307/3/r307.mp3" --output "raw:$OUT/r307.raw"
is "$run_rc" 0 "307 chain: audio behind three 307s plays" "$run_err"
check "307 chain: output equals mpg123 -s" cmp "$OUT/r307.raw" "$FIX/cbr128.ref"
"$HARK" remove 1 >/dev/null 2>&1

# 2. DNS failure and connection refused: exit 2, the URL and the cause named
for what in add play; do
	args=()
	[ "$what" = play ] && args=(--output null)
	run "$HARK" "$what" "http://nosuchhost.invalid/x.mp3" "${args[@]}"
	is "$run_rc" 2 "DNS failure: $what exits 2"
	like "$run_err" "nosuchhost.invalid.*[Rr]esolve" "DNS failure: $what names the host and says it did not resolve"
	port=$(free_port)
	run "$HARK" "$what" "http://127.0.0.1:$port/x.mp3" "${args[@]}"
	is "$run_rc" 2 "connection refused: $what exits 2"
	like "$run_err" "127.0.0.1:$port/x.mp3.*[Cc]onnect" "connection refused: $what names the URL and says it could not connect"
done
run "$HARK" list
is "$run_out" "" "nothing was subscribed by the failed adds"

# 3. Content-Length longer than the body (the server closes early)
run "$HARK" add "$FAULT_URL/lie/feed.xml"
is "$run_rc" 2 "long Content-Length: the feed fails (exit 2)"
like "$run_err" "lie/feed.xml: transfer closed with 65536 bytes remaining" \
	"long Content-Length: the message says the transfer was cut"
run "$HARK" list
is "$run_out" "" "long Content-Length: nothing half-read was stored"
run "$HARK" play "$FAULT_URL/lie/lie.mp3" --output "raw:$OUT/lie.raw"
is "$run_rc" 0 "long Content-Length: the audio plays to the end (exit 0)" "$run_err"
check "long Content-Length: output equals mpg123 -s" cmp "$OUT/lie.raw" "$FIX/cbr128.ref"
is "$(statuses /lie/lie.mp3)" "200 416 " \
	"long Content-Length: the resume past the real end got 416 (and hark took the file as whole)"

# 4. Content-Length shorter than the body: the client stops at the length
run "$HARK" add "$FAULT_URL/lieshort/2000/feed.xml"
is "$run_rc" 0 "short Content-Length: the feed is read up to the length (exit 0)" "$run_err"
run "$HARK" list 1 --json
is "$("$JSONQ" "$run_stdout" .0.title .1.title | tr '\n' ,)" "First,<missing>," \
	"short Content-Length: like a truncated document, what parsed is kept (the first episode)"
cut=$((size - 100000))
head -c "$cut" "$FIX/cbr128.mp3" >"$OUT/short-cut.mp3"
mpg123 -q -s "$OUT/short-cut.mp3" >"$OUT/short-cut.ref"
run "$HARK" play "$FAULT_URL/lieshort/100000/short.mp3" --output "raw:$OUT/short.raw"
is "$run_rc" 0 "short Content-Length: the audio plays the announced length (exit 0)" "$run_err"
check "short Content-Length: output equals mpg123 -s of the file cut at the announced $cut bytes" \
	cmp "$OUT/short.raw" "$OUT/short-cut.ref"

# 5. the file changes between requests (every other request of /changing/
# serves another version, other ETag): the reconnect's If-Range gets a 200
# with the new file; hark must not splice it onto the old bytes
path=/changing/closeonce/1/300000/changing.mp3
run "$HARK" play "$FAULT_URL$path" --output "raw:$OUT/changing.raw"
is "$run_rc" 2 "changed file: play stops (exit 2)"
like "$run_err" "changing.mp3: the file changed on the server" "changed file: the message says the file changed"
req2=$(awk -F'\t' -v t="$path" '$3 == t { n++; if (n == 2) print $4, $5, $8 }' "$FAULT_LOG")
like "$req2" '^bytes=300000- "[^"]+-v0" 200$' "changed file: the reconnect sent If-Range and got 200 ($req2)"
osize=$(stat -c %s "$OUT/changing.raw")
ok $((osize > 0 && osize < $(stat -c %s "$FIX/cbr128.ref") ? 0 : 1)) "changed file: it played part of the episode ($osize bytes)"
check "changed file: what played is the reference's start, nothing of the other version" \
	cmp -n "$osize" "$OUT/changing.raw" "$FIX/cbr128.ref"
run "$HARK" play "$FAULT_URL$path" --output "raw:$OUT/changing2.raw"
is "$run_rc" 0 "changed file: playing it again works" "$run_err"
is "$(awk -F'\t' -v t="$path" '$3 == t { n++; if (n == 3) print $4 }' "$FAULT_LOG")" "-" \
	"changed file: the old bytes were dropped, the new play starts from byte 0"
check "changed file: the new play equals mpg123 -s" cmp "$OUT/changing2.raw" "$FIX/cbr128.ref"
# the same bytes under another ETag (a multi-node CDN): compared, not believed
# changed: the episode plays on, exact
cp "$FIX/cbr128.mp3" "$DOC/etagflip.mp3"
path=/etagflip/closeonce/1/300000/etagflip.mp3
run "$HARK" play "$FAULT_URL$path" --output "raw:$OUT/etagflip.raw"
is "$run_rc" 0 "same bytes, another ETag: plays to the end (exit 0)" "$run_err"
req2=$(awk -F'\t' -v t="$path" '$3 == t { n++; if (n == 2) print $4, $5, $8 }' "$FAULT_LOG")
like "$req2" '^bytes=300000- "[^"]+-v0" 200$' "same bytes, another ETag: the reconnect got 200 ($req2)"
check "same bytes, another ETag: output equals mpg123 -s" cmp "$OUT/etagflip.raw" "$FIX/cbr128.ref"
# a download has no listener: it starts over and ends with one whole version
path=/changing/closeonce/1/300000/changedl.mp3
run "$HARK" download "$FAULT_URL$path" -o "$OUT/changedl.mp3"
is "$run_rc" 0 "changed file: the download completes" "$run_err"
perl -0777 -pe '$_ ^= "\xff" x length' "$FIX/cbr128.mp3" >"$OUT/flipped.mp3"
check "changed file: the download is the new version, whole" cmp "$OUT/changedl.mp3" "$OUT/flipped.mp3"

done_testing
