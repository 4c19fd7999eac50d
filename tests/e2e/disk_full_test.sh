#!/usr/bin/env bash
# End-to-end: a node whose data directory is on a full disk (a real tmpfs filled to the last
# byte) refuses to start with exit code 3 and a message that says "disk full" and where
# (docs/RELIABILITY.md, "Disk full"), loses nothing, and starts once space is freed.
#   usage: disk_full_test.sh CONSTELLATIOND CONSTELLATION
# Mounting a tmpfs needs root (CAP_SYS_ADMIN): without it the test exits 77, which CTest
# reports as skipped, with the reason; DiskFullTest covers the same paths in-process through a
# fault-injecting file system.
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

disk="$work/disk"
mkdir -p "$disk"
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: mounting a tmpfs needs root"
  exit 77
fi
if ! mount -t tmpfs -o size=8m tmpfs "$disk" 2>"$work/mount.err"; then
  echo "skipped: cannot mount a tmpfs here: $(cat "$work/mount.err")"
  exit 77
fi
trap 'umount -l "$disk" 2>/dev/null; e2e_cleanup' EXIT

# Runs the node on the tmpfs (logs and port file beside it, on the normal disk).
run_node() {
  rm -f "$work/node.port"
  "$daemon" run --data-dir "$disk/node" --listen 127.0.0.1:0 --port-file "$work/node.port" \
    >>"$work/node.out" 2>>"$work/node.log" &
  pid[node]=$!
  for _ in $(seq 1 100); do [ -s "$work/node.port" ] && break; sleep 0.1; done
  [ -s "$work/node.port" ] || { cat "$work/node.log"; echo "the node did not start"; exit 1; }
  export CONSTELLATION_ENDPOINT="127.0.0.1:$(cat "$work/node.port")"
}
stop_node() {
  kill -TERM "${pid[node]}"
  wait "${pid[node]}" 2>/dev/null
  unset "pid[node]"
}

"$daemon" init --data-dir "$disk/node" --name "Harbour Trust" \
  --admin-token-file "$work/node.token" >/dev/null || { echo "init failed"; exit 1; }
export CONSTELLATION_TOKEN
CONSTELLATION_TOKEN=$(cat "$work/node.token")
run_node
group=$("$cli" group create --name "Estuary Partnership" --currency EUR -o json | jq -r .group_id)
campaign=$("$cli" campaign open --group "$group" --name "Dunes" --goal 100 --currency EUR -o json |
  jq -r .campaign_id)
pledge=$("$cli" pledge record --group "$group" --campaign "$campaign" --amount 25.00 \
  --currency EUR -o json | jq -r .pledge_id)
[ ${#pledge} -eq 64 ] || fail "pledge id '$pledge'"
hash=$("$cli" group show "$group" -o json | jq -r .state_hash)
stop_node

# Fill the disk to the last block.
dd if=/dev/zero of="$disk/fill" bs=64k 2>/dev/null
[ "$(df --output=avail -B1 "$disk" | tail -1)" -lt 65536 ] || fail "the tmpfs is not full"

expect_exit 3 "start on a full disk" -- timeout 60 "$daemon" run --data-dir "$disk/node" \
  --listen 127.0.0.1:0 --port-file "$work/full.port"
grep -q "disk full" "$work/err" || fail "the start failure does not say 'disk full': $(cat "$work/err")"
grep -q "$disk/node" "$work/err" || fail "the start failure does not name the data dir: $(cat "$work/err")"
[ ! -s "$work/full.port" ] || fail "a node on a full disk wrote its port file (it served)"

# Space returns: the node starts and every acknowledged write is there.
rm -f "$disk/fill"
run_node
expect_eq "$("$cli" pledge show --group "$group" "$pledge" -o json | jq -r .amount)" "25.00" \
  "the acknowledged pledge after the full disk"
expect_eq "$("$cli" group show "$group" -o json | jq -r .state_hash)" "$hash" \
  "state hash after the full disk"
expect_exit 0 "a write once space returned" -- "$cli" pledge record --group "$group" \
  --campaign "$campaign" --amount 5.00 --currency EUR
stop_node

e2e_finish "disk full e2e"
