#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Packs Cuecard's GPU tests, benchmark and CLI with everything they need into one archive that
# runs on an x86-64 Linux machine with nothing installed but a GPU driver and glibc 2.35 or newer
# (a GPU machine lent for a check: no package manager, a size limit on what travels).
#
#   scripts/gpu-bundle.sh [BUILD_DIR] [OUT_DIR]     (defaults: build, build/gpu-bundle)
#
# It writes two archives, each well under the 64 MiB a lent GPU machine takes per call:
# cuecard-gpu.tar.xz (about 31 MiB) and cuecard-gpu-fonts.tar.xz (the CJK and emoji fonts, about
# 32 MiB). Unpack both into one folder, then run:
#
#   tar -C /tmp -xJf cuecard-gpu-fonts.tar.xz; tar -C /tmp -xJf cuecard-gpu.tar.xz
#   /tmp/cuecard-gpu/run.sh RESULTS_DIR
#
# Without the fonts archive everything runs, and the tests that draw with those fonts fail
# saying which font is missing. The archives hold, under cuecard-gpu/:
#   bin/      the programs (stripped): cuecard_gpu_tests, cuecard_bench, cuecard, tesseract
#   lib/      every shared library they load (ldd), glvnd's libEGL for the OpenGL import test
#             (the driver's own EGL and Vulkan driver come from the machine), except glibc's,
#             which the machine has; the
#             libraries only FFmpeg's encoders and filters pull in (x265, AV1, codec2, speech
#             voices, libplacebo, LAPACK, …) are replaced by empty ones with the same name and
#             symbols: nothing here encodes with them, and they are most of the size
#   layers/   Khronos' validation layer (the GPU tests ask for it, and fail without it)
#   data/ inputs/ golden/   what the tests compiled in as paths (CUECARD_TEST_*_DIR,
#             CUECARD_GOLDEN_DIR, CUECARD_BENCH_DATA_DIR and CUECARD_DATA_DIR point here)
#   fonts/    the system fonts the tests draw with (Noto Sans CJK regular and bold, Noto
#             Color Emoji: the fonts archive) and a fonts.conf that lists only them
#   tessdata/ tesseract's English model, for the OCR tests
#   run.sh    sets the environment, runs the GPU tests, the overlay benchmark and a timed
#             `cuecard render` at 1080p and 4K, and writes their logs to RESULTS_DIR
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
out="${2:-$build/gpu-bundle}"

say() { printf 'gpu-bundle: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

programs=("$build/tests/cuecard_gpu_tests" "$build/bench/cuecard_bench" "$build/plugin/cli/cuecard")
for p in "${programs[@]}"; do
    [ -x "$p" ] || die "$p is missing: build first (cmake --preset default && cmake --build --preset default)"
done
tesseract="$(command -v tesseract)" || die "tesseract is missing: run scripts/install-deps.sh"
tessdata=/usr/share/tesseract-ocr/5/tessdata
layer_json=/usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json
system_fonts=(/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
    /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
    /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf)
for f in "$tessdata/eng.traineddata" "$layer_json" "${system_fonts[@]}"; do
    [ -f "$f" ] || die "$f is missing: run scripts/install-deps.sh"
done
libdir="$(dirname "$(ldconfig -p | awk '/libvulkan\.so\.1 .*x86-64/{print $NF; exit}')")"
layer_lib="$libdir/libVkLayer_khronos_validation.so"
egl_libs=("$libdir/libEGL.so.1" "$libdir/libGLdispatch.so.0")
for f in "$layer_lib" "${egl_libs[@]}"; do
    [ -f "$f" ] || die "$f is missing: run scripts/install-deps.sh"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/cuecard-gpu-bundle.XXXXXX")"
trap 'rm -rf "$work"' EXIT
b="$work/cuecard-gpu"
mkdir -p "$b/bin" "$b/lib" "$b/layers" "$b/fonts" "$b/tessdata" "$work/stubs"

# glibc's own libraries stay the machine's: a second libc beside the machine's breaks every
# program started from a shell.
is_glibc() {
    case "$(basename "$1")" in
    libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | libresolv.so.* | \
        libutil.so.* | ld-linux*.so.* | libanl.so.* | libmvec.so.*) return 0 ;;
    esac
    return 1
}
# FFmpeg and what only its codecs, filters and devices load: Cuecard reads and writes video only
# when recording and publishing, which nothing in the bundle does (the GPU tests, the overlay
# benchmark and `cuecard render` draw and read back pictures).
is_stubbed() {
    case "$(basename "$1")" in
    libx265.so.* | libaom.so.* | libSvtAv1Enc.so.* | libcodec2.so.* | libflite*.so.* | \
        libplacebo.so.* | liblapack.so.* | libblas.so.* | libvpx.so.* | librav1e.so.* | \
        libdav1d.so.* | libopenmpt.so.* | libx264.so.* | libzvbi.so.* | libjxl.so.* | \
        libjxl_threads.so.* | libavcodec.so.* | libavformat.so.* | libavutil.so.* | \
        libavfilter.so.* | libavdevice.so.* | libswscale.so.* | libswresample.so.* | \
        libpostproc.so.*) return 0 ;;
    esac
    return 1
}

