#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The folders of plugin/core read one way: when a file in folder A includes "core/B/…", B sits
# below A, and no folder may include, directly or through others, a folder that includes it back.
# Prints the folders' order (lowest first) and exits 0; on a loop, prints the folders in it with
# the include lines that make it, and exits 1.
# Usage: scripts/check-core-layers.sh [REPO_DIR]
set -euo pipefail
repo="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
core="$repo/plugin/core"
[ -d "$core" ] || { echo "check-core-layers: no $core" >&2; exit 2; }

# "B A" for every include of folder B from folder A (tsort: B before A), and each folder alone.
edges=$(cd "$core" && grep -rHoE '#include "core/[a-z_]+/' --include='*.hpp' --include='*.cpp' . |
  sed -E 's#^\./([a-z_]+)/[^:]*:\#include "core/([a-z_]+)/#\2 \1#' | awk '$1 != $2' | sort -u)
folders=$(cd "$core" && find . -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
all=$(printf '%s\n' "$edges"; for f in $folders; do echo "$f $f"; done)

err=$(mktemp)
trap 'rm -f "$err"' EXIT
if order=$(printf '%s\n' "$all" | tsort 2>"$err"); then
  echo "plugin/core folders, lowest first: $(echo "$order" | tr '\n' ' ')"
  exit 0
fi
echo "FAIL: plugin/core has folders that include each other (a loop: $(sed -n 's/^tsort: //p' "$err" |
  grep -v 'input contains a loop' | tr '\n' ' '))"
# The include lines that close the loop between two folders that include each other directly.
printf '%s\n' "$edges" | while read -r below above; do
  if printf '%s\n' "$edges" | grep -qx "$above $below"; then
    echo "  $above includes $below:"
    (cd "$core" && grep -rnE "#include \"core/$below/" "$above" | sed 's/^/    /')
  fi
done
exit 1
