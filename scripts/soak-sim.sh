#!/usr/bin/env bash
# Soak of the deterministic simulator (DESIGN §5, docs/RELIABILITY.md "Deterministic
# simulation"): runs many more seeds than CTest does and prints every failing seed with the
# command that replays it.
#   SEEDS=1000 scripts/soak-sim.sh             # seeds FIRST .. FIRST+SEEDS-1 (FIRST=100000)
#   FORK=1 SEEDS=300 scripts/soak-sim.sh       # the fork scenario (a node restored from a backup)
#   STRICT=0 scripts/soak-sim.sh               # count the known core issues instead of failing (default: fail)
#   STEPS=1500 scripts/soak-sim.sh             # longer workloads (slower: the fold refolds)
# CONSTELLATION_BUILD_DIR (default build) is the build directory; JOBS (default 2) seeds run
# at once. Exit status 1 when a seed failed.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${CONSTELLATION_BUILD_DIR:-build}"
seeds="${SEEDS:-1000}"
first="${FIRST:-100000}"
jobs="${JOBS:-2}"
export CONSTELLATION_SIM_FORK="${FORK:-0}"
export CONSTELLATION_SIM_STRICT="${STRICT:-1}"
if [ -n "${STEPS:-}" ]; then export CONSTELLATION_SIM_STEPS="$STEPS"; fi

cmake -S . -B "$build_dir" -G Ninja >/dev/null
cmake --build "$build_dir" -j "$jobs" --target sim_test
binary="$PWD/$build_dir/tests/sim/sim_test"
logs=$(mktemp -d -t constellation-soak-XXXXXX)
trap 'rm -rf "$logs"' EXIT

echo "soak: seeds $first..$((first + seeds - 1)), $jobs at a time (fork=$CONSTELLATION_SIM_FORK, strict=$CONSTELLATION_SIM_STRICT)"
start=$(date +%s)
# One process per seed; a failing seed leaves its log behind.
seq "$first" $((first + seeds - 1)) | xargs -P "$jobs" -I{} sh -c '
  if CONSTELLATION_SIM_SEED={} "$0" --gtest_filter="*ReplaySeed*" >"$1/{}.log" 2>&1; then
    rm -f "$1/{}.log"
  fi' "$binary" "$logs"

failed=$(ls "$logs" | sed 's/\.log$//' | sort -n)
elapsed=$(( $(date +%s) - start ))
if [ -z "$failed" ]; then
  echo "soak: all $seeds seeds passed in ${elapsed}s"
  exit 0
fi
for seed in $failed; do
  echo "---- seed $seed failed:"
  grep -m1 -A3 "simulation failed\|Failure" "$logs/$seed.log" || tail -5 "$logs/$seed.log"
  echo "replay: CONSTELLATION_SIM_SEED=$seed CONSTELLATION_SIM_FORK=$CONSTELLATION_SIM_FORK $binary --gtest_filter='*ReplaySeed*'"
done
echo "soak: $(echo "$failed" | wc -l) of $seeds seeds failed in ${elapsed}s: $(echo $failed)"
exit 1
