#!/bin/bash
# rel_audio.sh - bad audio (docs/reliability.md, "Audio"): garbage bytes in
# the middle of an MP3, a zero-length file (local and over HTTP), an HTML
# error page served as audio/mpeg, a 2 MB ID3 tag, a free-format stream and
# mono 8 kHz. Decoded output is compared byte for byte with `mpg123 -s`.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"

FIX=$(fixtures_dir)
need mpg123 cmp perl od
need_file "$FIX/cbr128.ref" "$FIX/freeformat.ref" "$FIX/mono8k.ref" "$FIX/id3_2m.ref"
mk_home
OUT=$(mk_temp out)
DOC=$(mk_temp doc)
faultsrv_start "$DOC"

# garble IN OUT OFFSET COUNT SEED: IN with COUNT pseudo-random bytes (perl's
# rand from SEED) inserted at OFFSET
garble() {
	{
		head -c "$3" "$1"
		perl -e 'srand($ARGV[1]); print map { chr(int(rand(256))) } 1 .. $ARGV[0]' "$4" "$5"
		tail -c +$(($3 + 1)) "$1"
	} >"$2"
}

# 1. garbage in the middle: 700 random bytes inside a frame at byte 400000
# (mpg123's default resync limit is 1024 bytes): hark resyncs exactly like
# mpg123 does, so its output is byte-identical to `mpg123 -s` of the same file
garble "$FIX/cbr128.mp3" "$DOC/garbage.mp3" 400000 700 7
mpg123 -q -s "$DOC/garbage.mp3" >"$OUT/garbage.ref"
ok $(($(stat -c %s "$OUT/garbage.ref") > 10000000 ? 0 : 1)) "garbage: mpg123 decodes past the garbage too"
for src in "$DOC/garbage.mp3" "$FAULT_URL/garbage.mp3"; do
	where=local
	case $src in http*) where=http ;; esac
	run "$HARK" play "$src" --output "raw:$OUT/garbage.$where.raw"
	is "$run_rc" 0 "garbage ($where): plays to the end (exit 0)" "$run_err"
	check "garbage ($where): output equals mpg123 -s of the same file" \
		cmp "$OUT/garbage.$where.raw" "$OUT/garbage.ref"
done
# 8000 bytes (beyond libmpg123's default resync limit of 1 KiB: the mpg123
# tool gives up there and hark ended the episode with an error): hark looks on
# through up to 1 MiB, and its output is byte-identical to mpg123's with the
# same limit; before the damage it is the clean file's
garble "$FIX/cbr128.mp3" "$DOC/garbage8k.mp3" 400000 8000 11
mpg123 -q --resync-limit 1048576 -s "$DOC/garbage8k.mp3" >"$OUT/garbage8k.ref" 2>/dev/null
run "$HARK" play "$DOC/garbage8k.mp3" --output "raw:$OUT/garbage8k.raw"
is "$run_rc" 0 "8000 garbage bytes: still plays to the end (exit 0)" "$run_err"
check "8000 garbage bytes: output equals mpg123 --resync-limit 1048576 -s" \
	cmp "$OUT/garbage8k.raw" "$OUT/garbage8k.ref"
# 400000 bytes at 128 kbit/s are 25 s: the first 24 s are untouched
check "8000 garbage bytes: the first 24 s equal the clean file's" \
	cmp -n $((24 * 44100 * 4)) "$OUT/garbage8k.raw" "$FIX/cbr128.ref"
got=$(stat -c %s "$OUT/garbage8k.raw")
want=$(stat -c %s "$FIX/cbr128.ref")
ok $((got > want - 10 * 4608 && got < want + 10 * 4608 ? 0 : 1)) \
	"8000 garbage bytes: the length is the clean file's within 10 frames ($got vs $want)"

