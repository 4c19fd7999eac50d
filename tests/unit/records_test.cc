// tests/unit/records_test.cc
//
// Stateless record validation (server/core/records.h): every error is kInvalidArgument and
// names the field path and what to fix.
#include "server/core/records.h"

#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::ExpelBody;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::MakeMoney;
using ::constellation::testing::NoticeBody;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestTerms;
using ::constellation::testing::TestTermsWithInstallments;
using ::constellation::testing::WithdrawalBody;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

const EventId kSomeId = EventId::FromArray(Sha256("some event"));

TEST(CurrencyTest, KnownAndUnknownCodes) {
  for (const char* code : {"EUR", "USD", "JPY", "CHF", "KWD", "GBP"}) {
    EXPECT_TRUE(IsKnownCurrency(code)) << code;
  }
  for (const char* code : {"", "eur", "EU", "EURO", "XXX", "ZZZ", " EUR"}) {
    EXPECT_FALSE(IsKnownCurrency(code)) << "'" << code << "'";
  }
}

TEST(FormatMoneyTest, UsesTheCurrencysMinorUnitExponent) {
  EXPECT_EQ(FormatMoney(123'450, "EUR"), "1234.50 EUR");
  EXPECT_EQ(FormatMoney(5, "EUR"), "0.05 EUR");
  EXPECT_EQ(FormatMoney(0, "USD"), "0.00 USD");
  EXPECT_EQ(FormatMoney(9, "JPY"), "9 JPY");
  EXPECT_EQ(FormatMoney(1'234, "KWD"), "1.234 KWD");
}

TEST(FormatMoneyTest, NegativeAndExtremeAmounts) {
  EXPECT_EQ(FormatMoney(-5, "EUR"), "-0.05 EUR");
  EXPECT_EQ(FormatMoney(-123'450, "EUR"), "-1234.50 EUR");
  EXPECT_EQ(FormatMoney(std::numeric_limits<int64_t>::min(), "EUR"), "-92233720368547758.08 EUR");
  EXPECT_EQ(FormatMoney(std::numeric_limits<int64_t>::max(), "EUR"), "92233720368547758.07 EUR");
}

TEST(FormatMoneyTest, UnknownCurrencyPrintsMinorUnits) {
  EXPECT_EQ(FormatMoney(1'234, "XXX"), "1234 XXX");
}

TEST(PositiveMoneyTest, PositiveAmountInKnownCurrencyIsValid) {
  EXPECT_OK(ValidatePositiveMoney(MakeMoney(1, "EUR"), "goal"));
  EXPECT_OK(ValidatePositiveMoney(MakeMoney(limits::kMoneyAmountMinorMax, "JPY"), "goal"));
}

TEST(PositiveMoneyTest, ZeroAndNegativeAreRejected) {
  EXPECT_THAT(ValidatePositiveMoney(MakeMoney(0), "goal"),
              StatusIs(kInvalid, HasSubstr("goal.amount_minor: must be positive, got 0")));
  EXPECT_THAT(ValidatePositiveMoney(MakeMoney(-5), "goal"),
              StatusIs(kInvalid, HasSubstr("must be positive, got -5")));
}

TEST(PositiveMoneyTest, AmountOverTheLimitIsRejected) {
  EXPECT_THAT(
      ValidatePositiveMoney(MakeMoney(limits::kMoneyAmountMinorMax + 1), "goal"),
      StatusIs(kInvalid, AllOf(HasSubstr("goal.amount_minor"), HasSubstr("kMoneyAmountMinorMax"))));
}

TEST(PositiveMoneyTest, UnknownCurrencyIsRejected) {
  EXPECT_THAT(ValidatePositiveMoney(MakeMoney(100, "EURO"), "payment_receipt.amount"),
              StatusIs(kInvalid, AllOf(HasSubstr("payment_receipt.amount.currency"),
                                       HasSubstr("'EURO' is not an ISO-4217 currency code"))));
  EXPECT_THAT(ValidatePositiveMoney(MakeMoney(100, ""), "goal"),
              StatusIs(kInvalid, HasSubstr("goal.currency")));
}

TEST(CharterTest, TestCharterIsValid) { EXPECT_OK(ValidateCharter(TestCharter(), "charter")); }

TEST(CharterTest, NeedsName) {
  v1::Charter c = TestCharter();
  c.clear_name();
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, HasSubstr("charter.name: is required")));
  c.set_name(std::string(limits::kNameSizeBytesMax + 1, 'n'));
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, AllOf(HasSubstr("charter.name"), HasSubstr("kNameSizeBytesMax"))));
}

TEST(CharterTest, NeedsKind) {
  v1::Charter c = TestCharter();
  c.set_kind(v1::GROUP_KIND_UNSPECIFIED);
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, HasSubstr("charter.kind: must be partnership or collaboration")));
  c.set_kind(static_cast<v1::GroupKind>(17));
  EXPECT_THAT(ValidateCharter(c, "charter"), StatusIs(kInvalid, HasSubstr("charter.kind")));
  c.set_kind(v1::GROUP_KIND_COLLABORATION);
  EXPECT_OK(ValidateCharter(c, "charter"));
}

TEST(CharterTest, TermEndBeforeStartIsRejected) {
  v1::Charter c = TestCharter();
  c.set_term_start_ms(2'000);
  c.set_term_end_ms(1'000);
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, HasSubstr("charter.term_end_ms: is before term_start_ms")));
  c.set_term_end_ms(0);  // open-ended
  EXPECT_OK(ValidateCharter(c, "charter"));
}

TEST(CharterTest, BadBaseCurrencyIsRejected) {
  v1::Charter c = TestCharter();
  c.set_base_currency("eur");
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, HasSubstr("charter.base_currency")));
}

