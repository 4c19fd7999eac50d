#!/usr/bin/env bash
# End-to-end: the `pool` commands of the real constellation binary against a real
# constellationd (pooled resources, docs/PROTOCOL.md §5.10).
#   usage: pooled_test.sh CONSTELLATIOND CONSTELLATION
# One node founds a group whose charter has an ALLOCATE_FUNDS rule; it contributes cash and
# staff time (with FX), corrects an entry by reversal, proposes a fund and records it once the
# decision passed, receipts cash, requests two drawdowns that together overdraw the fund (the
# second is refused with the reason), disburses the first, and reads the ledger, the funds, the
# drawdowns and the shares in every output format, shows one fund with its drawdowns and
# ledger, refuses drawdowns a restricted fund cannot pay; finally the host leaves the group, and
# `member leave` and `member show` list the fund balance it still holds. Bad input gives
# distinct exit codes and changes nothing.
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node harbour "Harbour Trust"
e2e_use harbour

# --help everywhere.
expect_exit 0 "pool --help" -- "$cli" pool --help
for verb in contribute correct "fund create" "fund list" "fund show" request disburse receipt drawdowns ledger shares; do
  # shellcheck disable=SC2086
  expect_exit 0 "pool $verb --help" -- "$cli" pool $verb --help
  grep -q -- "--group" "$work/out" || fail "pool $verb --help does not list --group"
done
expect_exit 2 "unknown pool verb" -- "$cli" pool frobnicate --group x

