#!/bin/bash
# fixtures.sh - check what data/demo/make-demo.sh and tests/fixtures/gen.sh
# made: exact durations, formats, the big ID3 tag, the transcripts and the
# demo feed (docs/internals/demo.md says what each should be).
. "$top_srcdir/tests/lib/common.sh"
set -u

demo=${HARK_DATADIR:-$top_builddir/data}/demo
fx=$(fixtures_dir)
names="cbr128 vbr_xing vbr_noxing mono22k s48k bigid3 truncated short1 short2 short3
freeformat mono8k id3_2m"

need mpg123 xmllint od cmp awk
need_file "$demo/demo.xml" "$demo/in-the-news.mp3" "$fx/fixtures.txt"

# bytes FILE OFFSET COUNT: the bytes as decimal numbers, one line.
bytes() {
	od -An -v -tu1 -j "$2" -N "$3" "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# samples FILE CHANNELS: what mpg123 decodes, in sample frames.
samples() {
	echo $(($(mpg123 -q -s "$1" | wc -c) / (2 * $2)))
}

# within A B TOL: |A - B| <= TOL.
within() {
	local d=$(($1 - $2))
	[ ${d#-} -le "$3" ]
}

# The decoder's one-line summary of the first frame, e.g.
# "MPEG 1.0 L III cbr128 44100 j-s".
format_line() {
	mpg123 -t -n 1 -v "$1" 2>&1 | grep -m1 '^MPEG'
}

# frames FILE OFFSET COUNT: "bitrate:length" of COUNT MPEG-1/2 layer III
# frame headers walked from OFFSET, one per line; stops at a bad header.
frames() {
	local f=$1 off=$2 count=$3 i b0 b1 b2 b3 ver br sr pad len
	local -a br1=(0 32 40 48 56 64 80 96 112 128 160 192 224 256 320)
	local -a br2=(0 8 16 24 32 40 48 56 64 80 96 112 128 144 160)
	local -a sr1=(44100 48000 32000) sr2=(22050 24000 16000)
	for ((i = 0; i < count; i++)); do
		read -r b0 b1 b2 b3 <<<"$(bytes "$f" "$off" 4)"
		[ "${b0:-0}" = 255 ] && [ $((b1 & 0xe0)) = 224 ] || return 0
		ver=$(((b1 >> 3) & 3)) # 3 = MPEG-1, 2 = MPEG-2
		[ $(((b2 >> 4) & 15)) -gt 0 ] && [ $(((b2 >> 4) & 15)) -lt 15 ] || return 0
		pad=$(((b2 >> 1) & 1))
		if [ $ver = 3 ]; then
			br=${br1[(b2 >> 4) & 15]}
			sr=${sr1[(b2 >> 2) & 3]}
			len=$((144000 * br / sr + pad))
		else
			br=${br2[(b2 >> 4) & 15]}
			sr=${sr2[(b2 >> 2) & 3]}
			len=$((72000 * br / sr + pad))
		fi
		echo "$br:$len"
		off=$((off + len))
	done
}

# The ID3v2 tag size at the front of FILE (0 without one).
id3_size() {
	local h
	read -r -a h <<<"$(bytes "$1" 0 10)"
	if [ "${h[0]}" != 73 ] || [ "${h[1]}" != 68 ] || [ "${h[2]}" != 51 ]; then
		echo 0
		return
	fi
	echo $(((h[6] << 21 | h[7] << 14 | h[8] << 7 | h[9]) + 10))
}

# id3_frames FILE START END: "ID size" of the ID3v2.4 frames in [START, END).
id3_frames() {
	local f=$1 off=$2 end=$3 h id size
	while [ $((off + 10)) -le "$end" ]; do
		read -r -a h <<<"$(bytes "$f" "$off" 10)"
		[ "${h[0]}" != 0 ] || return 0
		id=$(printf "\\$(printf %03o "${h[0]}")\\$(printf %03o "${h[1]}")\\$(printf %03o "${h[2]}")\\$(printf %03o "${h[3]}")")
		size=$((h[4] << 21 | h[5] << 14 | h[6] << 7 | h[7]))
		echo "$id $size $((off + 10))"
		off=$((off + 10 + size))
	done
}

# vtt_times FILE: "start end" in milliseconds per cue (also reads SRT).
cue_times() {
	sed -n 's/^\([0-9:.,]*\) --> \([0-9:.,]*\).*/\1 \2/p' "$1" | tr , . |
		awk '{ for (i = 1; i <= 2; i++) { split($i, t, /[:.]/);
			printf "%d%s", ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4], i == 1 ? " " : "\n" } }'
}

