// server/rpc/status_map.h
//
// The one place where absl::Status becomes a gRPC status (STYLE.md: convert once per edge).
// Codes map one to one; the message is kept as is (it already says what to fix).
#pragma once

#include <absl/status/status.h>
#include <grpcpp/support/status.h>

namespace constellation::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace constellation::rpc
