// tests/unit/charter_amendment_test.cc
//
// Charter amendments and dissolution (docs/PROTOCOL.md §5.6 "Charter amendments",
// "Dissolution"; issue 9): an AMEND_CHARTER
// proposal's charter is in force for an event once the proposal is final and passed in that
// event's causal past; the rules in force decide how the rules change; a proposal keeps the
// rule it was fixed with; of two amendments in force the later-proposed one wins; every rule
// that reads the charter (decision rules, notice days, standard rates, member_acts_alone)
// reads the one in force for the event judged. Tested through the fold (core::Group), in
// more than one delivery order where concurrency matters.
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::NoticeBody;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::TestTerms;
using ::constellation::testing::WithdrawalBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;
constexpr uint64_t kDayMs = 86'400'000;

// The test charter without member_acts_alone: opening a campaign then needs a decision.
v1::Charter CharterRequiringCampaignDecisions() {
  v1::Charter c = TestCharter("Amended Partnership");
  c.mutable_decision_rules(0)->set_member_acts_alone(false);
  return c;
}

v1::Event AmendBody(const v1::Charter& charter) {
  v1::Event body = ProposalBody(v1::DECISION_TYPE_AMEND_CHARTER);
  *body.mutable_proposal()->mutable_charter() = charter;
  return body;
}

// A group of the founder (a), bea (b) and cal (c), admitted by the default ADMIT rule.
class CharterAmendmentTest : public ::testing::Test {
 protected:
  CharterAmendmentTest() : history_(founder_, TestCharter()) {
    Admit(bea_, {&founder_});
    Admit(cal_, {&founder_, &bea_});
  }

  void Admit(const SigningKey& invitee, const std::vector<const SigningKey*>& voters) {
    const EventId p = history_.Append(founder_, AdmitBody(invitee.public_key())).id;
    for (const SigningKey* v : voters) history_.Append(*v, StanceBody(p, kAgree));
    for (const SigningKey* v : voters) history_.Append(*v, AcknowledgementBody({p}));
    history_.Append(invitee, AcceptanceBody(p));
  }

  // Every member agrees (the proposal closes: all voted) and then acknowledges: final, passed.
  void Pass(const EventId& p) {
    for (const SigningKey* m : members_) history_.Append(*m, StanceBody(p, kAgree));
    for (const SigningKey* m : members_) history_.Append(*m, AcknowledgementBody({p}));
  }

  // A group holding the history's events in the order written (a causal order).
  Group Fold() const { return FoldOf(history_.events()); }

  Group FoldOf(const std::deque<VerifiedEvent>& events) const {
    Group g(history_.group());
    for (const VerifiedEvent& e : events) {
      absl::StatusOr<InsertResult> r = g.Insert(e);
      EXPECT_TRUE(r.ok()) << r.status();
    }
    return g;
  }

  static std::string RejectionOf(const Group& g, const EventId& id) {
    auto it = g.state().rejected_events().find(id);
    return it == g.state().rejected_events().end() ? "" : it->second;
  }

  const SigningKey founder_ = TestKey('a');
  const SigningKey bea_ = TestKey('b');
  const SigningKey cal_ = TestKey('c');
  const std::vector<const SigningKey*> members_ = {&founder_, &bea_, &cal_};
  HistoryBuilder history_;
};

