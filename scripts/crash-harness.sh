#!/usr/bin/env bash
# Crash harness (docs/RELIABILITY.md "Crash harness"): real constellationd nodes under write load
# are killed with SIGKILL at seeded random moments and restarted, and after every restart:
#   - every write a client saw acknowledged is on the node exactly once, with the event id it
#     was acknowledged with, and a write retried across the kill named the original event;
#   - `constellationd verify` re-verifies every stored signature and chain offline and refolds
#     every group from its genesis: its state hash equals the one the running node reported.
# Phase 1: one node, KILLS kills under load from CLIENTS client threads.
# Phase 2: three nodes in one group, each under load; the third is killed REPLICATION_KILLS
#   times, alternately while it receives replication and while it catches up after being down;
#   then all three converge to one state hash and every write acknowledged on any node is on
#   every node exactly once.
# Usage: scripts/crash-harness.sh CONSTELLATIOND CONSTELLATION CRASH_DRIVER
#   env: KILLS (default 5; the long form is KILLS=50), REPLICATION_KILLS (default KILLS/5, at
#   least 2), CLIENTS (default 4), SEED (default random; printed, rerun with it).
# Waits are polls with generous bounds, never timed assertions. Exit 0 = every check held; the
# last line is the summary. The data is removed unless a check failed or KEEP_DATA=1.
set -euo pipefail

daemon=$(realpath "$1")
cli=$(realpath "$2")
driver=$(realpath "$3")
kills_wanted=${KILLS:-5}
replication_kills_wanted=${REPLICATION_KILLS:-$((kills_wanted / 5 > 2 ? kills_wanted / 5 : 2))}
clients=${CLIENTS:-4}
seed=${SEED:-$((RANDOM * 32768 + RANDOM))}
RANDOM=$seed
work=$(mktemp -d -t constellation-crash-XXXXXX)
started=$(date +%s)
declare -A pid=() port=() token=() load_pid=()
kills=0

