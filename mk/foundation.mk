# mk/foundation.mk - shared helpers, the command table and the build's own tests.
libharkcore_a_SOURCES += src/core/util.c src/core/text.c src/core/paths.c \
	src/core/log.c src/core/timeutil.c
noinst_HEADERS += include/hark/util.h src/cli/cli.h tests/unit/tap.h
hark_SOURCES += src/cli/main.c

check_PROGRAMS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_util
TESTS += tests/e2e/configure_missing.sh
EXTRA_DIST += tests/e2e/configure_missing.sh
TESTS += tests/e2e/cli_basics.sh
EXTRA_DIST += tests/e2e/cli_basics.sh
noinst_HEADERS += include/hark/jsonutil.h
