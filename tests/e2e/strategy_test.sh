#!/usr/bin/env bash
# End-to-end: the `strategy` commands of the real binaries, two nodes (issue 9 item 1,
# docs/PROTOCOL.md §5.15). A member drafts a strategic plan from a TOML file (bad files and bad
# values are refused and store nothing); the other member drafts a revision based on it, and a
# concurrent alternative is kept; `strategy diff` shows the text, goal and indicator changes;
# an adopt_strategy decision naming an unknown version is refused by the node; one naming the
# revision is agreed by both, turns final, and `strategy current` / `history` / `show` show it
# current on both nodes. Both nodes agree on the state hash.
#   usage: strategy_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node harbour "Harbour Trust"
e2e_start_node tide "Tide Lab"
e2e_use harbour

for verb in draft list show current history diff; do
  expect_exit 0 "strategy $verb --help" -- "$cli" strategy $verb --help
done
group=$("$cli" group create --name "Estuary Partnership" --currency EUR -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"
e2e_admit_and_join harbour tide "$group"
e2e_use harbour

cat > "$work/plan.toml" <<'TOML'
document = "strategic_plan"
title = "Plan 2027"
content = """
We restore the estuary together.
Each member monitors its own stretch.
We report every quarter.
"""

[[indicators]]
key = "volunteers"
name = "Volunteers trained"
unit = "people"
level = "early"
baseline = 0
target = 40
frequency = "quarterly"

[[indicators]]
key = "water-quality"
name = "Stretches at good water quality"
unit = "stretches"
level = "long_term"
baseline = 2
target = 10
frequency = "annual"

[[goals]]
key = "restore"
text = "Restore the estuary"
indicators = ["volunteers", "water-quality"]
TOML
printf 'document = "strategic_plan"\ntitel = "typo"\n' > "$work/typo.toml"
expect_exit 3 "an unknown key in the file" -- "$cli" strategy draft --group "$group" --from "$work/typo.toml"
expect_in "$work/err" "unknown key 'titel'" "names the key"
printf 'document = "strategic_plan"\ntitle = \n' > "$work/broken.toml"
expect_exit 3 "a file that is not TOML" -- "$cli" strategy draft --group "$group" --from "$work/broken.toml"
expect_in "$work/err" "broken.toml:2" "names the line"
expect_exit 4 "a file that does not exist" -- "$cli" strategy draft --group "$group" --from "$work/none.toml"
sed 's/frequency = "annual"/frequency = "weekly"/' "$work/plan.toml" > "$work/weekly.toml"
expect_exit 3 "an unknown frequency" -- "$cli" strategy draft --group "$group" --from "$work/weekly.toml"
sed 's/indicators = \["volunteers", "water-quality"\]/indicators = ["volunteers", "fish"]/' "$work/plan.toml" > "$work/fish.toml"
expect_exit 3 "a goal naming an unknown indicator" -- "$cli" strategy draft --group "$group" --from "$work/fish.toml"
expect_in "$work/err" "'fish' is not the key of an indicator" "says which key"
expect_exit 3 "no document" -- "$cli" strategy draft --group "$group" --title "Loose"
expect_eq "$("$cli" strategy list --group "$group" -o json | jq length)" "0" "nothing stored"

expect_exit 0 "draft from a file" -- "$cli" strategy draft --group "$group" --from "$work/plan.toml" -o json
v1=$(jq -r .version_id "$work/out")
expect_eq "$(jq -r .version.status "$work/out")" "draft" "a draft until adopted"
expect_eq "$(jq -r '.version.indicators | length' "$work/out")" "2" "its indicators"
expect_exit 0 "strategy show" -- "$cli" strategy show --group "$group" "${v1:0:8}"
for text in "Plan 2027" "Goals" "Indicators" "Volunteers trained" "We report every quarter"; do
  expect_in "$work/out" "$text" "show lists '$text'"
done
expect_exit 0 "strategy current before any adoption" -- "$cli" strategy current --group "$group"
expect_in "$work/out" "no strategy adopted yet" "says none is current"

e2e_use tide
for _ in $(seq 1 100); do
  [ "$("$cli" strategy list --group "$group" -o json 2>/dev/null | jq length)" = 1 ] && break
  sleep 0.1
done
sed -e 's/We report every quarter./We report every month./' -e 's/target = 40/target = 60/' \
    -e 's/title = "Plan 2027"/title = "Plan 2027, monthly"/' "$work/plan.toml" > "$work/v2.toml"
expect_exit 0 "a revision based on it" -- "$cli" strategy draft --group "$group" --from "$work/v2.toml" --based-on "${v1:0:8}" -o json
v2=$(jq -r .version_id "$work/out")
expect_exit 0 "a concurrent alternative" -- "$cli" strategy draft --group "$group" --from "$work/plan.toml" --based-on "$v1" --title "Plan 2027, lean" -o json
v3=$(jq -r .version_id "$work/out")
expect_eq "$(jq -r '.version.alternatives[0]' "$work/out")" "$v2" "the other revision is its alternative"
expect_exit 8 "based on a version of another document" -- "$cli" strategy draft --group "$group" --document common_agenda --title "Agenda" --based-on "$v1"
expect_exit 0 "strategy diff" -- "$cli" strategy diff --group "$group" "$v1" "$v2"
for text in "- We report every quarter." "+ We report every month." "~ volunteers" "target: 40 -> 60" "title: Plan 2027 -> Plan 2027, monthly"; do
  expect_in "$work/out" "$text" "diff shows '$text'"
done
expect_exit 0 "strategy diff json" -- "$cli" strategy diff --group "$group" "$v1" "$v2" -o json
expect_eq "$(jq -r '.indicators[0].fields[0].field' "$work/out")" "target" "the changed field"

e2e_use harbour
expect_exit 4 "adopting a version the group does not have" -- "$cli" proposal create --group "$group" --type adopt_strategy --title "Adopt" --strategy-version "$(printf 'ab%.0s' $(seq 1 32))"
for _ in $(seq 1 100); do
  [ "$("$cli" strategy list --group "$group" -o json 2>/dev/null | jq length)" = 3 ] && break
  sleep 0.1
done
proposal=$("$cli" proposal create --group "$group" --type adopt_strategy --title "Adopt the monthly plan" --strategy-version "${v2:0:10}" -o json | jq -r .proposal_id)
[ ${#proposal} -eq 64 ] || fail "proposal id '$proposal'"
expect_eq "$("$cli" strategy show --group "$group" "$v2" -o json | jq -r '.open_proposals[0]')" "$proposal" "the open adoption is shown"
"$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null || fail "harbour's vote"
e2e_use tide
for _ in $(seq 1 100); do
  "$cli" proposal show --group "$group" --proposal "$proposal" >/dev/null 2>&1 && break
  sleep 0.1
done
"$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null || fail "tide's vote"
expect_exit 0 "the adoption turns final" -- "$cli" proposal wait --group "$group" --proposal "$proposal" --for 60s
expect_exit 0 "strategy current" -- "$cli" strategy current --group "$group" -o json
expect_eq "$(jq -r '.[0].version_id' "$work/out")" "$v2" "the adopted version is current"
expect_eq "$(jq -r '.[0].status' "$work/out")" "current" "shown current"
expect_exit 0 "strategy history" -- "$cli" strategy history --group "$group" -o csv
expect_in "$work/out" "$proposal" "the adoption is in the history"
expect_exit 0 "strategy list" -- "$cli" strategy list --group "$group"
expect_in "$work/out" "current" "the list shows the current version"

e2e_use harbour
for _ in $(seq 1 100); do
  [ "$("$cli" strategy current --group "$group" -o json 2>/dev/null | jq -r '.[0].version_id')" = "$v2" ] && break
  sleep 0.1
done
expect_eq "$("$cli" strategy current --group "$group" -o json | jq -r '.[0].version_id')" "$v2" "current on the other node too"
for _ in $(seq 1 100); do
  a=$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
    "$cli" group show "$group" -o json | jq -r .state_hash)
  b=$("$cli" group show "$group" -o json | jq -r .state_hash)
  [ "$a" = "$b" ] && break
  sleep 0.1
done
expect_eq "$a" "$b" "both nodes have the same state hash"
: "$v3"

e2e_finish strategy
