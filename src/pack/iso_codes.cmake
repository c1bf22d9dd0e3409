# Generates iso_codes.h: the ISO 3166-1 alpha-2 and ISO 4217 code lists, read
# from Debian's iso-codes package so that the lists stay current without a
# hand-kept copy.
set(IPR_ISO_CODES_DIR "/usr/share/iso-codes/json" CACHE PATH "Folder holding iso-codes' JSON files")

function(ipr_iso_list file array key out)
  if(NOT EXISTS "${IPR_ISO_CODES_DIR}/${file}")
    message(FATAL_ERROR "${IPR_ISO_CODES_DIR}/${file} not found: install Debian's iso-codes package (apt-get install iso-codes)")
  endif()
  file(READ "${IPR_ISO_CODES_DIR}/${file}" json)
  string(JSON n LENGTH "${json}" "${array}")
  math(EXPR last "${n} - 1")
  set(codes "")
  foreach(i RANGE ${last})
    string(JSON code GET "${json}" "${array}" ${i} "${key}")
    list(APPEND codes "${code}")
  endforeach()
  list(SORT codes)
  list(REMOVE_DUPLICATES codes)
  set(${out} "${codes}" PARENT_SCOPE)
endfunction()

ipr_iso_list(iso_3166-1.json 3166-1 alpha_2 countries)
ipr_iso_list(iso_4217.json 4217 alpha_3 currencies)
list(JOIN countries "\", \"" country_items)
list(JOIN currencies "\", \"" currency_items)
file(CONFIGURE OUTPUT "${PROJECT_BINARY_DIR}/generated/iso_codes.h" CONTENT
"/* Generated from iso-codes by src/pack/iso_codes.cmake; sorted for bsearch. */
static const char *const iso_countries[] = {\"${country_items}\"};
static const char *const iso_currencies[] = {\"${currency_items}\"};
" @ONLY)
