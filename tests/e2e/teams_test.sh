#!/usr/bin/env bash
# End-to-end: the `team` commands of the real constellation binary against two real
# constellationd nodes (issue 9 item 3, docs/PROTOCOL.md §5.17). A member forms an action team
# with the other member around a goal of the group's strategy; bad input gives distinct exit
# codes and stores nothing; the other member cannot write versions until the lead hands it the
# lead; the new lead sets the team dormant from its own node; `group show` lists the team; lists
# and shows in every output format; names and short ids resolve; when the other member leaves
# the group, the team shows it as no longer in the group; before that, the team decides by a
# TEAM_LEADS proposal that the first member leads it again.
#   usage: teams_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node harbour "Harbour Trust"
e2e_start_node tide "Tide Lab"
e2e_use harbour

expect_exit 0 "team --help" -- "$cli" team --help
for verb in create list show update propose-leads; do
  expect_exit 0 "team $verb --help" -- "$cli" team "$verb" --help
  grep -q -- "--group" "$work/out" || fail "team $verb --help does not list --group"
done

group=$("$cli" group create --name "Estuary Partnership" --currency EUR -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"
e2e_admit_and_join harbour tide "$group"
e2e_use harbour
harbour_key=$("$cli" node info -o json | jq -r .org_key)
tide_key=$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
  "$cli" node info -o json | jq -r .org_key)
cat > "$work/plan.toml" <<'TOML'
document = "common_agenda"
title = "Agenda 2027"
content = "We restore the estuary together."

[[goals]]
key = "restore"
text = "Restore the estuary"
TOML
expect_exit 0 "a strategy draft with a goal" -- "$cli" strategy draft --group "$group" --from "$work/plan.toml"
last_seq() {
  "$cli" group show "$group" -o json | jq -r ".members[] | select(.key == \"$harbour_key\") | .last_seq"
}

# Bad input: refused before or by the node, nothing stored.
seq_before=$(last_seq)
expect_exit 2 "create without --name" -- "$cli" team create --group "$group"
expect_exit 3 "an unknown status" -- "$cli" team create --group "$group" --name "Pilot" --status sleeping
expect_in "$work/err" "proposed" "the error lists the statuses"
expect_exit 3 "a new team that is closed" -- "$cli" team create --group "$group" --name "Pilot" --status closed
expect_exit 3 "a control character in the name" -- "$cli" team create --group "$group" --name "$(printf 'red \033[31m')"
expect_exit 4 "a goal the strategy lacks" -- "$cli" team create --group "$group" --name "Pilot" --goal housing
expect_in "$work/err" "hint: link goals of the group's strategy" "the hint fits the refusal"
expect_exit 8 "a member that is not in the group" -- "$cli" team create --group "$group" --name "Pilot" \
  --member "$(printf 'd%.0s' $(seq 64))"
expect_in "$work/err" "not a member" "the refusal says what to fix"
expect_exit 6 "a team this org does not lead" -- "$cli" team create --group "$group" --name "Pilot" --lead "Tide Lab"
expect_in "$work/err" "not one of its leads" "says why"
expect_eq "$(last_seq)" "$seq_before" "nothing stored by refused creates"

# Form the team: this org leads by default; the member by its org name, the goal linked.
expect_exit 0 "create" -- "$cli" team create --group "$group" --name "Mudflat survey" \
  --opportunity "A regional grant for surveys" --member "Tide Lab" --goal restore \
  --review 2027-06-30 --fiscal-host "${harbour_key:0:10}" --workplan "Survey in spring" -o json
