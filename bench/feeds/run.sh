#!/bin/bash
# run.sh - the feeds benchmark (not a test). Serves generated feeds from a
# private nginx on loopback and measures, in the same run and on the same
# feeds:
#   1. `hark add` of one 5,000-episode feed (~25 MB, long HTML descriptions)
#      next to `newsboat -x reload` of the same feed (wall time, peak RSS);
#   2. `hark update` of 100 subscribed, unchanged feeds (every answer a 304)
#      next to `newsboat -x reload` of the same 100 feeds.
# Each measurement is the median of RUNS (default 3) runs. Prints a Markdown
# table with the ratios. Use an optimised build without sanitizers:
#   ./configure && make && HARK=$PWD/hark bench/feeds/run.sh
# Environment: HARK (the binary), RUNS, EPISODES (5000), FEEDS (100).
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
export top_srcdir
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
RUNS=${RUNS:-3}
EPISODES=${EPISODES:-5000}
FEEDS=${FEEDS:-100}
need /usr/bin/time "$HARK"
if ldd "$HARK" | grep -q libasan; then
	echo "warning: $HARK is built with sanitizers; numbers will be meaningless" >&2
fi
have_newsboat=0
command -v newsboat >/dev/null 2>&1 && have_newsboat=1

doc=$(mk_temp doc)
"$here/gen-feed.sh" "$EPISODES" >"$doc/big.xml"
for ((i = 1; i <= FEEDS; i++)); do
	"$here/gen-feed.sh" 50 40 | sed "s|<title>Benchmark Broadcast</title>|<title>Small $i</title>|" \
		>"$doc/small$i.xml"
done
nginx_start "$doc"
size=$(stat -c %s "$doc/big.xml")

# measure OUT CMD... - run CMD under /usr/bin/time -v; append "wall-secs
# peak-kb cpu-secs" to OUT.
measure() {
	local out=$1 tv
	shift
	tv=$(mktemp "$TEST_TMPDIR/tv.XXXXXX")
	/usr/bin/time -v "$@" >"$tv.out" 2>"$tv" || {
		echo "failed: $* ($(tail -n 3 "$tv.out" "$tv"))" >&2
		return 1
	}
	awk '/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + t[i] }
		/Maximum resident set size/ { kb = $NF }
		/User time \(seconds\)/ { cpu += $NF }
		/System time \(seconds\)/ { cpu += $NF }
		END { print s, kb, cpu }' "$tv" >>"$out"
}

# median FILE COLUMN
median() {
	sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

# bench_home - a fresh HARK_HOME whose config turns off the transcript
# fetch of add/update/import (transcripts_fetch): this benchmark measures
# fetching, parsing and storing feeds, as newsboat does them, and the
# generated feeds name transcripts on a host that does not exist.
bench_home() {
	mk_home
	mkdir -p "$HARK_HOME/config"
	echo 'set transcripts_fetch 0' >"$HARK_HOME/config/config"
}

res=$(mk_temp res)
# nb DIR URLS-FILE - the newsboat command line for its own folder (an empty
# config, its cache database in DIR).
nb() {
	mkdir -p "$1"
	: >"$1/config"
	echo newsboat -u "$2" -c "$1/cache.db" -C "$1/config" -x reload
}

echo "$NGINX_URL/big.xml" >"$doc/big.urls"
for ((r = 1; r <= RUNS; r++)); do
	bench_home
	measure "$res/hark_add" "$HARK" add "$NGINX_URL/big.xml"
	measure "$res/hark_parse" "$HARK" parse "$NGINX_URL/big.xml" --json
	if [ $have_newsboat = 1 ]; then
		measure "$res/nb_add" $(nb "$(mk_temp nb)" "$doc/big.urls")
	fi
done

# 100 unchanged feeds.
bench_home
{
	echo '<opml version="2.0"><body>'
	for ((i = 1; i <= FEEDS; i++)); do
		echo "<outline text=\"Small $i\" xmlUrl=\"$NGINX_URL/small$i.xml\"/>"
	done
	echo '</body></opml>'
} >"$doc/small.opml"
"$HARK" import "$doc/small.opml" >/dev/null || echo "import failed" >&2
for ((i = 1; i <= FEEDS; i++)); do echo "$NGINX_URL/small$i.xml"; done >"$doc/small.urls"
nbdir=$(mk_temp nb100)
[ $have_newsboat = 1 ] && $(nb "$nbdir" "$doc/small.urls") >/dev/null 2>&1
before=$(wc -l <"$NGINX_ACCESS_LOG")
for ((r = 1; r <= RUNS; r++)); do
	measure "$res/hark_upd" "$HARK" update
done
n304=$(tail -n +$((before + 1)) "$NGINX_ACCESS_LOG" | grep -c ' 304 ')
for ((r = 1; r <= RUNS; r++)); do
	[ $have_newsboat = 1 ] && measure "$res/nb_upd" $(nb "$nbdir" "$doc/small.urls")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
ha_t=$(median "$res/hark_add" 1); ha_m=$(median "$res/hark_add" 2); ha_c=$(median "$res/hark_add" 3)
hu_t=$(median "$res/hark_upd" 1); hu_m=$(median "$res/hark_upd" 2); hu_c=$(median "$res/hark_upd" 3)
echo "Feeds benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "big feed: $EPISODES episodes, $size bytes; $FEEDS small feeds; median of $RUNS runs"
echo "hark got $n304 answers of 304 in its $RUNS updates of the $FEEDS feeds"
echo "newsboat: $(newsboat -v 2>/dev/null | head -n 1)"
echo
echo "| measurement | hark | newsboat | hark / newsboat |"
echo "| --- | --- | --- | --- |"
if [ $have_newsboat = 1 ]; then
	na_t=$(median "$res/nb_add" 1); na_m=$(median "$res/nb_add" 2); na_c=$(median "$res/nb_add" 3)
	nu_t=$(median "$res/nb_upd" 1); nu_m=$(median "$res/nb_upd" 2); nu_c=$(median "$res/nb_upd" 3)
else
	na_t=0 na_m=0 nu_t=0 nu_m=0 na_c=0 nu_c=0
fi
echo "| add 1 big feed: wall s | $ha_t | $na_t | $(ratio "$ha_t" "$na_t") |"
echo "| add 1 big feed: CPU s (user+sys) | $ha_c | $na_c | $(ratio "$ha_c" "$na_c") |"
echo "| add 1 big feed: peak RSS MB | $((ha_m / 1024)) | $((na_m / 1024)) | $(ratio "$ha_m" "$na_m") |"
hp_t=$(median "$res/hark_parse" 1); hp_m=$(median "$res/hark_parse" 2); hp_c=$(median "$res/hark_parse" 3)
echo "| (hark parse --json of the big feed, no store): wall s | $hp_t | | |"
echo "| (hark parse --json of the big feed, no store): CPU s | $hp_c | | |"
echo "| (hark parse --json of the big feed, no store): peak RSS MB | $((hp_m / 1024)) | | |"
echo "| update $FEEDS unchanged feeds: wall s | $hu_t | $nu_t | $(ratio "$hu_t" "$nu_t") |"
echo "| update $FEEDS unchanged feeds: CPU s | $hu_c | $nu_c | $(ratio "$hu_c" "$nu_c") |"
echo "| update $FEEDS unchanged feeds: peak RSS MB | $((hu_m / 1024)) | $((nu_m / 1024)) | $(ratio "$hu_m" "$nu_m") |"
