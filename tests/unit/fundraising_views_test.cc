// Unit tests of fundraising's views (server/rpc/fundraising/fundraising_views.h): the ledger
// keeps numbers and ids only, so what a view shows of a record's text (the campaign, a
// pledge's terms with its note, donor and condition, reasons, payment references) comes from
// the events the ledger names; each view must show exactly what those events say.
#include <string>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "server/core/group.h"
#include "server/rpc/fundraising/fundraising_views.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::rpc {
namespace {

using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::TestTermsWithInstallments;
using ::google::protobuf::util::MessageDifferencer;

class FundraisingViewsTest : public ::testing::Test {
 protected:
  FundraisingViewsTest() : history_(founder_, TestCharter()), group_(history_.group()) {
    Insert(history_.genesis());
  }

  void Insert(const core::VerifiedEvent& e) {
    absl::StatusOr<core::InsertResult> r = group_.Insert(e);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->admission, core::Admission::kReady);
    ASSERT_FALSE(group_.NoEffectReason(e.id).has_value()) << *group_.NoEffectReason(e.id);
  }
  const core::VerifiedEvent& Write(const v1::Event& body) {
    const core::VerifiedEvent e = history_.Append(founder_, body);
    Insert(e);
    return history_.Get(e.id);
  }
  // Write at `hlc` (a payment received at a time must be recorded at or after it).
  const core::VerifiedEvent& WriteAt(const v1::Event& body, core::Hlc hlc) {
    const core::VerifiedEvent e = history_.AppendAt(founder_, body, hlc);
    Insert(e);
    return history_.Get(e.id);
  }
  const core::PledgeState& PledgeOf(const core::EventId& id) {
    return core::Fundraising(group_.state()).pledges().at(id);
  }

  const core::SigningKey founder_ = TestKey('a');
  HistoryBuilder history_;
  core::Group group_;
};

TEST_F(FundraisingViewsTest, CampaignViewShowsTheCampaignAsOpened) {
  v1::Campaign campaign = TestCampaign(500'000);
  campaign.set_deadline_ms(90'000);
  campaign.mutable_restriction()->set_text("coastal schools only");
  const core::VerifiedEvent& opened = Write(CampaignBody(campaign));

  ASSERT_OK_AND_ASSIGN(
      const v1::CampaignView v,
      ToCampaignView(group_, core::Fundraising(group_.state()).campaigns().at(opened.id)));
  EXPECT_TRUE(MessageDifferencer::Equals(v.campaign(), campaign)) << v.DebugString();
  EXPECT_EQ(v.campaign_id(), opened.id.Bytes());
  EXPECT_EQ(v.fiscal_host(), founder_.public_key().Bytes());
}

TEST_F(FundraisingViewsTest, PledgeViewsShowEveryVersionAsSigned) {
  const core::EventId campaign = Write(CampaignBody(TestCampaign(500'000))).id;
  v1::PledgeTerms first = TestTerms(1'000);
  first.set_note("first tranche from the reserve");
  first.set_donor_name("Harbour Trust");
  first.mutable_condition()->set_barrier("matching grant awarded");
  first.mutable_condition()->set_right_of_release("released if no grant by June");
  const core::EventId pledge = Write(PledgeBody(campaign, first)).id;
  v1::PledgeTerms second = TestTermsWithInstallments({{10'000, 600}, {20'000, 900}});
  second.set_note("board approved more");
  const core::EventId amendment =
      Write(AmendmentBody(pledge, second, "budget grew after the storm")).id;
  const core::EventId payment = WriteAt(PaymentBody(pledge, 250, "EUR", 77'000), core::Hlc{77'000, 0}).id;
  Write(CancellationBody(pledge, "funding withdrawn"));

  const core::PledgeState& p = PledgeOf(pledge);
  const v1::PledgeView view = ToPledgeView(group_, p, /*as_of_ms=*/50'000);
  EXPECT_TRUE(MessageDifferencer::Equals(view.terms(), second)) << view.DebugString();
  EXPECT_EQ(view.version(), 2u);
  EXPECT_EQ(view.status(), v1::PLEDGE_STATUS_CANCELLED);
  EXPECT_EQ(view.received_minor(), 250);
  EXPECT_EQ(view.cancel_reason(), "funding withdrawn");

  ASSERT_EQ(p.history.size(), 4u);
  const v1::PledgeVersion pledged = ToPledgeVersion(group_, p, p.history[0]);
  EXPECT_EQ(pledged.kind(), "pledge");
  EXPECT_EQ(pledged.event_id(), pledge.Bytes());
  EXPECT_TRUE(MessageDifferencer::Equals(pledged.terms(), first)) << pledged.DebugString();
  EXPECT_EQ(pledged.reason(), "");
  EXPECT_FALSE(pledged.has_amount());

  const v1::PledgeVersion amended = ToPledgeVersion(group_, p, p.history[1]);
  EXPECT_EQ(amended.kind(), "amendment");
  EXPECT_EQ(amended.event_id(), amendment.Bytes());
  EXPECT_EQ(amended.version(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(amended.terms(), second)) << amended.DebugString();
  EXPECT_EQ(amended.reason(), "budget grew after the storm");

  const v1::PledgeVersion paid = ToPledgeVersion(group_, p, p.history[2]);
  EXPECT_EQ(paid.kind(), "payment");
  EXPECT_EQ(paid.event_id(), payment.Bytes());
  EXPECT_EQ(paid.amount().amount_minor(), 250);
  EXPECT_EQ(paid.amount().currency(), "EUR");
  EXPECT_EQ(paid.external_ref(), "bank-ref-0001");
  EXPECT_EQ(paid.received_ms(), 77'000u);
  EXPECT_FALSE(paid.has_terms());

  const v1::PledgeVersion cancelled = ToPledgeVersion(group_, p, p.history[3]);
  EXPECT_EQ(cancelled.kind(), "cancellation");
  EXPECT_EQ(cancelled.reason(), "funding withdrawn");
  EXPECT_EQ(cancelled.author(), founder_.public_key().Bytes());
  EXPECT_FALSE(cancelled.has_terms());
  EXPECT_FALSE(cancelled.has_amount());
}

TEST_F(FundraisingViewsTest, LivePledgeHasNoCancelReason) {
  const core::EventId campaign = Write(CampaignBody(TestCampaign(500'000))).id;
  const core::EventId pledge = Write(PledgeBody(campaign, TestTerms(1'000))).id;
  const v1::PledgeView view = ToPledgeView(group_, PledgeOf(pledge), 0);
  EXPECT_EQ(view.cancel_reason(), "");
  EXPECT_EQ(view.status(), v1::PLEDGE_STATUS_PENDING);
}

}  // namespace
}  // namespace constellation::rpc
