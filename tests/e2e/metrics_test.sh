#!/usr/bin/env bash
# End-to-end: the node's Prometheus endpoint (docs/OPERATIONS.md, Monitoring).
#   usage: metrics_test.sh CONSTELLATIOND CONSTELLATION
# A real node on 127.0.0.1:0 with metrics on 127.0.0.1:0 (the bound address is read from the
# "node started" log line); a group, a campaign and three pledges are written; /metrics is
# scraped over HTTP and parsed with the reference parser (python3-prometheus-client), and the
# counters must say what the writes did: events appended for the group == the group's event
# count, one commit per batch, every family with HELP and TYPE.
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

"$daemon" init --data-dir "$work/node" --name "Metrics Org" \
  --admin-token-file "$work/admin.token" >"$work/init.out" || { echo "FAIL: init"; exit 1; }
"$daemon" run --data-dir "$work/node" --listen 127.0.0.1:0 --port-file "$work/port" \
  --metrics-listen 127.0.0.1:0 >>"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/node.log"; echo "FAIL: node did not start"; exit 1; }
metrics=$(grep -o 'metrics=[0-9.:]*' "$work/node.log" | head -1 | cut -d= -f2)
[ -n "$metrics" ] || { cat "$work/node.log"; echo "FAIL: no metrics address logged"; exit 1; }
export CONSTELLATION_ENDPOINT="127.0.0.1:$(cat "$work/port")"
export CONSTELLATION_CONFIG="$work/cli.toml"
export CONSTELLATION_TOKEN
CONSTELLATION_TOKEN=$(cat "$work/admin.token")

group=$("$cli" group create --name "Metrics Partnership" --currency EUR -o json | jq -r .group_id)
campaign=$("$cli" campaign open --group "$group" --name "Appeal" --goal 100 --currency EUR \
  --deadline 2030-01-31 -o json | jq -r .campaign_id)
for i in 1 2 3; do
  "$cli" pledge record --group "$group" --campaign "$campaign" --amount "$i" --currency EUR \
    -o json >/dev/null || { echo "FAIL: pledge $i"; exit 1; }
done
events=$("$cli" group show "$group" -o json | jq -r .event_count)

/usr/bin/python3 - "$metrics" "$group" "$events" <<'PY'
import sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families

address, group, events = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = urllib.request.urlopen(f"http://{address}/metrics", timeout=30).read().decode()
families = {f.name: f for f in text_string_to_metric_families(text)}
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)

def samples(family, suffix=""):
    return [s for s in families[family].samples if s.name == family + suffix]

# The parser strips _total from counter family names.
appended = {s.labels["group"]: s.value for s in samples("constellation_events_appended", "_total")}
check(appended.get(group) == events,
      f"events appended for the group: {appended.get(group)}, want {events}")
check(samples("constellation_pending_events")[0].value == 0, "pending events on a lone node")
check(events >= 5, f"the group has {events} events, want at least 5 (group, campaign, 3 pledges)")
commits = samples("constellation_commit_seconds", "_count")
batches = samples("constellation_apply_batch_size", "_count")
check(commits and commits[0].value >= 5, f"commit count {commits}")
check(batches and commits and batches[0].value >= commits[0].value, "fewer batches than commits")
for name, kind in [("constellation_events_appended", "counter"),
                   ("constellation_events_received", "counter"),
                   ("constellation_apply_batch_size", "histogram"),
                   ("constellation_commit_seconds", "histogram"),
                   ("constellation_pending_events", "gauge"),
                   ("constellation_held_events", "gauge"),
                   ("constellation_pending_bytes", "gauge")]:
    check(name in families and families[name].type == kind, f"{name} is not a {kind}")
for line in text.splitlines():
    if line.startswith("# TYPE "):
        name = line.split()[2]
        check(f"# HELP {name} " in text, f"{name} has no HELP line")
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    print(text)
    sys.exit(1)
print(f"metrics_test: ok ({len(families)} families, {events} events appended)")
PY
