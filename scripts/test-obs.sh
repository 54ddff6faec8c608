#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The OBS-facing tests alone, against the OBS this Debian release ships (29, 30 or 32): installs
# what is missing, builds the plugin, the CLI and their tests (no benchmarks, no fuzzers) with
# warnings as errors, installs the plugin the README's way, and runs the dock's Qt test, the
# libobs harness (with its slow-file-system thread-contract run) and the end-to-end test in the
# real OBS under Xvfb, and checks plugin/core's folders read one way. What CI runs in a Debian
# testing root (OBS 32, Qt6); scripts/test.sh runs these and everything else.
# Usage: scripts/test-obs.sh [ctest options]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
cmake --preset default -DCUECARD_WERROR=ON -DCUECARD_BUILD_BENCH=OFF -DCUECARD_BUILD_FUZZERS=OFF \
  >/dev/null
cmake --build --preset default --target cuecard cuecard-obs cuecard_libobs_tests cuecard_qt_tests
obs_version="$(obs --version 2>/dev/null | head -n 1 || true)"
echo "test-obs: ${obs_version:-OBS} ($(. /etc/os-release && echo "$PRETTY_NAME"))"
ctest --preset default -R '^(qt|libobs|libobs_slowfs|e2e_obs|spdx|core_layers)$' "$@"
