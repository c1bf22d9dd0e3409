# Reports and statistics: every figure against hand-computed values.
ipr_unit_test(test_report
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_report.c
  LIBS ipr_report ipr_pack PkgConfig::SQLITE)
