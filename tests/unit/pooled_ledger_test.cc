// tests/unit/pooled_ledger_test.cc
//
// The pooled-resources ledger (server/core/pooled/pooled_ledger.h, docs/PROTOCOL.md §5.10):
// every rule and refusal of contributions (valuation, FX, reversals), funds, receipts and
// disbursements; a refused record leaves the pooled state (its part of the state hash)
// unchanged; drawdown statuses, with two concurrent drawdowns that overdraw a fund (exactly one
// approved, the same in every arrival order); benefit shares.
#include "server/core/pooled/pooled_ledger.h"

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "server/core/records.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/ledger_test.h"
#include "tests/testing/pooled_events.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::CashContributionBody;
using ::constellation::testing::CreateFundProposalBody;
using ::constellation::testing::DisbursementBody;
using ::constellation::testing::DrawdownBody;
using ::constellation::testing::FundBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::LedgerTest;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::MakeMoney;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::ReceiptBody;
using ::constellation::testing::ReversalBody;
using ::constellation::testing::StaffTimeBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestFund;
using ::constellation::testing::TestKey;
using ::testing::HasSubstr;

// The pooled ledger's part of the state hash.
std::string PooledHash(const GroupState& state) {
  StateHasher h;
  Pooled(state).HashInto(h);
  return HashHex(h.Finish());
}

v1::Charter PooledCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() = MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_ALLOCATE_FUNDS, v1::DECISION_PROCESS_CONSENT);
  v1::StandardRate* rate = c.add_standard_rates();
  rate->set_kind(v1::CONTRIBUTION_KIND_STAFF_TIME);
  rate->set_unit("hour");
  *rate->mutable_rate() = MakeMoney(8'500);
  return c;
}

class PooledLedgerTest : public LedgerTest {
 protected:
  PooledLedgerTest() : LedgerTest(PooledCharter(), PooledHash) {
    Admit(bea_);
    Admit(cal_);
  }

  // A fund held by `host`, created by decision.
  EventId MakeFund(const SigningKey& host, const std::string& currency = "EUR") {
    v1::Fund f = TestFund(host.public_key(), currency);
    EventId p = Decide(founder_, CreateFundProposalBody(f));
    return Ok(host, FundBody(f, p));
  }
  // A fund held by `host` under a donor restriction of `kind` with `text`, created by decision.
  EventId MakeRestrictedFund(const SigningKey& host, v1::RestrictionKind kind,
                             const std::string& text, const std::string& name = "Restricted") {
    v1::Fund f = TestFund(host.public_key(), "EUR", name);
    f.mutable_restriction()->set_kind(kind);
    f.mutable_restriction()->set_text(text);
    return Ok(host, FundBody(f, Decide(founder_, CreateFundProposalBody(f))));
  }
  // Cash of `amount` from `who` into `fund`, receipted by the host.
  EventId PayIn(const SigningKey& who, const SigningKey& host, const EventId& fund,
                int64_t amount) {
    EventId c = Ok(who, CashContributionBody(amount, "EUR", &fund));
    Ok(host, ReceiptBody(c, amount));
    return c;
  }
  const FundState& FundOf(const EventId& id) { return Pooled(state()).funds().at(id); }
  DrawdownView DrawdownOf(const EventId& proposal) {
    for (const DrawdownView& d : Drawdowns(state())) {
      if (d.proposal == proposal) return d;
    }
    ADD_FAILURE() << "no drawdown " << proposal.ShortHex();
    return {};
  }
};

// ---------------------------------------------------------------------------------------------
// Contributions

TEST_F(PooledLedgerTest, AnEmptyLedgerAddsNothingToTheStateHash) {
  StateHasher h;
  Pooled(state()).HashInto(h);
  EXPECT_EQ(HashHex(h.Finish()), HashHex(StateHasher().Finish()));
}