### The demo feed ######################################################

check "demo.xml is well-formed XML" xmllint --noout "$demo/demo.xml"

xp() {
	xmllint --xpath "$1" "$demo/demo.xml" 2>/dev/null
}
main='//item[1]'
is "$(xp "string(//channel/title)")" "In the News" "podcast title"
is "$(xp "string(//channel/*[local-name()='author'])")" "The Irish Times" "podcast author"
is "$(xp "string($main/title)")" "US-Russia talks: Why push for peace in Ukraine is failing" \
	"main episode title"
is "$(xp "string($main/*[local-name()='duration'])")" "25:43" "main episode itunes:duration"
is "$(xp "string($main/*[local-name()='subtitle'])")" \
	"Ukraine and Russia remain far apart on territory, frozen assets and justice for war crimes" \
	"main episode subtitle"
is "$(xp "count(//item)")" 4 "four episodes"

urls=$(xp "//*[local-name()='enclosure' or local-name()='transcript' or local-name()='chapters']/@url" |
	sed 's/ *url="\([^"]*\)"/\1\n/g' | sed '/^$/d')
missing=""
absolute=""
for u in $urls; do
	case $u in /* | *://*) absolute+=" $u" ;; esac
	[ -f "$demo/$u" ] || missing+=" $u"
done
is "$(echo "$urls" | wc -l)" 9 "the feed links 4 enclosures, 4 transcripts and 1 chapters file"
is "$absolute" "" "every link is relative"
is "$missing" "" "every linked file exists next to demo.xml"

bad=""
for i in 1 2 3 4; do
	u=$(xp "string(//item[$i]/enclosure/@url)")
	[ "$(xp "string(//item[$i]/enclosure/@length)")" = "$(stat -c %s "$demo/$u")" ] || bad+=" $u"
done
is "$bad" "" "enclosure lengths are the file sizes"

is "$(xp "string($main/*[local-name()='transcript'][@type='text/vtt']/@url)")" "in-the-news.vtt" \
	"podcast:transcript text/vtt"
is "$(xp "string($main/*[local-name()='transcript'][@type='application/x-subrip']/@url)")" \
	"in-the-news.srt" "podcast:transcript application/x-subrip"
is "$(xp "string($main/*[local-name()='transcript'][@type='application/json']/@url)")" \
	"in-the-news.json" "podcast:transcript application/json"
is "$(xp "string($main/*[local-name()='chapters'][@type='application/json+chapters']/@url)")" \
	"in-the-news.chapters.json" "podcast:chapters"

# The description is the show notes, verbatim: the same as the script's
# sentences, and the same as the seed file the demo was written from.
desc=$(xp "string($main/description)")
script_desc=$(grep -v '^[#@]' "$top_srcdir/data/demo/in-the-news.txt" |
	awk '/^$/ { if (p != "") print p; print ""; p = ""; next }
	     { p = (p == "" ? $0 : p " " $0) } END { if (p != "") print p }')
is "$desc" "$script_desc" "description = the sentences make-demo.sh spoke"
like "$desc" "Moscow’s favour" "description keeps the curly apostrophe"
like "$desc" "The talks – with the US" "description keeps the en dash"
is "$(printf '%s\n' "$desc" | grep -c '^$')" 6 "description keeps its 7 paragraphs"
seed=${HARK_SEED:-${HARK_CORPUS:-$top_srcdir/../shared/corpus}/../demo/seed-episode.txt}
if [ -f "$seed" ]; then
	seed_desc=$(awk '/^description:/ { f = 1; next } /^host-bio:/ { f = 0 } f' "$seed" |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')
	is "$desc" "$seed_desc" "description = the seed file's show notes, verbatim"
else
	skip "description = the seed file's show notes" "no $seed"
fi
content=$(xp "string($main/*[local-name()='encoded'])")
is "$(printf '%s\n' "$content" | sed 's/^<p>//; s/<\/p>$//' | awk 'NR > 1 { print "" } { print }')" \
	"$desc" "content:encoded holds the same paragraphs as <p>"

### The demo audio #####################################################

n=$(samples "$demo/in-the-news.mp3" 2)
check "main episode decodes to 1543 s at 44100 Hz (got $n samples) +-1 frame" \
	within "$n" $((1543 * 44100)) 1152
like "$(format_line "$demo/in-the-news.mp3")" "cbr128 44100 (j-s|stereo)" \
	"main episode is CBR 128k, 44.1 kHz stereo"
for i in 2 3 4; do
	u=$(xp "string(//item[$i]/enclosure/@url)")
	d=$(xp "string(//item[$i]/*[local-name()='duration'])")
	secs=$((${d%%:*} * 60 + 10#${d#*:}))
	n=$(samples "$demo/$u" 2)
	check "$u decodes to its itunes:duration $d (got $n samples) +-1 frame" \
		within "$n" $((secs * 44100)) 1152
	check "$u is 20-40 s long" test "$secs" -ge 20 -a "$secs" -le 40
done

### The demo transcripts and chapters ##################################

vtt=$demo/in-the-news.vtt
is "$(head -n 1 "$vtt")" "WEBVTT" "VTT starts with WEBVTT"
mapfile -t vt < <(cue_times "$vtt")
mapfile -t st < <(cue_times "$demo/in-the-news.srt")
mapfile -t jt < <(grep -o '"startTime":[0-9.]*,"endTime":[0-9.]*' "$demo/in-the-news.json" |
	awk -F'[:,]' '{ printf "%d %d\n", $2 * 1000 + 0.5, $4 * 1000 + 0.5 }')
check "VTT has cues (${#vt[@]})" test "${#vt[@]}" -ge 10
is "${#st[@]}" "${#vt[@]}" "SRT has as many cues as VTT"
is "${#jt[@]}" "${#vt[@]}" "JSON has as many segments as VTT"
is "${st[*]}" "${vt[*]}" "SRT cue times = VTT cue times"
is "${jt[*]}" "${vt[*]}" "JSON segment times = VTT cue times"
order=ok
prev=0
for c in "${vt[@]}"; do
	read -r s e <<<"$c"
	if [ "$s" -lt "$prev" ] || [ "$e" -le "$s" ]; then
		order="cue $c after end $prev"
		break
	fi
	prev=$e
done
is "$order" ok "VTT cues are in order, each ends after it starts"
check "the last cue ends before 1543 s ($prev ms)" test "$prev" -lt 1543000
vbody=$(grep '^<v ' "$vtt" | sed 's/^<v [^>]*>//')
sbody=$(awk 'BEGIN { RS = ""; FS = "\n" } { print $3 }' "$demo/in-the-news.srt")
jbody=$(sed -n 's/.*"body":"\(.*\)"}.*/\1/p' "$demo/in-the-news.json")
is "$sbody" "$vbody" "SRT text = VTT text"
is "$jbody" "$vbody" "JSON text = VTT text"
is "$(printf '%s\n' "$vbody" | head -n 1)" "$(xp "string($main/title)")" "the first cue is the title"
is "$(grep -c '^<v Narrator>' "$vtt")" "${#vt[@]}" "every VTT cue names its speaker"
like "$(head -c 200 "$demo/in-the-news.json")" '"version":"1.0.0"' "JSON transcript version"
like "$(grep -o '"speaker":"[^"]*"' "$demo/in-the-news.json" | sort -u)" '^"speaker":"Narrator"$' \
	"JSON segments name the speaker"

ch=$demo/in-the-news.chapters.json
like "$(cat "$ch")" '"version":"1.2.0"' "chapters JSON version 1.2.0"
mapfile -t cs < <(grep -o '"startTime":[0-9.]*' "$ch" | awk -F: '{ printf "%d\n", $2 * 1000 + 0.5 }')
check "at least 4 chapters (${#cs[@]})" test "${#cs[@]}" -ge 4
is "${cs[0]:-}" 0 "the first chapter starts at 0"
starts=" $(printf '%s\n' "${vt[@]}" | awk '{ print $1 }' | tr '\n' ' ')"
bad=""
prev=-1
for c in "${cs[@]:1}"; do
	case $starts in *" $c "*) ;; *) bad+=" $c(not a cue start)" ;; esac
	[ "$c" -gt "$prev" ] || bad+=" $c(out of order)"
	prev=$c
done
is "$bad" "" "every later chapter starts where a sentence starts, in order"
like "$(cat "$ch")" '"title":"Zelenskiy at home"' "chapter titles"

### The test fixtures ##################################################

declare -A rate chans nsamp
while read -r name r c s _; do
	case $name in '#'* | '') continue ;; esac
	rate[$name]=$r
	chans[$name]=$c
	nsamp[$name]=$s
done <"$fx/fixtures.txt"
is "$(printf '%s\n' "${!rate[@]}" | sort | tr '\n' ' ')" \
	"$(printf '%s\n' $names | sort | tr '\n' ' ')" "fixtures.txt lists every fixture"

for name in $names; do
	f=$fx/$name.mp3
	if [ ! -f "$f" ] || [ ! -f "$fx/$name.ref" ]; then
		fail "$name.mp3 and $name.ref exist"
		continue
	fi
	mpg123 -q -s "$f" >"$TEST_TMPDIR/dec.raw"
	check "$name.ref is what mpg123 decodes now" cmp -s "$TEST_TMPDIR/dec.raw" "$fx/$name.ref"
	is "$(($(stat -c %s "$fx/$name.ref") / (2 * chans[$name])))" "${nsamp[$name]}" \
		"$name: the manifest's sample count"
	fl=$(format_line "$f")
	if [ "${chans[$name]}" = 1 ]; then mode=mono; else mode='(j-s|stereo)'; fi
	like "$fl" " ${rate[$name]} $mode\$" "$name: ${rate[$name]} Hz, ${chans[$name]} channel(s) ($fl)"
done

# exact lengths: the Info tag makes the decoded length what was encoded
is "${nsamp[cbr128]}" $((60 * 44100)) "cbr128 is exactly 60 s"
is "${nsamp[vbr_xing]}" $((60 * 44100)) "vbr_xing is exactly 60 s"
is "${nsamp[bigid3]}" $((60 * 44100)) "bigid3 is exactly 60 s"
is "${nsamp[mono22k]}" $((30 * 22050)) "mono22k is exactly 30 s"
is "${nsamp[s48k]}" $((30 * 48000)) "s48k is exactly 30 s"
for i in 1 2 3; do
	is "${nsamp[short$i]}" $((4 * 44100)) "short$i is exactly 4 s"
done
# without the Info tag nothing tells mpg123 to trim the encoder delay
check "vbr_noxing is 60 s plus the untrimmed encoder delay (${nsamp[vbr_noxing]})" \
	test "${nsamp[vbr_noxing]}" -gt $((60 * 44100)) -a "${nsamp[vbr_noxing]}" -lt $((60 * 44100 + 3 * 1152))

# CBR and VBR, seen in the frame headers
distinct() {
	frames "$1" "$2" 40 | cut -d: -f1 | sort -u | tr '\n' ' '
}
is "$(distinct "$fx/cbr128.mp3" 0)" "128 " "cbr128: every frame is 128 kbit/s"
is "$(distinct "$fx/short1.mp3" 0)" "128 " "short1: every frame is 128 kbit/s"
is "$(distinct "$fx/mono22k.mp3" 0)" "64 " "mono22k: every frame is 64 kbit/s"
check "vbr_xing: the bit rate varies ($(distinct "$fx/vbr_xing.mp3" 0))" \
	test "$(distinct "$fx/vbr_xing.mp3" 0 | wc -w)" -gt 2
check "vbr_noxing: the bit rate varies ($(distinct "$fx/vbr_noxing.mp3" 0))" \
	test "$(distinct "$fx/vbr_noxing.mp3" 0 | wc -w)" -gt 2
first_frame() {
	local len
	len=$(frames "$1" "$2" 1 | cut -d: -f2)
	dd if="$1" bs=1 skip="$2" count="${len:-0}" 2>/dev/null | tr -c 'A-Za-z' ' '
}
like "$(first_frame "$fx/vbr_xing.mp3" 0)" 'Xing|Info' "vbr_xing: Xing/Info header in the first frame"
check "vbr_noxing: no Xing/Info header" \
	bash -c "! head -c 4096 '$fx/vbr_noxing.mp3' | grep -aq -e Xing -e Info"
like "$(first_frame "$fx/cbr128.mp3" 0)" 'Info' "cbr128: Info header (gapless) in the first frame"
like "$(bytes "$fx/mono22k.mp3" 1 1)" '^(243|242)$' "mono22k: MPEG-2 layer III frame header"
is "$(($(bytes "$fx/mono22k.mp3" 3 1) >> 6))" 3 "mono22k: channel mode bits say mono"

# the big tag
big=$fx/bigid3.mp3
tag=$(id3_size "$big")
check "bigid3: ID3v2 tag of $tag bytes (>= 500000)" test "$tag" -ge 500000
like "$(bytes "$big" 3 2)" '^(3|4) 0$' "bigid3: ID3v2.3 or 2.4 header"
like "$(bytes "$big" "$tag" 2)" '^255 (25[01]|24[89])$' "bigid3: an MPEG frame starts right after the tag"
fr=$(id3_frames "$big" 10 "$tag")
is "$(echo "$fr" | awk '{ print $1 }' | tr '\n' ' ')" "TIT2 TPE1 CTOC CHAP CHAP CHAP APIC " \
	"bigid3: frames TIT2 TPE1 CTOC CHAP*3 APIC"
apic=$(echo "$fr" | awk '$1 == "APIC" { print $2 }')
check "bigid3: APIC cover of $apic bytes (> 400000)" test "${apic:-0}" -gt 400000
apic_at=$(echo "$fr" | awk '$1 == "APIC" { print $3 }')
like "$(dd if="$big" bs=1 skip="$apic_at" count=22 2>/dev/null | tr -c 'A-Za-z/' ' ')" \
	'^ image/bmp  cover BM' "bigid3: APIC holds a front-cover BMP"
chaps=""
links=0
while read -r id size at; do
	[ "$id" = CHAP ] || continue
	# element id, start and end ms, two offsets, then sub-frames
	el=$(dd if="$big" bs=1 skip="$at" count=4 2>/dev/null | tr -d '\0')
	read -r -a t <<<"$(bytes "$big" $((at + 4)) 8)"
	sub=$(id3_frames "$big" $((at + 20)) $((at + size)) | awk '{ print $1 }' | tr '\n' ' ')
	chaps+="$el:$((t[0] << 24 | t[1] << 16 | t[2] << 8 | t[3]))-$((t[4] << 24 | t[5] << 16 | t[6] << 8 | t[7])):$sub"$'\n'
	case $sub in *WXXX*) links=$((links + 1)) ;; esac
