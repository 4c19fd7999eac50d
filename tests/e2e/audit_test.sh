#!/usr/bin/env bash
# End-to-end: an auditor exports a group's audit bundle from a node with a read-only token and
# verifies it offline (DESIGN §6, docs/PROTOCOL.md §10): no node is reachable while it verifies,
# the recomputed state hash and totals equal what the node shows, and every kind of tampering
# (a signature, a removed event, a changed total or hash, a cut-off file) is refused with exit 17
# naming the line.
#   usage: audit_test.sh CONSTELLATIOND CONSTELLATION
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node node "Riverside Food Bank"
e2e_use node

expect_exit 0 "audit --help" -- "$cli" audit --help
expect_in "$work/out" "verify  Check an audit bundle offline" "audit --help lists verify"
expect_exit 0 "audit export --help" -- "$cli" audit export --help
expect_in "$work/out" "--to FILE" "export --help names --to"

group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json | jq -r .group_id)
campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 1000 --currency EUR \
  --accept-currency USD -o json | jq -r .campaign_id)
pledge=$("$cli" pledge record --group "$group" --campaign "$campaign" --amount 100 --currency EUR -o json | jq -r .pledge_id)
for amount in 250.50 40; do
  "$cli" pledge record --group "$group" --campaign "$campaign" --amount $amount --currency EUR >/dev/null ||
    fail "pledge $amount"
done
# A second currency: the totals are per currency, the goal's first (PROTOCOL §10).
"$cli" pledge record --group "$group" --campaign "$campaign" --amount 30 --currency USD >/dev/null ||
  fail "pledge in USD"
expect_exit 0 "a payment" -- "$cli" pledge pay --group "$group" "$pledge" --amount 60 --ref bank-1
proposal=$("$cli" pool fund create --group "$group" --name "Kitchen pool" --currency EUR -o json | jq -r .proposal_id)
expect_exit 0 "agree to the fund" -- "$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree
e2e_wait_final "$group" "$proposal"
fund=$("$cli" pool fund create --group "$group" --proposal "$proposal" -o json | jq -r .fund_id)
cash=$("$cli" pool contribute --group "$group" --kind cash --value 75.00 --currency EUR --fund "$fund" -o json | jq -r .contribution_id)
expect_exit 0 "receipt" -- "$cli" pool receipt --group "$group" "$cash" --ref SEPA-1

hash=$("$cli" group show "$group" -o json | jq -r .state_hash)
count=$("$cli" group show "$group" -o json | jq -r .event_count)
pledged=$("$cli" campaign show --group "$group" "$campaign" -o json | jq -r .pledged_minor)
auditor=$("$cli" token create --role auditor --group "$group" --label "audit e2e" -o json | jq -r .token)

# Export with the auditor's read-only token.
bundle="$work/winter.bundle"
expect_exit 0 "export with an auditor token" -- env CONSTELLATION_TOKEN="$auditor" \
  "$cli" audit export --group "$group" --to "$bundle" -o json
expect_eq "$(jq -r .event_count "$work/out")" "$count" "every event exported"
expect_eq "$(jq -r .state_hash "$work/out")" "$hash" "the node's state hash stated"
expect_eq "$(jq -r .totals_stated "$work/out")" "true" "totals stated on a quiet group"
expect_eq "$(wc -l < "$bundle" | tr -d ' ')" "$((count + 2))" "header + events + statement lines"
expect_eq "$(head -1 "$bundle" | jq -r .format)" "constellation-audit-bundle/1" "the header's format"
[ ! -e "$bundle.partial" ] && ok || fail "the partial file was left behind"
expect_exit 5 "an existing bundle is not replaced" -- "$cli" audit export --group "$group" --to "$bundle"
expect_in "$work/err" "--force" "the error names --force"
expect_exit 0 "--force replaces it" -- "$cli" audit export --group "$group" --to "$bundle" --force
expect_exit 4 "export of an unknown group" -- "$cli" audit export --group "$(printf '0%.0s' $(seq 64))" --to "$work/x.bundle"

