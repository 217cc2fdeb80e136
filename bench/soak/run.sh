#!/bin/bash
# bench/soak/run.sh - the soak test (not part of `make check`).
#
#   HARK=BUILD/hark bench/soak/run.sh [--minutes N] [--seed S] [--rss-slack KB]
#
# Serves the demo episode (25:43, data/demo/in-the-news.mp3 next to HARK)
# from a private nginx (tests/lib/nginx.sh) and drives
#   hark play URL --control - --events --pace --output raw:FILE
# for N minutes (default 5) of wall time, one control tick every 0.5 s:
#   - every tick seeks to a random whole second of the episode (a fresh
#     HARK_HOME: at first nothing is cached, so seeks go to the network);
#     the seeks that start a 1.0x segment go to a second with sound in it
#     and the next (the demo is ~110 s of speech, then silence, which would
#     compare equal at any offset);
#   - speed: a cycle of 15 s, 10 s at 3x (with a 2x stretch inside it), then
#     5 s at 1.0x; so speed changes 3 times a cycle;
#   - pause, 0.2 s, resume once in each half of every cycle.
# Checks:
#   1. no crash: hark exits 0 after `quit`, no "error" or "end" event;
#   2. RSS flat: /proc/PID/status VmRSS sampled every tick; after warm-up
#      (the first minute, or the first fifth of a shorter run) it may not
#      exceed the highest warm-up sample by more than --rss-slack KiB
#      (default 2048);
#   3. every "pos" in every event (position, state, seek) within
#      [0, duration], duration = the length of the `mpg123 -s` reference;
#   4. bit-exactness between seeks: every seek is exact ("accurate":true,
#      pos == target); at 1.0x the output between two seek events (from one
#      seek's out_frames to the next one's, pauses included) must equal
#      `mpg123 -s` of the episode from the sample target*rate on, byte for
#      byte. At other speeds the speed change alters the samples: those are
#      only counted. To know each segment's speed without guessing at the
#      mailbox order, 1.0x segments get even targets and others odd ones;
#      `speed 1` is sent 0.25 s before the first even seek of a 1.0x stretch
#      and `speed 3` once the seek event of the first odd seek that ends it is
#      out, so an even segment never contains a speed change.
# Use an optimised build without sanitizers (ASan's quarantine makes RSS
# meaningless): configure CFLAGS='-O2 -g' && make. Exit 0 when every check
# passed. Environment: HARK, EPISODE.
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"

minutes=5 seed=$$ slack=2048
while [ $# -gt 0 ]; do
	case $1 in
	--minutes) minutes=${2:?}; shift 2 ;; # whole minutes
	--seed) seed=${2:?}; shift 2 ;;
	--rss-slack) slack=${2:?}; shift 2 ;;
	*) echo "usage: run.sh [--minutes N] [--seed S] [--rss-slack KB]" >&2; exit 2 ;;
	esac
done
: "${EPISODE:=$(dirname "$HARK")/data/demo/in-the-news.mp3}"
need mpg123 cmp awk "$HARK"
need_file "$EPISODE"
if ldd "$HARK" 2>/dev/null | grep -q 'libasan\|libtsan'; then
	echo "warning: $HARK is built with sanitizers; RSS will not be flat" >&2
fi
RANDOM=$seed

doc=$(mk_temp doc)
work=$(mk_temp work)
mk_home
cp "$EPISODE" "$doc/ep.mp3"
nginx_start "$doc"
URL=$NGINX_URL/ep.mp3
ref=$work/ref.raw
mpg123 -q -s "$doc/ep.mp3" >"$ref" 2>/dev/null || bail "mpg123 -s failed"

ev=$work/events
raw=$work/out.raw
mkfifo "$work/ctl"
"$HARK" play "$URL" --control - --events --pace --output "raw:$raw" \
	<"$work/ctl" >"$ev" 2>"$work/err" &
pid=$!
exec 3>"$work/ctl"
send() { echo "$*" >&3; }

