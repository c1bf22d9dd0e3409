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
