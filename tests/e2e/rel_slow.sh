#!/bin/bash
# rel_slow.sh - slow-loris drips below the 1 KiB/s low-speed limit
# (docs/reliability.md, "Network"): a feed (30 s below it: the fetch fails)
# and an episode (stall_timeout set to 1 s: reconnects, then gives up), each
# with a clear error. About 45 s: the feed has no shorter setting.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/faultsrv.sh"

FIX=$(fixtures_dir)
need_file "$FIX/cbr128.mp3"
mk_home
DOC=$(mk_temp doc)
cp "$FIX/cbr128.mp3" "$DOC/loris.mp3"
faultsrv_start "$DOC"

# 1. a feed dripping 200 bytes/s, below the 1 KiB/s low-speed
# limit for 30 s (feeds have no shorter setting): the add fails, says why
{
	printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Loris</title>\n'
	printf '<!-- %s -->\n' "$(head -c 20000 /dev/zero | tr '\0' l)"
	printf '</channel></rss>\n'
} >"$DOC/loris.xml"
run "$HARK" add "$FAULT_URL/drip/200/loris.xml"
is "$run_rc" 2 "slow-loris feed: add fails (exit 2)"
like "$run_err" "loris.xml: Operation too slow. Less than 1024 bytes/sec transferred the last 30 seconds" \
	"slow-loris feed: the message says too slow"
run "$HARK" list
grep -q loris "$run_stdout"
ok $((! $?)) "slow-loris feed: it was not subscribed"

# 2. audio: 300 bytes/s, below the 1 KiB/s low-speed limit, with a
# stall_timeout of 1 s: reconnects, then gives up with a clear error
mkdir -p "$HARK_HOME/config"
echo "set stall_timeout 1" >"$HARK_HOME/config/config"
run "$HARK" play "$FAULT_URL/drip/300/loris.mp3" --output null --events
is "$run_rc" 2 "slow-loris: play aborts (exit 2)"
like "$run_err" "loris.mp3: Operation too slow. Less than 1024 bytes/sec" "slow-loris: the message says too slow"
like "$run_out" '"event":"error".*too slow' "slow-loris: an error event"
is "$(faultsrv_count /drip/300/loris.mp3)" 6 "slow-loris: one request and five reconnects, then it gave up"
done_testing
