#!/usr/bin/env bash
# End-to-end: docs/COORDINATOR_GUIDE.md, run exactly as written (issue 9). Three real nodes
# play Riverside, Harbour and Tide Lab; the CLI contexts and $RIVERSIDE are set as the guide's
# "Before you start" says; then every ```sh block of the guide runs, in order, in one bash
# with `set -euo pipefail` and the built `constellation` first on PATH. A command that fails
# fails the test (its output is printed). Afterwards the test checks what the guide promised.
#   usage: coordinator_guide_test.sh CONSTELLATIOND CONSTELLATION GUIDE
daemon="$1"
cli="$2"
guide="$3"
source "$(dirname "$0")/lib.sh"
e2e_setup
e2e_start_node riverside "Riverside Food Bank"
e2e_start_node harbour "Harbour Trust"
e2e_start_node tidelab "Tide Lab"
for name in riverside harbour tidelab; do
  "$cli" context set "$name" --endpoint "127.0.0.1:${port[$name]}" --token "${token[$name]}" \
    >/dev/null || { echo "context set $name failed"; exit 1; }
done

# The guide's sh blocks, in order.
{
  echo 'set -euo pipefail'
  awk '/^```sh$/ { inside = 1; next } /^```/ { inside = 0; next } inside { print }' "$guide"
  # What the test checks afterwards needs the guide's variables.
  echo 'declare -p G C ACTION V1 V2 S T > "$WORK/vars"'
} >"$work/guide.sh"
blocks=$(grep -c '^```sh$' "$guide")
[ "$blocks" -ge 3 ] && ok || fail "the guide has $blocks sh blocks"

export PATH="$(dirname "$cli"):$PATH" RIVERSIDE="127.0.0.1:${port[riverside]}" WORK="$work"
unset CONSTELLATION_ENDPOINT CONSTELLATION_TOKEN
if (cd "$work" && bash "$work/guide.sh") >"$work/guide.out" 2>&1; then
  ok
else
  fail "the guide's commands failed; their output:"
  cat "$work/guide.out"
fi

grep -Eq 'Harbour Trust .*invited' "$work/guide.out" && ok ||
  fail "the guide's first member list did not show Harbour Trust invited"

if [ -s "$work/vars" ]; then
  source "$work/vars"
  e2e_use riverside
  expect_exit 0 "the group the guide founded" -- "$cli" group show "$G" -o json
  expect_eq "$(jq -r '.members | length' "$work/out")" "3" "three members"
  expect_eq "$(jq -r .withdrawal_notice_days "$work/out")" "30" "the amended notice days"
  expect_eq "$(jq -r '.decision_rules[] | select(.decision_type == "allocate_funds") | .process' "$work/out")" \
    "majority" "the amended ALLOCATE_FUNDS rule"
  expect_exit 0 "the convening the guide called" -- "$cli" convening show --group "$G" "$C" -o json
  expect_eq "$(jq -r '.attendance | length' "$work/out")" "2" "Harbour and Tide Lab attended"
  expect_eq "$(jq -r '.action_items[0].owner' "$work/out")" \
    "$("$cli" member list --group "$G" -o json | jq -r '.[] | select(.profile.name == "Harbour Trust") | .key')" \
    "the action item is Harbour's"
  for _ in $(seq 1 100); do
    [ "$("$cli" convening show --group "$G" "$C" -o json | jq -r '.action_items[0].status')" = done ] && break
    "$cli" peer sync --group "$G" >/dev/null 2>&1
    sleep 0.1
  done
  expect_eq "$("$cli" convening show --group "$G" "$C" -o json | jq -r '.action_items[0].status')" \
    "done" "the action item is done"
  expect_exit 0 "the strategy the guide adopted" -- "$cli" strategy current --group "$G" -o json
  expect_eq "$(jq -r '.[0].version_id' "$work/out")" "$V2" "Harbour's revision is current"
  expect_eq "$(jq -r '.[0].adoptions[0].proposal_id' "$work/out")" "$S" "adopted by the guide's decision"
  expect_eq "$("$cli" strategy show --group "$G" "$V1" -o json | jq -r .status)" "draft" \
    "the first draft stays a draft"
  expect_exit 0 "the indicators the guide reported" -- "$cli" measure show --group "$G" -o json
  expect_eq "$(jq -r '.indicators[0].key' "$work/out")" "volunteers" "the early indicator first"
  expect_eq "$(jq -r '.indicators[] | select(.key == "volunteers") | .periods[0].total' "$work/out")" \
    "27" "Harbour's 18 and Tide Lab's 9 volunteers"
  expect_eq "$(jq -r '.indicators[] | select(.key == "families-fed") | .periods[0].total' "$work/out")" \
    "165" "Riverside's corrected count counts"
  expect_eq "$("$cli" measure show --group "$G" -o csv | grep -c '^families-fed,')" "2" \
    "one CSV row for Riverside and one for the total"
  expect_exit 0 "the health the guide checked" -- "$cli" health --group "$G" -o json
  expect_eq "$(jq -r '.pulse_trend[-1].count' "$work/out")" "3" "three pulse checks"
  # The team: Tide Lab's last version reaches Riverside's node before the hashes are compared.
  for _ in $(seq 1 100); do
    [ "$("$cli" team show --group "$G" "$T" -o json | jq -r .versions)" = 4 ] && break
    "$cli" peer sync --group "$G" >/dev/null 2>&1
    sleep 0.1
  done
  expect_exit 0 "the team the guide formed" -- "$cli" team show --group "$G" "$T" -o json
  expect_eq "$(jq -r .status "$work/out")" "active" "the team is active"
  expect_eq "$(jq -r .versions "$work/out")" "4" "four versions"
  expect_eq "$(jq -r '[.members[] | select(.lead)] | length' "$work/out")" "1" "one lead"
  expect_eq "$(jq -r '.members[0].org' "$work/out")" \
    "$("$cli" member list --group "$G" -o json | jq -r '.[] | select(.profile.name == "Tide Lab") | .key')" \
    "Tide Lab leads"
  expect_eq "$(jq -r '.members | length' "$work/out")" "3" "Riverside and Harbour are its members"
  expect_eq "$("$cli" group show "$G" -o json | jq -r '.teams[0].team_id')" "$T" "group show lists it"
  hash=$("$cli" group show "$G" -o json | jq -r .state_hash)
  for name in harbour tidelab; do
    e2e_use "$name"
    for _ in $(seq 1 100); do
      [ "$("$cli" group show "$G" -o json | jq -r .state_hash)" = "$hash" ] && break
      sleep 0.1
    done
    expect_eq "$("$cli" group show "$G" -o json | jq -r .state_hash)" "$hash" "$name has the same state hash"
  done
fi

e2e_finish coordinator_guide