# 2. a zero-length file: a clear error, exit 2, locally and over HTTP
: >"$DOC/empty.mp3"
run "$HARK" play "$DOC/empty.mp3" --output "raw:$OUT/empty.raw"
is "$run_rc" 2 "zero-length local file: exit 2"
like "$run_err" "empty.mp3: empty file \\(0 bytes\\)" "zero-length local file: says it is empty"
run "$HARK" play "$FAULT_URL/empty.mp3" --output "raw:$OUT/empty-http.raw"
is "$run_rc" 2 "zero-length over HTTP: exit 2"
like "$run_err" "empty.mp3: empty file \\(0 bytes\\)" "zero-length over HTTP: says it is empty"
ok $([ ! -s "$OUT/empty.raw" ] && [ ! -s "$OUT/empty-http.raw" ] && echo 0 || echo 1) \
	"zero-length: no audio written"

# 3. an HTML error page served as audio/mpeg: "not MP3", no noise
{
	printf '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>\n'
	printf '<h1>Not Found</h1><p>The requested URL was not found on this server.</p>\n'
	for i in $(seq 1 200); do printf '<p>padding line %d of the error page</p>\n' "$i"; done
	printf '</body></html>\n'
} >"$DOC/error.html"
run "$HARK" play "$FAULT_URL/ctype/audio%2Fmpeg/error.html" --output "raw:$OUT/html.raw" --events
is "$run_rc" 2 "HTML page as audio/mpeg: exit 2"
like "$run_err" "not MP3: an HTML page" "HTML page as audio/mpeg: says not MP3, an HTML page"
like "$run_out" '"event":"error".*not MP3' "HTML page as audio/mpeg: an error event"
ok $([ ! -s "$OUT/html.raw" ] && echo 0 || echo 1) "HTML page as audio/mpeg: no noise (no audio written)"
cp "$DOC/error.html" "$DOC/saved-page.mp3"
run "$HARK" play "$DOC/saved-page.mp3" --output null
is "$run_rc" 2 "a local .mp3 that is an HTML page: exit 2"
like "$run_err" "not MP3: an HTML page" "a local .mp3 that is an HTML page: says so"

# 4. fixtures: a 2 MB ID3 tag, free format, mono 8 kHz - exact, local and http
for n in id3_2m freeformat mono8k; do
	cp "$FIX/$n.mp3" "$DOC/"
	run "$HARK" play "$DOC/$n.mp3" --output "raw:$OUT/$n.local.raw"
	is "$run_rc" 0 "$n: local file plays (exit 0)" "$run_err"
	check "$n: local output equals mpg123 -s" cmp "$OUT/$n.local.raw" "$FIX/$n.ref"
	run "$HARK" play "$FAULT_URL/$n.mp3" --output "raw:$OUT/$n.http.raw"
	is "$run_rc" 0 "$n: http plays (exit 0)" "$run_err"
	check "$n: http output equals mpg123 -s" cmp "$OUT/$n.http.raw" "$FIX/$n.ref"
done
read -r _ _ _ _ _ _ s0 s1 s2 s3 < <(head -c 10 "$FIX/id3_2m.mp3" | od -An -tu1)
tag=$(((s0 << 21 | s1 << 14 | s2 << 7 | s3) + 10)) # syncsafe size + the header
ok $((tag >= 2000000 ? 0 : 1)) "id3_2m: the ID3 tag is $tag bytes (2 MB)"
like "$(head -c 4 "$FIX/freeformat.mp3" | od -An -tx1 | tr -d ' ')" '^fffb0' \
	"freeformat: the first frame header has bit rate index 0 (free format)"
# a seek in each: exact from the target sample on
for n in id3_2m:44100:2 freeformat:44100:2 mono8k:8000:1; do
	IFS=: read -r n rate ch <<<"$n"
	rm -rf "$HARK_HOME/xdg-cache"
	run "$HARK" play "$FAULT_URL/$n.mp3" --start 12.5 --output "raw:$OUT/$n.seek.raw" --events
	is "$run_rc" 0 "$n: --start 12.5 over http exits 0" "$run_err"
	off=$((rate * 25 / 2 * ch * 2))
	check "$n: --start 12.5 output equals the reference from sample $((rate * 25 / 2))" \
		cmp "$OUT/$n.seek.raw" <(tail -c +$((off + 1)) "$FIX/$n.ref")
done
done_testing
