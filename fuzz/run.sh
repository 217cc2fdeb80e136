#!/bin/bash
# fuzz/run.sh - run libFuzzer targets one after another (never two at once).
#
# usage: run.sh SECONDS TARGET...     (from the build directory)
#
# For each TARGET: assembles its seeds (fuzz/seeds.sh) in a temp dir,
# replays tests/fuzz-regress/TARGET/ once, then fuzzes for SECONDS with one
# process. The corpus lives in a temp dir, or in $FUZZ_CORPUS_DIR/TARGET
# when set (kept between runs). Crash inputs go to fuzz-artifacts/TARGET/,
# the full output to fuzz-logs/TARGET.txt. Prints one summary line per
# target and appends it to fuzz-logs/runs.txt. Exit 1 when any target
# crashed, leaked, timed out or hit a sanitizer report.
set -u
secs=${1:?usage: run.sh SECONDS TARGET...}
shift
: "${top_srcdir:?}" "${top_builddir:?}"
export ASAN_OPTIONS="${FUZZ_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:abort_on_error=1"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hark-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p fuzz-logs fuzz-artifacts
failed=0
for t in "$@"; do
	bin=$top_builddir/fuzz/fuzz_$t
	seeds=$tmp/seeds-$t
	nseeds=$(bash "$top_srcdir/fuzz/seeds.sh" "$t" "$seeds") || { failed=1; continue; }
	if [ -n "${FUZZ_CORPUS_DIR:-}" ]; then
		corpus=$FUZZ_CORPUS_DIR/$t
	else
		corpus=$tmp/corpus-$t
	fi
	mkdir -p "$corpus" "fuzz-artifacts/$t"
	dict=
	case $t in
	feed | opml | html) dict=-dict=$top_srcdir/fuzz/xml.dict ;;
	transcript_json | chapters_json) dict=-dict=$top_srcdir/fuzz/json.dict ;;
	vtt | srt | transcript_any) dict=-dict=$top_srcdir/fuzz/vtt.dict ;;
	esac
	log=fuzz-logs/$t.txt
	regress=()
	[ -d "$top_srcdir/tests/fuzz-regress/$t" ] && regress=("$top_srcdir/tests/fuzz-regress/$t")
	start=$(date -u +%Y-%m-%dT%H:%MZ)
	# -max_len: feeds and tags need room; the rest stays small and fast
	case $t in
	feed | html | opml | id3) maxlen=65536 ;;
	*) maxlen=16384 ;;
	esac
	"$bin" "$corpus" "$seeds" ${regress[@]+"${regress[@]}"} $dict \
		-max_total_time="$secs" -timeout=20 -rss_limit_mb=1536 -max_len=$maxlen \
		-print_final_stats=1 -artifact_prefix="fuzz-artifacts/$t/" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	csize=$(find "$corpus" -type f | wc -l)
	crashes=$(find "fuzz-artifacts/$t" -type f -newer "$seeds" | wc -l)
	if [ "$rc" -eq 0 ]; then
		res=ok
	else
		res="FAILED (exit $rc; see $log and fuzz-artifacts/$t/)"
		failed=1
	fi
	line="fuzz $t: start $start, ${took:-?} s, ${execs:-?} executions, seeds $nseeds, corpus $csize, new artifacts $crashes: $res"
	echo "$line"
	echo "$line" >>fuzz-logs/runs.txt
	if [ "$rc" -ne 0 ]; then
		grep -E 'runtime error|property failed|ERROR: (Address|Leak|libFuzzer)|SUMMARY|^ *#[0-4] 0x' "$log" |
			grep -v 'fuzzer::\|__sanitizer\|libc\.so\|pthread_kill\|raise\|abort' | head -12 | sed 's/^/    /'
	fi
done
exit $failed
