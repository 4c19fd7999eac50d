#!/usr/bin/env bash
# End-to-end (issue 12, "Done when"): a client that knows only gRPC's standard protos (Debian's
# grpc-proto: grpc/health/v1/health.proto, grpc/reflection/v1alpha/reflection.proto), compiled
# at test time for python3-grpcio, asks a real node whether it serves, and discovers its API
# through server reflection — no constellation .proto file involved.
#   usage: standard_protos_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup
e2e_start_node a "Riverside Food Bank"

standard=/usr/share/grpc-proto
# Copied flat: their package path grpc/... would shadow python3-grpcio's own `grpc` module
# (the proto packages, hence the service names on the wire, stay grpc.health.v1 and
# grpc.reflection.v1alpha).
mkdir -p "$work/std" "$work/gen"
cp "$standard/grpc/health/v1/health.proto" "$standard/grpc/reflection/v1alpha/reflection.proto" \
  "$work/std/" || { echo "the standard protos are missing (package grpc-proto)"; exit 1; }
protoc -I"$work/std" --python_out="$work/gen" --grpc_python_out="$work/gen" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  "$work/std/health.proto" "$work/std/reflection.proto" || { echo "protoc failed"; exit 1; }

expect_exit 0 "health and reflection from the standard protos" -- \
  /usr/bin/python3 - "$work/gen" "127.0.0.1:${port[a]}" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import grpc
from google.protobuf import descriptor_pb2
import health_pb2, health_pb2_grpc
import reflection_pb2, reflection_pb2_grpc

channel = grpc.insecure_channel(sys.argv[2])
health = health_pb2_grpc.HealthStub(channel)
status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10).status
if status != health_pb2.HealthCheckResponse.SERVING:
    sys.exit(f"FAIL: health of the server is {status}, want SERVING")

reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
def ask(**request):
    answers = list(reflection.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(**request)]), timeout=10))
    if len(answers) != 1 or answers[0].HasField("error_response"):
        sys.exit(f"FAIL: reflection {request}: {answers}")
    return answers[0]

services = {s.name for s in ask(list_services="").list_services_response.service}
want = {"constellation.v1.NodeService", "constellation.v1.GroupService",
        "constellation.v1.FundraisingService", "constellation.v1.FederationService",
        "grpc.health.v1.Health"}
if not want <= services:
    sys.exit(f"FAIL: reflection lists {sorted(services)}; missing {sorted(want - services)}")

files = ask(file_containing_symbol="constellation.v1.FundraisingService")
methods = set()
for raw in files.file_descriptor_response.file_descriptor_proto:
    f = descriptor_pb2.FileDescriptorProto.FromString(raw)
    for service in f.service:
        if service.name == "FundraisingService":
            methods = {m.name for m in service.method}
if not {"RecordPledge", "ListPledges", "GetCampaign"} <= methods:
    sys.exit(f"FAIL: FundraisingService methods from reflection: {sorted(methods)}")
print(f"ok: SERVING; {len(services)} services; FundraisingService has {len(methods)} methods")
PY
expect_in "$work/out" "ok: SERVING" "the client saw a serving node and its API"

e2e_finish standard_protos
