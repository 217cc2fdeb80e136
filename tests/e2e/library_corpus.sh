#!/bin/bash
# library_corpus.sh - every real feed of the shared corpus through the
# library in one go: an OPML file naming all of them is imported (each local
# feed read, parsed and stored, or reported on one clear line), never a
# sanitizer report; `hark update` re-reads them all without adding a single
# duplicate; export -> import gives the same set.
. "$top_srcdir/tests/lib/common.sh"
need jq sqlite3 xmllint
FEEDS="${HARK_CORPUS:-}/feeds"
need_file "$FEEDS"
mk_home
db=$HARK_HOME/data/library.db

opml=$TEST_TMPDIR/corpus.opml
total=0
{
	echo '<opml version="2.0"><body>'
	while IFS= read -r -d '' f; do
		total=$((total + 1))
		printf '<outline text="corpus" xmlUrl="%s"/>\n' "$(printf '%s' "$f" | sed 's/&/\&amp;/g; s/"/\&quot;/g; s/</\&lt;/g')"
	done < <(find "$FEEDS" -type f -print0 | sort -z)
	echo '</body></opml>'
} >"$opml"
total=$(grep -c '<outline' "$opml")
check "the OPML of the corpus is well-formed" xmllint --noout "$opml"

sane() { # NAME - no sanitizer report in the last run's stderr
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation' "$run_stderr"; then
		fail "$1: no sanitizer report" "$(head -c 3000 "$run_stderr")"
	else
		pass "$1: no sanitizer report"
	fi
}

run "$HARK" import --jobs 4 "$opml"
sane import
good=$(grep -c ': [0-9]* new episodes\?$' "$run_stdout")
bad=$(grep -c '^hark: import: feed [0-9]*: /.*: .* (subscribed; hark update retries it)$' "$run_stderr")
is "$((good + bad))" "$total" "every one of the $total corpus files is reported once ($good stored, $bad refused)"
is "$(wc -l <"$run_stderr")" "$bad" "each refusal is one line"
ok $((good > total / 2 ? 0 : 1)) "most corpus feeds are stored"
is "$(sqlite3 "$db" "SELECT count(*) FROM feeds")" "$total" "all subscribed (the broken ones marked failed)"
is "$(sqlite3 "$db" "SELECT count(*) FROM feeds WHERE last_error IS NOT NULL")" "$bad" "the refused ones carry their error"
ok $(($(sqlite3 "$db" "SELECT count(*) FROM episodes") > 100 ? 0 : 1)) "episodes stored"

before=$(sqlite3 "$db" "SELECT count(*) FROM episodes")
run "$HARK" update
sane update
is "$(grep -c ': 0 new episodes$' "$run_stdout")" "$good" "re-reading adds no episode to any feed"
is "$(sqlite3 "$db" "SELECT count(*) FROM episodes")" "$before" "no duplicates"
is "$(sqlite3 "$db" "PRAGMA integrity_check")" ok "database integrity"
run "$HARK" list --json
sane list
is "$(jq length "$run_stdout")" "$total" "list --json of every feed is valid JSON"

"$HARK" export >"$TEST_TMPDIR/all.opml"
ok $? "export"
"$HARK" list --json | jq -r '.[].url' | sort >"$TEST_TMPDIR/set1"
mk_home
run "$HARK" import "$TEST_TMPDIR/all.opml"
sane "import of the export"
"$HARK" list --json | jq -r '.[].url' | sort >"$TEST_TMPDIR/set2"
check "export -> import gives the same set" diff "$TEST_TMPDIR/set1" "$TEST_TMPDIR/set2"

done_testing
