#!/bin/bash
# library_concurrent.sh - two processes on one library lose nothing: two
# `hark update` runs at the same time (20 changed feeds each) while a third
# process keeps writing play positions into the same database.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
need sqlite3 jq
mk_home
db=$HARK_HOME/data/library.db

doc=$(mk_temp doc)
gen() { # N ROUND - feed N with 100 episodes, titles naming the round
	{
		printf '<rss version="2.0"><channel><title>Feed %s</title>\n' "$1"
		for ((i = 100; i >= 1; i--)); do
			printf '<item><guid>f%s-e%s</guid><title>Episode %s round %s</title>' "$1" "$i" "$i" "$2"
			printf '<description>Feed %s episode %s, some words to index.</description>' "$1" "$i"
			printf '<enclosure url="https://example.org/%s/%s.mp3" type="audio/mpeg"/></item>\n' "$1" "$i"
		done
		printf '</channel></rss>\n'
	} >"$doc/f$1.xml"
}
for n in $(seq 1 20); do gen "$n" 0; done
nginx_start "$doc"
for n in $(seq 1 20); do
	"$HARK" add "$NGINX_URL/f$n.xml" >/dev/null || fail "add feed $n"
done
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes")" 2000 "20 feeds of 100 episodes"

bad=0
for round in 1 2 3; do
	sleep 1 # a new mtime, so nginx sends a new ETag and the full feed
	for n in $(seq 1 20); do gen "$n" "$round"; done
	"$HARK" update --jobs 4 >"$TEST_TMPDIR/u1.out" 2>"$TEST_TMPDIR/u1.err" &
	p1=$!
	"$HARK" update --jobs 4 >"$TEST_TMPDIR/u2.out" 2>"$TEST_TMPDIR/u2.err" &
	p2=$!
	(
		for i in $(seq 1 100); do
			printf ".timeout 10000\nUPDATE episodes SET position = %s WHERE guid = 'f1-e1';\n" "$i"
		done | sqlite3 "$db"
	) >"$TEST_TMPDIR/w.out" 2>&1 &
	p3=$!
	wait $p1
	r1=$?
	wait $p2
	r2=$?
	wait $p3
	r3=$?
	if [ $r1 -ne 0 ] || [ $r2 -ne 0 ] || [ $r3 -ne 0 ]; then
		bad=1
		diag "round $round: exits $r1 $r2 $r3"
		diag "$(cat "$TEST_TMPDIR/u1.err" "$TEST_TMPDIR/u2.err" "$TEST_TMPDIR/w.out")"
	fi
	is "$(grep -cE ': (0 new episodes|unchanged)$' "$TEST_TMPDIR/u1.out")" 20 "round $round: first update reported all 20 feeds as stored or unchanged"
	is "$(grep -cE ': (0 new episodes|unchanged)$' "$TEST_TMPDIR/u2.out")" 20 "round $round: second update reported all 20 feeds as stored or unchanged"
done
is "$bad" 0 "both updates and the position writer exited 0 every round"
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes")" 2000 "no duplicate episodes"
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes WHERE title LIKE '% round 3'")" 2000 "the last round's titles everywhere"
is "$(sqlite3 "$db" "SELECT position FROM episodes WHERE guid = 'f1-e1'")" 100.0 "the last position write survived"
is "$(sqlite3 "$db" "SELECT count(*) FROM search")" 2000 "one search row per episode"
is "$(sqlite3 "$db" "PRAGMA integrity_check")" ok "database integrity"

done_testing
