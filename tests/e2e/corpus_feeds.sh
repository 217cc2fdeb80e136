#!/bin/bash
# corpus_feeds.sh - `hark parse --json` over every real feed in the shared
# corpus: each file either parses into valid JSON (exit 0) or fails with one
# "hark: ..." line (exit 2); never a crash or a sanitizer report. Then spot
# checks of real values, and the "Expect:" comments of the feedparser test
# files (wellformed/itunes, psc, rss, atom10) turned into assertions where
# they map onto hark's JSON.
. "$top_srcdir/tests/lib/common.sh"

JSONQ="$top_builddir/tests/jsonq"
FEEDS="${HARK_CORPUS:-}/feeds"
need_file "$FEEDS" "$JSONQ" "$HARK"

out="$TEST_TMPDIR/out.json"
errf="$TEST_TMPDIR/err.txt"

# parse FILE: run hark parse --json into $out/$errf, sets prc.
parse() {
	"$HARK" parse "$1" --json >"$out" 2>"$errf"
	prc=$?
}

# q PATH...: values from the last parse's JSON.
q() {
	"$JSONQ" "$out" "$@"
}

# ---- 1. every file parses or fails cleanly ----
n_ok=0
n_fail=0
while IFS= read -r -d '' f; do
	rel=${f#"$FEEDS"/}
	parse "$f"
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation' "$errf"; then
		fail "$rel: no sanitizer report" "$(head -c 2000 "$errf")"
	elif [ "$prc" -eq 0 ]; then
		if "$JSONQ" "$out" >/dev/null 2>"$TEST_TMPDIR/jq.err" && [ "$(q .episodes)" != "<missing>" ]; then
			pass "$rel: valid JSON"
			n_ok=$((n_ok + 1))
		else
			fail "$rel: valid JSON" "$(cat "$TEST_TMPDIR/jq.err")"
		fi
	elif [ "$prc" -eq 2 ]; then
		if [ "$(wc -l <"$errf")" -eq 1 ] && grep -qE '^hark: .+: .+' "$errf"; then
			pass "$rel: clear error ($(cut -c1-100 "$errf"))"
			n_fail=$((n_fail + 1))
		else
			fail "$rel: clear error" "$(head -c 2000 "$errf")"
		fi
	else
		fail "$rel: exit 0 or 2" "exit $prc: $(head -c 2000 "$errf")"
	fi
done < <(find "$FEEDS" -type f -print0 | sort -z)
diag "$n_ok parsed, $n_fail rejected"
ok $((n_ok >= 400 ? 0 : 1)) "most of the corpus parses ($n_ok)"

# ---- 2. spot checks of real values ----
parse "$FEEDS/podcastindex-example.xml"
is "$prc" 0 "podcastindex-example parses"
is "$(q .title)" "Podcasting 2.0 Namespace Example" "podcastindex: title"
is "$(q .podcast_guid)" "y0ur-gu1d-g035-h3r3" "podcastindex: podcast:guid"
is "$(q .funding.0.url)" "https://example.com/donate" "podcastindex: funding url"
is "$(q .episodes)" "[3]" "podcastindex: three episodes"
is "$(q .episodes.0.transcripts)" "[2]" "podcastindex: ep3 has two transcripts"
is "$(q .episodes.0.transcripts.0.url)" "https://example.com/ep3/transcript.txt" "podcastindex: transcript url"
is "$(q .episodes.0.transcripts.0.type)" "text/plain" "podcastindex: transcript type"
is "$(q .episodes.0.transcripts.1.type)" "text/vtt" "podcastindex: second transcript type"
is "$(q .episodes.0.transcripts.1.language)" "es" "podcastindex: transcript language"
is "$(q .episodes.0.transcripts.1.rel)" "captions" "podcastindex: transcript rel"
is "$(q .episodes.0.chapters_url)" "https://example.com/ep3_chapters.json" "podcastindex: chapters url"
is "$(q .episodes.0.chapters_type)" "application/json" "podcastindex: chapters type"
is "$(q .episodes.0.season .episodes.0.episode)" "1
3" "podcastindex: season and episode"
is "$(q .episodes.0.published)" "2020-10-09T04:30:38Z" "podcastindex: published in UTC"
is "$(q .episodes.0.enclosure.length)" "43200000" "podcastindex: enclosure length"
is "$(q .episodes.0.persons)" "[3]" "podcastindex: persons"

parse "$FEEDS/antennapod-feed-rss-testPodcastIndexTranscript.xml"
is "$prc" 0 "antennapod transcript feed parses"
like "$(q .episodes.0.transcripts.0.url)" '^https?://' "antennapod: transcript url"
like "$(q .episodes.0.transcripts.0.type)" '.+/.+' "antennapod: transcript type"

parse "$FEEDS/antennapod-feed-rss-testMultipleFundingTags.xml"
is "$prc" 0 "antennapod funding feed parses"
like "$(q .funding)" '^\[[2-9]\]$' "antennapod: several funding tags"

parse "$FEEDS/antennapod-feed-rss-testMediaContentMime.xml"
is "$prc" 0 "antennapod media:content feed parses"
like "$(q .episodes.0.enclosure.url)" '^https?://' "antennapod: media:content enclosure"

parse "$FEEDS/castero-broken_is_rss.xml"
is "$prc" 2 "castero: a non-feed root fails"
like "$(cat "$errf")" 'not an RSS or Atom feed' "castero: the error says why"
parse "$FEEDS/castero-broken_extra_description.xml"
is "$(q .description)" "myfeed description" "castero: several descriptions, the first"
parse "$FEEDS/castero-broken_item_title.xml"
is "$(q .episodes.1.title)" "null" "castero: missing item title is null"
parse "$FEEDS/castero-valid_two_channels.xml"
is "$(q .episodes)" "[3]" "castero: items of both channels"
parse "$FEEDS/newsboat-items_without_titles.xml"
is "$prc" 0 "newsboat: items without titles parse"

parse "$FEEDS/feedparser/illformed/chardet/koi8r.xml"
is "$prc" 0 "chardet koi8r parses"
"$JSONQ" "$out" >/dev/null
ok $? "chardet koi8r: valid JSON (UTF-8)"
for enc in big5 eucjp euckr gb2312 koi8r shiftjis tis620 windows1255; do
	parse "$FEEDS/feedparser/illformed/chardet/$enc.xml"
	t=$(q .title .episodes.0.title .description .episodes.0.description | tr -d '\n')
	like "$t" '[^ -~]' "chardet $enc: non-ASCII text decoded"
done
parse "$FEEDS/feedparser/illformed/rss_item_link_corrupted_ampersands.xml"
is "$(q .episodes.0.link)" "http://link/get?a=1&b=2" "feedparser: corrupted ampersands in a link"

# ---- 3. feedparser Expect: comments ----
# timedelta(D, S[, US]) -> seconds as jsonq prints them.
td_secs() {
	local d=$1 s=$2 us=${3:-0} t
	t=$((d * 86400 + s))
	if [ "$us" -eq 0 ]; then
		echo "$t"
	else
		printf '%d.%06d\n' "$t" "$us" | sed -E 's/0+$//'
	fi
}

# "3:00" -> 180 ("itunes_duration" is kept raw by feedparser).
clock_secs() {
	local IFS=: a
	read -r -a a <<<"$1"
	case ${#a[@]} in
	1) echo "$((10#${a[0]}))" ;;
	2) echo "$((10#${a[0]} * 60 + 10#${a[1]}))" ;;
	3) echo "$((10#${a[0]} * 3600 + 10#${a[1]} * 60 + 10#${a[2]}))" ;;
	esac
}

