#!/bin/bash
# rel_state.sh - state on a bad day (docs/reliability.md, "State"): the disk
# fills while downloading and while writing the library (a small tmpfs),
# kill -9 during a download, during `hark update` of a big feed (while the
# database is being written) and while playing (positions are saved), a
# damaged or foreign library file, and a read-only data directory (a
# read-only bind mount: root ignores file modes). Nothing half-written may be
# taken for whole: a download's .part is never renamed, the library passes
# `PRAGMA integrity_check` and holds either the old or the new feed.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"

FIX=$(fixtures_dir)
need cmp sqlite3 mount umount perl
need_file "$FIX/id3_2m.mp3" "$FIX/cbr128.mp3"
mk_home
OUT=$(mk_temp out)
DOC=$(mk_temp doc)
cp "$FIX/id3_2m.mp3" "$FIX/cbr128.mp3" "$DOC/"
faultsrv_start "$DOC"
DB=$HARK_HOME/data/library.db

# mount_small DIR SIZE: a tmpfs of SIZE at DIR (unmounted at exit)
mount_small() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2,mode=0755" tmpfs "$1" || return 1
	at_exit "umount -l '$1'"
}
# ro_bind DIR: DIR becomes read-only (a read-only bind mount onto itself)
ro_bind() {
	mount --bind "$1" "$1" || return 1
	at_exit "umount -l '$1'"
	mount -o remount,ro,bind "$1"
}
can_mount=1
probe=$(mk_temp probe)
if mount -t tmpfs -o size=1m tmpfs "$probe" 2>/dev/null; then
	umount "$probe"
else
	can_mount=0
fi
# integrity FILE: PRAGMA integrity_check says ok
integrity() {
	[ "$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)" = ok ]
}
# big_feed FILE TITLE N PREFIX: an RSS feed of N episodes
big_feed() {
	local i words
	# ~1 KB of description an episode: 3000 of them are more than SQLite's
	# page cache holds, so the update's transaction writes to the WAL while
	# it runs (what the kill -9 test below waits for), not only at commit
	words="The quick brown fox jumps over the lazy dog; the lazy dog sleeps on. Pack my box with five dozen liquor jugs. How vexingly quick daft zebras jump! Sphinx of black quartz, judge my vow. The five boxing wizards jump quickly."
	words="$words $words $words $words"
	{
		printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>%s</title>\n' "$2"
		for ((i = 1; i <= $3; i++)); do
			printf '<item><title>%s episode %d</title><guid>%s-%d</guid><description>Episode %d of the big feed, with enough words in its description to take some room in the library and in the search index. %s</description><enclosure url="http://127.0.0.1:1/%d.mp3" type="audio/mpeg" length="1"/></item>\n' "$2" "$i" "$4" "$i" "$i" "$words" "$i"
		done
		printf '</channel></rss>\n'
	} >"$1"
}

