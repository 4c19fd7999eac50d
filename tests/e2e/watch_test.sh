#!/usr/bin/env bash
# End-to-end (issue 12 item 6): `constellation group watch` as a user runs it. Started in the
# background, it prints the group's backlog, then one line per write as it happens, until it is
# killed; a second watch started with the revision of the last line printed prints only what
# came after.
#   usage: watch_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup
watch_pids=()
stop_watches() { for p in "${watch_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap 'stop_watches; e2e_cleanup' EXIT

e2e_start_node a "Riverside Food Bank"
e2e_use a

# Polls until FILE has N lines (at most ~60 s on a busy machine).
wait_lines() {
  for _ in $(seq 1 600); do [ "$(wc -l <"$1")" -ge "$2" ] && return 0; sleep 0.1; done
  return 1
}

group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || { echo "group id '$group'"; exit 1; }

"$cli" group watch --group "$group" -o json >"$work/watch.jsonl" 2>"$work/watch.err" &
watch_pids+=($!)
wait_lines "$work/watch.jsonl" 1 || fail "the watch did not print the genesis: $(cat "$work/watch.err")"
expect_eq "$(jq -r .kind <"$work/watch.jsonl")" "charter" "the backlog's first event"

campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 50000 \
  --currency EUR --deadline 2027-01-31 -o json | jq -r .campaign_id)
pledge=$("$cli" pledge record --group "$group" --campaign "$campaign" --amount 1200.00 \
  --currency EUR -o json | jq -r .pledge_id)
wait_lines "$work/watch.jsonl" 3 || fail "the watch did not print the live writes"
expect_eq "$(jq -r .kind <"$work/watch.jsonl" | tr '\n' ' ')" "charter campaign pledge " \
  "one line per event, in order"
expect_eq "$(jq -r .event_id <"$work/watch.jsonl" | sed -n 3p)" "$pledge" "the pledge's line"
expect_eq "$(jq -r .seq <"$work/watch.jsonl" | tr '\n' ' ')" "1 2 3 " "seqs"
revision=$(tail -n 1 "$work/watch.jsonl" | jq -r .revision)
org=$("$cli" node info -o json | jq -r .org_key)
expect_eq "$revision" "$org:3" "the revision after the third event"
kill "${watch_pids[0]}"; wait "${watch_pids[0]}" 2>/dev/null

# Resume from the last revision printed: only what came after.
"$cli" pledge record --group "$group" --campaign "$campaign" --amount 30 --currency EUR >/dev/null
"$cli" group watch --group "$group" --from "$revision" >"$work/watch2.txt" 2>"$work/watch2.err" &
watch_pids+=($!)
wait_lines "$work/watch2.txt" 1 || fail "the resumed watch printed nothing: $(cat "$work/watch2.err")"
"$cli" pledge record --group "$group" --campaign "$campaign" --amount 40 --currency EUR >/dev/null
wait_lines "$work/watch2.txt" 2 || fail "the resumed watch did not print the live write"
# Text lines: time, author, seq, kind, event id. Seqs 4 and 5 only: nothing before the revision.
expect_eq "$(awk '{print $3, $4}' "$work/watch2.txt" | tr '\n' ' ')" "4 pledge 5 pledge " \
  "the resumed watch's lines"
kill "${watch_pids[1]}"; wait "${watch_pids[1]}" 2>/dev/null

expect_exit 3 "a malformed --from" -- "$cli" group watch --group "$group" --from nonsense
grep -q -- "--from" "$work/err" || fail "the error does not name --from: $(cat "$work/err")"

e2e_finish "watch_test"
