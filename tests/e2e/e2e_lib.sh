# tests/e2e/e2e_lib.sh: what an e2e script needs, sourced after `daemon` and `cli` are set:
# a temp dir `$work` removed at exit (with the node it started), the pass/fail counters and
# their checks, and one real node on 127.0.0.1:0. End the script with `e2e_finish`.
set -uo pipefail
work=$(mktemp -d)
node_pid=""
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
pass=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { pass=$((pass + 1)); }

# expect_exit CODE DESCRIPTION -- command...   (stdout in $work/out, stderr in $work/err)
expect_exit() {
  local want="$1" what="$2"
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then fail "$what: exit $got, want $want; stderr: $(cat "$work/err")"; else ok; fi
}
expect_eq() {  # expect_eq GOT WANT DESCRIPTION
  if [ "$1" != "$2" ]; then fail "$3: got '$1', want '$2'"; else ok; fi
}
expect_in() {  # expect_in FILE TEXT DESCRIPTION
  if grep -qF -- "$2" "$1"; then ok; else fail "$3: '$2' not in: $(cat "$1")"; fi
}

# start_node ORG_NAME: initialises and runs a node in $work/node, and points the CLI at it
# (CONSTELLATION_ENDPOINT, CONSTELLATION_TOKEN with its admin token, CONSTELLATION_CONFIG).
start_node() {
  "$daemon" init --data-dir "$work/node" --name "$1" \
    --admin-token-file "$work/admin.token" >"$work/init.out" || { fail "init"; exit 1; }
  "$daemon" run --data-dir "$work/node" --listen 127.0.0.1:0 --port-file "$work/port" \
    >>"$work/node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/port" ] && break
    sleep 0.1
  done
  [ -s "$work/port" ] || { cat "$work/node.log"; echo "node did not start"; exit 1; }
  export CONSTELLATION_ENDPOINT="127.0.0.1:$(cat "$work/port")"
  export CONSTELLATION_CONFIG="$work/cli.toml"
  export CONSTELLATION_TOKEN
  CONSTELLATION_TOKEN=$(cat "$work/admin.token")
}

e2e_finish() {
  echo "passed: $pass, failed: $failures"
  [ "$failures" -eq 0 ]
}
