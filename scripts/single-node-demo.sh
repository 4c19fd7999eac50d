#!/usr/bin/env bash
# A one-node walkthrough of a pledge's life (the README's main command is scripts/demo.sh, the
# three-node constellation): installs what is needed, builds constellationd and constellation,
# starts a node on loopback and walks a coordinator's scenario with the CLI:
#   found a group -> open a joint campaign -> record pledges -> amend one -> record a payment ->
#   list the pledge history -> restart the node and show that everything is still there.
# It stops the node and removes its data directory at the end (keep it with KEEP_DATA=1).
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
build_dir="${CONSTELLATION_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target constellationd constellation

daemon="$PWD/$build_dir/server/app/constellationd"
cli="$PWD/$build_dir/cli/constellation"
work=$(mktemp -d -t constellation-demo-XXXXXX)
node_pid=""
cleanup() {
  if [ -n "$node_pid" ]; then kill -TERM "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  if [ "${KEEP_DATA:-0}" = "1" ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s|$cli|constellation|; s|$daemon|constellationd|" >&2; "$@"; }

start_node() {
  rm -f "$work/port"
  "$daemon" run --data-dir "$work/riverside" --listen 127.0.0.1:0 --port-file "$work/port" \
    >>"$work/node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { cat "$work/node.log"; echo "the node did not start" >&2; exit 1; }
  export CONSTELLATION_ENDPOINT="127.0.0.1:$(cat "$work/port")"
  echo "constellationd is listening on $CONSTELLATION_ENDPOINT (log: $work/node.log)"
}

export CONSTELLATION_CONFIG="$work/cli.toml"

step "Initialise a node for Riverside Food Bank"
run "$daemon" init --data-dir "$work/riverside" --name "Riverside Food Bank" \
  --admin-token-file "$work/admin.token"
export CONSTELLATION_TOKEN
CONSTELLATION_TOKEN=$(cat "$work/admin.token")
start_node
run "$cli" node info

step "Found a partnership (the node's org becomes its founding lead member)"
group=$(run "$cli" group create --name "Northside Food Partnership" \
  --agenda "No household in the north side goes hungry" --currency EUR -o json | jq -r .group_id)
run "$cli" group show "$group"

step "Open a joint fundraising campaign (Riverside is the fiscal host)"
campaign=$(run "$cli" campaign open --group "$group" --name "Winter appeal 2026" \
  --goal 50000.00 --currency EUR --deadline 2027-01-31 -o json | jq -r .campaign_id)
echo "campaign $campaign"

step "Record pledges"
p1=$(run "$cli" pledge record --group "$group" --campaign "$campaign" --amount 12000.00 \
  --currency EUR --installment 2026-12-15=6000 --installment 2027-01-15=6000 \
  --donor "Harbour Trust" --note "signed letter, board meeting 2026-11-12" -o json | jq -r .pledge_id)
p2=$(run "$cli" pledge record --group "$group" --campaign "$campaign" --amount 2500.00 \
  --currency EUR --condition-barrier "only if the city matches it" \
  --condition-release "released if no match by 2027-03-01" --donor "Ada Lovelace Fund" \
  -o json | jq -r .pledge_id)
echo "pledges $p1 and $p2"

step "Amend the first pledge (a new signed version; nothing is overwritten)"
run "$cli" pledge amend --group "$group" "$p1" --amount 15000.00 \
  --installment 2026-12-15=7500 --installment 2027-01-15=7500 --reason "board approved an increase"

step "Record money received against it"
run "$cli" pledge pay --group "$group" "$p1" --amount 7500.00 --received 2026-11-30 --ref "bank-2026-1130-07"

step "Pledges and the campaign totals"
run "$cli" pledge list --group "$group"
run "$cli" campaign show --group "$group" "$campaign"

step "Pledge history: every version with who signed it"
run "$cli" pledge history --group "$group" "$p1"

step "Bad input is refused with a clear message and a distinct exit code"
set +e
run "$cli" pledge pay --group "$group" "$p1" --amount 99999.00
echo "exit code $?"
set -e

step "Restart the node: everything acknowledged is still there"
hash=$("$cli" group show "$group" -o json | jq -r .state_hash)
kill -TERM "$node_pid"; wait "$node_pid" || true; node_pid=""
echo "node stopped"
start_node
after=$("$cli" group show "$group" -o json | jq -r .state_hash)
echo "state hash before restart: $hash"
echo "state hash after restart:  $after"
[ "$hash" = "$after" ] || { echo "state changed across the restart" >&2; exit 1; }
run "$cli" pledge list --group "$group"

step "Done"
echo "The node is stopped and its data removed (run with KEEP_DATA=1 to keep $work)."