TEST_F(PooledLedgerTest, MembersRecordCashAndInKindContributions) {
  EventId cash = Ok(bea_, CashContributionBody(50'000));
  EventId time = Ok(cal_, StaffTimeBody(12'500, 8'500));  // 12.5 h at 85.00 = 1062.50
  const PooledLedger& pooled = Pooled(state());
  EXPECT_EQ(pooled.contributions().at(cash).value.amount_minor, 50'000);
  EXPECT_EQ(pooled.contributions().at(time).value.amount_minor, 106'250);
  EXPECT_EQ(pooled.net_contributed().at({cal_.public_key(), "EUR"}), 106'250);
  ASSERT_EQ(pooled.entries().size(), 2u);
  EXPECT_EQ(pooled.entries()[1].kind, PooledEntryKind::kContribution);
}

TEST_F(PooledLedgerTest, NonMembersCannotContribute) {
  EXPECT_THAT(Write(outsider_, CashContributionBody(100)),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(PooledLedgerTest, StatelessRulesRefuseBadContributions) {
  v1::Event no_kind = CashContributionBody(100);
  no_kind.mutable_contribution()->clear_kind();
  EXPECT_THAT(Write(bea_, no_kind),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("contribution.kind")));
  v1::Event no_unit = StaffTimeBody(1'000, 100);
  no_unit.mutable_contribution()->clear_unit();
  EXPECT_THAT(Write(bea_, no_unit),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("contribution.unit")));
  v1::Event wrong_value = StaffTimeBody(1'000, 100);
  wrong_value.mutable_contribution()->mutable_value()->set_amount_minor(101);
  EXPECT_THAT(Write(bea_, wrong_value),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("round half up")));
  v1::Event zero = CashContributionBody(100);
  zero.mutable_contribution()->mutable_value()->set_amount_minor(0);
  EXPECT_THAT(Write(bea_, zero), StatusIs(absl::StatusCode::kInvalidArgument));
  v1::Event goods_into_fund = StaffTimeBody(1'000, 100);
  goods_into_fund.mutable_contribution()->set_fund_id(std::string(32, '\x01'));
  EXPECT_THAT(Write(bea_, goods_into_fund),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only cash")));
  EXPECT_TRUE(Pooled(state()).contributions().empty());
}

TEST_F(PooledLedgerTest, ValuationRoundsHalfUp) {
  EXPECT_EQ(ValuationMinor(1'500, 3), 5);  // 4.5 -> 5
  EXPECT_EQ(ValuationMinor(1'499, 3), 4);  // 4.497 -> 4
  EXPECT_EQ(ValuationMinor(12'500, 8'500), 106'250);
}

TEST_F(PooledLedgerTest, ConvertedValueNeedsRateSourceAndDate) {
  v1::Event c = CashContributionBody(92'000);  // 920.00 EUR
  *c.mutable_contribution()->mutable_original_value() = MakeMoney(100'000, "USD");
  EXPECT_THAT(Write(bea_, c), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("converted without rate and source")));
  v1::FxRate* fx = c.mutable_contribution()->mutable_fx();
  fx->set_from_currency("USD");
  fx->set_to_currency("EUR");
  fx->set_rate_micros(920'000);
  fx->set_as_of_ms(500);
  EXPECT_THAT(Write(bea_, c), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("source")));
  fx->set_source("ECB reference rate");
  fx->set_rate_micros(920'001);  // 920.00001 -> value 92000 still (rounds)
  EXPECT_OK(Write(bea_, c));
  fx->set_rate_micros(930'000);
  EXPECT_THAT(Write(bea_, c), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("converts")));
  // Exponents: 1000 JPY at 0.006123 EUR/JPY = 6.123 EUR -> 6.12 EUR.
  v1::FxRate yen;
  yen.set_from_currency("JPY");
  yen.set_to_currency("EUR");
  yen.set_rate_micros(6'123);
  EXPECT_EQ(ConvertedMinor(1'000, yen), 612);
  fx->set_rate_micros(0);
  EXPECT_THAT(Write(bea_, c),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rate_micros")));
}

TEST_F(PooledLedgerTest, StandardRateIsTheCharters) {
  EXPECT_OK(Write(bea_, StaffTimeBody(2'000, 8'500, v1::VALUATION_METHOD_STANDARD_RATE)));
  EXPECT_THAT(Write(bea_, StaffTimeBody(2'000, 9'000, v1::VALUATION_METHOD_STANDARD_RATE)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("standard rate")));
  v1::Event day = StaffTimeBody(2'000, 8'500, v1::VALUATION_METHOD_STANDARD_RATE);
  day.mutable_contribution()->set_unit("day");
  EXPECT_THAT(Write(bea_, day),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no standard rate")));
}

TEST(PooledCharterTest, StandardRatesAreOnePerKindAndUnit) {
  v1::Charter c = PooledCharter();
  EXPECT_OK(ValidateCharter(c, "charter"));
  *c.add_standard_rates() = c.standard_rates(0);
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("two rates")));
  c.mutable_standard_rates(1)->set_unit("day");
  EXPECT_OK(ValidateCharter(c, "charter"));
  c.mutable_standard_rates(1)->mutable_rate()->set_amount_minor(0);
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("standard_rates.rate")));
}

TEST_F(PooledLedgerTest, CorrectionsAreReversingEntries) {
  v1::Event body = CashContributionBody(7'000);
  EventId c = Ok(bea_, body);
  EXPECT_THAT(Write(cal_, ReversalBody(body, c)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only its contributor")));
  v1::Event other_value = ReversalBody(CashContributionBody(6'000), c);
  EXPECT_THAT(Write(bea_, other_value),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("repeats the kind")));
  EXPECT_THAT(Write(bea_, ReversalBody(body, EventId::FromArray({9}))),
              StatusIs(absl::StatusCode::kNotFound));
  EventId r = Ok(bea_, ReversalBody(body, c));
  EXPECT_THAT(Write(bea_, ReversalBody(body, c)),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already reversed")));
  EXPECT_THAT(Write(bea_, ReversalBody(body, r)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("itself a reversal")));
  const PooledLedger& pooled = Pooled(state());
  EXPECT_EQ(pooled.contributions().at(c).reversed_by, r);
  EXPECT_EQ(pooled.net_contributed().at({bea_.public_key(), "EUR"}), 0);
  EXPECT_EQ(pooled.entries().back().kind, PooledEntryKind::kReversal);
  // The corrected entry is a new contribution.
  Ok(bea_, CashContributionBody(6'000));
  EXPECT_EQ(Pooled(state()).net_contributed().at({bea_.public_key(), "EUR"}), 6'000);
}

// Amounts are bounded, counts are not: a contribution that would take a member's total past
// int64 is refused naming the limit, never wrapped or saturated.
TEST(PooledOverflowTest, TotalsBeyondInt64AreRefused) {
  const SigningKey founder = TestKey('a');
  HistoryBuilder history(founder, PooledCharter());
  GroupState state(history.group());
  state.Apply(history.genesis());
  const int64_t max = limits::kMoneyAmountMinorMax;
  const int64_t fits = INT64_MAX / max;  // 9223 contributions of the largest amount fit
  for (int64_t i = 0; i < fits; ++i) {
    VerifiedEvent e = history.Append(founder, CashContributionBody(max));
    ASSERT_OK(state.Check(e));
    state.Apply(e);
  }
  VerifiedEvent over = history.Append(founder, CashContributionBody(max));
  EXPECT_THAT(state.Check(over),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("would exceed int64")));
  EXPECT_EQ(Pooled(state).net_contributed().at({founder.public_key(), "EUR"}), fits * max);
  // Another currency has its own total.
  EXPECT_OK(state.Check(history.Append(founder, CashContributionBody(max, "USD"))));
}

// ---------------------------------------------------------------------------------------------
// Funds and receipts

TEST_F(PooledLedgerTest, FundIsCreatedOnlyFromAPassedDecisionByItsHost) {
  v1::Fund f = TestFund(bea_.public_key());
  EventId open = Ok(founder_, CreateFundProposalBody(f));
  EXPECT_THAT(Write(bea_, FundBody(f, open)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not final")));
  for (const SigningKey* w : writers_) Ok(*w, StanceBody(open, v1::STANCE_CHOICE_AGREE));
  AckAll(open);
  EXPECT_THAT(Write(cal_, FundBody(f, open)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("fiscal host")));
  v1::Fund renamed = f;
  renamed.set_name("Another name");
  EXPECT_THAT(Write(bea_, FundBody(renamed, open)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("differs")));
  EXPECT_THAT(Write(bea_, FundBody(f, history_.genesis().id)),
              StatusIs(absl::StatusCode::kNotFound));
  EventId fund = Ok(bea_, FundBody(f, open));
  EXPECT_THAT(Write(bea_, FundBody(f, open)), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(FundOf(fund).fiscal_host, bea_.public_key());
  EXPECT_EQ(FundOf(fund).balance_minor(), 0);
}

TEST_F(PooledLedgerTest, ReceiptAddsCashToTheFundBalance) {
  EventId fund = MakeFund(bea_);
  EXPECT_THAT(Write(cal_, CashContributionBody(500, "USD", &fund)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holds EUR")));
  EventId c = Ok(cal_, CashContributionBody(30'000, "EUR", &fund));
  EXPECT_EQ(FundOf(fund).balance_minor(), 0);  // not yet confirmed
  EXPECT_THAT(Write(cal_, ReceiptBody(c, 30'000)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("fiscal host")));
  EXPECT_THAT(Write(bea_, ReceiptBody(c, 29'999)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("whole value")));
  EXPECT_THAT(Write(bea_, ReceiptBody(c, 30'000, "EUR", 999'999'999)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("received in the future")));
  EventId loose = Ok(cal_, CashContributionBody(100));
  EXPECT_THAT(Write(bea_, ReceiptBody(loose, 100)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not cash paid into")));
  EXPECT_THAT(Write(bea_, ReceiptBody(EventId::FromArray({7}), 100)),
              StatusIs(absl::StatusCode::kNotFound));
  Ok(bea_, ReceiptBody(c, 30'000));
  EXPECT_EQ(FundOf(fund).received_minor, 30'000);
  EXPECT_EQ(FundOf(fund).balance_minor(), 30'000);
  EXPECT_THAT(Write(bea_, ReceiptBody(c, 30'000)), StatusIs(absl::StatusCode::kAlreadyExists));
  // Receipted cash cannot be reversed.
  EXPECT_THAT(Write(cal_, ReversalBody(CashContributionBody(30'000, "EUR", &fund), c)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("ask the fiscal host")));
}

TEST_F(PooledLedgerTest, ReversedCashIsNotReceipted) {
  EventId fund = MakeFund(bea_);
  v1::Event body = CashContributionBody(400, "EUR", &fund);
  EventId c = Ok(cal_, body);
  Ok(cal_, ReversalBody(body, c));
  EXPECT_THAT(Write(bea_, ReceiptBody(c, 400)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("reversed")));
}

TEST_F(PooledLedgerTest, ConcurrentReversalAndReceiptBothStand) {
  EventId fund = MakeFund(bea_);
  v1::Event body = CashContributionBody(900, "EUR", &fund);
  EventId c = Ok(cal_, body);
  // The reversal and the receipt do not see each other.
  const std::vector<EventId> heads = history_.Heads();
  std::vector<EventId> cal_deps, bea_deps;
  for (const EventId& h : heads) {
    if (history_.Get(h).author != cal_.public_key()) cal_deps.push_back(h);
    if (history_.Get(h).author != bea_.public_key()) bea_deps.push_back(h);
  }
  VerifiedEvent reversal = history_.AppendWithDeps(cal_, ReversalBody(body, c), cal_deps);
  VerifiedEvent receipt = history_.AppendWithDeps(bea_, ReceiptBody(c, 900), bea_deps);
  EXPECT_OK(Put(reversal));
  EXPECT_OK(Put(receipt));
  const ContributionState& s = Pooled(state()).contributions().at(c);
  EXPECT_TRUE(s.reversed_after_receipt);
  EXPECT_EQ(FundOf(fund).balance_minor(), 900);  // the money is there
  EXPECT_EQ(Pooled(state()).net_contributed().at({cal_.public_key(), "EUR"}), 0);
}

// ---------------------------------------------------------------------------------------------
// Drawdowns and disbursements

TEST_F(PooledLedgerTest, DisbursementNeedsAFinalPassedDrawdownAndTheBalance) {
  EventId fund = MakeFund(bea_);
  PayIn(cal_, bea_, fund, 10'000);
  EventId open = Ok(cal_, DrawdownBody(fund, 4'000, cal_.public_key()));
  EXPECT_EQ(DrawdownOf(open).status, DrawdownStatus::kProposed);
  EXPECT_THAT(Write(bea_, DisbursementBody(open, 4'000)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not final")));
  for (const SigningKey* w : writers_) Ok(*w, StanceBody(open, v1::STANCE_CHOICE_AGREE));
  AckAll(open);
  EXPECT_EQ(DrawdownOf(open).status, DrawdownStatus::kApproved);
  EXPECT_EQ(ApprovedUndisbursedMinor(Drawdowns(state()), fund), 4'000);
  EXPECT_THAT(Write(cal_, DisbursementBody(open, 4'000)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("fiscal host")));
  EXPECT_THAT(Write(bea_, DisbursementBody(open, 3'000)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("disburse exactly")));
  EventId d = Ok(bea_, DisbursementBody(open, 4'000));
  EXPECT_EQ(DrawdownOf(open).status, DrawdownStatus::kDisbursed);
  EXPECT_EQ(DrawdownOf(open).disbursement, d);
  EXPECT_EQ(FundOf(fund).balance_minor(), 6'000);
  EXPECT_THAT(Write(bea_, DisbursementBody(open, 4'000)),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already disbursed")));
  // Beyond the balance: refused by the rule, shown refused by the queue.
  EventId big = Decide(cal_, DrawdownBody(fund, 7'000, cal_.public_key()));
  EXPECT_EQ(DrawdownOf(big).status, DrawdownStatus::kRefused);
  EXPECT_THAT(DrawdownOf(big).reason, HasSubstr("60.00 EUR available"));
  EXPECT_THAT(Write(bea_, DisbursementBody(big, 7'000)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("never overdrawn")));
  EXPECT_EQ(FundOf(fund).balance_minor(), 6'000);
}

TEST_F(PooledLedgerTest, RejectedDrawdownIsNotDisbursed) {
  EventId fund = MakeFund(bea_);
  PayIn(cal_, bea_, fund, 10'000);
  EventId p = Ok(cal_, DrawdownBody(fund, 1'000, cal_.public_key()));
  Ok(founder_, StanceBody(p, v1::STANCE_CHOICE_BLOCK, "not in the plan"));
  Ok(cal_, ProposalCloseBody(p));
  AckAll(p);
  EXPECT_EQ(DrawdownOf(p).status, DrawdownStatus::kRejected);
  EXPECT_THAT(Write(bea_, DisbursementBody(p, 1'000)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("did not pass")));
}

TEST_F(PooledLedgerTest, TimeRestrictedFundWaitsUntilItsDate) {
  v1::Fund f = TestFund(bea_.public_key());
  f.mutable_restriction()->set_kind(v1::RESTRICTION_KIND_TIME);
  f.mutable_restriction()->set_until_ms(5'000'000);
  EventId p = Decide(founder_, CreateFundProposalBody(f));
  EventId fund = Ok(bea_, FundBody(f, p));
  PayIn(cal_, bea_, fund, 1'000);
  EventId d = Decide(cal_, DrawdownBody(fund, 500, cal_.public_key()));
  EXPECT_THAT(Write(bea_, DisbursementBody(d, 500)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("restricted until")));
  EXPECT_OK(Put(history_.AppendAt(bea_, DisbursementBody(d, 500), Hlc{5'000'000, 0})));
}

// A drawdown whose purpose is not the purpose restriction's text, decided anyway, is shown
// refused and cannot be disbursed; one that states the purpose is paid (docs/DOMAIN.md: a
// drawdown from a restricted fund must match the restriction's purpose).
TEST_F(PooledLedgerTest, PurposeRestrictedFundPaysOnlyForItsPurpose) {
  EventId fund =
      MakeRestrictedFund(bea_, v1::RESTRICTION_KIND_PURPOSE, "Flood relief in the Ebro basin");
  PayIn(cal_, bea_, fund, 1'000);
  EventId other = Decide(cal_, DrawdownBody(fund, 400, cal_.public_key()));
  EXPECT_EQ(DrawdownOf(other).status, DrawdownStatus::kRefused);
  EXPECT_THAT(DrawdownOf(other).reason,
              HasSubstr("restricted to \"Flood relief in the Ebro basin\""));
  EXPECT_THAT(Write(bea_, DisbursementBody(other, 400)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("restricted to")));
  v1::Event matching = DrawdownBody(fund, 1'000, cal_.public_key());
  matching.mutable_proposal()->mutable_allocate()->set_purpose("Flood relief in the Ebro basin");
  EventId ok = Decide(cal_, matching);
  // The refused drawdown claims nothing: the whole balance is left for this one.
  EXPECT_EQ(DrawdownOf(ok).status, DrawdownStatus::kApproved);
  Ok(bea_, DisbursementBody(ok, 1'000));
  EXPECT_EQ(FundOf(fund).balance_minor(), 0);
  EXPECT_EQ(DrawdownOf(ok).status, DrawdownStatus::kDisbursed);
}

TEST_F(PooledLedgerTest, PerpetuallyRestrictedFundIsNeverDisbursed) {
  EventId fund =
      MakeRestrictedFund(bea_, v1::RESTRICTION_KIND_PERPETUAL, "Endowment for the coastal trust");
  PayIn(cal_, bea_, fund, 1'000);
  v1::Event body = DrawdownBody(fund, 100, cal_.public_key());
  body.mutable_proposal()->mutable_allocate()->set_purpose("Endowment for the coastal trust");
  EventId d = Decide(cal_, body);
  EXPECT_EQ(DrawdownOf(d).status, DrawdownStatus::kRefused);
  EXPECT_THAT(DrawdownOf(d).reason, HasSubstr("perpetually restricted"));
  EXPECT_THAT(Write(bea_, DisbursementBody(d, 100)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("never disbursed")));
  EXPECT_EQ(FundOf(fund).balance_minor(), 1'000);
}

// A node does not write a drawdown request that could never be disbursed (PROTOCOL §6); the
// fold itself still takes such a proposal from a peer (it is a decision like any other).
TEST_F(PooledLedgerTest, ANodeRefusesToWriteADrawdownThatCanNeverBePaid) {
  EventId plain = MakeFund(bea_);
  EXPECT_OK(state().CheckOwnWrite(DrawdownBody(plain, 500, cal_.public_key())));
  EXPECT_THAT(state().CheckOwnWrite(DrawdownBody(EventId::FromArray({3}), 500, cal_.public_key())),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found in group")));
  EXPECT_THAT(state().CheckOwnWrite(DrawdownBody(plain, 500, cal_.public_key(), "USD")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holds EUR")));
  EventId relief =
      MakeRestrictedFund(bea_, v1::RESTRICTION_KIND_PURPOSE, "Flood relief", "Relief fund");
  v1::Event body = DrawdownBody(relief, 500, cal_.public_key());
  EXPECT_THAT(state().CheckOwnWrite(body), StatusIs(absl::StatusCode::kInvalidArgument,
                                                    HasSubstr("restricted to \"Flood relief\"")));
  body.mutable_proposal()->mutable_allocate()->set_purpose("Flood relief");
  EXPECT_OK(state().CheckOwnWrite(body));
  EventId endowment =
      MakeRestrictedFund(bea_, v1::RESTRICTION_KIND_PERPETUAL, "Flood relief", "Endowment");
  EXPECT_THAT(state().CheckOwnWrite(DrawdownBody(endowment, 500, cal_.public_key())),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("perpetually restricted")));
  EXPECT_OK(state().CheckOwnWrite(CashContributionBody(100)));
}

TEST_F(PooledLedgerTest, DrawdownOfAnotherCurrencyOrUnknownFundIsRefused) {
  EventId fund = MakeFund(bea_);
  PayIn(cal_, bea_, fund, 1'000);
  EventId usd = Decide(cal_, DrawdownBody(fund, 500, cal_.public_key(), "USD"));
  EXPECT_EQ(DrawdownOf(usd).status, DrawdownStatus::kRefused);
  EXPECT_THAT(Write(bea_, DisbursementBody(usd, 500, "USD")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holds EUR")));
  EventId nowhere = Decide(cal_, DrawdownBody(EventId::FromArray({3}), 500, cal_.public_key()));
  EXPECT_THAT(DrawdownOf(nowhere).reason, HasSubstr("does not exist"));
}

// Two drawdowns decided concurrently that together overdraw the fund: exactly one, the one
// whose proposal sorts first, is approved, and the same in every arrival order.
TEST_F(PooledLedgerTest, ConcurrentDrawdownsOverdrawingTheFundExactlyOneWins) {
  EventId fund = MakeFund(bea_);
  PayIn(cal_, bea_, fund, 10'000);
  const std::vector<EventId> base = history_.Heads();
  auto others = [&](const SigningKey& k) {
    std::vector<EventId> deps;
    for (const EventId& h : base) {
      if (history_.Get(h).author != k.public_key()) deps.push_back(h);
    }
    return deps;
  };
  VerifiedEvent a =
      history_.AppendWithDeps(cal_, DrawdownBody(fund, 7'000, cal_.public_key()), others(cal_));
  VerifiedEvent b = history_.AppendWithDeps(
      founder_, DrawdownBody(fund, 6'000, founder_.public_key()), others(founder_));
  ASSERT_OK(Put(a));
  ASSERT_OK(Put(b));
  for (const EventId& p : {a.id, b.id}) {
    for (const SigningKey* w : writers_) Ok(*w, StanceBody(p, v1::STANCE_CHOICE_AGREE));
  }
  for (const SigningKey* w : writers_) Ok(*w, AcknowledgementBody({a.id, b.id}));
  std::vector<DrawdownView> drawdowns = Drawdowns(state(), fund);
  ASSERT_EQ(drawdowns.size(), 2u);
  EXPECT_EQ(drawdowns[0].status, DrawdownStatus::kApproved);
  EXPECT_EQ(drawdowns[1].status, DrawdownStatus::kRefused);
  EXPECT_THAT(drawdowns[1].reason, HasSubstr("this one needs"));
  const std::string hash = HashHex(group_.StateHash());

  // Every other valid arrival order gives the same statuses and hash.
  std::vector<const VerifiedEvent*> events;
  for (const VerifiedEvent& e : history_.events()) events.push_back(&e);
  std::mt19937_64 rng(8);
  for (int round = 0; round < 20; ++round) {
    // A random topological order: repeatedly pick a random event whose parents are in.
    std::vector<const VerifiedEvent*> pending = events, order;
    std::set<EventId> in;
    while (!pending.empty()) {
      std::vector<size_t> ready;
      for (size_t i = 0; i < pending.size(); ++i) {
        bool ok = true;
        for (const EventId& p : testing::ParentsOf(*pending[i])) ok = ok && in.contains(p);
        if (ok) ready.push_back(i);
      }
      ASSERT_FALSE(ready.empty());
      const size_t pick = ready[rng() % ready.size()];
      order.push_back(pending[pick]);
      in.insert(pending[pick]->id);
      pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(pick));
    }
    Group other(history_.group());
    for (const VerifiedEvent* e : order) ASSERT_OK(other.Insert(*e).status());
    EXPECT_EQ(HashHex(other.StateHash()), hash);
    std::vector<DrawdownView> seen = Drawdowns(other.state(), fund);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].proposal, drawdowns[0].proposal);
    EXPECT_EQ(seen[0].status, DrawdownStatus::kApproved);
    EXPECT_EQ(seen[1].status, DrawdownStatus::kRefused);
  }
  // The host disburses the winner; the loser stays refused and its disbursement is refused.
  const SigningKey& winner_host = bea_;
  Ok(winner_host, DisbursementBody(drawdowns[0].proposal, drawdowns[0].amount.amount_minor));
  EXPECT_THAT(
      Write(bea_, DisbursementBody(drawdowns[1].proposal, drawdowns[1].amount.amount_minor)),
      StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(DrawdownOf(drawdowns[1].proposal).status, DrawdownStatus::kRefused);
}

// ---------------------------------------------------------------------------------------------
// Benefit shares

TEST_F(PooledLedgerTest, EqualSharesGiveTheRemainderToTheEarliestJoined) {
  BenefitShares shares = ComputeBenefitShares(state());
  EXPECT_EQ(shares.basis, v1::BENEFIT_SHARE_BASIS_EQUAL);
  ASSERT_EQ(shares.by_currency.size(), 1u);
  const std::vector<BenefitShare>& s = shares.by_currency[0].second;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].member, founder_.public_key());  // joined first
  EXPECT_EQ(s[0].share_bps, 3334u);
  EXPECT_EQ(s[1].member, bea_.public_key());
  EXPECT_EQ(s[1].share_bps, 3333u);
  EXPECT_EQ(s[2].share_bps, 3333u);
}

TEST(PooledSharesTest, ContributedValueSharesFollowNetContributionsPerCurrency) {
  const SigningKey founder = TestKey('a');
  v1::Charter charter = PooledCharter();
  charter.set_benefit_share_basis(v1::BENEFIT_SHARE_BASIS_CONTRIBUTED_VALUE);
  HistoryBuilder history(founder, charter);
  GroupState state(history.group());
  state.Apply(history.genesis());
  state.Apply(history.Append(founder, CashContributionBody(1'000)));
  state.Apply(history.Append(founder, CashContributionBody(500, "USD")));
  BenefitShares shares = ComputeBenefitShares(state);
  EXPECT_EQ(shares.basis, v1::BENEFIT_SHARE_BASIS_CONTRIBUTED_VALUE);
  ASSERT_EQ(shares.by_currency.size(), 2u);
  EXPECT_EQ(shares.by_currency[0].first, "EUR");
  EXPECT_EQ(shares.by_currency[0].second[0].share_bps, 10000u);
  EXPECT_EQ(shares.by_currency[0].second[0].contributed_minor, 1'000);
}

}  // namespace
}  // namespace constellation::core
