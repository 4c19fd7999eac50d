// tests/unit/group_state_test.cc
//
// GroupState (server/core/group_state.h): the fold's authority and record rules, derived
// pledge statuses and campaign totals. Events are applied in the order written, which is a
// canonical order for these histories.
#include "server/core/fold/group_state.h"
#include "server/core/fundraising/fundraising_ledger.h"

#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::MakeMoney;
using ::constellation::testing::NotFoldedBody;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::TestTermsWithInstallments;
using ::testing::AllOf;
using ::testing::HasSubstr;

class GroupStateTest : public ::testing::Test {
 protected:
  GroupStateTest() : GroupStateTest(TestCharter()) {}
  explicit GroupStateTest(const v1::Charter& charter)
      : history_(founder_, charter), state_(history_.group()) {
    state_.Apply(history_.genesis());
  }

  // Writes `author`'s next event, applies it and returns the fold's verdict, checking that
  // the event is listed as rejected exactly when the verdict is an error, with its message.
  absl::Status Write(const SigningKey& author, const v1::Event& body,
                     VerifiedEvent* written = nullptr, std::optional<Hlc> hlc = std::nullopt) {
    VerifiedEvent e = hlc.has_value() ? history_.AppendAt(author, body, *hlc)
                                      : history_.Append(author, body);
    absl::Status verdict = state_.Check(e);
    const uint64_t count = state_.event_count();
    state_.Apply(e);
    EXPECT_EQ(state_.event_count(), count + 1);
    auto rejected = state_.rejected_events().find(e.id);
    if (verdict.ok()) {
      EXPECT_EQ(rejected, state_.rejected_events().end()) << "accepted event listed as rejected";
    } else if (rejected == state_.rejected_events().end()) {
      ADD_FAILURE() << "rejected event not listed: " << verdict;
    } else {
      EXPECT_EQ(rejected->second, verdict.message());
    }
    if (written != nullptr) *written = e;
    return verdict;
  }

  // Writes an event that must be accepted (at `hlc` when given) and returns its id.
  EventId Accepted(const SigningKey& author, const v1::Event& body,
                   std::optional<Hlc> hlc = std::nullopt) {
    VerifiedEvent e;
    absl::Status s = Write(author, body, &e, hlc);
    EXPECT_TRUE(s.ok()) << s;
    return e.id;
  }

  EventId OpenCampaign(const std::string& currency = "EUR") {
    return Accepted(founder_, CampaignBody(TestCampaign(1'000'000, currency)));
  }
  EventId Pledge(const EventId& campaign, int64_t amount_minor) {
    return Accepted(founder_, PledgeBody(campaign, TestTerms(amount_minor)));
  }
  const PledgeState& PledgeOf(const EventId& id) { return Fundraising(state_).pledges().at(id); }

  const SigningKey founder_ = TestKey('a');
  const SigningKey alice_ = TestKey('b');
  HistoryBuilder history_;
  GroupState state_;
};

TEST_F(GroupStateTest, CharterMakesTheFounderAnActiveLeadMember) {
  EXPECT_TRUE(state_.roster().has_charter());
  EXPECT_EQ(state_.roster().charter().name(), TestCharter().name());
  EXPECT_EQ(state_.roster().founder(), founder_.public_key());
  ASSERT_EQ(state_.roster().members().size(), 1u);
  const MemberState& m = state_.roster().members().at(founder_.public_key());
  EXPECT_EQ(m.key, founder_.public_key());
  EXPECT_EQ(m.status, MemberStatus::kActive);
  EXPECT_EQ(m.profile.role(), v1::ROLE_LEAD);
  EXPECT_EQ(m.profile.voting_weight(), 1u);
  EXPECT_EQ(m.profile.name(), "Harbour Trust");
  EXPECT_EQ(m.profile_event, history_.genesis().id);
  EXPECT_TRUE(state_.roster().IsActiveWriter(founder_.public_key()));
  EXPECT_FALSE(state_.roster().IsActiveWriter(alice_.public_key()));
  EXPECT_EQ(state_.event_count(), 1u);
  EXPECT_EQ(state_.last_hlc(), history_.genesis().hlc);
  EXPECT_TRUE(state_.rejected_events().empty());
  EXPECT_EQ(MemberStatusName(m.status), "active");
}

