# mk/fixtures.mk - test fixtures and the demo episode, generated at build time.
# See docs/internals/demo.md.

# The demo feed: sources in $(srcdir)/data/demo, generated into
# $(builddir)/data/demo as part of `all`, installed into $(pkgdatadir)/demo.
DEMO_EPISODES = in-the-news brief-1 brief-2 brief-3
DEMO_SRC = data/demo/make-demo.sh data/demo/demo.xml.in \
	$(DEMO_EPISODES:%=data/demo/%.txt)
DEMO_OUT = data/demo/demo.xml \
	$(DEMO_EPISODES:%=data/demo/%.mp3) \
	$(DEMO_EPISODES:%=data/demo/%.vtt) \
	$(DEMO_EPISODES:%=data/demo/%.srt) \
	$(DEMO_EPISODES:%=data/demo/%.json) \
	data/demo/in-the-news.chapters.json
EXTRA_DIST += $(DEMO_SRC) docs/internals/demo.md

if HAVE_DEMO_TOOLS
demodir = $(pkgdatadir)/demo
nodist_demo_DATA = $(DEMO_OUT)
CLEANFILES += $(DEMO_OUT) data/demo/.stamp

data/demo/.stamp: $(DEMO_SRC)
	$(AM_V_GEN)$(MKDIR_P) data/demo && \
	ESPEAK='$(ESPEAK)' SOX='$(SOX)' LAME='$(LAME)' \
		bash $(srcdir)/data/demo/make-demo.sh $(srcdir)/data/demo data/demo && \
	touch $@

# Every output comes from the one run; remake it if one went missing.
$(DEMO_OUT): data/demo/.stamp
	@test -f $@ || { rm -f data/demo/.stamp; \
		$(MAKE) $(AM_MAKEFLAGS) data/demo/.stamp; }
endif

# Test fixtures: generated into $(builddir)/tests/fixtures/out before the
# tests run (a check_SCRIPTS entry, which `make check` builds first; Makefile.am
# declares no check_DATA to append to). See tests/fixtures/gen.sh. mkid3 is an
# order-only prerequisite (with its source as a real one), so a relink after
# a change in libharkcore.a does not remake the fixtures.
check_PROGRAMS += tests/fixtures/mkid3
tests_fixtures_mkid3_SOURCES = tests/fixtures/mkid3.c
tests_fixtures_mkid3_LDADD = $(CORE_LIBS)
EXTRA_DIST += tests/fixtures/gen.sh
FIXTURES_STAMP = tests/fixtures/out/.stamp

if HAVE_DEMO_TOOLS
check_SCRIPTS += $(FIXTURES_STAMP)
endif
$(FIXTURES_STAMP): $(srcdir)/tests/fixtures/gen.sh $(srcdir)/tests/fixtures/mkid3.c \
		| tests/fixtures/mkid3$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) tests/fixtures/out && \
	ESPEAK='$(ESPEAK)' SOX='$(SOX)' LAME='$(LAME)' \
	MKID3='$(abs_builddir)/tests/fixtures/mkid3$(EXEEXT)' \
		bash $(srcdir)/tests/fixtures/gen.sh tests/fixtures/out && \
	touch $@

clean-local: clean-fixtures
clean-fixtures:
	-rm -rf tests/fixtures/out
.PHONY: clean-fixtures

TESTS += tests/e2e/fixtures.sh
EXTRA_DIST += tests/e2e/fixtures.sh
