// server/core/fundraising/schedule.h
//
// Installment schedules (docs/PROTOCOL.md §5.11.3 "Installment schedules"): a schedule spec
// (count, frequency, start date) expanded into the explicit installments a pledge record
// carries. Amounts: floor(amount / count) each, the last takes the remainder, so they sum
// exactly to the amount. Dates: calendar arithmetic on UTC civil days (absl::CivilDay) from
// the start date; monthly, quarterly and yearly steps keep the start's day of the month,
// clamped to the month's end (Jan 31 monthly: Feb 28/29, Mar 31, ...). The expansion is done
// by the node that writes the record; the record holds the explicit installments, so every
// node folds the same terms.
// Pure. Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

#include "server/core/fundraising/fundraising_ledger.h"

namespace constellation::core {

enum class ScheduleFrequency { kWeekly, kMonthly, kQuarterly, kYearly };

// "weekly" | "monthly" | "quarterly" | "yearly"; "week", "month", "quarter", "year" too.
// kInvalidArgument otherwise.
absl::StatusOr<ScheduleFrequency> ParseScheduleFrequency(std::string_view text);

struct ScheduleSpec {
  uint32_t count = 0;
  ScheduleFrequency frequency = ScheduleFrequency::kMonthly;
  uint64_t start_ms = 0;  // the first installment's due time; its UTC day is the anchor
};

// The due time of installment `index` (0-based) of a schedule starting at `start_ms`: the
// start's UTC civil day advanced by `index` steps (day clamped to the month's end), at the
// start's time of day.
uint64_t ScheduledDueMs(uint64_t start_ms, ScheduleFrequency frequency, uint32_t index);

// `spec` expanded for `amount_minor`. kInvalidArgument: count 0 or above
// limits::kInstallmentCountMax, amount ≤ 0 or above limits::kMoneyAmountMinorMax, an amount
// smaller than the count (an installment would be 0), a date beyond year 9999.
absl::StatusOr<std::vector<InstallmentDue>> ExpandSchedule(const ScheduleSpec& spec,
                                                           int64_t amount_minor);

}  // namespace constellation::core
