# mk/fuzz.mk - fuzzing and memory checking (area "fuzz"; see docs/internals/fuzzing.md).
#
# One libFuzzer target per parser, fuzz/fuzz_<target>.c. Every build links
# each of them with fuzz/driver.c into tests/fuzz/replay_<target>, which
# tests/e2e/fuzz_replay.sh runs over tests/fuzz-regress/<target>/ and the
# seed corpus (so `make check` replays every crash ever found, without
# clang). With --enable-fuzzing (CC=clang) the same files are also linked
# with -fsanitize=fuzzer into fuzz/fuzz_<target>; `make fuzz-smoke` runs each
# for $(FUZZ_SMOKE_TIME) s. `make check-valgrind` runs the unit tests, the
# replays and the CLI end-to-end tests under valgrind memcheck (in a build
# configured without sanitizers).
FUZZ_TARGETS = feed html opml vtt srt transcript_json transcript_any chapters_json id3 config \
	datetime
HARK_FUZZ_CPP = $(AM_CPPFLAGS) $(DEP_CFLAGS) -I$(top_srcdir)/fuzz
noinst_HEADERS += fuzz/fuzz.h fuzz/transcript_check.h
EXTRA_DIST += fuzz/seeds.sh fuzz/run.sh fuzz/valgrind.sh fuzz/hark-valgrind \
	fuzz/xml.dict fuzz/json.dict fuzz/vtt.dict fuzz/seeds tests/fuzz-regress \
	docs/reliability.md docs/internals/fuzzing.md

# ---- replay programs (every build) ----
check_PROGRAMS += tests/fuzz/replay_feed
tests_fuzz_replay_feed_SOURCES = fuzz/fuzz_feed.c fuzz/driver.c
tests_fuzz_replay_feed_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_feed_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_html
tests_fuzz_replay_html_SOURCES = fuzz/fuzz_html.c fuzz/driver.c
tests_fuzz_replay_html_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_html_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_opml
tests_fuzz_replay_opml_SOURCES = fuzz/fuzz_opml.c fuzz/driver.c
tests_fuzz_replay_opml_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_opml_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_vtt
tests_fuzz_replay_vtt_SOURCES = fuzz/fuzz_vtt.c fuzz/driver.c
tests_fuzz_replay_vtt_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_vtt_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_srt
tests_fuzz_replay_srt_SOURCES = fuzz/fuzz_srt.c fuzz/driver.c
tests_fuzz_replay_srt_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_srt_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_transcript_json
tests_fuzz_replay_transcript_json_SOURCES = fuzz/fuzz_transcript_json.c fuzz/driver.c
tests_fuzz_replay_transcript_json_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_transcript_json_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_transcript_any
tests_fuzz_replay_transcript_any_SOURCES = fuzz/fuzz_transcript_any.c fuzz/driver.c
tests_fuzz_replay_transcript_any_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_transcript_any_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_chapters_json
tests_fuzz_replay_chapters_json_SOURCES = fuzz/fuzz_chapters_json.c fuzz/driver.c
tests_fuzz_replay_chapters_json_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_chapters_json_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_id3
tests_fuzz_replay_id3_SOURCES = fuzz/fuzz_id3.c fuzz/driver.c
tests_fuzz_replay_id3_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_id3_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_config
tests_fuzz_replay_config_SOURCES = fuzz/fuzz_config.c fuzz/driver.c
tests_fuzz_replay_config_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_config_LDADD = $(CORE_LIBS)
check_PROGRAMS += tests/fuzz/replay_datetime
tests_fuzz_replay_datetime_SOURCES = fuzz/fuzz_datetime.c fuzz/driver.c
tests_fuzz_replay_datetime_CPPFLAGS = $(HARK_FUZZ_CPP)
tests_fuzz_replay_datetime_LDADD = $(CORE_LIBS)
TESTS += tests/e2e/fuzz_replay.sh
EXTRA_DIST += tests/e2e/fuzz_replay.sh

