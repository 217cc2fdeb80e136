# mk/engine.mk - sources and tests of this area (see Makefile.am).
hark_SOURCES += src/cli/cmd_play.c
noinst_HEADERS += include/hark/player.h
