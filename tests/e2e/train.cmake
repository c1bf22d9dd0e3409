# End-to-end tests of the trainer: the real binary in tmux.
foreach(script train-example train-resume train-terminal play-all-packs dashboard-trainees)
  add_test(NAME e2e_${script}
    COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/${script}.sh" "$<TARGET_FILE:ipr-drill>" "${PROJECT_SOURCE_DIR}")
  set_tests_properties(e2e_${script} PROPERTIES TIMEOUT 300)
endforeach()
