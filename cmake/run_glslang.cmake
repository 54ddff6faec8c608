# SPDX-License-Identifier: GPL-2.0-or-later
# Runs glslangValidator for one shader and fails loudly: glslang's own message on a GLSL error,
# and an error when the output was not written (glslang can exit 0 without writing it).
# Usage: cmake -DGLSLANG=... -DSRC=... -DOUT=... -DVAR=... -P run_glslang.cmake
get_filename_component(_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${_dir}")
file(REMOVE "${OUT}")
execute_process(
  COMMAND "${GLSLANG}" -V --target-env vulkan1.0 --vn "${VAR}" --depfile "${OUT}.d" -o "${OUT}"
          "${SRC}"
  RESULT_VARIABLE _code
  OUTPUT_VARIABLE _out
  ERROR_VARIABLE _out)
if(NOT _code EQUAL 0)
  message(FATAL_ERROR "glslang failed on ${SRC} (exit ${_code}):\n${_out}")
endif()
if(NOT EXISTS "${OUT}")
  message(FATAL_ERROR "glslang did not write ${OUT}:\n${_out}")
endif()
