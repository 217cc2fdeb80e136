#!/bin/bash
# play_approx.sh - approximate seeks correct themselves. A seek into a part
# of a VBR file that is not cached yet jumps by a guess (no Xing TOC: the
# mean frame size; with one: the TOC) and is reported "accurate":false;
# once the bytes before it are cached, the frames before the landing point
# are counted and a "corrected" event gives the true position, which must
# be where the audio really is: the output after the seek is found in the
# `mpg123 -s` reference (tests/unit/engine_pcmtool find) at exactly that
# sample. After a correction, a later seek inside the cache is exact again.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"

FIX=$(fixtures_dir)
PCM=$top_builddir/tests/unit/engine_pcmtool
need cmp
need_file "$FIX/vbr_noxing.ref" "$FIX/vbr_xing.ref" "$PCM"
mk_home
OUT=$(mk_temp out)
DOC=$(mk_temp doc)
cp "$FIX/vbr_noxing.mp3" "$FIX/vbr_xing.mp3" "$DOC/"
nginx_start "$DOC"
trap '' PIPE # a player that already quit must not kill the script

# pos_after_fix EV: a position event came after the correction
pos_after_fix() {
	sed -n '/"event":"corrected"/,$p' "$1" | grep -q '"event":"position"'
}
num() { sed -n "s/.*\"$1\":\([-0-9.eE+]*\).*/\1/p" <<<"$2"; }

# play_seek NAME START: play NAME from START s with nothing cached, at
# 256 KB/s (so that the jump lands far beyond what has arrived) and paced
# (so that it still plays when the bytes before the landing point come in
# by the background fill); quit after the correction, or after a later
# `seek 5` when AGAIN is set. Events in $OUT/NAME.START.ev, PCM in .raw.
play_seek() {
	local ev=$OUT/$1.$2.ev
	rm -rf "$HARK_HOME/cache" "$HARK_HOME/xdg-cache"
	rm -f "$OUT/ctl"
	mkfifo "$OUT/ctl"
	"$HARK" play "$NGINX_URL/slow256k/$1.mp3" --start "$2" --pace --output "raw:$OUT/$1.$2.raw" \
		--control - --events <"$OUT/ctl" >"$ev" 2>"$OUT/$1.$2.err" &
	local pid=$!
	exec 3>"$OUT/ctl"
	wait_for 20 grep -q '"event":"corrected"' "$ev"
	wait_for 5 pos_after_fix "$ev"
	sleep 0.7 # a position event after a second seek, if there is one
	if [ -n "${AGAIN:-}" ]; then
		echo "seek 5" >&3
		wait_for 20 grep -q '"event":"seek".*"target":5\.0,' "$ev"
		sleep 0.3
	fi
	echo quit >&3
	exec 3>&-
	wait $pid
}

# first_pos_after PATTERN EV: the first position event after the first
# line matching PATTERN
first_pos_after() {
	sed -n "/$1/,\$p" "$2" | grep -m1 '"event":"position"'
}

