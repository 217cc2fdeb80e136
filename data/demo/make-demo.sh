#!/bin/bash
# make-demo.sh - build the demo feed's audio, transcripts and chapters.
#
# usage: make-demo.sh SRCDIR OUTDIR
#
# SRCDIR holds demo.xml.in and one NAME.txt script per episode (the format is
# described at the top of in-the-news.txt). For each script the episode's text
# is spoken sentence by sentence with espeak-ng, every sentence is resampled to
# 44100 Hz stereo with sox (no dither), its exact length is read in samples,
# and the sentences are joined with fixed silent gaps, so every cue's start and
# end time is known to the sample. The joined speech is padded with silence to
# exactly the episode's @duration and encoded with lame (CBR 128k, with the
# LAME/Info tag so that decoders trim the encoder delay: the decoded length is
# exact). Written to OUTDIR: NAME.mp3, NAME.vtt, NAME.srt, NAME.json (Podcasting
# 2.0 transcript), NAME.chapters.json (when the script names chapters) and
# demo.xml (demo.xml.in with lengths, durations and descriptions filled in).
#
# The same inputs give the same bytes: fixed voice, speed and pitch, no dither,
# no timestamps. Tools come from $ESPEAK, $SOX and $LAME (default: from PATH).
set -euo pipefail

ESPEAK=${ESPEAK:-espeak-ng}
SOX=${SOX:-sox}
LAME=${LAME:-lame}
RATE=44100
LEAD=22050 # 0.5 s of silence before the first cue
GAP=26460  # 0.6 s of silence between cues
VOICE=en-gb
SPEED=165
PITCH=50
EPISODES="in-the-news brief-1 brief-2 brief-3"

