#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One command runs the whole test suite: installs what is missing, builds with warnings as errors,
# and runs every CTest test (unit, GPU on lavapipe, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# The end-to-end tests' obs-websocket client, pinned by package-lock.json.
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
cmake --preset default -DCUECARD_WERROR=ON >/dev/null
cmake --build --preset default
ctest --preset default "$@"
