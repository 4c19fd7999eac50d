#!/usr/bin/env bash
# End-to-end: the node's Prometheus endpoint (docs/OPERATIONS.md, Monitoring).
#   usage: metrics_test.sh CONSTELLATIOND CONSTELLATION
# A real node A on 127.0.0.1:0 with metrics on 127.0.0.1:0 (the bound address is read from
# `constellation node info`, and must equal the one in the "node started" log line); a group,
# a campaign and three pledges are written; /metrics is scraped over HTTP and parsed with the
# reference parser (python3-prometheus-client), and the counters must say what the writes did:
# events appended for the group == the group's event count, one commit per batch, RPC counts
# by method and code (OK for the writes, NOT_FOUND for a bad call), every family with HELP and
# TYPE. Then a second node B joins the group and writes: A's scrape must show one peer
# reachable, B's replication lag and events received, and the store's size.
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node a "Metrics Org" --metrics-listen 127.0.0.1:0
e2e_use a
metrics=$("$cli" node info -o json | jq -r .metrics_address)
logged=$(grep -o 'metrics=[0-9.:]*' "$work/a.log" | head -1 | cut -d= -f2)
expect_eq "$metrics" "$logged" "node info's metrics_address is the logged one"
[ -n "$metrics" ] || { cat "$work/a.log"; echo "FAIL: no metrics address"; exit 1; }

group=$("$cli" group create --name "Metrics Partnership" --currency EUR -o json | jq -r .group_id)
campaign=$("$cli" campaign open --group "$group" --name "Appeal" --goal 100 --currency EUR \
  --deadline 2030-01-31 -o json | jq -r .campaign_id)
for i in 1 2 3; do
  expect_exit 0 "pledge $i" -- "$cli" pledge record --group "$group" --campaign "$campaign" \
    --amount "$i" --currency EUR
done
events=$("$cli" group show "$group" -o json | jq -r .event_count)

/usr/bin/python3 - "$metrics" "$group" "$events" "${port[a]}" "${token[a]}" <<'PY' || fail "lone node"
import os, sys, urllib.request
import grpc
from prometheus_client.parser import text_string_to_metric_families

address, group, events, port, token = sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:]
# A call that fails NOT_FOUND: GetGroup (GetGroupRequest field 1, bytes) of an unknown group.
get_group = grpc.insecure_channel(f"127.0.0.1:{port}").unary_unary(
    "/constellation.v1.GroupService/GetGroup",
    request_serializer=lambda b: b, response_deserializer=lambda b: b)
try:
    get_group(b"\x0a\x20" + os.urandom(32), metadata=[("authorization", f"Bearer {token}")])
    sys.exit("FAIL: GetGroup of an unknown group succeeded")
except grpc.RpcError as e:
    if e.code() != grpc.StatusCode.NOT_FOUND: sys.exit(f"FAIL: GetGroup: {e.code()}")

# Made-up methods (any client can send any path, without a token) are counted under
# method="unknown", never as one series each.
channel = grpc.insecure_channel(f"127.0.0.1:{port}")
for i in range(20):
    try:
        channel.unary_unary(f"/constellation.v1.MadeUp/Method{i}")(b"")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.UNIMPLEMENTED: sys.exit(f"FAIL: made-up method: {e.code()}")

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
rpcs = {(s.labels["method"], s.labels["code"]): s.value
        for s in samples("constellation_rpc", "_total")}
rpc_counts = {(s.labels["method"], s.labels["code"]): s.value
              for s in samples("constellation_rpc_seconds", "_count")}
pledges = ("/constellation.v1.FundraisingService/RecordPledge", "OK")
check(rpcs.get(pledges, 0) >= 3, f"RecordPledge OK count {rpcs.get(pledges)}, want >= 3: {rpcs}")
check(rpcs.get(("/constellation.v1.GroupService/GetGroup", "NOT_FOUND"), 0) >= 1,
      f"no GetGroup NOT_FOUND count: {rpcs}")
