// Unit tests of the terms a pledge write records (server/rpc/fundraising/pledge_terms.h):
// schedules expanded, amendment patches merged onto the current terms.
#include "server/rpc/fundraising/pledge_terms.h"

#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace constellation::rpc {
namespace {

using ::constellation::testing::StatusIs;

constexpr uint64_t kDayMs = 86'400'000;

v1::PledgeTerms Terms(int64_t amount_minor, const std::vector<int64_t>& installments) {
  v1::PledgeTerms terms;
  terms.mutable_amount()->set_amount_minor(amount_minor);
  terms.mutable_amount()->set_currency("EUR");
  uint64_t due_ms = 20000 * kDayMs;
  for (int64_t amount : installments) {
    v1::Installment* in = terms.add_installments();
    in->set_due_ms(due_ms);
    in->set_amount_minor(amount);
    due_ms += 30 * kDayMs;
  }
  terms.set_donor_name("Quay Trust");
  terms.set_note("first");
  return terms;
}

std::vector<int64_t> Amounts(const v1::PledgeTerms& terms) {
  std::vector<int64_t> out;
  for (const v1::Installment& in : terms.installments()) out.push_back(in.amount_minor());
  return out;
}

core::PledgeState Received(int64_t received_minor) {
  core::PledgeState p;
  p.received_minor = received_minor;
  return p;
}

// Regression: `pledge amend` dropped the installment schedule.
TEST(PledgeTermsTest, AmendDropsInstallmentScheduleRegression) {
  const v1::PledgeTerms current = Terms(900, {300, 300, 300});
  v1::PledgeTermsPatch patch;
  patch.set_note("second");
  ASSERT_OK_AND_ASSIGN(const v1::PledgeTerms out, MergeTermsPatch(current, Received(0), patch));
  EXPECT_EQ(Amounts(out), (std::vector<int64_t>{300, 300, 300}));
  EXPECT_EQ(out.installments(2).due_ms(), current.installments(2).due_ms());
  EXPECT_EQ(out.note(), "second");
}

// Regression: the API's AmendPledge cleared the donor.
TEST(PledgeTermsTest, AmendPledgeClearsDonorRegression) {
  v1::PledgeTermsPatch patch;
  patch.mutable_amount()->set_amount_minor(1200);
  ASSERT_OK_AND_ASSIGN(const v1::PledgeTerms out,
                       MergeTermsPatch(Terms(900, {300, 300, 300}), Received(0), patch));
  EXPECT_EQ(out.donor_name(), "Quay Trust");
  EXPECT_EQ(out.note(), "first");
  EXPECT_EQ(out.amount().amount_minor(), 1200);
  // A new amount without a schedule: the last installment takes the difference.
  EXPECT_EQ(Amounts(out), (std::vector<int64_t>{300, 300, 600}));
}

TEST(PledgeTermsTest, RemainingScheduleKeepsThePaidPrefix) {
  const v1::PledgeTerms current = Terms(900, {300, 300, 300});
  v1::PledgeTermsPatch patch;
  patch.mutable_amount()->set_amount_minor(1000);
  v1::InstallmentSchedule* schedule = patch.mutable_remaining_schedule();
  schedule->set_count(3);
  schedule->set_frequency(v1::SCHEDULE_FREQUENCY_MONTHLY);
  schedule->set_start_ms(20100 * kDayMs);
  // 350 received: the first installment is fully paid, the second only in part.
  ASSERT_OK_AND_ASSIGN(const v1::PledgeTerms out, MergeTermsPatch(current, Received(350), patch));
  EXPECT_EQ(Amounts(out), (std::vector<int64_t>{300, 233, 233, 234}));
  EXPECT_EQ(out.installments(0).due_ms(), current.installments(0).due_ms());
  EXPECT_EQ(out.installments(1).due_ms(), 20100 * kDayMs);
}

TEST(PledgeTermsTest, RemainingInstallmentsFollowThePaidPrefix) {
  v1::PledgeTermsPatch patch;
  v1::Installment* in = patch.mutable_remaining_installments()->add_installments();
  in->set_due_ms(20500 * kDayMs);
  in->set_amount_minor(600);
  ASSERT_OK_AND_ASSIGN(const v1::PledgeTerms out,
                       MergeTermsPatch(Terms(900, {300, 300, 300}), Received(300), patch));
  EXPECT_EQ(Amounts(out), (std::vector<int64_t>{300, 600}));
}

TEST(PledgeTermsTest, RefusesContradictoryPatches) {
  const v1::PledgeTerms current = Terms(900, {300, 300, 300});
  v1::PledgeTermsPatch two_schedules;
  two_schedules.mutable_installments();
  two_schedules.mutable_remaining_installments();
  EXPECT_THAT(MergeTermsPatch(current, Received(0), two_schedules),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::PledgeTermsPatch set_and_clear;
  set_and_clear.mutable_condition()->set_barrier("b");
  set_and_clear.set_clear_condition(true);
  EXPECT_THAT(MergeTermsPatch(current, Received(0), set_and_clear),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::PledgeTermsPatch currency;
  currency.mutable_amount()->set_amount_minor(900);
  currency.mutable_amount()->set_currency("USD");
  EXPECT_THAT(MergeTermsPatch(current, Received(0), currency),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Every installment paid: the last cannot take a larger amount.
  v1::PledgeTermsPatch more;
  more.mutable_amount()->set_amount_minor(1000);
  EXPECT_THAT(MergeTermsPatch(current, Received(900), more),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // The last would not stay positive.
  v1::PledgeTermsPatch less;
  less.mutable_amount()->set_amount_minor(500);
  EXPECT_THAT(MergeTermsPatch(current, Received(0), less),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PledgeTermsTest, WithScheduleExpandsOrRefusesBoth) {
  v1::InstallmentSchedule schedule;
  schedule.set_count(4);
  schedule.set_frequency(v1::SCHEDULE_FREQUENCY_WEEKLY);
  schedule.set_start_ms(20000 * kDayMs);
  ASSERT_OK_AND_ASSIGN(const v1::PledgeTerms out, WithSchedule(Terms(1001, {}), schedule));
  EXPECT_EQ(Amounts(out), (std::vector<int64_t>{250, 250, 250, 251}));
  EXPECT_EQ(out.installments(3).due_ms(), (20000 + 21) * kDayMs);
  EXPECT_THAT(WithSchedule(Terms(900, {900}), schedule),
              StatusIs(absl::StatusCode::kInvalidArgument));
  schedule.set_frequency(v1::SCHEDULE_FREQUENCY_UNSPECIFIED);
  EXPECT_THAT(WithSchedule(Terms(900, {}), schedule),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace constellation::rpc
