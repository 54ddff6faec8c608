# SPDX-License-Identifier: GPL-2.0-or-later
# Finds every library Cuecard links, and names the Debian package to install when one is missing.
find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config' "
                      "(or run scripts/install-deps.sh)")
endif()

function(cuecard_require_pkg target module debian_package)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} not found: install the Debian package '${debian_package}' "
                        "(or run scripts/install-deps.sh)")
  endif()
endfunction()

cuecard_require_pkg(VULKAN vulkan libvulkan-dev)
cuecard_require_pkg(FREETYPE freetype2 libfreetype-dev)
cuecard_require_pkg(HARFBUZZ harfbuzz libharfbuzz-dev)
cuecard_require_pkg(FRIBIDI fribidi libfribidi-dev)
cuecard_require_pkg(FONTCONFIG fontconfig libfontconfig-dev)
cuecard_require_pkg(ICU icu-uc libicu-dev)
cuecard_require_pkg(PNG libpng libpng-dev)
cuecard_require_pkg(CURL libcurl libcurl4-openssl-dev)
cuecard_require_pkg(TURBOJPEG libturbojpeg libturbojpeg0-dev)
cuecard_require_pkg(WEBP libwebp libwebp-dev)
cuecard_require_pkg(RSVG librsvg-2.0 librsvg2-dev)
cuecard_require_pkg(CAIRO cairo libcairo2-dev)
find_package(GIF QUIET)
if(NOT GIF_FOUND)
  message(FATAL_ERROR "giflib not found: install the Debian package 'libgif-dev' "
                      "(or run scripts/install-deps.sh)")
endif()
cuecard_require_pkg(AVCODEC libavcodec libavcodec-dev)
cuecard_require_pkg(AVFORMAT libavformat libavformat-dev)
cuecard_require_pkg(AVFILTER libavfilter libavfilter-dev)
cuecard_require_pkg(LIBPQ libpq libpq-dev)
cuecard_require_pkg(AVUTIL libavutil libavutil-dev)
cuecard_require_pkg(SWSCALE libswscale libswscale-dev)
cuecard_require_pkg(SWRESAMPLE libswresample libswresample-dev)

find_package(nlohmann_json 3.10 QUIET)
if(NOT nlohmann_json_FOUND)
  message(FATAL_ERROR "nlohmann_json not found: install the Debian package 'nlohmann-json3-dev' "
                      "(or run scripts/install-deps.sh)")
endif()

find_program(GLSLANG_VALIDATOR glslangValidator)
if(NOT GLSLANG_VALIDATOR)
  message(FATAL_ERROR "glslangValidator not found: install the Debian package 'glslang-tools' "
                      "(or run scripts/install-deps.sh)")
endif()

if(CUECARD_BUILD_TESTS)
  find_package(doctest QUIET)
  if(NOT doctest_FOUND)
    message(FATAL_ERROR "doctest not found: install the Debian package 'doctest-dev' "
                        "(or run scripts/install-deps.sh), or configure with -DCUECARD_BUILD_TESTS=OFF")
  endif()
endif()
if(CUECARD_BUILD_BENCH)
  find_package(benchmark QUIET)
  if(NOT benchmark_FOUND)
    message(FATAL_ERROR "Google Benchmark not found: install the Debian package 'libbenchmark-dev' "
                        "(or run scripts/install-deps.sh), or configure with -DCUECARD_BUILD_BENCH=OFF")
  endif()
endif()

if(CUECARD_BUILD_OBS_PLUGIN)
  find_package(libobs QUIET)
  find_package(obs-frontend-api QUIET)
  if(NOT libobs_FOUND OR NOT obs-frontend-api_FOUND)
    message(FATAL_ERROR "libobs not found: install the Debian package 'libobs-dev' (or run "
                        "scripts/install-deps.sh), or configure with -DCUECARD_BUILD_OBS_PLUGIN=OFF")
  endif()
  # Qt's major version follows the OBS built against: OBS 30 and later are built with Qt6 only
  # and skip a plugin linked to Qt5 (Qt5 and Qt6 cannot share one process); OBS 29 is Qt5.
  if(libobs_VERSION VERSION_GREATER_EQUAL 30)
    set(CUECARD_QT_MAJOR 6)
    set(_qt_package qt6-base-dev)
  else()
    set(CUECARD_QT_MAJOR 5)
    set(_qt_package qtbase5-dev)
  endif()
  find_package(Qt${CUECARD_QT_MAJOR} QUIET COMPONENTS Widgets)
  if(NOT Qt${CUECARD_QT_MAJOR}_FOUND)
    message(FATAL_ERROR "Qt${CUECARD_QT_MAJOR} Widgets not found (OBS ${libobs_VERSION} needs "
                        "Qt${CUECARD_QT_MAJOR}): install the Debian package '${_qt_package}' (or "
                        "run scripts/install-deps.sh), or configure with -DCUECARD_BUILD_OBS_PLUGIN=OFF")
  endif()
  add_library(cuecard_qt_widgets INTERFACE)
  target_link_libraries(cuecard_qt_widgets INTERFACE Qt${CUECARD_QT_MAJOR}::Widgets)
  message(STATUS "Cuecard: OBS ${libobs_VERSION}, Qt${CUECARD_QT_MAJOR}")
endif()
