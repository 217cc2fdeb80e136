# mk/testinfra.mk - sources and tests of this area (see Makefile.am).
# The real-parts test stack: shell helpers under tests/lib/, the fault HTTP
# server tests/faultsrv, and the self-tests tests/e2e/infra_*.sh.
EXTRA_DIST += tests/lib/common.sh tests/lib/faultsrv.sh tests/lib/nginx.sh \
	tests/lib/pulse.sh tests/lib/tmux.sh

# The fault HTTP server (see the comment at the top of tests/faultsrv.c).
check_PROGRAMS += tests/faultsrv
tests_faultsrv_SOURCES = tests/faultsrv.c

# Self-tests of the helpers.
INFRA_TESTS = tests/e2e/infra_common.sh tests/e2e/infra_faultsrv.sh \
	tests/e2e/infra_nginx.sh tests/e2e/infra_pulse.sh tests/e2e/infra_tmux.sh
TESTS += $(INFRA_TESTS)
EXTRA_DIST += $(INFRA_TESTS)
