// cli/exit_code.h
//
// The exit codes of the `constellation` CLI: one value per thing a script may want to react to,
// converted once from absl::StatusCode (STYLE.md: absl -> exit code in cli/). Values are
// distinct, stable, and listed in `constellation --help`.
// Thread safety: pure functions over constant data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>

namespace constellation::cli {

enum class ExitCode : int {
  kOk = 0,
  kUsage = 2,            // bad command line: unknown command or flag, missing flag
  kInvalidArgument = 3,  // a value was rejected (amount, date, id, ...)
  kNotFound = 4,         // no such group, campaign, pledge, token or context
  kAlreadyExists = 5,
  kPermissionDenied = 6,    // the token's role or this org may not do this
  kUnauthenticated = 7,     // missing, unknown or revoked token
  kFailedPrecondition = 8,  // the state forbids it (pledge cancelled, ...); do not retry as is
  kResourceExhausted = 9,   // a named limit was exceeded
  kUnavailable = 10,        // node unreachable or shutting down; retry later
  kDeadlineExceeded = 11,   // no answer in time; a write may have happened: retry with the
                            // same --request-id
  kAborted = 12,            // conflict; redo the read-modify-write
  kInternal = 13,           // internal, unknown or data-loss error: report it
  kCancelled = 14,
  kUnimplemented = 15,  // the node does not support this call (older version)
  kAmbiguous = 16,      // a short id or a name matches several records (cli/ids.h)
  kNotVerified = 17,    // an audit bundle does not verify (cli/audit/verify.h)
};

// The exit code for a status code. kOk only for absl::StatusCode::kOk.
ExitCode ExitCodeFor(absl::StatusCode code);

// A short id or name that matches several records: kInvalidArgument marked so that
// ExitCodeOf gives kAmbiguous. `message` lists the candidates.
absl::Status AmbiguousError(std::string_view message);

// An audit bundle that does not verify: kDataLoss marked so that ExitCodeOf gives kNotVerified
// (a node's own kDataLoss stays kInternal). `message` names the line and what failed.
absl::Status NotVerifiedError(std::string_view message);

// The exit code of a failed (or ok) status: ExitCodeFor its code, but kAmbiguous for an
// AmbiguousError and kNotVerified for a NotVerifiedError.
ExitCode ExitCodeOf(const absl::Status& status);

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

struct ExitCodeInfo {
  ExitCode code;
  std::string_view meaning;
};

// Every exit code with its meaning, in increasing order (for --help and tests).
const std::vector<ExitCodeInfo>& AllExitCodes();

// What the CLI prints after "error: " for a failed `status`: its message, or, when the message
// is empty (a node or proxy that said nothing), the code's name, what the code means and where
// to look, so that no error line is ever bare.
std::string ErrorText(const absl::Status& status);

}  // namespace constellation::cli