team=$(jq -r .team_id "$work/out")
[ ${#team} -eq 64 ] || fail "team id '$team'"
expect_eq "$(jq -r .team.status "$work/out")" "proposed" "a team starts proposed"
expect_eq "$(jq -r '.team.members[0].org' "$work/out")" "$harbour_key" "this org leads"
expect_eq "$(jq -r '.team.members[0].lead' "$work/out")" "true" "as lead"
expect_eq "$(jq -r '.team.members[1].org' "$work/out")" "$tide_key" "the member resolved from its name"
expect_eq "$(jq -r '.team.goals[0]' "$work/out")" "restore" "the goal"
expect_eq "$(jq -r '.team.review' "$work/out")" "2027-06-30" "the review date"
expect_exit 0 "activate (by name)" -- "$cli" team update --group "$group" "Mudflat survey" --status active -o json
expect_eq "$(jq -r .team.status "$work/out")" "active" "active"
expect_eq "$(jq -r .team.versions "$work/out")" "2" "a second version"
expect_exit 3 "update without a change" -- "$cli" team update --group "$group" "$team"
expect_exit 8 "back to proposed" -- "$cli" team update --group "$group" "${team:0:8}" --status proposed
expect_in "$work/err" "cannot become proposed" "says why"

# The member cannot write a version until the lead hands it the lead.
for _ in $(seq 1 100); do
  [ "$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
    "$cli" team show --group "$group" "$team" -o json 2>/dev/null | jq -r .versions)" = 2 ] && break
  sleep 0.1
done
e2e_use tide
expect_exit 6 "a participant writes a version" -- "$cli" team update --group "$group" "$team" --status dormant
expect_in "$work/err" "hint: a lead of the team writes its next version" "the hint fits the refusal"
e2e_use harbour
expect_exit 0 "hand the lead to the member" -- "$cli" team update --group "$group" "$team" --lead "Tide Lab" -o json
expect_eq "$(jq -r '.team.members[0].org' "$work/out")" "$tide_key" "the new lead"
expect_eq "$(jq -r '.team.members[1].org' "$work/out")" "$harbour_key" "the former lead stays a member"
for _ in $(seq 1 100); do
  [ "$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
    "$cli" team show --group "$group" "$team" -o json 2>/dev/null | jq -r .versions)" = 3 ] && break
  sleep 0.1
done
e2e_use tide
expect_exit 0 "the new lead sets the team dormant" -- "$cli" team update --group "$group" "Mudflat survey" --status dormant
e2e_use harbour
for _ in $(seq 1 100); do
  [ "$("$cli" team show --group "$group" "$team" -o json | jq -r .status)" = dormant ] && break
  sleep 0.1
done

# Reads in every format, and `group show`.
expect_exit 0 "team list" -- "$cli" team list --group "$group"
expect_in "$work/out" "Mudflat survey" "list shows the name"
expect_in "$work/out" "dormant" "list shows the status"
expect_exit 0 "team list csv" -- "$cli" team list --group "$group" --member "Harbour Trust" -o csv
expect_eq "$(head -1 "$work/out")" "team_id,name,status,leads,members,review" "list CSV header"
expect_eq "$(wc -l < "$work/out" | tr -d ' ')" "2" "one team names Harbour Trust"
expect_exit 0 "team show" -- "$cli" team show --group "$group" "$team"
for text in "Mudflat survey" "dormant" "A regional grant for surveys" "restore" "2027-06-30" "Members" "lead" "participant" "Survey in spring"; do
  expect_in "$work/out" "$text" "show lists '$text'"
done
expect_exit 0 "group show lists the teams" -- "$cli" group show "$group"
expect_in "$work/out" "Teams" "a Teams section"
expect_in "$work/out" "Mudflat survey" "the team in group show"
expect_exit 0 "group show json" -- "$cli" group show "$group" -o json
expect_eq "$(jq -r '.teams[0].team_id' "$work/out")" "$team" "teams in group show's JSON"
expect_exit 4 "show an unknown team" -- "$cli" team show --group "$group" "$(printf 'f%.0s' $(seq 64))"

# Health lists the team once its review date (2027-06-30) has passed, with its leads.
expect_exit 0 "health before the review date" -- "$cli" health --group "$group" --as-of 2027-06-29
expect_in "$work/out" "none due" "no team review due yet"
expect_exit 0 "health after the review date" -- "$cli" health --group "$group" --as-of 2027-07-01
expect_in "$work/out" "Teams past review" "a section for the teams past review"
expect_in "$work/out" "Mudflat survey" "the team past review"
expect_in "$work/out" "(Tide Lab)" "its lead by name"
expect_exit 0 "health json" -- "$cli" health --group "$group" --as-of 2027-07-01 -o json
expect_eq "$(jq -r '.teams_review_due[0].team_id' "$work/out")" "$team" "teams_review_due in JSON"
expect_eq "$(jq -r '.teams_review_due[0].leads[0]' "$work/out")" "$tide_key" "the lead in JSON"

# Both nodes agree.
for _ in $(seq 1 100); do
  a=$("$cli" group show "$group" -o json | jq -r .state_hash)
  b=$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
    "$cli" group show "$group" -o json | jq -r .state_hash)
  [ "$a" = "$b" ] && break
  sleep 0.1
done
expect_eq "$a" "$b" "both nodes have the same state hash"

# The team decides who leads it (docs/PROTOCOL.md §5.17.1): Harbour Trust, now a participant,
# proposes to lead again; both orgs of the team agree; once final, Harbour Trust leads.
expect_exit 3 "propose-leads without --lead" -- "$cli" team propose-leads --group "$group" "$team"
expect_in "$work/err" "--lead is required" "says what is missing"
expect_exit 3 "proposal create --type team_leads points to the team verb" -- \
  "$cli" proposal create --group "$group" --type team_leads --title "Leads"
expect_in "$work/err" "team propose-leads" "names the verb to use"
expect_exit 0 "propose the team's leads" -- "$cli" team propose-leads --group "$group" "Mudflat survey" \
  --lead "Harbour Trust" -o json
leads_proposal=$(jq -r .proposal_id "$work/out")
expect_eq "$(jq -r '.proposal.team_leads.leads[0]' "$work/out")" "$harbour_key" "the payload names the lead"
expect_eq "$(jq -r '.proposal.electorate | length' "$work/out")" "2" "the team's two orgs decide"
expect_eq "$(jq -r '.proposal.team_leads.team_orgs | length' "$work/out")" "2" "the payload names the team's orgs"
expect_exit 0 "the proposer agrees" -- "$cli" proposal vote --group "$group" --proposal "$leads_proposal" --stance agree
e2e_use tide
for _ in $(seq 1 100); do
  "$cli" proposal show --group "$group" --proposal "$leads_proposal" >/dev/null 2>&1 && break
  sleep 0.1
done
expect_exit 0 "the lead agrees" -- "$cli" proposal vote --group "$group" --proposal "$leads_proposal" --stance agree
e2e_use harbour
e2e_wait_final "$group" "$leads_proposal"
for _ in $(seq 1 100); do
  [ "$("$cli" team show --group "$group" "$team" -o json | jq -r .leads_decided_by)" = "$leads_proposal" ] && break
  sleep 0.1
done
expect_exit 0 "team show after the decision" -- "$cli" team show --group "$group" "$team" -o json
expect_eq "$(jq -r .leads_decided_by "$work/out")" "$leads_proposal" "the deciding proposal"
expect_eq "$(jq -r '.members[0].org' "$work/out")" "$harbour_key" "the decided lead"
expect_eq "$(jq -r '.members[0].lead' "$work/out")" "true" "leads"
expect_exit 0 "team show names the decision" -- "$cli" team show --group "$group" "$team"
expect_in "$work/out" "leads_decided_by" "the text view names the deciding proposal"

# The member leaves the group, and so the team.
e2e_use tide
expect_exit 0 "the member leaves the group" -- "$cli" member leave --group "$group" --reason "refocusing"
e2e_use harbour
for _ in $(seq 1 100); do
  [ "$("$cli" team show --group "$group" "$team" -o json | jq -r ".members[] | select(.org == \"$tide_key\") | .active")" = false ] && break
  sleep 0.1
done
expect_exit 0 "team show after the member left" -- "$cli" team show --group "$group" "$team"
expect_in "$work/out" "no (left the group)" "the member that left is marked"

e2e_finish teams
