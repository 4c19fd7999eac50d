#!/usr/bin/env bash
# End-to-end: `constellation health` and the `pulse` commands of the real binaries, two nodes
# (issue 9 item 6, docs/PROTOCOL.md §5.14). A group founded with a review cadence of 7 days
# admits a second org; each records a pulse check from its own node (bad alignments are
# refused and store nothing); `health` shows both members with their pulses, the trend and
# what each owes (a stance on an open proposal), in the table and JSON formats; as of a later
# date both are silent. Both nodes agree on the state hash.
#   usage: health_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node harbour "Harbour Trust"
e2e_start_node tide "Tide Lab"
e2e_use harbour

expect_exit 0 "health --help" -- "$cli" health --help
expect_in "$work/out" "Usage: constellation health --group GROUP" "a command without a verb"
for verb in record list; do
  expect_exit 0 "pulse $verb --help" -- "$cli" pulse $verb --help
done
expect_exit 2 "health takes no verb" -- "$cli" health extra --group x
expect_in "$work/err" "unexpected argument 'extra' for 'health'" "says what is wrong"

expect_exit 3 "a cadence that is not a number" -- "$cli" group create --name X --review-cadence-days soon
expect_exit 3 "a cadence over the limit" -- "$cli" group create --name X --review-cadence-days 5000
expect_in "$work/err" "kReviewCadenceDaysMax" "names the limit"
group=$("$cli" group create --name "Estuary Partnership" --currency EUR --review-cadence-days 7 --rule dissolve=consent -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"
expect_eq "$("$cli" group show "$group" -o json | jq -r .review_cadence_days)" "7" "the cadence is in the charter"
e2e_admit_and_join harbour tide "$group"
e2e_use harbour

expect_exit 3 "alignment 0" -- "$cli" pulse record --group "$group" --alignment 0
expect_exit 3 "alignment in words" -- "$cli" pulse record --group "$group" --alignment five
expect_eq "$("$cli" pulse list --group "$group" -o json | jq length)" "0" "nothing stored"
expect_exit 0 "pulse record" -- "$cli" pulse record --group "$group" --alignment 4 \
  --comment "Good quarter; reporting is still a chore" -o json
expect_eq "$(jq -r .pulse.alignment "$work/out")" "4" "the pulse as recorded"
proposal=$("$cli" proposal create --group "$group" --type dissolve --title "Wind down?" --plan "Return what remains pro rata" -o json | jq -r .proposal_id)
[ ${#proposal} -eq 64 ] || fail "proposal id '$proposal'"

e2e_use tide
for _ in $(seq 1 100); do
  [ "$("$cli" pulse list --group "$group" -o json 2>/dev/null | jq length)" = 1 ] && break
  sleep 0.1
done
expect_exit 0 "the other org's pulse" -- "$cli" pulse record --group "$group" --alignment 2
for _ in $(seq 1 100); do
  [ "$("$cli" proposal list --group "$group" -o json 2>/dev/null | jq length)" = 1 ] && break
  sleep 0.1
done
expect_exit 0 "health" -- "$cli" health --group "$group"
for text in "Members" "Harbour Trust" "Tide Lab" "Pulse trend" "charter_review" "1 stance"; do
  expect_in "$work/out" "$text" "health shows '$text'"
done
expect_exit 0 "health json" -- "$cli" health --group "$group" -o json
expect_eq "$(jq -r '.members | length' "$work/out")" "2" "two members"
expect_eq "$(jq -r .review_cadence_days "$work/out")" "7" "the charter's cadence"
expect_eq "$(jq -r .open_proposals "$work/out")" "1" "one open proposal"
expect_eq "$(jq -r '.members[] | select(.name == "Tide Lab") | .stances_owed | length' "$work/out")" "1" \
  "Tide Lab owes its stance"
expect_eq "$(jq -r '.members[] | select(.name == "Tide Lab") | .latest_alignment' "$work/out")" "2" \
  "Tide Lab's pulse"
expect_eq "$(jq -r '.pulse_trend[-1].count' "$work/out")" "2" "two pulses this month"
expect_eq "$(jq -r '.pulse_trend[-1].average_milli' "$work/out")" "3000" "average 3.0"
expect_exit 0 "health as of later" -- "$cli" health --group "$group" --as-of 2099-01-01 -o json
expect_eq "$(jq -r '[.members[] | select(.silent)] | length' "$work/out")" "2" "both silent by then"
expect_exit 3 "a bad --as-of" -- "$cli" health --group "$group" --as-of someday
expect_exit 0 "pulse list csv" -- "$cli" pulse list --group "$group" -o csv
expect_in "$work/out" "reporting is still a chore" "comments are listed"

for _ in $(seq 1 100); do
  a=$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[harbour]}" CONSTELLATION_TOKEN="${token[harbour]}" \
    "$cli" group show "$group" -o json | jq -r .state_hash)
  b=$("$cli" group show "$group" -o json | jq -r .state_hash)
  [ "$a" = "$b" ] && break
  sleep 0.1
done
expect_eq "$a" "$b" "both nodes have the same state hash"

e2e_finish health
