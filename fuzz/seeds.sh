#!/bin/bash
# fuzz/seeds.sh - assemble the seed corpus of one fuzz target.
#
# usage: seeds.sh TARGET OUTDIR
#
# Copies into OUTDIR (created) the inputs that fit TARGET from three places:
# the small hand-written seeds in $top_srcdir/fuzz/seeds/TARGET/, files the
# build makes ($top_builddir/data/demo, tests/fixtures/mkid3 for ID3 tags)
# and the shared real-file corpus $HARK_CORPUS (never copied into the
# repository: only into OUTDIR, at run time). Missing sources are skipped;
# prints the number of seeds. Exit 1 on a usage error or unknown target.
set -u

target=${1:-}
out=${2:-}
if [ -z "$target" ] || [ -z "$out" ]; then
	echo "usage: seeds.sh TARGET OUTDIR" >&2
	exit 1
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${HARK_CORPUS:=}"
if [ -z "$HARK_CORPUS" ]; then
	for d in "$top_srcdir/../shared/corpus" /work/shared/corpus; do
		[ -d "$d" ] && HARK_CORPUS=$d && break
	done
fi
corpus=$HARK_CORPUS
demo=$top_builddir/data/demo
mkdir -p "$out" || exit 1
n=0

# add FILE... - copy each existing regular file, named by a counter and its base name.
add() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		cp "$f" "$out/$(printf %04d $n)-$(basename "$f")"
	done
}

# add_find DIR FIND-ARGS... - add the files find lists under DIR.
add_find() {
	local dir=$1 f
	shift
	[ -d "$dir" ] || return 0
	while IFS= read -r -d '' f; do
		add "$f"
	done < <(find "$dir" -type f "$@" -print0 | sort -z)
}

# add_tag MP3 - the ID3v2 tag at the front of MP3 (at most 64 KiB of it).
add_tag() {
	local f=$1 b size
	[ -f "$f" ] || return 0
	b=$(head -c 10 "$f" | od -An -tu1 | tr -s ' \n' ' ')
	read -r -a h <<<"$b"
	[ "${#h[@]}" -eq 10 ] || return 0
	size=$(((h[6] << 21 | h[7] << 14 | h[8] << 7 | h[9]) + 10))
	[ "$size" -gt 65536 ] && size=65536
	n=$((n + 1))
	head -c "$size" "$f" >"$out/$(printf %04d $n)-$(basename "$f").tag"
}

add_find "$top_srcdir/fuzz/seeds/$target"
case $target in
feed)
	add_find "$corpus/feeds" -size -256k
	add "$demo/demo.xml" "$top_srcdir/data/demo/demo.xml.in"
	;;
html)
	add "$corpus/transcripts/podcastindex-example.html" "$top_srcdir"/data/demo/*.txt
	# descriptions as feeds carry them: the text of <description> elements
	for f in "$corpus"/feeds/*.xml; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		sed -n 's/.*<description>\(.*\)<\/description>.*/\1/p' "$f" | head -c 8192 \
			>"$out/$(printf %04d $n)-desc-$(basename "$f")"
	done
	;;
opml)
	add_find "$corpus/opml"
	;;
vtt)
	add_find "$corpus/webvtt" -name '*.vtt'
	add "$corpus/transcripts/podcastindex-example.vtt" "$demo"/*.vtt
	;;
srt)
	add "$corpus/transcripts/podcastindex-example.srt" "$demo"/*.srt
	;;
transcript_json)
	add "$corpus/transcripts/podcastindex-example.json"
	for f in "$demo"/*.json; do
		case $f in *chapters*) ;; *) add "$f" ;; esac
	done
	;;
transcript_any)
	add_find "$corpus/transcripts"
	add "$demo"/*.vtt "$demo"/*.srt "$top_srcdir"/data/demo/*.txt
	;;
chapters_json)
	add "$corpus"/chapters/*.json "$demo"/*chapters*.json
	;;
id3)
	for f in "$corpus"/chapters/*.mp3; do add_tag "$f"; done
	mkid3=$top_builddir/tests/fixtures/mkid3
	if [ -x "$mkid3" ]; then
		: >"$out/empty.mp3"
		n=$((n + 1))
		"$mkid3" -t "Fuzz title" -a "Artist" -C 0,1000,One,https://example.com/1 \
			-C 1000,2500,Two "$out/empty.mp3" "$out/$(printf %04d $n)-mkid3.tag" >/dev/null 2>&1 ||
			rm -f "$out/$(printf %04d $n)-mkid3.tag"
		n=$((n + 1))
		"$mkid3" -c 4x4 -C 0,500,A "$out/empty.mp3" "$out/$(printf %04d $n)-mkid3c.tag" \
			>/dev/null 2>&1 || rm -f "$out/$(printf %04d $n)-mkid3c.tag"
		rm -f "$out/empty.mp3"
	fi
	;;
config)
	add "$top_srcdir/data/hark.conf"
	;;
datetime)
	# every date and duration the corpus feeds hold, one per seed
	if [ -d "$corpus/feeds" ]; then
		while IFS= read -r v; do
			n=$((n + 1))
			printf '%s' "$v" >"$out/$(printf %04d $n)-value"
		done < <(grep -rhoE '<(pubDate|dc:date|published|updated|itunes:duration|lastBuildDate)>[^<]{1,80}' \
			"$corpus/feeds" 2>/dev/null | sed 's/^<[^>]*>//' | sort -u | head -300)
	fi
	;;
*)
	echo "seeds.sh: unknown target $target" >&2
	exit 1
	;;
esac
find "$out" -type f | wc -l