TEST(CharterTest, FounderProfileIsChecked) {
  v1::Charter c = TestCharter();
  c.mutable_founder()->set_role(static_cast<v1::Role>(42));
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, HasSubstr("charter.founder.role: unknown role")));
  c = TestCharter();
  for (size_t i = 0; i <= limits::kEndpointCountMax; ++i) {
    c.mutable_founder()->add_endpoints("node.example:7400");
  }
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, AllOf(HasSubstr("charter.founder.endpoints"),
                                       HasSubstr("kEndpointCountMax"))));
}

v1::DecisionRule Rule(uint32_t threshold_bps, uint32_t quorum_bps) {
  v1::DecisionRule r;
  r.set_decision_type(v1::DECISION_TYPE_ADMIT);
  r.set_process(v1::DECISION_PROCESS_SUPERMAJORITY);
  r.set_threshold_bps(threshold_bps);
  r.set_quorum_bps(quorum_bps);
  return r;
}

TEST(CharterTest, DecisionRuleBasisPointBounds) {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() = Rule(10'000, 10'000);
  v1::DecisionRule other_type = Rule(0, 0);
  other_type.set_decision_type(v1::DECISION_TYPE_EXPEL);
  *c.add_decision_rules() = other_type;
  EXPECT_OK(ValidateCharter(c, "charter"));

  c = TestCharter();
  *c.add_decision_rules() = Rule(10'001, 5'000);
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, AllOf(HasSubstr("charter.decision_rules"),
                                       HasSubstr("basis points in [0, 10000]"))));
  c = TestCharter();
  *c.add_decision_rules() = Rule(6'667, 10'001);
  EXPECT_THAT(ValidateCharter(c, "charter"), StatusIs(kInvalid, HasSubstr("basis points")));
}

TEST(CharterTest, DecisionRuleNeedsTypeAndProcess) {
  v1::Charter c = TestCharter();
  v1::DecisionRule r = Rule(6'667, 0);
  r.set_decision_type(v1::DECISION_TYPE_UNSPECIFIED);
  *c.add_decision_rules() = r;
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, HasSubstr("decision_type is required")));
  c = TestCharter();
  r = Rule(6'667, 0);
  r.set_process(v1::DECISION_PROCESS_UNSPECIFIED);
  *c.add_decision_rules() = r;
  EXPECT_THAT(ValidateCharter(c, "charter"), StatusIs(kInvalid, HasSubstr("process is required")));
}

TEST(CharterTest, TooManyDecisionRules) {
  v1::Charter c = TestCharter();
  for (size_t i = 0; i <= limits::kDecisionRuleCountMax; ++i) *c.add_decision_rules() = Rule(0, 0);
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, HasSubstr("kDecisionRuleCountMax")));
}

