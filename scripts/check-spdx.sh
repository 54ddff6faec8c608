#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every source, shader, script and CMake file the repository tracks names its license in its
# first lines (SPDX-License-Identifier: GPL-2.0-or-later), so a file copied out of Cuecard still
# says under what terms. Lists the files without one and exits 1; exit 0 when all have it.
# Usage: scripts/check-spdx.sh [REPO_DIR]
set -euo pipefail
repo="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$repo"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "check-spdx: $repo is not a git checkout" >&2
  exit 2
fi
missing=0
checked=0
# Tracked files and untracked ones not ignored: a new file is checked before it is committed.
while IFS= read -r -d '' f; do
  case "$f" in
    *.cpp | *.hpp | *.h | *.c | *.mjs | *.js | *.sh | *.cmake | *CMakeLists.txt | *.sql | \
      *.vert | *.frag | *.comp | *.glsl | *.effect | *.in | .ci/run | scripts/*) ;;
    *) continue ;;
  esac
  case "$f" in
    # data, not source (JSON has no comments)
    */node_modules/* | tests/queue-corpus/* | tests/picture-corpus/* | fuzz/seeds/* | *.json.in) continue ;;
  esac
  [ -f "$f" ] || continue
  checked=$((checked + 1))
  if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-or-later'; then
    echo "check-spdx: $f has no 'SPDX-License-Identifier: GPL-2.0-or-later' in its first 3 lines"
    missing=$((missing + 1))
  fi
done < <(git ls-files -z --cached --others --exclude-standard)
if [ "$checked" -eq 0 ]; then
  echo "check-spdx: no source file found in $repo" >&2
  exit 2
fi
echo "spdx: $((checked - missing)) passed, $missing failed"
[ "$missing" -eq 0 ]
