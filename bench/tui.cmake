# tui-bench: keypress-to-frame latency of the trainer (docs/performance.md,
# "Trainer keypress latency").  Include from bench/CMakeLists.txt.
add_executable(tui-bench "${CMAKE_CURRENT_LIST_DIR}/tui-bench.c")
target_include_directories(tui-bench PRIVATE "${PROJECT_SOURCE_DIR}/src/tui" ${NCURSESW_INCLUDE_DIRS})
target_link_libraries(tui-bench PRIVATE ipr_tui ${NCURSESW_LINK_LIBRARIES})
