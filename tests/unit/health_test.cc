// tests/unit/health_test.cc
//
// Partnership health (server/core/health/health_ledger.h, docs/PROTOCOL.md §5.14): pulse checks
// (validation, members only, the state-hash part), and the health view HealthAt as of a time:
// silent members past the charter's review cadence (the default and an amended one), the review
// date, stances and acknowledgements owed, overdue action items and pledges, each member's
// latest pulses and the trend by month.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/health/health_ledger.h"
#include "server/core/records.h"
#include "tests/testing/convening_events.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/ledger_test.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::ActionBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::ConveningBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::LedgerTest;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestTermsWithInstallments;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr uint64_t kDayMs = 24 * 60 * 60 * 1000;
// 2026-11-15T00:00:00Z and 2026-12-02T00:00:00Z.
constexpr uint64_t kNov15Ms = 1'794'700'800'000;
constexpr uint64_t kDec02Ms = 1'796'169'600'000;

std::string HealthHash(const GroupState& state) {
  StateHasher h;
  Health(state).HashInto(h);
  return HashHex(h.Finish());
}

v1::Charter HealthCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() = MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
  c.set_review_ms(kDec02Ms);
  return c;
}

class HealthTest : public LedgerTest {
 protected:
  HealthTest() : LedgerTest(HealthCharter(), HealthHash) {
    Admit(bea_);
    Admit(cal_);
  }

  EventId PulseAt(const SigningKey& author, uint32_t alignment, uint64_t wall_ms) {
    absl::Status s = Put(history_.AppendAt(author, PulseCheckBody(alignment), Hlc{wall_ms, 0}));
    EXPECT_TRUE(s.ok()) << s;
    return last_;
  }
  const MemberHealth& Of(const GroupHealth& h, const SigningKey& key) {
    for (const MemberHealth& m : h.members) {
      if (m.member == key.public_key()) return m;
    }
    ADD_FAILURE() << "no member " << key.public_key().ShortHex();
    return h.members.front();
  }
};