# ---- libFuzzer programs (--enable-fuzzing) ----
FUZZ_SMOKE_TIME = 30
if ENABLE_FUZZING
HARK_FUZZ_LINK = $(AM_LDFLAGS) -fsanitize=fuzzer
EXTRA_PROGRAMS += fuzz/fuzz_feed
fuzz_fuzz_feed_SOURCES = fuzz/fuzz_feed.c
fuzz_fuzz_feed_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_feed_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_feed_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_html
fuzz_fuzz_html_SOURCES = fuzz/fuzz_html.c
fuzz_fuzz_html_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_html_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_html_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_opml
fuzz_fuzz_opml_SOURCES = fuzz/fuzz_opml.c
fuzz_fuzz_opml_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_opml_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_opml_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_vtt
fuzz_fuzz_vtt_SOURCES = fuzz/fuzz_vtt.c
fuzz_fuzz_vtt_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_vtt_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_vtt_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_srt
fuzz_fuzz_srt_SOURCES = fuzz/fuzz_srt.c
fuzz_fuzz_srt_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_srt_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_srt_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_transcript_json
fuzz_fuzz_transcript_json_SOURCES = fuzz/fuzz_transcript_json.c
fuzz_fuzz_transcript_json_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_transcript_json_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_transcript_json_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_transcript_any
fuzz_fuzz_transcript_any_SOURCES = fuzz/fuzz_transcript_any.c
fuzz_fuzz_transcript_any_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_transcript_any_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_transcript_any_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_chapters_json
fuzz_fuzz_chapters_json_SOURCES = fuzz/fuzz_chapters_json.c
fuzz_fuzz_chapters_json_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_chapters_json_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_chapters_json_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_id3
fuzz_fuzz_id3_SOURCES = fuzz/fuzz_id3.c
fuzz_fuzz_id3_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_id3_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_id3_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_config
fuzz_fuzz_config_SOURCES = fuzz/fuzz_config.c
fuzz_fuzz_config_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_config_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_config_LDADD = $(CORE_LIBS)
EXTRA_PROGRAMS += fuzz/fuzz_datetime
fuzz_fuzz_datetime_SOURCES = fuzz/fuzz_datetime.c
fuzz_fuzz_datetime_CPPFLAGS = $(HARK_FUZZ_CPP)
fuzz_fuzz_datetime_LDFLAGS = $(HARK_FUZZ_LINK)
fuzz_fuzz_datetime_LDADD = $(CORE_LIBS)
HARK_FUZZERS = $(FUZZ_TARGETS:%=fuzz/fuzz_%$(EXEEXT))
CLEANFILES += $(HARK_FUZZERS)

# Build the fuzzers (not part of `all`: they are only for fuzzing).
fuzz: $(HARK_FUZZERS)

# Each fuzzer for FUZZ_SMOKE_TIME seconds over its seed corpus (assembled
# in a temp dir); fails on any crash, leak, timeout or sanitizer report.
# FUZZ_TARGETS=... picks some.
fuzz-smoke: $(HARK_FUZZERS) $(check_PROGRAMS)
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/fuzz/run.sh $(FUZZ_SMOKE_TIME) $(FUZZ_TARGETS)

# A long run of one target with a corpus kept in fuzz-corpus/TARGET:
# make fuzz-run FUZZ_TARGETS=feed FUZZ_TIME=600
FUZZ_TIME = 600
fuzz-run: $(HARK_FUZZERS) $(check_PROGRAMS)
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		FUZZ_CORPUS_DIR='$(abs_top_builddir)/fuzz-corpus' \
		$(SHELL) $(top_srcdir)/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_TARGETS)
else
fuzz fuzz-smoke fuzz-run:
	@echo "$@: the fuzzers are not built in this build. Configure a separate build"
	@echo "  directory with: CC=clang $(abs_top_srcdir)/configure --enable-fuzzing"
	@echo "  then run 'make $@' there (docs/internals/fuzzing.md)."
	@exit 1
endif
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-artifacts fuzz-logs fuzz-corpus valgrind-logs tsan-logs

