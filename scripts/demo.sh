#!/usr/bin/env bash
# One command from a fresh clone: install the Debian packages, build, and render the sample queue
# to PNGs plus a contact sheet. Prints where they are.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default

out="demo-out/overlays"
rm -rf "$out"
echo
echo "== Rendering the sample queue (data/samples/recipients.csv) with the default theme"
build/plugin/cli/cuecard render --queue data/samples/recipients.csv --theme default --out "$out"
echo
echo "Overlays (transparent PNGs): $(pwd)/$out/"
echo "Contact sheet:               $(pwd)/$out/contact-sheet.png"
