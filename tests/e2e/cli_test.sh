#!/usr/bin/env bash
# End-to-end: drives the real constellationd and constellation binaries as a user would.
#   usage: cli_test.sh CONSTELLATIOND CONSTELLATION
# A node is initialised in a temp dir, started on 127.0.0.1:0, and walked through
# group -> campaign -> pledges -> amend -> payment -> history; bad input must give distinct exit
# codes and change nothing; a restart must keep everything acknowledged.
set -uo pipefail
daemon="$1"
cli="$2"
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

# expect_exit CODE DESCRIPTION -- command...
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
expect_eq() {  # expect_eq GOT WANT DESCRIPTION
  if [ "$1" != "$2" ]; then fail "$3: got '$1', want '$2'"; else ok; fi
}

start_node() {
  rm -f "$work/port"
  "$daemon" run --data-dir "$work/node" --listen 127.0.0.1:0 --port-file "$work/port" \
    >>"$work/node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/port" ] && break
    sleep 0.1
  done
  [ -s "$work/port" ] || { cat "$work/node.log"; echo "node did not start"; exit 1; }
  export CONSTELLATION_ENDPOINT="127.0.0.1:$(cat "$work/port")"
}
stop_node() {
  kill -TERM "$node_pid"
  wait "$node_pid"
  local code=$?
  node_pid=""
  expect_eq "$code" 0 "graceful shutdown exit code"
}

export CONSTELLATION_CONFIG="$work/cli.toml"
expect_exit 0 "daemon --help" -- "$daemon" --help
expect_exit 2 "daemon unknown command" -- "$daemon" frobnicate
expect_exit 0 "cli --help" -- "$cli" --help
expect_exit 0 "cli pledge record --help" -- "$cli" pledge record --help
grep -q -- "--amount" "$work/out" || fail "pledge record --help does not list --amount"
expect_exit 2 "cli unknown noun" -- "$cli" frobnicate list

"$daemon" init --data-dir "$work/node" --name "Riverside Food Bank" \
  --admin-token-file "$work/admin.token" >"$work/init.out" || { fail "init"; exit 1; }
[ "$(stat -c %a "$work/node/org.key")" = "600" ] || fail "org.key mode is not 0600"
expect_exit 1 "second init on the same dir" -- "$daemon" init --data-dir "$work/node" --name X
export CONSTELLATION_TOKEN
CONSTELLATION_TOKEN=$(cat "$work/admin.token")
start_node

expect_eq "$("$cli" node info -o json | jq -r .org_name)" "Riverside Food Bank" "node info"
group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"
campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 50000 \
  --currency EUR --deadline 2027-01-31 -o json | jq -r .campaign_id)
[ ${#campaign} -eq 64 ] || fail "campaign id '$campaign'"
pledge=$("$cli" pledge record --group "$group" --campaign "$campaign" --amount 1200.00 \
  --currency EUR --installment 2026-12-15=600 --installment 2027-01-15=600 \
  --donor "Harbour Trust" -o json | jq -r .pledge_id)
[ ${#pledge} -eq 64 ] || fail "pledge id '$pledge'"
expect_exit 0 "amend" -- "$cli" pledge amend --group "$group" "$pledge" --amount 1500 --reason "board approved more"
expect_exit 0 "pay" -- "$cli" pledge pay --group "$group" "$pledge" --amount 500 --ref bank-17
shown=$("$cli" pledge show --group "$group" "$pledge" -o json)
expect_eq "$(echo "$shown" | jq -r .amount_minor)" 150000 "amended amount"
expect_eq "$(echo "$shown" | jq -r .received_minor)" 50000 "received"
expect_eq "$(echo "$shown" | jq -r .version)" 2 "version"
kinds=$("$cli" pledge history --group "$group" "$pledge" -o json | jq -r '[.[].kind] | join(",")')
expect_eq "$kinds" "pledge,amendment,payment" "history kinds"
expect_eq "$("$cli" campaign show --group "$group" "$campaign" -o json | jq -r .pledged_minor)" 150000 "campaign total"
# A retried write with the same request id returns the same event.
first=$("$cli" pledge record --group "$group" --campaign "$campaign" --amount 10 --currency EUR --request-id e2e-1 -o json | jq -r .event_id)
again=$("$cli" pledge record --group "$group" --campaign "$campaign" --amount 10 --currency EUR --request-id e2e-1 -o json | jq -r .event_id)
expect_eq "$again" "$first" "idempotent retry"

hash_before=$("$cli" group show "$group" -o json | jq -r .state_hash)
# Bad input: distinct exit codes, nothing changes.
expect_exit 3 "unknown currency" -- "$cli" pledge record --group "$group" --campaign "$campaign" --amount 5 --currency EUX
expect_exit 3 "overflowing amount" -- "$cli" pledge record --group "$group" --campaign "$campaign" --amount 99999999999999999999 --currency EUR
expect_exit 3 "currency differs from campaign" -- "$cli" pledge record --group "$group" --campaign "$campaign" --amount 5 --currency USD
expect_exit 4 "unknown group" -- "$cli" group show "$(printf 'a%.0s' $(seq 64))"
expect_exit 4 "unknown pledge" -- "$cli" pledge show --group "$group" "$(printf 'b%.0s' $(seq 64))"
expect_exit 8 "overpayment" -- "$cli" pledge pay --group "$group" "$pledge" --amount 5000 --currency EUR
expect_exit 7 "wrong token" -- "$cli" --token cst_wrong node info
auditor=$("$cli" token create --role auditor --label e2e -o json | jq -r .token)
expect_exit 6 "write with an auditor token" -- "$cli" --token "$auditor" pledge record --group "$group" --campaign "$campaign" --amount 5 --currency EUR
expect_exit 0 "read with an auditor token" -- "$cli" --token "$auditor" pledge list --group "$group"
expect_eq "$("$cli" group show "$group" -o json | jq -r .state_hash)" "$hash_before" "state unchanged by bad input"
expect_exit 0 "cancel" -- "$cli" pledge cancel --group "$group" "$pledge" --reason "donor withdrew"
expect_exit 8 "amend a cancelled pledge" -- "$cli" pledge amend --group "$group" "$pledge" --amount 2000 --reason more

# Restart: everything acknowledged is still there.
hash=$("$cli" group show "$group" -o json | jq -r .state_hash)
events=$("$cli" group show "$group" -o json | jq -r .event_count)
stop_node
expect_exit 10 "node down" -- "$cli" --timeout 2s node info
start_node
expect_eq "$("$cli" group show "$group" -o json | jq -r .state_hash)" "$hash" "state hash after restart"
expect_eq "$("$cli" group show "$group" -o json | jq -r .event_count)" "$events" "event count after restart"
expect_eq "$("$cli" pledge show --group "$group" "$pledge" -o json | jq -r .status)" cancelled "pledge after restart"
expect_exit 0 "write after restart" -- "$cli" pledge record --group "$group" --campaign "$campaign" --amount 1 --currency EUR
stop_node

echo "$pass passed, $failures failed"
[ "$failures" -eq 0 ]
