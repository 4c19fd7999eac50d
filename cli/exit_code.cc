// cli/exit_code.cc
#include "cli/exit_code.h"

#include <iterator>
#include <utility>

#include <absl/strings/cord.h>
#include <absl/strings/str_format.h>

namespace constellation::cli {
namespace {

// Every exit code with its meaning, in increasing order.
constexpr ExitCodeInfo kExitCodes[] = {
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
    {ExitCode::kAmbiguous,
     "a short id or name matches several records (listed): give more of the id"},
    {ExitCode::kNotVerified,
     "the audit bundle does not verify (a signature, chain, hash or total differs)"},
};

// The payload that marks an AmbiguousError.
constexpr char kAmbiguousPayload[] = "constellation.cli/ambiguous";
// The payload that marks a NotVerifiedError.
constexpr char kNotVerifiedPayload[] = "constellation.cli/not-verified";

// The exit code of each status code; one not listed (kInternal, kUnknown, kDataLoss, a number
// absl does not define) is kInternal. kUsage comes from the parser only.
constexpr std::pair<absl::StatusCode, ExitCode> kByStatusCode[] = {
    {absl::StatusCode::kOk, ExitCode::kOk},
    {absl::StatusCode::kInvalidArgument, ExitCode::kInvalidArgument},
    {absl::StatusCode::kOutOfRange, ExitCode::kInvalidArgument},
    {absl::StatusCode::kNotFound, ExitCode::kNotFound},
    {absl::StatusCode::kAlreadyExists, ExitCode::kAlreadyExists},
    {absl::StatusCode::kPermissionDenied, ExitCode::kPermissionDenied},
    {absl::StatusCode::kUnauthenticated, ExitCode::kUnauthenticated},
    {absl::StatusCode::kFailedPrecondition, ExitCode::kFailedPrecondition},
    {absl::StatusCode::kResourceExhausted, ExitCode::kResourceExhausted},
    {absl::StatusCode::kUnavailable, ExitCode::kUnavailable},
    {absl::StatusCode::kDeadlineExceeded, ExitCode::kDeadlineExceeded},
    {absl::StatusCode::kAborted, ExitCode::kAborted},
    {absl::StatusCode::kCancelled, ExitCode::kCancelled},
    {absl::StatusCode::kUnimplemented, ExitCode::kUnimplemented},
};

}  // namespace

ExitCode ExitCodeFor(absl::StatusCode code) {
  for (const auto& [status_code, exit_code] : kByStatusCode) {
    if (status_code == code) return exit_code;
  }
  return ExitCode::kInternal;
}

absl::Status AmbiguousError(std::string_view message) {
  absl::Status status = absl::InvalidArgumentError(std::string(message));
  status.SetPayload(kAmbiguousPayload, absl::Cord("1"));
  return status;
}

absl::Status NotVerifiedError(std::string_view message) {
  absl::Status status = absl::DataLossError(std::string(message));
  status.SetPayload(kNotVerifiedPayload, absl::Cord("1"));
  return status;
}

ExitCode ExitCodeOf(const absl::Status& status) {
  if (status.GetPayload(kAmbiguousPayload).has_value()) return ExitCode::kAmbiguous;
  if (status.GetPayload(kNotVerifiedPayload).has_value()) return ExitCode::kNotVerified;
  return ExitCodeFor(status.code());
}

std::string ErrorText(const absl::Status& status) {
  if (!status.message().empty()) return std::string(status.message());
  const ExitCode exit_code = ExitCodeFor(status.code());
  std::string_view meaning;
  for (const ExitCodeInfo& info : kExitCodes) {
    if (info.code == exit_code) meaning = info.meaning;
  }
  return absl::StrFormat(
      "%s (the node sent no message; exit code %d: %s). Check that the node runs the same "
      "version as this CLI ('constellation --version', 'constellation node info') and look in "
      "the node's log",
      absl::StatusCodeToString(status.code()), static_cast<int>(exit_code), meaning);
}

const std::vector<ExitCodeInfo>& AllExitCodes() {
  static const std::vector<ExitCodeInfo>* const kCodes =
      new std::vector<ExitCodeInfo>(std::begin(kExitCodes), std::end(kExitCodes));
  return *kCodes;
}

}  // namespace constellation::cli
