#!/usr/bin/env bash
# End-to-end: what an outside verifier reads through the CLI (issue 13): the state hash of the
# whole group and of a prefix of its canonical order, and the fork proofs, against the real
# binaries. The prefix of one event is the genesis, whose id is the group id (PROTOCOL §1).
#   usage: state_hash_test.sh CONSTELLATIOND CONSTELLATION
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup
e2e_start_node node "Riverside Food Bank"
e2e_use node

group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json | jq -r .group_id)
campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 1000 --currency EUR -o json | jq -r .campaign_id)
for amount in 10 20 30; do
  "$cli" pledge record --group "$group" --campaign "$campaign" --amount $amount --currency EUR >/dev/null ||
    fail "pledge $amount"
done

expect_exit 0 "state-hash of every event" -- "$cli" group state-hash --group "$group" -o json
whole=$(jq -r .state_hash "$work/out")
count=$(jq -r .event_count "$work/out")
expect_eq "$whole" "$("$cli" group show "$group" -o json | jq -r .state_hash)" "state-hash = group show"
expect_eq "$count" "$("$cli" group events "$group" -o json | jq length)" "event_count = events listed"
expect_eq "$(jq -r .last_event_id "$work/out")" \
  "$("$cli" group events "$group" -o json | jq -r '.[-1].event_id')" "last_event_id = last event"

expect_exit 0 "state-hash of the genesis alone" -- "$cli" group state-hash --group "$group" --at 1 -o json
expect_eq "$(jq -r .event_count "$work/out")" "1" "prefix of one event"
expect_eq "$(jq -r .last_event_id "$work/out")" "$group" "the genesis id is the group id"
prefix=$(jq -r .state_hash "$work/out")
[ "$prefix" != "$whole" ] && ok || fail "a prefix hashes like the whole group"
expect_exit 0 "same prefix again" -- "$cli" group state-hash --group "$group" --at 1 -o json
expect_eq "$(jq -r .state_hash "$work/out")" "$prefix" "a prefix hash is stable"
expect_exit 0 "a count past the end is every event" -- "$cli" group state-hash --group "$group" --at 1000 -o json
expect_eq "$(jq -r .state_hash "$work/out")" "$whole" "--at past the end"

expect_exit 3 "--at 0" -- "$cli" group state-hash --group "$group" --at 0
expect_in "$work/err" "--at '0' must be an event count" "--at 0 says what to fix"
expect_exit 4 "unknown group" -- "$cli" group state-hash --group "$(printf '0%.0s' $(seq 64))"

expect_exit 0 "no forks" -- "$cli" group forks --group "$group" -o json
expect_eq "$(jq -c . "$work/out")" "[]" "an empty fork list"
expect_exit 0 "member list json has frozen_from_seq" -- "$cli" member list --group "$group" -o json
expect_eq "$(jq -r '.[0].frozen_from_seq' "$work/out")" "0" "not frozen: frozen_from_seq 0"

e2e_finish state_hash
