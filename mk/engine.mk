# mk/engine.mk - sources and tests of this area (see Makefile.am).
noinst_HEADERS += include/hark/player.h
noinst_HEADERS += include/hark/cache.h src/core/decoder.h src/core/engine.h
libharkcore_a_SOURCES += src/core/player.c src/core/stream.c src/core/cache.c \
	src/core/decoder_mpg123.c src/core/output.c src/core/dsp.c src/core/stretch.c
hark_SOURCES += src/cli/cmd_play.c

check_PROGRAMS += tests/unit/test_engine_cache tests/unit/test_engine_mailbox
tests_unit_test_engine_cache_SOURCES = tests/unit/test_engine_cache.c
tests_unit_test_engine_cache_LDADD = $(CORE_LIBS)
tests_unit_test_engine_mailbox_SOURCES = tests/unit/test_engine_mailbox.c
tests_unit_test_engine_mailbox_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_engine_cache tests/unit/test_engine_mailbox

TESTS += tests/e2e/play_exact.sh
EXTRA_DIST += tests/e2e/play_exact.sh
TESTS += tests/e2e/play_faults.sh
EXTRA_DIST += tests/e2e/play_faults.sh
check_PROGRAMS += tests/unit/engine_pcmtool
tests_unit_engine_pcmtool_SOURCES = tests/unit/engine_pcmtool.c
TESTS += tests/e2e/play_pulse.sh
EXTRA_DIST += tests/e2e/play_pulse.sh
TESTS += tests/e2e/play_dsp.sh
EXTRA_DIST += tests/e2e/play_dsp.sh
TESTS += tests/e2e/play_cache.sh
EXTRA_DIST += tests/e2e/play_cache.sh
TESTS += tests/e2e/play_episode.sh
EXTRA_DIST += tests/e2e/play_episode.sh
TESTS += tests/e2e/play_approx.sh
EXTRA_DIST += tests/e2e/play_approx.sh
check_PROGRAMS += tests/unit/test_engine_player
tests_unit_test_engine_player_SOURCES = tests/unit/test_engine_player.c
tests_unit_test_engine_player_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_engine_player
check_PROGRAMS += tests/unit/test_stretch
tests_unit_test_stretch_SOURCES = tests/unit/test_stretch.c
tests_unit_test_stretch_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_stretch
