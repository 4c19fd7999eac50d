// cli/exit_code.cc
#include "cli/exit_code.h"

namespace constellation::cli {

ExitCode ExitCodeFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return ExitCode::kOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return ExitCode::kInvalidArgument;
    case absl::StatusCode::kNotFound:
      return ExitCode::kNotFound;
    case absl::StatusCode::kAlreadyExists:
      return ExitCode::kAlreadyExists;
    case absl::StatusCode::kPermissionDenied:
      return ExitCode::kPermissionDenied;
    case absl::StatusCode::kUnauthenticated:
      return ExitCode::kUnauthenticated;
    case absl::StatusCode::kFailedPrecondition:
      return ExitCode::kFailedPrecondition;
    case absl::StatusCode::kResourceExhausted:
      return ExitCode::kResourceExhausted;
    case absl::StatusCode::kUnavailable:
      return ExitCode::kUnavailable;
    case absl::StatusCode::kDeadlineExceeded:
      return ExitCode::kDeadlineExceeded;
    case absl::StatusCode::kAborted:
      return ExitCode::kAborted;
    case absl::StatusCode::kCancelled:
      return ExitCode::kCancelled;
    case absl::StatusCode::kUnimplemented:
      return ExitCode::kUnimplemented;
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    default:
      return ExitCode::kInternal;
  }
}

const std::vector<ExitCodeInfo>& AllExitCodes() {
  static const std::vector<ExitCodeInfo> kCodes = {
      {ExitCode::kOk, "success"},
      {ExitCode::kUsage, "usage error: unknown command or flag, missing flag or argument"},
      {ExitCode::kInvalidArgument, "invalid value (amount, date, id, ...) or request"},
      {ExitCode::kNotFound, "not found (group, campaign, pledge, token, context)"},
      {ExitCode::kAlreadyExists, "already exists"},
      {ExitCode::kPermissionDenied, "permission denied: the token's role or this org may not"},
      {ExitCode::kUnauthenticated, "unauthenticated: missing, unknown or revoked token"},
      {ExitCode::kFailedPrecondition, "failed precondition: the current state forbids it"},
      {ExitCode::kResourceExhausted, "a limit was exceeded"},
      {ExitCode::kUnavailable, "node unavailable: not running, unreachable or shutting down"},
      {ExitCode::kDeadlineExceeded,
       "timed out; a write may have happened: rerun it with the same --request-id"},
      {ExitCode::kAborted, "aborted by a conflict: read again and retry"},
      {ExitCode::kInternal, "internal, unknown or data-loss error"},
      {ExitCode::kCancelled, "cancelled"},
      {ExitCode::kUnimplemented, "the node does not implement this call"},
  };
  return kCodes;
}

}  // namespace constellation::cli
