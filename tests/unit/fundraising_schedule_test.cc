// Unit tests of installment schedules (server/core/fundraising/schedule.h, PROTOCOL §5.11.3).
#include "server/core/fundraising/schedule.h"

#include <numeric>
#include <vector>

#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"

namespace constellation::core {
namespace {

uint64_t DayMs(int year, int month, int day) {
  return static_cast<uint64_t>(
      absl::ToUnixMillis(absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone())));
}

std::vector<InstallmentDue> Expand(uint32_t count, ScheduleFrequency frequency, uint64_t start_ms,
                                   int64_t amount_minor) {
  absl::StatusOr<std::vector<InstallmentDue>> out =
      ExpandSchedule({.count = count, .frequency = frequency, .start_ms = start_ms}, amount_minor);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : std::vector<InstallmentDue>{};
}

TEST(ScheduleTest, AmountsAreFloorAndTheLastTakesTheRemainder) {
  const std::vector<InstallmentDue> out =
      Expand(3, ScheduleFrequency::kMonthly, DayMs(2027, 1, 15), 10000);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].amount_minor, 3333);
  EXPECT_EQ(out[1].amount_minor, 3333);
  EXPECT_EQ(out[2].amount_minor, 3334);
}

TEST(ScheduleTest, InstallmentsSumExactlyToTheAmountForManySplits) {
  for (int64_t amount : {int64_t{1}, int64_t{7}, int64_t{99999}, limits::kMoneyAmountMinorMax}) {
    for (uint32_t count = 1; count <= 13; ++count) {
      if (amount < count) continue;
      const std::vector<InstallmentDue> out =
          Expand(count, ScheduleFrequency::kWeekly, DayMs(2027, 1, 1), amount);
      ASSERT_EQ(out.size(), count);
      int64_t sum = 0;
      for (const InstallmentDue& d : out) {
        EXPECT_GT(d.amount_minor, 0);
        sum += d.amount_minor;
      }
      EXPECT_EQ(sum, amount) << amount << " / " << count;
      for (size_t i = 1; i < out.size(); ++i) EXPECT_GT(out[i].due_ms, out[i - 1].due_ms);
    }
  }
}

TEST(ScheduleTest, MonthlyClampsTheDayToTheMonthsEnd) {
  const std::vector<InstallmentDue> out =
      Expand(4, ScheduleFrequency::kMonthly, DayMs(2028, 1, 31), 400);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].due_ms, DayMs(2028, 1, 31));
  EXPECT_EQ(out[1].due_ms, DayMs(2028, 2, 29));  // leap year
  EXPECT_EQ(out[2].due_ms, DayMs(2028, 3, 31));  // back to the start's day, not the 29th
  EXPECT_EQ(out[3].due_ms, DayMs(2028, 4, 30));
}

TEST(ScheduleTest, WeeklyQuarterlyYearlySteps) {
  EXPECT_EQ(ScheduledDueMs(DayMs(2027, 12, 28), ScheduleFrequency::kWeekly, 1),
            DayMs(2028, 1, 4));
  EXPECT_EQ(ScheduledDueMs(DayMs(2027, 11, 30), ScheduleFrequency::kQuarterly, 1),
            DayMs(2028, 2, 29));
  EXPECT_EQ(ScheduledDueMs(DayMs(2028, 2, 29), ScheduleFrequency::kYearly, 1),
            DayMs(2029, 2, 28));
  EXPECT_EQ(ScheduledDueMs(DayMs(2028, 2, 29), ScheduleFrequency::kYearly, 4),
            DayMs(2032, 2, 29));
}

TEST(ScheduleTest, KeepsTheStartsTimeOfDay) {
  const uint64_t start_ms = DayMs(2027, 3, 31) + 13 * 3600 * 1000;
  EXPECT_EQ(ScheduledDueMs(start_ms, ScheduleFrequency::kMonthly, 1),
            DayMs(2027, 4, 30) + 13 * 3600 * 1000);
}

TEST(ScheduleTest, RefusesBadSpecs) {
  const uint64_t start_ms = DayMs(2027, 1, 1);
  EXPECT_EQ(ExpandSchedule({.count = 0, .start_ms = start_ms}, 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandSchedule({.count = static_cast<uint32_t>(limits::kInstallmentCountMax + 1),
                            .start_ms = start_ms},
                           1'000'000)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandSchedule({.count = 3, .start_ms = start_ms}, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandSchedule({.count = 3, .start_ms = start_ms}, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandSchedule({.count = 3, .start_ms = start_ms}, limits::kMoneyAmountMinorMax + 1)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandSchedule({.count = 24, .frequency = ScheduleFrequency::kYearly,
                            .start_ms = DayMs(9990, 1, 1)},
                           2400)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ScheduleTest, ParsesFrequencies) {
  EXPECT_EQ(*ParseScheduleFrequency("month"), ScheduleFrequency::kMonthly);
  EXPECT_EQ(*ParseScheduleFrequency("quarterly"), ScheduleFrequency::kQuarterly);
  EXPECT_EQ(*ParseScheduleFrequency("week"), ScheduleFrequency::kWeekly);
  EXPECT_EQ(*ParseScheduleFrequency("yearly"), ScheduleFrequency::kYearly);
  EXPECT_EQ(ParseScheduleFrequency("daily").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace constellation::core
