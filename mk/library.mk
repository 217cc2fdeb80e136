# mk/library.mk - sources and tests of this area (see Makefile.am).
libharkcore_a_SOURCES += src/core/net.c src/core/store.c src/core/store_misc.c \
	src/core/opml.c src/core/library.c
noinst_HEADERS += include/hark/net.h include/hark/store.h src/core/store_int.h \
	include/hark/opml.h include/hark/library.h
hark_SOURCES += src/cli/cmd_library.c src/cli/cli_store.c

check_PROGRAMS += tests/unit/test_store tests/unit/test_opml
tests_unit_test_store_SOURCES = tests/unit/test_store.c
tests_unit_test_store_LDADD = $(CORE_LIBS)
tests_unit_test_opml_SOURCES = tests/unit/test_opml.c
tests_unit_test_opml_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_store tests/unit/test_opml
tests_unit_test_store_CPPFLAGS = $(AM_CPPFLAGS) $(DEP_CFLAGS)
tests_unit_test_opml_CPPFLAGS = $(AM_CPPFLAGS) $(DEP_CFLAGS)

LIBRARY_E2E = tests/e2e/library_add.sh tests/e2e/library_update.sh tests/e2e/library_redirect.sh \
	tests/e2e/library_opml.sh tests/e2e/library_concurrent.sh \
	tests/e2e/library_tls.sh tests/e2e/library_corpus.sh
TESTS += $(LIBRARY_E2E)
EXTRA_DIST += $(LIBRARY_E2E)
# The feeds benchmark (run by hand, see bench/feeds/run.sh).
EXTRA_DIST += bench/feeds/gen-feed.sh bench/feeds/run.sh
