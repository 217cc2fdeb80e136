# mk/ui.mk - sources and tests of this area (see Makefile.am).
hark_SOURCES += src/ui/ui.c
