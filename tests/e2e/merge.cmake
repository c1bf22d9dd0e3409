# End-to-end tests of merge, export, regrade and the dashboard (issue 5).


foreach(script merge-laptops dashboard-live)
  if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/${script}.sh")
    add_test(NAME e2e_${script}
      COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/${script}.sh" "$<TARGET_FILE:ipr-drill>"
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
    set_tests_properties(e2e_${script} PROPERTIES TIMEOUT 120)
  endif()
endforeach()