### 1. disk full ###########################################################
if [ "$can_mount" = 1 ]; then
	# while downloading: a 3 MB episode into a 2 MB tmpfs
	small=$OUT/small
	mount_small "$small" 2m
	run "$HARK" download "$FAULT_URL/id3_2m.mp3" -o "$small/ep.mp3"
	is "$run_rc" 2 "disk full while downloading: exit 2"
	like "$run_err" "ep.mp3.part: No space left on device" "disk full while downloading: the message names the file and says why"
	ok $([ ! -e "$small/ep.mp3" ] && [ -e "$small/ep.mp3.part" ] && echo 0 || echo 1) \
		"disk full while downloading: only ep.mp3.part, never renamed to ep.mp3"
	mount -o remount,size=8m "$small"
	run "$HARK" download "$FAULT_URL/id3_2m.mp3" -o "$small/ep.mp3"
	is "$run_rc" 0 "disk full while downloading: with room again the download finishes" "$run_err"
	# (it resumes with Range when the map of the bytes held could still be
	# saved, else it starts over: unrecorded bytes are never trusted)
	diag "after the disk-full: $(awk -F'\t' '$3 == "/id3_2m.mp3" { r = $4 } END { print "the last request had Range " r }' "$FAULT_LOG")"
	check "disk full while downloading: the file equals the episode" cmp "$small/ep.mp3" "$FIX/id3_2m.mp3"
	ok $([ ! -e "$small/ep.mp3.part" ] && echo 0 || echo 1) "disk full while downloading: no .part left"

	# while writing the library: a HARK_HOME on a tmpfs, one small feed
	# stored, the rest filled but 384 KB, then a 3000-episode feed that does
	# not fit
	fullhome=$OUT/fullhome
	mount_small "$fullhome" 8m
	printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Small</title><item><title>one</title><guid>s1</guid><enclosure url="http://127.0.0.1:1/s.mp3" type="audio/mpeg" length="1"/></item></channel></rss>\n' >"$DOC/small.xml"
	big_feed "$DOC/big.xml" Big 3000 big
	run env HARK_HOME="$fullhome" "$HARK" add "$FAULT_URL/small.xml"
	is "$run_rc" 0 "disk full while writing the library: a small feed fits" "$run_err"
	dd if=/dev/zero of="$fullhome/filler" bs=65536 2>/dev/null
	truncate -s -393216 "$fullhome/filler"
	run env HARK_HOME="$fullhome" "$HARK" add "$FAULT_URL/big.xml"
	is "$run_rc" 2 "disk full while writing the library: adding the big feed fails (exit 2)"
	like "$run_err" "library $fullhome/data/library.db: .*(database or disk is full|No space)" \
		"disk full while writing the library: the message names the file and says it is full"
	fdb=$fullhome/data/library.db
	check "disk full while writing the library: integrity_check ok" integrity "$fdb"
	is "$(sqlite3 "$fdb" 'SELECT count(*) FROM feeds; SELECT count(*) FROM episodes' | tr '\n' ' ')" "1 1 " \
		"disk full while writing the library: the small feed is whole, nothing of the big one"
	run env HARK_HOME="$fullhome" "$HARK" list
	like "$run_out" $'^1\tSmall' "disk full while writing the library: hark list still works"
	rm -f "$fullhome/filler"
	run env HARK_HOME="$fullhome" "$HARK" add "$FAULT_URL/big.xml"
	is "$run_rc" 0 "disk full while writing the library: with room again the big feed is added" "$run_err"
	is "$(sqlite3 "$fdb" 'SELECT count(*) FROM episodes')" 3001 "disk full while writing the library: and stored whole"
else
	skip "disk full" "mount -t tmpfs is not permitted here"
fi

### 2. kill -9 ##############################################################
# during a download: a 9.6 MB file at 2 MB/s, killed with 5 MB on disk (the
# map of the bytes held is saved every few MB)
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$FIX/cbr128.mp3"; done >"$DOC/ten.mp3"
rm -f "$OUT/k.mp3"*
"$HARK" download "$FAULT_URL/drip/2000000/ten.mp3" -o "$OUT/k.mp3" >/dev/null 2>&1 &
pid=$!
part_held() { # bytes really on disk in the sparse .part
	[ -f "$OUT/k.mp3.part" ] && [ $(($(stat -c %b "$OUT/k.mp3.part") * 512)) -ge 5000000 ]
}
wait_for 20 part_held
ok $? "kill -9 during a download: 5 MB arrived first"
kill -9 "$pid" 2>/dev/null
ok $? "kill -9 during a download: killed while downloading"
wait "$pid" 2>/dev/null
ok $([ ! -e "$OUT/k.mp3" ] && [ -e "$OUT/k.mp3.part" ] && echo 0 || echo 1) \
	"kill -9 during a download: only k.mp3.part is left"
run "$HARK" download "$FAULT_URL/drip/2000000/ten.mp3" -o "$OUT/k.mp3"
is "$run_rc" 0 "kill -9 during a download: the next run finishes" "$run_err"
resume=$(awk -F'\t' '$3 == "/drip/2000000/ten.mp3" { r = $4 } END { print r }' "$FAULT_LOG")
like "$resume" '^bytes=[1-9][0-9]*-$' "kill -9 during a download: it resumed with Range ($resume)"
check "kill -9 during a download: the file equals the episode" cmp "$OUT/k.mp3" "$DOC/ten.mp3"

