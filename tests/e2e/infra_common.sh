#!/bin/bash
# infra_common.sh - tests/lib/common.sh gives the TAP and cleanup behaviour it promises.
. "$top_srcdir/tests/lib/common.sh"

d=$(mk_temp child)

# child NAME BODY - write a script that sources common.sh, run it with CI unset;
# sets c_out (stdout) and c_rc.
child() {
	printf '. "$top_srcdir/tests/lib/common.sh"\n%s\n' "$2" >"$d/$1.sh"
	c_out=$(env -u CI bash "$d/$1.sh" 2>"$d/$1.err")
	c_rc=$?
}
child_ci() {
	printf '. "$top_srcdir/tests/lib/common.sh"\n%s\n' "$2" >"$d/$1.sh"
	c_out=$(CI=true bash "$d/$1.sh" 2>"$d/$1.err")
	c_rc=$?
}
nl=$'\n'

child tap 'pass a; fail b "why"; is x x c; is x y d; isnt x y e; like abc "^a.c$" f; check g true; check h false; done_testing'
is "$c_out" "ok 1 - a${nl}not ok 2 - b${nl}# why${nl}ok 3 - c${nl}not ok 4 - d${nl}# got:  'x'${nl}# want: 'y'${nl}ok 5 - e${nl}ok 6 - f${nl}ok 7 - g${nl}not ok 8 - h${nl}# command: false${nl}# exit: 1${nl}1..8" \
	"TAP helpers print the expected lines"
is "$c_rc" 1 "a script with a failure exits 1"

child allpass 'plan 2; pass a; ok 0 b; done_testing'
is "$c_out/$c_rc" "1..2${nl}ok 1 - a${nl}ok 2 - b/0" "plan first, all pass, exit 0"

child noexit 'pass a; fail b'
is "$c_rc" 1 "a failure makes the exit status 1 even without done_testing"

child need 'need sh no-such-command-hark; pass unreachable'
is "$c_out/$c_rc" "1..0 # SKIP missing no-such-command-hark/0" "need skips the script outside CI"
child_ci need 'need sh no-such-command-hark; pass unreachable'
like "$c_out" "^not ok 1 - missing no-such-command-hark" "need fails the script in CI"
is "$c_rc" 1 "need exits 1 in CI"
child_ci needfile 'need_file /no/such/file; pass unreachable'
like "$c_out" "^not ok 1 - missing /no/such/file" "need_file fails in CI"
child needfile 'need_file /no/such/file; pass unreachable'
is "$c_out" "1..0 # SKIP missing /no/such/file" "need_file skips outside CI"

child late 'pass a; need no-such-command-hark; pass b'
is "$c_out/$c_rc" "ok 1 - a${nl}ok 2 - the rest # SKIP missing no-such-command-hark${nl}1..2/0" \
	"need after test points skips the rest with a valid plan"
child_ci late 'pass a; need no-such-command-hark; pass b'
is "$c_out/$c_rc" "ok 1 - a${nl}not ok 2 - missing no-such-command-hark (CI=true: a missing part is a failure)${nl}1..2/1" \
	"need after test points fails in CI"

child skip 'skip a "no reason"; done_testing'
is "$c_out/$c_rc" "ok 1 - a # SKIP no reason${nl}1..1/0" "skip outside CI"
child_ci skip 'skip a "no reason"; done_testing'
like "$c_out" "^not ok 1 - a" "skip is a failure in CI"

child bail 'pass a; bail "server down"; pass b'
is "$c_out/$c_rc" "ok 1 - a${nl}Bail out! server down/1" "bail stops the script"

child cleanup "echo \"\$TEST_TMPDIR\" >'$d/tmpdir'; mk_home; echo \"\$HARK_HOME\" >'$d/home'
at_exit 'echo first >>$d/order'; at_exit 'echo second >>$d/order'; pass a; done_testing"
is "$(tr '\n' ' ' <"$d/order")" "second first " "at_exit runs commands last-pushed first"
ok "$(test -e "$(cat "$d/tmpdir")" && echo 1 || echo 0)" "TEST_TMPDIR is removed at exit"
ok "$(test -e "$(cat "$d/home")" && echo 1 || echo 0)" "HARK_HOME is removed at exit"
case $(cat "$d/home") in "$(cat "$d/tmpdir")"/*) pass "HARK_HOME is inside TEST_TMPDIR" ;; *) fail "HARK_HOME is inside TEST_TMPDIR" ;; esac

child killer "sleep 300 & p=\$!; echo \$p >'$d/pid'; at_exit \"kill \$p\"; pass a; done_testing"
pid=$(cat "$d/pid")
wait_for 5 eval "! kill -0 $pid 2>/dev/null"
ok $? "at_exit can kill a started server by pid"

mk_home
ok "$(test -d "$HARK_HOME" && [ -z "$(ls -A "$HARK_HOME" | grep -v home)" ] && echo 0 || echo 1)" "mk_home makes an empty HARK_HOME"
is "$XDG_CONFIG_HOME" "$HARK_HOME/xdg-config" "mk_home points XDG dirs inside it"
is "$HOME" "$HARK_HOME/home" "mk_home points HOME inside it"

run sh -c 'echo out; echo err >&2; exit 4'
is "$run_rc|$run_out|$run_err" "4|out|err" "run captures status, stdout and stderr"

(sleep 0.3 && touch "$d/late") &
wait_for 10 test -e "$d/late"
ok $? "wait_for returns once the condition holds"
t0=$(_ms_now)
wait_for 0.5 false
ok $((! $?)) "wait_for returns 1 on timeout"
ok $(($(_ms_now) - t0 < 400)) "wait_for waits until the deadline"

p=$(free_port)
like "$p" '^[0-9]+$' "free_port prints a number"
ok "$( (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && echo 1 || echo 0)" "nobody listens on the free port"

is "$(fixtures_dir)" "$top_builddir/tests/fixtures/out" "fixtures_dir"

done_testing
