#!/bin/bash
# run.sh - the engine benchmark (not a test). Serves the demo episode (25:43,
# 128 kbit/s CBR) from a private nginx on loopback and measures, in the same
# run, next to the peers:
#   1. CPU (user+sys) and peak RSS for the whole episode over http:
#      `hark play URL --output null` vs `mpg123 -t URL` (and mpv with
#      --ao=null --ao-null-untimed when it is installed); the same at
#      --speed 1.5 (mpv --speed=1.5 as the peer that also keeps pitch), and
#      1.5x on 25:43 of continuous speech (the demo is mostly silence);
#      the local file too, for reference;
#   2. the time from starting `hark play URL --events` to its first_audio event;
#   3. a 20-minute jump into a part not yet cached, through nginx's
#      limit_rate 2m location: from writing `seek 20:00` to --control until
#      the `seek` event; then the same seek again once it is cached;
#   4. exactness, on the demo's speech looped to the same length (the demo
#      itself is 107 s of speech and then silence, which matches anywhere):
#      the output after `--start 20:00` (128k CBR) compared with `mpg123 -s`
#      from that sample on; and an approximate seek (VBR without a Xing
#      header, nothing cached): the position reported first, the corrected
#      one, where the output really is in the PCM, and the exact seek after.
# Each measurement is the median of RUNS (default 3) runs. Prints a Markdown
# table. Use an optimised build without sanitizers:
#   ./configure CFLAGS='-O2 -g' && make && HARK=$PWD/hark bench/engine/run.sh
# Environment: HARK (the binary), PCMTOOL (tests/unit/engine_pcmtool, built by
# `make check`; default next to HARK), EPISODE (default
# $(dirname HARK)/data/demo/in-the-news.mp3), RUNS.
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
RUNS=${RUNS:-3}
: "${EPISODE:=$(dirname "$HARK")/data/demo/in-the-news.mp3}"
: "${PCMTOOL:=$(dirname "$HARK")/tests/unit/engine_pcmtool}"
need /usr/bin/time mpg123 lame sox "$HARK"
need_file "$EPISODE"
if ldd "$HARK" | grep -q libasan; then
	echo "warning: $HARK is built with sanitizers; numbers will be meaningless" >&2
fi
have_mpv=0
command -v mpv >/dev/null 2>&1 && have_mpv=1
have_pcmtool=0
[ -x "$PCMTOOL" ] && have_pcmtool=1

doc=$(mk_temp doc)
work=$(mk_temp work)
cp "$EPISODE" "$doc/ep.mp3"
nginx_start "$doc"
URL=$NGINX_URL/ep.mp3
SLOW=$NGINX_URL/slow/ep.mp3
size=$(stat -c %s "$doc/ep.mp3")

# measure OUT CMD... - run CMD under /usr/bin/time; append "wall-secs
# peak-kb cpu-secs" to OUT.
measure() {
	local out=$1 tv
	shift
	tv=$(mktemp "$TEST_TMPDIR/tv.XXXXXX")
	/usr/bin/time -f '%e %M %U %S' -o "$tv" "$@" >"$tv.out" 2>"$tv.err" || {
		echo "failed: $* ($(tail -n 3 "$tv.out" "$tv.err"))" >&2
		return 1
	}
	awk '{ print $1, $2, $3 + $4 }' "$tv" >>"$out"
}

