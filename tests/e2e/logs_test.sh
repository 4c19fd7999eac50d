#!/usr/bin/env bash
# End-to-end: the node's logs (docs/OPERATIONS.md, Logs). Two real nodes in one group, A with
# --log-format json and B with the default text format. Writes, token creation, peer pushes,
# calls with bad tokens, a call with the client's x-request-id and a peer failure (B stopped
# while A writes) are made; then
#   - no secret appears anywhere in either log: the org keys (hex, and base64 of the seed and
#     of the libsodium secret key), the admin tokens, every token created, the bad tokens;
#   - A's log parses as one JSON object per line; every RPC line of either log has request_id,
#     method and code; the client's x-request-id is echoed in the response and logged;
#   - writes, the join, pushes and the peer failure are logged at info level.
#   usage: logs_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node a "Alpha Food Bank" --log-format json
e2e_start_node b "Beta Shelter" --log-format text

e2e_use a
group=$("$cli" group create --name "Logs Partnership" --currency EUR -o json | jq -r .group_id)
e2e_admit_and_join a b "$group"
e2e_use a
campaign=$("$cli" campaign open --group "$group" --name "Appeal" --goal 100 --currency EUR \
  --deadline 2030-01-31 -o json | jq -r .campaign_id)
expect_exit 0 "pledge on A" -- "$cli" pledge record --group "$group" --campaign "$campaign" \
  --amount 5 --currency EUR
created_a=$("$cli" token create --role member --label "logs test" -o json | jq -r .token)
e2e_use b
for _ in $(seq 1 100); do "$cli" campaign show --group "$group" "$campaign" >/dev/null 2>&1 && break; sleep 0.1; done
expect_exit 0 "pledge on B" -- "$cli" pledge record --group "$group" --campaign "$campaign" \
  --amount 7 --currency EUR
created_b=$("$cli" token create --role auditor --label "logs test" -o json | jq -r .token)
CONSTELLATION_TOKEN="$created_b" expect_exit 0 "a call with a created token" -- "$cli" node info

# Deliberately failing calls: unknown tokens, well-formed and not.
bad_token="cst_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
bad_text="not-a-token-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for t in "$bad_token" "$bad_text"; do
  e2e_use a
  CONSTELLATION_TOKEN="$t" expect_exit 7 "a call with a bad token on A" -- "$cli" group list
  e2e_use b
  CONSTELLATION_TOKEN="$t" expect_exit 7 "a call with a bad token on B" -- "$cli" group list
done
e2e_use a
"$cli" group show "$(printf 'ab%.0s' $(seq 1 32))" >/dev/null 2>&1  # NOT_FOUND

# The client's x-request-id is echoed and logged; an insane one is replaced by the node's own.
/usr/bin/python3 - "${port[a]}" "${token[a]}" >"$work/request_ids" <<'PY' ||
import sys, grpc
port, token = sys.argv[1], sys.argv[2]
channel = grpc.insecure_channel(f"127.0.0.1:{port}")
call = channel.unary_unary("/constellation.v1.NodeService/GetNodeInfo",
                           request_serializer=lambda b: b, response_deserializer=lambda b: b)
for sent in ["e2e-logs-test-42", "bad id level=error"]:
    _, c = call.with_call(b"", metadata=[("authorization", f"Bearer {token}"),
                                        ("x-request-id", sent)])
    got = dict(c.initial_metadata()).get("x-request-id", "")
    print(got)
PY
  fail "python GetNodeInfo with x-request-id"
expect_eq "$(sed -n 1p "$work/request_ids")" "e2e-logs-test-42" "a sane x-request-id echoed"
replaced=$(sed -n 2p "$work/request_ids")
[[ "$replaced" =~ ^[0-9a-f]{16}$ ]] && ok || fail "an insane x-request-id replaced: got '$replaced'"

# A peer failure: B is down while A writes (A's push to B fails).
kill -TERM "${pid[b]}"; wait "${pid[b]}" 2>/dev/null; unset "pid[b]"
e2e_use a
expect_exit 0 "pledge on A while B is down" -- "$cli" pledge record --group "$group" \
  --campaign "$campaign" --amount 9 --currency EUR
for _ in $(seq 1 100); do grep -q "peer call failed" "$work/a.log" && break; sleep 0.1; done
kill -TERM "${pid[a]}"; wait "${pid[a]}" 2>/dev/null; unset "pid[a]"

