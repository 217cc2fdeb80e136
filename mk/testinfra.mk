# mk/testinfra.mk - sources and tests of this area (see Makefile.am).
# The real-parts test stack: shell helpers under tests/lib/, the fault HTTP
# server tests/faultsrv, and the self-tests tests/e2e/infra_*.sh.
EXTRA_DIST += tests/lib/common.sh

# The fault HTTP server (see the comment at the top of tests/faultsrv.c).
check_PROGRAMS += tests/faultsrv
tests_faultsrv_SOURCES = tests/faultsrv.c
EXTRA_DIST += tests/lib/faultsrv.sh tests/lib/nginx.sh tests/lib/pulse.sh tests/lib/tmux.sh
