# The TUI's pure parts: layout in display columns and the key tables.
ipr_unit_test(test_tui_layout
  SOURCES unit/test_tui_layout.c
  LIBS ipr_tui)
target_include_directories(test_tui_layout PRIVATE "${PROJECT_SOURCE_DIR}/src/tui")
