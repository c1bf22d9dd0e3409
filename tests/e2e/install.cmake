# The install layout (issue 2): binary, packs, art and docs.
add_test(NAME install_layout
  COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/install.sh" "${PROJECT_BINARY_DIR}" "${CMAKE_INSTALL_PREFIX}")
