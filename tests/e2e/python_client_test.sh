#!/usr/bin/env bash
# End-to-end (issue 12 item 7): examples/python/pledge_client.py, a client generated from
# proto/ at test time (Debian's protoc and grpc_python_plugin, python3-grpcio), against a real
# node: it founds a group, records and amends a pledge, records a payment, streams the history,
# watches, and reads the campaign's totals.
#   usage: python_client_test.sh CONSTELLATIOND CONSTELLATION SOURCE_DIR
set -uo pipefail
daemon="$1"
cli="$2"
source_dir="$3"
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start_node a "Riverside Food Bank"
mkdir -p "$work/gen"
protoc -I"$source_dir/proto" --python_out="$work/gen" --grpc_python_out="$work/gen" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  "$source_dir/proto/constellation/v1/event.proto" "$source_dir/proto/constellation/v1/client.proto" \
  || { echo "protoc failed"; exit 1; }
expect_exit 0 "the python client" -- /usr/bin/python3 "$source_dir/examples/python/pledge_client.py" \
  "$work/gen" "127.0.0.1:${port[a]}" "${token[a]}"
grep -q "^ok$" "$work/out" || fail "python client output: $(cat "$work/out") $(cat "$work/err")"
grep -q "^totals pledged_minor 150000 received_minor 50000 outstanding_minor 100000$" "$work/out" \
  || fail "totals: $(cat "$work/out")"

# What the Python client wrote, the C++ CLI reads the same.
e2e_use a
group=$(sed -n 's/^group //p' "$work/out")
expect_eq "$("$cli" group show "$group" -o json | jq -r .event_count)" "5" "events seen by the CLI"

e2e_finish "python_client_test"