# median FILE COLUMN
median() {
	sort -g -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", b - a }'; }

res=$(mk_temp res)
mpv_cmd() {
	echo mpv --no-config --really-quiet --vo=null --ao=null --ao-null-untimed "$@"
}

# 1. CPU and RSS for the whole episode.
for ((r = 1; r <= RUNS; r++)); do
	# the libraries alone, mapped and relocated, nothing run
	measure "$res/hark_version" "$HARK" --version
	measure "$res/mpg123_version" mpg123 --version
	mk_home # an empty cache every run: the whole file comes over the network
	measure "$res/hark" "$HARK" play "$URL" --output null
	mk_home
	measure "$res/hark15" "$HARK" play "$URL" --output null --speed 1.5
	measure "$res/hark_file" "$HARK" play "$doc/ep.mp3" --output null
	measure "$res/mpg123" mpg123 -q -t "$URL"
	measure "$res/mpg123_file" mpg123 -q -t "$doc/ep.mp3"
	if [ $have_mpv = 1 ]; then
		measure "$res/mpv" $(mpv_cmd "$URL")
		measure "$res/mpv15" $(mpv_cmd --speed=1.5 "$URL")
	fi
done

# The engine's own memory while streaming: RssAnon (heap, stacks, buffers;
# not the shared libraries' pages), sampled every 50 ms over 8 s of a
# paced play through the 2 MB/s location (the net thread busy all along).
mk_home
"$HARK" play "$SLOW" --output null --pace >/dev/null 2>&1 &
spid=$!
anon_kb=0
for ((i = 0; i < 160; i++)); do
	a=$(awk '/^RssAnon:/ { print $2 }' "/proc/$spid/status" 2>/dev/null)
	[ -n "$a" ] && [ "$a" -gt "$anon_kb" ] && anon_kb=$a
	sleep 0.05
done
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null

# A running `hark play --control - --events`: H[0] reads its events, H[1]
# takes commands. next_event NAME: read events until one named NAME, then
# print the time it arrived (EPOCHREALTIME) and keep the line in $ev_line.
next_event() {
	local line
	while IFS= read -r -t 60 -u "${H[0]}" line; do
		echo "$line" >>"$work/events.log"
		case $line in
		*"\"event\":\"$1\""*)
			ev_line=$line
			ev_time=$(now)
			return 0
			;;
		*'"event":"error"'* | *'"event":"end"'*)
			echo "hark: $line" >&2
			return 1
			;;
		esac
	done
	echo "no $1 event" >&2
	return 1
}

field() { sed -n "s/.*\"$1\":\([-0-9.eE+truefals]*\).*/\1/p" <<<"$2"; }

# 2. start to first_audio; 3. seeks, uncached then cached.
for ((r = 1; r <= RUNS; r++)); do
	mk_home
	t0=$(now)
	coproc H { exec "$HARK" play "$SLOW" --output null --pace --control - --events 2>>"$work/hark.err"; }
	if next_event first_audio; then
		elapsed "$t0" "$ev_time" >>"$res/first_audio"
	fi
	t0=$(now)
	echo "seek 20:00" >&"${H[1]}"
	if next_event seek; then
		elapsed "$t0" "$ev_time" >>"$res/seek_net"
		echo "$(field target "$ev_line") $(field pos "$ev_line") $(field accurate "$ev_line")" \
			>>"$res/seek_net_pos"
	fi
	sleep 2 # plays from 20:00 for 2 s: the next minutes are fetched meanwhile
	echo "seek 0:10" >&"${H[1]}"
	next_event seek
	sleep 0.5
	t0=$(now)
	echo "seek 20:00" >&"${H[1]}"
	if next_event seek; then
		elapsed "$t0" "$ev_time" >>"$res/seek_cache"
	fi
	echo quit >&"${H[1]}"
	wait "$H_PID" 2>/dev/null
done

# 4. The demo episode is 107 s of speech and then silence, which would
# match anywhere: the exactness checks use its first 100 s over and over
# for as long, encoded as 128k CBR (Info tag) and as VBR without Xing.
mpg123 -q -w "$work/ep.wav" "$doc/ep.mp3"
secs=$(awk -v n="$(sox --i -s "$work/ep.wav")" -v r="$(sox --i -r "$work/ep.wav")" 'BEGIN { printf "%d", n / r }')
sox -V1 "$work/ep.wav" "$work/loop.wav" trim 0 100 repeat $((secs / 100 + 1)) trim 0 "$secs"
rm -f "$work/ep.wav"
nice lame --quiet -b 128 --cbr "$work/loop.wav" "$doc/cbr.mp3"
nice lame --quiet -V 4 -t "$work/loop.wav" "$doc/vbr.mp3"
rm -f "$work/loop.wav"

# The demo is mostly silence, where the speed change has least to do: the
# 1.5x CPU is measured on the looped speech too (the same length).
for ((r = 1; r <= RUNS; r++)); do
	mk_home
	measure "$res/hark15_speech" "$HARK" play "$NGINX_URL/cbr.mp3" --output null --speed 1.5
	measure "$res/mpg123_speech" mpg123 -q -t "$NGINX_URL/cbr.mp3"
done

# 4a. an exact seek: the output from --start 20:00 is mpg123 -s from sample
# 20 * 60 * rate on.
mk_home
"$HARK" play "$NGINX_URL/cbr.mp3" --start 20:00 --output "raw:$work/exact.raw" --events \
	>"$work/exact.ev" 2>>"$work/hark.err"
