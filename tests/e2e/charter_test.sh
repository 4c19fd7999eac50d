#!/usr/bin/env bash
# End-to-end: a coordinator amends the charter through the CLI (issue 9, docs/PROTOCOL.md §5.6
# "Charter amendments"): `proposal amend-charter` proposes the current charter with the changes
# given; nothing changes until the decision is final and passed; then `group show` shows the
# new charter and the node applies its rules (a campaign opened alone is refused once the
# OPEN_CAMPAIGN rule needs a decision). Bad input is refused with the right exit code and
# nothing is stored. Then the group dissolves by decision (PROTOCOL §5.6 "Dissolution"): every
# view says so, and records that do not settle the group are refused.
#   usage: charter_test.sh CONSTELLATIOND CONSTELLATION
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup
e2e_start_node node "Riverside Food Bank"
e2e_use node

group=$("$cli" group create --name "Northside Food Partnership" --currency EUR \
  --rule dissolve=consent -o json | jq -r .group_id)
expect_exit 0 "a member opens a campaign alone under the founding charter" -- \
  "$cli" campaign open --group "$group" --name "Winter appeal" --goal 1000 --currency EUR
expect_exit 0 "group show lists the rules" -- "$cli" group show "$group"
expect_in "$work/out" "open_campaign=consent (a member acts alone)" "the founding OPEN_CAMPAIGN rule"

# Bad input: refused before anything is written.
proposals_before=$("$cli" proposal list --group "$group" -o json | jq length)
expect_exit 3 "proposal create cannot carry a charter" -- \
  "$cli" proposal create --group "$group" --type amend_charter --title "New charter"
expect_in "$work/err" "use 'constellation proposal amend-charter'" "create points to amend-charter"
expect_exit 3 "removing a rule the charter does not have" -- \
  "$cli" proposal amend-charter --group "$group" --remove-rule admit
expect_in "$work/err" "the charter has no rule for admit" "--remove-rule names the rule"
expect_exit 3 "an unknown kind" -- "$cli" proposal amend-charter --group "$group" --kind club
expect_in "$work/err" "--kind 'club' must be partnership or collaboration" "--kind says what to fix"
expect_exit 3 "an unknown decision process, refused by the node" -- \
  "$cli" proposal amend-charter --group "$group" --rule allocate_funds=coinflip
expect_eq "$("$cli" proposal list --group "$group" -o json | jq length)" "$proposals_before" \
  "nothing stored by refused amendments"

expect_exit 0 "propose the amendment" -- "$cli" proposal amend-charter --group "$group" \
  --rule open_campaign=consent --notice-days 30 --review 2027-06-30 -o json
proposal=$(jq -r .proposal_id "$work/out")
expect_eq "$("$cli" proposal show --group "$group" --proposal "$proposal" -o json | jq -r .decision_type)" \
  "amend_charter" "an AMEND_CHARTER proposal"
expect_eq "$("$cli" group show "$group" -o json | jq -r .withdrawal_notice_days)" "0" \
  "not in force while open"

expect_exit 11 "waiting for an open proposal gives up after --for" -- \
  "$cli" proposal wait --group "$group" --proposal "$proposal" --for 1s
expect_in "$work/err" "is not final after 1s" "proposal wait says it gave up"
"$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null || fail "vote"
expect_exit 0 "proposal wait returns once final" -- \
  "$cli" proposal wait --group "$group" --proposal "$proposal" --for 60s -o json
expect_eq "$(jq -r .final "$work/out")" "true" "the amendment is final (the node acknowledged its close)"
expect_eq "$(jq -r .outcome "$work/out")" "passed" "the amendment passed"

expect_exit 0 "group show after the amendment" -- "$cli" group show "$group" -o json
expect_eq "$(jq -r .withdrawal_notice_days "$work/out")" "30" "notice days amended"
expect_eq "$(jq -r '.decision_rules[] | select(.decision_type == "open_campaign") | .member_acts_alone' "$work/out")" \
  "false" "OPEN_CAMPAIGN now needs a decision"
expect_eq "$(jq -r .name "$work/out")" "Northside Food Partnership" "what was not named is kept"
expect_eq "$(jq -r .base_currency "$work/out")" "EUR" "the base currency is kept"
expect_exit 8 "a campaign opened alone is refused under the amended charter" -- \
  "$cli" campaign open --group "$group" --name "Spring appeal" --goal 500 --currency EUR
expect_in "$work/err" "requires an OPEN_CAMPAIGN decision" "the refusal says what to do"

# Dissolution.
expect_exit 0 "propose dissolving" -- "$cli" proposal create --group "$group" --type dissolve \
  --title "Wind down" --plan "Return what remains to the members pro rata" -o json
dissolve=$(jq -r .proposal_id "$work/out")
expect_eq "$("$cli" group show "$group" -o json | jq -r .dissolved_by)" "" "not dissolved while open"
"$cli" proposal vote --group "$group" --proposal "$dissolve" --stance agree >/dev/null || fail "vote"
expect_exit 0 "the dissolution is final" -- \
  "$cli" proposal wait --group "$group" --proposal "$dissolve" --for 60s
expect_exit 0 "group show of a dissolved group" -- "$cli" group show "$group"
expect_in "$work/out" "dissolved by proposal $dissolve" "group show says it is dissolved"
expect_eq "$("$cli" group show "$group" -o json | jq -r .dissolved_by)" "$dissolve" "JSON dissolved_by"
expect_eq "$("$cli" group list -o csv | grep "^$group," | cut -d, -f7)" "dissolved" "group list status"
expect_exit 8 "a new campaign in a dissolved group" -- \
  "$cli" campaign open --group "$group" --name "After the end" --goal 100 --currency EUR
expect_in "$work/err" "is dissolved" "the refusal names the dissolution"
# Every view of the dissolved group says so (a note on stderr under the table; JSON unchanged).
for view in "campaign list" "member list" "proposal list" "pool fund list" "health"; do
  expect_exit 0 "$view of a dissolved group" -- "$cli" $view --group "$group"
  expect_in "$work/err" "note: group Northside Food Partnership is dissolved (proposal ${dissolve:0:12})" \
    "$view says the group is dissolved"
done
expect_exit 0 "campaign list -o json of a dissolved group" -- "$cli" campaign list --group "$group" -o json
[ ! -s "$work/err" ] || fail "JSON output of a dissolved group wrote to stderr: $(cat "$work/err")"
expect_exit 0 "leaving a dissolved group is still possible" -- "$cli" member leave --group "$group"

e2e_finish charter
