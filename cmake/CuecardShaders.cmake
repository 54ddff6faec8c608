# Compiles GLSL to SPIR-V with glslang at build time and embeds it as a C array header
# (glslangValidator --vn). A depfile makes edits to included files rebuild too.
function(cuecard_add_shaders target)
  set(headers)
  foreach(src IN LISTS ARGN)
    get_filename_component(name "${src}" NAME)
    string(REPLACE "." "_" var "${name}")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/generated/shaders/${name}.h")
    add_custom_command(
      OUTPUT "${out}"
      COMMAND "${GLSLANG_VALIDATOR}" -V --target-env vulkan1.0 --quiet
              --vn "kSpirv_${var}" --depfile "${out}.d"
              -o "${out}" "${CMAKE_CURRENT_SOURCE_DIR}/${src}"
      DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${src}"
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
