// tests/fuzz/bundle_fuzz.cc
//
// Fuzz target: the audit-bundle reader and offline verifier (cli/audit/; docs/PROTOCOL.md §10),
// which auditors run on files they received from elsewhere. The input is a bundle: it is split
// into lines and fed to a BundleVerifier as `audit verify` does, then finished.
// Property: no input crashes or hangs the reader or the verifier; whatever is wrong is a status
// (and a bundle that verifies has a statement that matches what the verifier recomputed).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <absl/status/statusor.h>

#include "cli/audit/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace constellation::cli;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  BundleVerifier verifier;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    if (!verifier.AddLine(rest.substr(0, end)).ok()) break;
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  absl::StatusOr<VerifyReport> report = verifier.Finish();
  if (report.ok() && report->event_count != verifier.events()) __builtin_trap();
  return 0;
}
