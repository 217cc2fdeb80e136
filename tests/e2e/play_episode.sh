#!/bin/bash
# play_episode.sh - `hark play EPISODE` with the library: plays the episode's
# enclosure, saves the position on pause and exit, resumes from it (an exact
# seek), and marks the episode played at the end.
. "$top_srcdir/tests/lib/common.sh"

need_file "$HARK_DATADIR/demo/demo.xml" "$HARK_DATADIR/demo/brief-1.mp3"
mk_home
OUT=$(mk_temp out)

# field ID NAME: one field of an episode from `hark --demo list 1 --json`
field() {
	"$HARK" --demo list 1 --json | awk -v id="$1" -v k="\"$2\":" '
		$1 == "\"id\":" { cur = $2; sub(",", "", cur) }
		cur == id && $1 == k { v = $2; sub(",$", "", v); print v; exit }'
}

run "$HARK" --demo list 1 --json
ok $((run_rc)) "the demo library lists its episodes" "$run_err"
id=$(awk '$1 == "\"id\":" { v = $2; sub(",", "", v); n++; if (n == 2) { print v; exit } }' "$run_stdout")
like "$id" '^[0-9]+$' "an episode id ($id)"
is "$(field "$id" played)" false "not played yet"

# play a second of it, pause (the position is saved), quit
mkfifo "$OUT/ctl"
"$HARK" --demo play "$id" --output null --pace --control - --events <"$OUT/ctl" >"$OUT/ev1" 2>"$OUT/err1" &
pid=$!
exec 3>"$OUT/ctl"
wait_for 15 grep -q '"pos":1\.' "$OUT/ev1"
echo pause >&3
wait_for 10 grep -q '"state":"paused"' "$OUT/ev1"
paused=$(grep -m1 '"state":"paused"' "$OUT/ev1" | sed -n 's/.*"pos":\([0-9.]*\).*/\1/p')
echo quit >&3
exec 3>&-
wait $pid
ok $? "play EPISODE, pause, quit: exit 0" "$(cat "$OUT/err1")"
pos=$(field "$id" position)
like "$pos" '^[1-9]' "the position was saved ($pos)"
ok "$(awk -v a="$pos" -v b="$paused" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 0.05) }'; echo $?)" \
	"the saved position is where it paused ($pos vs $paused)"

# play again: it resumes there with an exact seek, then runs to the end
run "$HARK" --demo play "$id" --output null --events
ok $((run_rc)) "play EPISODE again to the end" "$run_err"
seekline=$(grep '"seek"' "$run_stdout")
like "$seekline" "\"target\":${pos:0:4}" "it resumed from the saved position"
like "$seekline" '"accurate":true' "the resume seek is exact"
like "$(cat "$run_stdout")" '"event":"end"' "it played to the end"
is "$(field "$id" played)" true "the episode is marked played"

run "$HARK" --demo play 999999 --output null
is "$run_rc" 2 "an unknown episode id fails (exit 2)"
is "$run_err" 'hark: play: episode 999999: no such episode' "and says which, and why"
done_testing
