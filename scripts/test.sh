#!/usr/bin/env bash
# Installs what the build needs, builds everything with -Werror and runs the whole test suite
# (labels unit, integration, e2e), then a short fuzzing run (scripts/fuzz.sh).
# Usage: bash scripts/test.sh [ctest args...]
#   e.g. bash scripts/test.sh -L unit        (only unit tests)
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh

build_dir="${CONSTELLATION_BUILD_DIR:-build}"
jobs="${CONSTELLATION_JOBS:-$(nproc)}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONSTELLATION_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" "$@"

# The whole suite (no ctest arguments) ends with the short form of the fuzzing run: each
# libFuzzer target for CONSTELLATION_FUZZ_SECONDS (default 10; 0 skips it), built with clang in
# its own directory (scripts/fuzz.sh; the long form is documented in docs/RELIABILITY.md).
fuzz_seconds="${CONSTELLATION_FUZZ_SECONDS:-10}"
if [ "$#" -eq 0 ] && [ "$fuzz_seconds" != 0 ]; then
  FUZZ_SECONDS="$fuzz_seconds" bash scripts/fuzz.sh
fi
