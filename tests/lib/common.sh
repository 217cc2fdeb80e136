#!/bin/bash
# tests/lib/common.sh - shared helpers for hark's end-to-end tests (bash).
#
# Every e2e script starts with
#     . "$top_srcdir/tests/lib/common.sh"
# and prints TAP through these helpers:
#     plan N | done_testing          the plan (before the first test, or at the end)
#     ok STATUS NAME [DIAG]          a test point: ok when STATUS is 0
#     pass NAME / fail NAME [DIAG]   an unconditional test point
#     check NAME CMD...              ok when CMD exits 0 (its output goes to diag on failure)
#     is GOT WANT NAME               string equality, got/want printed on failure
#     isnt GOT UNWANTED NAME         string inequality
#     like GOT ERE NAME              GOT matches the extended regexp ERE
#     skip NAME REASON               a skipped test point (a failure when CI=true)
#     diag MSG...                    a '# ' comment line
#     bail MSG                       'Bail out!' and exit 1
#     need CMD...                    each CMD must be on PATH (else skip all, or fail in CI)
#     need_file PATH...              each PATH must exist (same rule)
#     skip_all REASON                skip the whole script (a failure when CI=true)
#     run CMD...                     run CMD; sets run_rc, run_out, run_err (file paths
#                                    $run_stdout/$run_stderr hold the full output)
#     mk_home                        a fresh HARK_HOME (exported), removed at exit
#     mk_temp [NAME]                 prints a new temp dir, removed at exit
#     at_exit CMD...                 push a cleanup command, run in reverse order at exit
#     free_port                      prints a TCP port that was free a moment ago
#     wait_for TIMEOUT CMD...        poll CMD until it succeeds or TIMEOUT seconds pass
#     wait_port PORT [TIMEOUT]       wait until something listens on 127.0.0.1:PORT
#     fixtures_dir                   prints $top_builddir/tests/fixtures/out
#
# Scripts should not use `set -e` (a failing test point returns 1). `set -u` is fine.
# Function names here are stable: other areas' tests depend on them.

if [ -n "${_HARK_COMMON_SH:-}" ]; then
	return 0
fi
_HARK_COMMON_SH=1

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
: "${HARK:=$top_builddir/hark}"
export HARK
export LC_ALL=C.UTF-8 LANG=C.UTF-8

_tap_n=0
_tap_failed=0
_tap_plan=""
_at_exit=()

# One private temp dir per script; everything else the helpers create lives inside.
TEST_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/hark-test.XXXXXX") || {
	echo "Bail out! mktemp failed"
	exit 1
}
export TEST_TMPDIR

# True when running in CI, where a missing part is a failure, not a skip.
_in_ci() {
	[ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]
}

# Run the cleanup stack (last pushed first), remove the temp dir, settle the status.
_common_exit() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#_at_exit[@]} - 1; i >= 0; i--)); do
		eval "${_at_exit[i]}" >/dev/null 2>&1 || true
	done
	rm -rf "$TEST_TMPDIR"
	if [ "$rc" -eq 0 ] && [ "$_tap_failed" -gt 0 ]; then
		rc=1
	fi
	exit "$rc"
}
trap _common_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# at_exit CMD... - run CMD (a shell command line) when the script exits.
at_exit() {
	_at_exit+=("$*")
}

# _guard CMD - run the shell command CMD if this script dies without running
# its EXIT trap (SIGKILL), so started servers do not outlive it. The guard
# itself is stopped at normal exit.
_guard() {
	local me=$$
	(
		trap - INT TERM HUP
		while kill -0 "$me" 2>/dev/null; do
			sleep 1
		done
		eval "$1"
		rm -rf "$TEST_TMPDIR"
	) >/dev/null 2>&1 </dev/null &
	at_exit "kill $! 2>/dev/null"
}

plan() {
	_tap_plan=$1
	echo "1..$1"
}

# done_testing - print the plan from the count so far and exit (1 if anything failed).
done_testing() {
	if [ -z "$_tap_plan" ]; then
		echo "1..$_tap_n"
	fi
	if [ "$_tap_failed" -gt 0 ]; then
		exit 1
	fi
	exit 0
}

diag() {
	local line
	printf '%s\n' "$*" | while IFS= read -r line; do
		printf '# %s\n' "$line"
	done
}

