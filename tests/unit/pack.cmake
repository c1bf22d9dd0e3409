ipr_unit_test(test_pack SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_pack.c LIBS ipr_pack)
ipr_unit_test(test_pack_corpus SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_pack_corpus.c LIBS ipr_pack)
ipr_unit_test(test_text SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_text.c LIBS ipr_text)

# The command line: exit codes, message format, the packs table.
add_test(NAME cli_validate
  COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/../e2e/cli-validate.sh" "$<TARGET_FILE:ipr-drill>"
          "${PROJECT_SOURCE_DIR}")
# Every bundled pack validates with --strict.
add_test(NAME bundled_packs_strict
  COMMAND ipr-drill validate --strict --quiet "${PROJECT_SOURCE_DIR}/scenarios"
          "${IPR_TEST_FIXTURES}/example-pack.yaml")
# The fixture is a copy of the shared spec's example: it must not drift.
add_test(NAME example_pack_matches_spec
  COMMAND sh -c "test -f \"$1\" || exit 77; cmp \"$1\" \"$2\""
          sh "${PROJECT_SOURCE_DIR}/../shared/spec/example-pack.yaml" "${IPR_TEST_FIXTURES}/example-pack.yaml")
set_tests_properties(example_pack_matches_spec PROPERTIES SKIP_RETURN_CODE 77)
