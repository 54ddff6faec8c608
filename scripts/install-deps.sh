#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs every Debian package Cuecard needs to build, test and run its demo, on Debian 12
# (bookworm, OBS 29, Qt5), 13 (trixie, OBS 30, Qt6) and testing (forky, OBS 32, Qt6).
# Idempotent: packages already present are left alone. Runs as root or through sudo.
#
# Names that differ between releases are chosen by what the release has, never by a list per
# release: `a|b` takes the first name apt knows; versioned servers and compilers come through
# Debian's own default metapackages (postgresql, clang, libclang-rt-dev); Qt's major version
# follows the libobs the release ships (Qt5 for OBS 29, Qt6 for OBS 30 and later, which are
# built with Qt6 only and refuse a plugin linked to Qt5).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang-format
  # Vulkan: headers, loader, Mesa's lavapipe (CPU) driver, shader compiler
  libvulkan-dev mesa-vulkan-drivers glslang-tools
  # text: FreeType (SDF renderer), HarfBuzz, FriBidi, fontconfig
  libfreetype-dev libharfbuzz-dev libfribidi-dev libfontconfig-dev
  # paragraphs: Unicode line breaking (UAX #14, with dictionaries for Thai and others)
  libicu-dev
  # fonts (OFL): Inter for Latin/Greek/Cyrillic, Noto for Arabic, Hebrew and CJK
  fonts-inter fonts-noto-core fonts-noto-cjk
  # color emoji in names and greetings (a bitmap font FreeType draws in color)
  fonts-noto-color-emoji
  # data formats
  nlohmann-json3-dev libpng-dev
  # pictures: fetched over http(s) (libcurl), decoded by each format's own library
  libcurl4-openssl-dev libturbojpeg0-dev libwebp-dev libgif-dev librsvg2-dev libcairo2-dev
  # "capture:" pictures: screenshots of a recipient's web page (only these need it), and its
  # setuid sandbox for where user namespaces are not available (a chroot, a locked-down kernel)
  chromium chromium-sandbox
  # tests and benchmarks
  doctest-dev libbenchmark-dev tesseract-ocr tesseract-ocr-eng
  # the GPU and libobs tests run every Vulkan call through Khronos' validation layer
  vulkan-validationlayers
  # fuzzing: the release's default clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-dev
  # the OBS plugin: libobs + frontend API (Qt for the dock is added below, by libobs's version)
  libobs-dev libx11-dev
  # zero-copy textures: OpenGL/EGL headers (the functions come from OBS's own GL at run time)
  libgl-dev libegl-dev
  # end-to-end tests: the real OBS under Xvfb, driven from Node over obs-websocket (Debian's
  # nodejs has no npm: it is a package of its own)
  obs-studio xvfb xauth x11-utils ffmpeg nodejs npm
  # teams: a shared campaign on PostgreSQL (the client library, and the release's default
  # server, which the tests start in a temporary folder)
  libpq-dev postgresql
  # the recorder: libavcodec/libavformat (libx264 comes with libavcodec); the email assets:
  # libavfilter (palettegen/paletteuse for the GIF)
  libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev
  # publishing: the tests start a throwaway OpenSSH server (sftp:// destinations, ssh-keygen
  # for its keys) and a throwaway Dovecot (drafts over IMAP) on 127.0.0.1
  openssh-server openssh-client dovecot-imapd
  # release files: dpkg-deb for CPack's .deb, xz for the source tarball
  dpkg-dev file xz-utils git
)

release="$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-${ID:-unknown}}")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  fi
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
known() { apt-cache show --no-all-versions "$1" >/dev/null 2>&1; }

# apt's package lists, once, and only when something has to be looked up or installed.
updated=0
update_lists() {
  if [ "$updated" -eq 0 ]; then
    if [ -z "$SUDO" ] && [ "$(id -u)" -ne 0 ]; then
      return 0 # cannot update: the lists as they are must do
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >/dev/null
    updated=1
  fi
}

# Qt follows libobs: the version installed, else the one apt would install.
obs_version="$(dpkg-query -W -f='${Version}' libobs-dev 2>/dev/null || true)"
if [ -z "$obs_version" ]; then
  update_lists
  obs_version="$(apt-cache policy libobs-dev 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
fi
obs_major="$(printf '%s' "$obs_version" | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/')"
if [ -z "$obs_major" ] || [ "$obs_major" = "(none)" ]; then
  echo "cuecard: $release has no libobs-dev package (OBS Studio's development files); Cuecard" \
    "needs Debian 12 or later" >&2
  exit 1
fi
if [ "$obs_major" -ge 30 ]; then
  packages+=(qt6-base-dev)
else
  packages+=(qtbase5-dev)
fi

missing=()
for entry in "${packages[@]}"; do
  # A Node.js from elsewhere (e.g. NodeSource's) ships its own npm and conflicts with Debian's.
  if [ "$entry" = npm ] && command -v npm >/dev/null 2>&1; then
    continue
  fi
  IFS='|' read -r -a alternatives <<<"$entry"
  have=""
  for p in "${alternatives[@]}"; do
    if installed "$p"; then have="$p"; break; fi
  done
  [ -n "$have" ] && continue
  update_lists
  chosen=""
  for p in "${alternatives[@]}"; do
    if known "$p"; then chosen="$p"; break; fi
  done
  if [ -z "$chosen" ]; then
    echo "cuecard: $release has no package ${entry//|/ or } (needed to build or test Cuecard)" >&2
    exit 1
  fi
  missing+=("$chosen")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "cuecard: all ${#packages[@]} Debian packages already installed ($release, OBS $obs_major)"
  exit 0
fi

if [ -z "$SUDO" ] && [ "$(id -u)" -ne 0 ]; then
  echo "cuecard: missing packages: ${missing[*]}" >&2
  echo "cuecard: run this script as root (or install sudo) to install them" >&2
  exit 1
fi

echo "cuecard: installing on $release (OBS $obs_major): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
update_lists
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

# The OpenSSH and Dovecot servers are here only for the tests, which start their own on
# 127.0.0.1: a server this script just installed is not left running or starting at boot.
for pair in openssh-server:ssh dovecot-imapd:dovecot; do
  pkg="${pair%%:*}" unit="${pair##*:}"
  if printf '%s\n' "${missing[@]}" | grep -qx "$pkg" && command -v systemctl >/dev/null 2>&1 &&
    [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now "$unit" >/dev/null 2>&1 || true
    echo "cuecard: $unit (installed for the tests) is stopped and not started at boot"
  fi
done