done <<<"$fr"
is "$(printf '%s' "$chaps" | awk -F: '{ print $1 ":" $2 }' | tr '\n' ' ')" \
	"ch0:0-20000 ch1:20000-40000 ch2:40000-60000 " "bigid3: three CHAP frames with their times"
is "$(printf '%s' "$chaps" | grep -c ':TIT2')" 3 "bigid3: each CHAP has a TIT2 sub-frame"
is "$links" 1 "bigid3: one CHAP has a WXXX link"
check "bigid3 decodes like cbr128" cmp -s "$fx/bigid3.ref" "$fx/cbr128.ref"

# the truncated file
tsize=$(stat -c %s "$fx/truncated.mp3")
is "$tsize" 300001 "truncated.mp3 is 300001 bytes"
ends=" $(frames "$fx/cbr128.mp3" 0 800 | cut -d: -f2 | awk '{ s += $1; printf "%d ", s }')"
case $ends in *" $tsize "*) r=1 ;; *) r=0 ;; esac
ok $r "truncated.mp3 ends inside a frame"
check "truncated.ref is a prefix of cbr128.ref" \
	cmp -s -n "$(stat -c %s "$fx/truncated.ref")" "$fx/truncated.ref" "$fx/cbr128.ref"
check "truncated decodes to less than cbr128" test "${nsamp[truncated]}" -lt "${nsamp[cbr128]}" \
	-a "${nsamp[truncated]}" -gt 0