# during `hark update` of a 3000-episode feed, while the database is being
# written (its write-ahead log growing): each of three rounds subscribes a
# small feed, makes it big on the server, and kills the update mid-write. In
# a library of its own (KHOME), next to one other feed: the damaged-library
# checks below want the main one under 16 MB (checked at every open).
KHOME=$(mk_temp khome)
KDB=$KHOME/data/library.db
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Other</title><item><title>o</title><guid>other-0</guid></item></channel></rss>\n' >"$DOC/other.xml"
run env HARK_HOME="$KHOME" "$HARK" add "$FAULT_URL/other.xml"
is "$run_rc" 0 "kill -9 during update: another feed in its library" "$run_err"
wal_growing() {
	[ -f "$KDB-wal" ] && [ "$(stat -c %s "$KDB-wal")" -gt 200000 ]
}
rolled_back=0
for r in 1 2 3; do
	printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Grow %s</title><item><title>first</title><guid>grow%s-0</guid><enclosure url="http://127.0.0.1:1/g.mp3" type="audio/mpeg" length="1"/></item></channel></rss>\n' "$r" "$r" >"$DOC/grow$r.xml"
	run env HARK_HOME="$KHOME" "$HARK" add "$FAULT_URL/grow$r.xml"
	id=$(sed -n 's/^added feed \([0-9]*\):.*/\1/p' "$run_stdout")
	before=$(sqlite3 "$KDB" "SELECT count(*) FROM episodes")
	big_feed "$DOC/grow$r.xml" "Grow $r" 3000 "grow$r"
	HARK_HOME=$KHOME "$HARK" update "$id" >/dev/null 2>&1 &
	pid=$!
	wait_for 30 wal_growing
	ok $? "kill -9 during update ($r): the database was being written ($(stat -c %s "$KDB-wal" 2>/dev/null) bytes of WAL)"
	kill -9 "$pid" 2>/dev/null
	ok $? "kill -9 during update ($r): killed mid-write"
	wait "$pid" 2>/dev/null
	check "kill -9 during update ($r): integrity_check ok" integrity "$KDB"
	n=$(sqlite3 "$KDB" "SELECT count(*) FROM episodes WHERE feed_id = $id")
	ok $([ "$n" = 1 ] || [ "$n" = 3001 ] && echo 0 || echo 1) \
		"kill -9 during update ($r): the feed is the old one or the new one, whole ($n episodes)"
	[ "$n" = 1 ] && rolled_back=$((rolled_back + 1))
	is "$(sqlite3 "$KDB" "SELECT count(*) FROM episodes")" $((before - 1 + n)) \
		"kill -9 during update ($r): the other feeds are untouched"
	run env HARK_HOME="$KHOME" "$HARK" update "$id"
	is "$run_rc" 0 "kill -9 during update ($r): the next update works" "$run_err"
	is "$(sqlite3 "$KDB" "SELECT count(*) FROM episodes WHERE feed_id = $id")" 3001 \
		"kill -9 during update ($r): and stores the whole feed"
done
ok $((rolled_back > 0 ? 0 : 1)) \
	"kill -9 during update: $rolled_back of 3 kills landed before the commit (and were rolled back)"
run "$HARK" list
is "$run_rc" 0 "after the kills hark list works" "$run_err"

# while playing (the position is saved every 5 s): at most the last few
# seconds of position are lost
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Play</title><item><title>sixty</title><guid>p1</guid><enclosure url="%s/cbr128.mp3" type="audio/mpeg" length="960887"/></item></channel></rss>\n' "$FAULT_URL" >"$DOC/play.xml"
run "$HARK" add "$FAULT_URL/play.xml"
pfeed=$(sed -n 's/^added feed \([0-9]*\):.*/\1/p' "$run_stdout")
ep=$(sqlite3 "$DB" "SELECT id FROM episodes WHERE feed_id = $pfeed")
"$HARK" play "$ep" --output null --pace --events >"$OUT/play.ev" 2>"$OUT/play.err" &
pid=$!
played_to() { # the last position event is at least $1 s
	awk -v t="$1" -F'"pos":' '/"position"/ { split($2, a, /[,}]/); p = a[1] } END { exit !(p >= t) }' "$OUT/play.ev"
}
wait_for 30 played_to 12
ok $? "kill -9 while playing: it played 12 s" "$(tail -n 3 "$OUT/play.ev")"
kill -9 "$pid" 2>/dev/null
ok $? "kill -9 while playing: killed while playing"
wait "$pid" 2>/dev/null
last=$(awk -F'"pos":' '/"position"/ { split($2, a, /[,}]/); p = a[1] } END { print p }' "$OUT/play.ev")
check "kill -9 while playing: integrity_check ok" integrity "$DB"
saved=$(sqlite3 "$DB" "SELECT position FROM episodes WHERE id = $ep")
ok "$(awk -v s="$saved" -v l="$last" 'BEGIN { exit !(s > 0 && s <= l + 1 && l - s <= 6.5) }' && echo 0 || echo 1)" \
	"kill -9 while playing: the saved position ($saved s) is within 6.5 s of the last reported ($last s)"