cleanup() {
  local status=$?
  for org in "${!load_pid[@]}"; do kill -KILL "${load_pid[$org]}" 2>/dev/null || true; done
  for org in "${!pid[@]}"; do kill -TERM "${pid[$org]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$status" != 0 ] || [ "${KEEP_DATA:-0}" = 1 ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "crash harness: seed $seed (rerun with SEED=$seed), kills $kills_wanted + $replication_kills_wanted replication rounds"
fail() {
  echo "crash check failed (seed $seed): $*" >&2
  for f in "$work"/*.log; do echo "--- $f" >&2; tail -15 "$f" >&2; done
  exit 1
}
quiet() { local org=$1; shift; "$cli" --endpoint "127.0.0.1:${port[$org]}" --token "${token[$org]}" "$@"; }
# Polls a condition 1200 times, 0.1 s apart (at least 2 minutes).
wait_for() {
  local what=$1; shift
  for _ in $(seq 1 1200); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 0.1; done
  fail "$what"
}
pause_random_ms() { local ms=$(($1 + RANDOM % ($2 - $1 + 1))); sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"; }

init_node() {
  "$daemon" init --data-dir "$work/$1" --name "Crash $1" --admin-token-file "$work/$1.token" >/dev/null
  token[$1]=$(cat "$work/$1.token")
}
start_node() {
  local org=$1 listen="127.0.0.1:0"
  # A restart reuses the port: the clients and the other members know the node by it.
  if [ -n "${port[$org]:-}" ]; then listen="127.0.0.1:${port[$org]}"; fi
  rm -f "$work/$org.port"
  "$daemon" run --data-dir "$work/$org" --listen "$listen" --port-file "$work/$org.port" \
    --anti-entropy-interval-ms 1000 >>"$work/$org.log" 2>&1 &
  pid[$org]=$!
  for _ in $(seq 1 600); do [ -s "$work/$org.port" ] && break; sleep 0.1; done
  [ -s "$work/$org.port" ] || fail "the $org node did not start"
  port[$org]=$(cat "$work/$org.port")
}
kill_node() {
  kill -KILL "${pid[$1]}"
  wait "${pid[$1]}" 2>/dev/null || true
  unset "pid[$1]"
  kills=$((kills + 1))
}
stop_node() {
  kill -TERM "${pid[$1]}"
  wait "${pid[$1]}" || fail "the $1 node did not shut down cleanly"
  unset "pid[$1]"
}
# verify ORG: the offline check of ORG's stopped node; prints the group's state hash.
verify() {
  "$daemon" verify --data-dir "$work/$1" >"$work/$1.verify" 2>&1 || fail "verify $1: $(cat "$work/$1.verify")"
  awk -v g="$group" '$1 == "group" && $2 == g { print $6 }' "$work/$1.verify"
}

acks() { cat "$@" 2>/dev/null | grep -c '^ack ' || true; }
start_load() {  # start_load ORG PREFIX [DRIVER FLAGS...]
  local org=$1 prefix=$2; shift 2
  "$driver" load --endpoint "127.0.0.1:${port[$org]}" --token "${token[$org]}" --group "$group" \
    --campaign "$campaign" --journal "$work/$org.journal" --prefix "$prefix" "$@" \
    2>>"$work/$org.driver.log" &
  load_pid[$org]=$!
}
stop_load() {
  kill -TERM "${load_pid[$1]}"
  wait "${load_pid[$1]}" || fail "the load on $1 stopped with an error: $(tail -3 "$work/$1.driver.log")"
  unset "load_pid[$1]"
}
more_acks() { [ "$(acks "$work/$1.journal")" -gt "$2" ]; }
wait_progress() {  # wait_progress ORG...: until each ORG's journal has grown
  local org n
  for org in "$@"; do
    n=$(acks "$work/$org.journal")
    wait_for "writes acknowledged by $org" more_acks "$org" "$n"
  done
}
# check ORG JOURNAL...: every journaled write on ORG's node exactly once; prints the state hash.
check() {
  local org=$1; shift
  "$driver" check --endpoint "127.0.0.1:${port[$org]}" --token "${token[$org]}" --group "$group" \
    $(printf -- '--journal %s ' "$@") >"$work/check.out" 2>&1 || fail "check on $org: $(cat "$work/check.out")"
  awk '$1 == "state_hash" { print $2 }' "$work/check.out"
}
# verify_against ORG HASH: stops ORG gracefully; its offline refold must give HASH.
verify_against() {
  local offline
  stop_node "$1"
  offline=$(verify "$1")
  [ "$offline" = "$2" ] || fail "$1: the node reported state hash $2, the offline refold $offline"
  start_node "$1"
}

# --- Phase 1: one node -------------------------------------------------------------------------
init_node solo
start_node solo
group=$(quiet solo group create --name "Crash partnership" --currency EUR -o json | jq -r .group_id)
campaign=$(quiet solo campaign open --group "$group" --name "Crash appeal" --goal 1000000 \
  --currency EUR --deadline 2030-01-31 -o json | jq -r .campaign_id)
for round in $(seq 1 "$kills_wanted"); do
  start_load solo "k$round" --clients "$clients"
  wait_progress solo
  pause_random_ms 0 1500
  kill_node solo
  verify solo >/dev/null  # the store as the kill left it
  start_node solo
  wait_progress solo  # the load resumes: writes caught by the kill are retried
  stop_load solo
  hash=$(check solo "$work/solo.journal")
  verify_against solo "$hash"
  echo "kill $kills ($(($(date +%s) - started)) s): $(head -1 "$work/check.out")"
done
solo_writes=$(acks "$work/solo.journal")
stop_node solo

# --- Phase 2: three nodes, the third killed while receiving and while catching up -------------
orgs=(a b c)
for org in "${orgs[@]}"; do init_node "$org"; start_node "$org"; done
is_final() { [ "$(quiet "$1" proposal show --group "$group" --proposal "$2" -o json | jq -r .final)" = true ]; }
has_proposal() { quiet "$1" proposal show --group "$group" --proposal "$2"; }
group=$(quiet a group create --name "Crash cluster" --currency EUR -o json | jq -r .group_id)
quiet b org card --out "$work/b.card" >/dev/null
proposal=$(quiet a proposal admit --group "$group" --card "$work/b.card" --role partner \
  --title "Admit b" -o json | jq -r .proposal_id)
quiet a proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null
wait_for "admission of b final" is_final a "$proposal"
quiet b group join --group "$group" --from "127.0.0.1:${port[a]}" >/dev/null
quiet c org card --out "$work/c.card" >/dev/null
proposal=$(quiet a proposal admit --group "$group" --card "$work/c.card" --role partner \
  --title "Admit c" -o json | jq -r .proposal_id)
quiet a proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null
wait_for "the proposal reaching b" has_proposal b "$proposal"
quiet b proposal vote --group "$group" --proposal "$proposal" --stance agree >/dev/null
wait_for "admission of c final" is_final b "$proposal"
quiet c group join --group "$group" --from "127.0.0.1:${port[b]}" >/dev/null
campaign=$(quiet a campaign open --group "$group" --name "Crash appeal" --goal 1000000 \
  --currency EUR --deadline 2030-01-31 -o json | jq -r .campaign_id)
has_campaign() { quiet "$1" campaign show --group "$group" "$campaign"; }
wait_for "the campaign reaching b" has_campaign b
wait_for "the campaign reaching c" has_campaign c

state_hash() { quiet "$1" group show "$group" -o json | jq -r .state_hash; }
converged() { local h; h=$(state_hash a); [ "$h" = "$(state_hash b)" ] && [ "$h" = "$(state_hash c)" ]; }
journals=("$work/a.journal" "$work/b.journal" "$work/c.journal")
for round in $(seq 1 "$replication_kills_wanted"); do
  # A lighter load: what is checked here is what survives the kills, not catch-up throughput.
  for org in "${orgs[@]}"; do start_load "$org" "r$round$org" --clients 1 --pause-ms 20; done
  wait_progress a b c
  pause_random_ms 0 1500
  kill_node c
  if [ $((round % 2)) = 1 ]; then
    mode="receiving replication"
    pause_random_ms 0 1000
    start_node c
  else
    mode="catching up"
    pause_random_ms 1000 4000  # a and b keep writing: c falls behind
    start_node c
    pause_random_ms 0 500  # c pulls what it missed from a and b
    kill_node c
    start_node c
  fi
  wait_progress c
  for org in "${orgs[@]}"; do stop_load "$org"; done
  wait_for "the three nodes converging" converged
  hash=$(check a "${journals[@]}")
  for org in b c; do
    other=$(check "$org" "${journals[@]}")
    [ "$other" = "$hash" ] || fail "$org reports state hash $other, a $hash"
  done
  verify_against c "$hash"
  echo "replication round $round (c killed while $mode; $kills kills so far): $(head -1 "$work/check.out")"
done
cluster_writes=$(acks "${journals[@]}")

echo "crash: seed $seed, $(($(date +%s) - started)) s; one node: $kills_wanted kills, $solo_writes writes;" \
  "three nodes: $replication_kills_wanted rounds, $cluster_writes writes, each checked on every node"
echo "crash: $kills kills, $((solo_writes + cluster_writes)) acknowledged writes checked, 0 lost, 0 duplicated"
