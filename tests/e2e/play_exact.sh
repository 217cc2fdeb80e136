#!/bin/bash
# play_exact.sh - `hark play --output raw:` is bit-exact with `mpg123 -s`:
# from a local file, over nginx (Range, ETag), after --start and after a
# --control seek (compared from the target sample on).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"

FIX=$(fixtures_dir)
need mpg123 cmp
need_file "$FIX/fixtures.txt"
mk_home
OUT=$(mk_temp out)
DOC=$(mk_temp doc)
NAMES="cbr128 vbr_xing vbr_noxing mono22k s48k bigid3 truncated short1"
for n in $NAMES; do
	cp "$FIX/$n.mp3" "$DOC/"
done
nginx_start "$DOC"

# frames NAME -> "rate channels" from the manifest
fmt() {
	awk -v n="$1" '$1 == n { print $2, $3 }' "$FIX/fixtures.txt"
}

# from_sample REF OUT SAMPLE CH: OUT equals REF from SAMPLE on (and has audio)
from_sample() {
	local off=$(($3 * $4 * 2))
	[ -s "$2" ] && cmp -s <(tail -c +$((off + 1)) "$1") "$2"
}

for n in $NAMES; do
	run "$HARK" play "$DOC/$n.mp3" --output "raw:$OUT/$n.local.raw"
	ok $((run_rc)) "$n: local file plays (exit 0)" "$run_err"
	check "$n: local file output equals mpg123 -s" cmp "$OUT/$n.local.raw" "$FIX/$n.ref"
	run "$HARK" play "$NGINX_URL/$n.mp3" --output "raw:$OUT/$n.http.raw"
	ok $((run_rc)) "$n: http plays (exit 0)" "$run_err"
	check "$n: http output equals mpg123 -s" cmp "$OUT/$n.http.raw" "$FIX/$n.ref"
done

# file:// URLs take the local path too
run "$HARK" play "file://$DOC/short1.mp3" --output "raw:$OUT/file.raw"
check "file:// URL output equals mpg123 -s" cmp "$OUT/file.raw" "$FIX/short1.ref"

# --start T: exact from the sample T*rate on (CBR: computed index; VBR: read
# forward through what is cached, or from the local file)
for n in cbr128 vbr_xing vbr_noxing bigid3 s48k mono22k; do
	set -- $(fmt $n)
	rate=$1 ch=$2
	for src in "$DOC/$n.mp3" "$NGINX_URL/$n.mp3"; do
		where=local
		case $src in http*) where=http ;; esac
		rm -rf "$HARK_HOME/xdg-cache" # nothing cached: the seek goes to the network
		run "$HARK" play "$src" --start 17.5 --output "raw:$OUT/$n.$where.start.raw" --events
		ok $((run_rc)) "$n $where --start 17.5 exits 0" "$run_err"
		seekline=$(grep '"seek"' "$run_stdout")
		like "$seekline" '"accurate":true' "$n $where: the seek is exact"
		like "$seekline" "\"pos\":$(awk -v r=$rate 'BEGIN { printf "%.1f", r * 17.5 / r }')" \
			"$n $where: the seek event reports the target as the position"
		check "$n $where --start 17.5: equal to the reference from sample $((rate * 35 / 2))" \
			from_sample "$FIX/$n.ref" "$OUT/$n.$where.start.raw" $((rate * 35 / 2)) $ch
	done
done

# --start as [H:]MM:SS
run "$HARK" play "$DOC/cbr128.mp3" --start 0:42 --output "raw:$OUT/mmss.raw"
check "--start 0:42 is 42 s" from_sample "$FIX/cbr128.ref" "$OUT/mmss.raw" $((44100 * 42)) 2

# A --control seek while playing (paced, so it lands mid-file): the output is
# the reference up to where the seek happened (out_frames in the seek event),
# then the reference from the target sample on.
for n in cbr128 vbr_xing bigid3; do
	set -- $(fmt $n)
	rate=$1 ch=$2
	for target in 40 3; do
		rm -rf "$HARK_HOME/xdg-cache"
		ev=$OUT/$n.ctl$target.ev
		raw=$OUT/$n.ctl$target.raw
		{
			sleep 0.6
			echo "seek 0:$(printf %02d $target)"
			sleep 1
			echo quit
		} | "$HARK" play "$NGINX_URL/$n.mp3" --output "raw:$raw" --pace --control - \
			--events >"$ev" 2>"$OUT/$n.ctl.err"
		seekline=$(grep '"seek"' "$ev")
		like "$seekline" "\"target\":$target" "$n: control seek to $target s reported"
		like "$seekline" '"accurate":true' "$n: control seek to $target s is exact"
		before=$(sed -n 's/.*"out_frames":\([0-9]*\).*/\1/p' <<<"$seekline")
		total=$(stat -c %s "$raw")
		if [ -n "$before" ] && [ "$before" -gt 0 ] && [ "$total" -gt $((before * ch * 2)) ]; then
			b=$((before * ch * 2))
			check "$n: before the seek the output is the reference (${before} frames)" \
				cmp -n "$b" "$raw" "$FIX/$n.ref"
			len=$((total - b))
			check "$n: after the seek the output is the reference from $target s ($len bytes)" \
				cmp -n "$len" <(tail -c +$((b + 1)) "$raw") \
				<(tail -c +$((rate * target * ch * 2 + 1)) "$FIX/$n.ref")
		else
			fail "$n: seek to $target: no audio before and after the seek" "$(cat "$ev")"
		fi
	done
done

# Coalescing: three quick relative seeks make one jump of +30 s
rm -rf "$HARK_HOME/xdg-cache"
printf 'seek +10\nseek +10\nseek +10\n' | "$HARK" play "$DOC/cbr128.mp3" --output null \
	--control - --events >"$OUT/coalesce.ev" 2>&1
first=$(grep -m1 '"seek"' "$OUT/coalesce.ev")
like "$first" '"target":30' "three relative seeks pending at once coalesce into one (+30)"
done_testing