rate=$(field rate "$(grep -m1 '"format"' "$work/exact.ev")")
rate=${rate:-44100}
exact_ev=$(grep '"seek"' "$work/exact.ev")
exact_bytes=$(stat -c %s "$work/exact.raw")
if cmp -s <(mpg123 -q -s "$doc/cbr.mp3" | tail -c +$((1200 * rate * 4 + 1))) "$work/exact.raw"; then
	exact_result="equal to mpg123 -s from sample $((1200 * rate)) on ($exact_bytes bytes)"
else
	exact_result="DIFFERS from mpg123 -s from sample $((1200 * rate)) on"
fi

# 4b. an approximate seek: VBR without a Xing header, nothing cached.
mpg123 -q -s "$doc/vbr.mp3" >"$work/vbr.ref"
# Paced and at 2 MB/s, so that it plays on while the bytes before the
# landing point come in (the rest of the file first, then the gap from the
# start); a correction of more than 2 s is followed by an exact seek to
# where the listener would be.
mk_home
t0=$(now)
coproc H { "$HARK" play "$NGINX_URL/slow/vbr.mp3" --start 20:00 --pace \
	--output "raw:$work/vbr.raw" --control - --events 2>>"$work/hark.err" | tee "$work/vbr.ev"; }
vbr_seek="" vbr_fix="" vbr_re=""
next_event seek && vbr_seek=$ev_line
if next_event corrected; then
	vbr_fix=$ev_line
	vbr_fix_after=$(elapsed "$t0" "$ev_time")
fi
sleep 2 # some output after it
echo quit >&"${H[1]}"
wait "$H_PID" 2>/dev/null
vbr_re=$(grep '"event":"seek"' "$work/vbr.ev" | tail -n 1)
[ "$vbr_re" = "$vbr_seek" ] && vbr_re=""
v_reported=$(field pos "$vbr_seek")
v_acc=$(field accurate "$vbr_seek")
v_true_rep=$(field pos "$vbr_fix")
v_err=$(field error "$vbr_fix")
v_found=""
cp "$work/vbr.raw" "$work/vbr.first"
if [ -n "$vbr_re" ]; then
	re_frames=$(field out_frames "$vbr_re")
	head -c $((re_frames * 4)) "$work/vbr.raw" >"$work/vbr.first"
	re_t=$(field target "$vbr_re")
	re_s=$(awk -v t="$re_t" -v r="$rate" 'BEGIN { printf "%d", t * r + 0.5 }')
	re_len=$(($(stat -c %s "$work/vbr.raw") - re_frames * 4))
	if [ "$re_len" -gt 0 ] && cmp -s -n "$re_len" <(tail -c +$((re_frames * 4 + 1)) "$work/vbr.raw") \
		<(tail -c +$((re_s * 4 + 1)) "$work/vbr.ref"); then
		re_result="then seeks again to $re_t s (accurate $(field accurate "$vbr_re")): the output equals mpg123 -s from sample $re_s on ($re_len bytes)"
	else
		re_result="then seeks again to $re_t s: the output DIFFERS from mpg123 -s from sample $re_s on"
	fi
fi
if [ $have_pcmtool = 1 ] && [ -n "$v_true_rep" ]; then
	# where the output up to the second seek sits in the reference,
	# searched +-3 s around the corrected position
	guess=$(awk -v p="$v_true_rep" -v r="$rate" 'BEGIN { printf "%d", p * r + 0.5 }')
	found=$("$PCMTOOL" find "$work/vbr.ref" "$work/vbr.first" "$rate" 2 0 "$guess" $((3 * rate)))
	[ -n "$found" ] && v_found=$(awk -v f="${found%% *}" -v r="$rate" 'BEGIN { printf "%.4f", f / r }')
fi

# --- report ---
h_c=$(median "$res/hark" 3)
h_m=$(median "$res/hark" 2)
h15_c=$(median "$res/hark15" 3)
h15_m=$(median "$res/hark15" 2)
hf_c=$(median "$res/hark_file" 3)
hf_m=$(median "$res/hark_file" 2)
m_c=$(median "$res/mpg123" 3)
m_m=$(median "$res/mpg123" 2)
mf_c=$(median "$res/mpg123_file" 3)
mf_m=$(median "$res/mpg123_file" 2)
hs_c=$(median "$res/hark15_speech" 3)
ms_c=$(median "$res/mpg123_speech" 3)
hv_m=$(median "$res/hark_version" 2)
mv_m=$(median "$res/mpg123_version" 2)
if [ $have_mpv = 1 ]; then
	v_c=$(median "$res/mpv" 3) v_m=$(median "$res/mpv" 2)
	v15_c=$(median "$res/mpv15" 3) v15_m=$(median "$res/mpv15" 2)
