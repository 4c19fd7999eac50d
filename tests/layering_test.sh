#!/usr/bin/env bash
# layering_test: fails when an include breaks the dependency direction of STYLE.md:
#   server/core    -> server/base (+ abseil, libsodium, protos); no rpc/storage/app, no gRPC,
#                     RocksDB, threads, clocks or files
#   server/storage -> core, base
#   server/rpc     -> core, base, protos (no storage, no app)
#   sdk            -> protos only (never server/); sdk/include exposes std and abseil only
#   cli            -> sdk only; cli/audit/verify.* also -> server/core (pure) and server/base:
#                     the offline bundle verifier folds with the protocol's own core
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root"
failures=0

forbid() {  # forbid DIR REGEX WHY
  local dir="$1" regex="$2" why="$3" hits
  hits=$(grep -rnE "$regex" "$dir" --include='*.h' --include='*.cc' || true)
  if [ -n "$hits" ]; then
    echo "layering violation in $dir ($why):"
    echo "$hits" | sed 's/^/  /'
    failures=$((failures + 1))
  fi
}

forbid server/core '#include [<"](server/(rpc|storage|app|metrics)/|grpcpp|grpc/|rocksdb/|thread>|mutex>|chrono>|fstream>|filesystem>|random>|absl/synchronization|absl/time/clock)' \
  "the core is pure: no I/O, threads, clocks or randomness"
forbid server/core 'randombytes|std::rand|time\(nullptr\)|system_clock|steady_clock' \
  "the core takes time and randomness as inputs"
forbid server/metrics '#include [<"](server/(core|rpc|storage|app)/|grpcpp|rocksdb/)' "metrics depends on base only"
forbid server/storage '#include [<"](server/(rpc|app)/|grpcpp)' "storage depends on core only"
forbid server/rpc '#include [<"](server/(storage|app)/|rocksdb/)' "rpc depends on core and protos"
forbid sdk '#include [<"](server/|rocksdb/)' "the SDK depends on the protos only"
forbid sdk/include '#include [<"](grpcpp|grpc/|google/protobuf|constellation/v1/)' \
  "public SDK headers expose std and abseil types only"
cli_hits=$(grep -rnE '#include [<"](server/|grpcpp|grpc/|constellation/v1/|rocksdb/)' cli \
  --include='*.h' --include='*.cc' | grep -vE '^cli/audit/verify\.(h|cc):[0-9]+:#include "server/(core|base)/' || true)
if [ -n "$cli_hits" ]; then
  echo "layering violation in cli (the CLI depends on the SDK only; cli/audit/verify may use server/core):"
  echo "$cli_hits" | sed 's/^/  /'
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "layering_test: $failures violation(s)"
  exit 1
fi
echo "layering_test: dependency direction holds"
