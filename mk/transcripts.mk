# mk/transcripts.mk - transcripts, chapters and search (see Makefile.am).
hark_SOURCES += src/cli/cmd_transcript.c
libharkcore_a_SOURCES += src/core/id3.c \
	src/core/transcript.c src/core/transcript_vtt.c src/core/transcript_srt.c \
	src/core/transcript_json.c src/core/transcript_html.c src/core/chapters.c \
	src/core/store_transcript.c src/core/search.c
noinst_HEADERS += include/hark/id3.h include/hark/transcript.h src/core/transcript_int.h \
	include/hark/chapters.h include/hark/search.h

TX_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(DEP_CFLAGS) -I$(top_srcdir)/tests/unit

check_PROGRAMS += tests/unit/test_vtt tests/unit/test_vtt_corpus
tests_unit_test_vtt_SOURCES = tests/unit/test_vtt.c
tests_unit_test_vtt_CPPFLAGS = $(TX_TEST_CPPFLAGS)
tests_unit_test_vtt_LDADD = $(CORE_LIBS)
tests_unit_test_vtt_corpus_SOURCES = tests/unit/test_vtt_corpus.c
tests_unit_test_vtt_corpus_CPPFLAGS = $(TX_TEST_CPPFLAGS)
tests_unit_test_vtt_corpus_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_vtt tests/unit/test_vtt_corpus

check_PROGRAMS += tests/unit/test_srt tests/unit/test_transcript_json \
	tests/unit/test_transcript_formats
tests_unit_test_srt_SOURCES = tests/unit/test_srt.c
tests_unit_test_srt_CPPFLAGS = $(TX_TEST_CPPFLAGS)
tests_unit_test_srt_LDADD = $(CORE_LIBS)
tests_unit_test_transcript_json_SOURCES = tests/unit/test_transcript_json.c
tests_unit_test_transcript_json_CPPFLAGS = $(TX_TEST_CPPFLAGS)
tests_unit_test_transcript_json_LDADD = $(CORE_LIBS)
tests_unit_test_transcript_formats_SOURCES = tests/unit/test_transcript_formats.c
tests_unit_test_transcript_formats_CPPFLAGS = $(TX_TEST_CPPFLAGS)
tests_unit_test_transcript_formats_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_srt tests/unit/test_transcript_json tests/unit/test_transcript_formats

check_PROGRAMS += tests/unit/test_chapters
tests_unit_test_chapters_SOURCES = tests/unit/test_chapters.c
tests_unit_test_chapters_CPPFLAGS = $(TX_TEST_CPPFLAGS)
tests_unit_test_chapters_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_chapters

check_PROGRAMS += tests/unit/test_store_transcript
tests_unit_test_store_transcript_SOURCES = tests/unit/test_store_transcript.c
tests_unit_test_store_transcript_CPPFLAGS = $(TX_TEST_CPPFLAGS)
tests_unit_test_store_transcript_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_store_transcript

TESTS += tests/e2e/transcripts_cli.sh
EXTRA_DIST += tests/e2e/transcripts_cli.sh

TESTS += tests/e2e/transcripts_fetch.sh
EXTRA_DIST += tests/e2e/transcripts_fetch.sh

# The transcripts benchmark (run by hand: bench/transcripts/run.sh; the
# helper is built with `make bench/transcripts/bench_tx`).
EXTRA_PROGRAMS += bench/transcripts/bench_tx
bench_transcripts_bench_tx_SOURCES = bench/transcripts/bench_tx.c src/ui/uitext.c
bench_transcripts_bench_tx_CPPFLAGS = $(TX_TEST_CPPFLAGS)
bench_transcripts_bench_tx_LDADD = $(CORE_LIBS)
CLEANFILES += bench/transcripts/bench_tx
EXTRA_DIST += bench/transcripts/run.sh

TESTS += tests/e2e/ui_words.sh
EXTRA_DIST += tests/e2e/ui_words.sh
