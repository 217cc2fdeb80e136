# mk/reliability.mk - the bad-input and fault suite of docs/reliability.md
# (area "reliability"): end-to-end tests tests/e2e/rel_*.sh.
