// server/core/health/health_records.cc
//
// Stateless validation of the partnership health records (docs/PROTOCOL.md §5.14):
// HealthLedger::Validate, which the fold registry (server/core/fold/registry.cc) routes this
// domain's bodies to. Every error is kInvalidArgument naming the field path and what to fix. Pure;
// thread-safe.
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/health/health_ledger.h"
#include "server/core/records.h"

namespace constellation::core {

absl::Status HealthLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kPulseCheck:
      if (e.pulse_check().alignment() < 1 || e.pulse_check().alignment() > 5) {
        return InvalidField(
            "pulse_check.alignment",
            absl::StrFormat("is %d; give 1 (not aligned at all) to 5 (fully aligned)",
                            e.pulse_check().alignment()));
      }
      return CheckLong(e.pulse_check().comment(), "pulse_check.comment");
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