if [ $# -ne 2 ]; then
	echo "usage: make-demo.sh SRCDIR OUTDIR" >&2
	exit 1
fi
src=$1
out=$2
# Every tool, or one line naming the Debian package that has it.
for t in "$ESPEAK:espeak-ng" "$SOX:sox" "$LAME:lame"; do
	if ! command -v "${t%:*}" >/dev/null 2>&1; then
		echo "make-demo.sh: ${t%:*} not found: install the Debian package ${t#*:} (apt-get install ${t#*:})" >&2
		exit 2
	fi
done
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/hark-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

die() {
	echo "make-demo.sh: $*" >&2
	exit 2
}

# Milliseconds, rounded, of a sample count at $RATE.
ms_of() {
	echo $((($1 * 1000 + RATE / 2) / RATE))
}

# A millisecond count as HH:MM:SS<sep>mmm (sep "." for WebVTT, "," for SRT).
clock_of() {
	local ms=$1 sep=$2
	printf '%02d:%02d:%02d%s%03d' $((ms / 3600000)) $((ms / 60000 % 60)) \
		$((ms / 1000 % 60)) "$sep" $((ms % 1000))
}

# A millisecond count as seconds with three decimals, for JSON.
secs_of() {
	printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

# $1 as the body of a JSON string.
json_esc() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	printf '%s' "$s"
}

# $1 with the XML special characters escaped.
xml_esc() {
	local s=$1
	s=${s//&/"&amp;"}
	s=${s//</"&lt;"}
	s=${s//>/"&gt;"}
	printf '%s' "$s"
}

# Seconds as itunes:duration (M:SS, or H:MM:SS from an hour).
duration_of() {
	local s=$1
	if [ "$s" -ge 3600 ]; then
		printf '%d:%02d:%02d' $((s / 3600)) $((s / 60 % 60)) $((s % 60))
	else
		printf '%d:%02d' $((s / 60)) $((s % 60))
	fi
}

# Silence of the given number of samples, 44100 Hz stereo 16 bit.
# (The format options go before -n: they set the null input's rate.)
"$SOX" -D -r $RATE -c 2 -n -b 16 -e signed "$work/lead.wav" trim 0 ${LEAD}s
"$SOX" -D -r $RATE -c 2 -n -b 16 -e signed "$work/gap.wav" trim 0 ${GAP}s

declare -A LENGTH DURATION DESC CONTENT

# Speak one episode script: audio, transcripts, chapters, description.
make_episode() {
	local name=$1 script="$src/$1.txt"
	local duration="" speaker=Narrator chapter="" line text
	local n=0 pos=$LEAD total sentence_len
	local -a pieces=("$work/lead.wav") cues=() starts=() ends=()
	local -a chapter_titles=() chapter_starts=()
	local desc="" para="" content=""

	[ -r "$script" ] || die "$script: cannot read"
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		'#'*) continue ;;
		'@duration '*) duration=${line#@duration } && continue ;;
		'@speaker '*) speaker=${line#@speaker } && continue ;;
		'@chapter '*) chapter=${line#@chapter } && continue ;;
		'@title '*) text=${line#@title } ;;
		'@'*) die "$script: unknown directive: $line" ;;
		'')
			# end of a description paragraph
			if [ -n "$para" ]; then
				desc+="${desc:+$'\n\n'}$para"
				content+="<p>$(xml_esc "$para")</p>"$'\n'
				para=""
			fi
			continue
			;;
		*)
			text=$line
			para+="${para:+ }$line"
			;;
		esac
		n=$((n + 1))
		printf '%s\n' "$text" >"$work/$name.$n.txt"
		"$ESPEAK" -v $VOICE -s $SPEED -p $PITCH -a 100 \
			-w "$work/$name.$n.22k.wav" -f "$work/$name.$n.txt"
		"$SOX" -D "$work/$name.$n.22k.wav" -r $RATE -c 2 -b 16 -e signed \
			"$work/$name.$n.wav" gain -3
		sentence_len=$("$SOX" --i -s "$work/$name.$n.wav")
		if [ $n -gt 1 ]; then
			pieces+=("$work/gap.wav")
			pos=$((pos + GAP))
		fi
		pieces+=("$work/$name.$n.wav")
		if [ -n "$chapter" ]; then
			chapter_titles+=("$chapter")
			if [ ${#chapter_starts[@]} -eq 0 ]; then
				chapter_starts+=(0)
			else
				chapter_starts+=("$(ms_of $pos)")
			fi
			chapter=""
		fi
		cues+=("$text")
		starts+=("$(ms_of $pos)")
		pos=$((pos + sentence_len))
		ends+=("$(ms_of $pos)")
	done <"$script"
	if [ -n "$para" ]; then
		desc+="${desc:+$'\n\n'}$para"
		content+="<p>$(xml_esc "$para")</p>"$'\n'
	fi
	[ -n "$duration" ] || die "$script: no @duration"
	[ $n -gt 0 ] || die "$script: nothing to say"
	total=$((duration * RATE))
	[ $pos -lt $total ] || die "$script: speech ($pos samples) longer than @duration"
	[ "$("$SOX" --i -s "${pieces[@]}" | awk '{ n += $1 } END { print n }')" = $pos ] ||
		die "$script: the pieces do not add up to $pos samples"

	# Join, pad to the exact length, encode. lame reads the WAV stream to its
	# end (sox cannot seek back into a pipe to fix the header's length: -V1
	# hides that warning); the test suite checks the decoded length.
	"$SOX" -V1 -D "${pieces[@]}" -t wav - pad 0 $((total - pos))s |
		"$LAME" --silent -m j -b 128 --cbr --id3v2-only --tt "${cues[0]}" \
			--ta "The Irish Times" --tl "In the News" --ty 2025 \
			- "$work/$name.mp3"

	# Transcripts: WebVTT, SRT, Podcasting 2.0 JSON, one cue per sentence.
	local i vtt srt json sep
	vtt="WEBVTT"$'\n'
	srt=""
	json='{"version":"1.0.0","segments":['
	sep=""
	for i in "${!cues[@]}"; do
		vtt+=$'\n'"$((i + 1))"$'\n'
		vtt+="$(clock_of "${starts[i]}" .) --> $(clock_of "${ends[i]}" .)"$'\n'
		vtt+="<v $speaker>${cues[i]}"$'\n'
		srt+="$((i + 1))"$'\n'
		srt+="$(clock_of "${starts[i]}" ,) --> $(clock_of "${ends[i]}" ,)"$'\n'
		srt+="${cues[i]}"$'\n\n'
		json+="$sep"$'\n'"{\"speaker\":\"$(json_esc "$speaker")\","
		json+="\"startTime\":$(secs_of "${starts[i]}"),"
		json+="\"endTime\":$(secs_of "${ends[i]}"),"
		json+="\"body\":\"$(json_esc "${cues[i]}")\"}"
		sep=","
	done
	json+=$'\n]}'
	printf '%s' "$vtt" >"$work/$name.vtt"
	printf '%s' "$srt" >"$work/$name.srt"
	printf '%s\n' "$json" >"$work/$name.json"

	if [ ${#chapter_titles[@]} -gt 0 ]; then
		json='{"version":"1.2.0","chapters":['
		sep=""
		for i in "${!chapter_titles[@]}"; do
			json+="$sep"$'\n'"{\"startTime\":$(secs_of "${chapter_starts[i]}"),"
			json+="\"title\":\"$(json_esc "${chapter_titles[i]}")\"}"
			sep=","
		done
		json+=$'\n]}'
		printf '%s\n' "$json" >"$work/$name.chapters.json"
	fi

	LENGTH[$name]=$(stat -c %s "$work/$name.mp3")
	DURATION[$name]=$(duration_of "$duration")
	DESC[$name]=$(xml_esc "$desc")
	CONTENT[$name]=$content
}

for ep in $EPISODES; do
	make_episode "$ep"
done

# The feed: fill @LENGTH:x@, @DURATION:x@, @DESCRIPTION:x@, @CONTENT:x@.
feed=$(<"$src/demo.xml.in")
for ep in $EPISODES; do
	feed=${feed//"@LENGTH:$ep@"/"${LENGTH[$ep]}"}
	feed=${feed//"@DURATION:$ep@"/"${DURATION[$ep]}"}
	feed=${feed//"@DESCRIPTION:$ep@"/"${DESC[$ep]}"}
	feed=${feed//"@CONTENT:$ep@"/"${CONTENT[$ep]}"}
done
case $feed in
*@LENGTH:* | *@DURATION:* | *@DESCRIPTION:* | *@CONTENT:*)
	die "$src/demo.xml.in: a placeholder names no episode" ;;
esac
printf '%s\n' "$feed" >"$work/demo.xml"

# Move into place only when everything was made.
for f in "$work"/*.mp3 "$work"/*.vtt "$work"/*.srt "$work"/*.json "$work/demo.xml"; do
	mv -f "$f" "$out/"
done
