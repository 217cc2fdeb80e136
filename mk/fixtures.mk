# mk/fixtures.mk - test fixtures and the demo episode, generated at build time.