ticks=$((minutes * 120))
warm=$((ticks / 5))
[ "$warm" -gt 120 ] && warm=120
rate= ch= dur=
for _ in $(seq 100); do
	rate=$(sed -n 's/.*"event":"format".*"rate":\([0-9]*\).*/\1/p' "$ev" | head -1)
	[ -n "$rate" ] && break
	sleep 0.1
done
ch=$(sed -n 's/.*"event":"format".*"channels":\([0-9]*\).*/\1/p' "$ev" | head -1)
[ -n "$rate" ] && [ -n "$ch" ] || bail "no format event: $(cat "$work/err")"
refbytes=$(stat -c %s "$ref")
dur=$(awk -v b="$refbytes" -v r="$rate" -v c="$ch" 'BEGIN { printf "%.3f", b / (r * c * 2) }')
maxt=$(awk -v d="$dur" 'BEGIN { printf "%d", d - 20 }')
maxt=$((maxt / 2 * 2))
# The seconds of the reference that hold sound in them and in the next
# second (any sample not 0): the 1.0x segments start there, since digital
# silence (most of the demo episode after its ~110 s of speech) matches
# itself at any offset.
loud=($(perl -e 'my ($n, $i, $b, @s) = ($ARGV[0], 0); open(my $f, "<:raw", $ARGV[1]) or die;
	while (read($f, $b, $n) == $n) { push @s, $b =~ /[^\0]/ ? 1 : 0 }
	for ($i = 0; $i + 2 < @s; $i += 2) { print "$i\n" if $s[$i] && $s[$i + 1] }' \
	$((rate * ch * 2)) "$ref"))
[ "${#loud[@]}" -gt 0 ] || bail "the reference has no sound"
speed=3
send "speed 3"
rss_warm=0 rss_max=0 rss_first= rss_last= rss_n=0
seeks_sent=0 pauses=0 speed_changes=1 t0=$(date +%s.%N)
for ((k = 0; k < ticks; k++)); do
	kill -0 "$pid" 2>/dev/null || break
	c=$((k % 30))
	if [ "$c" -lt 20 ]; then
		want=odd
	else
		want=even
	fi
	if [ "$want" = odd ]; then
		target=$(((RANDOM * 32768 + RANDOM) % (maxt / 2) * 2 + 1))
	else
		target=${loud[$(((RANDOM * 32768 + RANDOM) % ${#loud[@]}))]}
	fi
	nseek0=$(grep -c '"event":"seek"' "$ev")
	send "seek $target"
	seeks_sent=$((seeks_sent + 1))
	tick_sleep=0.5
	if [ "$c" -eq 0 ] && [ "$speed" != 3 ]; then
		# after this odd seek has taken effect (its event), so that the even
		# segment before it holds no 3x audio
		for w in 1 2 3 4 5 6 7 8; do
			[ "$(grep -c '"event":"seek"' "$ev")" -gt "$nseek0" ] && break
			sleep 0.05
		done
		send "speed 3"
		speed=3 speed_changes=$((speed_changes + 1))
		tick_sleep=$(awk -v w="$w" 'BEGIN { printf "%.2f", 0.5 - 0.05 * (w - 1) }')
	elif [ "$c" -eq 10 ]; then
		send "speed 2"
		speed=2 speed_changes=$((speed_changes + 1))
	elif [ "$c" -eq 14 ]; then
		send "speed 3"
		speed=3 speed_changes=$((speed_changes + 1))
	elif [ "$c" -eq 19 ]; then
		sleep 0.25
		send "speed 1" # 0.25 s before the first even seek
		speed=1 speed_changes=$((speed_changes + 1))
		tick_sleep=0.25
	fi
	if [ "$c" -eq 5 ] || [ "$c" -eq 25 ]; then
		sleep 0.15
		send pause
		sleep 0.2
		send resume
		pauses=$((pauses + 1))
		tick_sleep=0.15
	fi
	sleep "$tick_sleep"
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	[ -n "$rss" ] || continue
	rss_n=$((rss_n + 1))
	[ -z "$rss_first" ] && rss_first=$rss
	rss_last=$rss
	if [ "$k" -lt "$warm" ]; then
		[ "$rss" -gt "$rss_warm" ] && rss_warm=$rss
	else
		[ "$rss" -gt "$rss_max" ] && rss_max=$rss
	fi
done
t1=$(date +%s.%N)
alive=0
kill -0 "$pid" 2>/dev/null && alive=1
send quit
exec 3>&-
wait "$pid"
rc=$?

# ---- checks ----
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')
ok $((alive == 0 || rc != 0)) "hark ran for the whole soak (${wall} s of ${ticks} ticks) and exited 0 (exit $rc)" \
	"$(tail -n 5 "$work/err")"
errs=$(grep -c '"event":"error"\|"event":"end"' "$ev")
is "$errs" 0 "no error or end event"
growth=$((rss_max - rss_warm))
ok $((growth > slack)) "RSS flat after warm-up: warm-up max ${rss_warm} KiB, then max ${rss_max} KiB (+${growth}, slack ${slack}); first ${rss_first}, last ${rss_last}, ${rss_n} samples" ""
bad_pos=$(awk -v d="$dur" '{
	s = $0
	while (match(s, /"pos":-?[0-9.e+-]+/)) {
		v = substr(s, RSTART + 6, RLENGTH - 6) + 0
		n++
		if (v < 0 || v > d) { bad++; if (bad <= 3) print "bad " v > "/dev/stderr" }
		s = substr(s, RSTART + RLENGTH)
	}
} END { printf "%d %d\n", n, bad }' "$ev")
set -- $bad_pos
npos=$1 nbad=$2
is "$nbad" 0 "every reported position within [0, $dur] ($npos positions)"

# The seek events: target, pos, accurate, out_frames.
awk '/"event":"seek"/ {
	t = $0; sub(/.*"target":/, "", t); sub(/[,}].*/, "", t)
	p = $0; sub(/.*"pos":/, "", p); sub(/[,}].*/, "", p)
	a = $0; sub(/.*"accurate":/, "", a); sub(/[,}].*/, "", a)
	o = $0; sub(/.*"out_frames":/, "", o); sub(/[,}].*/, "", o)
	print t + 0, p + 0, a, o + 0
}' "$ev" >"$work/seeks"
nseek=$(wc -l <"$work/seeks")
inexact=$(awk '$3 != "true" || $1 != $2' "$work/seeks" | wc -l)
is "$inexact" 0 "every seek exact: accurate and pos == target ($nseek seek events for $seeks_sent seek commands)"
total=$(($(stat -c %s "$raw") / (ch * 2)))
fb=$((ch * 2))
cmp_n=0 cmp_bad=0 cmp_frames=0 other=0 empty=0 silent=0
while read -r t p a o next; do
	len=$((next - o))
	if [ $((t % 2)) -ne 0 ]; then
		other=$((other + 1))
		continue
	fi
	if [ "$len" -le 0 ]; then
		empty=$((empty + 1))
		continue
	fi
	cmp_n=$((cmp_n + 1))
	cmp_frames=$((cmp_frames + len))
	cmp -s -i $((t * rate * fb)):0 -n $((len * fb)) "$ref" /dev/zero && silent=$((silent + 1))
	if ! cmp -s -i $((o * fb)):$((t * rate * fb)) -n $((len * fb)) "$raw" "$ref"; then
		cmp_bad=$((cmp_bad + 1))
		[ "$cmp_bad" -le 5 ] && diag "segment at out frame $o, target $t s, $len frames differs"
	fi
done < <(awk -v total="$total" '{ if (NR > 1) print prev, $4; prev = $0 } END { if (NR) print prev, total }' "$work/seeks")
is "$cmp_bad" 0 "1.0x segments bit-exact to mpg123 -s from target*rate: $cmp_n segments, $cmp_frames frames ($(awk -v f="$cmp_frames" -v r="$rate" 'BEGIN { printf "%.1f", f / r }') s); $other segments at other speeds, $empty empty"
ok $((cmp_n - silent < ticks / 6)) "enough 1.0x segments with sound compared ($((cmp_n - silent)) of $cmp_n, want >= $((ticks / 6)))"
diag "seed $seed, $pauses pause/resume, $speed_changes speed changes, output $total frames at $rate Hz x $ch"
done_testing
