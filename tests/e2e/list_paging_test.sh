#!/usr/bin/env bash
# End-to-end (issue 11): `constellation pledge list` over more pledges than one message can
# carry. 600 pledges with notes of nearly limits::kTextSizeBytesMax (16 KiB) make ~10 MB of
# views: before paged list RPCs, `pledge list -o json` failed with "Received message larger
# than max". The real binaries: the list is read page by page and printed as one JSON array
# (and one CSV header).
#   usage: list_paging_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
work=$(mktemp -d)
node_pid=""
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() {  # expect_eq GOT WANT DESCRIPTION
  if [ "$1" != "$2" ]; then fail "$3: got '$1', want '$2'"; fi
}

"$daemon" init --data-dir "$work/node" --name "Riverside Food Bank" \
  --admin-token-file "$work/admin.token" >"$work/init.out" || { echo "init failed"; exit 1; }
"$daemon" run --data-dir "$work/node" --listen 127.0.0.1:0 --port-file "$work/port" \
  >>"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/node.log"; echo "node did not start"; exit 1; }
export CONSTELLATION_ENDPOINT="127.0.0.1:$(cat "$work/port")"
export CONSTELLATION_CONFIG="$work/cli.toml"
export CONSTELLATION_TOKEN
CONSTELLATION_TOKEN=$(cat "$work/admin.token")

group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || { echo "group id '$group'"; exit 1; }
campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 50000 \
  --currency EUR --deadline 2027-01-31 -o json | jq -r .campaign_id)
[ ${#campaign} -eq 64 ] || { echo "campaign id '$campaign'"; exit 1; }

pledges=600
writers=4
note=$(head -c 16368 /dev/zero | tr '\0' 'n')
for w in $(seq 0 $((writers - 1))); do
  (
    for i in $(seq "$w" "$writers" $((pledges - 1))); do
      "$cli" pledge record --group "$group" --campaign "$campaign" --amount "$((10 + i)).00" \
        --currency EUR --note "$note" -o json >/dev/null 2>>"$work/record.err" ||
        echo "pledge $i not recorded" >>"$work/record.err"
    done
  ) &
done
wait_writers() { for job in $(jobs -p); do [ "$job" = "$node_pid" ] || wait "$job"; done; }
wait_writers
[ -s "$work/record.err" ] && fail "recording pledges: $(head -5 "$work/record.err")"

# The whole list, as one JSON array, whatever its size.
if "$cli" pledge list --group "$group" -o json >"$work/list.json" 2>"$work/list.err"; then
  expect_eq "$(jq length "$work/list.json")" "$pledges" "pledges in pledge list -o json"
  expect_eq "$(jq '[.[].pledge_id] | unique | length' "$work/list.json")" "$pledges" \
    "distinct pledges in pledge list -o json"
  python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == int(sys.argv[2])' \
    "$work/list.json" "$pledges" || fail "python3 json.load of pledge list -o json"
else
  fail "pledge list -o json: $(cat "$work/list.err")"
fi
# One campaign's pledges: the same.
"$cli" pledge list --group "$group" --campaign "$campaign" -o json >"$work/campaign.json" ||
  fail "pledge list --campaign -o json"
expect_eq "$(jq length "$work/campaign.json")" "$pledges" "pledges of the campaign"
# CSV: one header, one row per pledge.
"$cli" pledge list --group "$group" -o csv >"$work/list.csv" || fail "pledge list -o csv"
expect_eq "$(grep -c '^pledge_id,' "$work/list.csv")" 1 "CSV headers"
expect_eq "$(($(wc -l <"$work/list.csv") - 1))" "$pledges" "CSV rows"
# The table: a header and one line per pledge.
"$cli" pledge list --group "$group" >"$work/list.txt" || fail "pledge list (table)"
expect_eq "$(($(wc -l <"$work/list.txt") - 1))" "$pledges" "table rows"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "list paging e2e: ok ($pledges pledges)"
