#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One command from a fresh clone: install the Debian packages, build, and render the sample queue
# to PNGs plus a contact sheet. Prints where they are.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# The same configuration as scripts/test.sh, so that running both builds once.
cmake --preset default -DCUECARD_WERROR=ON >/dev/null
cmake --build --preset default

out="demo-out/overlays"
rm -rf "$out"
echo
echo "== Rendering the sample queue (data/samples/recipients.csv) with the default theme"
build/plugin/cli/cuecard render --queue data/samples/recipients.csv --theme default --out "$out"

session="demo-out/session"
rm -rf "$session"
echo
echo "== Recording a 9-second test video for 4 recipients, split at 2, 4 and 6 seconds"
build/plugin/cli/cuecard session --queue data/samples/recipients.csv --theme default \
  --out "$session" --testsrc --duration 9 --switch-at 2,4,6 --size 1280x720 --fps 30
echo
echo "Overlays (transparent PNGs): $(pwd)/$out/"
echo "Contact sheet:               $(pwd)/$out/contact-sheet.png"
echo "Recordings, one per person:  $(pwd)/$session/"
ls -1 "$session"
