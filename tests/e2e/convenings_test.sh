#!/usr/bin/env bash
# End-to-end: the `convening` commands of the real constellation binary against two real
# constellationd nodes (issue 9 item 4, docs/PROTOCOL.md §5.13). A coordinator convenes a
# meeting with free agenda items and a proposal on the agenda, inviting the other member by
# name; the invitee attends from its own node; the coordinator records minutes (from a file,
# then replaced); the attendee adds an action item owned by the coordinator, who marks it done.
# Lists and shows in every output format; short ids and titles resolve. Bad input gives
# distinct exit codes and stores nothing.
#   usage: convenings_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node harbour "Harbour Trust"
e2e_start_node tide "Tide Lab"
e2e_use harbour

expect_exit 0 "convening --help" -- "$cli" convening --help
for verb in schedule list show attend minutes "action add" "action done" "action list"; do
  # shellcheck disable=SC2086
  expect_exit 0 "convening $verb --help" -- "$cli" convening $verb --help
  grep -q -- "--group" "$work/out" || fail "convening $verb --help does not list --group"
done

group=$("$cli" group create --name "Estuary Partnership" --currency EUR --rule dissolve=consent -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"
e2e_admit_and_join harbour tide "$group"
e2e_use harbour
harbour_key=$("$cli" node info -o json | jq -r .org_key)
tide_key=$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
  "$cli" node info -o json | jq -r .org_key)

proposal=$("$cli" proposal create --group "$group" --type dissolve --title "Wind down?" \
  --plan "Return what remains pro rata" -o json | jq -r .proposal_id)
