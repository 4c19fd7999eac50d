# tests/e2e/lib.sh: what the end-to-end scripts share. Source it after setting `daemon` and
# `cli` (the paths of the real constellationd and constellation binaries):
#   e2e_setup                      a temp dir in $work, removed (with every node) at exit
#   e2e_start_node NAME ORG_NAME [RUN_FLAG...]
#                                  init + run a node on 127.0.0.1:0 (with the extra flags of
#                                  `constellationd run`); sets port[NAME], token[NAME],
#                                  pid[NAME]; its log (stderr) is $work/NAME.log, its stdout
#                                  $work/NAME.out
#   e2e_admit_and_join FOUNDER JOINER GROUP
#                                  FOUNDER (sole member of GROUP) admits JOINER's org by
#                                  decision, and JOINER's node joins from FOUNDER's
#   e2e_use NAME                   points the CLI (CONSTELLATION_ENDPOINT/TOKEN) at that node
#   e2e_wait_final GROUP PROPOSAL  waits (10 s at most) until the proposal is final on the node
#                                  the CLI points at (the node acknowledges its closes itself)
#   expect_exit CODE WHAT -- cmd…  runs cmd (stdout in $work/out, stderr in $work/err)
#   expect_eq GOT WANT WHAT
#   expect_in FILE TEXT WHAT       TEXT (fixed string) appears in FILE
#   e2e_finish SUITE               prints the counts; its status is the script's verdict
# Checks count failures and go on, so one run reports every broken expectation.

declare -A pid=() port=() token=()
failures=0
pass=0

e2e_cleanup() {
  for name in "${!pid[@]}"; do kill -TERM "${pid[$name]}" 2>/dev/null || true; done
  for name in "${!pid[@]}"; do wait "${pid[$name]}" 2>/dev/null || true; done
  rm -rf "$work"
}

e2e_setup() {
  work=$(mktemp -d -t constellation-e2e-XXXXXX)
  export CONSTELLATION_CONFIG="$work/cli.toml"
  trap e2e_cleanup EXIT
}

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { pass=$((pass + 1)); }

expect_exit() {
  local want="$1" what="$2"
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, want $want; stderr: $(cat "$work/err")"
  else
    ok
  fi
}

expect_eq() { if [ "$1" != "$2" ]; then fail "$3: got '$1', want '$2'"; else ok; fi; }

expect_in() { if grep -qF -- "$2" "$1"; then ok; else fail "$3: '$2' not in: $(cat "$1")"; fi; }

e2e_start_node() {
  local name="$1" org_name="$2"
  shift 2
  "$daemon" init --data-dir "$work/$name" --name "$org_name" \
    --admin-token-file "$work/$name.token" >/dev/null || { echo "init of $name failed"; exit 1; }
  token[$name]=$(cat "$work/$name.token")
  "$daemon" run --data-dir "$work/$name" --listen 127.0.0.1:0 --port-file "$work/$name.port" \
    "$@" >>"$work/$name.out" 2>>"$work/$name.log" &
  pid[$name]=$!
  for _ in $(seq 1 100); do [ -s "$work/$name.port" ] && break; sleep 0.1; done
  [ -s "$work/$name.port" ] || { cat "$work/$name.log"; echo "node $name did not start"; exit 1; }
  port[$name]=$(cat "$work/$name.port")
}

e2e_use() {
  export CONSTELLATION_ENDPOINT="127.0.0.1:${port[$1]}" CONSTELLATION_TOKEN="${token[$1]}"
}

e2e_wait_final() {
  local group="$1" proposal="$2"
  for _ in $(seq 1 100); do
    [ "$("$cli" proposal show --group "$group" --proposal "$proposal" -o json | jq -r .final)" = true ] &&
      return 0
    sleep 0.1
  done
  fail "proposal $proposal never became final"
}

e2e_admit_and_join() {
  local founder="$1" joiner="$2" group="$3" proposal
  e2e_use "$joiner"
  "$cli" org card --out "$work/$joiner.card" >/dev/null || { echo "org card of $joiner failed"; exit 1; }
  e2e_use "$founder"
  proposal=$("$cli" proposal admit --group "$group" --card "$work/$joiner.card" --role partner \
    --title "Admit $joiner" -o json | jq -r .proposal_id)
  "$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null
  # Final once the founder's node acknowledges the closed proposal (housekeeping, ~1 s).
  for _ in $(seq 1 300); do
    [ "$("$cli" proposal show --group "$group" --proposal "$proposal" -o json 2>/dev/null |
      jq -r .final)" = "true" ] && break
    sleep 0.1
  done
  e2e_use "$joiner"
  "$cli" group join --group "$group" --from "127.0.0.1:${port[$founder]}" >/dev/null ||
    { echo "$joiner could not join $group"; exit 1; }
}

e2e_finish() {
  echo "$1: $pass passed, $failures failed"
  [ "$failures" -eq 0 ]
}
