# mk/feeds.mk - sources and tests of this area (see Makefile.am).
libharkcore_a_SOURCES += src/core/feed.c src/core/feed_json.c src/core/html.c src/core/html_pool.c \
	src/core/datetime.c
noinst_HEADERS += include/hark/feed.h include/hark/html.h include/hark/datetime.h
hark_SOURCES += src/cli/cmd_parse.c

check_PROGRAMS += tests/unit/test_datetime tests/unit/test_html tests/unit/test_feed
tests_unit_test_datetime_SOURCES = tests/unit/test_datetime.c
tests_unit_test_datetime_LDADD = $(CORE_LIBS)
tests_unit_test_datetime_CPPFLAGS = $(AM_CPPFLAGS) $(DEP_CFLAGS)
tests_unit_test_html_SOURCES = tests/unit/test_html.c
tests_unit_test_html_LDADD = $(CORE_LIBS)
tests_unit_test_html_CPPFLAGS = $(AM_CPPFLAGS) $(DEP_CFLAGS)
tests_unit_test_feed_SOURCES = tests/unit/test_feed.c
tests_unit_test_feed_LDADD = $(CORE_LIBS)
tests_unit_test_feed_CPPFLAGS = $(AM_CPPFLAGS) $(DEP_CFLAGS)
TESTS += tests/unit/test_datetime tests/unit/test_html tests/unit/test_feed

TESTS += tests/e2e/corpus_feeds.sh
EXTRA_DIST += tests/e2e/corpus_feeds.sh

# A tiny JSON validator/getter for the shell tests (tests/e2e/corpus_feeds.sh).
check_PROGRAMS += tests/jsonq
tests_jsonq_SOURCES = tests/jsonq.c
tests_jsonq_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS)
tests_jsonq_LDADD = $(JANSSON_LIBS)

TESTS += tests/e2e/parse_cli.sh
EXTRA_DIST += tests/e2e/parse_cli.sh
