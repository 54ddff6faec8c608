#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes Cuecard's release files from a clean checkout:
#   cuecard-VERSION.tar.xz                   the source (git archive; it knows its commit)
#   cuecard_VERSION_CODENAME_ARCH.deb        built from that tarball, for the Debian release
#                                            this runs on (its OBS, Qt and FFmpeg)
#   SHA256SUMS                               for both; checked before the script ends
# VERSION is project(cuecard VERSION …) in CMakeLists.txt. On a tag vVERSION the files carry
# VERSION; anywhere else they are a snapshot, VERSION+gitSHORTSHA, and the script says so.
#
# Usage: scripts/release.sh [--out DIR] [--jobs N]      (default: ./release, 2 jobs)
# Needs the build dependencies (scripts/install-deps.sh); the .deb is built without tests.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/release"
jobs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h | --help) sed -n '3,13p' "$0"; exit 0 ;;
    *) echo "release: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
cd "$repo"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "release: the checkout has uncommitted changes; a release is made from a commit" >&2
  exit 1
fi
version="$(sed -n 's/^project(cuecard VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)"
[ -n "$version" ] || { echo "release: no project(cuecard VERSION …) in CMakeLists.txt" >&2; exit 1; }
commit="$(git rev-parse --short=12 HEAD)"
name="$version"
if [ "$(git tag --points-at HEAD | grep -cx "v$version")" -eq 0 ]; then
  name="$version+git$commit"
  echo "release: HEAD ($commit) is not tagged v$version: making a snapshot, $name"
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
tarball="$out/cuecard-$name.tar.xz"
for f in "$tarball" "$out/SHA256SUMS"; do
  [ ! -e "$f" ] || { echo "release: $f exists; choose another --out" >&2; exit 1; }
done

echo "== source: $(basename "$tarball")"
git archive --format=tar --prefix="cuecard-$name/" HEAD | xz -9 -T0 >"$tarball.part"
mv "$tarball.part" "$tarball"

echo "== .deb: built from the tarball"
work="$(mktemp -d /tmp/cuecard-release.XXXXXX)"
trap 'rm -rf "$work"' EXIT
tar -xJf "$tarball" -C "$work"
src="$work/cuecard-$name"
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DCUECARD_BUILD_TESTS=OFF -DCUECARD_BUILD_BENCH=OFF >"$work/configure.log" 2>&1 ||
  { tail -20 "$work/configure.log"; echo "release: configure failed" >&2; exit 1; }
cmake --build "$work/build" -j "$jobs" >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log"; echo "release: build failed" >&2; exit 1; }
(cd "$work/build" && cpack -G DEB >"$work/cpack.log" 2>&1) ||
  { tail -20 "$work/cpack.log"; echo "release: cpack failed" >&2; exit 1; }
deb="$(ls "$work/build"/cuecard_*.deb)"
debname="$(basename "$deb")"
if [ "$name" != "$version" ]; then
  debname="${debname/cuecard_${version}_/cuecard_${name}_}"
fi
[ ! -e "$out/$debname" ] || { echo "release: $out/$debname exists" >&2; exit 1; }
cp "$deb" "$out/$debname"

(cd "$out" && sha256sum "$(basename "$tarball")" "$debname" >SHA256SUMS && sha256sum -c SHA256SUMS)
echo "release: $out"
ls -l "$out"