TEST_F(HealthTest, APulseCheckIsOneToFiveByAMember) {
  EXPECT_EQ(HealthHash(state()), HashHex(StateHasher().Finish())) << "no pulse: nothing hashed";
  EXPECT_THAT(Write(bea_, PulseCheckBody(0)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pulse_check.alignment")));
  EXPECT_THAT(Write(bea_, PulseCheckBody(6)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1 (not aligned at all)")));
  EXPECT_THAT(Write(outsider_, PulseCheckBody(3)), StatusIs(absl::StatusCode::kPermissionDenied));
  const EventId p = Ok(bea_, PulseCheckBody(4));
  ASSERT_EQ(Health(state()).pulses().size(), 1u);
  EXPECT_EQ(Health(state()).pulses()[0].id, p);
  EXPECT_EQ(Health(state()).pulses()[0].alignment, 4u);
  EXPECT_NE(HealthHash(state()), HashHex(StateHasher().Finish()));
}

TEST_F(HealthTest, MembersSilentLongerThanTheCadenceAreFlagged) {
  const uint64_t last = state().Progress(cal_.public_key())->hlc.wall_ms;
  GroupHealth h = HealthAt(state(), last + 30 * kDayMs);
  EXPECT_EQ(h.review_cadence_days, 30u);
  EXPECT_FALSE(Of(h, cal_).silent) << "exactly the cadence is not longer than it";
  h = HealthAt(state(), last + 30 * kDayMs + 1);
  EXPECT_TRUE(Of(h, cal_).silent);
  EXPECT_EQ(Of(h, cal_).last_activity_ms, last);
  // Someone who writes is no longer silent.
  PulseAt(bea_, 3, last + 30 * kDayMs);
  h = HealthAt(state(), last + 30 * kDayMs + 1);
  EXPECT_FALSE(Of(h, bea_).silent);
  EXPECT_TRUE(Of(h, cal_).silent);
}

TEST_F(HealthTest, TheCharterSetsTheCadenceAndTheReviewDate) {
  v1::Charter c = HealthCharter();
  c.set_review_cadence_days(7);
  ::constellation::testing::HistoryBuilder weekly(founder_, c);
  Group g(weekly.group());
  ASSERT_OK(g.Insert(weekly.genesis()).status());
  GroupHealth h = HealthAt(g.state(), 1'000 + 8 * kDayMs);
  EXPECT_EQ(h.review_cadence_days, 7u);
  ASSERT_EQ(h.members.size(), 1u);
  EXPECT_TRUE(h.members[0].silent);
  EXPECT_FALSE(h.review_due);
  EXPECT_TRUE(HealthAt(g.state(), kDec02Ms).review_due);
  c.set_review_cadence_days(limits::kReviewCadenceDaysMax + 1);
  EXPECT_THAT(ValidateBody(::constellation::testing::CharterBody(c)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kReviewCadenceDaysMax")));
}

TEST_F(HealthTest, WhatEachMemberOwes) {
  // An open proposal: everyone in its electorate owes a stance until they give one.
  const EventId p = Ok(founder_, ProposalBody(v1::DECISION_TYPE_OPEN_CAMPAIGN));
  Ok(bea_, ::constellation::testing::StanceBody(p, v1::STANCE_CHOICE_AGREE));
  // An action item of cal's, due at day 3.
  const EventId c = Ok(founder_, ConveningBody());
  const EventId a = Ok(founder_, ActionBody(c, cal_.public_key(), 3 * kDayMs));
  // A pledge of bea's with an installment due at day 2.
  const EventId campaign = Ok(founder_, CampaignBody(TestCampaign(100'000)));
  const EventId pledge =
      Ok(bea_, PledgeBody(campaign, TestTermsWithInstallments({{2 * kDayMs, 5'000}})));
  GroupHealth h = HealthAt(state(), kDayMs);
  EXPECT_EQ(h.open_proposals, 1u);
  EXPECT_THAT(Of(h, founder_).stances_owed, ElementsAre(p));
  EXPECT_THAT(Of(h, bea_).stances_owed, IsEmpty());
  EXPECT_THAT(Of(h, cal_).stances_owed, ElementsAre(p));
  EXPECT_THAT(Of(h, cal_).overdue_action_items, IsEmpty()) << "not due yet";
  EXPECT_THAT(Of(h, bea_).overdue_pledges, IsEmpty()) << "not due yet";
  h = HealthAt(state(), 4 * kDayMs);
  EXPECT_THAT(Of(h, cal_).overdue_action_items, ElementsAre(a));
  EXPECT_THAT(Of(h, bea_).overdue_pledges, ElementsAre(pledge));
  // Past the proposal's deadline nobody owes a stance any more; those who have written nothing
  // since owe an acknowledgement instead.
  const uint64_t deadline = Governance(state()).proposals().at(p).deadline_ms;
  h = HealthAt(state(), deadline + 1);
  EXPECT_THAT(Of(h, cal_).stances_owed, IsEmpty());
  EXPECT_THAT(Of(h, cal_).acknowledgements_owed, ElementsAre(p));
}

TEST_F(HealthTest, LatestPulsesAndTheTrendByMonth) {
  PulseAt(bea_, 2, kNov15Ms);
  PulseAt(cal_, 3, kNov15Ms + 1);
  PulseAt(bea_, 4, kDec02Ms);
  PulseAt(founder_, 5, kDec02Ms + 1);
  const GroupHealth h = HealthAt(state(), kDec02Ms + kDayMs);
  EXPECT_EQ(Of(h, bea_).latest_alignment, 4u);
  EXPECT_EQ(Of(h, bea_).previous_alignment, 2u);
  EXPECT_EQ(Of(h, cal_).latest_alignment, 3u);
  EXPECT_EQ(Of(h, cal_).previous_alignment, 0u);
  ASSERT_EQ(h.pulse_trend.size(), 2u);
  EXPECT_EQ(h.pulse_trend[0].period, "2026-11");
  EXPECT_EQ(h.pulse_trend[0].count, 2u);
  EXPECT_EQ(h.pulse_trend[0].average_milli, 2'500u);
  EXPECT_EQ(h.pulse_trend[1].period, "2026-12");
  EXPECT_EQ(h.pulse_trend[1].average_milli, 4'500u);
  EXPECT_TRUE(h.review_due);
}

TEST_F(HealthTest, TheTrendKeepsTheLatestTwelveMonths) {
  uint64_t t = kNov15Ms;
  for (int month = 0; month < 14; ++month, t += 31 * kDayMs) PulseAt(bea_, 1 + month % 5, t);
  const GroupHealth h = HealthAt(state(), t);
  ASSERT_EQ(h.pulse_trend.size(), kPulseTrendPeriodsMax);
  EXPECT_EQ(h.pulse_trend.front().period, "2027-01");
  EXPECT_EQ(h.pulse_trend.back().period, "2027-12");
}

// Average rounding is half up: 1, 2 -> 1.5 exactly; 1, 1, 2 -> 1333.3 -> 1333; 1, 2, 2 -> 1667.
TEST_F(HealthTest, AveragesRoundHalfUp) {
  PulseAt(bea_, 1, kNov15Ms);
  PulseAt(cal_, 2, kNov15Ms + 1);
  PulseAt(founder_, 2, kNov15Ms + 2);
  EXPECT_EQ(HealthAt(state(), kDec02Ms).pulse_trend[0].average_milli, 1'667u);
}

}  // namespace
}  // namespace constellation::core
