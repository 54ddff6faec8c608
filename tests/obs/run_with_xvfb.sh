#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs a command with a private Xvfb display (for libobs' OpenGL through llvmpipe).
set -uo pipefail
command -v Xvfb >/dev/null || { echo "FAIL: Xvfb is not installed (run scripts/install-deps.sh)"; exit 1; }
display=":$((200 + RANDOM % 500))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1 "$@"
