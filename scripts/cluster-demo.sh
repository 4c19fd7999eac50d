#!/usr/bin/env bash
# A local constellation of three organisations, each running its own constellationd with its
# own data directory and org key on loopback (DESIGN §2-4):
#   Riverside founds a partnership -> admits Northside by decision -> Riverside and Northside
#   admit Eastgate by decision -> each joins from a member's node -> the three amend their
#   charter by decision (30 days notice, drawdowns by majority) -> Riverside opens a joint
#   campaign -> every org records pledges on its own node -> money without an umbrella:
#   Northside hosts a purpose-restricted fund created by decision, two members pay in and the
#   host confirms receipt, a drawdown decided by all is disbursed, the campaign's host records a
#   payment and a decided write-off -> Riverside drafts a strategy that all three adopt by
#   decision, and two members report its early indicator -> two members form an action team
#   linked to the strategy's goal -> all three nodes show the same totals, fund balance and
#   state hash -> Eastgate's node stops, the others keep working -> it restarts and catches up.
# Usage: scripts/cluster-demo.sh CONSTELLATIOND CONSTELLATION
# (scripts/demo.sh builds the binaries and runs this; the e2e tests run it too.) It stops every
# node and removes the data at the end (keep it with KEEP_DATA=1). Exit code 0 = the demo's
# checks held.
set -euo pipefail

daemon=$(realpath "$1")
cli=$(realpath "$2")
work=$(mktemp -d -t constellation-cluster-XXXXXX)
declare -A pid=() port=() token=()
orgs=(riverside northside eastgate)
declare -A display=([riverside]="Riverside Food Bank" [northside]="Northside Shelter"
  [eastgate]="Eastgate Community Kitchen")