# The objects whose libraries we gather, and the libraries' closure (ldd resolves through the
# stubs once they exist, so what only a stubbed library needed drops out).
objects=("${programs[@]}" "$tesseract" "$layer_lib" "${egl_libs[@]}")
closure() {
    for o in "${objects[@]}"; do
        LD_LIBRARY_PATH="$work/stubs" ldd "$o" | awk '/=> \//{print $3}'
    done | sort -u
}

# An empty library with `lib`'s SONAME, symbol versions and exported symbols, so the dynamic
# linker is satisfied and nothing more: each function says it was called and aborts (a stub
# called is a bundle that left out what a test needs, never a test's failure), data is zeros
# of the same size.
make_stub() {
    local lib="$1" name c map
    name="$(basename "$lib")"
    c="$work/stub.c"
    map="$work/stub.map"
    cat >"$c" <<EOF
#include <stdio.h>
#include <stdlib.h>
static void stub_called(const char *f) {
    fprintf(stderr, "cuecard-gpu bundle: %s was called, but the bundle holds an empty stub of $name\\n", f);
    abort();
}
EOF
    : >"$map"
    # objdump -T: address flags section size [version] symbol
    objdump -T "$lib" | awk -v c="$c" -v map="$map" '
        function hex(h, i, n) { # mawk has no strtonum
            n = 0;
            for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(tolower(h), i, 1)) - 1;
            return n;
        }
        $4 ~ /^\.(text|data|bss|rodata|data\.rel\.ro|tbss|tdata)$/ {
            version = NF >= 7 ? $(NF - 1) : "";
            sym = $NF;
            gsub(/[()]/, "", version);
            if (sym ~ /^_(init|fini)$/ || sym == version) next;
            if ($3 ~ /F/) print "void " sym "(void) { stub_called(\"" sym "\"); }" > c;
            else {
                size = hex($5); if (size < 1) size = 1;
                print "char " sym "[" size "];" > c;
            }
            if (version != "" && version !~ /^Base$/) versions[version] = versions[version] " " sym ";";
        }
        END { for (v in versions) print v " {" versions[v] " };" > map }'
    local args=(-shared -fPIC -o "$work/stubs/$name" "$c" -Wl,-soname,"$(objdump -p "$lib" | awk '/SONAME/{print $2}')")
    [ -s "$map" ] && args+=(-Wl,--version-script="$map")
    cc -w "${args[@]}"
}

say "gathering libraries"
for lib in $(closure); do
    if is_stubbed "$lib"; then
        make_stub "$lib"
    fi
done
for lib in $(closure) "${egl_libs[@]}" "$layer_lib"; do
    is_glibc "$lib" && continue
    cp -L "$lib" "$b/lib/$(basename "$lib")"
    strip --strip-unneeded "$b/lib/$(basename "$lib")" 2>/dev/null || true
done

say "programs"
for p in "${programs[@]}" "$tesseract"; do
    strip --strip-unneeded -o "$b/bin/$(basename "$p")" "$p"
done

say "validation layer"
sed 's|"library_path": *"[^"]*"|"library_path": "../lib/libVkLayer_khronos_validation.so"|' \
    "$layer_json" >"$b/layers/VkLayer_khronos_validation.json"
grep -q '\.\./lib/libVkLayer_khronos_validation.so' "$b/layers/VkLayer_khronos_validation.json" ||
    die "could not point $layer_json at the bundle"

say "data, inputs, goldens, fonts, tessdata"
cp -r "$build/data" "$b/data"
cp -r "$root/tests/data" "$b/inputs"
cp -r "$root/tests/golden" "$b/golden"
cp "${system_fonts[@]}" "$b/fonts/"
cat >"$b/fonts/fonts.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir prefix="relative">.</dir>
  <cachedir>/tmp/cuecard-gpu-fontconfig</cachedir>
</fontconfig>
EOF
cp "$tessdata/eng.traineddata" "$b/tessdata/"
cp "$root/scripts/gpu-bundle-run.sh" "$b/run.sh"
chmod +x "$b/run.sh"

say "compressing"
mkdir -p "$out"
fonts=()
for f in "${system_fonts[@]}"; do
    fonts+=("cuecard-gpu/fonts/$(basename "$f")")
done
tar -C "$work" -cf - "${fonts[@]}" | xz -9 -T0 >"$out/cuecard-gpu-fonts.tar.xz"
tar -C "$work" -cf - "${fonts[@]/#/--exclude=}" cuecard-gpu | xz -9 -T0 >"$out/cuecard-gpu.tar.xz"
say "stubbed: $(ls "$work/stubs" | tr '\n' ' ')"
du -h "$out"/*.tar.xz >&2