check(rpc_counts == rpcs, "the latency histogram counts differ from the RPC counters")
check(rpcs.get(("unknown", "UNIMPLEMENTED"), 0) == 20, f"made-up methods: {rpcs}")
check(not any("MadeUp" in method for method, _ in rpcs), "a made-up method got its own series")
for name, kind in [("constellation_events_appended", "counter"),
                   ("constellation_events_received", "counter"),
                   ("constellation_apply_batch_size", "histogram"),
                   ("constellation_commit_seconds", "histogram"),
                   ("constellation_pending_events", "gauge"),
                   ("constellation_held_events", "gauge"),
                   ("constellation_pending_bytes", "gauge"),
                   ("constellation_rpc", "counter"),
                   ("constellation_rpc_seconds", "histogram"),
                   ("constellation_peers_reachable", "gauge"),
                   ("constellation_peer_up", "gauge"),
                   ("constellation_replication_lag_events", "gauge"),
                   ("constellation_replication_lag_seconds", "gauge"),
                   ("constellation_store_size_bytes", "gauge")]:
    check(name in families and families[name].type == kind, f"{name} is not a {kind}")
for line in text.splitlines():
    if line.startswith("# TYPE "):
        name = line.split()[2]
        check(f"# HELP {name} " in text, f"{name} has no HELP line")
if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    print(text)
    sys.exit(1)
print(f"metrics_test: lone node ok ({len(families)} families, {events} events appended)")
PY

# A second member: A pushes to it and syncs with it.
e2e_start_node b "Second Org"
e2e_admit_and_join a b "$group"
e2e_use b
for _ in $(seq 1 100); do "$cli" campaign show --group "$group" "$campaign" >/dev/null 2>&1 && break; sleep 0.1; done
expect_exit 0 "pledge on B" -- "$cli" pledge record --group "$group" --campaign "$campaign" \
  --amount 4 --currency EUR
e2e_use a
expect_exit 0 "pledge on A after the join" -- "$cli" pledge record --group "$group" \
  --campaign "$campaign" --amount 6 --currency EUR

/usr/bin/python3 - "$metrics" "$group" "127.0.0.1:${port[b]}" <<'PY' || fail "two nodes"
import sys, time, urllib.request
from prometheus_client.parser import text_string_to_metric_families

address, group, peer = sys.argv[1:]

def scrape():
    text = urllib.request.urlopen(f"http://{address}/metrics", timeout=30).read().decode()
    out = {}
    for f in text_string_to_metric_families(text):
        for s in f.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out, text

def value(m, name, **labels):
    return m.get((name, tuple(sorted(labels.items()))))

# Polled, not timed: the peer's series appear after A's first exchange with B, the store size
# after A's first housekeeping tick, B's event after B's push.
def ready(m):
    return (value(m, "constellation_peers_reachable") == 1 and
            value(m, "constellation_store_size_bytes", part="wal") is not None and
            value(m, "constellation_events_received_total", group=group))
for _ in range(300):
    m, text = scrape()
    if ready(m): break
    time.sleep(0.1)
failures = []
def check(cond, what):
    if not cond: failures.append(what)
check(value(m, "constellation_peers_reachable") == 1, "peers reachable is not 1")
check(value(m, "constellation_peer_up", peer=peer) == 1, f"peer_up of {peer} is not 1")
lag_events = value(m, "constellation_replication_lag_events", peer=peer)
lag_seconds = value(m, "constellation_replication_lag_seconds", peer=peer)
check(lag_events is not None and lag_events >= 0, f"lag in events of {peer}: {lag_events}")
check(lag_seconds is not None and 0 <= lag_seconds < 3600, f"lag in seconds of {peer}: {lag_seconds}")
check((value(m, "constellation_events_received_total", group=group) or 0) >= 1,
      "no event received from B")
wal = value(m, "constellation_store_size_bytes", part="wal")
sst = value(m, "constellation_store_size_bytes", part="sst")
check(wal is not None and sst is not None and sst + wal > 0, f"store size: sst {sst}, wal {wal}")
if failures:
    print("FAIL:\n  " + "\n  ".join(failures)); print(text); sys.exit(1)
print(f"metrics_test: two nodes ok (lag {lag_events} events, {lag_seconds} s; store {sst}+{wal} bytes)")
PY
e2e_finish metrics_test
