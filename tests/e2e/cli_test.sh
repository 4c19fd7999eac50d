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

# Fundraising verbs (issue 8): schedules, amend that keeps terms, write-offs by decision,
# conditions, unapplied receipts, campaigns by proposal, thresholds, totals per currency/member.
for verb in "pledge write-off" "pledge release" "pledge pay" "pledge amend" "campaign open"; do
  expect_exit 0 "cli $verb --help" -- "$cli" $verb --help
done
"$cli" campaign open --help | grep -q -- "--threshold-members" || fail "campaign open --help lacks --threshold-members"
"$cli" pledge write-off --help | grep -q -- "--reason-code" || fail "pledge write-off --help lacks --reason-code"
# wait_final PROPOSAL: the proposal's outcome is final (a one-member group acknowledges itself).
wait_final() {
  for _ in $(seq 1 50); do
    [ "$("$cli" proposal show --group "$group" --proposal "$1" -o json | jq -r .final)" = "true" ] && return 0
    sleep 0.1
  done
  fail "proposal $1 not final"
}
fund=$("$cli" campaign open --group "$group" --name "Roof fund" --goal 1000 --currency EUR \
  --accept-currency USD -o json | jq -r .campaign_id)
[ ${#fund} -eq 64 ] || fail "campaign id '$fund'"
sched=$("$cli" pledge record --group "$group" --campaign "$fund" --amount 100 --currency EUR \
  --installments 3 --every month --start 2027-01-31 --donor "Quay Trust" -o json | jq -r .pledge_id)
shown=$("$cli" pledge show --group "$group" "$sched" -o json)
expect_eq "$(echo "$shown" | jq -c '[.terms.installments[].amount_minor]')" "[3333,3333,3334]" "schedule amounts"
expect_eq "$(echo "$shown" | jq -r '.terms.installments[1].due')" "2027-02-28" "schedule clamps to the month's end"
expect_eq "$(echo "$shown" | jq -r '.installments | length')" 3 "installment lines"
# Regression: amend dropped the installment schedule / cleared the donor.
expect_exit 0 "amend only the note" -- "$cli" pledge amend --group "$group" "$sched" --note "confirmed by letter" --reason note
shown=$("$cli" pledge show --group "$group" "$sched" -o json)
expect_eq "$(echo "$shown" | jq -r '.terms.installments | length')" 3 "amend keeps the installments"
expect_eq "$(echo "$shown" | jq -r .terms.donor_name)" "Quay Trust" "amend keeps the donor"
expect_eq "$(echo "$shown" | jq -r .terms.note)" "confirmed by letter" "amend changes the note"
expect_exit 0 "pay the first installment" -- "$cli" pledge pay --group "$group" "$sched" --amount 33.33 --received 2026-11-30
expect_exit 0 "amend with a schedule of the remainder" -- "$cli" pledge amend --group "$group" "$sched" --amount 130 --installments 2 --every quarter --start 2027-06-01 --reason more
expect_eq "$("$cli" pledge show --group "$group" "$sched" -o json | jq -c '[.terms.installments[].amount_minor]')" "[3333,4833,4834]" "paid prefix kept, remainder rescheduled"
expect_exit 3 "schedule without --start" -- "$cli" pledge record --group "$group" --campaign "$fund" --amount 10 --currency EUR --installments 2 --every month
expect_exit 3 "unknown frequency" -- "$cli" pledge record --group "$group" --campaign "$fund" --amount 10 --currency EUR --installments 2 --every fortnight --start 2027-01-01
usd=$("$cli" pledge record --group "$group" --campaign "$fund" --amount 50 --currency USD -o json | jq -r .pledge_id)
[ ${#usd} -eq 64 ] || fail "USD pledge '$usd'"
expect_exit 3 "currency the campaign does not accept" -- "$cli" pledge record --group "$group" --campaign "$fund" --amount 5 --currency GBP
# Write-off: proposed, decided, then recorded by the fiscal host.
wo=$("$cli" pledge write-off --group "$group" "$sched" --propose --amount 10 --reason-code uncollectible -o json | jq -r .proposal_id)
[ ${#wo} -eq 64 ] || fail "write-off proposal '$wo'"
expect_exit 8 "write-off before the decision" -- "$cli" pledge write-off --group "$group" "$sched" --proposal "$wo"
expect_exit 0 "vote the write-off" -- "$cli" proposal vote --group "$group" --proposal "$wo" --stance agree
wait_final "$wo"
expect_exit 0 "record the write-off" -- "$cli" pledge write-off --group "$group" "$sched" --proposal "$wo"
expect_eq "$("$cli" pledge show --group "$group" "$sched" -o json | jq -r .written_off_minor)" 1000 "written off"
# pledge show carries the pledge's whole history, as `pledge history` gives it.
expect_eq "$("$cli" pledge show --group "$group" "$sched" -o json | jq -r '[.history[].kind] | join(",")')" \
  "$("$cli" pledge history --group "$group" "$sched" -o json | jq -r '[.[].kind] | join(",")')" "pledge show history = pledge history"
expect_eq "$("$cli" pledge show --group "$group" "$sched" -o json | jq -r '[.history[].kind] | join(",")')" \
  "pledge,amendment,payment,amendment,write_off" "the history's kinds"
expect_exit 0 "pledge show table" -- "$cli" pledge show --group "$group" "$sched"
grep -q "^History:" "$work/out" && grep -q "write_off" "$work/out" || fail "pledge show lacks its history: $(cat "$work/out")"
expect_exit 3 "write-off without a mode" -- "$cli" pledge write-off --group "$group" "$sched"
expect_exit 3 "proposal create points to the verb" -- "$cli" proposal create --group "$group" --type write_off --title x
grep -q "pledge write-off" "$work/err" || fail "proposal create --type write_off does not point to pledge write-off"
# Conditions.
cond=$("$cli" pledge record --group "$group" --campaign "$fund" --amount 20 --currency EUR \
  --condition-barrier "match raised" --condition-release "if no match by June" -o json | jq -r .pledge_id)
expect_eq "$("$cli" pledge show --group "$group" "$cond" -o json | jq -r .conditional_reason)" condition "conditional reason"
expect_exit 3 "bad outcome" -- "$cli" pledge release --group "$group" "$cond" --outcome maybe
expect_exit 0 "condition met" -- "$cli" pledge release --group "$group" "$cond" --outcome met --note "match raised"
expect_eq "$("$cli" pledge show --group "$group" "$cond" -o json | jq -r .condition_outcome)" met "condition outcome"
expect_exit 5 "resolved twice" -- "$cli" pledge release --group "$group" "$cond" --outcome released
# Unapplied receipts for a cancelled pledge.
expect_exit 0 "cancel the USD pledge" -- "$cli" pledge cancel --group "$group" "$usd" --reason changed
expect_exit 8 "pay a cancelled pledge" -- "$cli" pledge pay --group "$group" "$usd" --amount 5
expect_exit 0 "unapplied receipt" -- "$cli" pledge pay --group "$group" "$usd" --amount 5 --unapplied --ref late
expect_eq "$("$cli" pledge show --group "$group" "$usd" -o json | jq -r .unapplied_minor)" 500 "unapplied"
totals=$("$cli" campaign show --group "$group" "$fund" -o json)
expect_eq "$(echo "$totals" | jq -r '[.totals[].currency] | join(",")')" "EUR,USD" "totals per currency"
expect_eq "$(echo "$totals" | jq -r '.member_totals | length')" 2 "totals per member and currency"
"$cli" campaign show --group "$group" "$fund" >"$work/out"
grep -q "progress.*\[" "$work/out" || fail "campaign show lacks the progress bar"
grep -q $'\033' "$work/out" && fail "colour when stdout is not a terminal"
grep -q "Totals per member" "$work/out" || fail "campaign show lacks totals per member"
"$cli" campaign show --group "$group" "$fund" -o csv >"$work/out" || fail "campaign show -o csv"
# Campaigns by proposal, and an assurance threshold by member count.
oc=$("$cli" campaign open --group "$group" --propose --name "Van" --goal 500 --currency EUR \
  --threshold-members 2 --threshold-deadline 2027-03-01 -o json | jq -r .proposal_id)
[ ${#oc} -eq 64 ] || fail "open_campaign proposal '$oc'"
expect_exit 0 "vote the campaign" -- "$cli" proposal vote --group "$group" --proposal "$oc" --stance agree
wait_final "$oc"
van=$("$cli" campaign open --group "$group" --proposal "$oc" -o json | jq -r .campaign_id)
[ ${#van} -eq 64 ] || fail "campaign by proposal '$van'"
expect_eq "$("$cli" campaign show --group "$group" "$van" -o json | jq -r .threshold)" pending "threshold pending"
vp=$("$cli" pledge record --group "$group" --campaign "$van" --amount 40 --currency EUR -o json | jq -r .pledge_id)
expect_eq "$("$cli" pledge show --group "$group" "$vp" -o json | jq -r .conditional_reason)" threshold "conditional on threshold"
expect_exit 8 "pay before the threshold" -- "$cli" pledge pay --group "$group" "$vp" --amount 5
expect_exit 3 "threshold without deadline" -- "$cli" campaign open --group "$group" --name X --goal 5 --currency EUR --threshold-members 2
# Every campaign of the group, with its totals, in every format.
expect_eq "$("$cli" campaign list --group "$group" -o json | jq -r '[.[].name] | sort | join(",")')" \
  "Roof fund,Van,Winter appeal" "campaign list"
expect_eq "$("$cli" campaign list --group "$group" -o json | jq -r '.[] | select(.name == "Van") | .threshold')" \
  pending "campaign list shows the threshold"
expect_exit 0 "campaign list table" -- "$cli" campaign list --group "$group"
grep -q "Roof fund" "$work/out" || fail "campaign list table: $(cat "$work/out")"
expect_exit 0 "campaign list csv" -- "$cli" campaign list --group "$group" -o csv
[ "$(wc -l <"$work/out")" -eq 4 ] || fail "campaign list csv: a header and three rows: $(cat "$work/out")"

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