[ ${#proposal} -eq 64 ] || fail "proposal id '$proposal'"

# Bad input: refused before or by the node, nothing stored.
seq_before=$("$cli" group show "$group" -o json | jq -r ".members[] | select(.key == \"$harbour_key\") | .last_seq")
expect_exit 2 "schedule without --at" -- "$cli" convening schedule --group "$group" --title "Review"
expect_exit 3 "schedule at a bad time" -- "$cli" convening schedule --group "$group" --title "Review" --at tomorrowish
expect_exit 3 "a control character in an agenda item" -- "$cli" convening schedule --group "$group" \
  --title "Review" --at 2027-01-14T15:00:00Z --agenda "$(printf 'red \033[31m')"
expect_exit 4 "an agenda proposal the group lacks" -- "$cli" convening schedule --group "$group" \
  --title "Review" --at 2027-01-14T15:00:00Z --proposal "$(printf 'c%.0s' $(seq 64))"
expect_exit 8 "inviting a non-member" -- "$cli" convening schedule --group "$group" \
  --title "Review" --at 2027-01-14T15:00:00Z --invite "$(printf 'd%.0s' $(seq 64))"
expect_in "$work/err" "invite members only" "the refusal says what to fix"
expect_eq "$("$cli" group show "$group" -o json | jq -r ".members[] | select(.key == \"$harbour_key\") | .last_seq")" \
  "$seq_before" "nothing stored by refused schedules"

# Schedule: the other member invited by name (short id), one free item and the proposal.
expect_exit 0 "schedule" -- "$cli" convening schedule --group "$group" --title "Quarterly review" \
  --at 2027-01-14T15:00:00Z --agenda "Indicators of the quarter" --agenda "Next steps" \
  --proposal "${proposal:0:8}" --invite "${tide_key:0:10}" --location "https://call.example/q1" -o json
convening=$(jq -r .convening_id "$work/out")
[ ${#convening} -eq 64 ] || fail "convening id '$convening'"
expect_eq "$(jq -r .convening.scheduled "$work/out")" "2027-01-14T15:00:00Z" "scheduled time"
expect_eq "$(jq -r '.convening.agenda.proposals[0].title' "$work/out")" "Wind down?" "agenda proposal"
expect_eq "$(jq -r '.convening.invitees[0]' "$work/out")" "$tide_key" "invitee resolved from a short id"

expect_exit 6 "the convener was not invited by name" -- "$cli" convening attend --group "$group" "$convening"
expect_in "$work/err" "not invited" "says why"
expect_in "$work/err" "hint: only the members the convener invited attend" "the hint fits the refusal"

# The invitee attends from its own node, once.
for _ in $(seq 1 100); do
  CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
    "$cli" convening show --group "$group" "$convening" >/dev/null 2>&1 && break
  sleep 0.1
done
e2e_use tide
expect_exit 0 "attend (by title)" -- "$cli" convening attend --group "$group" "Quarterly review"
expect_exit 5 "attend twice" -- "$cli" convening attend --group "$group" "$convening"
expect_exit 6 "minutes by a non-convener" -- "$cli" convening minutes --group "$group" "$convening" --text "notes"
expect_exit 8 "an action item owned by a non-member" -- "$cli" convening action add --group "$group" \
  "$convening" --text "Draft" --owner "$(printf 'e%.0s' $(seq 64))" --due 2027-02-01
expect_exit 0 "an attendee adds an action item" -- "$cli" convening action add --group "$group" \
  "${convening:0:8}" --text "Circulate the minutes" --owner "Harbour Trust" --due 2027-02-01 -o json
action=$(jq -r .action_id "$work/out")
expect_eq "$(jq -r .action_item.status "$work/out")" "open" "a new item is open"
expect_eq "$(jq -r .action_item.owner "$work/out")" "$harbour_key" "owner resolved from the org name"

# Back on the convener's node: minutes from a file, replaced; the item marked done.
e2e_use harbour
for _ in $(seq 1 100); do
  [ "$("$cli" convening action list --group "$group" -o json | jq length)" = 1 ] && break
  sleep 0.1
done
printf 'Agreed:\n- the appeal\n- the Q2 plan\n' > "$work/minutes.md"
expect_exit 3 "minutes from both --text and --file" -- "$cli" convening minutes --group "$group" "$convening" --text x --file "$work/minutes.md"
expect_exit 4 "minutes from a missing file" -- "$cli" convening minutes --group "$group" "$convening" --file "$work/none.md"
expect_exit 0 "draft minutes" -- "$cli" convening minutes --group "$group" "$convening" --text "Draft"
expect_exit 0 "minutes from a file" -- "$cli" convening minutes --group "$group" "$convening" --file "$work/minutes.md" -o json
expect_eq "$(jq -r .convening.minutes "$work/out")" "$(cat "$work/minutes.md")" "the latest minutes show"
expect_eq "$(jq -r .convening.minutes_versions "$work/out")" "2" "both versions kept"
expect_exit 0 "open items" -- "$cli" convening action list --group "$group" --open --owner "Harbour Trust" -o csv
expect_eq "$(head -1 "$work/out")" "action_id,due,status,owner,text,convening_id" "CSV header"
expect_in "$work/out" "Circulate the minutes" "the open item is listed"
expect_exit 0 "action done" -- "$cli" convening action done --group "$group" "${action:0:8}" --note "sent" -o json
expect_eq "$(jq -r .action_item.status "$work/out")" "done" "done"
expect_exit 5 "done twice" -- "$cli" convening action done --group "$group" "$action"
expect_eq "$("$cli" convening action list --group "$group" --open -o json | jq length)" "0" "no open items left"

# Reads in every format.
expect_exit 0 "convening list" -- "$cli" convening list --group "$group"
expect_in "$work/out" "Quarterly review" "list shows the title"
expect_exit 0 "convening list csv" -- "$cli" convening list --group "$group" -o csv
expect_eq "$(head -1 "$work/out")" "convening_id,scheduled,title,convener,attended,actions_not_done,minutes" "list CSV header"
expect_exit 0 "convening show" -- "$cli" convening show --group "$group" "$convening"
for text in "Agenda" "Indicators of the quarter" "Wind down?" "Attendance" "Action items" "Circulate the minutes" "https://call.example/q1"; do
  expect_in "$work/out" "$text" "show lists '$text'"
done
expect_exit 0 "convening show json" -- "$cli" convening show --group "$group" "$convening" -o json
expect_eq "$(jq -r '.attendance | length' "$work/out")" "1" "one attendance"
expect_eq "$(jq -r '.action_items[0].completion_note' "$work/out")" "sent" "the completion's note"
expect_exit 4 "show an unknown convening" -- "$cli" convening show --group "$group" "$(printf 'f%.0s' $(seq 64))"

# Both nodes agree.
for _ in $(seq 1 100); do
  a=$("$cli" group show "$group" -o json | jq -r .state_hash)
  b=$(CONSTELLATION_ENDPOINT="127.0.0.1:${port[tide]}" CONSTELLATION_TOKEN="${token[tide]}" \
    "$cli" group show "$group" -o json | jq -r .state_hash)
  [ "$a" = "$b" ] && break
  sleep 0.1
done
expect_eq "$a" "$b" "both nodes have the same state hash"

e2e_finish convenings
