#!/usr/bin/env bash
# A local constellation of three organisations, each running its own constellationd with its
# own data directory and org key on loopback (DESIGN §2-4):
#   Riverside founds a partnership -> admits Northside by decision -> Riverside and Northside
#   admit Eastgate by decision -> each joins from a member's node -> the three amend their
#   charter by decision (30 days notice, drawdowns by majority) -> Riverside opens a joint
#   campaign -> every org records pledges on its own node -> all three nodes show the same
#   totals and state hash -> Eastgate's node stops, the others keep working -> it restarts and
#   catches up.
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
pledged() { quiet "$1" campaign show --group "$group" "$campaign" -o json | jq -r .pledged_minor; }
state_hash() { quiet "$1" group show "$group" -o json | jq -r .state_hash; }
converged() {
  local h; h=$(state_hash riverside)
  [ "$h" = "$(state_hash northside)" ] && [ "$h" = "$(state_hash eastgate)" ] &&
    [ "$(pledged riverside)" = "$1" ] && [ "$(pledged eastgate)" = "$1" ] && [ "$(pledged northside)" = "$1" ]
}
show_agreement() {
  printf '%-10s %-14s %s\n' node pledged state_hash
  for org in "${orgs[@]}"; do
    printf '%-10s %-14s %s\n' "$org" "$(quiet "$org" campaign show --group "$group" "$campaign" -o json | jq -r .pledged)" "$(state_hash "$org")"
  done
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
as riverside pledge record --group "$group" --campaign "$campaign" --amount 12000.00 \
  --currency EUR --donor "Harbour Trust" >/dev/null
as northside pledge record --group "$group" --campaign "$campaign" --amount 4000.00 \
  --currency EUR --donor "Northside parish" >/dev/null
as eastgate pledge record --group "$group" --campaign "$campaign" --amount 2500.00 \
  --currency EUR --condition-barrier "only if the city matches it" \
  --condition-release "released if no match by 2027-03-01" >/dev/null

step "All three nodes agree: same totals, same state hash"
wait_for "the three nodes converging" converged 1850000
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
wait_for "Eastgate catching up" converged 2300000
show_agreement
as eastgate peer list --group "$group"

step "Done: three autonomous nodes, one group state, nothing central"
