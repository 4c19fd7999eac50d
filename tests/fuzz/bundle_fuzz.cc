// tests/fuzz/bundle_fuzz.cc
//
// Fuzz target: the audit-bundle reader and offline verifier (cli/audit/; docs/PROTOCOL.md §10),
// which auditors run on files they received from elsewhere. The input is a bundle: it is split
// into lines and fed to a BundleVerifier as `audit verify` does, then finished.
// Property: no input crashes or hangs the reader or the verifier; whatever is wrong is a status;
// and verifying is deterministic: a second verifier fed the same lines gives the same verdict
// and, for a bundle that verifies, the same state hash and totals.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <absl/status/statusor.h>

#include "cli/audit/verify.h"

namespace {

absl::StatusOr<constellation::cli::VerifyReport> VerifyLines(std::string_view rest) {
  constellation::cli::BundleVerifier verifier;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    if (!verifier.AddLine(rest.substr(0, end)).ok()) break;
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return verifier.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<constellation::cli::VerifyReport> first = VerifyLines(input);
  const absl::StatusOr<constellation::cli::VerifyReport> second = VerifyLines(input);
  if (first.ok() != second.ok() || first.status().message() != second.status().message()) {
    __builtin_trap();
  }
  if (first.ok() && (first->state_hash != second->state_hash ||
                     first->campaigns.size() != second->campaigns.size() ||
                     first->event_count != second->event_count)) {
    __builtin_trap();
  }
  return 0;
}
