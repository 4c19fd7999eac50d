#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in their own build
# directory and runs each one for a bounded time (docs/RELIABILITY.md "Fuzzing").
#   bash scripts/fuzz.sh                      # every target, FUZZ_SECONDS each (default 60)
#   FUZZ_SECONDS=20 bash scripts/fuzz.sh      # the short form CI runs
#   FUZZ_RUNS=10000000 bash scripts/fuzz.sh fold   # the long form: a number of executions
# Each target starts from its seed corpus (tests/fuzz/corpus/<target>, copied: the repo's
# corpus is not changed) and uses FUZZ_JOBS worker processes (default: the number of cores).
# A crash stops the run with the failing input under $work/<target>/ and exit status 1; make
# it a regression input by copying it to tests/fuzz/regressions/<target>/ (CTest's
# fuzz_replay_<target> then runs it on every test run) and fixing the cause.
# Prints, per target, the executions done and the rate; exit 0 when no target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then targets=(event_decode fold federation cli bundle); fi
seconds="${FUZZ_SECONDS:-60}"
runs="${FUZZ_RUNS:-}"
jobs="${FUZZ_JOBS:-$(nproc)}"
build_dir="${CONSTELLATION_FUZZ_BUILD_DIR:-build-fuzz}"
work="${FUZZ_WORK_DIR:-$(mktemp -d -t constellation-fuzz.XXXXXX)}"

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; run deploy/install-deps.sh (it installs clang)" >&2
  exit 2
fi
# -O1 -gline-tables-only, as OSS-Fuzz builds: enough for symbolized stacks, and a
# quicker build of the whole tree with ASan and UBSan than -O2 -g (CI builds it every run).
CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCONSTELLATION_FUZZ=ON -DCONSTELLATION_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]/%/_fuzz}"

status=0
summary=()
for target in "${targets[@]}"; do
  corpus="$work/$target/corpus"
  mkdir -p "$corpus"
  cp tests/fuzz/corpus/"$target"/* "$corpus"/
  # -entropic=0: libFuzzer's entropic schedule spent most of the time of the stateful targets
  # (fold, federation) in its own bookkeeping (perf: InputCorpus::UpdateFeatureFrequency);
  # without it they run about 3x more inputs per second. FUZZ_ARGS adds or overrides flags.
  args=(-artifact_prefix="$work/$target/" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096
        -entropic=0 ${FUZZ_ARGS:-})
  if [ -n "$runs" ]; then
    # Each worker runs its share of the executions.
    args+=(-runs=$(( (runs + jobs - 1) / jobs )))
  else
    args+=(-max_total_time="$seconds")
  fi
  log="$work/$target/fuzz.log"
  echo "fuzz: $target (${runs:-${seconds}s} on $jobs workers), log $log"
  pids=()
  for j in $(seq 1 "$jobs"); do
    "$build_dir/tests/fuzz/${target}_fuzz" "${args[@]}" "$corpus" >"$log.$j" 2>&1 &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  cat "$log".* >"$log"
  execs=$(grep -h '^stat::number_of_executed_units' "$log".* | awk '{s += $2} END {print s + 0}')
  rate=$(grep -h '^stat::average_exec_per_sec' "$log".* | awk '{s += $2} END {print s + 0}')
  if [ "$failed" -ne 0 ]; then
    status=1
    echo "fuzz: $target CRASHED; inputs: $(ls "$work/$target"/crash-* "$work/$target"/leak-* \
      "$work/$target"/timeout-* "$work/$target"/oom-* 2>/dev/null | tr '\n' ' ')" >&2
    grep -h -A30 'ERROR: \|==ERROR\|runtime error' "$log" | head -60 >&2 || true
  fi
  summary+=("$(printf '%-13s %12s executions  %8s exec/s  %s' "$target" "$execs" "$rate" \
    "$([ "$failed" -eq 0 ] && echo ok || echo CRASH)")")
done
echo "fuzz: summary (work dir $work)"
printf '  %s\n' "${summary[@]}"
exit "$status"
