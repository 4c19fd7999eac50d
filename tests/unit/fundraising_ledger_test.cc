// tests/unit/fundraising_ledger_test.cc
//
// FundraisingLedger (server/core/fundraising/fundraising_ledger.h, docs/PROTOCOL.md §5.9, 5.11–5.12):
// campaigns by decision or alone, accepted currencies, assurance thresholds, installments,
// amendments, cancellations, payments (applied and unapplied), write-offs by decision,
// condition resolutions, every derived status, the refusals of issue 8's "Bad input" list
// (each with its code, leaving the state hash unchanged), concurrent records giving the same
// state in every fold order, and a property test that every pledge reconciles.
#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/fold/group_state.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/group.h"
#include "server/core/records.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::ConditionBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::MakeMoney;
using ::constellation::testing::OpenCampaignProposalBody;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::SealOrDie;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::TestTermsWithInstallments;
using ::constellation::testing::UnappliedPaymentBody;
using ::constellation::testing::WriteOffBody;
using ::constellation::testing::WriteOffProposalBody;
using ::testing::HasSubstr;

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;
constexpr uint64_t kFarMs = 10'000'000;  // a due date after every event of these histories

// TestCharter (members open campaigns alone) with a WRITE_OFF rule: write-offs need one.
v1::Charter WriteOffCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_WRITE_OFF, v1::DECISION_PROCESS_CONSENT);
  return c;
}

v1::PledgeTerms Conditional(v1::PledgeTerms terms) {
  terms.mutable_condition()->set_barrier("matching grant awarded");
  terms.mutable_condition()->set_right_of_release("released if no grant by June");
  return terms;
}

// A group of founder a (the campaigns' fiscal host) and member b, folded by a core::Group as a
// node does: a refused write is checked (Group::CheckNext) and never inserted.
class FundraisingLedgerTest : public ::testing::Test {
 protected:
  explicit FundraisingLedgerTest(const v1::Charter& charter = WriteOffCharter())
      : h_(a_, charter), group_(h_.group()) {
    Insert(h_.genesis());
    const EventId admit = Accept(a_, AdmitBody(b_.public_key()));
    Accept(a_, StanceBody(admit, kAgree));
    Accept(a_, AcknowledgementBody({admit}));
    Accept(b_, AcceptanceBody(admit, "Tide Lab"));
  }

  void Insert(const VerifiedEvent& e) {
    absl::StatusOr<InsertResult> r = group_.Insert(e);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_FALSE(group_.NoEffectReason(e.id).has_value()) << *group_.NoEffectReason(e.id);
  }

  // The next event of `author` with `body` (deps: the latest event of every other author), or
  // at `hlc`; checked as a local write. Inserted only when accepted.
  absl::Status Try(const SigningKey& author, const v1::Event& body,
                   std::optional<Hlc> hlc = std::nullopt, EventId* id = nullptr) {
    std::vector<EventId> deps;
    for (const EventId& head : h_.Heads()) {
      if (h_.Get(head).author != author.public_key()) deps.push_back(head);
    }
    v1::Event draft = h_.Draft(author.public_key(), deps, hlc);
    draft.MergeFrom(body);
    const VerifiedEvent e = SealOrDie(draft, author);
    const std::string before = HashHex(group_.StateHash());
    absl::Status verdict = group_.CheckNext(e);
    if (!verdict.ok()) {
      EXPECT_EQ(HashHex(group_.StateHash()), before) << "a refused write changed the state";
      return verdict;
    }
    const VerifiedEvent appended = hlc.has_value() ? h_.AppendWithDeps(author, body, deps, hlc)
                                                   : h_.AppendWithDeps(author, body, deps);
    EXPECT_EQ(appended.id, e.id);
    Insert(appended);
    if (id != nullptr) *id = appended.id;
    return absl::OkStatus();
  }
  EventId Accept(const SigningKey& author, const v1::Event& body,
                 std::optional<Hlc> hlc = std::nullopt) {
    EventId id;
    absl::Status s = Try(author, body, hlc, &id);
    EXPECT_TRUE(s.ok()) << s;
    return id;
  }
  // A refusal with `code` and `message` that leaves the state hash unchanged (Try checks it).
  void ExpectRefused(const SigningKey& author, const v1::Event& body, absl::StatusCode code,
                     const std::string& message, std::optional<Hlc> hlc = std::nullopt) {
    const std::string before = HashHex(group_.StateHash());
    EXPECT_THAT(Try(author, body, hlc), StatusIs(code, HasSubstr(message)));
    EXPECT_EQ(HashHex(group_.StateHash()), before);
  }

  EventId OpenCampaign(v1::Campaign campaign = TestCampaign(1'000'000)) {
    return Accept(a_, CampaignBody(campaign));
  }
  // A final, passed WRITE_OFF of `amount_minor` of `pledge`: a proposes, a and b agree and
  // acknowledge.
  EventId DecideWriteOff(const EventId& pledge, int64_t amount_minor) {
    const EventId p = Accept(a_, WriteOffProposalBody(pledge, amount_minor));
    Accept(a_, StanceBody(p, kAgree));
    Accept(b_, StanceBody(p, kAgree));
    Accept(a_, AcknowledgementBody({p}));
    Accept(b_, AcknowledgementBody({p}));
    return p;
  }

