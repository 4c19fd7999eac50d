// server/core/measurement/periods.h
//
// Reporting periods of shared measurement (docs/PROTOCOL.md §5.16, "Periods"): "2026-07"
// (monthly), "2026-Q3" (quarterly), "2026-H2" (semiannual), "2026" (annual), years 1970-9999,
// each the UTC calendar span it names. Pure functions (no clock reads: callers pass times).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "constellation/v1/event.pb.h"

namespace constellation::core {

struct Period {
  v1::ReportingFrequency frequency = v1::REPORTING_FREQUENCY_UNSPECIFIED;
  int64_t year = 0;
  int index = 0;  // month 1-12, quarter 1-4, half 1-2; 1 for a year
  uint64_t start_ms = 0;
  uint64_t end_ms = 0;  // exclusive: the start of the next period

  std::string Name() const;
};

// The period `text` names, or nullopt when it has none of the four forms.
std::optional<Period> ParsePeriod(std::string_view text);

// The period of `frequency` that holds `ms` (a time at or after 1970).
Period PeriodAt(v1::ReportingFrequency frequency, uint64_t ms);

// The period before `p` of the same frequency; nullopt before 1970.
std::optional<Period> PeriodBefore(const Period& p);

// An example of the form of `frequency`, for messages: "2026-Q3".
std::string_view PeriodExample(v1::ReportingFrequency frequency);

}  // namespace constellation::core
