// tests/unit/obligations_test.cc
//
// Open obligations (docs/PROTOCOL.md §5.7, "Open obligations"): what a member still owes the
// group or holds for it, derived from the fold (GroupState::OpenObligations, one
// Ledger::AddOpenObligations per domain), in the kinds' order, and unchanged by leaving.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/pooled/pooled_ledger.h"
#include "tests/testing/convening_events.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/ledger_test.h"
#include "tests/testing/pooled_events.h"

namespace constellation::core {
namespace {

using ::constellation::testing::ActionBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::CashContributionBody;
using ::constellation::testing::CompletionBody;
using ::constellation::testing::ConveningBody;
using ::constellation::testing::CreateFundProposalBody;
using ::constellation::testing::DisbursementBody;
using ::constellation::testing::DrawdownBody;
using ::constellation::testing::FundBody;
using ::constellation::testing::LedgerTest;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::ReceiptBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestFund;
using ::constellation::testing::TestTerms;
using ::constellation::testing::WithdrawalBody;
using ::testing::IsEmpty;

// Obligations leave the state hash alone: the fold's whole hash is the part to watch.
std::string WholeHash(const GroupState& state) {
  const auto hash = state.Hash();
  return std::string(hash.begin(), hash.end());
}

v1::Charter ObligationsCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() = MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_ALLOCATE_FUNDS, v1::DECISION_PROCESS_CONSENT);
  return c;
}

// What the view shows of one obligation: kind, record, amount and currency, due time.
struct Shown {
  ObligationKind kind;
  EventId record;
  int64_t amount_minor;
  std::string currency;
  uint64_t due_ms;
  bool operator==(const Shown&) const = default;
};
std::vector<Shown> ShownOf(const std::vector<Obligation>& obligations) {
  std::vector<Shown> out;
  for (const Obligation& o : obligations) {
    out.push_back({o.kind, o.record, o.amount_minor, o.currency, o.due_ms});
  }
  return out;
}
void PrintTo(const Shown& s, std::ostream* os) {
  *os << ObligationKindName(s.kind) << " " << s.record.ShortHex() << " " << s.amount_minor << " "
      << s.currency << " due " << s.due_ms;
}

class ObligationsTest : public LedgerTest {
 protected:
  ObligationsTest() : LedgerTest(ObligationsCharter(), WholeHash) {
    Admit(bea_);
    Admit(cal_);
  }
  std::vector<Shown> Of(const SigningKey& member) const {
    return ShownOf(state().OpenObligations(member.public_key()));
  }
};

TEST_F(ObligationsTest, ANewMemberOwesNothing) {
  EXPECT_THAT(Of(founder_), IsEmpty());
  EXPECT_THAT(Of(bea_), IsEmpty());
  EXPECT_THAT(state().OpenObligations(outsider_.public_key()), IsEmpty());
}

TEST_F(ObligationsTest, EveryKindInOrderAndLeavingEndsNone) {
  // bea hosts a fund: cal pays 100.00 in (received), then 25.00 (not received yet).
  const v1::Fund f = TestFund(bea_.public_key());
  const EventId fund = Ok(bea_, FundBody(f, Decide(founder_, CreateFundProposalBody(f))));
  const EventId paid = Ok(cal_, CashContributionBody(10'000, "EUR", &fund));
  Ok(bea_, ReceiptBody(paid, 10'000));
  const EventId unreceived = Ok(cal_, CashContributionBody(2'500, "EUR", &fund));
  // A drawdown of 40.00 is decided; bea has not disbursed it.
  const EventId drawdown = Decide(cal_, DrawdownBody(fund, 4'000, cal_.public_key()));
  // bea pledges 50.00 to the founder's campaign and pays 10.00 of it; a second pledge it
  // cancels owes nothing.
  const EventId campaign = Ok(founder_, CampaignBody(TestCampaign(100'000)));
  const EventId pledge = Ok(bea_, PledgeBody(campaign, TestTerms(5'000)));
  Ok(founder_, PaymentBody(pledge, 1'000));
  const EventId cancelled = Ok(bea_, PledgeBody(campaign, TestTerms(700)));
  Ok(bea_, CancellationBody(cancelled));
  // The founder convenes; bea owns one action item, and a second one it has done.
  const EventId convening = Ok(founder_, ConveningBody());
  const EventId item = Ok(founder_, ActionBody(convening, bea_.public_key(), 1'900'000'000'000));
  const EventId done = Ok(founder_, ActionBody(convening, bea_.public_key()));
  Ok(bea_, CompletionBody(done));

  const std::vector<Shown> expected = {
      {ObligationKind::kPledge, pledge, 4'000, "EUR", 0},
      {ObligationKind::kFund, fund, 10'000, "EUR", 0},
      {ObligationKind::kDisbursement, drawdown, 4'000, "EUR", 0},
      {ObligationKind::kReceipt, unreceived, 2'500, "EUR", 0},
      {ObligationKind::kActionItem, item, 0, "", 1'900'000'000'000},
  };
  EXPECT_EQ(Of(bea_), expected);
  EXPECT_THAT(Of(cal_), IsEmpty()) << "a contributor or a drawdown's recipient owes nothing";
  EXPECT_THAT(Of(founder_), IsEmpty());

  // bea withdraws: every obligation stays, with the same amounts.
  Ok(bea_, WithdrawalBody());
  EXPECT_EQ(Of(bea_), expected);
}

TEST_F(ObligationsTest, SettlingAnObligationRemovesIt) {
  const v1::Fund f = TestFund(bea_.public_key());
  const EventId fund = Ok(bea_, FundBody(f, Decide(founder_, CreateFundProposalBody(f))));
  const EventId c = Ok(cal_, CashContributionBody(3'000, "EUR", &fund));
  ASSERT_EQ(Of(bea_).size(), 1u);
  EXPECT_EQ(Of(bea_)[0].kind, ObligationKind::kReceipt);
  Ok(bea_, ReceiptBody(c, 3'000));
  ASSERT_EQ(Of(bea_).size(), 1u);
  EXPECT_EQ(Of(bea_)[0].kind, ObligationKind::kFund) << "received: now a balance it holds";
  const EventId d = Decide(cal_, DrawdownBody(fund, 3'000, cal_.public_key()));
  EXPECT_EQ(Of(bea_).size(), 2u);
  Ok(bea_, DisbursementBody(d, 3'000));
  EXPECT_THAT(Of(bea_), IsEmpty()) << "disbursed, and the fund is empty";

  const EventId campaign = Ok(founder_, CampaignBody(TestCampaign(100'000)));
  const EventId pledge = Ok(cal_, PledgeBody(campaign, TestTerms(1'200)));
  EXPECT_EQ(Of(cal_).size(), 1u);
  Ok(founder_, PaymentBody(pledge, 1'200));
  EXPECT_THAT(Of(cal_), IsEmpty()) << "paid in full";
}

}  // namespace
}  // namespace constellation::core
