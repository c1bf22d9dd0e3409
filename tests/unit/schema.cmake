# docs/pack.schema.json must accept the spec example, its fixture copy and
# every bundled pack, and refuse the broken documents check_schema.py
# builds.  Needs python3 with the yaml and jsonschema modules (Debian:
# python3-yaml, python3-jsonschema).
find_program(IPR_PYTHON3 python3 REQUIRED)
add_test(NAME test_schema
  COMMAND "${IPR_PYTHON3}" "${CMAKE_CURRENT_SOURCE_DIR}/schema/check_schema.py"
          "${PROJECT_SOURCE_DIR}/docs/pack.schema.json"
          --optional "${PROJECT_SOURCE_DIR}/../shared/spec/example-pack.yaml"
          "${CMAKE_CURRENT_SOURCE_DIR}/fixtures/example-pack.yaml"
          --scenarios "${PROJECT_SOURCE_DIR}/scenarios")