me=$("$cli" node info -o json | jq -r .org_key)
group=$("$cli" group create --name "Estuary Partnership" --currency EUR \
  --rule allocate_funds=consent --standard-rate staff_time:hour=85.00 \
  --benefit-basis contributed_value -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"

expect_exit 3 "group with two standard rates for one kind and unit" -- "$cli" group create --name X --currency EUR --standard-rate staff_time:hour=1 --standard-rate staff_time:hour=2
expect_exit 3 "standard rate without a currency" -- "$cli" group create --name X --standard-rate staff_time:hour=1

# A fund by decision: propose (CREATE_FUND, consent by default), agree, record it.
proposal=$("$cli" pool fund create --group "$group" --name "Estuary pool" --currency EUR -o json | jq -r .proposal_id)
[ ${#proposal} -eq 64 ] || fail "fund proposal id '$proposal'"
# The proposal shows what it would create, in JSON and in the table.
shown=$("$cli" proposal show --group "$group" --proposal "$proposal" -o json)
expect_eq "$(echo "$shown" | jq -r '.fund.name + " " + .fund.currency + " " + .fund.fiscal_host')" "Estuary pool EUR $me" "CREATE_FUND payload in proposal JSON"
"$cli" proposal show --group "$group" --proposal "$proposal" | grep -q "Estuary pool in EUR" || fail "CREATE_FUND payload in proposal show"
expect_exit 8 "fund before the decision is final" -- "$cli" pool fund create --group "$group" --proposal "$proposal"
expect_exit 0 "agree to the fund" -- "$cli" proposal vote --group "$group" --proposal "$proposal" --stance agree
e2e_wait_final "$group" "$proposal"
fund=$("$cli" pool fund create --group "$group" --proposal "$proposal" -o json | jq -r .fund_id)
[ ${#fund} -eq 64 ] || fail "fund id '$fund'"
expect_exit 5 "second fund of one proposal" -- "$cli" pool fund create --group "$group" --proposal "$proposal"
expect_exit 3 "fund create with both modes" -- "$cli" pool fund create --group "$group" --proposal "$proposal" --name X

# Contributions: cash into the fund, staff time, converted cash.
cash=$("$cli" pool contribute --group "$group" --kind cash --value 500.00 --currency EUR --fund "$fund" -o json | jq -r .contribution_id)
[ ${#cash} -eq 64 ] || fail "contribution id '$cash'"
hours=$("$cli" pool contribute --group "$group" --kind staff_time --quantity 12.5 --unit hour --rate 85.00 --currency EUR -o json)
expect_eq "$(echo "$hours" | jq -r .contribution.entry.value.amount_minor)" 106250 "staff time valued quantity x rate"
standard=$("$cli" pool contribute --group "$group" --kind staff_time --quantity 2 --unit hour --rate 85.00 --valuation standard_rate --currency EUR -o json)
expect_eq "$(echo "$standard" | jq -r .contribution.entry.value.amount_minor)" 17000 "staff time at the charter's standard rate"
usd=$("$cli" pool contribute --group "$group" --kind cash --currency EUR --original 1000.00 \
  --original-currency USD --fx-rate 0.92 --fx-source "ECB reference rate" --fx-date 2026-11-30 -o json)
expect_eq "$(echo "$usd" | jq -r .contribution.entry.value.amount_minor)" 92000 "converted value"
expect_eq "$(echo "$usd" | jq -r .contribution.entry.fx.source)" "ECB reference rate" "fx source kept"
wrong=$("$cli" pool contribute --group "$group" --kind cash --value 70.00 --currency EUR -o json | jq -r .contribution_id)

hash_before=$("$cli" group show "$group" -o json | jq -r .state_hash)
expect_exit 2 "contribution without kind (a required flag)" -- "$cli" pool contribute --group "$group" --value 5 --currency EUR
expect_exit 3 "converted without rate and source" -- "$cli" pool contribute --group "$group" --kind cash --currency EUR --original 10 --original-currency USD
expect_exit 3 "value not matching quantity x rate" -- "$cli" pool contribute --group "$group" --kind staff_time --quantity 2 --unit hour --rate 10.00 --value 25.00 --currency EUR
expect_exit 3 "cash in another currency than the fund" -- "$cli" pool contribute --group "$group" --kind cash --value 5 --currency USD --fund "$fund"
expect_exit 8 "standard rate the charter lacks" -- "$cli" pool contribute --group "$group" --kind staff_time --quantity 1 --unit day --rate 10.00 --valuation standard_rate --currency EUR
expect_exit 3 "a standard rate other than the charter's" -- "$cli" pool contribute --group "$group" --kind staff_time --quantity 1 --unit hour --rate 90.00 --valuation standard_rate --currency EUR
expect_exit 4 "receipt of an unknown contribution" -- "$cli" pool receipt --group "$group" "$(printf 'c%.0s' $(seq 64))"
expect_exit 3 "overflowing amount" -- "$cli" pool contribute --group "$group" --kind cash --value 99999999999999999999 --currency EUR
expect_eq "$("$cli" group show "$group" -o json | jq -r .state_hash)" "$hash_before" "state unchanged by bad input"

# Corrections are reversing entries; the corrected entry follows.
corrected=$("$cli" pool correct --group "$group" "$wrong" --value 75.00 -o json)
reversal=$(echo "$corrected" | jq -r .reversal.contribution_id)
[ ${#reversal} -eq 64 ] || fail "reversal id '$reversal'"
expect_eq "$(echo "$corrected" | jq -r .contribution.entry.value.amount_minor)" 7500 "corrected entry"
expect_exit 5 "second reversal" -- "$cli" pool correct --group "$group" "$wrong"

# The fiscal host receipts the cash: it counts toward the balance; it can no longer be reversed.
expect_exit 0 "receipt" -- "$cli" pool receipt --group "$group" "$cash" --ref SEPA-4711 --received 2026-11-30
expect_exit 5 "second receipt" -- "$cli" pool receipt --group "$group" "$cash"
expect_exit 8 "reverse receipted cash" -- "$cli" pool correct --group "$group" "$cash"
expect_eq "$("$cli" pool fund list --group "$group" -o json | jq -r '.[0].balance_minor')" 50000 "balance after receipt"

# Two drawdowns that together overdraw the fund: the first approved, the second refused.
d1=$("$cli" pool request --group "$group" --fund "$fund" --amount 300.00 --purpose "dune fencing" --budget-line "4.2 materials" -o json | jq -r .proposal_id)
d2=$("$cli" pool request --group "$group" --fund "$fund" --amount 250.00 --purpose "signage" --budget-line "4.3 signs" -o json | jq -r .proposal_id)
expect_eq "$("$cli" proposal show --group "$group" --proposal "$d2" -o json | jq -r '.allocate.budget_line')" "4.3 signs" "ALLOCATE_FUNDS budget line in proposal JSON"
"$cli" proposal show --group "$group" --proposal "$d2" | grep -q "250.00 EUR from fund $fund" || fail "ALLOCATE_FUNDS payload in proposal show"
expect_exit 8 "disburse before the decision" -- "$cli" pool disburse --group "$group" "$d1"
expect_exit 0 "agree d1" -- "$cli" proposal vote --group "$group" --proposal "$d1" --stance agree
expect_exit 0 "agree d2" -- "$cli" proposal vote --group "$group" --proposal "$d2" --stance agree
e2e_wait_final "$group" "$d1"
e2e_wait_final "$group" "$d2"
drawdowns=$("$cli" pool drawdowns --group "$group" --fund "$fund" -o json)
expect_eq "$(echo "$drawdowns" | jq -r '[.[].status] | join(",")')" "approved,refused" "queue statuses"
echo "$drawdowns" | jq -r '.[1].reason' | grep -q "available after earlier approved drawdowns" || fail "refusal reason"
expect_eq "$(echo "$drawdowns" | jq -r '.[0].budget_line')" "4.2 materials" "budget line"
expect_eq "$("$cli" pool fund list --group "$group" -o json | jq -r '.[0].available_minor')" 20000 "available after approved"
hash_before=$("$cli" group show "$group" -o json | jq -r .state_hash)
expect_exit 8 "disburse the refused drawdown" -- "$cli" pool disburse --group "$group" "$d2"
expect_eq "$("$cli" group show "$group" -o json | jq -r .state_hash)" "$hash_before" "state unchanged by the refused disbursement"
expect_exit 0 "disburse" -- "$cli" pool disburse --group "$group" "$d1" --ref WIRE-7781 --paid 2026-12-01
expect_exit 5 "second disbursement" -- "$cli" pool disburse --group "$group" "$d1"
fund_json=$("$cli" pool fund list --group "$group" -o json)
expect_eq "$(echo "$fund_json" | jq -r '.[0].received_minor')" 50000 "received"
expect_eq "$(echo "$fund_json" | jq -r '.[0].disbursed_minor')" 30000 "disbursed"
expect_eq "$(echo "$fund_json" | jq -r '.[0].balance_minor')" 20000 "balance = received - disbursed"

# The ledger, totals and shares in every format.
kinds=$("$cli" pool ledger --group "$group" -o json | jq -r '[.entries[].kind] | join(",")')
expect_eq "$kinds" "fund,contribution,contribution,contribution,contribution,contribution,reversal,contribution,receipt,disbursement" "ledger kinds"
expect_exit 0 "ledger table" -- "$cli" pool ledger --group "$group"
grep -q "disbursement" "$work/out" || fail "ledger table lacks the disbursement"
expect_exit 0 "ledger csv" -- "$cli" pool ledger --group "$group" -o csv
head -1 "$work/out" | grep -q "^event_id,kind,author" || fail "ledger csv header: $(head -1 "$work/out")"
expect_eq "$("$cli" pool ledger --group "$group" --totals -o json | jq -r '.[0].net_contributed_minor')" 272750 "net contributed"
expect_eq "$("$cli" pool ledger --group "$group" --fund "$fund" -o json | jq -r '.entries | length')" 4 "ledger of one fund"
expect_eq "$("$cli" pool ledger --group "$group" --member "$me" -o json | jq -r '.totals | length')" 1 "ledger of one member"
expect_exit 0 "fund list table" -- "$cli" pool fund list --group "$group"
expect_exit 0 "fund list csv" -- "$cli" pool fund list --group "$group" -o csv
grep -q "Estuary pool" "$work/out" || fail "fund list csv"
expect_exit 0 "drawdowns table" -- "$cli" pool drawdowns --group "$group"
grep -q "refused" "$work/out" || fail "drawdowns table lacks the refused one"
shares=$("$cli" pool shares --group "$group" -o json)
expect_eq "$(echo "$shares" | jq -r .basis)" contributed_value "share basis"
expect_eq "$(echo "$shares" | jq -r '.currencies[0].currency')" EUR "shares per currency"
expect_eq "$(echo "$shares" | jq -r '.currencies[0].shares[0].contributed_minor')" 272750 "shares on net contributed value"
expect_eq "$(echo "$shares" | jq -r '.currencies[0].shares[0].share_bps')" 10000 "one member holds every share"
expect_exit 0 "shares csv" -- "$cli" pool shares --group "$group" -o csv
expect_exit 4 "drawdowns of an unknown fund" -- "$cli" pool drawdowns --group "$group" --fund "$(printf 'd%.0s' $(seq 64))"

# One fund with its drawdowns and ledger.
expect_exit 0 "fund show" -- "$cli" pool fund show --group "$group" "Estuary pool" -o json
expect_eq "$(jq -r '[.fund_id, .balance_minor, (.drawdowns | length), (.entries | length)] | join(" ")' "$work/out")" \
  "$fund 20000 2 4" "fund show: the fund, its two drawdowns, its four ledger entries"
expect_exit 0 "fund show table" -- "$cli" pool fund show --group "$group" "$fund"
for want in Drawdowns Ledger WIRE-7781 refused "available after earlier approved drawdowns"; do
  grep -q "$want" "$work/out" || fail "fund show table lacks '$want': $(cat "$work/out")"
done
expect_exit 4 "fund show of an unknown fund" -- "$cli" pool fund show --group "$group" "$(printf 'd%.0s' $(seq 64))"

# Restricted funds (DOMAIN.md: a drawdown must match the restriction's purpose): a request for
# another purpose is refused before anything is signed; without --purpose the request states
# the restriction's; an endowment (perpetual) is never drawn down.
new_fund() {  # NAME RESTRICTION -> the fund id, created by decision
  local p
  p=$("$cli" pool fund create --group "$group" --name "$1" --currency EUR --restriction "$2" -o json | jq -r .proposal_id)
  "$cli" proposal vote --group "$group" --proposal "$p" --stance agree >/dev/null || fail "agree to $1"
  e2e_wait_final "$group" "$p"
  "$cli" pool fund create --group "$group" --proposal "$p" -o json | jq -r .fund_id
}
relief=$(new_fund "Relief fund" "purpose:Flood relief")
[ ${#relief} -eq 64 ] || fail "relief fund id '$relief'"
hash_before=$("$cli" group show "$group" -o json | jq -r .state_hash)
expect_exit 3 "a drawdown of a purpose-restricted fund for another purpose" -- \
  "$cli" pool request --group "$group" --fund "$relief" --amount 10.00 --purpose "signage"
grep -q 'restricted to "Flood relief"' "$work/err" || fail "purpose refusal: $(cat "$work/err")"
expect_eq "$("$cli" group show "$group" -o json | jq -r .state_hash)" "$hash_before" "state unchanged by the refused request"
expect_exit 0 "a drawdown stating the fund's purpose by default" -- \
  "$cli" pool request --group "$group" --fund "$relief" --amount 10.00 -o json
expect_eq "$("$cli" pool drawdowns --group "$group" --fund "$relief" -o json | jq -r '.[0].purpose + " / " + .[0].title')" \
  "Flood relief / Drawdown: Flood relief" "default purpose and title"
endowment=$(new_fund "Coastal endowment" "perpetual:Endowment of the coastal trust")
expect_exit 8 "a drawdown of a perpetually restricted fund" -- \
  "$cli" pool request --group "$group" --fund "$endowment" --amount 10.00 --purpose "Endowment of the coastal trust"
grep -q "never disbursed" "$work/err" || fail "perpetual refusal: $(cat "$work/err")"
expect_exit 4 "a drawdown of an unknown fund" -- \
  "$cli" pool request --group "$group" --fund "$(printf 'd%.0s' $(seq 64))" --amount 10.00 --currency EUR --purpose x

# What the fiscal host still holds survives leaving (PROTOCOL §5.7, "Open obligations").
expect_exit 0 "member show" -- "$cli" member show --group "$group" "Harbour Trust" -o json
expect_eq "$(jq -r '[.open_obligations[].kind] | join(",")' "$work/out")" "fund" "the host's open obligations"
expect_eq "$(jq -r '.open_obligations[0].record_id' "$work/out")" "$fund" "the fund it hosts"
expect_eq "$(jq -r '.open_obligations[0].amount_minor' "$work/out")" 20000 "the balance it holds"
expect_exit 4 "member show of an org that never was a member" -- "$cli" member show --group "$group" "$(printf 'e%.0s' $(seq 64))"
expect_exit 0 "member leave" -- "$cli" member leave --group "$group" --reason "handing over"
grep -q "Open obligations" "$work/out" && grep -q "200.00 EUR" "$work/out" ||
  fail "member leave does not list the fund it still holds: $(cat "$work/out")"
expect_exit 0 "member show after leaving" -- "$cli" member show --group "$group" "$me" -o json
expect_eq "$(jq -r '.status + " " + (.open_obligations | length | tostring)' "$work/out")" "withdrawn 1" \
  "withdrawn, and the fund it holds is still listed"

e2e_finish "pooled e2e"
