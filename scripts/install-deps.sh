#!/usr/bin/env bash
# Installs every Debian 12 package Cuecard needs to build, test and run its demo.
# Idempotent: packages already present are left alone. Runs as root or through sudo.
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
  # fuzzing: clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # the OBS plugin: libobs 29 + frontend API, Qt5 for the dock
  libobs-dev qtbase5-dev libx11-dev
  # zero-copy textures: OpenGL/EGL headers (the functions come from OBS's own GL at run time)
  libgl-dev libegl-dev
  # end-to-end tests: the real OBS under Xvfb, driven from Node over obs-websocket (Debian 12's
  # nodejs has no npm: it is a package of its own)
  obs-studio xvfb xauth ffmpeg nodejs npm
  # teams: a shared campaign on PostgreSQL (the client library, and the server the tests start
  # in a temporary folder)
  libpq-dev postgresql-15
  # the recorder: libavcodec/libavformat (libx264 comes with libavcodec59); the email assets:
  # libavfilter (palettegen/paletteuse for the GIF)
  libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev
)

missing=()
for p in "${packages[@]}"; do
  # A Node.js from elsewhere (e.g. NodeSource's) ships its own npm and conflicts with Debian's.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "cuecard: all ${#packages[@]} Debian packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "cuecard: missing packages: ${missing[*]}" >&2
    echo "cuecard: run this script as root (or install sudo) to install them" >&2
    exit 1
  fi
fi

echo "cuecard: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
