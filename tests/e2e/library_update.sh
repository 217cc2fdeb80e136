#!/bin/bash
# library_update.sh - hark update: conditional GET against nginx's ETag (304
# = nothing changed), a changed feed adds episodes without touching play
# state, and one failing feed (HTTP 500 from the fault server) is reported
# on its own line while the good one is still stored (exit 2).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"
need jq sqlite3
mk_home

doc=$(mk_temp doc)
item() { # GUID TITLE DAY
	printf '<item><guid>%s</guid><title>%s</title><pubDate>%s Jan 2024 10:00:00 GMT</pubDate>' "$1" "$2" "$3"
	printf '<enclosure url="https://example.org/%s.mp3" type="audio/mpeg"/></item>\n' "$1"
}
write_feed() { # FILE TITLE ITEMS...
	local f=$1 t=$2
	shift 2
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>%s</title>\n' "$t"
		printf '%s\n' "$@"
		printf '</channel></rss>\n'
	} >"$f"
}
write_feed "$doc/a.xml" "Show A" "$(item a1 'A one' 01)" "$(item a2 'A two' 02)"
nginx_start "$doc"
faultsrv_start "$doc"

run "$HARK" add "$NGINX_URL/a.xml"
is "$run_rc" 0 "subscribed to A"
etag=$(sqlite3 "$HARK_HOME/data/library.db" "SELECT etag FROM feeds WHERE id = 1")
like "$etag" '^(W/)?"[0-9a-f]+-[0-9a-f]+"$' "nginx's ETag stored"
db=$HARK_HOME/data/library.db
sqlite3 "$db" "UPDATE episodes SET position = 42.5, played = 0 WHERE guid = 'a1';
	UPDATE episodes SET played = 1 WHERE guid = 'a2'"

lines_before=$(wc -l <"$NGINX_ACCESS_LOG")
run "$HARK" update
is "$run_rc" 0 "update of an unchanged feed exits 0"
like "$run_out" '^feed 1: Show A: unchanged$' "reported unchanged"
req=$(tail -n +$((lines_before + 1)) "$NGINX_ACCESS_LOG" | grep ' /a.xml ')
like "$req" "$(printf '%s' "$etag" | tr -dc '0-9a-f-')" "If-None-Match sent with the stored ETag"
like "$req" ' 304 ' "nginx answered 304"
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes")" 2 "nothing changed"

# The feed changes: a new episode, a renamed one.
sleep 1 # nginx's ETag is mtime-size; make sure the mtime moves
write_feed "$doc/a.xml" "Show A" "$(item a3 'A three' 03)" "$(item a2 'A two (fixed)' 02)" \
	"$(item a1 'A one' 01)"
run "$HARK" update "Show A"
is "$run_rc" 0 "update of a changed feed exits 0"
like "$run_out" '^feed 1: Show A: 1 new episode$' "one new episode reported"
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes")" 3 "no duplicates"
is "$(sqlite3 "$db" "SELECT position FROM episodes WHERE guid = 'a1'")" 42.5 "position kept"
is "$(sqlite3 "$db" "SELECT played FROM episodes WHERE guid = 'a2'")" 1 "played kept"
is "$(sqlite3 "$db" "SELECT title FROM episodes WHERE guid = 'a2'")" "A two (fixed)" "title refreshed"
isnt "$(sqlite3 "$db" "SELECT etag FROM feeds WHERE id = 1")" "$etag" "new ETag stored"

# A second feed that breaks (500) next to the good one.
write_feed "$doc/b.xml" "Show B" "$(item b1 'B one' 01)"
run "$HARK" add "$FAULT_URL/b.xml"
is "$run_rc" 0 "subscribed to B through the fault server"
sqlite3 "$db" "UPDATE feeds SET url = '$FAULT_URL/status/500' WHERE title = 'Show B'"
sleep 1
write_feed "$doc/a.xml" "Show A" "$(item a4 'A four' 04)" "$(item a3 'A three' 03)" \
	"$(item a2 'A two (fixed)' 02)" "$(item a1 'A one' 01)"
run "$HARK" update --jobs 2
is "$run_rc" 2 "update with a failing feed exits 2"
like "$run_out" '^feed 1: Show A: 1 new episode$' "the good feed is reported on stdout"
like "$run_err" "^hark: update: feed 2: $FAULT_URL/status/500: HTTP 500$" "the 500 on its own line on stderr"
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes WHERE feed_id = 1")" 4 "the good feed was stored"
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes WHERE feed_id = 2")" 1 "the broken feed kept its episodes"
run "$HARK" list
like "$run_out" $'Show B\t.*\tfailed: .*HTTP 500' "list shows the last error"
run "$HARK" list --json
is "$(jq -r '.[] | select(.id == 2) | .error' "$run_stdout")" "$FAULT_URL/status/500: HTTP 500" "list --json has the error"

run "$HARK" update --jobs 0
is "$run_rc" 1 "--jobs 0 is a usage error"
run "$HARK" update "No Such"
is "$run_rc" 2 "update of an unknown feed exits 2"

done_testing
