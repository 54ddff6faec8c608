# SPDX-License-Identifier: GPL-2.0-or-later
# Writes OUT (a header with kCuecardVersion and kCuecardCommit) at build time, touching it only
# when the text changes, so a new commit rebuilds one file. The commit comes from git in a
# checkout, else from cmake/commit.txt, which `git archive` fills in (export-subst) for a release
# tarball. Run as: cmake -DSRC=… -DOUT=… -DVERSION=… -P build_info.cmake
set(commit "")
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE AND EXISTS "${SRC}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SRC}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    set(commit "")
  else()
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SRC}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT changes STREQUAL "")
      string(APPEND commit "+dirty")
    endif()
  endif()
endif()
if(commit STREQUAL "" AND EXISTS "${SRC}/cmake/commit.txt")
  file(READ "${SRC}/cmake/commit.txt" archived)
  string(STRIP "${archived}" archived)
  if(archived MATCHES "^[0-9a-f]+$")
    string(SUBSTRING "${archived}" 0 12 commit)
  endif()
endif()
set(text "#pragma once\n// Generated at build time by cmake/build_info.cmake. Do not edit.\ninline constexpr const char *kCuecardVersion = \"${VERSION}\";\ninline constexpr const char *kCuecardCommit = \"${commit}\";\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