fi
fa=$(median "$res/first_audio" 1)
sn=$(median "$res/seek_net" 1)
sc=$(median "$res/seek_cache" 1)
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "met" : "**missed**" }'; }

echo "Engine benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "episode: $size bytes, $rate Hz; median of $RUNS runs; $(mpg123 --version | head -n 1)"
[ $have_mpv = 1 ] && echo "mpv: $(mpv --version | head -n 1)"
echo
echo "| measurement | hark | mpg123 -t | hark / mpg123 | mpv | hark / mpv | target |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
echo "| whole episode over http, CPU s | $h_c | $m_c | $(ratio "$h_c" "$m_c") | ${v_c:-} | $(ratio "$h_c" "${v_c:-0}") | <= 1.10x mpg123: $(verdict "$(ratio "$h_c" "$m_c")" 1.1001) |"
echo "| same at 1.5x speed (mpv --speed=1.5), CPU s | $h15_c | $m_c | $(ratio "$h15_c" "$m_c") | ${v15_c:-} | $(ratio "$h15_c" "${v15_c:-0}") | <= 1.5x mpg123: $(verdict "$(ratio "$h15_c" "$m_c")" 1.5001) |"
echo "| the same length of continuous speech at 1.5x, CPU s | $hs_c | $ms_c | $(ratio "$hs_c" "$ms_c") | | | <= 1.5x mpg123: $(verdict "$(ratio "$hs_c" "$ms_c")" 1.5001) |"
echo "| local file, CPU s | $hf_c | $mf_c | $(ratio "$hf_c" "$mf_c") | | | |"
echo "| peak RSS streaming, MB | $(mb "$h_m") | $(mb "$m_m") | $(ratio "$h_m" "$m_m") | $(mb "${v_m:-0}") | $(ratio "$h_m" "${v_m:-0}") | < 12 MB: $(verdict "$(mb "$h_m")" 12) |"
echo "| peak RSS at 1.5x, MB | $(mb "$h15_m") | | | $(mb "${v15_m:-0}") | $(ratio "$h15_m" "${v15_m:-0}") | |"
echo "| peak RSS local file, MB | $(mb "$hf_m") | $(mb "$mf_m") | $(ratio "$hf_m" "$mf_m") | | | |"
echo "| (RSS of --version: the libraries loaded, nothing run), MB | $(mb "$hv_m") | $(mb "$mv_m") | $(ratio "$hv_m" "$mv_m") | | | |"
echo "| private memory (RssAnon) at its peak while streaming, MB | $(mb "$anon_kb") | | | | | |"
echo "| start to first_audio (loopback), ms | $(ms "$fa") | | | | | < 150 ms: $(verdict "$(ms "$fa")" 150) |"
echo "| seek 20:00 not cached (limit_rate 2m), ms | $(ms "$sn") | | | | | < 200 ms: $(verdict "$(ms "$sn")" 200) |"
echo "| seek 20:00 inside the cache, ms | $(ms "$sc") | | | | | < 30 ms: $(verdict "$(ms "$sc")" 30) |"
echo
echo "runs (first_audio / uncached seek / cached seek, s): $(tr '\n' ' ' <"$res/first_audio") / $(tr '\n' ' ' <"$res/seek_net") / $(tr '\n' ' ' <"$res/seek_cache")"
echo "uncached seek events (target pos accurate): $(tr '\n' ';' <"$res/seek_net_pos")"
echo "exact seek (--start 20:00, the looped speech as 128k CBR over http): event $(field pos "$exact_ev") s for target $(field target "$exact_ev"), accurate $(field accurate "$exact_ev"); output $exact_result"
echo "approximate seek (the looped speech as VBR without Xing, --start 20:00, nothing cached): reported ${v_reported:-?} s (accurate ${v_acc:-?}); corrected ${vbr_fix_after:-?} s after the start to ${v_true_rep:-(no correction)} s (error ${v_err:-?} s); the output found in mpg123 -s's PCM at ${v_found:-(not checked)} s; ${re_result:-no second seek}"
