# Merging, export, regrade and the dashboard's data (issue 5, the merge work).
ipr_unit_test(test_merge
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_merge.c
  LIBS ipr_report PkgConfig::SQLITE)
foreach(t export regrade)
  if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/test_${t}.c")
    ipr_unit_test(test_${t}
      SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_${t}.c
      LIBS ipr_report PkgConfig::SQLITE)
  endif()
endforeach()
