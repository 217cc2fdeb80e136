# mk/ui.mk - the curses interface, `hark remote`, the options table and the
# config-file parser (see Makefile.am and docs/internals/ui.md).
libharkcore_a_SOURCES += src/core/config.c
noinst_HEADERS += include/hark/config.h src/ui/ui.h src/ui/uitext.h
hark_SOURCES += src/ui/ui.c src/ui/uitext.c src/ui/draw.c src/ui/commands.c \
	src/ui/jobs.c src/ui/remote.c src/ui/view_podcasts.c src/ui/view_episodes.c \
	src/ui/view_details.c src/ui/view_queue.c src/ui/view_help.c src/ui/view_messages.c \
	src/ui/view_search.c
dist_pkgdata_DATA += data/hark.conf

check_PROGRAMS += tests/unit/test_config tests/unit/test_uitext
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_LDADD = $(CORE_LIBS)
tests_unit_test_uitext_SOURCES = tests/unit/test_uitext.c src/ui/uitext.c
tests_unit_test_uitext_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_config tests/unit/test_uitext

# End-to-end tests in tmux (tests/lib/tmux.sh, pulse.sh, nginx.sh, faultsrv.sh).
UI_E2E = tests/e2e/ui_demo.sh tests/e2e/ui_transcript.sh tests/e2e/ui_queue.sh \
	tests/e2e/ui_resize.sh tests/e2e/ui_hostile.sh tests/e2e/ui_faults.sh \
	tests/e2e/ui_keys.sh tests/e2e/ui_mouse.sh
TESTS += $(UI_E2E)
EXTRA_DIST += $(UI_E2E) tests/e2e/ui_lib.bash docs/internals/ui.md
