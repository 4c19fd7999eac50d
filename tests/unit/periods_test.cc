// Reporting periods (docs/PROTOCOL.md §5.16, "Periods"): the four forms parse to their UTC
// spans, everything else is refused, and the period at a time and the one before it are right
// at year boundaries.
#include "server/core/measurement/periods.h"

#include <gtest/gtest.h>

namespace constellation::core {
namespace {

constexpr uint64_t kJul2026Ms = 1'782'864'000'000;  // 2026-07-01T00:00:00Z
constexpr uint64_t kOct2026Ms = 1'790'812'800'000;  // 2026-10-01T00:00:00Z
constexpr uint64_t kJan2027Ms = 1'798'761'600'000;  // 2027-01-01T00:00:00Z

TEST(PeriodsTest, TheFourFormsAndTheirSpans) {
  std::optional<Period> q = ParsePeriod("2026-Q3");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->frequency, v1::REPORTING_FREQUENCY_QUARTERLY);
  EXPECT_EQ(q->start_ms, kJul2026Ms);
  EXPECT_EQ(q->end_ms, kOct2026Ms);
  EXPECT_EQ(q->Name(), "2026-Q3");
  std::optional<Period> m = ParsePeriod("2026-07");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->frequency, v1::REPORTING_FREQUENCY_MONTHLY);
  EXPECT_EQ(m->start_ms, kJul2026Ms);
  std::optional<Period> h = ParsePeriod("2026-H2");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->start_ms, kJul2026Ms);
  EXPECT_EQ(h->end_ms, kJan2027Ms);
  std::optional<Period> y = ParsePeriod("2026");
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ(y->frequency, v1::REPORTING_FREQUENCY_ANNUAL);
  EXPECT_EQ(y->end_ms, kJan2027Ms);
}

TEST(PeriodsTest, RefusesEverythingElse) {
  for (const char* text :
       {"", "26", "2026-", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-H3", "2026-q3", "1969",
        "10000", "2026-7", "2026-Q3 ", "２０２６", "2026/Q3", "abcd"}) {
    EXPECT_FALSE(ParsePeriod(text).has_value()) << text;
  }
}

TEST(PeriodsTest, PeriodAtAndBeforeCrossYears) {
  EXPECT_EQ(PeriodAt(v1::REPORTING_FREQUENCY_QUARTERLY, kOct2026Ms - 1).Name(), "2026-Q3");
  EXPECT_EQ(PeriodAt(v1::REPORTING_FREQUENCY_QUARTERLY, kOct2026Ms).Name(), "2026-Q4");
  const Period jan = PeriodAt(v1::REPORTING_FREQUENCY_MONTHLY, kJan2027Ms);
  EXPECT_EQ(jan.Name(), "2027-01");
  EXPECT_EQ(PeriodBefore(jan)->Name(), "2026-12");
  EXPECT_EQ(PeriodBefore(PeriodAt(v1::REPORTING_FREQUENCY_SEMIANNUAL, kJan2027Ms))->Name(),
            "2026-H2");
  EXPECT_EQ(PeriodBefore(*ParsePeriod("2027-Q1"))->Name(), "2026-Q4");
  EXPECT_FALSE(PeriodBefore(*ParsePeriod("1970")).has_value());
}

}  // namespace
}  // namespace constellation::core
