#!/bin/bash
# play_cache.sh - every streamed byte lands in the per-episode cache: a
# complete cache file is the episode (byte for byte), the rest is fetched
# in the background while paused, a cached episode plays with the server
# gone, the cache is kept under its size limit (LRU), and `hark download`
# writes FILE.part, renames it when whole, and resumes with Range.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"

FIX=$(fixtures_dir)
need cmp
need_file "$FIX/cbr128.ref" "$FIX/vbr_xing.ref" "$FIX/s48k.ref"
mk_home
OUT=$(mk_temp out)
DOC=$(mk_temp doc)
cp "$FIX/cbr128.mp3" "$FIX/vbr_xing.mp3" "$FIX/s48k.mp3" "$FIX/short1.mp3" "$DOC/"
nginx_start "$DOC"
faultsrv_start "$DOC"
CACHE=$HARK_HOME/cache/audio # HARK_HOME holds config/, data/, cache/

# cache_file: the one cache file holding the bytes of FILE
cache_file() {
	local f
	for f in "$CACHE"/*.mp3; do
		if cmp -s "$f" "$1"; then
			echo "$f"
			return 0
		fi
	done
	return 1
}

# 1. a played episode is in the cache, complete, with its map
run "$HARK" play "$NGINX_URL/cbr128.mp3" --output null
ok $((run_rc)) "play over http" "$run_err"
cf=$(cache_file "$DOC/cbr128.mp3")
ok $? "the cache holds the episode byte for byte"
check "the range map says it is complete" grep -qx "R 0 $(stat -c %s "$DOC/cbr128.mp3")" "$cf.map"

# 2. the cached episode plays with the server gone, bit-exact, and seeks work
nginx_stop
run "$HARK" play "$NGINX_URL/cbr128.mp3" --output "raw:$OUT/cached.raw"
ok $((run_rc)) "a cached episode plays with the server stopped" "$run_err"
check "from the cache: output equals mpg123 -s" cmp "$OUT/cached.raw" "$FIX/cbr128.ref"
run "$HARK" play "$NGINX_URL/cbr128.mp3" --start 33 --output "raw:$OUT/cached33.raw"
check "from the cache: --start 33 exact" cmp "$OUT/cached33.raw" <(tail -c +$((44100 * 33 * 4 + 1)) "$FIX/cbr128.ref")

# 3. background fill while paused: a slow server (dripping 100 kB/s), paused at once
mkfifo "$OUT/ctl"
"$HARK" play "$FAULT_URL/drip/100000/vbr_xing.mp3" --output null --pace --control - --events \
	<"$OUT/ctl" >"$OUT/fill.ev" 2>&1 &
pid=$!
exec 3>"$OUT/ctl"
wait_for 10 grep -q '"first_audio"' "$OUT/fill.ev"
echo pause >&3
wait_for 10 grep -q '"state":"paused"' "$OUT/fill.ev"
wait_for 30 cache_file "$DOC/vbr_xing.mp3"
ok $? "while paused the rest of the episode is fetched into the cache"
grep -q '"state":"paused"' "$OUT/fill.ev" && ! grep -q '"event":"end"' "$OUT/fill.ev"
ok $? "still paused when the cache became complete"
echo quit >&3
exec 3>&-
wait $pid

# 4. LRU: with a limit of 1 MiB the oldest cache file goes when a new one comes
mkdir -p "$HARK_HOME/config"
echo "set cache_max_mb 1" >"$HARK_HOME/config/config"
touch -d '2 days ago' "$CACHE"/*.mp3
run "$HARK" play "$FAULT_URL/ok/s48k.mp3" --output null
ok $((run_rc)) "play with a 1 MiB cache limit" "$run_err"
cache_file "$DOC/s48k.mp3" >/dev/null
ok $? "the new episode is cached"
! cache_file "$DOC/cbr128.mp3" >/dev/null
ok $? "the least recently used episode was evicted"
rm -f "$HARK_HOME/config/config"

# 5. hark download: .part, rename, progress; then a resumed download
run "$HARK" download "$FAULT_URL/ok/short1.mp3"
ok $((run_rc)) "download exits 0" "$run_err"
dest=$HARK_HOME/data/downloads/short1.mp3
is "$run_out" "$dest" "download prints where it went"
check "the download equals the file" cmp "$dest" "$DOC/short1.mp3"
ok "$(test ! -e "$dest.part"; echo $?)" "no .part left behind"
like "$run_err" '100% ' "progress on stderr (non-tty: a line per 10 %)"

"$HARK" download "$FAULT_URL/drip/100000/cbr128.mp3" -o "$OUT/big.mp3" >/dev/null 2>&1 &
pid=$!
wait_for 20 test -s "$OUT/big.mp3.part.map"
wait_for 20 grep -q '^R 0 [1-9][0-9][0-9][0-9][0-9][0-9]' "$OUT/big.mp3.part.map"
kill $pid
wait $pid 2>/dev/null
ok "$(test -e "$OUT/big.mp3.part" && test ! -e "$OUT/big.mp3"; echo $?)" "an interrupted download leaves only FILE.part"
run "$HARK" download "$FAULT_URL/drip/2000000/cbr128.mp3" -o "$OUT/big.mp3"
ok $((run_rc)) "the download resumes" "$run_err"
check "the resumed download equals the file" cmp "$OUT/big.mp3" "$DOC/cbr128.mp3"
last=$(awk -F'\t' '$3 == "/drip/2000000/cbr128.mp3" { print $4 }' "$FAULT_LOG" | tail -n 1)
like "$last" '^bytes=[1-9][0-9]*-$' "the resumed download asked for the rest with Range ($last)"
done_testing
