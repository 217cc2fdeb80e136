#!/bin/bash
# play_dsp.sh - what happens between the decoder and the device, checked on
# the raw output: volume (exact scaling, saturated clipping), speed (length,
# pitch kept), skip silence (long pauses shortened, time saved),
# and live changes through --control.
. "$top_srcdir/tests/lib/common.sh"

FIX=$(fixtures_dir)
PCM=$top_builddir/tests/unit/engine_pcmtool
need sox lame mpg123 od
need_file "$FIX/cbr128.ref" "$PCM"
mk_home
OUT=$(mk_temp out)
refbytes=$(stat -c %s "$FIX/cbr128.ref")

# volume: 50 % and 150 % (clipping saturates instead of wrapping)
for v in 50 150 0; do
	run "$HARK" play "$FIX/cbr128.mp3" --volume $v --output "raw:$OUT/vol$v.raw"
	ok $((run_rc)) "--volume $v plays" "$run_err"
	run "$PCM" gain "$FIX/cbr128.ref" "$OUT/vol$v.raw" $v
	ok $((run_rc)) "--volume $v: every sample is the reference scaled by $v % ($run_out)"
done
# a loud tone: at 150 % it must clip, saturated (a wrapped sample would mismatch)
sox -n -r 44100 -c 2 -b 16 "$OUT/loud.wav" synth 2 sine 440 vol 0.9 2>/dev/null
lame --quiet -b 128 --cbr "$OUT/loud.wav" "$OUT/loud.mp3"
mpg123 -q -s "$OUT/loud.mp3" >"$OUT/loud.ref"
run "$HARK" play "$OUT/loud.mp3" --volume 150 --output "raw:$OUT/loud150.raw"
run "$PCM" gain "$OUT/loud.ref" "$OUT/loud150.raw" 150
ok $((run_rc)) "--volume 150 on a loud tone: saturated, never wrapped ($run_out)"
like "$run_out" ' [1-9][0-9]* clipped' "--volume 150 on a loud tone does clip"
run "$HARK" play "$FIX/cbr128.mp3" --volume 151 --output null
is "$run_rc" 1 "--volume 151 is refused"

# speed: output length = input / speed (pitch kept; length within 1 %)
for sp in 1.5 2 0.5; do
	run "$HARK" play "$FIX/cbr128.mp3" --speed $sp --output "raw:$OUT/sp$sp.raw"
	ok $((run_rc)) "--speed $sp plays" "$run_err"
	got=$(stat -c %s "$OUT/sp$sp.raw")
	ok "$(awk -v g=$got -v r=$refbytes -v s=$sp 'BEGIN { w = r / s; d = (g - w) / w; if (d < 0) d = -d; exit !(d < 0.01) }'; echo $?)" \
		"--speed $sp: output is 1/$sp of the length ($got of $refbytes bytes)"
done
run "$HARK" play "$FIX/cbr128.mp3" --speed 3.5 --output null
is "$run_rc" 1 "--speed 3.5 is refused"
# pitch kept: a 440 Hz tone at 2x still has the period of 440 Hz (zero crossings per second)
sox -n -r 44100 -c 2 -b 16 "$OUT/tone.wav" synth 4 sine 440 vol 0.5 2>/dev/null
lame --quiet -b 128 --cbr "$OUT/tone.wav" "$OUT/tone.mp3"
run "$HARK" play "$OUT/tone.mp3" --speed 2 --output "raw:$OUT/tone2.raw"
zc=$(od -An -v -td2 -w4 "$OUT/tone2.raw" | awk 'NR > 2000 { if ((p < 0 && $1 >= 0) || (p >= 0 && $1 < 0)) z++; p = $1; n++ } END { printf "%.0f", z / 2 / (n / 44100) }')
ok "$(awk -v z=$zc 'BEGIN { exit !(z > 420 && z < 460) }'; echo $?)" "--speed 2 keeps the pitch (440 Hz tone measures $zc Hz)"

# skip silence: 1 s tone, 3 s silence, 1 s tone -> the pause shrinks to ~0.6 s
sox -n -r 44100 -c 2 -b 16 "$OUT/t1.wav" synth 1 sine 440 vol 0.5 2>/dev/null
sox -n -r 44100 -c 2 -b 16 "$OUT/s3.wav" trim 0 3 2>/dev/null
sox "$OUT/t1.wav" "$OUT/s3.wav" "$OUT/t1.wav" "$OUT/pause.wav"
lame --quiet -b 128 --cbr "$OUT/pause.wav" "$OUT/pause.mp3"
run "$HARK" play "$OUT/pause.mp3" --output "raw:$OUT/pause-off.raw"
off=$(stat -c %s "$OUT/pause-off.raw")
ok "$(awk -v b=$off 'BEGIN { exit !(b > 4.99 * 176400) }'; echo $?)" "skip silence is off by default ($off bytes)"
run "$HARK" play "$OUT/pause.mp3" --skip-silence --output "raw:$OUT/pause-on.raw" --events
on=$(stat -c %s "$OUT/pause-on.raw")
ok "$(awk -v b=$on 'BEGIN { s = b / 176400; exit !(s > 2.4 && s < 2.9) }'; echo $?)" \
	"skip silence shortens a 3 s pause to about 0.6 s ($on bytes)"
r=$("$PCM" runs "$OUT/pause-on.raw" 44100 2)
is "$(wc -l <<<"$r")" 2 "both tones are still there"

# a live speed change through --control: paced, "speed 2" once 1 s has played;
# the output ends up shorter than the reference but longer than half of it
mkfifo "$OUT/ctl"
"$HARK" play "$FIX/cbr128.mp3" --output "raw:$OUT/live.raw" --pace --control - --events \
	<"$OUT/ctl" >"$OUT/live.ev" 2>&1 &
pid=$!
exec 3>"$OUT/ctl"
wait_for 15 grep -q '"pos":[1-9]' "$OUT/live.ev"
echo "speed 3" >&3
echo "volume 100" >&3
wait_for 5 grep -q '"pos":[3-9]' "$OUT/live.ev"
echo "speed 1" >&3
echo quit >&3
exec 3>&-
wait $pid
live=$(stat -c %s "$OUT/live.raw")
ok "$(awk -v g=$live 'BEGIN { exit !(g > 0) }'; echo $?)" "live speed changes keep playing ($live bytes)"
check "before the speed change the output is the reference" cmp -n 176400 "$OUT/live.raw" "$FIX/cbr128.ref"
done_testing