# stereo fixtures are not two copies of one channel
lr=$(od -An -v -td2 -w4 -j 400000 -N 40000 "$fx/cbr128.ref" | awk '$1 != $2 { d++ } END { print d + 0 }')
check "cbr128: left and right channels differ ($lr of 10000 frames)" test "$lr" -gt 1000

# the three short ones say different things
check "short1 and short2 differ" bash -c "! cmp -s '$fx/short1.ref' '$fx/short2.ref'"
check "short2 and short3 differ" bash -c "! cmp -s '$fx/short2.ref' '$fx/short3.ref'"

# same text, same bytes: make short2 again and compare
if command -v espeak-ng >/dev/null && command -v sox >/dev/null && command -v lame >/dev/null; then
	again=$(mk_temp again)
	MKID3=$top_builddir/tests/fixtures/mkid3 bash "$top_srcdir/tests/fixtures/gen.sh" \
		"$again" short2 mono22k >/dev/null 2>&1
	check "gen.sh is deterministic (short2.mp3 made again is the same bytes)" \
		cmp -s "$again/short2.mp3" "$fx/short2.mp3"
	check "gen.sh is deterministic (mono22k.mp3 made again is the same bytes)" \
		cmp -s "$again/mono22k.mp3" "$fx/mono22k.mp3"
else
	skip "gen.sh is deterministic" "espeak-ng, sox or lame missing"
fi

done_testing
