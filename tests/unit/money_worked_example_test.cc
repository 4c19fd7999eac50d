// The worked example of docs/MONEY.md, number for number: if this test changes, the guide
// changes with it (issue 8: "a worked example whose numbers a test checks").
#include <cstdint>
#include <vector>

#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gtest/gtest.h>

#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/fundraising/schedule.h"
#include "server/core/pooled/pooled_ledger.h"
#include "server/core/records.h"

namespace constellation::core {
namespace {

uint64_t DayMs(int year, int month, int day) {
  return static_cast<uint64_t>(
      absl::ToUnixMillis(absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone())));
}

// Step 1: 40 hours of staff time at the charter's standard rate of 85.00 EUR per hour.
TEST(MoneyWorkedExampleTest, StaffTimeAtTheStandardRate) {
  EXPECT_EQ(ValuationMinor(/*quantity_milli=*/40'000, /*rate_minor=*/8'500), 340'000);
}

// Step 2: a cash gift of 1,000.00 USD converted at 0.920000 EUR per USD (rate source and date
// recorded with it).
TEST(MoneyWorkedExampleTest, ConvertedCashKeepsItsRate) {
  v1::FxRate fx;
  fx.set_from_currency("USD");
  fx.set_to_currency("EUR");
  fx.set_rate_micros(920'000);
  fx.set_source("ECB reference rate");
  fx.set_as_of_ms(DayMs(2027, 1, 4));
  EXPECT_EQ(ConvertedMinor(100'000, fx), 92'000);
}

// Steps 3-5: a pledge of 1,000.00 EUR in three monthly installments from 31 January 2027; the
// fiscal host records 400.00 EUR received and, by a final WRITE_OFF decision, writes off
// 300.00 EUR.
TEST(MoneyWorkedExampleTest, InstallmentsPaymentsAndAWriteOffReconcile) {
  absl::StatusOr<std::vector<InstallmentDue>> schedule = ExpandSchedule(
      {.count = 3, .frequency = ScheduleFrequency::kMonthly, .start_ms = DayMs(2027, 1, 31)},
      100'000);
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  ASSERT_EQ(schedule->size(), 3u);
  EXPECT_EQ((*schedule)[0], (InstallmentDue{DayMs(2027, 1, 31), 33'333}));
  EXPECT_EQ((*schedule)[1], (InstallmentDue{DayMs(2027, 2, 28), 33'333}));
  EXPECT_EQ((*schedule)[2], (InstallmentDue{DayMs(2027, 3, 31), 33'334}));

  PledgeState pledge;
  pledge.terms.amount = Money{.amount_minor = 100'000, .currency = CurrencyCode("EUR")};
  pledge.terms.installments = *schedule;
  pledge.received_minor = 40'000;
  pledge.written_off_minor = 30'000;
  const std::vector<InstallmentPosition> lines = DeriveInstallments(pledge, 0);
  ASSERT_EQ(lines.size(), 3u);
  // Payments fill the oldest installments first, write-offs the latest first.
  EXPECT_EQ(lines[0].paid_minor, 33'333);
  EXPECT_EQ(lines[0].outstanding_minor, 0);
  EXPECT_EQ(lines[1].paid_minor, 6'667);
  EXPECT_EQ(lines[1].outstanding_minor, 26'666);
  EXPECT_EQ(lines[2].written_off_minor, 30'000);
  EXPECT_EQ(lines[2].paid_minor, 0);
  EXPECT_EQ(lines[2].outstanding_minor, 3'334);
  EXPECT_EQ(pledge.outstanding_minor(), 30'000);
  // Received + written off + outstanding = the amount: 400.00 + 300.00 + 300.00 = 1,000.00.
  EXPECT_EQ(pledge.received_minor + pledge.written_off_minor + pledge.outstanding_minor(),
            pledge.terms.amount.amount_minor);
  // As of 15 February only January is due, and it is paid: in progress. As of 1 March the
  // February installment is due with 266.66 outstanding: overdue, although 700.00 is settled
  // in all (the write-off took the March installment, not February's).
  EXPECT_EQ(DerivePledgeStatus(pledge, 0, DayMs(2027, 2, 15)), PledgeStatus::kInProgress);
  EXPECT_EQ(DerivePledgeStatus(pledge, 0, DayMs(2027, 3, 1)), PledgeStatus::kOverdue);
}

}  // namespace
}  // namespace constellation::core