# Verify offline: no node answers at the endpoint, and no token is set.
offline=(env -u CONSTELLATION_TOKEN CONSTELLATION_ENDPOINT=127.0.0.1:1)
expect_exit 0 "verify offline" -- "${offline[@]}" "$cli" audit verify "$bundle" -o json
expect_eq "$(jq -r .verified "$work/out")" "true" "verified"
expect_eq "$(jq -r .state_hash "$work/out")" "$hash" "recomputed state hash = the node's"
expect_eq "$(jq -r .event_count "$work/out")" "$count" "every event verified"
expect_eq "$(jq -r .totals_stated "$work/out")" "true" "totals compared"
expect_eq "$(jq -r '.campaigns[0].totals[0].pledged_minor' "$work/out")" "$pledged" "recomputed pledged = campaign show"
expect_eq "$(jq -r '.campaigns[0].totals[0].received_minor' "$work/out")" "6000" "recomputed received"
expect_eq "$(jq -r '.funds[0].balance_minor' "$work/out")" "7500" "recomputed fund balance"
expect_eq "$(jq -r '.campaigns[0].name' "$work/out")" "Winter appeal" "campaign name from its event"
expect_eq "$(jq -c '[.campaigns[0].totals[] | [.currency, .pledged_minor]]' "$work/out")" \
  '[["EUR",39050],["USD",3000]]' "totals per currency, the goal's first"
expect_exit 0 "verify as text" -- "${offline[@]}" "$cli" audit verify "$bundle"
expect_in "$work/out" "verified" "text says verified"
expect_in "$work/out" "Winter appeal" "the Campaigns table"
expect_in "$work/out" "390.50 EUR" "pledged total as a decimal"
expect_in "$work/out" "Kitchen pool" "the Funds table"

# Tampering: each copy changes one thing and must not verify (exit 17), naming the line.
tamper() {  # tamper NAME JQ_OR_SED... : writes $work/NAME.bundle
  local name="$1"
  shift
  "$@" < "$bundle" > "$work/$name.bundle"
}
# A signature of event 3 (line 4) with another valid base64 signature (event 2's).
sig2=$(sed -n 3p "$bundle" | jq -r .signature)
tamper badsig awk -v s="$sig2" 'NR == 4 { sub(/"signature":"[^"]*"/, "\"signature\":\"" s "\"") } { print }'
expect_exit 17 "a signature swapped" -- "$cli" audit verify "$work/badsig.bundle"
expect_in "$work/err" "line 4: the event at position 3 does not verify" "names the line and position"
tamper gap sed 4d
expect_exit 17 "an event removed" -- "$cli" audit verify "$work/gap.bundle"
expect_in "$work/err" "line 4" "the removed event's line"
tamper truncated sed '$d'
expect_exit 17 "no statement" -- "$cli" audit verify "$work/truncated.bundle"
expect_in "$work/err" "truncated" "says truncated"
last=$(wc -l < "$bundle" | tr -d ' ')
tamper total sed "${last}s/\"pledged_minor\":$pledged/\"pledged_minor\":$((pledged + 100))/"
expect_exit 17 "a stated total changed" -- "$cli" audit verify "$work/total.bundle" -o json
expect_in "$work/err" "pledged_minor $((pledged + 100)) in EUR, where the events give $pledged" "names the total"
tamper hash sed "${last}s/\"state_hash\":\"$hash\"/\"state_hash\":\"$(printf 'a%.0s' $(seq 64))\"/"
expect_exit 17 "a stated hash changed" -- "$cli" audit verify "$work/hash.bundle"
expect_in "$work/err" "the events and fork proofs give $hash" "names both hashes"
printf 'hello\n' > "$work/junk.bundle"
expect_exit 17 "not a bundle" -- "$cli" audit verify "$work/junk.bundle"
expect_in "$work/err" "not a JSON object" "says why"
expect_exit 4 "no such file" -- "$cli" audit verify "$work/missing.bundle"
expect_exit 2 "verify without a file" -- "$cli" audit verify

e2e_finish audit