  const FundraisingLedger& Ledger() { return Fundraising(group_.state()); }
  const PledgeState& PledgeOf(const EventId& id) { return Ledger().pledges().at(id); }
  PledgeStatus StatusOf(const EventId& id, uint64_t as_of_ms = 0) {
    const PledgeState& p = PledgeOf(id);
    return DerivePledgeStatus(p, Ledger().campaigns().at(p.campaign).deadline_ms, as_of_ms);
  }
  CampaignTotals TotalsOf(const EventId& campaign, const std::string& currency = "EUR") {
    absl::StatusOr<CampaignTotals> t =
        Ledger().TotalsIn(Ledger().campaigns().at(campaign), CurrencyCode(currency));
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : CampaignTotals{};
  }

  const SigningKey a_ = TestKey('a');
  const SigningKey b_ = TestKey('b');
  HistoryBuilder h_;
  Group group_;
};

// ---------------------------------------------------------------------------------------------
// Campaigns

class NoCampaignRuleTest : public FundraisingLedgerTest {
 protected:
  static v1::Charter Charter() {
    v1::Charter c = TestCharter();
    c.clear_decision_rules();
    return c;
  }
  NoCampaignRuleTest() : FundraisingLedgerTest(Charter()) {}
};

TEST_F(NoCampaignRuleTest, CampaignAloneNeedsTheCharterRule) {
  ExpectRefused(a_, CampaignBody(TestCampaign(1'000)), absl::StatusCode::kFailedPrecondition,
                "the charter requires an OPEN_CAMPAIGN decision");
}

TEST_F(NoCampaignRuleTest, CampaignByAFinalPassedDecision) {
  v1::Campaign payload = TestCampaign(50'000);
  const EventId proposal = Accept(b_, OpenCampaignProposalBody(payload));
  v1::Campaign opened = payload;
  opened.set_proposal_id(proposal.Bytes());
  // Not final yet.
  ExpectRefused(b_, CampaignBody(opened), absl::StatusCode::kFailedPrecondition, "not final");
  Accept(a_, StanceBody(proposal, kAgree));
  Accept(b_, StanceBody(proposal, kAgree));
  Accept(a_, AcknowledgementBody({proposal}));
  Accept(b_, AcknowledgementBody({proposal}));
  // Only the proposer or the named fiscal host.
  ExpectRefused(a_, CampaignBody(opened), absl::StatusCode::kPermissionDenied, "proposer");
  // Exactly as decided.
  v1::Campaign changed = opened;
  changed.mutable_goal()->set_amount_minor(60'000);
  ExpectRefused(b_, CampaignBody(changed), absl::StatusCode::kInvalidArgument, "differs");
  const EventId campaign = Accept(b_, CampaignBody(opened));
  EXPECT_EQ(Ledger().campaigns().at(campaign).proposal, proposal);
  EXPECT_EQ(Ledger().campaigns().at(campaign).fiscal_host, b_.public_key());
  ExpectRefused(b_, CampaignBody(opened), absl::StatusCode::kAlreadyExists, "already opened");
}

TEST_F(FundraisingLedgerTest, AcceptedCurrenciesKeepTotalsPerCurrency) {
  v1::Campaign campaign = TestCampaign(1'000'000);
  campaign.add_accepted_currencies("USD");
  const EventId c = OpenCampaign(campaign);
  const EventId eur = Accept(b_, PledgeBody(c, TestTerms(1'000)));
  const EventId usd = Accept(b_, PledgeBody(c, TestTerms(2'000, "USD")));
  ExpectRefused(b_, PledgeBody(c, TestTerms(3'000, "GBP")), absl::StatusCode::kInvalidArgument,
                "pledge in EUR, USD");
  EXPECT_EQ(TotalsOf(c).pledged_minor, 1'000);
  EXPECT_EQ(TotalsOf(c, "USD").pledged_minor, 2'000);
  Accept(a_, PaymentBody(usd, 500, "USD"));
  ExpectRefused(a_, PaymentBody(eur, 500, "USD"), absl::StatusCode::kInvalidArgument,
                "but pledge");
  EXPECT_EQ(TotalsOf(c, "USD").received_minor, 500);
  EXPECT_EQ(TotalsOf(c).received_minor, 0);
  absl::StatusOr<CampaignTotals> member =
      Ledger().MemberTotalsIn(Ledger().campaigns().at(c), b_.public_key(), CurrencyCode("USD"));
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->outstanding_minor, 1'500);
}

TEST(CampaignValidationTest, AcceptedCurrenciesAreKnownDistinctAndNotTheGoals) {
  v1::Event e = CampaignBody(TestCampaign(1'000));
  e.mutable_campaign()->add_accepted_currencies("EUR");
  EXPECT_THAT(ValidateBody(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("goal")));
  e = CampaignBody(TestCampaign(1'000));
  e.mutable_campaign()->add_accepted_currencies("USD");
  e.mutable_campaign()->add_accepted_currencies("USD");
  EXPECT_THAT(ValidateBody(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("twice")));
  e = CampaignBody(TestCampaign(1'000));
  e.mutable_campaign()->add_accepted_currencies("XYZ");
  EXPECT_THAT(ValidateBody(e), StatusIs(absl::StatusCode::kInvalidArgument));
  e = CampaignBody(TestCampaign(1'000));
  e.mutable_campaign()->set_assurance_member_count(2);
  EXPECT_THAT(ValidateBody(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("assurance_deadline_ms")));
}

// ---------------------------------------------------------------------------------------------
// Bad input (issue 8): each refused with its code, nothing stored changes.

TEST(PledgeValidationTest, ZeroNegativeOverflowingAndUnbalancedAmountsAreInvalid) {
  const EventId campaign = EventId::FromArray({});
  for (int64_t amount : {int64_t{0}, int64_t{-5}, limits::kMoneyAmountMinorMax + 1}) {
    EXPECT_THAT(ValidateBody(PledgeBody(campaign, TestTerms(amount))),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount")));
  }
  v1::PledgeTerms unbalanced = TestTermsWithInstallments({{kFarMs, 300}, {kFarMs + 1, 700}});
  unbalanced.mutable_amount()->set_amount_minor(999);
  EXPECT_THAT(ValidateBody(PledgeBody(campaign, unbalanced)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be equal")));
  EXPECT_THAT(ValidateBody(PaymentBody(campaign, 0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(FundraisingLedgerTest, InstallmentDueBeforeTheCampaignOpenedIsInvalid) {
  const EventId c = OpenCampaign();
  ExpectRefused(b_, PledgeBody(c, TestTermsWithInstallments({{500, 100}})),
                absl::StatusCode::kInvalidArgument, "installment due before the campaign opened");
  const EventId p = Accept(b_, PledgeBody(c, TestTermsWithInstallments({{kFarMs, 100}})));
  ExpectRefused(b_, AmendmentBody(p, TestTermsWithInstallments({{500, 100}})),
                absl::StatusCode::kInvalidArgument, "installment due before the campaign opened");
}

TEST_F(FundraisingLedgerTest, PaymentLargerThanOutstandingIsRefused) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), TestTerms(1'000)));
  Accept(a_, PaymentBody(p, 600));
  ExpectRefused(a_, PaymentBody(p, 401), absl::StatusCode::kFailedPrecondition,
                "exceeds the 4.00 EUR outstanding");
  Accept(a_, UnappliedPaymentBody(p, 401));  // the excess can be kept unapplied
  EXPECT_EQ(PledgeOf(p).unapplied_minor, 401);
  EXPECT_EQ(PledgeOf(p).received_minor, 600);
}

TEST_F(FundraisingLedgerTest, PaymentReceivedInTheFutureIsInvalid) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), TestTerms(1'000)));
  ExpectRefused(a_, PaymentBody(p, 100, "EUR", 900'000), absl::StatusCode::kInvalidArgument,
                "received in the future", Hlc{800'000, 0});
  Accept(a_, PaymentBody(p, 100, "EUR", 800'000), Hlc{800'000, 0});
}

TEST_F(FundraisingLedgerTest, PaymentToACancelledPledgeMustBeUnapplied) {
  const EventId c = OpenCampaign();
  const EventId p = Accept(b_, PledgeBody(c, TestTerms(1'000)));
  Accept(a_, PaymentBody(p, 100));
  Accept(b_, CancellationBody(p));
  ExpectRefused(a_, PaymentBody(p, 50), absl::StatusCode::kFailedPrecondition, "is cancelled");
  Accept(a_, UnappliedPaymentBody(p, 50));
  EXPECT_EQ(PledgeOf(p).received_minor, 100);
  EXPECT_EQ(PledgeOf(p).unapplied_minor, 50);
  EXPECT_EQ(TotalsOf(c).unapplied_minor, 50);
  EXPECT_EQ(TotalsOf(c).cancelled_minor, 900);
  EXPECT_EQ(TotalsOf(c).closed_received_minor, 100);
}

TEST_F(FundraisingLedgerTest, WriteOffNeedsTheFiscalHostAndAFinalDecision) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), TestTerms(1'000)));
  const EventId proposal = Accept(a_, WriteOffProposalBody(p, 300));
  ExpectRefused(a_, WriteOffBody(p, proposal, 300), absl::StatusCode::kFailedPrecondition,
                "not final");
  Accept(a_, StanceBody(proposal, kAgree));
  Accept(b_, StanceBody(proposal, kAgree));
  Accept(a_, AcknowledgementBody({proposal}));
  Accept(b_, AcknowledgementBody({proposal}));
  ExpectRefused(b_, WriteOffBody(p, proposal, 300), absl::StatusCode::kPermissionDenied,
                "fiscal host");
  ExpectRefused(a_, WriteOffBody(p, proposal, 200), absl::StatusCode::kInvalidArgument,
                "exactly what was decided");
  Accept(a_, WriteOffBody(p, proposal, 300));
  EXPECT_EQ(PledgeOf(p).written_off_minor, 300);
  ExpectRefused(a_, WriteOffBody(p, proposal, 300), absl::StatusCode::kAlreadyExists,
                "already executed");
}

TEST_F(FundraisingLedgerTest, SumsThatWouldOverflowInt64AreRefused) {
  const EventId c = OpenCampaign();
  // Pledges of the maximum amount while the campaign's sum still fits int64 (9223 of them).
  const int64_t fit = INT64_MAX / limits::kMoneyAmountMinorMax;
  EventId last;
  for (int64_t i = 0; i < fit; ++i) {
    const VerifiedEvent e = h_.Append(b_, PledgeBody(c, TestTerms(limits::kMoneyAmountMinorMax)));
    Insert(e);
    last = e.id;
  }
  ExpectRefused(b_, PledgeBody(c, TestTerms(limits::kMoneyAmountMinorMax)),
                absl::StatusCode::kInvalidArgument, "int64 limit");
  ExpectRefused(a_, UnappliedPaymentBody(last, limits::kMoneyAmountMinorMax),
                absl::StatusCode::kInvalidArgument, "int64 limit");
  EXPECT_EQ(TotalsOf(c).pledged_minor, fit * limits::kMoneyAmountMinorMax);
}

// ---------------------------------------------------------------------------------------------
// Statuses: every transition (PROTOCOL §5.9).

TEST_F(FundraisingLedgerTest, PendingInProgressOverdueCompleted) {
  v1::Campaign campaign = TestCampaign(1'000'000);
  const EventId p = Accept(
      b_, PledgeBody(OpenCampaign(campaign),
                     TestTermsWithInstallments({{kFarMs, 300}, {kFarMs + 1'000, 700}})));
  EXPECT_EQ(StatusOf(p), PledgeStatus::kPending);
  EXPECT_EQ(StatusOf(p, kFarMs), PledgeStatus::kOverdue);
  Accept(a_, PaymentBody(p, 300));
  EXPECT_EQ(StatusOf(p, kFarMs), PledgeStatus::kInProgress);
  EXPECT_EQ(StatusOf(p, kFarMs + 1'000), PledgeStatus::kOverdue);
  Accept(a_, PaymentBody(p, 700));
  EXPECT_EQ(StatusOf(p, kFarMs + 1'000), PledgeStatus::kCompleted);
  ExpectRefused(b_, CancellationBody(p), absl::StatusCode::kFailedPrecondition, "completed");
}

TEST_F(FundraisingLedgerTest, WrittenOffWhenSettledWithAWriteOff) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), TestTerms(1'000)));
  Accept(a_, PaymentBody(p, 600));
  const EventId decision = DecideWriteOff(p, 400);
  Accept(a_, WriteOffBody(p, decision, 400));
  EXPECT_EQ(StatusOf(p, kFarMs), PledgeStatus::kWrittenOff);
  EXPECT_EQ(PledgeOf(p).outstanding_minor(), 0);
}

TEST_F(FundraisingLedgerTest, ConditionalUntilMetThenPending) {
  const EventId c = OpenCampaign();
  const EventId p = Accept(b_, PledgeBody(c, Conditional(TestTerms(1'000))));
  EXPECT_EQ(StatusOf(p), PledgeStatus::kConditional);
  EXPECT_EQ(TotalsOf(c).conditional_minor, 1'000);
  Accept(a_, ConditionBody(p, v1::CONDITION_OUTCOME_MET));  // the fiscal host may resolve it
  EXPECT_EQ(StatusOf(p), PledgeStatus::kPending);
  EXPECT_EQ(TotalsOf(c).conditional_minor, 0);
  ExpectRefused(b_, ConditionBody(p, v1::CONDITION_OUTCOME_RELEASED),
                absl::StatusCode::kAlreadyExists, "already resolved");
  // Met for good: an amendment that keeps the condition text does not make it conditional.
  Accept(b_, AmendmentBody(p, Conditional(TestTerms(1'200))));
  EXPECT_EQ(StatusOf(p), PledgeStatus::kPending);
}

TEST_F(FundraisingLedgerTest, ReleasedPledgeLapses) {
  const EventId c = OpenCampaign();
  const EventId p = Accept(b_, PledgeBody(c, Conditional(TestTerms(1'000))));
  const EventId q = Accept(b_, PledgeBody(c, TestTerms(500)));
  ExpectRefused(b_, ConditionBody(q, v1::CONDITION_OUTCOME_WAIVED),
                absl::StatusCode::kFailedPrecondition, "no condition");
  Accept(b_, ConditionBody(p, v1::CONDITION_OUTCOME_RELEASED));
  EXPECT_EQ(StatusOf(p), PledgeStatus::kLapsed);
  EXPECT_EQ(PledgeOf(p).lapse, LapseReason::kReleased);
  EXPECT_EQ(LapseReasonText(PledgeOf(p).lapse), "released by the pledger's right of release");
  EXPECT_EQ(TotalsOf(c).lapsed_minor, 1'000);
  EXPECT_EQ(TotalsOf(c).pledge_count, 1u);
  ExpectRefused(a_, PaymentBody(p, 10), absl::StatusCode::kFailedPrecondition, "lapsed");
  ExpectRefused(b_, AmendmentBody(p, TestTerms(900)), absl::StatusCode::kFailedPrecondition,
                "lapsed");
}

TEST_F(FundraisingLedgerTest, CancelledIsSticky) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), TestTerms(1'000)));
  ExpectRefused(a_, CancellationBody(p), absl::StatusCode::kPermissionDenied,
                "only the pledger may cancel");
  ExpectRefused(a_, AmendmentBody(p, TestTerms(2'000)), absl::StatusCode::kPermissionDenied,
                "only the pledger may amend");
  ExpectRefused(b_, PaymentBody(p, 100), absl::StatusCode::kPermissionDenied, "fiscal host");
  Accept(b_, CancellationBody(p));
  EXPECT_EQ(StatusOf(p, kFarMs), PledgeStatus::kCancelled);
  ExpectRefused(b_, CancellationBody(p), absl::StatusCode::kFailedPrecondition, "is cancelled");
  ExpectRefused(b_, AmendmentBody(p, TestTerms(1'000)), absl::StatusCode::kFailedPrecondition,
                "is cancelled");
}

// ---------------------------------------------------------------------------------------------
// Amendments

TEST_F(FundraisingLedgerTest, PaidInstallmentsAreNeverRewritten) {
  const EventId p = Accept(
      b_, PledgeBody(OpenCampaign(),
                     TestTermsWithInstallments({{kFarMs, 300}, {kFarMs + 10, 300}, {kFarMs + 20, 400}})));
  Accept(a_, PaymentBody(p, 450));  // the first paid in full, the second in part
  ExpectRefused(b_, AmendmentBody(p, TestTermsWithInstallments({{kFarMs + 5, 300}, {kFarMs + 30, 700}})),
                absl::StatusCode::kFailedPrecondition, "paid installments are never rewritten");
  // The unpaid remainder is re-scheduled as the amendment says.
  Accept(b_, AmendmentBody(p, TestTermsWithInstallments({{kFarMs, 300}, {kFarMs + 30, 500}})));
  const PledgeState& pledge = PledgeOf(p);
  const std::vector<InstallmentPosition> lines = DeriveInstallments(pledge, 0);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].paid_minor, 300);
  EXPECT_EQ(lines[1].paid_minor, 150);  // the shortfall rolls forward
  EXPECT_EQ(lines[1].outstanding_minor, 350);
}

TEST_F(FundraisingLedgerTest, InstallmentIsNeverBothPaidAndWrittenOffInTheSamePart) {
  const EventId p = Accept(
      b_, PledgeBody(OpenCampaign(), TestTermsWithInstallments({{kFarMs, 500}, {kFarMs + 10, 500}})));
  Accept(a_, PaymentBody(p, 700));
  const EventId decision = DecideWriteOff(p, 100);
  Accept(a_, WriteOffBody(p, decision, 100));
  const std::vector<InstallmentPosition> lines = DeriveInstallments(PledgeOf(p), 0);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].paid_minor, 500);
  EXPECT_EQ(lines[0].written_off_minor, 0);
  // Paid oldest first, written off newest first: the second installment shows both lines.
  EXPECT_EQ(lines[1].paid_minor, 200);
  EXPECT_EQ(lines[1].written_off_minor, 100);
  EXPECT_EQ(lines[1].outstanding_minor, 200);
}

// ---------------------------------------------------------------------------------------------
// Assurance threshold (PROTOCOL §5.11.2)

TEST_F(FundraisingLedgerTest, ThresholdMetMakesPledgesBind) {
  v1::Campaign campaign = TestCampaign(1'000'000);
  *campaign.mutable_assurance_threshold() = MakeMoney(1'500);
  campaign.set_assurance_deadline_ms(50'000);
  const EventId c = OpenCampaign(campaign);
  const EventId pa = Accept(a_, PledgeBody(c, TestTerms(1'000)));
  const EventId pb = Accept(b_, PledgeBody(c, TestTerms(600)));
  EXPECT_EQ(StatusOf(pa), PledgeStatus::kConditional);
  EXPECT_EQ(TotalsOf(c).conditional_minor, 1'600);
  ExpectRefused(a_, PaymentBody(pb, 100), absl::StatusCode::kFailedPrecondition,
                "conditional on the threshold");
  Accept(a_, UnappliedPaymentBody(pb, 100));
  // Both members pass the deadline (any record does): settled and met.
  const EventId other = OpenCampaign();
  Accept(a_, PledgeBody(other, TestTerms(1)), Hlc{60'000, 0});
  EXPECT_EQ(Ledger().campaigns().at(c).threshold, ThresholdState::kPending);
  Accept(b_, PledgeBody(other, TestTerms(1)), Hlc{60'001, 0});
  EXPECT_EQ(Ledger().campaigns().at(c).threshold, ThresholdState::kMet);
  EXPECT_EQ(StatusOf(pb), PledgeStatus::kPending);
  EXPECT_EQ(TotalsOf(c).conditional_minor, 0);
  Accept(a_, PaymentBody(pb, 600));
  EXPECT_EQ(StatusOf(pb), PledgeStatus::kCompleted);
  // After the deadline, pledges are taken once the threshold is met.
  Accept(b_, PledgeBody(c, TestTerms(10)));
}

TEST_F(FundraisingLedgerTest, ThresholdNotMetLapsesEveryPledge) {
  v1::Campaign campaign = TestCampaign(1'000'000);
  campaign.set_assurance_member_count(2);
  campaign.set_assurance_deadline_ms(50'000);
  const EventId c = OpenCampaign(campaign);
  const EventId pb = Accept(b_, PledgeBody(c, TestTerms(600)));
  ExpectRefused(b_, PledgeBody(c, TestTerms(100)), absl::StatusCode::kFailedPrecondition,
                "not settled and met", Hlc{55'000, 0});
  const EventId other = OpenCampaign();
  Accept(a_, PledgeBody(other, TestTerms(1)), Hlc{60'000, 0});
  Accept(b_, PledgeBody(other, TestTerms(1)), Hlc{60'001, 0});
  EXPECT_EQ(Ledger().campaigns().at(c).threshold, ThresholdState::kNotMet);
  EXPECT_EQ(StatusOf(pb), PledgeStatus::kLapsed);
  EXPECT_EQ(LapseReasonText(PledgeOf(pb).lapse), "assurance threshold not met");
  EXPECT_EQ(TotalsOf(c).lapsed_minor, 600);
  EXPECT_EQ(TotalsOf(c).pledged_minor, 0);
  ExpectRefused(a_, PaymentBody(pb, 100), absl::StatusCode::kFailedPrecondition, "lapsed");
  ExpectRefused(b_, PledgeBody(c, TestTerms(100)), absl::StatusCode::kFailedPrecondition,
                "did not reach");
  Accept(a_, UnappliedPaymentBody(pb, 100));
}

// ---------------------------------------------------------------------------------------------
// Concurrency: the same state in every fold order (PROTOCOL §5.11.9).

// Every linear extension of `events` (a causal order) among `tries` seeded shuffles: events are
// taken in random order among those whose parents were taken.
std::vector<std::vector<const VerifiedEvent*>> LinearExtensions(
    const std::deque<VerifiedEvent>& events, int tries) {
  std::vector<std::vector<const VerifiedEvent*>> out;
  std::mt19937 rng(42);
  for (int t = 0; t < tries; ++t) {
    std::vector<const VerifiedEvent*> order;
    std::set<EventId> taken;
    std::vector<const VerifiedEvent*> left;
    for (const VerifiedEvent& e : events) left.push_back(&e);
    while (!left.empty()) {
      std::vector<size_t> ready;
      for (size_t i = 0; i < left.size(); ++i) {
        bool ok = true;
        for (const EventId& parent : ::constellation::testing::ParentsOf(*left[i])) {
          ok = ok && taken.contains(parent);
        }
        if (left[i] == &events.front() || (ok && taken.contains(events.front().id))) {
          ready.push_back(i);
        }
      }
      const size_t pick = ready[std::uniform_int_distribution<size_t>(0, ready.size() - 1)(rng)];
      order.push_back(left[pick]);
      taken.insert(left[pick]->id);
      left.erase(left.begin() + static_cast<std::ptrdiff_t>(pick));
    }
    out.push_back(order);
  }
  return out;
}

// Folds `order` into a fresh state and returns it.
GroupState FoldInOrder(const GroupId& group, const std::vector<const VerifiedEvent*>& order) {
  GroupState state(group);
  for (const VerifiedEvent* e : order) state.Apply(*e);
  state.CheckInvariants();
  return state;
}

class ConcurrencyTest : public FundraisingLedgerTest {
 protected:
  // Writes `body` by `author` concurrent with everything after `seen` (its deps: `seen` only).
  EventId Concurrent(const SigningKey& author, const v1::Event& body,
                     const std::vector<EventId>& seen) {
    const VerifiedEvent e = h_.AppendWithDeps(author, body, seen);
    return e.id;
  }
  // Folds the history in many linear extensions; every fold has the same hash as the group.
  // Returns one of the folds (they are all equal).
  void ExpectSameStateInEveryOrder() {
    std::set<std::string> hashes;
    for (const auto& order : LinearExtensions(h_.events(), 24)) {
      hashes.insert(HashHex(FoldInOrder(h_.group(), order).Hash()));
    }
    for (const VerifiedEvent& e : h_.events()) {
      if (!group_.Find(e.id)) {
        ASSERT_TRUE(group_.Insert(e).ok());
      }
    }
    hashes.insert(HashHex(group_.state().Hash()));
    EXPECT_EQ(hashes.size(), 1u) << "fold orders disagree";
  }
};

TEST_F(ConcurrencyTest, PaymentConcurrentWithCancellationIsUnapplied) {
  const EventId c = OpenCampaign();
  const EventId p = Accept(b_, PledgeBody(c, TestTerms(1'000)));
  const EventId b_head = h_.Chain(b_.public_key()).back();
  const EventId a_head = h_.Chain(a_.public_key()).back();
  Concurrent(a_, PaymentBody(p, 400), {b_head});  // the host saw the pledge, not the cancel
  Concurrent(b_, CancellationBody(p), {a_head});
  ExpectSameStateInEveryOrder();
  EXPECT_TRUE(PledgeOf(p).cancelled);
  EXPECT_EQ(PledgeOf(p).received_minor, 0);
  EXPECT_EQ(PledgeOf(p).unapplied_minor, 400);  // never lost: to refund or re-allocate
  EXPECT_EQ(TotalsOf(c).unapplied_minor, 400);
  EXPECT_EQ(TotalsOf(c).cancelled_minor, 1'000);
}

TEST_F(ConcurrencyTest, PaymentBeyondAConcurrentlyLoweredAmountIsUnapplied) {
  const EventId c = OpenCampaign();
  const EventId p = Accept(b_, PledgeBody(c, TestTerms(1'000)));
  Accept(a_, PaymentBody(p, 300));
  const EventId b_head = h_.Chain(b_.public_key()).back();
  const EventId a_head = h_.Chain(a_.public_key()).back();
  Concurrent(a_, PaymentBody(p, 600), {b_head});             // outstanding 700 in its past
  Concurrent(b_, AmendmentBody(p, TestTerms(500)), {a_head});  // settled 300 in its past
  ExpectSameStateInEveryOrder();
  EXPECT_EQ(PledgeOf(p).terms.amount.amount_minor, 500);
  EXPECT_EQ(PledgeOf(p).received_minor, 500);
  EXPECT_EQ(PledgeOf(p).unapplied_minor, 400);  // the newest payment's excess
  EXPECT_EQ(StatusOf(p), PledgeStatus::kCompleted);
}

// A write-off and a payment are both written by the campaign's fiscal host, so they are never
// concurrent (one chain): the later one sees the earlier. What can be concurrent with a
// write-off is the pledger's amendment or cancellation.
TEST_F(ConcurrencyTest, WriteOffAfterAPaymentTakesEffectOnWhatIsOutstanding) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), TestTerms(1'000)));
  const EventId decision = DecideWriteOff(p, 500);
  Accept(a_, PaymentBody(p, 600));
  ExpectRefused(a_, WriteOffBody(p, decision, 500), absl::StatusCode::kFailedPrecondition,
                "exceeds the 4.00 EUR outstanding");
}

TEST_F(ConcurrencyTest, WriteOffConcurrentWithALowerAmountTakesEffectUpToWhatIsLeft) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), TestTerms(1'000)));
  Accept(a_, PaymentBody(p, 300));
  const EventId decision = DecideWriteOff(p, 500);
  const EventId b_head = h_.Chain(b_.public_key()).back();
  const EventId a_head = h_.Chain(a_.public_key()).back();
  const EventId write_off = Concurrent(a_, WriteOffBody(p, decision, 500), {b_head});
  Concurrent(b_, AmendmentBody(p, TestTerms(600)), {a_head});
  ExpectSameStateInEveryOrder();
  EXPECT_EQ(PledgeOf(p).received_minor, 300);
  EXPECT_EQ(PledgeOf(p).written_off_minor, 300);  // 500 decided, 300 left to write off
  EXPECT_EQ(StatusOf(p), PledgeStatus::kWrittenOff);
  for (const PledgeEntry& entry : PledgeOf(p).history) {
    if (entry.event == write_off) {
      EXPECT_EQ(entry.applied_minor, 300);
    }
  }
}

TEST_F(ConcurrencyTest, WriteOffConcurrentWithCancellationHasNoEffect) {
  const EventId c = OpenCampaign();
  const EventId p = Accept(b_, PledgeBody(c, TestTerms(1'000)));
  const EventId decision = DecideWriteOff(p, 200);
  const EventId b_head = h_.Chain(b_.public_key()).back();
  const EventId a_head = h_.Chain(a_.public_key()).back();
  Concurrent(a_, WriteOffBody(p, decision, 200), {b_head});
  Concurrent(b_, CancellationBody(p), {a_head});
  ExpectSameStateInEveryOrder();
  EXPECT_EQ(PledgeOf(p).written_off_minor, 0);
  EXPECT_EQ(TotalsOf(c).cancelled_minor, 1'000);
}

TEST_F(ConcurrencyTest, ConcurrentConditionResolutionsTheEarlierStampWins) {
  const EventId p = Accept(b_, PledgeBody(OpenCampaign(), Conditional(TestTerms(1'000))));
  const EventId b_head = h_.Chain(b_.public_key()).back();
  const EventId a_head = h_.Chain(a_.public_key()).back();
  const Hlc later{h_.Get(b_head).hlc.wall_ms + 50, 0};
  const Hlc earlier{h_.Get(b_head).hlc.wall_ms + 10, 0};
  h_.AppendWithDeps(a_, ConditionBody(p, v1::CONDITION_OUTCOME_MET), {b_head}, later);
  h_.AppendWithDeps(b_, ConditionBody(p, v1::CONDITION_OUTCOME_RELEASED), {a_head}, earlier);
  ExpectSameStateInEveryOrder();
  EXPECT_EQ(PledgeOf(p).condition, ConditionOutcome::kReleased);
  EXPECT_EQ(StatusOf(p), PledgeStatus::kLapsed);
}

// ---------------------------------------------------------------------------------------------
// Property: for random schedules, amendments, payments and write-offs every pledge reconciles,
// in total and per installment.

void ExpectReconciles(const PledgeState& p) {
  const int64_t amount = p.terms.amount.amount_minor;
  EXPECT_EQ(p.received_minor + p.written_off_minor + p.outstanding_minor() + p.dropped_minor(),
            amount);
  int64_t paid = 0, written_off = 0, outstanding = 0;
  for (const InstallmentPosition& line : DeriveInstallments(p, 0)) {
    EXPECT_EQ(line.paid_minor + line.written_off_minor + line.outstanding_minor +
                  line.dropped_minor,
              line.amount_minor);
    paid += line.paid_minor;
    written_off += line.written_off_minor;
    outstanding += line.outstanding_minor;
  }
  EXPECT_EQ(paid, p.received_minor);
  EXPECT_EQ(written_off, p.written_off_minor);
  EXPECT_EQ(outstanding, p.outstanding_minor());
}

v1::PledgeTerms RandomSchedule(std::mt19937& rng, int64_t amount, const PledgeTerms* keep,
                               int64_t keep_received) {
  std::vector<std::pair<uint64_t, int64_t>> installments;
  int64_t left = amount;
  uint64_t due = kFarMs;
  if (keep != nullptr) {  // keep the fully paid prefix
    int64_t cumulated = 0;
    for (const InstallmentDue& in : keep->installments) {
      if (cumulated + in.amount_minor > keep_received || in.amount_minor > left) break;
      cumulated += in.amount_minor;
      installments.push_back({in.due_ms, in.amount_minor});
      left -= in.amount_minor;
      due = in.due_ms;
    }
  }
  const int count = std::uniform_int_distribution<int>(0, 4)(rng);
  for (int i = 0; i < count && left > 1; ++i) {
    const int64_t part = std::uniform_int_distribution<int64_t>(1, left - 1)(rng);
    due += std::uniform_int_distribution<uint64_t>(0, 1'000)(rng);
    installments.push_back({due, part});
    left -= part;
  }
  if (left > 0 && (!installments.empty() || count > 0)) {
    installments.push_back({due + 1, left});
    left = 0;
  }
  if (installments.empty()) return TestTerms(amount);
  return TestTermsWithInstallments(installments);
}

TEST_F(FundraisingLedgerTest, RandomHistoriesReconcile) {
  std::mt19937 rng(7);
  const EventId c = OpenCampaign();
  std::vector<EventId> pledges;
  for (int step = 0; step < 160; ++step) {
    const int action = std::uniform_int_distribution<int>(0, 9)(rng);
    if (pledges.empty() || action == 0) {
      const int64_t amount = std::uniform_int_distribution<int64_t>(1, 5'000)(rng);
      pledges.push_back(Accept(b_, PledgeBody(c, RandomSchedule(rng, amount, nullptr, 0))));
      continue;
    }
    const EventId p = pledges[std::uniform_int_distribution<size_t>(0, pledges.size() - 1)(rng)];
    const PledgeState& pledge = PledgeOf(p);
    const int64_t outstanding = pledge.outstanding_minor();
    const int64_t some = std::uniform_int_distribution<int64_t>(1, 6'000)(rng);
    switch (action) {
      case 1:
      case 2:
      case 3:
        (void)Try(a_, PaymentBody(p, std::min(some, std::max<int64_t>(outstanding, 1))));
        break;
      case 4:
        (void)Try(a_, UnappliedPaymentBody(p, some));
        break;
      case 5:
      case 6: {
        const int64_t amount = pledge.settled_minor() + some % 3'000;
        (void)Try(b_, AmendmentBody(p, RandomSchedule(rng, std::max<int64_t>(amount, 1),
                                                      &pledge.terms, pledge.received_minor)));
        break;
      }
      case 7:
        if (outstanding > 0) {
          const int64_t amount = std::uniform_int_distribution<int64_t>(1, outstanding)(rng);
          const EventId decision = DecideWriteOff(p, amount);
          EXPECT_OK(Try(a_, WriteOffBody(p, decision, amount)));
        }
        break;
      case 8:
        if (step % 5 == 0) (void)Try(b_, CancellationBody(p));
        break;
      default:
        (void)Try(a_, PaymentBody(p, some));  // often more than outstanding: refused
        break;
    }
    group_.state().CheckInvariants();
    for (const EventId& id : pledges) ExpectReconciles(PledgeOf(id));
  }
  // The kept totals are the sums over the pledges (CheckInvariants checks it too).
  int64_t pledged = 0, received = 0, outstanding = 0;
  for (const EventId& id : pledges) {
    const PledgeState& p = PledgeOf(id);
    if (p.closed()) continue;
    pledged += p.terms.amount.amount_minor;
    received += p.received_minor;
    outstanding += p.outstanding_minor();
  }
  EXPECT_EQ(TotalsOf(c).pledged_minor, pledged);
  EXPECT_EQ(TotalsOf(c).received_minor, received);
  EXPECT_EQ(TotalsOf(c).outstanding_minor, outstanding);
}

}  // namespace
}  // namespace constellation::core