# map DIR SCOPE KEY -> hark path and a kind (str, bool, tri, dur, secs); empty
# when the key has no counterpart in hark's JSON.
map_key() {
	local dir=$1 scope=$2 key=$3 p=""
	kind=str
	case "$key" in
	title | title_detail.value) p=title kind=text ;;
	link) p=link ;;
	language) [ "$scope" = feed ] && p=language ;;
	id) [ "$scope" != feed ] && p=guid ;;
	image.href) p=image ;;
	itunes_block) p=block kind=bool ;;
	itunes_explicit) p=explicit kind=tri ;;
	itunes_duration) [ "$scope" != feed ] && p=duration kind=dur ;;
	subtitle | subtitle_detail.value)
		kind=text
		if [ "$dir" = itunes ]; then p=subtitle; elif [ "$scope" = feed ]; then p=description; fi ;;
	description | summary) p=description kind=text ;;
	content.0.value) [ "$dir" = atom10 ] && p=description kind=text ;;
	guid) [ "$scope" != feed ] && p=guid ;;
	author) p=author ;;
	published_parsed | updated_parsed | date_parsed) [ "$scope" != feed ] && p=published kind=tm ;;
	enclosures.0.href) p=enclosure.url ;;
	enclosures.0.type) p=enclosure.type ;;
	enclosures.0.length) p=enclosure.length ;;
	psc_chapters.chapters.[0-9]*.title | psc_chapters.chapters.[0-9]*.href | psc_chapters.chapters.[0-9]*.image)
		p=${key#psc_chapters.chapters.}
		p="psc_chapters.${p%%.*}.${p#*.}" ;;
	psc_chapters.chapters.[0-9]*.start_parsed)
		p=${key#psc_chapters.chapters.}
		p="psc_chapters.${p%%.*}.start" kind=secs ;;
	esac
	if [ -n "$p" ] && [ "$scope" != feed ]; then
		p="episodes.$scope.$p"
	fi
	mapped=$p
}

