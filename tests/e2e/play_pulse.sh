#!/bin/bash
# play_pulse.sh - real time through a real sound server: PulseAudio with a
# null sink, its monitor recorded with parecord. Everything is measured from
# the recorded samples (tests/unit/engine_pcmtool), not from wall time:
# the audio came out whole, pause stops it within 100 ms of the position the
# player reports, and speed 2 plays a 10 s tone in 5 s (within 2 %).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pulse.sh"

need sox lame parecord pactl pulseaudio
PCM=$top_builddir/tests/unit/engine_pcmtool
need_file "$PCM"
mk_home
OUT=$(mk_temp out)
for s in 6 8 10; do
	sox -n -r 44100 -c 2 -b 16 "$OUT/tone$s.wav" synth $s sine 440 vol 0.5 2>/dev/null
	lame --quiet -b 128 --cbr "$OUT/tone$s.wav" "$OUT/tone$s.mp3"
done
pulse_start

# runs FILE: the stretches of sound in a recording, "START END LOUD" per line
# (LOUD: the seconds of sound inside the stretch, without short gaps)
runs() {
	"$PCM" runs "$1" 44100 2
}
# recorded_past_sound FILE: the recording runs 0.3 s past its last sound
# (the recorder has caught up with what the player sent before it quit)
recorded_past_sound() {
	local end len
	end=$(runs "$1" | awk 'END { print $2 }')
	len=$(awk -v b="$(stat -c %s "$1")" 'BEGIN { print b / 44100 / 4 }')
	[ -n "$end" ] && awk -v e="$end" -v l="$len" 'BEGIN { exit !(l >= e + 0.3) }'
}
# stop_recording FILE: wait for the recorder to catch up, then stop it
# (stopping it right away can lose the last tens of ms on a busy machine)
stop_recording() {
	wait_for 10 recorded_past_sound "$1" || diag "recording $1 did not get past the sound"
	pulse_record_stop
}
# within A B TOL: |A - B| <= TOL
within() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}

# 1. the audio came out, all of it, in one piece
pulse_record "$OUT/rec1.raw"
run "$HARK" play "$OUT/tone6.mp3" --output pulse
stop_recording "$OUT/rec1.raw"
ok $((run_rc)) "a 6 s tone plays through pulse" "$run_err"
r=$(runs "$OUT/rec1.raw")
is "$(wc -l <<<"$r")" 1 "one stretch of sound recorded"
len=$(awk '{ print $3 }' <<<"$r")
ok "$(within "$len" 6.0 0.05; echo $?)" "all 6 s of it came out ($len s)"

# 2. pause and resume
trap '' PIPE # a player that already quit must not kill the script
mkfifo "$OUT/ctl"
pulse_record "$OUT/rec2.raw"
"$HARK" play "$OUT/tone8.mp3" --output pulse --control - --events <"$OUT/ctl" >"$OUT/ev2" 2>"$OUT/err2" &
pid=$!
exec 3>"$OUT/ctl"
wait_for 15 grep -q '"position".*"pos":2\.' "$OUT/ev2"
echo pause >&3
wait_for 10 grep -q '"state":"paused"' "$OUT/ev2"
sleep 1
echo resume >&3
wait_for 20 grep -q '"event":"end"' "$OUT/ev2"
exec 3>&-
wait $pid
rc=$?
stop_recording "$OUT/rec2.raw"
ok $rc "pause/resume run ends normally" "$(cat "$OUT/err2")"
r=$(runs "$OUT/rec2.raw")
diag "sound in the recording (start end seconds-of-sound): $(tr '\n' ' ' <<<"$r")"
is "$(wc -l <<<"$r")" 2 "the recording holds sound, silence, sound"
first=$(awk 'NR == 1 { print $3 }' <<<"$r")
ppos=$(grep -m1 '"state":"paused"' "$OUT/ev2" | sed -n 's/.*"pos":\([0-9.]*\).*/\1/p')
gap=$(awk 'NR == 1 { e = $2 } NR == 2 { print $1 - e }' <<<"$r")
# the sound itself, not the stretches' spans: on a loaded machine the sound
# server may play a few ms of underrun silence inside a stretch, which is
# neither lost nor repeated audio
total=$(awk '{ t += $3 } END { print t }' <<<"$r")
diag "sound before the pause: $first s; position when paused: $ppos s; silence: $gap s"
ok "$(awk -v a="$first" -v p="$ppos" 'BEGIN { exit !(a - p <= 0.1 && p - a <= 0.1) }'; echo $?)" \
	"pause stops the sound within 100 ms of the position reported ($first s vs $ppos s)"
ok "$(awk -v g="$gap" 'BEGIN { exit !(g >= 0.8) }'; echo $?)" "silence while paused ($gap s)"
ok "$(within "$total" 8.0 0.05; echo $?)" "nothing lost or repeated across pause/resume ($total s of 8)"

# 3. speed 2: a 10 s tone takes 5 s of sound
pulse_record "$OUT/rec3.raw"
run "$HARK" play "$OUT/tone10.mp3" --output pulse --speed 2
stop_recording "$OUT/rec3.raw"
ok $((run_rc)) "speed 2 plays" "$run_err"
r=$(runs "$OUT/rec3.raw")
len=$(awk '{ t += $3 } END { print t }' <<<"$r")
ok "$(within "$len" 5.0 0.1; echo $?)" "speed 2 halves the time within 2 % ($len s for 10 s)"
done_testing
