# SPDX-License-Identifier: GPL-2.0-or-later
# The .deb (CPack): the OBS module and its data where the system's OBS looks
# (/usr/lib/<multiarch>/obs-plugins, /usr/share/obs/obs-plugins/cuecard), the cuecard CLI and its
# data (/usr/bin, /usr/share/cuecard), the license. Its dependencies come from dpkg-shlibdeps, so
# one recipe gives the right libobs, Qt and FFmpeg for the release it is built on. Made by
# scripts/release.sh (cmake --build … --target package with CMAKE_INSTALL_PREFIX=/usr).
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" "${PROJECT_SOURCE_DIR}/THIRD_PARTY.md"
              "${PROJECT_SOURCE_DIR}/CHANGELOG.md" "${PROJECT_SOURCE_DIR}/README.md"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cuecard)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "Cuecard")
set(CPACK_PACKAGE_CONTACT "Cuecard <cuecard@users.noreply.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "OBS Studio plugin: personalized lower-thirds and one file per recipient")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "A rep loads a recipient queue from a CRM export; while they record, Cuecard draws that\n"
       "recipient's name and scene text through Vulkan and splits the recording into one file\n"
       "per recipient on the exact frame, with a manifest. Includes the cuecard command.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "obs-studio")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "mesa-vulkan-drivers, fonts-noto-cjk, fonts-noto-color-emoji, chromium, ffmpeg")
# cuecard_0.1.0_trixie_amd64.deb: the release it was built for is in the name (its libobs, Qt
# and FFmpeg are that release's).
set(_codename "")
if(EXISTS /etc/os-release)
  file(STRINGS /etc/os-release _codename REGEX "^VERSION_CODENAME=")
  string(REGEX REPLACE "^VERSION_CODENAME=\"?([^\"]*)\"?$" "\\1" _codename "${_codename}")
endif()
if(_codename STREQUAL "")
  set(_codename debian)
endif()
find_program(_dpkg dpkg)
set(_arch amd64)
if(_dpkg)
  execute_process(COMMAND "${_dpkg}" --print-architecture OUTPUT_VARIABLE _arch
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
set(CPACK_DEBIAN_FILE_NAME "cuecard_${PROJECT_VERSION}_${_codename}_${_arch}.deb")
include(CPack)
