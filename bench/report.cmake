# Reports benchmark: gen-results fills a results database with synthetic
# attempts played by the engine; report-bench.sh times `ipr-drill report`
# against the bare SQL aggregates (gen-results --sql VIEW).  Not installed.
add_executable(gen-results ${CMAKE_CURRENT_LIST_DIR}/gen-results.c)
target_link_libraries(gen-results PRIVATE ipr_report ipr_engine ipr_store ipr_pack
  PkgConfig::SQLITE)
