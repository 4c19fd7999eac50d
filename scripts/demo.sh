#!/usr/bin/env bash
# The main job (README): installs what is needed, builds constellationd and constellation, and
# runs a local constellation of three organisations' nodes on loopback
# (scripts/cluster-demo.sh): a group formed by decision, pledges recorded on every node, the
# three nodes agreeing on one state, a node stopped and caught up after its restart. Everything
# is stopped and removed at the end (keep the data with KEEP_DATA=1).
# The one-node pledge walkthrough (amend, payment, history, restart) is scripts/single-node-demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
build_dir="${CONSTELLATION_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target constellationd constellation

bash scripts/cluster-demo.sh "$build_dir/server/app/constellationd" "$build_dir/cli/constellation"
