#!/bin/bash
# infra_pulse.sh - the private PulseAudio plays in real time into a null sink,
# and the monitor records exactly what was played.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pulse.sh"
need pulseaudio pactl paplay parecord sox

pulse_start
like "$PULSE_SERVER" '^unix:/' "PULSE_SERVER is a private unix socket"
is "$PULSE_SINK" hark_null "PULSE_SINK names the null sink"
like "$(pactl list short sinks)" 'hark_null' "the null sink exists"
like "$(pactl info)" "Default Sink: hark_null" "the null sink is the default"

d=$(mk_temp audio)
# 2 s of a 440 Hz tone at half scale, 44.1 kHz stereo
sox -n -r 44100 -c 2 -b 16 "$d/tone.wav" synth 2 sine 440 vol 0.5
pulse_record "$d/rec.raw"
t0=$(_ms_now)
paplay "$d/tone.wav"
ok $? "paplay plays into the sink"
t1=$(_ms_now)
pulse_record_stop
ms=$((t1 - t0))
# A lower bound: a sink that swallowed the file at once would take a few ms.
ok $((ms < 1800)) "2 s of audio takes about 2 s to play (took ${ms} ms)"

bytes=$(wc -c <"$d/rec.raw" | tr -d ' ')
ok $((bytes < 2 * 44100 * 4 * 9 / 10)) "the monitor recorded at least 1.8 s ($bytes bytes)"
# Trim the silence around the tone, then measure the left channel.
stat=$(sox -t raw -r 44100 -e signed -b 16 -c 2 "$d/rec.raw" -n remix 1 \
	silence 1 1 1% reverse silence 1 1 1% reverse stat 2>&1)
len=$(printf '%s\n' "$stat" | awk '/^Length/ { print $3 }')
max=$(printf '%s\n' "$stat" | awk '/^Maximum amplitude/ { print $3 }')
freq=$(printf '%s\n' "$stat" | awk '/^Rough   frequency/ { print $3 }')
ok "$(awk -v l="$len" 'BEGIN { print (l > 1.95 && l < 2.05) ? 0 : 1 }')" \
	"the recording holds the whole 2 s tone (${len}s)"
ok "$(awk -v m="$max" 'BEGIN { print (m > 0.45 && m < 0.55) ? 0 : 1 }')" \
	"the recording has the tone's amplitude (max $max)"
ok "$(awk -v f="$freq" 'BEGIN { print (f > 400 && f < 480) ? 0 : 1 }')" \
	"the recording has the tone's frequency (~$freq Hz)"

pid=$PULSE_PID
pulse_stop
ok "$(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0)" "pulse_stop stops the daemon"

done_testing
