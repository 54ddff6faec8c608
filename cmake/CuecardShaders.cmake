# SPDX-License-Identifier: GPL-2.0-or-later
# Compiles GLSL to SPIR-V with glslang at build time and embeds it as a C array header
# (glslangValidator --vn). A depfile makes edits to included files rebuild too. Each compile goes
# through run_glslang.cmake, which creates the output folder (Make does not, Ninja does) and fails
# the build with glslang's message when a shader does not compile or its output is missing.
function(cuecard_add_shaders target)
  set(headers)
  foreach(src IN LISTS ARGN)
    get_filename_component(name "${src}" NAME)
    string(REPLACE "." "_" var "${name}")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/generated/shaders/${name}.h")
    add_custom_command(
      OUTPUT "${out}"
      COMMAND "${CMAKE_COMMAND}" "-DGLSLANG=${GLSLANG_VALIDATOR}"
              "-DSRC=${CMAKE_CURRENT_SOURCE_DIR}/${src}" "-DOUT=${out}" "-DVAR=kSpirv_${var}"
              -P "${PROJECT_SOURCE_DIR}/cmake/run_glslang.cmake"
      DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${src}" "${PROJECT_SOURCE_DIR}/cmake/run_glslang.cmake"
      DEPFILE "${out}.d"
      COMMENT "glslang: ${src} -> SPIR-V"
      VERBATIM)
    list(APPEND headers "${out}")
  endforeach()
  add_custom_target(${target}_compile DEPENDS ${headers})
  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_compile)
  target_include_directories(${target} INTERFACE "${CMAKE_CURRENT_BINARY_DIR}/generated")
endfunction()
