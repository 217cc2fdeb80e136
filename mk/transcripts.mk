# mk/transcripts.mk - sources and tests of this area (see Makefile.am).
hark_SOURCES += src/cli/cmd_transcript.c
libharkcore_a_SOURCES += src/core/id3.c
noinst_HEADERS += include/hark/id3.h