TEST(CampaignTest, TestCampaignIsValid) {
  EXPECT_OK(ValidateCampaign(TestCampaign(1'000'000), "campaign"));
}

TEST(CampaignTest, NeedsNameAndPositiveGoal) {
  v1::Campaign c = TestCampaign(1'000);
  c.clear_name();
  EXPECT_THAT(ValidateCampaign(c, "campaign"),
              StatusIs(kInvalid, HasSubstr("campaign.name: is required")));
  c = TestCampaign(0);
  EXPECT_THAT(ValidateCampaign(c, "campaign"),
              StatusIs(kInvalid, HasSubstr("campaign.goal.amount_minor")));
}

TEST(CampaignTest, FiscalHostMustBeAnId) {
  v1::Campaign c = TestCampaign(1'000);
  c.set_fiscal_host("not a key");
  EXPECT_THAT(ValidateCampaign(c, "campaign"),
              StatusIs(kInvalid, HasSubstr("campaign.fiscal_host: must be a 32-byte id")));
}

TEST(CampaignTest, AssuranceThresholdInTheGoalsCurrency) {
  v1::Campaign c = TestCampaign(1'000, "EUR");
  *c.mutable_assurance_threshold() = MakeMoney(500, "USD");
  c.set_assurance_deadline_ms(10'000);
  EXPECT_THAT(ValidateCampaign(c, "campaign"),
              StatusIs(kInvalid, HasSubstr("campaign.assurance_threshold: must be in the goal's "
                                           "currency")));
  *c.mutable_assurance_threshold() = MakeMoney(500, "EUR");
  EXPECT_OK(ValidateCampaign(c, "campaign"));
}

TEST(CampaignTest, AssuranceThresholdNeedsADeadline) {
  v1::Campaign c = TestCampaign(1'000, "EUR");
  *c.mutable_assurance_threshold() = MakeMoney(500, "EUR");
  EXPECT_THAT(ValidateCampaign(c, "campaign"),
              StatusIs(kInvalid, HasSubstr("campaign.assurance_deadline_ms: is required")));
}

TEST(PledgeTermsTest, SimpleTermsAreValid) {
  EXPECT_OK(ValidatePledgeTerms(TestTerms(10'000), "pledge.terms"));
  EXPECT_OK(ValidatePledgeTerms(TestTermsWithInstallments({{100, 30}, {200, 70}}), "t"));
}

TEST(PledgeTermsTest, InstallmentsMustSumToTheAmount) {
  v1::PledgeTerms t = TestTermsWithInstallments({{100, 30}, {200, 70}});
  t.mutable_amount()->set_amount_minor(101);
  EXPECT_THAT(ValidatePledgeTerms(t, "pledge.terms"),
              StatusIs(kInvalid, AllOf(HasSubstr("pledge.terms.installments"),
                                       HasSubstr("sum to 100 but the amount is 101"))));
}

TEST(PledgeTermsTest, InstallmentsMustBeInDueDateOrder) {
  v1::PledgeTerms t = TestTermsWithInstallments({{200, 30}, {100, 70}});
  EXPECT_THAT(ValidatePledgeTerms(t, "pledge.terms"),
              StatusIs(kInvalid, AllOf(HasSubstr("pledge.terms.installments[1]"),
                                       HasSubstr("due-date order"))));
  // Two installments on the same day are fine.
  EXPECT_OK(ValidatePledgeTerms(TestTermsWithInstallments({{100, 30}, {100, 70}}), "t"));
}

TEST(PledgeTermsTest, InstallmentNeedsDueDateAndPositiveAmount) {
  EXPECT_THAT(ValidatePledgeTerms(TestTermsWithInstallments({{100, 30}, {0, 70}}), "t"),
              StatusIs(kInvalid, HasSubstr("t.installments[1]: due_ms is required")));
  v1::PledgeTerms t = TestTermsWithInstallments({{100, 30}, {200, 0}});
  EXPECT_THAT(ValidatePledgeTerms(t, "t"),
              StatusIs(kInvalid, HasSubstr("t.installments[1]: amount_minor must be in [1,")));
}

TEST(PledgeTermsTest, TooManyInstallments) {
  std::vector<std::pair<uint64_t, int64_t>> many;
  for (size_t i = 0; i <= limits::kInstallmentCountMax; ++i) many.push_back({100 + i, 1});
  EXPECT_THAT(ValidatePledgeTerms(TestTermsWithInstallments(many), "t"),
              StatusIs(kInvalid, HasSubstr("kInstallmentCountMax")));
}

TEST(PledgeTermsTest, ConditionNeedsBarrierAndRightOfRelease) {
  v1::PledgeTerms t = TestTerms(1'000);
  t.mutable_condition()->set_barrier("matching funds raised");
  EXPECT_THAT(ValidatePledgeTerms(t, "pledge.terms"),
              StatusIs(kInvalid, AllOf(HasSubstr("pledge.terms.condition"),
                                       HasSubstr("both a barrier and a right of release"))));
  t.mutable_condition()->clear_barrier();
  t.mutable_condition()->set_right_of_release("donor may withdraw");
  EXPECT_THAT(ValidatePledgeTerms(t, "pledge.terms"),
              StatusIs(kInvalid, HasSubstr("both a barrier and a right of release")));
  t.mutable_condition()->set_barrier("matching funds raised");
  EXPECT_OK(ValidatePledgeTerms(t, "pledge.terms"));
}

TEST(PledgeTermsTest, RestrictionText) {
  v1::PledgeTerms t = TestTerms(1'000);
  t.mutable_restriction()->set_kind(v1::RESTRICTION_KIND_PURPOSE);
  EXPECT_THAT(
      ValidatePledgeTerms(t, "pledge.terms"),
      StatusIs(kInvalid, AllOf(HasSubstr("pledge.terms.restriction"), HasSubstr("needs a text"))));
  t.mutable_restriction()->set_text(std::string(limits::kShortTextSizeBytesMax + 1, 'r'));
  EXPECT_THAT(ValidatePledgeTerms(t, "pledge.terms"),
              StatusIs(kInvalid, AllOf(HasSubstr("pledge.terms.restriction.text"),
                                       HasSubstr("kShortTextSizeBytesMax"))));
  t.mutable_restriction()->set_text("dune replanting only");
  EXPECT_OK(ValidatePledgeTerms(t, "pledge.terms"));
}

TEST(PledgeTermsTest, TimeRestrictionNeedsUntil) {
  v1::PledgeTerms t = TestTerms(1'000);
  t.mutable_restriction()->set_kind(v1::RESTRICTION_KIND_TIME);
  EXPECT_THAT(ValidatePledgeTerms(t, "pledge.terms"),
              StatusIs(kInvalid, HasSubstr("a time restriction needs until_ms")));
  t.mutable_restriction()->set_until_ms(99'000);
  EXPECT_OK(ValidatePledgeTerms(t, "pledge.terms"));
}

TEST(PledgeTermsTest, EvidenceMustBeASha256) {
  v1::PledgeTerms t = TestTerms(1'000);
  t.set_evidence_sha256("abc");
  EXPECT_THAT(ValidatePledgeTerms(t, "pledge.terms"),
              StatusIs(kInvalid, HasSubstr("pledge.terms.evidence_sha256")));
  t.set_evidence_sha256(std::string(32, 'e'));
  EXPECT_OK(ValidatePledgeTerms(t, "pledge.terms"));
}

TEST(ValidateBodyTest, ChecksEachFoldedRecordType) {
  EXPECT_OK(ValidateBody(PledgeBody(kSomeId, TestTerms(10))));
  EXPECT_THAT(ValidateBody(PledgeBody(kSomeId, TestTerms(0))),
              StatusIs(kInvalid, HasSubstr("pledge.terms.amount.amount_minor")));
  v1::Event no_campaign = PledgeBody(kSomeId, TestTerms(10));
  no_campaign.mutable_pledge()->clear_campaign_id();
  EXPECT_THAT(ValidateBody(no_campaign),
              StatusIs(kInvalid, HasSubstr("pledge.campaign_id: must be a 32-byte id")));
  EXPECT_THAT(ValidateBody(AmendmentBody(kSomeId, TestTerms(10, "eur"))),
              StatusIs(kInvalid, HasSubstr("pledge_amendment.terms.amount.currency")));
  v1::Event cancel =
      CancellationBody(kSomeId, std::string(limits::kShortTextSizeBytesMax + 1, 'x'));
  EXPECT_THAT(ValidateBody(cancel), StatusIs(kInvalid, HasSubstr("pledge_cancellation.reason")));
  EXPECT_THAT(ValidateBody(PaymentBody(kSomeId, -1)),
              StatusIs(kInvalid, HasSubstr("payment_receipt.amount.amount_minor")));
  v1::Event charter;
  *charter.mutable_charter() = TestCharter();
  charter.mutable_charter()->clear_name();
  EXPECT_THAT(ValidateBody(charter), StatusIs(kInvalid, HasSubstr("charter.name")));
  v1::Event campaign;
  *campaign.mutable_campaign() = TestCampaign(5, "XXX");
  EXPECT_THAT(ValidateBody(campaign), StatusIs(kInvalid, HasSubstr("campaign.goal.currency")));
}

// Issue 11: a raw RecordPledge with an installment due_ms of 2^64-1 was signed into the record
// for good (and shown as 1969), and control characters and terminal escapes in names were
// accepted and printed raw by `group show`. Every time in a record is at most kHlcWallMsMax,
// and text holds no control characters (free text: line breaks and tabs only).
TEST(ValidateBodyTest, TimesAfterTheYear9999AndControlCharactersAreRefused) {
  v1::PledgeTerms terms = TestTerms(10);
  v1::Installment* in = terms.add_installments();
  in->set_amount_minor(10);
  in->set_due_ms(UINT64_MAX);
  EXPECT_THAT(ValidateBody(PledgeBody(kSomeId, terms)),
              StatusIs(kInvalid, HasSubstr("pledge.terms.installments[0].due_ms: is "
                                           "18446744073709551615, after 9999-12-31")));
  in->set_due_ms(limits::kHlcWallMsMax);
  EXPECT_OK(ValidateBody(PledgeBody(kSomeId, terms)));
  v1::Event campaign;
  *campaign.mutable_campaign() = TestCampaign(5);
  campaign.mutable_campaign()->set_deadline_ms(limits::kHlcWallMsMax + 1);
  EXPECT_THAT(ValidateBody(campaign), StatusIs(kInvalid, HasSubstr("campaign.deadline_ms")));
  EXPECT_THAT(ValidateBody(PaymentBody(kSomeId, 5, "EUR", limits::kHlcWallMsMax + 1)),
              StatusIs(kInvalid, HasSubstr("payment_receipt.received_ms")));

  v1::Event charter;
  *charter.mutable_charter() = TestCharter();
  charter.mutable_charter()->set_name("Food \x1b[2J\x1b[31mPartnership");
  EXPECT_THAT(ValidateBody(charter),
              StatusIs(kInvalid, HasSubstr("charter.name: holds the control character U+001B")));
  charter.mutable_charter()->set_name("Food Partnership\n");
  EXPECT_THAT(ValidateBody(charter), StatusIs(kInvalid, HasSubstr("U+000A")));
  charter.mutable_charter()->set_name("Caf\xc3\xa9 \xc2\x9b Partnership");  // U+009B (CSI)
  EXPECT_THAT(ValidateBody(charter), StatusIs(kInvalid, HasSubstr("U+009B")));
  charter.mutable_charter()->set_name("Caf\xc3\xa9 Partnership \xe2\x80\x94 north");
  EXPECT_OK(ValidateBody(charter)) << "other UTF-8 is text";
  charter.mutable_charter()->set_common_agenda("Line one\nLine two\twith a tab\r\n");
  EXPECT_OK(ValidateBody(charter)) << "free text may hold line breaks and tabs";
  charter.mutable_charter()->set_common_agenda("bell \a");
  EXPECT_THAT(ValidateBody(charter),
              StatusIs(kInvalid, HasSubstr("charter.common_agenda: holds the control character "
                                           "U+0007; free text may hold line breaks and tabs "
                                           "only")));
}

TEST(ValidateBodyTest, UnfoldedRecordTypesPassAndMissingBodyFails) {
  EXPECT_OK(ValidateBody(PulseCheckBody()));
  EXPECT_THAT(ValidateBody(v1::Event()), StatusIs(kInvalid, HasSubstr("no body")));
}

TEST(CharterTest, OneRulePerDecisionTypeAndBoundedWindows) {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_EXPEL, v1::DECISION_PROCESS_UNANIMITY);
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_EXPEL, v1::DECISION_PROCESS_MAJORITY);
  EXPECT_THAT(ValidateCharter(c, "charter"), StatusIs(kInvalid, HasSubstr("two rules for expel")));
  c = TestCharter();
  *c.add_decision_rules() = MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT,
                                             0, 0, limits::kVotingWindowMsMax + 1);
  EXPECT_THAT(ValidateCharter(c, "charter"), StatusIs(kInvalid, HasSubstr("kVotingWindowMsMax")));
  c = TestCharter();
  c.mutable_founder()->set_voting_weight(limits::kVotingWeightMax + 1);
  EXPECT_THAT(ValidateCharter(c, "charter"),
              StatusIs(kInvalid, AllOf(HasSubstr("charter.founder.voting_weight"),
                                       HasSubstr("kVotingWeightMax"))));
}

TEST(ProposalTest, EveryTypeWithItsPayloadIsValid) {
  for (int t = v1::DECISION_TYPE_ADMIT; t <= v1::DECISION_TYPE_DISSOLVE; ++t) {
    const auto type = static_cast<v1::DecisionType>(t);
    EXPECT_OK(ValidateBody(ProposalBody(type))) << t;
  }
}

TEST(ProposalTest, TypeTitleAndMatchingPayloadAreRequired) {
  v1::Event e = ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY);
  e.mutable_proposal()->set_decision_type(v1::DECISION_TYPE_UNSPECIFIED);
  EXPECT_THAT(ValidateBody(e), StatusIs(kInvalid, HasSubstr("proposal.decision_type")));
  e = ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY);
  e.mutable_proposal()->set_title(std::string(limits::kProposalTitleSizeBytesMax + 1, 't'));
  EXPECT_THAT(ValidateBody(e), StatusIs(kInvalid, HasSubstr("kProposalTitleSizeBytesMax")));
  e.mutable_proposal()->clear_title();
  EXPECT_THAT(ValidateBody(e), StatusIs(kInvalid, HasSubstr("proposal.title: is required")));
  e = ProposalBody(v1::DECISION_TYPE_EXPEL);
  e.mutable_proposal()->set_decision_type(v1::DECISION_TYPE_ADMIT);
  EXPECT_THAT(ValidateBody(e),
              StatusIs(kInvalid, HasSubstr("a proposal of type admit needs its payload")));
  e = ProposalBody(v1::DECISION_TYPE_DISSOLVE);
  e.mutable_proposal()->clear_dissolution_plan();
  EXPECT_THAT(ValidateBody(e), StatusIs(kInvalid));
}

TEST(ProposalTest, PayloadsAreChecked) {
  v1::Event admit = AdmitBody(OrgKey::FromArray(kSomeId.array()));
  admit.mutable_proposal()->mutable_admit()->mutable_card()->set_key("short");
  EXPECT_THAT(ValidateBody(admit), StatusIs(kInvalid, HasSubstr("proposal.admit.card.key")));
  admit =
      AdmitBody(OrgKey::FromArray(kSomeId.array()), v1::ROLE_PARTNER, limits::kVotingWeightMax + 1);
  EXPECT_THAT(ValidateBody(admit), StatusIs(kInvalid, HasSubstr("proposal.admit.voting_weight")));
  v1::Event expel = ExpelBody(OrgKey::FromArray(kSomeId.array()));
  expel.mutable_proposal()->mutable_expel()->clear_reason();
  EXPECT_THAT(ValidateBody(expel), StatusIs(kInvalid, HasSubstr("proposal.expel.reason")));
  v1::Event campaign = ProposalBody(v1::DECISION_TYPE_OPEN_CAMPAIGN);
  campaign.mutable_proposal()->mutable_campaign()->clear_name();
  EXPECT_THAT(ValidateBody(campaign), StatusIs(kInvalid, HasSubstr("proposal.campaign.name")));
  v1::Event write_off = ProposalBody(v1::DECISION_TYPE_WRITE_OFF);
  write_off.mutable_proposal()->mutable_write_off()->mutable_amount()->set_amount_minor(0);
  EXPECT_THAT(ValidateBody(write_off),
              StatusIs(kInvalid, HasSubstr("proposal.write_off.amount.amount_minor")));
  v1::Event charter = ProposalBody(v1::DECISION_TYPE_AMEND_CHARTER);
  charter.mutable_proposal()->mutable_charter()->set_kind(v1::GROUP_KIND_UNSPECIFIED);
  EXPECT_THAT(ValidateBody(charter), StatusIs(kInvalid, HasSubstr("proposal.charter.kind")));
}

TEST(StanceTest, ChoiceAndReason) {
  EXPECT_OK(ValidateBody(StanceBody(kSomeId, v1::STANCE_CHOICE_AGREE)));
  EXPECT_OK(ValidateBody(StanceBody(kSomeId, v1::STANCE_CHOICE_ABSTAIN)));
  EXPECT_THAT(ValidateBody(StanceBody(kSomeId, v1::STANCE_CHOICE_UNSPECIFIED)),
              StatusIs(kInvalid, HasSubstr("stance.choice")));
  EXPECT_THAT(ValidateBody(StanceBody(kSomeId, v1::STANCE_CHOICE_DISAGREE)),
              StatusIs(kInvalid, HasSubstr("stance.reason: is required to disagree or block")));
  EXPECT_THAT(ValidateBody(StanceBody(kSomeId, v1::STANCE_CHOICE_BLOCK)),
              StatusIs(kInvalid, HasSubstr("stance.reason")));
  EXPECT_OK(ValidateBody(StanceBody(kSomeId, v1::STANCE_CHOICE_BLOCK, "unsafe to try")));
  EXPECT_THAT(ValidateBody(StanceBody(kSomeId, v1::STANCE_CHOICE_DISAGREE,
                                      std::string(limits::kStanceReasonSizeBytesMax + 1, 'r'))),
              StatusIs(kInvalid, HasSubstr("kStanceReasonSizeBytesMax")));
  v1::Event no_id = StanceBody(kSomeId, v1::STANCE_CHOICE_AGREE);
  no_id.mutable_stance()->clear_proposal_id();
  EXPECT_THAT(ValidateBody(no_id), StatusIs(kInvalid, HasSubstr("stance.proposal_id")));
}

TEST(DecisionRecordsTest, CloseAcknowledgementAndMembership) {
  EXPECT_OK(ValidateBody(ProposalCloseBody(kSomeId)));
  v1::Event close = ProposalCloseBody(kSomeId);
  close.mutable_proposal_close()->set_proposal_id("x");
  EXPECT_THAT(ValidateBody(close), StatusIs(kInvalid, HasSubstr("proposal_close.proposal_id")));
  EXPECT_OK(ValidateBody(AcknowledgementBody({kSomeId})));
  EXPECT_THAT(ValidateBody(AcknowledgementBody({})), StatusIs(kInvalid, HasSubstr("at least one")));
  EXPECT_THAT(ValidateBody(AcknowledgementBody({kSomeId, kSomeId})),
              StatusIs(kInvalid, HasSubstr("twice")));
  EXPECT_OK(ValidateBody(AcceptanceBody(kSomeId)));
  v1::Event accept = AcceptanceBody(kSomeId);
  accept.mutable_membership_acceptance()->mutable_profile()->set_name(
      std::string(limits::kNameSizeBytesMax + 1, 'n'));
  EXPECT_THAT(ValidateBody(accept),
              StatusIs(kInvalid, HasSubstr("membership_acceptance.profile.name")));
  EXPECT_OK(ValidateBody(NoticeBody()));
  EXPECT_THAT(ValidateBody(NoticeBody(limits::kHlcWallMsMax + 1)),
              StatusIs(kInvalid, HasSubstr("membership_notice.effective_ms")));
  EXPECT_OK(ValidateBody(WithdrawalBody()));
  EXPECT_THAT(ValidateBody(WithdrawalBody(std::string(limits::kShortTextSizeBytesMax + 1, 'w'))),
              StatusIs(kInvalid, HasSubstr("membership_withdrawal.reason")));
}

}  // namespace
}  // namespace constellation::core