/usr/bin/python3 - "$work" "$replaced" "$created_a" "$created_b" "$bad_token" "$bad_text" \
  >"$work/check.out" <<'PY' || { cat "$work/check.out"; fail "log checks"; }
import base64, json, re, sys
work, replaced = sys.argv[1], sys.argv[2]
secrets = {f"token {i}": t for i, t in enumerate(sys.argv[3:])}
failures = []
def check(cond, what):
    if not cond: failures.append(what)

for node in "ab":
    secrets[f"admin token of {node}"] = open(f"{work}/{node}.token").read().strip()
    seed_hex = open(f"{work}/{node}/org.key").read().strip()
    seed = bytes.fromhex(seed_hex)
    secrets[f"org key of {node} (hex)"] = seed_hex
    secrets[f"org key of {node} (HEX)"] = seed_hex.upper()
    secrets[f"org key of {node} (base64)"] = base64.b64encode(seed).decode().rstrip("=")
    secrets[f"org key of {node} (base64url)"] = base64.urlsafe_b64encode(seed).decode().rstrip("=")
    # libsodium's 64-byte secret key is the seed then the public key: its base64 starts with
    # the seed's first 30 bytes' base64 (30 = a multiple of 3, so the encoding aligns).
    secrets[f"org key of {node} (sk base64 prefix)"] = base64.b64encode(seed[:30]).decode()
for name, secret in secrets.items():
    check(len(secret) >= 16, f"{name} is too short to grep: '{secret}'")

logs = {node: open(f"{work}/{node}.log").read() for node in "ab"}
for node, text in logs.items():
    for name, secret in secrets.items():
        check(secret not in text, f"{name} appears in the log of {node}")

rpc_lines = {"a": [], "b": []}
for n, line in enumerate(logs["a"].splitlines(), 1):
    try:
        record = json.loads(line)
    except ValueError as e:
        failures.append(f"a.log line {n} is not JSON ({e}): {line}")
        continue
    check(isinstance(record, dict) and {"ts", "level", "msg"} <= record.keys(),
          f"a.log line {n} lacks ts/level/msg: {line}")
    if record.get("msg") == "rpc": rpc_lines["a"].append(record)
logfmt = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
for line in logs["b"].splitlines():
    fields = {k: v.strip('"') for k, v in logfmt.findall(line)}
    if fields.get("msg") == "rpc": rpc_lines["b"].append(fields)

for node, lines in rpc_lines.items():
    check(len(lines) >= 8, f"{node}: {len(lines)} rpc lines, want at least 8")
    for r in lines:
        check(all(r.get(k) for k in ("request_id", "method", "code", "latency_ms")),
              f"{node}: rpc line without request_id/method/code/latency_ms: {r}")
    codes = {(r.get("method", "").rsplit("/", 1)[-1], r.get("code")) for r in lines}
    check(("ListGroups", "UNAUTHENTICATED") in codes, f"{node}: no UNAUTHENTICATED ListGroups line")
    check(("RecordPledge", "OK") in codes, f"{node}: no RecordPledge OK line (a write)")
    check(("Push", "OK") in codes or ("PushEvents", "OK") in codes,
          f"{node}: no Push OK line (a peer push received): {sorted(codes)}")
ids = {r["request_id"]: r for r in rpc_lines["a"]}
check(ids.get("e2e-logs-test-42", {}).get("method") == "/constellation.v1.NodeService/GetNodeInfo",
      "the client's request id is not on A's GetNodeInfo line")
check(replaced in ids, "the node's replacement request id is not logged")
check(not any("level=error" in r.get("request_id", "") for r in rpc_lines["a"]),
      "an insane request id was logged")
check(("JoinGroup", "OK") in {(r["method"].rsplit("/", 1)[-1], r["code"]) for r in rpc_lines["b"]},
      "b: no JoinGroup OK line")
msgs = [json.loads(l) for l in logs["a"].splitlines()]
check(any(r["msg"] == "events pushed" and r["level"] == "info" for r in msgs),
      "a: no info line for a push sent")
check(any(r["msg"].startswith("peer call failed") for r in msgs), "a: the peer failure is not logged")
if failures:
    print("\n".join(failures)); sys.exit(1)
print(f"logs ok: {len(secrets)} secrets absent, {len(rpc_lines['a'])}+{len(rpc_lines['b'])} rpc lines")
PY
[ -s "$work/check.out" ] && cat "$work/check.out"
e2e_finish logs_test
