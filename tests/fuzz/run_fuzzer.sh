#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs one libFuzzer target for a bounded time (CUECARD_FUZZ_SECONDS, default 15) on its seed
# corpora, from a fixed random seed (CUECARD_FUZZ_SEED, default 1) so a CI run is repeatable;
# set another seed, or 0 for a random one, to explore further. Any crash, sanitizer report, leak or timeout fails the test; the input that caused it
# is left in the artifacts folder.
set -euo pipefail
fuzzer="$1"; work="$2"; shift 2
seconds="${CUECARD_FUZZ_SECONDS:-15}"
seed="${CUECARD_FUZZ_SEED:-1}"
mkdir -p "$work/corpus" "$work/artifacts"
exec "$fuzzer" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$@"
