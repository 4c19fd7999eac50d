#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and running the demo need.
# Idempotent and non-interactive: safe to run again; it only installs what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc
  libprotobuf-dev protobuf-compiler   # libgrpc++-dev does not pull these in
  librocksdb-dev libabsl-dev libsodium-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev nlohmann-json3-dev
  libdtl-dev   # the line diff of strategy versions (sdk/src/strategy, header-only)
  jq procps   # the demo and the end-to-end tests read CLI JSON output and manage processes
  clang libclang-rt-14-dev   # libFuzzer and the sanitizers for the fuzz targets (scripts/fuzz.sh)
  yamllint systemd   # tests/e2e/deploy_test.sh lints deploy/compose.yaml and verifies the unit
  python3-grpcio python3-protobuf   # examples/python: a client generated from proto/ (its e2e test)
  libcpp-httplib-dev   # the node's /metrics HTTP endpoint (server/app, issue 12)
  python3-prometheus-client   # the metrics test parses /metrics with the reference parser
  openssl   # TLS tests generate a CA and certificates (tests/testing/test_certs.h, tests/e2e)
  grpc-proto   # gRPC's standard health and reflection .proto files (tests/e2e/standard_protos_test.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
