# Reports and statistics: every figure against hand-computed values.
ipr_unit_test(test_report
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_report.c
  LIBS ipr_report ipr_pack PkgConfig::SQLITE)

# The report's own hashing (report_hash.c, report_agg.c), through its
# internal header.
ipr_unit_test(test_report_hash
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_report_hash.c
  LIBS ipr_report PkgConfig::SQLITE)
target_include_directories(test_report_hash PRIVATE "${PROJECT_SOURCE_DIR}/src/report")
