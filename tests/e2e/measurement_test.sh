#!/usr/bin/env bash
# End-to-end: the `measure` commands of the real binaries, two nodes (issue 9 item 5,
# docs/PROTOCOL.md §5.16). A quarterly plan with an early and a long-term indicator is adopted;
# each org reports its own value from its own node (bad periods, values and unknown indicators
# are refused and store nothing; a second report of a period needs --revise); `measure show`
# prints the series per member and in total with a bar toward the target, early indicators
# first, and -o csv for spreadsheets; `health` lists the report a member owes. Both nodes agree
# on the state hash.
#   usage: measurement_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node harbour "Harbour Trust"
e2e_start_node tide "Tide Lab"
e2e_use harbour
for verb in report show; do
  expect_exit 0 "measure $verb --help" -- "$cli" measure $verb --help
done
group=$("$cli" group create --name "Estuary Partnership" --currency EUR -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"
e2e_admit_and_join harbour tide "$group"
e2e_use harbour

cat > "$work/plan.toml" <<'TOML'
document = "strategic_plan"
title = "Plan 2027"
[[indicators]]
key = "water-quality"
name = "Stretches at good water quality"
unit = "stretches"
level = "long_term"
baseline = 2
target = 10
frequency = "annual"
[[indicators]]
key = "volunteers"
name = "Volunteers trained"
unit = "people"
level = "early"
baseline = 0
target = 40
frequency = "quarterly"
TOML
expect_exit 4 "no strategy adopted yet" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-Q3 --value 5
version=$("$cli" strategy draft --group "$group" --from "$work/plan.toml" -o json | jq -r .version_id)
proposal=$("$cli" proposal create --group "$group" --type adopt_strategy --title "Adopt" --strategy-version "$version" -o json | jq -r .proposal_id)
"$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null || fail "harbour's vote"
e2e_use tide
for _ in $(seq 1 100); do
  "$cli" proposal show --group "$group" --proposal "$proposal" >/dev/null 2>&1 && break
  sleep 0.1
done
"$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null || fail "tide's vote"
expect_exit 0 "the adoption turns final" -- "$cli" proposal wait --group "$group" --proposal "$proposal" --for 60s

expect_exit 3 "a monthly period for a quarterly indicator" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-07 --value 5
expect_in "$work/err" "give a period like 2026-Q3" "says the form"
expect_exit 3 "not a period" -- "$cli" measure report --group "$group" --indicator volunteers --period Q3 --value 5
expect_exit 3 "not a number" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-Q3 --value many
expect_exit 4 "an unknown indicator" -- "$cli" measure report --group "$group" --indicator fish --period 2026-Q3 --value 5
expect_eq "$("$cli" measure show --group "$group" -o json | jq '[.indicators[].periods[]] | length')" "0" "nothing stored"
expect_exit 0 "tide reports" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-Q3 --value 5 --note "one training" -o json
expect_exit 8 "a second report of the period" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-Q3 --value 6
expect_in "$work/err" "--revise" "the hint says how to correct"
expect_exit 0 "tide corrects it" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-Q3 --value 7 --revise -o json
expect_eq "$(jq -r '.report.revises | length' "$work/out")" "64" "the correction revises the first report"
expect_exit 0 "tide reports the next quarter" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-Q4 --value 9

e2e_use harbour
for _ in $(seq 1 100); do
  [ "$("$cli" measure show --group "$group" -o json 2>/dev/null | jq '[.indicators[].periods[]] | length')" = 2 ] && break
  sleep 0.1
done
expect_exit 0 "harbour reports" -- "$cli" measure report --group "$group" --indicator volunteers --period 2026-Q3 --value 3
expect_exit 0 "harbour reports water quality" -- "$cli" measure report --group "$group" --indicator water-quality --period 2026 --value 4
expect_exit 0 "measure show" -- "$cli" measure show --group "$group"
for text in "volunteers: Volunteers trained" "HARBOUR TRUST" "TIDE LAB" "TOTAL" "25%" "2026-Q4"; do
  expect_in "$work/out" "$text" "show has '$text'"
done
[ "$(grep -n 'volunteers:' "$work/out" | cut -d: -f1)" -lt "$(grep -n 'water-quality:' "$work/out" | cut -d: -f1)" ] \
  && ok || fail "early indicators come first"
expect_exit 0 "measure show json" -- "$cli" measure show --group "$group" -o json
expect_eq "$(jq -r '.indicators[0].key' "$work/out")" "volunteers" "early first in JSON"
expect_eq "$(jq -r '.indicators[0].periods[0].total' "$work/out")" "10" "3 + 7 in 2026-Q3"
expect_eq "$(jq -r '.indicators[0].periods[0].values | length' "$work/out")" "2" "two members"
expect_exit 0 "measure show csv" -- "$cli" measure show --group "$group" -o csv
expect_in "$work/out" "volunteers,early,people,2026-Q3,total,10,0,40" "a total row"
expect_exit 0 "one indicator" -- "$cli" measure show --group "$group" --indicator water-quality -o json
expect_eq "$(jq -r '.indicators | length' "$work/out")" "1" "only that indicator"
expect_exit 0 "health" -- "$cli" health --group "$group" --as-of 2099-01-15 -o json
expect_eq "$(jq -r '[.members[].reports_owed[] | select(.period == "2098-Q4")] | length' "$work/out")" "2" \
  "each member owes the last quarter's volunteers"

for _ in $(seq 1 100); do
  a=$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
    "$cli" group show "$group" -o json | jq -r .state_hash)
  b=$("$cli" group show "$group" -o json | jq -r .state_hash)
  [ "$a" = "$b" ] && break
  sleep 0.1
done
expect_eq "$a" "$b" "both nodes have the same state hash"

e2e_finish measurement
