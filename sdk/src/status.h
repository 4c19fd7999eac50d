// sdk/src/status.h
//
// The one place where gRPC statuses become absl::Status in the SDK (STYLE.md: convert once per
// edge), plus small status macros for SDK sources (server/base is off limits to the SDK).
// Thread safety: pure functions.
#pragma once

#include <absl/status/status.h>
#include <grpcpp/support/status.h>

namespace constellation::internal {

// Same code (gRPC and absl codes share numbering), same message. The status details the node
// attached (a serialized google.rpc.Status) travel as the payload kGrpcDetailsPayloadUrl.
absl::Status FromGrpcStatus(const grpc::Status& status);

inline constexpr char kGrpcDetailsPayloadUrl[] = "type.googleapis.com/google.rpc.Status";

}  // namespace constellation::internal

#define CONSTELLATION_SDK_RETURN_IF_ERROR(expr) \
  do {                                          \
    ::absl::Status sdk_status_ = (expr);        \
    if (!sdk_status_.ok()) return sdk_status_;  \
  } while (false)
