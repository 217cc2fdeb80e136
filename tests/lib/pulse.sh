#!/bin/bash
# tests/lib/pulse.sh - a private PulseAudio with a null sink: a sound card that
# plays in real time, and a monitor to record what was played.
#
#     . "$top_srcdir/tests/lib/common.sh"
#     . "$top_srcdir/tests/lib/pulse.sh"
#     pulse_start               exports PULSE_SERVER, PULSE_SINK (hark_null), PULSE_CLIENTCONFIG
#     pulse_record OUT.raw      record the sink's monitor (s16le, 44100 Hz, 2 ch) in background
#     ... play something ...
#     pulse_record_stop         stop the recorder (the file is complete afterwards)
#     pulse_stop                (also done at exit)
#
# The daemon gets its own XDG_RUNTIME_DIR, PULSE_RUNTIME_PATH, HOME and state dir
# in a temp dir and listens on a private unix socket with anonymous auth. It works
# as root (it only warns) and as any user. Clients never autospawn a daemon.

PULSE_SINK_NAME=hark_null

# pulse_start - start the daemon and wait until it answers.
pulse_start() {
	local dir
	need pulseaudio pactl
	dir=$(mk_temp pulse) || bail "pulse_start: mktemp failed"
	mkdir -p "$dir/runtime/pulse" "$dir/home" "$dir/state"
	chmod 700 "$dir/runtime" "$dir/runtime/pulse"
	PULSE_DIR=$dir
	printf 'autospawn = no\ndefault-server = unix:%s\n' "$dir/native" >"$dir/client.conf"
	(
		export XDG_RUNTIME_DIR=$dir/runtime PULSE_RUNTIME_PATH=$dir/runtime/pulse \
			PULSE_STATE_PATH=$dir/state HOME=$dir/home PULSE_CLIENTCONFIG=$dir/client.conf
		unset PULSE_SERVER DBUS_SESSION_BUS_ADDRESS
		exec pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit \
			--use-pid-file=no --realtime=no --high-priority=no --log-target=stderr \
			-L "module-null-sink sink_name=$PULSE_SINK_NAME rate=44100 channels=2" \
			-L "module-native-protocol-unix auth-anonymous=1 socket=$dir/native"
	) >"$dir/pulseaudio.log" 2>&1 &
	PULSE_PID=$!
	at_exit pulse_stop
	_guard "kill $PULSE_PID"
	PULSE_SERVER=unix:$dir/native
	PULSE_SINK=$PULSE_SINK_NAME
	PULSE_CLIENTCONFIG=$dir/client.conf
	export PULSE_SERVER PULSE_SINK PULSE_CLIENTCONFIG PULSE_PID PULSE_DIR
	if ! wait_for 15 pactl info; then
		diag "$(tail -n 20 "$dir/pulseaudio.log")"
		bail "pulse_start: pulseaudio did not come up"
	fi
}

# pulse_record FILE - record the null sink's monitor as raw s16le/44100/2 into FILE.
pulse_record() {
	need parecord
	parecord --device="$PULSE_SINK_NAME.monitor" --raw --format=s16le --rate=44100 \
		--channels=2 --latency-msec=20 "$1" >/dev/null 2>"$PULSE_DIR/parecord.log" &
	PULSE_RECORD_PID=$!
	at_exit pulse_record_stop
	# Recording has begun once the monitor has a source-output.
	wait_for 10 _pulse_recording || diag "pulse_record: no source-output yet"
}

_pulse_recording() {
	[ -n "$(pactl list short source-outputs 2>/dev/null)" ]
}

# pulse_record_stop - stop the recorder and wait for it to finish writing.
pulse_record_stop() {
	if [ -n "${PULSE_RECORD_PID:-}" ]; then
		kill -INT "$PULSE_RECORD_PID" 2>/dev/null
		wait "$PULSE_RECORD_PID" 2>/dev/null
		PULSE_RECORD_PID=""
	fi
	return 0
}

pulse_stop() {
	pulse_record_stop
	if [ -n "${PULSE_PID:-}" ]; then
		kill "$PULSE_PID" 2>/dev/null
		wait "$PULSE_PID" 2>/dev/null
		PULSE_PID=""
	fi
	return 0
}
