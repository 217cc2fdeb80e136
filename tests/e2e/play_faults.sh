#!/bin/bash
# play_faults.sh - the engine on a bad day: a server that closes mid-body
# (twice), one that ignores Range, a stall shorter than the timeout, HTTP
# errors, an enclosure that is not MP3, and no audio device. The output must
# still be bit-exact with `mpg123 -s`, or the message must say what and why.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"

FIX=$(fixtures_dir)
need mpg123 cmp
need_file "$FIX/cbr128.ref" "$FIX/vbr_xing.ref"
mk_home
OUT=$(mk_temp out)
DOC=$(mk_temp doc)
cp "$FIX/cbr128.mp3" "$FIX/vbr_xing.mp3" "$DOC/"
printf 'OggS\0\2\0\0\0\0\0\0\0\0fake ogg page' >"$DOC/ep.ogg"
cp "$FIX/cbr128.mp3" "$DOC/looks-fine.mp3"
faultsrv_start "$DOC"
size=$(stat -c %s "$DOC/cbr128.mp3")

# count_req PATH: requests faultsrv logged for this target
count_req() {
	faultsrv_count "$1"
}

# 1. closes after 300000 body bytes, the first two times: reconnect with Range
for n in cbr128 vbr_xing; do
	path=/closeonce/2/300000/$n.mp3
	run "$HARK" play "$FAULT_URL$path" --output "raw:$OUT/$n.close.raw" --events
	ok $((run_rc)) "$n: dropped twice mid-body, still plays to the end" "$run_err"
	check "$n: output equals mpg123 -s despite two drops" cmp "$OUT/$n.close.raw" "$FIX/$n.ref"
	reqs=$(count_req "$path")
	ok $((reqs >= 3 ? 0 : 1)) "$n: it reconnected ($reqs requests)"
	ranges=$(awk -F'\t' -v t="$path" '$3 == t && $4 != "-" { print $4 }' "$FAULT_LOG" | head -n 2 | tr '\n' ' ')
	like "$ranges" '^bytes=[0-9]+- bytes=[0-9]+- $' "$n: reconnects ask for the next byte with Range ($ranges)"
	first_range=$(awk -F'\t' -v t="$path" '$3 == t && $4 != "-" { print $4; exit }' "$FAULT_LOG")
	is "$first_range" "bytes=300000-" "$n: the first reconnect starts at the byte after the drop"
	ifr=$(awk -F'\t' -v t="$path" '$3 == t && $4 != "-" { print $5; exit }' "$FAULT_LOG")
	isnt "$ifr" "-" "$n: the reconnect sends If-Range"
	like "$(cat "$run_stdout")" '"state":"buffering"' "$n: the drop is reported as buffering"
	rm -rf "$HARK_HOME/xdg-cache"
done

# 2. a server that ignores Range: plays; a seek beyond what arrived reads forward
run "$HARK" play "$FAULT_URL/norange/cbr128.mp3" --output "raw:$OUT/norange.raw"
ok $((run_rc)) "200-only server: plays" "$run_err"
check "200-only server: output equals mpg123 -s" cmp "$OUT/norange.raw" "$FIX/cbr128.ref"
rm -rf "$HARK_HOME/xdg-cache"
{
	sleep 0.5
	echo "seek 50"
	sleep 20
} | "$HARK" play "$FAULT_URL/drip/150000/norange/cbr128.mp3" --output "raw:$OUT/norange-seek.raw" \
	--control - --events >"$OUT/norange-seek.ev" 2>"$OUT/norange-seek.err" &
pid=$!
wait $pid # it quits by itself at the end
like "$(cat "$OUT/norange-seek.ev")" 'server ignores Range: reading forward' \
	"200-only server: a seek beyond the cache says why it reads forward"
seekline=$(grep '"seek"' "$OUT/norange-seek.ev")
like "$seekline" '"accurate":true' "200-only server: the forward seek is still exact"
before=$(sed -n 's/.*"out_frames":\([0-9]*\).*/\1/p' <<<"$seekline")
if [ -n "$before" ]; then
	b=$((before * 4))
	check "200-only server: after the seek the output is the reference from 50 s" \
		cmp <(tail -c +$((b + 1)) "$OUT/norange-seek.raw") <(tail -c +$((44100 * 50 * 4 + 1)) "$FIX/cbr128.ref")
else
	fail "200-only server: no seek event" "$(cat "$OUT/norange-seek.ev" "$OUT/norange-seek.err")"
fi

# 3. a stall of 1.5 s (the timeout is 10 s): no reconnect, same bytes
path=/stall/1500/200000/cbr128.mp3
run "$HARK" play "$FAULT_URL$path" --output "raw:$OUT/stall.raw"
ok $((run_rc)) "stall shorter than the timeout: plays" "$run_err"
check "stall: output equals mpg123 -s" cmp "$OUT/stall.raw" "$FIX/cbr128.ref"
is "$(count_req "$path")" 1 "stall: waited on the same connection (one request)"

# 4. HTTP errors: a clear message, exit 2
run "$HARK" play "$FAULT_URL/status/404" --output null --events
is "$run_rc" 2 "404: exit status 2"
like "$run_err" 'HTTP 404' "404: the message names the status"
like "$run_out" '"event":"error"' "404: an error event"

# 5. not MP3: by Content-Type, and by the first bytes
run "$HARK" play "$FAULT_URL/ctype/audio%2Faac/looks-fine.mp3" --output null --events
is "$run_rc" 2 "audio/aac: exit status 2"
like "$run_err" 'unsupported format: audio/aac' "audio/aac: says unsupported format"
like "$run_out" '"message":"unsupported format: audio/aac' "audio/aac: in the error event too"
run "$HARK" play "$DOC/ep.ogg" --output null
is "$run_rc" 2 "an Ogg file: exit status 2"
like "$run_err" 'unsupported format: Ogg' "an Ogg file: says unsupported format"

# 6. no audio device: the message names the driver and how to pick another
run env PULSE_SERVER=unix:$OUT/no-such-socket "$HARK" play "$DOC/cbr128.mp3" --output pulse
is "$run_rc" 2 "no pulse server: exit status 2"
like "$run_err" 'audio output pulse: .*--output' "no pulse server: names the driver and --output"
run "$HARK" play "$DOC/cbr128.mp3" --output nosuchdriver
is "$run_rc" 2 "unknown driver: exit status 2"
like "$run_err" 'nosuchdriver: no such libao driver' "unknown driver: says so"

# 7. a format change mid-stream (an inserted ad at 48 kHz): the output is
# reopened at each new format and the episode plays on
cat "$FIX/short1.mp3" "$FIX/s48k.mp3" "$FIX/short2.mp3" >"$DOC/mixed.mp3"
run "$HARK" play "$FAULT_URL/ok/mixed.mp3" --output null --events
ok $((run_rc)) "a stream changing format plays to the end" "$run_err"
is "$(grep -c '"event":"format"' "$run_stdout")" 3 "three format events (44.1, 48, 44.1 kHz)"
like "$(grep '"event":"format"' "$run_stdout" | sed -n 2p)" '"rate":48000' "the second is 48 kHz"
done_testing
