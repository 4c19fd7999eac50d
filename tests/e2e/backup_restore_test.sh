#!/usr/bin/env bash
# End-to-end: backup and restore of a running node (docs/OPERATIONS.md, "Backup and restore").
#   usage: backup_restore_test.sh CONSTELLATIOND CONSTELLATION SCHEMA_TAMPER
# Three nodes (Riverside, Northside, Eastgate) share a group and a campaign. Riverside records
# pledges; `constellationd backup` copies its data directory while a writer loop keeps
# recording; Riverside writes more after the backup, which the other two receive. Riverside
# stops, its data directory is wiped and restored from the backup. Started again while its
# peers are down, it is read-only for its own records (node info, metrics, a refused write with
# the CLI's FAILED_PRECONDITION exit code 8); once both peers are back and have returned its
# later events, it writes again with the next seq: no fork on any node, and every pledge
# acknowledged before the wipe is on all three. Also: backup and restore refuse a non-empty
# target (exit 5), and a data directory or backup of another schema is refused (exit 4);
# SCHEMA_TAMPER is a test-only tool that writes another schema version into a stopped
# node's database.
set -uo pipefail
daemon="$1"
cli="$2"
tamper="$3"
source "$(dirname "$0")/lib.sh"
e2e_setup

# Polls `cmd…` until it succeeds (every 0.1 s, at most 60 s); the condition, never the time,
# is what the test waits for.
wait_for() {
  local what="$1"
  shift
  for _ in $(seq 1 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "$what"
  return 1
}

# Runs an existing node again on its port (its peers know it by that endpoint).
restart_node() {
  local name="$1"
  rm -f "$work/$name.port"
  "$daemon" run --data-dir "$work/$name" --listen "127.0.0.1:${port[$name]}" \
    --port-file "$work/$name.port" --anti-entropy-interval-ms 500 >>"$work/$name.log" 2>&1 &
  pid[$name]=$!
  for _ in $(seq 1 100); do [ -s "$work/$name.port" ] && break; sleep 0.1; done
  [ -s "$work/$name.port" ] || { cat "$work/$name.log"; echo "node $name did not restart"; exit 1; }
}

stop_node() {
  kill -TERM "${pid[$1]}"
  wait "${pid[$1]}" 2>/dev/null
  unset "pid[$1]"
}

on() { local name="$1"; shift; "$cli" --endpoint "127.0.0.1:${port[$name]}" --token "${token[$name]}" "$@"; }
is_final() { [ "$(on "$1" proposal show --group "$group" --proposal "$2" -o json | jq -r .final)" = true ]; }
has_campaign() { on "$1" campaign show --group "$group" "$campaign"; }
pledge_ids() { on "$1" pledge list --group "$group" -o json | jq -r '.[].pledge_id' | sort; }
same_pledges() { [ "$(pledge_ids "$1")" = "$(pledge_ids "$2")" ]; }
last_seq() { on "$1" member list --group "$group" -o json | jq -r --arg k "$riverside_key" '.[] | select(.key == $k) | .last_seq'; }
frozen() { on "$1" member list --group "$group" -o json | jq -r '[.[].frozen] | any'; }
restored() { on riverside node info -o json | jq -r .restored_read_only; }
not_restored() { [ "$(restored)" = false ]; }
confirmed_by() { grep "returned this org's latest events" "$work/riverside.log" | grep -q "member=$1"; }
gauge() {
  local metrics
  metrics=$(grep 'msg="node started"\|msg=node started' "$work/riverside.log" | tail -1 | grep -o 'metrics=[0-9.:]*' | cut -d= -f2)
  /usr/bin/python3 -c 'import sys, urllib.request
for line in urllib.request.urlopen(f"http://{sys.argv[1]}/metrics", timeout=30).read().decode().splitlines():
    if line.startswith("constellation_restored_read_only "): print(line.split()[1])' "$metrics"
}

e2e_start_node riverside "Riverside Food Bank"
e2e_start_node northside "Northside Shelter"
e2e_start_node eastgate "Eastgate Community Kitchen"

# The group: Riverside founds it, admits Northside, then both admit Eastgate.
group=$(on riverside group create --name "Food Partnership" --currency EUR -o json | jq -r .group_id)
on northside org card --out "$work/northside.card" >/dev/null
admit=$(on riverside proposal admit --group "$group" --card "$work/northside.card" --role partner --title "Admit Northside" -o json | jq -r .proposal_id)
on riverside proposal vote --group "$group" --proposal "$admit" --stance agree >/dev/null
wait_for "admission of Northside final" is_final riverside "$admit"
on northside group join --group "$group" --from "127.0.0.1:${port[riverside]}" >/dev/null || fail "northside join"
on eastgate org card --out "$work/eastgate.card" >/dev/null
admit=$(on riverside proposal admit --group "$group" --card "$work/eastgate.card" --role partner --title "Admit Eastgate" -o json | jq -r .proposal_id)
on riverside proposal vote --group "$group" --proposal "$admit" --stance agree >/dev/null
wait_for "the proposal reaching Northside" on northside proposal show --group "$group" --proposal "$admit"
on northside proposal vote --group "$group" --proposal "$admit" --stance agree >/dev/null
wait_for "admission of Eastgate final" is_final northside "$admit"
on eastgate group join --group "$group" --from "127.0.0.1:${port[northside]}" >/dev/null || fail "eastgate join"
campaign=$(on riverside campaign open --group "$group" --name "Winter appeal" --goal 50000.00 --currency EUR -o json | jq -r .campaign_id)
wait_for "the campaign reaching Northside" has_campaign northside
wait_for "the campaign reaching Eastgate" has_campaign eastgate
riverside_key=$(on riverside node info -o json | jq -r .org_key)
northside_key=$(on northside node info -o json | jq -r .org_key)

# Pledges before the backup, then a writer loop that keeps recording during it. Every pledge
# whose record call succeeded (acknowledged) goes into $work/acked.
for amount in 100.00 200.00 300.00; do
  on riverside pledge record --group "$group" --campaign "$campaign" --amount "$amount" --currency EUR -o json | jq -r .pledge_id >>"$work/acked"
done
(
  while [ ! -e "$work/stop-writer" ]; do
    id=$(on riverside pledge record --group "$group" --campaign "$campaign" --amount 1.00 --currency EUR -o json | jq -r .pledge_id) &&
      [ ${#id} -eq 64 ] && echo "$id" >>"$work/acked"
  done
) &
writer=$!
# acked_at_least N: the writer has N acknowledged pledges (counted anew at every poll).
acked_at_least() { [ "$(wc -l <"$work/acked")" -ge "$1" ]; }
wait_for "the writer recording" acked_at_least 5
expect_exit 0 "backup while the node writes" -- "$daemon" backup --data-dir "$work/riverside" --to "$work/backup"
expect_in "$work/out" "backup written to $work/backup" "backup summary line"
expect_in "$work/out" "groups" "backup summary counts groups"
after_backup=$(wc -l <"$work/acked")
wait_for "the writer going on after the backup" acked_at_least $((after_backup + 2))
touch "$work/stop-writer"
wait "$writer"
expect_exit 5 "backup into a non-empty directory" -- "$daemon" backup --data-dir "$work/riverside" --to "$work/backup"
expect_in "$work/err" "not empty" "non-empty backup target named"

# Written after the backup: only the peers can give these back.
for amount in 400.00 500.00; do
  on riverside pledge record --group "$group" --campaign "$campaign" --amount "$amount" --currency EUR -o json | jq -r .pledge_id >>"$work/acked"
done
wait_for "Northside receiving every pledge" same_pledges riverside northside
wait_for "Eastgate receiving every pledge" same_pledges riverside eastgate
seq_before=$(last_seq northside)
[ "$seq_before" -gt 0 ] 2>/dev/null || fail "Riverside's last seq on Northside: '$seq_before'"

# The crash: Riverside stops and its data directory is lost.
stop_node riverside
expect_exit 5 "restore into a non-empty data directory" -- "$daemon" restore --from "$work/backup" --data-dir "$work/riverside"
expect_in "$work/err" "--force" "the refusal names --force"
rm -rf "$work/riverside"

# Schema version, exact match: a data directory or backup of schema 2 (newer) or 0 (older)
# is refused with exit 4, and the message names both versions.
expect_exit 0 "restore a copy to tamper with" -- "$daemon" restore --from "$work/backup" --data-dir "$work/tampered"
"$tamper" "$work/tampered/db" 2 || fail "schema_tamper"
expect_exit 4 "run on a newer schema" -- timeout 60 "$daemon" run --data-dir "$work/tampered" --listen 127.0.0.1:0
expect_in "$work/err" "holds data-directory schema 2; this constellationd reads and writes schema 1 only" "schema mismatch message"
expect_exit 4 "verify of a newer schema" -- "$daemon" verify --data-dir "$work/tampered"
expect_exit 4 "backup of a newer schema" -- "$daemon" backup --data-dir "$work/tampered" --to "$work/tampered-backup"
expect_exit 4 "restore of a newer schema" -- "$daemon" restore --from "$work/tampered" --data-dir "$work/tampered-restore"
[ -e "$work/tampered-restore" ] && fail "a refused restore created its target"
"$tamper" "$work/tampered/db" 0 || fail "schema_tamper"
expect_exit 4 "run on an older schema" -- timeout 60 "$daemon" run --data-dir "$work/tampered" --listen 127.0.0.1:0
expect_in "$work/err" "older constellationd" "older schema named"

# Restore, with both peers down: Riverside must stay read-only for its own records.
expect_exit 0 "restore into the wiped data directory" -- "$daemon" restore --from "$work/backup" --data-dir "$work/riverside"
expect_in "$work/out" "restored into $work/riverside" "restore summary line"
stop_node northside
stop_node eastgate
# The operator's override, on a second restored copy (its peers are down, so it talks to no
# one): --accept-restored-state clears the mark at start.
expect_exit 0 "restore a copy for the override" -- "$daemon" restore --from "$work/backup" --data-dir "$work/override"
port[override]=0
token[override]=${token[riverside]}
restart_node override
port[override]=$(cat "$work/override.port")
expect_eq "$(on override node info -o json | jq -r .restored_read_only)" true "a restored copy starts read-only"
stop_node override
rm -f "$work/override.port"
"$daemon" run --data-dir "$work/override" --listen 127.0.0.1:0 --port-file "$work/override.port" \
  --accept-restored-state >>"$work/override.log" 2>&1 &
pid[override]=$!
wait_for "the override node starting" test -s "$work/override.port"
port[override]=$(cat "$work/override.port")
expect_eq "$(on override node info -o json | jq -r .restored_read_only)" false "--accept-restored-state lifts read-only"
expect_in "$work/override.log" "the operator accepted the restored state" "the override is logged"
stop_node override
restart_node riverside
expect_exit 0 "node info after restore" -- on riverside node info -o json
expect_eq "$(jq -r .restored_read_only "$work/out")" true "node info: restored read-only"
expect_in "$work/out" "Northside Shelter" "node info names Northside as awaited"
expect_in "$work/out" "Eastgate Community Kitchen" "node info names Eastgate as awaited"
expect_eq "$(gauge)" 1 "restored gauge while read-only"
expect_exit 8 "own write while restored" -- on riverside pledge record --group "$group" --campaign "$campaign" --amount 9.00 --currency EUR
expect_in "$work/err" "restored from a backup" "the refusal says why"
expect_in "$work/err" "--accept-restored-state" "the refusal says what the operator can do"
expect_in "$work/riverside.log" "restored from a backup" "the start is logged as restored"

# Northside returns: Riverside confirms it but still waits for Eastgate.
restart_node northside
wait_for "Riverside confirming Northside" confirmed_by "$northside_key"
expect_eq "$(restored)" true "still read-only while Eastgate is away"
# Eastgate returns: the flag clears by itself.
restart_node eastgate
wait_for "the restored flag clearing" not_restored
expect_eq "$(gauge)" 0 "restored gauge after the peers returned"
expect_in "$work/riverside.log" "own writes resumed" "the clearing is logged"

# Nothing acknowledged is missing, and the next write continues the chain (no fork).
pledge_ids riverside >"$work/riverside.ids"
sort "$work/acked" >"$work/acked.sorted"
expect_eq "$(comm -23 "$work/acked.sorted" "$work/riverside.ids" | wc -l)" 0 "acknowledged pledges missing after restore"
expect_eq "$(last_seq riverside)" "$seq_before" "Riverside holds its latest seq again"
expect_exit 0 "own write after the peers returned" -- on riverside pledge record --group "$group" --campaign "$campaign" --amount 600.00 --currency EUR -o json
echo "$(jq -r .pledge_id "$work/out")" >>"$work/acked"
expect_eq "$(last_seq riverside)" "$((seq_before + 1))" "the new write has the next seq"
wait_for "Northside receiving the new pledge" same_pledges riverside northside
wait_for "Eastgate receiving the new pledge" same_pledges riverside eastgate
for name in riverside northside eastgate; do
  expect_eq "$(frozen "$name")" false "no member frozen (no fork) on $name"
  expect_eq "$(last_seq "$name")" "$((seq_before + 1))" "Riverside's seq on $name"
  pledge_ids "$name" >"$work/$name.final"
done
cmp -s "$work/riverside.final" "$work/northside.final" && ok || fail "pledges differ between Riverside and Northside"
cmp -s "$work/riverside.final" "$work/eastgate.final" && ok || fail "pledges differ between Riverside and Eastgate"
sort "$work/acked" >"$work/acked.sorted"
expect_eq "$(comm -23 "$work/acked.sorted" "$work/riverside.final" | wc -l)" 0 "acknowledged pledges missing at the end"

e2e_finish backup_restore_test