### 3. a damaged or foreign library file ####################################
# damage_check NAME: hark list, add and update fail (exit 2) naming the file;
# the file is left byte for byte as it was
damage_check() {
	local name=$1 cmd
	cp "$DB" "$OUT/before.db"
	for cmd in list "add $FAULT_URL/small2.xml" update; do
		run "$HARK" $cmd
		is "$run_rc" 2 "$name: hark ${cmd%% *} exits 2"
		like "$run_err" "library $DB: .*(the file is damaged or not a hark library; it was left as it is)" \
			"$name: hark ${cmd%% *} names the file and says it is damaged"
	done
	check "$name: the file is untouched" cmp "$OUT/before.db" "$DB"
}
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>S2</title></channel></rss>\n' >"$DOC/small2.xml"
cp "$DB" "$OUT/good.db"
rm -f "$DB-wal" "$DB-shm"
# a PNG
{
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\020\0\0\0\020\010\002\0\0\0\220\221h6'
	perl -e 'srand(5); print map { chr(int(rand(256))) } 1 .. 20000'
} >"$DB"
damage_check "a PNG as the library"
# a text file
printf 'This is not a database.\nJust some notes.\n' >"$DB"
damage_check "a text file as the library"
# a real library with 40 pages in the middle overwritten
cp "$OUT/good.db" "$DB"
pages=$(sqlite3 "$DB" 'PRAGMA page_count')
perl -e 'srand(9); print map { chr(int(rand(256))) } 1 .. 40 * 4096' |
	dd of="$DB" bs=4096 seek=$((pages / 3)) conv=notrunc 2>/dev/null
damage_check "a library with damaged pages"
# its header damaged
cp "$OUT/good.db" "$DB"
printf 'garbage garbage garbage garbage!' | dd of="$DB" bs=1 seek=0 conv=notrunc 2>/dev/null
damage_check "a library with a damaged header"
# A library over 16 MB is checked page by page once a week (kv checked_at),
# otherwise only opened: the check is due after 8 days and catches damage.
cp "$OUT/good.db" "$DB"
sqlite3 "$DB" "INSERT INTO kv VALUES('pad', replace(hex(zeroblob(9000000)), '0', 'x'));
	INSERT OR REPLACE INTO kv VALUES('checked_at', strftime('%s', 'now') - 8 * 86400)"
cp "$DB" "$OUT/big.db"
run "$HARK" list
is "$run_rc" 0 "a big library with its check due opens" "$run_err"
checked=$(sqlite3 "$DB" "SELECT value FROM kv WHERE key = 'checked_at'")
ok "$(awk -v c="$checked" -v n="$(date +%s)" 'BEGIN { exit !(n - c < 600) }' && echo 0 || echo 1)" \
	"the due check ran and was noted (checked_at $checked)"
checked=$(($(date +%s) - 3600))
sqlite3 "$DB" "UPDATE kv SET value = '$checked' WHERE key = 'checked_at'"
run "$HARK" list
is "$(sqlite3 "$DB" "SELECT value FROM kv WHERE key = 'checked_at'")" "$checked" \
	"an open of the big library an hour after its check does not check it again"
cp "$OUT/big.db" "$DB"
perl -e 'srand(11); print map { chr(int(rand(256))) } 1 .. 8 * 4096' |
	dd of="$DB" bs=4096 seek=1 conv=notrunc 2>/dev/null
damage_check "a big library with damaged pages and its weekly check due"
cp "$OUT/good.db" "$DB"
run "$HARK" list
is "$run_rc" 0 "the good library put back works again" "$run_err"

### 4. a read-only data directory ##########################################
if [ "$can_mount" = 1 ]; then
	ro_bind "$HARK_HOME/data"
	touch "$HARK_HOME/data/probe" 2>/dev/null
	ok $((! $?)) "the data directory is read-only (even for root)"
	cp "$DB" "$OUT/before-ro.db"
	for cmd in list "add $FAULT_URL/small2.xml"; do
		run "$HARK" $cmd
		is "$run_rc" 2 "read-only data directory: hark ${cmd%% *} exits 2"
		like "$run_err" "library $DB: .*the folder $HARK_HOME/data is not writable \\(Read-only file system\\)" \
			"read-only data directory: hark ${cmd%% *} names the folder and says it is not writable"
	done
	check "read-only data directory: the library is untouched" cmp "$OUT/before-ro.db" "$DB"
	run "$HARK" play "$DOC/cbr128.mp3" --output null
	is "$run_rc" 0 "read-only data directory: a file still plays" "$run_err"
	# a fresh home whose data directory is read-only and empty
	rohome=$(mk_temp rohome)
	mkdir -p "$rohome/data"
	ro_bind "$rohome/data"
	run env HARK_HOME="$rohome" "$HARK" list
	is "$run_rc" 2 "read-only empty data directory: hark list exits 2"
	like "$run_err" "$rohome/data.*(not writable|Read-only file system)" \
		"read-only empty data directory: names the folder and says it is read-only"
else
	skip "read-only data directory" "mount --bind is not permitted here"
fi
done_testing