TEST_F(CharterAmendmentTest, TakesEffectOnlyOnceFinalAndPassed) {
  const EventId amend = history_.Append(founder_, AmendBody(CharterRequiringCampaignDecisions())).id;
  // Open: the genesis charter is in force, bea opens a campaign alone.
  const EventId before = history_.Append(bea_, CampaignBody(TestCampaign(5'000))).id;
  Pass(amend);
  const EventId after = history_.Append(bea_, CampaignBody(TestCampaign(7'000))).id;

  Group g = Fold();
  EXPECT_EQ(RejectionOf(g, before), "");
  EXPECT_THAT(RejectionOf(g, after), HasSubstr("the charter requires an OPEN_CAMPAIGN decision"));
  std::optional<EventId> amended_by;
  const v1::Charter& current = Governance(g.state()).CurrentCharter(g.state(), &amended_by);
  EXPECT_EQ(current.name(), "Amended Partnership");
  EXPECT_EQ(amended_by, amend);
  // The roster keeps the genesis charter; the current one is the amendment's.
  EXPECT_EQ(g.state().roster().charter().name(), "Coastal Resilience Partnership");
}

TEST_F(CharterAmendmentTest, ARejectedAmendmentChangesNothing) {
  const EventId amend = history_.Append(founder_, AmendBody(CharterRequiringCampaignDecisions())).id;
  // Consensus (the default AMEND_CHARTER rule): one disagreement and it fails.
  history_.Append(founder_, StanceBody(amend, kAgree));
  history_.Append(bea_, StanceBody(amend, kAgree));
  history_.Append(cal_, StanceBody(amend, v1::STANCE_CHOICE_DISAGREE, "keep campaigns easy"));
  for (const SigningKey* m : members_) history_.Append(*m, AcknowledgementBody({amend}));
  const EventId campaign = history_.Append(bea_, CampaignBody(TestCampaign(7'000))).id;

  Group g = Fold();
  ASSERT_TRUE(Governance(g.state()).proposals().at(amend).outcome.final);
  EXPECT_EQ(RejectionOf(g, campaign), "");
  std::optional<EventId> amended_by = amend;
  EXPECT_EQ(Governance(g.state()).CurrentCharter(g.state(), &amended_by).name(),
            "Coastal Resilience Partnership");
  EXPECT_EQ(amended_by, std::nullopt);
}

TEST_F(CharterAmendmentTest, AnOpenProposalKeepsTheRuleItWasFixedWith) {
  v1::Charter unanimity = TestCharter("Unanimous Partnership");
  *unanimity.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_ADOPT_STRATEGY, v1::DECISION_PROCESS_UNANIMITY);
  const EventId amend = history_.Append(founder_, AmendBody(unanimity)).id;
  const EventId open_before = history_.Append(bea_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY)).id;
  Pass(amend);
  const EventId after = history_.Append(bea_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY)).id;

  Group g = Fold();
  ASSERT_THAT(g.state().rejected_events(), IsEmpty());
  const auto& proposals = Governance(g.state()).proposals();
  EXPECT_EQ(proposals.at(open_before).rule.process(), v1::DECISION_PROCESS_CONSENT);
  EXPECT_EQ(proposals.at(after).rule.process(), v1::DECISION_PROCESS_UNANIMITY);
}

TEST_F(CharterAmendmentTest, TheRulesInForceDecideHowTheRulesChange) {
  // First amendment: AMEND_CHARTER itself by simple majority.
  v1::Charter majority = TestCharter("Majority Partnership");
  *majority.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_AMEND_CHARTER, v1::DECISION_PROCESS_MAJORITY);
  const EventId first = history_.Append(founder_, AmendBody(majority)).id;
  Pass(first);
  // Second amendment, made under the first: one disagreement no longer stops it.
  const EventId second = history_.Append(bea_, AmendBody(CharterRequiringCampaignDecisions())).id;
  history_.Append(founder_, StanceBody(second, kAgree));
  history_.Append(bea_, StanceBody(second, kAgree));
  history_.Append(cal_, StanceBody(second, v1::STANCE_CHOICE_DISAGREE, "too strict"));
  for (const SigningKey* m : members_) history_.Append(*m, AcknowledgementBody({second}));

  Group g = Fold();
  ASSERT_THAT(g.state().rejected_events(), IsEmpty());
  const ProposalState& ps = Governance(g.state()).proposals().at(second);
  EXPECT_EQ(ps.rule.process(), v1::DECISION_PROCESS_MAJORITY);
  ASSERT_TRUE(ps.outcome.final);
  EXPECT_EQ(ps.outcome.outcome, DecisionOutcome::kPassed);
  EXPECT_EQ(Governance(g.state()).CurrentCharter(g.state()).name(), "Amended Partnership");
}

TEST_F(CharterAmendmentTest, TheLaterProposedAmendmentWinsWhicheverIsFinalFirst) {
  v1::Charter early = TestCharter("Early Proposal");
  v1::Charter late = TestCharter("Late Proposal");
  const EventId a = history_.Append(founder_, AmendBody(early)).id;
  const EventId b = history_.Append(bea_, AmendBody(late)).id;
  Pass(b);  // the later-proposed one is final first...
  {
    Group g = Fold();
    EXPECT_EQ(Governance(g.state()).CurrentCharter(g.state()).name(), "Late Proposal");
  }
  Pass(a);  // ...and stays in force when the earlier-proposed one turns final after it.
  Group g = Fold();
  ASSERT_TRUE(Governance(g.state()).proposals().at(a).outcome.final);
  std::optional<EventId> amended_by;
  EXPECT_EQ(Governance(g.state()).CurrentCharter(g.state(), &amended_by).name(), "Late Proposal");
  EXPECT_EQ(amended_by, b);
}

TEST_F(CharterAmendmentTest, AnEventThatHadNotSeenTheAmendmentFinalIsJudgedByTheOldCharter) {
  const EventId amend = history_.Append(founder_, AmendBody(CharterRequiringCampaignDecisions())).id;
  for (const SigningKey* m : members_) history_.Append(*m, StanceBody(amend, kAgree));
  history_.Append(cal_, AcknowledgementBody({amend}));
  history_.Append(founder_, AcknowledgementBody({amend}));
  history_.Append(bea_, AcknowledgementBody({amend}));  // final here
  // cal keeps writing on its own chain without seeing the founder's and bea's
  // acknowledgements (empty deps): they made the amendment final, so it is not final in the
  // past of cal's campaigns, and the genesis charter (member_acts_alone) is in force for them,
  // even for the second, which sorts after the final acknowledgement.
  const EventId unaware_1 = history_.AppendWithDeps(cal_, CampaignBody(TestCampaign(9'000)), {}).id;
  const EventId unaware_2 = history_.AppendWithDeps(cal_, CampaignBody(TestCampaign(9'500)), {}).id;
  // bea, having seen everything, may not.
  const EventId aware = history_.Append(bea_, CampaignBody(TestCampaign(8'000))).id;

  Group g = Fold();
  ASSERT_TRUE(Governance(g.state()).proposals().at(amend).outcome.final);
  EXPECT_EQ(RejectionOf(g, unaware_1), "");
  EXPECT_EQ(RejectionOf(g, unaware_2), "");
  EXPECT_THAT(RejectionOf(g, aware), HasSubstr("requires an OPEN_CAMPAIGN decision"));

  // Delivered with bea's last two events last, every node derives the same state.
  std::deque<VerifiedEvent> reordered;
  const EventId bea_ack = history_.Chain(bea_.public_key()).end()[-2];
  for (const VerifiedEvent& e : history_.events()) {
    if (e.id != bea_ack && e.id != aware) reordered.push_back(e);
  }
  reordered.push_back(history_.Get(bea_ack));
  reordered.push_back(history_.Get(aware));
  Group other = FoldOf(reordered);
  EXPECT_EQ(other.StateHash(), g.StateHash());
  EXPECT_EQ(RejectionOf(other, unaware_2), "");
}

TEST_F(CharterAmendmentTest, NoticeDaysAreThoseOfTheCharterInForce) {
  v1::Charter thirty_days = TestCharter("Thirty Days Notice");
  thirty_days.set_withdrawal_notice_days(30);
  const EventId amend = history_.Append(founder_, AmendBody(thirty_days)).id;
  Pass(amend);
  const uint64_t now_ms = history_.Get(history_.Chain(cal_.public_key()).back()).hlc.wall_ms;
  // A notice effective in 10 days is too early under the amended charter.
  const EventId early = history_.Append(cal_, NoticeBody(now_ms + 10 * kDayMs)).id;
  // One with the default effective time takes the charter's 30 days.
  const VerifiedEvent notice = history_.Append(bea_, NoticeBody());

  Group g = Fold();
  EXPECT_THAT(RejectionOf(g, early), HasSubstr("notice of 30 days"));
  const MemberState& bea = g.state().roster().members().at(bea_.public_key());
  EXPECT_EQ(bea.status, MemberStatus::kNoticeGiven);
  EXPECT_EQ(bea.notice_effective_ms, notice.hlc.wall_ms + 30 * kDayMs);
}

// A charter that lets the group dissolve by consent (DISSOLVE has no default rule).
v1::Charter DissolvableCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_DISSOLVE, v1::DECISION_PROCESS_CONSENT);
  return c;
}

class DissolutionTest : public CharterAmendmentTest {
 protected:
  DissolutionTest() {
    // The founding charter of the fixture has no DISSOLVE rule: amend it first.
    const EventId amend = history_.Append(founder_, AmendBody(DissolvableCharter())).id;
    Pass(amend);
    campaign_ = history_.Append(founder_, CampaignBody(TestCampaign(10'000))).id;
    pledge_ = history_.Append(bea_, PledgeBody(campaign_, TestTerms(4'000))).id;
  }
  EventId campaign_;
  EventId pledge_;
};

TEST_F(DissolutionTest, AFinalPassedDissolutionAdmitsOnlyTheRecordsThatSettleTheGroup) {
  const EventId dissolve = history_.Append(founder_, ProposalBody(v1::DECISION_TYPE_DISSOLVE)).id;
  // Still open: a new campaign is fine.
  const EventId while_open = history_.Append(cal_, CampaignBody(TestCampaign(2'000))).id;
  Pass(dissolve);
  const EventId new_campaign = history_.Append(cal_, CampaignBody(TestCampaign(3'000))).id;
  const EventId new_pledge = history_.Append(cal_, PledgeBody(campaign_, TestTerms(500))).id;
  const EventId new_proposal = history_.Append(bea_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY)).id;
  // Settling: the fiscal host records money received, a member leaves.
  const EventId payment = history_.Append(founder_, PaymentBody(pledge_, 4'000)).id;
  const EventId leave = history_.Append(cal_, WithdrawalBody()).id;

  Group g = Fold();
  EXPECT_EQ(RejectionOf(g, while_open), "");
  for (const EventId& refused : {new_campaign, new_pledge, new_proposal}) {
    EXPECT_THAT(RejectionOf(g, refused), HasSubstr("is dissolved")) << refused.ShortHex();
    EXPECT_THAT(RejectionOf(g, refused), HasSubstr(dissolve.ShortHex()));
  }
  EXPECT_THAT(RejectionOf(g, new_campaign), HasSubstr("this campaign is not one"));
  EXPECT_EQ(RejectionOf(g, payment), "");
  EXPECT_EQ(RejectionOf(g, leave), "");
  EXPECT_EQ(Governance(g.state()).DissolvedBy(), dissolve);
  EXPECT_EQ(g.state().roster().members().at(cal_.public_key()).status, MemberStatus::kWithdrawn);
}

TEST_F(DissolutionTest, NotDissolvedUntilFinalAndPassed) {
  const EventId dissolve = history_.Append(founder_, ProposalBody(v1::DECISION_TYPE_DISSOLVE)).id;
  history_.Append(founder_, StanceBody(dissolve, kAgree));
  history_.Append(bea_, StanceBody(dissolve, v1::STANCE_CHOICE_BLOCK, "we have pledges to honour"));
  history_.Append(cal_, StanceBody(dissolve, kAgree));
  for (const SigningKey* m : members_) history_.Append(*m, AcknowledgementBody({dissolve}));
  const EventId campaign = history_.Append(cal_, CampaignBody(TestCampaign(3'000))).id;

  Group g = Fold();
  ASSERT_TRUE(Governance(g.state()).proposals().at(dissolve).outcome.final);
  EXPECT_EQ(RejectionOf(g, campaign), "");
  EXPECT_EQ(Governance(g.state()).DissolvedBy(), std::nullopt);
}

TEST_F(DissolutionTest, ARecordWhoseAuthorHadNotSeenTheDissolutionFinalKeepsItsEffect) {
  const EventId dissolve = history_.Append(founder_, ProposalBody(v1::DECISION_TYPE_DISSOLVE)).id;
  for (const SigningKey* m : members_) history_.Append(*m, StanceBody(dissolve, kAgree));
  history_.Append(cal_, AcknowledgementBody({dissolve}));
  history_.Append(founder_, AcknowledgementBody({dissolve}));
  history_.Append(bea_, AcknowledgementBody({dissolve}));  // final here
  const EventId unaware_1 = history_.AppendWithDeps(cal_, CampaignBody(TestCampaign(9'000)), {}).id;
  const EventId unaware_2 = history_.AppendWithDeps(cal_, CampaignBody(TestCampaign(9'500)), {}).id;
  const EventId aware = history_.Append(bea_, CampaignBody(TestCampaign(8'000))).id;

  Group g = Fold();
  EXPECT_EQ(RejectionOf(g, unaware_1), "");
  EXPECT_EQ(RejectionOf(g, unaware_2), "");
  EXPECT_THAT(RejectionOf(g, aware), HasSubstr("is dissolved"));
}

}  // namespace
}  // namespace constellation::core
