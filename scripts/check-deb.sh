#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The .deb the way a rep installs it: makes the release files (scripts/release.sh), installs the
# package with `apt-get install ./cuecard_….deb` into this system's OBS, starts that OBS under
# Xvfb with a new, empty profile (no plugin of the user's) and waits until its log says Cuecard
# loaded with the package's version from /usr/lib/…/obs-plugins; checks `cuecard --version` and
# OBS 32's manifest; then removes the package. As root (or through sudo), on a machine or root
# where scripts/install-deps.sh ran.
# Usage: scripts/check-deb.sh [--keep-installed]
set -uo pipefail
cd "$(dirname "$0")/.."
keep=0
[ "${1:-}" = --keep-installed ] && keep=1
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
out="$(mktemp -d /tmp/cuecard-check-deb.XXXXXX)"
fails=0
passes=0
check() { # description, condition...
  local what="$1"; shift
  if "$@"; then echo "ok: $what"; passes=$((passes + 1)); else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
cleanup() {
  [ -n "${obs_pid:-}" ] && kill -9 "$obs_pid" 2>/dev/null
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null
  if [ "$keep" -eq 0 ] && dpkg-query -W cuecard >/dev/null 2>&1; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q cuecard >/dev/null 2>&1
  fi
}
trap cleanup EXIT

if ! scripts/release.sh --out "$out/release" >"$out/release.log" 2>&1; then
  tail -30 "$out/release.log"
  echo "FAIL: scripts/release.sh"
  exit 1
fi
deb="$(ls "$out"/release/cuecard_*.deb)"
version="$(dpkg-deb -f "$deb" Version)"
echo "check-deb: $(basename "$deb") (version $version)"
check "the release's checksums verify" sh -c "cd '$out/release' && sha256sum -c --quiet SHA256SUMS"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$out/apt.log" 2>&1
check "apt installs the package" dpkg-query -W cuecard
plugin="$(dpkg -L cuecard | grep '/obs-plugins/cuecard\.so$' || true)"
check "the plugin is where the system's OBS looks ($plugin)" test -n "$plugin"
check "OBS 32's plugin manager finds a manifest with the version" \
  grep -q "\"version\": \"$version\"" /usr/share/obs/obs-plugins/cuecard/manifest.json
check "cuecard --version names the package's version" sh -c "cuecard --version | grep -q '^cuecard $version'"

home="$out/home"
mkdir -p "$home/.config/obs-studio"
for ini in global.ini user.ini; do
  printf '[General]\nFirstRun=false\nPre31Migrated=true\nLastVersion=486539266\n' \
    >"$home/.config/obs-studio/$ini"
done
display_num=$((300 + RANDOM % 200))
Xvfb ":$display_num" -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$display_num" ] && break; sleep 0.1; done
(cd "$out" && HOME="$home" DISPLAY=":$display_num" LIBGL_ALWAYS_SOFTWARE=1 \
  exec obs --multi --disable-shutdown-check --minimize-to-tray >"$out/obs.log" 2>&1) &
obs_pid=$!
loaded=""
for _ in $(seq 1200); do # up to 120 s: OBS's first start on a CPU renderer is slow
  loaded="$(grep -h "\[cuecard\] version" "$out/obs.log" "$home/.config/obs-studio/logs/"*.txt 2>/dev/null | head -n 1)"
  [ -n "$loaded" ] && break
  kill -0 "$obs_pid" 2>/dev/null || break
  sleep 0.1
done
check "the system's OBS loads the packaged Cuecard ($loaded)" sh -c "printf '%s' '$loaded' | grep -q 'version $version'"
echo "check-deb: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
