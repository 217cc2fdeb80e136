#!/bin/bash
# fuzz_replay.sh - every fuzz target replays its regression inputs
# (tests/fuzz-regress/TARGET/: inputs that once crashed it) and its seed
# corpus (fuzz/seeds.sh: hand-written seeds, the build's demo files and the
# shared corpus) through tests/fuzz/replay_TARGET, built with the normal
# build's sanitizers. A crash, sanitizer or leak report, or a broken
# property check makes the replay exit non-zero: that target's point fails.
# Under `make check-valgrind` the replays run under valgrind ($HARK_VALGRIND).
. "$top_srcdir/tests/lib/common.sh"

targets="feed html opml vtt srt transcript_json transcript_any chapters_json id3 config datetime"
if [ -z "${HARK_CORPUS:-}" ] || [ ! -d "$HARK_CORPUS/feeds" ]; then
	skip "shared corpus present" "HARK_CORPUS not set or missing: seeds are only the hand-written ones"
else
	pass "shared corpus present ($HARK_CORPUS)"
fi
tmp=$(mk_temp seeds)
for t in $targets; do
	bin=$top_builddir/tests/fuzz/replay_$t
	if [ ! -x "$bin" ]; then
		fail "replay $t" "$bin not built"
		continue
	fi
	n=$(bash "$top_srcdir/fuzz/seeds.sh" "$t" "$tmp/$t")
	inputs=("$tmp/$t")
	nreg=0
	if [ -d "$top_srcdir/tests/fuzz-regress/$t" ]; then
		inputs+=("$top_srcdir/tests/fuzz-regress/$t")
		nreg=$(find "$top_srcdir/tests/fuzz-regress/$t" -type f ! -name '.*' | wc -l)
	fi
	# shellcheck disable=SC2086
	run ${HARK_VALGRIND:-} "$bin" "${inputs[@]}"
	replayed=$(grep -c '^replay: ' "$run_stdout")
	ok "$run_rc" "replay $t: $n seeds + $nreg regression inputs, exit 0" \
		"$(tail -n 3 "$run_stdout"; head -c 3000 "$run_stderr")"
	is "$replayed" "$((n + nreg))" "replay $t ran every input"
done
done_testing