# ---- valgrind ----
# The unit tests, the fuzz replays and the end-to-end tests that drive the
# CLI, with every test program (LOG_COMPILER) and every $HARK run under
# `valgrind --error-exitcode=99 --leak-check=full
# --errors-for-leak-kinds=definite`; reports land in valgrind-logs/.
# VALGRIND_TESTS=... overrides the list.
VALGRIND_TESTS = $(filter tests/unit/%,$(TESTS)) tests/e2e/fuzz_replay.sh \
	$(filter tests/e2e/cli_% tests/e2e/library_% tests/e2e/transcripts_% tests/e2e/corpus_%,$(TESTS))
check-valgrind: all $(check_PROGRAMS) $(check_SCRIPTS)
	@case '$(SAN_CFLAGS)' in *sanitize*) \
		echo "check-valgrind: this build uses sanitizers; configure a build directory"; \
		echo "  without --enable-sanitizers and --enable-fuzzing for valgrind."; exit 1;; esac
	@command -v valgrind >/dev/null || { echo "check-valgrind: valgrind not found (apt-get install valgrind)"; exit 1; }
	@rm -rf valgrind-logs && $(MKDIR_P) valgrind-logs
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(VALGRIND_TESTS)' \
		LOG_COMPILER='$(SHELL) $(abs_top_srcdir)/fuzz/valgrind.sh' \
		TESTS_ENVIRONMENT='HARK_VALGRIND_LOGS=$(abs_top_builddir)/valgrind-logs; export HARK_VALGRIND_LOGS; \
		HARK_VALGRIND="$(SHELL) $(abs_top_srcdir)/fuzz/valgrind.sh"; export HARK_VALGRIND; \
		HARK_REAL=$(abs_top_builddir)/hark$(EXEEXT); export HARK_REAL; \
		HARK=$(abs_top_srcdir)/fuzz/hark-valgrind; export HARK;'

# ---- ThreadSanitizer ----
# The engine's tests (unit test_engine_* and the play_* end-to-end tests) and
# the description pool's (test_html, test_feed: html_pool.c) in
# a build configured with --enable-tsan (gcc or clang; not with
# --enable-sanitizers). Every report goes to tsan-logs/ and fails the target
# even when the test itself passed. play_pulse.sh is left out by default: its
# real-time deadlines (pause within 100 ms, speed within 2 %) do not hold at
# TSan's speed (it ran clean of reports). TSAN_TESTS=... overrides the list.
TSAN_TESTS = $(filter tests/unit/test_engine_%,$(TESTS)) tests/unit/test_html tests/unit/test_feed \
	$(filter-out tests/e2e/play_pulse.sh,$(filter tests/e2e/play_%,$(TESTS)))
check-tsan: all $(check_PROGRAMS) $(check_SCRIPTS)
	@case '$(SAN_CFLAGS)' in *sanitize=thread*) ;; *) \
		echo "check-tsan: this build has no ThreadSanitizer; configure a separate build"; \
		echo "  directory with: $(abs_top_srcdir)/configure --enable-tsan"; exit 1;; esac
	@rm -rf tsan-logs && $(MKDIR_P) tsan-logs
	@rc=0; $(MAKE) $(AM_MAKEFLAGS) check TESTS='$(TSAN_TESTS)' \
		TESTS_ENVIRONMENT='TSAN_OPTIONS="second_deadlock_stack=1 log_path=$(abs_top_builddir)/tsan-logs/tsan $${TSAN_OPTIONS:-}"; export TSAN_OPTIONS;' || rc=$$?; \
	if ls tsan-logs/tsan.* >/dev/null 2>&1; then \
		echo "check-tsan: ThreadSanitizer reports (tsan-logs/):"; \
		grep -h -A12 '^WARNING: ThreadSanitizer' tsan-logs/tsan.* | head -200; rc=1; \
	else echo "check-tsan: no ThreadSanitizer reports"; fi; exit $$rc
.PHONY: fuzz fuzz-smoke fuzz-run check-valgrind check-tsan clean-fuzz
