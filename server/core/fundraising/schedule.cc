#include "server/core/fundraising/schedule.h"

#include <algorithm>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include "server/base/limits.h"

namespace constellation::core {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

// `day` advanced by `months`, its day of the month clamped to the target month's last day.
absl::CivilDay AddMonthsClamped(absl::CivilDay day, int64_t months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay first(month);
  const int last = (absl::CivilDay(month + 1) - 1).day();
  return first + (std::min(day.day(), last) - 1);
}

}  // namespace

absl::StatusOr<ScheduleFrequency> ParseScheduleFrequency(std::string_view text) {
  if (text == "weekly" || text == "week") return ScheduleFrequency::kWeekly;
  if (text == "monthly" || text == "month") return ScheduleFrequency::kMonthly;
  if (text == "quarterly" || text == "quarter") return ScheduleFrequency::kQuarterly;
  if (text == "yearly" || text == "year") return ScheduleFrequency::kYearly;
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown installment frequency \"%s\": use weekly, monthly, quarterly or yearly", text));
}

uint64_t ScheduledDueMs(uint64_t start_ms, ScheduleFrequency frequency, uint32_t index) {
  const int64_t start = static_cast<int64_t>(start_ms);
  const int64_t time_of_day_ms = start % kMsPerDay;
  const absl::CivilDay start_day =
      absl::CivilDay(1970, 1, 1) + start / kMsPerDay;
  absl::CivilDay day = start_day;
  switch (frequency) {
    case ScheduleFrequency::kWeekly:
      day = start_day + 7 * static_cast<int64_t>(index);
      break;
    case ScheduleFrequency::kMonthly:
      day = AddMonthsClamped(start_day, index);
      break;
    case ScheduleFrequency::kQuarterly:
      day = AddMonthsClamped(start_day, 3 * static_cast<int64_t>(index));
      break;
    case ScheduleFrequency::kYearly:
      day = AddMonthsClamped(start_day, 12 * static_cast<int64_t>(index));
      break;
  }
  return static_cast<uint64_t>((day - absl::CivilDay(1970, 1, 1)) * kMsPerDay + time_of_day_ms);
}

absl::StatusOr<std::vector<InstallmentDue>> ExpandSchedule(const ScheduleSpec& spec,
                                                           int64_t amount_minor) {
  if (spec.count == 0 || spec.count > limits::kInstallmentCountMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("an installment schedule needs a count from 1 to %d, not %d",
                        limits::kInstallmentCountMax, spec.count));
  }
  if (amount_minor <= 0 || amount_minor > limits::kMoneyAmountMinorMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("a scheduled amount must be from 1 to %d minor units, not %d",
                        limits::kMoneyAmountMinorMax, amount_minor));
  }
  if (amount_minor < static_cast<int64_t>(spec.count)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%d minor units cannot be split into %d installments: give fewer installments",
        amount_minor, spec.count));
  }
  // Year 9999's last day: beyond it dates are not representable as RFC 3339.
  constexpr int64_t kMaxDueMs = (253402300800 - 1) * int64_t{1000};
  if (spec.start_ms > static_cast<uint64_t>(kMaxDueMs)) {
    return absl::InvalidArgumentError("the schedule's start date is beyond year 9999");
  }
  const int64_t each = amount_minor / spec.count;
  std::vector<InstallmentDue> out;
  out.reserve(spec.count);
  for (uint32_t i = 0; i < spec.count; ++i) {
    const uint64_t due_ms = ScheduledDueMs(spec.start_ms, spec.frequency, i);
    if (due_ms > static_cast<uint64_t>(kMaxDueMs)) {
      return absl::InvalidArgumentError(
          "the schedule runs beyond year 9999: give fewer installments or an earlier start");
    }
    const int64_t amount =
        i + 1 == spec.count ? amount_minor - each * (spec.count - 1) : each;
    out.push_back({.due_ms = due_ms, .amount_minor = amount});
  }
  return out;
}

}  // namespace constellation::core
