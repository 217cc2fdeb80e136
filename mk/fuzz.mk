# mk/fuzz.mk - libFuzzer targets (--enable-fuzzing) and make fuzz-smoke.
