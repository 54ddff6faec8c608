#!/usr/bin/env bash
# One command runs the whole test suite: installs what is missing, builds with warnings as errors,
# and runs every CTest test (unit, GPU on lavapipe, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default -DCUECARD_WERROR=ON >/dev/null
cmake --build --preset default
ctest --preset default "$@"