for n in vbr_noxing vbr_xing; do
	for start in 22 33; do
		play_seek $n $start
		ev=$OUT/$n.$start.ev
		raw=$OUT/$n.$start.raw
		seeks=$(grep '"event":"seek"' "$ev")
		seek=$(sed -n 1p <<<"$seeks")
		re=$(sed -n 2p <<<"$seeks")
		fix=$(grep -m1 '"event":"corrected"' "$ev")
		like "$seek" '"accurate":false' "$n from $start s, nothing cached: the seek is approximate"
		if [ -z "$fix" ]; then
			fail "$n from $start s: a corrected event" "$(cat "$ev" "$OUT/$n.$start.err")"
			continue
		fi
		pos=$(num pos "$fix")
		err=$(num error "$fix")
		rep=$(num reported "$fix")
		diag "$n from $start s: reported $rep s, corrected to $pos s (error $err s)"
		is "$(awk -v r="$rep" -v p="$pos" -v e="$err" 'BEGIN { d = r - p - e; print (d < 1e-6 && d > -1e-6) ? "yes" : "no" }')" \
			yes "$n from $start s: the error is the reported minus the true position"
		# the audio after the seek (frame 0 of the output, up to a second
		# seek) is at sample pos * rate of the reference
		before=""
		cp "$raw" "$raw.first"
		if [ -n "$re" ]; then
			before=$(num out_frames "$re")
			head -c $((before * 4)) "$raw" >"$raw.first"
		fi
		want=$(awk -v p="$pos" 'BEGIN { printf "%d", p * 44100 + 0.5 }')
		found=$("$PCM" find "$FIX/$n.ref" "$raw.first" 44100 2 0 "$want" $((44100 * 4)))
		diag "$n from $start s: the output is the reference from sample ${found% *} (mean difference ${found#* })"
		is "${found% *}" "$want" "$n from $start s: the corrected position is where the audio is"
		big=$(awk -v e="$err" 'BEGIN { print (e > 2 || e < -2) ? 1 : 0 }')
		if [ "$big" = 0 ]; then
			is "$re" "" "$n from $start s: off by less than 2 s, it plays on (no second seek)"
			after=$(first_pos_after '"event":"corrected"' "$ev")
			from=$pos
		elif [ -z "$re" ]; then
			fail "$n from $start s: $err s off: it seeks again" "$(cat "$ev")"
			continue
		else
			t=$(num target "$re")
			like "$re" '"accurate":true' "$n from $start s: $err s off, it seeks again, exactly (to $t s)"
			ok "$(awk -v t="$t" -v r="$rep" 'BEGIN { exit !(t >= r && t < r + 10) }'; echo $?)" \
				"$n from $start s: to the position asked for plus what was played since ($t s)"
			s0=$(awk -v t="$t" 'BEGIN { printf "%d", t * 44100 + 0.5 }')
			len=$(($(stat -c %s "$raw") - before * 4))
			if [ "$len" -gt 0 ]; then
				check "$n from $start s: after the second seek the output is the reference from sample $s0 ($len bytes)" \
					cmp -n "$len" <(tail -c +$((before * 4 + 1)) "$raw") \
					<(tail -c +$((s0 * 4 + 1)) "$FIX/$n.ref")
			else
				fail "$n from $start s: output after the second seek" "$(cat "$ev")"
			fi
			after=$(sed -n '/"event":"corrected"/,$p' "$ev" | sed -n '/"event":"seek"/,$p' |
				grep -m1 '"event":"position"')
			from=$t
		fi
		if [ -z "$after" ]; then
			fail "$n from $start s: a position event after the correction" "$(cat "$ev")"
		else
			like "$after" '"accurate":true' "$n from $start s: positions after the correction are accurate"
			ok "$(awk -v a="$(num pos "$after")" -v p="$from" 'BEGIN { exit !(a >= p && a < p + 5) }'; echo $?)" \
				"$n from $start s: and follow the true position ($(num pos "$after") s from $from s)"
		fi
	done
done

# After a correction the decoder's frame numbers are stale: a later seek
# (now inside the cache) starts a fresh decoder and is exact again.
AGAIN=1 play_seek vbr_noxing 33
ev=$OUT/vbr_noxing.33.ev
raw=$OUT/vbr_noxing.33.raw
seek5=$(grep '"event":"seek".*"target":5\.0,' "$ev")
like "$seek5" '"accurate":true' "a seek after the correction is exact"
before=$(num out_frames "$seek5")
total=$(stat -c %s "$raw")
if [ -n "$before" ] && [ "$total" -gt $((before * 4)) ]; then
	len=$((total - before * 4))
	check "after the correction, seek 5 plays the reference from 5 s on ($len bytes)" \
		cmp -n "$len" <(tail -c +$((before * 4 + 1)) "$raw") \
		<(tail -c +$((44100 * 5 * 4 + 1)) "$FIX/vbr_noxing.ref")
else
	fail "seek 5 after the correction: no output after it" "$(cat "$ev")"
fi
done_testing
