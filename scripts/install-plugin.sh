#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Cuecard OBS plugin for the current user:
#   $HOME/.config/obs-studio/plugins/cuecard/bin/64bit/cuecard.so and …/cuecard/data/
# Builds first when needed. Restart OBS afterwards. (System-wide: sudo cmake --install build.)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/obs-plugin/cuecard/bin/64bit/cuecard.so ] || [ "${CUECARD_SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps.sh
  cmake --preset default >/dev/null
  cmake --build --preset default --target cuecard-obs
fi
dest="${HOME}/.config/obs-studio/plugins/cuecard"
rm -rf "$dest.new"
mkdir -p "$(dirname "$dest")"
cp -r build/obs-plugin/cuecard "$dest.new"
rm -rf "$dest"
mv "$dest.new" "$dest"
echo "Cuecard installed in $dest — restart OBS, then add a source: + → Cuecard Overlay"
