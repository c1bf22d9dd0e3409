# The engine: scoring rules as pure functions, and the exercise state machine.
ipr_unit_test(test_scoring SOURCES unit/test_scoring.c LIBS ipr_engine)
ipr_unit_test(test_engine SOURCES unit/test_engine.c LIBS ipr_engine)
