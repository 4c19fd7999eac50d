#!/usr/bin/env bash
# Installs what the build needs, builds everything with -Werror and runs the whole test suite
# (labels unit, integration, e2e). Usage: bash scripts/test.sh [ctest args...]
#   e.g. bash scripts/test.sh -L unit        (only unit tests)
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh

build_dir="${CONSTELLATION_BUILD_DIR:-build}"
jobs="${CONSTELLATION_JOBS:-$(nproc)}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONSTELLATION_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" "$@"
