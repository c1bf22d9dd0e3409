# The results store: unit tests, then the multi-process tests (50 writers
# at once; SIGKILL in the middle of recording).
ipr_unit_test(test_store
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_store.c
  LIBS ipr_store PkgConfig::SQLITE)

add_executable(store_concurrency ${CMAKE_CURRENT_LIST_DIR}/../store/concurrency.c)
target_link_libraries(store_concurrency PRIVATE ipr_store PkgConfig::SQLITE)
add_test(NAME store_concurrency
  COMMAND store_concurrency many "${CMAKE_CURRENT_BINARY_DIR}/store-concurrency" 50 40)
add_test(NAME store_sigkill
  COMMAND store_concurrency sigkill "${CMAKE_CURRENT_BINARY_DIR}/store-sigkill" 12)
set_tests_properties(store_concurrency store_sigkill PROPERTIES TIMEOUT 600)