# ok STATUS NAME [DIAG] - a test point, ok when STATUS is 0; returns STATUS != 0.
ok() {
	local status=$1 name=${2:-}
	_tap_n=$((_tap_n + 1))
	name=${name//$'\n'/ }
	if [ "$status" -eq 0 ] 2>/dev/null; then
		echo "ok $_tap_n - $name"
		return 0
	fi
	echo "not ok $_tap_n - $name"
	_tap_failed=$((_tap_failed + 1))
	if [ $# -ge 3 ] && [ -n "$3" ]; then
		diag "$3"
	fi
	return 1
}

pass() {
	ok 0 "$1"
}

fail() {
	ok 1 "$1" "${2:-}"
}

# check NAME CMD... - ok when CMD exits 0; its output is shown as diag when it fails.
check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ -n "$out" ]; then
		out=$'\n'$out
	fi
	ok "$rc" "$name" "$(printf 'command: %s\nexit: %s%s' "$*" "$rc" "$out")"
}

is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3" "$(printf "got:  '%s'\nwant: '%s'" "$1" "$2")"
	fi
}

isnt() {
	if [ "$1" != "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3" "$(printf "got:  '%s'\nwant anything else" "$1")"
	fi
}

like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3" "$(printf "got:  '%s'\nwant match: /%s/" "$1" "$2")"
	fi
}

# skip NAME REASON - a skipped test point; in CI a skip is a failure.
skip() {
	if _in_ci; then
		fail "$1" "CI=true and skipped: ${2:-}"
		return 1
	fi
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP ${2:-}"
	return 0
}

bail() {
	echo "Bail out! $*"
	exit 1
}

# skip_all REASON - skip the (rest of the) script; a failure in CI.
skip_all() {
	if _in_ci; then
		fail "$* (CI=true: a missing part is a failure)"
		echo "1..$_tap_n"
		exit 1
	fi
	if [ "$_tap_n" -gt 0 ]; then
		# Test points were printed already: end with a skipped point and the plan.
		skip "the rest" "$*"
		[ -n "$_tap_plan" ] || echo "1..$_tap_n"
		exit $((_tap_failed > 0))
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

# need CMD... - every CMD must be runnable (a name on PATH or an executable path).
need() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			skip_all "missing $c"
		fi
	done
}

# need_file PATH... - every PATH must exist (corpus files, fixtures, binaries).
need_file() {
	local f
	for f in "$@"; do
		if [ ! -e "$f" ]; then
			skip_all "missing $f"
		fi
	done
}

# run CMD... - run CMD with stdout/stderr captured; sets run_rc, run_out, run_err.
run() {
	run_stdout=$TEST_TMPDIR/run.out
	run_stderr=$TEST_TMPDIR/run.err
	"$@" >"$run_stdout" 2>"$run_stderr"
	run_rc=$?
	run_out=$(cat "$run_stdout")
	run_err=$(cat "$run_stderr")
	return 0
}

# mk_temp [NAME] - print the path of a new directory inside TEST_TMPDIR.
mk_temp() {
	mktemp -d "$TEST_TMPDIR/${1:-tmp}.XXXXXX"
}

# mk_home - export a fresh, empty HARK_HOME (and XDG dirs inside it, so nothing
# can reach the real home).
mk_home() {
	HARK_HOME=$(mk_temp home) || bail "mk_home: mktemp failed"
	export HARK_HOME
	export XDG_CONFIG_HOME=$HARK_HOME/xdg-config
	export XDG_DATA_HOME=$HARK_HOME/xdg-data
	export XDG_CACHE_HOME=$HARK_HOME/xdg-cache
	export HOME=$HARK_HOME/home
	mkdir -p "$HOME"
}

# _ms_now - milliseconds since the epoch.
_ms_now() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

# wait_for TIMEOUT CMD... - poll CMD (every 50 ms) until it exits 0; 1 on timeout.
# TIMEOUT is in seconds and may have a fraction ("0.5").
wait_for() {
	local timeout=$1 deadline ms
	shift
	ms=$(awk -v t="$timeout" 'BEGIN { printf "%d", t * 1000 }')
	deadline=$(($(_ms_now) + ms))
	while :; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		if [ "$(_ms_now)" -ge "$deadline" ]; then
			return 1
		fi
		sleep 0.05
	done
}

# _port_open PORT - true when something accepts on 127.0.0.1:PORT.
_port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() {
	wait_for "${2:-10}" _port_open "$1"
}

# free_port - print a port the kernel handed out for 127.0.0.1 (faultsrv
# --free-port binds port 0), else a random port nobody answers on.
free_port() {
	local fs=$top_builddir/tests/faultsrv p i
	if [ -x "$fs" ] && p=$("$fs" --free-port 2>/dev/null) && [ -n "$p" ]; then
		echo "$p"
		return 0
	fi
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		if ! _port_open "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

fixtures_dir() {
	echo "$top_builddir/tests/fixtures/out"
}
