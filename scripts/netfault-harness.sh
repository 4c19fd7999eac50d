#!/usr/bin/env bash
# Long form of the network-fault harness (issue 11, docs/RELIABILITY.md "Network faults"):
# three real nodes whose peer links go through fault-injecting loopback proxies; rounds of
# writes under drop / delay / duplicate / cut / slow-loris faults, each followed by a check that
# every node converged and holds every acknowledged write exactly once.
#   MINUTES=30 scripts/netfault-harness.sh      # rounds until 30 minutes of faults are spent
#   SEED=123 scripts/netfault-harness.sh        # replay a seed (printed by every run)
#   ROUND_S=60 scripts/netfault-harness.sh      # seconds of faults per round
# CONSTELLATION_BUILD_DIR (default build) is the build directory. The full log (node logs
# included) is kept in a temporary file named at the end; exit status 1 when a round failed.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${CONSTELLATION_BUILD_DIR:-build}"
export CONSTELLATION_NETFAULT_MINUTES="${MINUTES:-30}"
export CONSTELLATION_NETFAULT_ROUND_S="${ROUND_S:-60}"
if [ -n "${SEED:-}" ]; then export CONSTELLATION_NETFAULT_SEED="$SEED"; fi

cmake -S . -B "$build_dir" -G Ninja >/dev/null
cmake --build "$build_dir" -j "${JOBS:-2}" --target network_fault_test
log=$(mktemp -t constellation-netfault-XXXXXX.log)
echo "netfault: $CONSTELLATION_NETFAULT_MINUTES minutes of faults in rounds of $CONSTELLATION_NETFAULT_ROUND_S s; log in $log"
status=0
"$build_dir/tests/integration/network_fault_test" \
  --gtest_filter=NetworkFaultTest.AcknowledgedWritesSurviveNetworkFaultsAndNodesConverge >"$log" 2>&1 || status=$?
# The harness's own lines (and any failure), without the nodes' logs.
grep -E '^netfault:|Failure|FAILED|error:' "$log" || true
exit "$status"