cleanup() {
  for org in "${!pid[@]}"; do kill -TERM "${pid[$org]}" 2>/dev/null || true; done
  for org in "${!pid[@]}"; do wait "${pid[$org]}" 2>/dev/null || true; done
  if [ "${KEEP_DATA:-0}" = "1" ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "demo check failed: $*" >&2; for org in "${orgs[@]}"; do echo "--- $org log" >&2; tail -20 "$work/$org.log" >&2 || true; done; exit 1; }
# as ORG constellation ARGS...: runs the CLI against ORG's node with ORG's admin token.
as() {
  local org=$1; shift
  printf '[%s] $ constellation %s\n' "$org" "$*" >&2
  "$cli" --endpoint "127.0.0.1:${port[$org]}" --token "${token[$org]}" "$@"
}
quiet() { local org=$1; shift; "$cli" --endpoint "127.0.0.1:${port[$org]}" --token "${token[$org]}" "$@"; }
# Polls a condition for up to 30 s.
wait_for() {
  local what=$1; shift
  for _ in $(seq 1 300); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 0.1; done
  fail "$what"
}

start_node() {
  local org=$1 listen="127.0.0.1:0"
  # A restart reuses the port: it is the endpoint the other members replicate to.
  if [ -n "${port[$org]:-}" ]; then listen="127.0.0.1:${port[$org]}"; fi
  rm -f "$work/$org.port"
  "$daemon" run --data-dir "$work/$org" --listen "$listen" --port-file "$work/$org.port" \
    --anti-entropy-interval-ms 1000 >>"$work/$org.log" 2>&1 &
  pid[$org]=$!
  for _ in $(seq 1 100); do [ -s "$work/$org.port" ] && break; sleep 0.1; done
  [ -s "$work/$org.port" ] || fail "the $org node did not start"
  port[$org]=$(cat "$work/$org.port")
  echo "$org: constellationd on 127.0.0.1:${port[$org]} (log: $work/$org.log)"
}

stop_node() {
  kill -TERM "${pid[$1]}"
  wait "${pid[$1]}" || true
  unset "pid[$1]"
}

is_final() { [ "$(quiet "$1" proposal show --group "$group" --proposal "$2" -o json | jq -r .final)" = "true" ]; }
has_campaign() { quiet "$1" campaign show --group "$group" "$campaign" >/dev/null; }
has_proposal() { quiet "$1" proposal show --group "$group" --proposal "$2" >/dev/null; }
members_seen() { [ "$(quiet "$1" member list --group "$group" -o json | jq length)" = "$2" ]; }
has_contribution() {
  quiet "$1" pool ledger --group "$group" -o json |
    jq -e --arg c "$2" '[.contributions[] | select(.contribution_id == $c)] | length == 1'
}
# meals_reported ORG TOTAL: ORG's node shows TOTAL hot meals for 2026-Q4, summed over members.
meals_reported() {
  quiet "$1" measure show --group "$group" -o csv |
    awk -F, -v total="$2" '$1 == "hot-meals" && $4 == "2026-Q4" && $5 == "total" && $6 == total {found = 1}
      END {exit !found}'
}
has_fund() { quiet "$1" pool fund show --group "$group" "$fund" >/dev/null; }
pledged() { quiet "$1" campaign show --group "$group" "$campaign" -o json | jq -r .pledged_minor; }
fund_balance() { quiet "$1" pool fund show --group "$group" "$fund" -o json | jq -r .balance_minor; }
state_hash() { quiet "$1" group show "$group" -o json | jq -r .state_hash; }
# converged PLEDGED_MINOR BALANCE_MINOR: every node has these totals and one state hash.
converged() {
  local h; h=$(state_hash riverside)
  for org in "${orgs[@]}"; do
    [ "$(state_hash "$org")" = "$h" ] && [ "$(pledged "$org")" = "$1" ] &&
      [ "$(fund_balance "$org")" = "$2" ] || return 1
  done
}
show_agreement() {
  printf '%-10s %-12s %-12s %-12s %s\n' node pledged received fund state_hash
  for org in "${orgs[@]}"; do
    local c; c=$(quiet "$org" campaign show --group "$group" "$campaign" -o json)
    printf '%-10s %-12s %-12s %-12s %s\n' "$org" "$(jq -r .pledged <<<"$c")" "$(jq -r .received <<<"$c")" \
      "$(quiet "$org" pool fund show --group "$group" "$fund" -o json | jq -r .balance)" "$(state_hash "$org")"
  done
}
# decide PROPOSAL: every org agrees on its own node, once the proposal reached it; then it is
# final (each node acknowledges the close by itself).
decide() {
  for org in "${orgs[@]}"; do
    wait_for "proposal $1 reaching $org" has_proposal "$org" "$1"
    as "$org" proposal vote --group "$group" --proposal "$1" --stance agree >/dev/null
  done
  for org in "${orgs[@]}"; do wait_for "proposal $1 final on $org" is_final "$org" "$1"; done
}

step "Three organisations, three nodes (each its own data directory and Ed25519 org key)"
for org in "${orgs[@]}"; do
  "$daemon" init --data-dir "$work/$org" --name "${display[$org]}" \
    --admin-token-file "$work/$org.token" >/dev/null
  token[$org]=$(cat "$work/$org.token")
  start_node "$org"
done

step "Riverside founds the partnership (no umbrella: the group lives on the members' nodes)"
group=$(as riverside group create --name "Northside Food Partnership" \
  --agenda "No household in the north side goes hungry" --currency EUR -o json | jq -r .group_id)
echo "group $group"

step "Northside hands over its org card; Riverside proposes to admit it and agrees"
as northside org card --out "$work/northside.card"
cat "$work/northside.card"; echo
admit_n=$(as riverside proposal admit --group "$group" --card "$work/northside.card" \
  --role partner --title "Admit Northside Shelter" -o json | jq -r .proposal_id)
as riverside proposal vote --group "$group" --proposal "$admit_n" --stance agree >/dev/null
# Every member voted: the proposal closes; Riverside's automatic acknowledgement makes it final.
wait_for "admission of Northside final" is_final riverside "$admit_n"
as riverside proposal show --group "$group" --proposal "$admit_n"

step "Northside joins: its node fetches the group from Riverside's and appends its acceptance"
as northside group join --group "$group" --from "127.0.0.1:${port[riverside]}"

step "Eastgate is admitted by Riverside and Northside together"
as eastgate org card --out "$work/eastgate.card" >/dev/null
admit_e=$(as riverside proposal admit --group "$group" --card "$work/eastgate.card" \
  --role partner --title "Admit Eastgate Community Kitchen" -o json | jq -r .proposal_id)
as riverside proposal vote --group "$group" --proposal "$admit_e" --stance agree >/dev/null
wait_for "the proposal reaching Northside" quiet northside proposal show --group "$group" --proposal "$admit_e"
as northside proposal waiting --group "$group"
as northside proposal vote --group "$group" --proposal "$admit_e" --stance agree \
  --reason "they run the only kitchen east of the river" >/dev/null
wait_for "admission of Eastgate final" is_final northside "$admit_e"
as eastgate group join --group "$group" --from "127.0.0.1:${port[northside]}"
as eastgate member list --group "$group"

step "The partnership changes its rules by its rules: a charter amendment, decided by all three"
wait_for "Eastgate's acceptance reaching Riverside" members_seen riverside 3
amend=$(as riverside proposal amend-charter --group "$group" --notice-days 30 \
  --rule allocate_funds=majority --title "30 days notice; drawdowns by majority" -o json |
  jq -r .proposal_id)
for org in "${orgs[@]}"; do
  wait_for "the amendment reaching $org" has_proposal "$org" "$amend"
  as "$org" proposal vote --group "$group" --proposal "$amend" --stance agree >/dev/null
done
as riverside proposal wait --group "$group" --proposal "$amend" >/dev/null
as eastgate group show "$group"

step "Riverside opens a joint campaign; every org records pledges on its own node"
campaign=$(as riverside campaign open --group "$group" --name "Winter appeal 2026" \
  --goal 50000.00 --currency EUR --deadline 2027-01-31 -o json | jq -r .campaign_id)
wait_for "the campaign reaching Eastgate" has_campaign eastgate
wait_for "the campaign reaching Northside" has_campaign northside
harbour=$(as riverside pledge record --group "$group" --campaign "$campaign" --amount 12000.00 \
  --currency EUR --donor "Harbour Trust" -o json | jq -r .pledge_id)
parish=$(as northside pledge record --group "$group" --campaign "$campaign" --amount 4000.00 \
  --currency EUR --donor "Northside parish" -o json | jq -r .pledge_id)
as eastgate pledge record --group "$group" --campaign "$campaign" --amount 2500.00 \
  --currency EUR --condition-barrier "only if the city matches it" \
  --condition-release "released if no match by 2027-03-01" >/dev/null

step "Money without an umbrella: a fund that Northside holds for the group, created by decision"
create=$(as riverside pool fund create --group "$group" --name "Kitchen equipment" --currency EUR \
  --host "Northside Shelter" --restriction "purpose:Kitchen equipment" -o json | jq -r .proposal_id)
decide "$create"
fund=$(as northside pool fund create --group "$group" --proposal "$create" -o json | jq -r .fund_id)
wait_for "the fund reaching Riverside" has_fund riverside
wait_for "the fund reaching Eastgate" has_fund eastgate
cash_r=$(as riverside pool contribute --group "$group" --kind cash --value 2000.00 --currency EUR \
  --fund "$fund" -o json | jq -r .contribution_id)
cash_e=$(as eastgate pool contribute --group "$group" --kind cash --value 1000.00 --currency EUR \
  --fund "$fund" -o json | jq -r .contribution_id)
# The cash counts once the fiscal host confirms it arrived.
for c in "$cash_r" "$cash_e"; do
  wait_for "contribution $c reaching Northside" has_contribution northside "$c"
  as northside pool receipt --group "$group" "$c" --ref "bank statement" >/dev/null
done

step "Eastgate asks for 1500.00 for stoves; all agree; Northside pays; the restriction holds"
drawdown=$(as eastgate pool request --group "$group" --fund "$fund" --amount 1500.00 \
  --budget-line "2 gas stoves" -o json | jq -r .proposal_id)
decide "$drawdown"
as northside pool disburse --group "$group" "$drawdown" --ref "WIRE-0412" >/dev/null
if as eastgate pool request --group "$group" --fund "$fund" --amount 100.00 --purpose "rent" 2>"$work/refused"; then
  fail "a drawdown for another purpose than the fund's was accepted"
fi
sed 's/^/    /' "$work/refused"
wait_for "the disbursement reaching Eastgate" \
  bash -c "[ \"\$('$cli' --endpoint 127.0.0.1:${port[eastgate]} --token '${token[eastgate]}' pool fund show --group $group $fund -o json | jq -r .balance_minor)\" = 150000 ]"
as eastgate pool fund show --group "$group" "$fund"

step "Riverside, the campaign's fiscal host, records a payment and a write-off the group decided"
as riverside pledge pay --group "$group" "$harbour" --amount 6000.00 --ref "bank-1214" >/dev/null
wait_for "Northside's pledge reaching Riverside" quiet riverside pledge show --group "$group" "$parish"
write_off=$(as riverside pledge write-off --group "$group" "$parish" --propose --amount 500.00 \
  --reason-code uncollectible --title "Write off 500.00 of the parish pledge" -o json |
  jq -r .proposal_id)
decide "$write_off"
as riverside pledge write-off --group "$group" "$parish" --proposal "$write_off" >/dev/null
as riverside pledge show --group "$group" "$parish"

step "A shared strategy, changed only by decision: Riverside drafts the winter plan, all adopt it"
cat >"$work/plan.toml" <<'TOML'
document = "strategic_plan"
title = "Winter plan 2026-27"
content = """
Every household on the north side gets a hot meal every day of the winter.
We share one kitchen rota and report every quarter.
"""

[[indicators]]
key = "hot-meals"
name = "Hot meals served"
unit = "meals"
level = "early"
baseline = 0
target = 20000
frequency = "quarterly"

[[goals]]
key = "warm-meals"
text = "No household on the north side goes without a hot meal"
indicators = ["hot-meals"]
TOML
version=$(as riverside strategy draft --group "$group" --from "$work/plan.toml" -o json |
  jq -r .version_id)
adopt=$(as riverside proposal create --group "$group" --type adopt_strategy \
  --strategy-version "$version" --title "Adopt the winter plan" -o json | jq -r .proposal_id)
decide "$adopt"
as eastgate strategy current --group "$group"

step "Results come late, so members report early indicators as they go; everyone sees the series"
as northside measure report --group "$group" --indicator hot-meals --period 2026-Q4 \
  --value 2400 --note "two rounds a day since November" >/dev/null
as eastgate measure report --group "$group" --indicator hot-meals --period 2026-Q4 \
  --value 3100 >/dev/null
wait_for "both reports reaching Riverside" meals_reported riverside 5500
as riverside measure show --group "$group"

step "Northside forms an action team with Eastgate around the stoves; Eastgate takes the lead"
team=$(as northside team create --group "$group" --name "Stove programme" --goal warm-meals \
  --opportunity "A regional clean-cooking grant" --member "Eastgate Community Kitchen" \
  --fiscal-host "Northside Shelter" --review 2027-06-30 -o json | jq -r .team_id)
as northside team update --group "$group" "$team" --status active --lead "Eastgate Community Kitchen" >/dev/null
wait_for "the team reaching Riverside" quiet riverside team show --group "$group" "$team"
as riverside team list --group "$group"

step "All three nodes agree: same totals, same fund balance, same state hash"
wait_for "the three nodes converging" converged 1850000 150000
show_agreement

step "Eastgate's node stops; Riverside and Northside keep working"
stop_node eastgate
as riverside pledge record --group "$group" --campaign "$campaign" --amount 3000.00 --currency EUR >/dev/null
as northside pledge record --group "$group" --campaign "$campaign" --amount 1500.00 --currency EUR >/dev/null
wait_for "Riverside noticing Eastgate is down" \
  bash -c "'$cli' --endpoint 127.0.0.1:${port[riverside]} --token '${token[riverside]}' peer list --group $group -o json | jq -e 'map(select(.status == \"failing\")) | length == 1'"
as riverside peer list --group "$group"

step "Eastgate restarts and catches up (anti-entropy on start)"
start_node eastgate
wait_for "Eastgate catching up" converged 2300000 150000
show_agreement
as eastgate peer list --group "$group"

step "An external auditor exports the group from Eastgate with a read-only token and verifies it offline"
auditor_token=$(quiet eastgate token create --role auditor --group "$group" --label "external audit" -o json | jq -r .token)
printf '[auditor] $ constellation audit export --group %s --to partnership.bundle\n' "$group" >&2
"$cli" --endpoint "127.0.0.1:${port[eastgate]}" --token "$auditor_token" audit export --group "$group" \
  --to "$work/partnership.bundle"
# No node and no token: the verifier recomputes the group from the signed events alone.
printf '[auditor, offline] $ constellation audit verify partnership.bundle\n' >&2
"$cli" --endpoint 127.0.0.1:1 --token none audit verify "$work/partnership.bundle" ||
  fail "the audit bundle does not verify"
[ "$("$cli" audit verify "$work/partnership.bundle" -o json | jq -r .state_hash)" = \
  "$(quiet riverside group show "$group" -o json | jq -r .state_hash)" ] ||
  fail "the verified state hash is not Riverside's"

step "Done: three autonomous nodes, one group state, nothing central"
