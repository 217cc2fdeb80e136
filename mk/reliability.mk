# mk/reliability.mk - the bad-input and fault suite of docs/reliability.md
# (area "reliability"): end-to-end tests tests/e2e/rel_*.sh.
TESTS += tests/e2e/rel_text.sh
EXTRA_DIST += tests/e2e/rel_text.sh
TESTS += tests/e2e/rel_network.sh
EXTRA_DIST += tests/e2e/rel_network.sh
TESTS += tests/e2e/rel_audio.sh
EXTRA_DIST += tests/e2e/rel_audio.sh
TESTS += tests/e2e/rel_state.sh
EXTRA_DIST += tests/e2e/rel_state.sh
TESTS += tests/e2e/rel_slow.sh
EXTRA_DIST += tests/e2e/rel_slow.sh
