// sdk/src/unary_call.cc: the retry loop and request ids of UnaryCall.
#include "sdk/src/unary_call.h"

#include <absl/strings/str_format.h>
#include <absl/time/clock.h>

namespace constellation::internal {
namespace {

// Same rule as client.proto for request ids.
constexpr size_t kRequestIdSizeBytesMax = 128;

}  // namespace

absl::Status RunWithRetries(ClientCore& core, std::string_view method,
                            absl::FunctionRef<grpc::Status(grpc::ClientContext*)> attempt) {
  const absl::Time deadline = absl::Now() + core.options().deadline;
  absl::Duration backoff = core.options().initial_backoff;
  grpc::Status status;
  int attempts = 0;
  while (true) {
    grpc::ClientContext context;
    core.PrepareContext(&context, deadline);
    status = attempt(&context);
    ++attempts;
    if (status.ok() || status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        attempts >= core.options().max_attempts) {
      break;
    }
    const absl::Duration wait = ClientCore::Jittered(backoff);
    if (absl::Now() + wait >= deadline) break;
    absl::SleepFor(wait);
    backoff = ClientCore::NextBackoff(backoff);
  }
  return core.Failure(method, status, attempts);
}

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Generated once per SDK call, before the retry loop, so that every attempt carries the same id.
absl::StatusOr<std::string> RequestIdFor(const WriteOptions& write) {
  if (write.request_id.empty()) return NewRequestId();
  if (write.request_id.size() > kRequestIdSizeBytesMax || !IsPrintableAscii(write.request_id)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("request_id must be 1..%d printable ASCII characters, got %d characters",
                        kRequestIdSizeBytesMax, write.request_id.size()));
  }
  return write.request_id;
}

}  // namespace constellation::internal
