# The content test: every bundled pack loads cleanly and the curriculum's
# totals (issue 4) hold, so the content cannot shrink unnoticed.
ipr_unit_test(test_content SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_content.c LIBS ipr_pack)
