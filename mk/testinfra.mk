# mk/testinfra.mk - sources and tests of this area (see Makefile.am).
# The real-parts test stack: shell helpers under tests/lib/, the fault HTTP
# server tests/faultsrv, and the self-tests tests/e2e/infra_*.sh.
EXTRA_DIST += tests/lib/common.sh
