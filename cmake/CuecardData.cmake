# SPDX-License-Identifier: GPL-2.0-or-later
# The data folder (themes, samples, locale) plus the OFL fonts Cuecard ships, taken from Debian's
# fonts-inter and fonts-noto-core with their licences. Staged into <build>/data on every build so
# the CLI and tests run from the build tree; installed to <datadir>/cuecard.
include(GNUInstallDirs)

set(CUECARD_BUILD_DATA_DIR "${CMAKE_BINARY_DIR}/data")
set(CUECARD_INSTALL_DATA_DIR "${CMAKE_INSTALL_FULL_DATADIR}/cuecard")

set(CUECARD_FONT_FILES
  /usr/share/fonts/opentype/inter/Inter-Regular.otf
  /usr/share/fonts/opentype/inter/Inter-Medium.otf
  /usr/share/fonts/opentype/inter/Inter-SemiBold.otf
  /usr/share/fonts/opentype/inter/Inter-Bold.otf
  /usr/share/fonts/opentype/inter/Inter-Italic.otf
  /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf
  /usr/share/fonts/truetype/noto/NotoSans-Bold.ttf
  /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf
  /usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf
  /usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf
  /usr/share/fonts/truetype/noto/NotoSansHebrew-Bold.ttf)
foreach(font IN LISTS CUECARD_FONT_FILES)
  if(NOT EXISTS "${font}")
    message(FATAL_ERROR "${font} not found: install the Debian packages 'fonts-inter' and "
                        "'fonts-noto-core' (or run scripts/install-deps.sh)")
  endif()
endforeach()

# OBS 32's plugin manager reads the module's data/manifest.json (id, name, version…): made from
# cmake/obs_manifest.json.in, so the version is the project's.
set(_obs_manifest "${CMAKE_BINARY_DIR}/obs_manifest.json")
configure_file("${PROJECT_SOURCE_DIR}/cmake/obs_manifest.json.in" "${_obs_manifest}" @ONLY)

set(_stamp "${CMAKE_BINARY_DIR}/data.stamp")
file(GLOB_RECURSE _data_sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/data/*")
add_custom_command(
  OUTPUT "${_stamp}"
  COMMAND "${CMAKE_COMMAND}" -E copy_directory "${PROJECT_SOURCE_DIR}/data" "${CUECARD_BUILD_DATA_DIR}"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${CUECARD_BUILD_DATA_DIR}/fonts"
  COMMAND "${CMAKE_COMMAND}" -E copy ${CUECARD_FONT_FILES} "${CUECARD_BUILD_DATA_DIR}/fonts/"
  COMMAND "${CMAKE_COMMAND}" -E copy /usr/share/doc/fonts-inter/copyright
          "${CUECARD_BUILD_DATA_DIR}/fonts/LICENSE-Inter.txt"
  COMMAND "${CMAKE_COMMAND}" -E copy /usr/share/doc/fonts-noto-core/copyright
          "${CUECARD_BUILD_DATA_DIR}/fonts/LICENSE-Noto.txt"
  COMMAND "${CMAKE_COMMAND}" -E copy "${_obs_manifest}" "${CUECARD_BUILD_DATA_DIR}/manifest.json"
  COMMAND "${CMAKE_COMMAND}" -E touch "${_stamp}"
  DEPENDS ${_data_sources} ${CUECARD_FONT_FILES} "${_obs_manifest}"
  COMMENT "Staging data and fonts in ${CUECARD_BUILD_DATA_DIR}"
  VERBATIM)
add_custom_target(cuecard_data ALL DEPENDS "${_stamp}")

install(DIRECTORY "${CUECARD_BUILD_DATA_DIR}/" DESTINATION "${CMAKE_INSTALL_DATADIR}/cuecard")
