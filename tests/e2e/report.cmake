# End-to-end tests of `ipr-drill report`: CSV, JSON and text parsed back and
# checked against the hand-computed fixture of tests/unit/test_report.c, and
# the HTML report rendered by headless Chromium (skipped, exit 77, when
# Chromium is not installed).
foreach(script report-formats report-html)
  add_test(NAME e2e_${script}
    COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/${script}.sh" "$<TARGET_FILE:ipr-drill>"
      "$<TARGET_FILE:test_report>"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set_tests_properties(e2e_${script} PROPERTIES TIMEOUT 180 SKIP_RETURN_CODE 77)
endforeach()
