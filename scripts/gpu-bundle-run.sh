#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh of a cuecard-gpu bundle (made by scripts/gpu-bundle.sh): runs Cuecard's GPU tests, the
# overlay benchmark and a timed `cuecard render` at 1080p and 4K on this machine's GPU, with
# nothing installed, and writes what they say to RESULTS_DIR (default: ./results):
#   summary.txt      the device, each step's exit status and time, the tests' failures
#   gpu-tests.log    the GPU tests (doctest), under Khronos' validation layer
#   bench.json/.txt  cuecard_bench (Google Benchmark)
#   render.log       cuecard render of the sample queue, 1080p then 4K
#   test-output/     the tests' images (a golden's actual picture and diff when it fails)
# A driver the lent GPU machines keep in /usr/local/nvidia is found without help; elsewhere set
# VK_ICD_FILENAMES (and __EGL_VENDOR_LIBRARY_FILENAMES for the OpenGL import test) first.
#   run.sh RESULTS_DIR [doctest options…]     e.g. run.sh /tmp/r -tc='golden*'
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
results="${1:-$here/results}"
shift || true
mkdir -p "$results/test-output"
results="$(cd "$results" && pwd)"

export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$here/bin:$PATH"
export VK_LAYER_PATH="$here/layers"
export TESSDATA_PREFIX="$here/tessdata"
export FONTCONFIG_FILE="$here/fonts/fonts.conf"
export CUECARD_TEST_DATA_DIR="$here/data"
export CUECARD_TEST_INPUTS_DIR="$here/inputs"
export CUECARD_GOLDEN_DIR="$here/golden"
export CUECARD_TEST_OUTPUT_DIR="$results/test-output"
export CUECARD_BENCH_DATA_DIR="$here/data"
export CUECARD_DATA_DIR="$here/data"

nv=/usr/local/nvidia
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$nv/share/vulkan/icd.d/nvidia_icd.json" ]; then
    export VK_ICD_FILENAMES="$nv/share/vulkan/icd.d/nvidia_icd.json"
fi
if [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f "$nv/share/glvnd/egl_vendor.d/10_nvidia.json" ]; then
    export __EGL_VENDOR_LIBRARY_FILENAMES="$nv/share/glvnd/egl_vendor.d/10_nvidia.json"
fi
for d in "$nv/lib64" "$nv/lib"; do
    [ -d "$d" ] && LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$d"
done

summary="$results/summary.txt"
: >"$summary"
note() { printf '%s\n' "$*" | tee -a "$summary"; }
step() { # step NAME LOG COMMAND…
    local name="$1" log="$2" start end rc
    shift 2
    start=$(date +%s.%N)
    "$@" >"$log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    note "$(awk -v n="$name" -v r="$rc" -v a="$start" -v b="$end" -v l="$(basename "$log")" \
        'BEGIN { printf "%-16s exit %3d  %7.1f s  %s", n, r, b - a, l }')"
    return 0
}

note "host: $(uname -sr), glibc $(ldd --version 2>/dev/null | awk 'NR==1{print $NF}')"
command -v nvidia-smi >/dev/null && note "gpu: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"
note "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-(loader default)}"
note "__EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-(glvnd default)}"
for f in NotoSansCJK-Regular.ttc NotoSansCJK-Bold.ttc NotoColorEmoji.ttf; do
    [ -f "$here/fonts/$f" ] || note "MISSING FONT: $f (unpack cuecard-gpu-fonts.tar.xz here too)"
done
missing="$(ldd "$here"/bin/* 2>/dev/null | grep 'not found' | sort -u)"
[ -n "$missing" ] && note "MISSING LIBRARIES: $missing"

step gpu-tests "$results/gpu-tests.log" cuecard_gpu_tests "$@"
# What each test said and why a failure failed (doctest's "logged:" and "values:" lines).
grep -E "GPU tests on|MESSAGE|ERROR|FAIL|^  (logged|values):|test cases:|assertions:|validation" \
    "$results/gpu-tests.log" | head -120 >>"$summary"

if [ $# -eq 0 ]; then
    step bench "$results/bench.txt" cuecard_bench --benchmark_out="$results/bench.json" \
        --benchmark_out_format=json --benchmark_min_time=0.5
    grep -E "^BM_" "$results/bench.txt" >>"$summary"
    : >"$results/render.log"
    for size in 1920x1080 3840x2160; do
        rm -rf "$results/render-$size"
        step "render-$size" "$results/render-$size.log" cuecard render \
            --queue "$here/data/samples/recipients.csv" --theme default \
            --out "$results/render-$size" --size "$size"
        cat "$results/render-$size.log" >>"$results/render.log"
        rm -rf "$results/render-$size"
    done
fi
note "results in $results"