class ExplicitFounderProfileTest : public GroupStateTest {
 protected:
  static v1::Charter Charter() {
    v1::Charter c = TestCharter();
    c.mutable_founder()->set_role(v1::ROLE_PARTNER);
    c.mutable_founder()->set_voting_weight(3);
    return c;
  }
  ExplicitFounderProfileTest() : GroupStateTest(Charter()) {}
};

TEST_F(ExplicitFounderProfileTest, FounderKeepsTheRoleAndWeightItChose) {
  const MemberState& m = state_.roster().members().at(founder_.public_key());
  EXPECT_EQ(m.profile.role(), v1::ROLE_PARTNER);
  EXPECT_EQ(m.profile.voting_weight(), 3u);
  EXPECT_TRUE(state_.roster().IsActiveWriter(founder_.public_key()));
}

TEST_F(GroupStateTest, SecondCharterIsAlreadyExists) {
  EXPECT_THAT(state_.Check(history_.genesis()),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already has its charter")));
}

TEST_F(GroupStateTest, EventBeforeTheCharterIsFailedPrecondition) {
  GroupState empty(history_.group());
  VerifiedEvent e = history_.Append(founder_, CampaignBody(TestCampaign(100)));
  EXPECT_THAT(empty.Check(e),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no charter")));
}

TEST_F(GroupStateTest, CampaignDefaultsItsFiscalHostToTheAuthor) {
  EventId id = OpenCampaign();
  ASSERT_EQ(Fundraising(state_).campaigns().count(id), 1u);
  const CampaignState& c = Fundraising(state_).campaigns().at(id);
  EXPECT_EQ(c.id, id);
  EXPECT_EQ(c.opened_by, founder_.public_key());
  EXPECT_EQ(c.fiscal_host, founder_.public_key());
  EXPECT_EQ(c.goal.amount_minor, 1'000'000);
  EXPECT_EQ(c.goal.currency.view(), "EUR");
  EXPECT_EQ(c.opened_hlc, history_.Get(id).hlc);
  EXPECT_TRUE(c.pledges.empty());
}

TEST_F(GroupStateTest, CampaignWithAMemberAsFiscalHost) {
  v1::Campaign c = TestCampaign(5'000);
  c.set_fiscal_host(founder_.public_key().Bytes());
  EventId id = Accepted(founder_, CampaignBody(c));
  EXPECT_EQ(Fundraising(state_).campaigns().at(id).fiscal_host, founder_.public_key());
}

TEST_F(GroupStateTest, CampaignWithANonMemberFiscalHostIsRejected) {
  v1::Campaign c = TestCampaign(5'000);
  c.set_fiscal_host(alice_.public_key().Bytes());
  EXPECT_THAT(Write(founder_, CampaignBody(c)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("fiscal_host " + alice_.public_key().ShortHex()),
                             HasSubstr("not an active member"))));
  EXPECT_TRUE(Fundraising(state_).campaigns().empty());
}

TEST_F(GroupStateTest, EventByANonMemberIsPermissionDenied) {
  EXPECT_THAT(Write(alice_, CampaignBody(TestCampaign(5'000))),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("org " + alice_.public_key().ShortHex()),
                             HasSubstr("not an active member"))));
  EXPECT_TRUE(Fundraising(state_).campaigns().empty());
  EXPECT_EQ(state_.roster().members().size(), 1u);
}

TEST_F(GroupStateTest, InvalidBodyFromAMemberIsRejected) {
  // The codec does not look into bodies; the fold holds every node's events to records.h.
  EXPECT_THAT(Write(founder_, CampaignBody(TestCampaign(0))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("campaign.goal")));
}

TEST_F(GroupStateTest, RecordTypeNotFoldedYetIsUnimplemented) {
  EXPECT_THAT(Write(founder_, NotFoldedBody()),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("not folded")));
}

TEST_F(GroupStateTest, PledgeJoinsItsCampaign) {
  EventId campaign = OpenCampaign();
  EventId pledge = Pledge(campaign, 25'000);
  const PledgeState& p = PledgeOf(pledge);
  EXPECT_EQ(p.id, pledge);
  EXPECT_EQ(p.campaign, campaign);
  EXPECT_EQ(p.pledger, founder_.public_key());
  EXPECT_EQ(p.terms.amount.amount_minor, 25'000);
  EXPECT_EQ(p.terms_event, pledge);
  EXPECT_EQ(p.version, 1u);
  EXPECT_EQ(p.outstanding_minor(), 25'000);
  ASSERT_EQ(p.history.size(), 1u);
  EXPECT_EQ(p.history[0].kind, PledgeEntryKind::kPledge);
  EXPECT_EQ(p.history[0].author, founder_.public_key());
  EXPECT_EQ(p.history[0].version, 1u);
  EXPECT_EQ(Fundraising(state_).campaigns().at(campaign).pledges, std::vector<EventId>{pledge});
}

TEST_F(GroupStateTest, PledgeToAnUnknownCampaignIsNotFound) {
  EventId not_a_campaign = history_.genesis().id;
  EXPECT_THAT(Write(founder_, PledgeBody(not_a_campaign, TestTerms(100))),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("campaign " + not_a_campaign.ShortHex() + " not found")));
  EXPECT_TRUE(Fundraising(state_).pledges().empty());
}

TEST_F(GroupStateTest, PledgeInAnotherCurrencyIsInvalid) {
  EventId campaign = OpenCampaign("EUR");
  EXPECT_THAT(Write(founder_, PledgeBody(campaign, TestTerms(100, "USD"))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("currency is USD"), HasSubstr("pledge in EUR"))));
  EXPECT_TRUE(Fundraising(state_).pledges().empty());
  EXPECT_TRUE(Fundraising(state_).campaigns().at(campaign).pledges.empty());
}

TEST_F(GroupStateTest, AmendmentIsANewVersion) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  v1::PledgeTerms terms = TestTermsWithInstallments({{10'000, 600}, {20'000, 900}});
  EventId amendment = Accepted(founder_, AmendmentBody(pledge, terms, "board approved more"));
  const PledgeState& p = PledgeOf(pledge);
  EXPECT_EQ(p.version, 2u);
  EXPECT_EQ(p.terms.amount.amount_minor, 1'500);
  EXPECT_EQ(p.terms, CompactTerms(terms));
  EXPECT_EQ(p.terms.installments.size(), 2u);
  EXPECT_EQ(p.terms_event, amendment);
  EXPECT_EQ(p.created_hlc, history_.Get(pledge).hlc);
  EXPECT_EQ(p.updated_hlc, history_.Get(amendment).hlc);
  ASSERT_EQ(p.history.size(), 2u);
  EXPECT_EQ(p.history[0].amount_minor, 1'000);  // the first version stays
  EXPECT_EQ(p.history[1].kind, PledgeEntryKind::kAmendment);
  EXPECT_EQ(p.history[1].version, 2u);
  // The reason stays in the amendment the entry names (the views read it there).
  EXPECT_EQ(history_.Get(p.history[1].event).event.pledge_amendment().reason(),
            "board approved more");
  EXPECT_EQ(p.history[1].event, amendment);
}

TEST_F(GroupStateTest, AmendmentOfAnUnknownPledgeIsNotFound) {
  EventId campaign = OpenCampaign();
  EXPECT_THAT(Write(founder_, AmendmentBody(campaign, TestTerms(100))),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("pledge " + campaign.ShortHex() + " not found")));
}

TEST_F(GroupStateTest, AmendmentByAnotherOrgIsPermissionDenied) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  EXPECT_THAT(Write(alice_, AmendmentBody(pledge, TestTerms(5))),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(PledgeOf(pledge).version, 1u);
  EXPECT_EQ(PledgeOf(pledge).terms.amount.amount_minor, 1'000);
}

TEST_F(GroupStateTest, AmendmentAfterCancellationIsFailedPrecondition) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  Accepted(founder_, CancellationBody(pledge));
  EXPECT_THAT(Write(founder_, AmendmentBody(pledge, TestTerms(2'000))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("pledge " + pledge.ShortHex() + " is cancelled")));
  EXPECT_EQ(PledgeOf(pledge).version, 1u);
}

TEST_F(GroupStateTest, AmendmentBelowWhatWasReceivedIsFailedPrecondition) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  Accepted(founder_, PaymentBody(pledge, 400));
  EXPECT_THAT(Write(founder_, AmendmentBody(pledge, TestTerms(399))),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("has 4.00 EUR received or written off"),
                             HasSubstr("the amended amount 3.99 EUR cannot be lower"))));
  EXPECT_EQ(PledgeOf(pledge).terms.amount.amount_minor, 1'000);
  // Down to exactly what was received is allowed: the pledge is then complete.
  Accepted(founder_, AmendmentBody(pledge, TestTerms(400)));
  EXPECT_EQ(DerivePledgeStatus(PledgeOf(pledge), 0, 0), PledgeStatus::kCompleted);
}

TEST_F(GroupStateTest, AmendmentMayNotChangeTheCurrency) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  EXPECT_THAT(Write(founder_, AmendmentBody(pledge, TestTerms(1'000, "USD"))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must stay EUR")));
}

TEST_F(GroupStateTest, CancellationIsTerminal) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  Accepted(founder_, PaymentBody(pledge, 100));
  Accepted(founder_, CancellationBody(pledge, "funding withdrawn"));
  const PledgeState& p = PledgeOf(pledge);
  EXPECT_TRUE(p.cancelled);
  EXPECT_EQ(history_.Get(p.history.back().event).event.pledge_cancellation().reason(),
            "funding withdrawn");
  EXPECT_EQ(p.outstanding_minor(), 0);
  EXPECT_EQ(p.received_minor, 100);  // what was received stays on record
  EXPECT_EQ(p.history.back().kind, PledgeEntryKind::kCancellation);

  EXPECT_THAT(Write(founder_, CancellationBody(pledge)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is cancelled")));
  EXPECT_THAT(Write(founder_, PaymentBody(pledge, 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is cancelled")));
  EXPECT_EQ(PledgeOf(pledge).history.size(), 3u);
  EXPECT_EQ(PledgeOf(pledge).received_minor, 100);
}

TEST_F(GroupStateTest, CancellationOfACompletedPledgeIsFailedPrecondition) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  Accepted(founder_, PaymentBody(pledge, 1'000));
  EXPECT_THAT(Write(founder_, CancellationBody(pledge)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is completed")));
  EXPECT_FALSE(PledgeOf(pledge).cancelled);
}

TEST_F(GroupStateTest, CancellationByAnotherOrgIsPermissionDenied) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  EXPECT_THAT(Write(alice_, CancellationBody(pledge)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_FALSE(PledgeOf(pledge).cancelled);
}

TEST_F(GroupStateTest, PaymentIsRecordedAgainstThePledge) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  EventId payment = Accepted(founder_, PaymentBody(pledge, 250, "EUR", 77'000), Hlc{77'000, 0});
  const PledgeState& p = PledgeOf(pledge);
  EXPECT_EQ(p.received_minor, 250);
  EXPECT_EQ(p.settled_minor(), 250);
  EXPECT_EQ(p.outstanding_minor(), 750);
  EXPECT_EQ(p.version, 1u);
  ASSERT_EQ(p.history.size(), 2u);
  const PledgeEntry& entry = p.history[1];
  EXPECT_EQ(entry.kind, PledgeEntryKind::kPayment);
  EXPECT_EQ(entry.event, payment);
  EXPECT_EQ(entry.amount_minor, 250);
  const v1::PaymentReceipt& receipt = history_.Get(entry.event).event.payment_receipt();
  EXPECT_EQ(receipt.received_ms(), 77'000u);
  EXPECT_EQ(receipt.external_ref(), "bank-ref-0001");
  EXPECT_EQ(PledgeEntryKindName(entry.kind), "payment");
}

TEST_F(GroupStateTest, PaymentByANonFiscalHostIsPermissionDenied) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  EXPECT_THAT(Write(alice_, PaymentBody(pledge, 100)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(PledgeOf(pledge).received_minor, 0);
}

TEST_F(GroupStateTest, OverpaymentIsFailedPrecondition) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  Accepted(founder_, PaymentBody(pledge, 700));
  EXPECT_THAT(Write(founder_, PaymentBody(pledge, 301)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("payment of 3.01 EUR exceeds the 3.00 EUR outstanding")));
  EXPECT_EQ(PledgeOf(pledge).received_minor, 700);
  Accepted(founder_, PaymentBody(pledge, 300));
  EXPECT_EQ(PledgeOf(pledge).outstanding_minor(), 0);
  EXPECT_THAT(Write(founder_, PaymentBody(pledge, 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("exceeds the 0.00 EUR outstanding")));
}

TEST_F(GroupStateTest, PaymentInAnotherCurrencyIsInvalid) {
  EventId pledge = Pledge(OpenCampaign(), 1'000);
  EXPECT_THAT(Write(founder_, PaymentBody(pledge, 100, "USD")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("currency is USD"), HasSubstr("is in EUR"))));
}

TEST_F(GroupStateTest, RejectedEventsAreRecordedAndHaveNoEffect) {
  EventId campaign = OpenCampaign();
  EventId pledge = Pledge(campaign, 1'000);
  Accepted(founder_, PaymentBody(pledge, 100));
  const std::map<EventId, CampaignState> campaigns_before = Fundraising(state_).campaigns();
  const PledgeState pledge_before = PledgeOf(pledge);
  const size_t rejected_before = state_.rejected_events().size();

  VerifiedEvent e1, e2, e3, e4;
  EXPECT_FALSE(Write(alice_, PaymentBody(pledge, 100), &e1).ok());
  EXPECT_FALSE(Write(founder_, PaymentBody(pledge, 5'000), &e2).ok());
  EXPECT_FALSE(Write(founder_, AmendmentBody(pledge, TestTerms(50)), &e3).ok());
  EXPECT_FALSE(Write(alice_, PledgeBody(campaign, TestTerms(100)), &e4).ok());

  EXPECT_EQ(state_.rejected_events().size(), rejected_before + 4);
  for (const VerifiedEvent* e : {&e1, &e2, &e3, &e4}) {
    EXPECT_EQ(state_.rejected_events().count(e->id), 1u);
  }
  const PledgeState& after = PledgeOf(pledge);
  EXPECT_EQ(after.received_minor, pledge_before.received_minor);
  EXPECT_EQ(after.version, pledge_before.version);
  EXPECT_EQ(after.terms_event, pledge_before.terms_event);
  EXPECT_EQ(after.history.size(), pledge_before.history.size());
  EXPECT_EQ(Fundraising(state_).pledges().size(), 1u);
  ASSERT_EQ(Fundraising(state_).campaigns().size(), campaigns_before.size());
  EXPECT_EQ(Fundraising(state_).campaigns().at(campaign).pledges, campaigns_before.at(campaign).pledges);
  EXPECT_EQ(state_.roster().members().size(), 1u);
  // They still count as events of the group and move its clock.
  EXPECT_EQ(state_.event_count(), 8u);
  EXPECT_EQ(state_.last_hlc(), e4.hlc);
}

TEST_F(GroupStateTest, HashIsDeterministicAndCoversTheState) {
  GroupState twin(history_.group());
  twin.Apply(history_.genesis());
  EXPECT_EQ(HashHex(twin.Hash()), HashHex(state_.Hash()));

  EventId campaign = OpenCampaign();
  EXPECT_NE(HashHex(twin.Hash()), HashHex(state_.Hash()));
  twin.Apply(history_.Get(campaign));
  EXPECT_EQ(HashHex(twin.Hash()), HashHex(state_.Hash()));

  // A payment changes the hash; so does a rejected event.
  EventId pledge = Pledge(campaign, 1'000);
  twin.Apply(history_.Get(pledge));
  auto before_payment = state_.Hash();
  Accepted(founder_, PaymentBody(pledge, 10));
  EXPECT_NE(HashHex(state_.Hash()), HashHex(before_payment));
  auto before_rejection = state_.Hash();
  EXPECT_FALSE(Write(alice_, PulseCheckBody()).ok());
  EXPECT_NE(HashHex(state_.Hash()), HashHex(before_rejection));

  // Another group with the same history shape hashes differently.
  HistoryBuilder other(founder_, TestCharter("Other"));
  GroupState other_state(other.group());
  other_state.Apply(other.genesis());
  GroupState fresh(history_.group());
  fresh.Apply(history_.genesis());
  EXPECT_NE(HashHex(other_state.Hash()), HashHex(fresh.Hash()));
}

TEST_F(GroupStateTest, TotalsCountLivePledges) {
  EventId campaign = OpenCampaign();
  EventId partly_paid = Pledge(campaign, 1'000);
  Accepted(founder_, PaymentBody(partly_paid, 400));
  v1::PledgeTerms conditional = TestTerms(500);
  conditional.mutable_condition()->set_barrier("matching grant awarded");
  conditional.mutable_condition()->set_right_of_release("released if no grant by June");
  Accepted(founder_, PledgeBody(campaign, conditional));
  EventId cancelled = Pledge(campaign, 300);
  Accepted(founder_, PaymentBody(cancelled, 50));
  Accepted(founder_, CancellationBody(cancelled));
  EventId paid = Pledge(campaign, 200);
  Accepted(founder_, PaymentBody(paid, 200));
  // Rejected events leave the totals alone.
  EXPECT_FALSE(Write(alice_, PledgeBody(campaign, TestTerms(9'999))).ok());
  EXPECT_FALSE(Write(founder_, PledgeBody(campaign, TestTerms(9'999, "USD"))).ok());

  ASSERT_OK_AND_ASSIGN(CampaignTotals t,
                       Fundraising(state_).Totals(Fundraising(state_).campaigns().at(campaign)));
  EXPECT_EQ(t.pledge_count, 3u);
  EXPECT_EQ(t.pledged_minor, 1'000 + 500 + 200);
  EXPECT_EQ(t.received_minor, 400 + 200);
  EXPECT_EQ(t.outstanding_minor, 600 + 500);
  EXPECT_EQ(t.conditional_minor, 500);
  EXPECT_EQ(Fundraising(state_).campaigns().at(campaign).pledges.size(), 4u);
}

// DerivePledgeStatus works on a PledgeState alone.
PledgeState MakePledge(const v1::PledgeTerms& terms, int64_t received_minor = 0) {
  PledgeState p;
  p.terms = CompactTerms(terms);
  p.received_minor = received_minor;
  return p;
}

TEST(DerivePledgeStatusTest, PendingUntilSomethingIsPaid) {
  PledgeState p = MakePledge(TestTerms(1'000));
  EXPECT_EQ(DerivePledgeStatus(p, /*campaign_deadline_ms=*/0, /*as_of_ms=*/99'999),
            PledgeStatus::kPending);
  EXPECT_EQ(DerivePledgeStatus(p, 50'000, 49'999), PledgeStatus::kPending);
  EXPECT_EQ(PledgeStatusName(PledgeStatus::kPending), "pending");
}

TEST(DerivePledgeStatusTest, InProgressWhenPartlyPaidAndNothingOverdue) {
  PledgeState p = MakePledge(TestTerms(1'000), 1);
  EXPECT_EQ(DerivePledgeStatus(p, 0, 99'999), PledgeStatus::kInProgress);
  EXPECT_EQ(DerivePledgeStatus(p, 50'000, 10'000), PledgeStatus::kInProgress);
}

TEST(DerivePledgeStatusTest, OverdueAtTheCampaignDeadlineWithoutInstallments) {
  PledgeState p = MakePledge(TestTerms(1'000));
  EXPECT_EQ(DerivePledgeStatus(p, 50'000, 50'000), PledgeStatus::kOverdue);
  EXPECT_EQ(DerivePledgeStatus(p, 50'000, 60'000), PledgeStatus::kOverdue);
  p.received_minor = 999;
  EXPECT_EQ(DerivePledgeStatus(p, 50'000, 60'000), PledgeStatus::kOverdue);
  EXPECT_EQ(PledgeStatusName(PledgeStatus::kOverdue), "overdue");
}

TEST(DerivePledgeStatusTest, OverdueByInstallment) {
  PledgeState p = MakePledge(TestTermsWithInstallments({{100, 30}, {200, 70}}));
  EXPECT_EQ(DerivePledgeStatus(p, 0, 99), PledgeStatus::kPending);
  EXPECT_EQ(DerivePledgeStatus(p, 0, 100), PledgeStatus::kOverdue);
  p.received_minor = 30;
  EXPECT_EQ(DerivePledgeStatus(p, 0, 150), PledgeStatus::kInProgress);
  EXPECT_EQ(DerivePledgeStatus(p, 0, 200), PledgeStatus::kOverdue);
  p.received_minor = 99;
  EXPECT_EQ(DerivePledgeStatus(p, 0, 200), PledgeStatus::kOverdue);
  // Installments, not the campaign deadline, decide when the pledge is due.
  p.received_minor = 30;
  EXPECT_EQ(DerivePledgeStatus(p, /*campaign_deadline_ms=*/120, 150), PledgeStatus::kInProgress);
}

TEST(DerivePledgeStatusTest, WriteOffsCountAsSettled) {
  PledgeState p = MakePledge(TestTermsWithInstallments({{100, 30}, {200, 70}}));
  p.written_off_minor = 30;
  // The write-off takes the latest installment (PROTOCOL §5.11.3), so the first one, due at
  // 100, is still unpaid at 150: overdue, though 30 is settled in all (PROTOCOL §5.9 rule 6).
  EXPECT_EQ(DerivePledgeStatus(p, 0, 150), PledgeStatus::kOverdue);
  EXPECT_EQ(DerivePledgeStatus(p, 0, 50), PledgeStatus::kInProgress);
  p.received_minor = 70;
  // Settled in full with a write-off: "written off", not "completed" (issue 8's status list;
  // PROTOCOL §5.9). Completed means everything was received.
  EXPECT_EQ(DerivePledgeStatus(p, 0, 300), PledgeStatus::kWrittenOff);
}

TEST(DerivePledgeStatusTest, CompletedWhenFullyPaid) {
  PledgeState p = MakePledge(TestTermsWithInstallments({{100, 30}, {200, 70}}), 100);
  EXPECT_EQ(DerivePledgeStatus(p, 0, 1'000), PledgeStatus::kCompleted);
  EXPECT_EQ(DerivePledgeStatus(p, 0, 0), PledgeStatus::kCompleted);
  EXPECT_EQ(PledgeStatusName(PledgeStatus::kCompleted), "completed");
}

TEST(DerivePledgeStatusTest, CancelledIsStickyEvenIfOverdueOrPaid) {
  PledgeState p = MakePledge(TestTermsWithInstallments({{100, 30}, {200, 70}}));
  p.cancelled = true;
  EXPECT_EQ(DerivePledgeStatus(p, 0, 1'000), PledgeStatus::kCancelled);
  p.received_minor = 100;
  EXPECT_EQ(DerivePledgeStatus(p, 0, 1'000), PledgeStatus::kCancelled);
  EXPECT_EQ(PledgeStatusName(PledgeStatus::kCancelled), "cancelled");
}

TEST(DerivePledgeStatusTest, ConditionalIsNeverOverdue) {
  v1::PledgeTerms terms = TestTermsWithInstallments({{100, 30}, {200, 70}});
  terms.mutable_condition()->set_barrier("matching grant awarded");
  terms.mutable_condition()->set_right_of_release("released if no grant");
  PledgeState p = MakePledge(terms);
  EXPECT_EQ(DerivePledgeStatus(p, 0, 1'000), PledgeStatus::kConditional);
  p.received_minor = 30;
  EXPECT_EQ(DerivePledgeStatus(p, 0, 1'000), PledgeStatus::kConditional);
  p.received_minor = 100;
  EXPECT_EQ(DerivePledgeStatus(p, 0, 1'000), PledgeStatus::kCompleted);
  EXPECT_EQ(PledgeStatusName(PledgeStatus::kConditional), "conditional");
}

TEST(DerivePledgeStatusTest, InstallmentsAfterAnAmendmentCount) {
  // A pledge amended to a later schedule is no longer overdue (statuses are derived).
  EXPECT_EQ(DerivePledgeStatus(MakePledge(TestTermsWithInstallments({{100, 50}})), 0, 150),
            PledgeStatus::kOverdue);
  EXPECT_EQ(DerivePledgeStatus(MakePledge(TestTermsWithInstallments({{300, 50}})), 0, 150),
            PledgeStatus::kPending);
}

}  // namespace
}  // namespace constellation::core
