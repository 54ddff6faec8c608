# SPDX-License-Identifier: GPL-2.0-or-later
# Warnings live on an INTERFACE target (vk-bootstrap's pattern): every project target links it,
# third-party code never sees it.
add_library(cuecard_warnings INTERFACE)
target_compile_options(cuecard_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough>)
option(CUECARD_WERROR "Treat warnings as errors" OFF)
if(CUECARD_WERROR)
  target_compile_options(cuecard_warnings INTERFACE -Werror)
endif()
