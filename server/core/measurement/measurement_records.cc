// server/core/measurement/measurement_records.cc
//
// Stateless validation of the shared measurement records (docs/PROTOCOL.md §5.16):
// MeasurementLedger::Validate, which the fold registry (server/core/fold/registry.cc) routes this
// domain's bodies to. Every error is kInvalidArgument naming the field path and what to fix. Pure;
// thread-safe.
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/measurement/measurement_ledger.h"
#include "server/core/measurement/periods.h"
#include "server/core/records.h"

namespace constellation::core {
namespace {

// Shared measurement (docs/PROTOCOL.md §5.16).
absl::Status ValidateIndicatorReport(const v1::IndicatorReport& r) {
  CONSTELLATION_RETURN_IF_ERROR(
      CheckId(r.strategy_version_id(), "indicator_report.strategy_version_id", true));
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(r.indicator_key(), limits::kNameSizeBytesMax,
                                                  "indicator_report.indicator_key",
                                                  "kNameSizeBytesMax"));
  if (!ParsePeriod(r.period()).has_value()) {
    return InvalidField("indicator_report.period",
                        absl::StrFormat("'%s' is not a period: give 2026-07 (a month), 2026-Q3 (a "
                                        "quarter), 2026-H2 (a half year) or 2026 (a year)",
                                        r.period()));
  }
  if (r.value() < -limits::kMoneyAmountMinorMax || r.value() > limits::kMoneyAmountMinorMax) {
    return InvalidField(
        "indicator_report.value",
        absl::StrFormat("is %d; it must be within ±%d", r.value(), limits::kMoneyAmountMinorMax));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(r.note(), "indicator_report.note"));
  return CheckId(r.revises(), "indicator_report.revises", false);
}

}  // namespace

absl::Status MeasurementLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kIndicatorReport:
      return ValidateIndicatorReport(e.indicator_report());
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