# Where hark deliberately differs from feedparser: FILE PATH VALUE and why.
#  - itunes:block / itunes:explicit: hark trims and ignores case and takes
#    "true" (podcast hosts write "Yes", "true", " yes "); feedparser only
#    takes exactly "yes".
#  - Atom summary and content: hark keeps the richest (longest) text.
declare -A override=(
	["itunes_channel_block_true.xml .block"]=true
	["itunes_channel_block_uppercase.xml .block"]=true
	["itunes_channel_block_whitespace.xml .block"]=true
	["itunes_item_block_true.xml .episodes.0.block"]=true
	["itunes_item_block_uppercase.xml .episodes.0.block"]=true
	["itunes_item_block_whitespace.xml .episodes.0.block"]=true
	["itunes_channel_explicit_uppercase.xml .explicit"]=true
	["itunes_channel_explicit_whitespace.xml .explicit"]=true
	["itunes_item_explicit_uppercase.xml .episodes.0.explicit"]=true
	["itunes_item_explicit_whitespace.xml .episodes.0.explicit"]=true
	["entry_content_and_summary.xml .episodes.0.description"]="Example Atom"
)
# A local feed's relative references resolve against its folder.
override["atomsimplechapter.xml .episodes.0.psc_chapters.0.image"]="$(cd "$FEEDS/feedparser/wellformed/psc" && pwd -P)/testimage"

n_checked=0
n_files=0
n_skipped=0
re_clause="^(feed|entries\[([0-9]+)\])((\[('[^']*'|[0-9]+)\])+) (==|is) (.+)$"
for dir in itunes psc rss atom10; do
	for f in "$FEEDS/feedparser/wellformed/$dir"/*; do
		[ -f "$f" ] || continue
		expect=$(sed -n 's/^[[:space:]]*Expect:[[:space:]]*//p' "$f" | head -1)
		expect=${expect#not bozo and }
		[ -n "$expect" ] || continue
		# Split on " and "; every clause must be understood, else skip the file.
		clauses=()
		rest=$expect
		while [[ "$rest" == *" and "* ]]; do
			clauses+=("${rest%% and *}")
			rest=${rest#* and }
		done
		clauses+=("$rest")
		checks=()
		good=1
		for c in "${clauses[@]}"; do
			if [[ "$c" == \(* ]]; then
				c=${c#(}
				c=${c%)}
			fi
			if ! [[ "$c" =~ $re_clause ]]; then
				good=0
				break
			fi
			scope=feed
			[ "${BASH_REMATCH[1]}" = feed ] || scope=${BASH_REMATCH[2]}
			key=$(sed -E "s/\['([^']*)'\]/.\1/g; s/\[([0-9]+)\]/.\1/g; s/^\.//" <<<"${BASH_REMATCH[3]}")
			op=${BASH_REMATCH[6]}
			val=${BASH_REMATCH[7]}
			map_key "$dir" "$scope" "$key"
			if [ -z "$mapped" ]; then
				good=0
				break
			fi
			want=""
			case "$kind:$op:$val" in
			bool:==:1 | bool:is:True | tri:==:1 | tri:is:True) want=true ;;
			bool:==:0 | bool:is:False | tri:==:0 | tri:is:False) want=false ;;
			tri:is:None) want=null ;;
			dur:==:\'*\')
				v=${val#\'}
				v=${v%\'}
				[[ "$v" =~ ^[0-9:]+$ ]] && want=$(clock_secs "$v") ;;
			secs:==:datetime.timedelta*)
				if [[ "$val" =~ ^datetime\.timedelta\(([0-9]+),\ ?([0-9]+)(,\ ?([0-9]+))?\)$ ]]; then
					want=$(td_secs "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[4]:-0}")
				fi ;;
			tm:==:\(*\))
				if [[ "$val" =~ ^\(([0-9]+),\ ([0-9]+),\ ([0-9]+),\ ([0-9]+),\ ([0-9]+),\ ([0-9]+), ]]; then
					want=$(printf '%04d-%02d-%02dT%02d:%02d:%02dZ' "${BASH_REMATCH[@]:1:6}")
				fi ;;
			str:==:\'*\' | text:==:\'*\')
				v=${val#\'}
				v=${v%\'}
				# Python escapes, or HTML that hark turns into text: not comparable.
				if [[ "$v" != *\\* && "$v" != *\'* ]] && { [ "$kind" = str ] || [[ "$v" != *[\<\&]* ]]; }; then
					want=$v
				fi ;;
			esac
			if [ -z "$want" ]; then
				good=0
				break
			fi
			checks+=("$mapped"$'\t'"$want")
		done
		if [ "$good" = 0 ]; then
			n_skipped=$((n_skipped + 1))
			continue
		fi
		parse "$f"
		n_files=$((n_files + 1))
		for ch in "${checks[@]}"; do
			p=${ch%%$'\t'*}
			want=${ch#*$'\t'}
			o="$(basename "$f") .$p"
			if [ -n "${override[$o]+x}" ]; then
				want=${override[$o]}
			fi
			is "$(q ".$p")" "$want" "feedparser ${dir}/$(basename "$f"): .$p"
			n_checked=$((n_checked + 1))
		done
	done
done
diag "feedparser: $n_checked assertions from $n_files files, $n_skipped files not mappable"
ok $((n_checked >= 100 ? 0 : 1)) "feedparser expectations checked ($n_checked)"

done_testing
