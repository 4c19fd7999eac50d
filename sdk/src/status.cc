// sdk/src/status.cc
#include "sdk/src/status.h"

#include <string>

#include <absl/strings/cord.h>
#include <absl/strings/str_format.h>

namespace constellation::internal {

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  const int code = static_cast<int>(status.error_code());
  // Both enumerations follow google.rpc.Code; anything outside it is not a code we know.
  absl::Status out =
      (code > 0 && code <= static_cast<int>(absl::StatusCode::kUnauthenticated))
          ? absl::Status(static_cast<absl::StatusCode>(code), status.error_message())
          : absl::UnknownError(absl::StrFormat("gRPC status %d: %s", code, status.error_message()));
  if (!status.error_details().empty()) {
    out.SetPayload(kGrpcDetailsPayloadUrl, absl::Cord(status.error_details()));
  }
  return out;
}

}  // namespace constellation::internal
