// tests/unit/decisions_test.cc
//
// The decision engine (server/core/decisions.h) and its fold in GroupState: rules and their
// defaults, electorates fixed by the proposal's causal past, stances (reasons, revisions,
// the electorate, the close), the three closes, every process with weights and quorum, and
// finality (DESIGN §3). Events are applied in the order written, a causal order.
#include "server/core/governance/decisions.h"

#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::ExpelBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::testing::HasSubstr;

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;
constexpr v1::StanceChoice kAbstain = v1::STANCE_CHOICE_ABSTAIN;
constexpr v1::StanceChoice kDisagree = v1::STANCE_CHOICE_DISAGREE;
constexpr v1::StanceChoice kBlock = v1::STANCE_CHOICE_BLOCK;
constexpr v1::DecisionType kStrategy = v1::DECISION_TYPE_ADOPT_STRATEGY;

// ---------------------------------------------------------------------------------------------
// Pure functions

OrgKey Key(char fill) { return TestKey(fill).public_key(); }

CastStance Cast(char who, uint64_t seq, uint64_t wall_ms, v1::StanceChoice choice) {
  CastStance s;
  s.event = EventId::FromArray(
      std::array<uint8_t, 32>{static_cast<uint8_t>(who), static_cast<uint8_t>(seq)});
  s.author = Key(who);
  s.seq = seq;
  s.hlc = Hlc{wall_ms, 0};
  s.choice = choice;
  return s;
}

Electorate Voters(std::vector<std::pair<char, uint64_t>> weights) {
  Electorate e;
  for (const auto& [who, weight] : weights) e[Key(who)] = Voter{weight, true};
  return e;
}

v1::DecisionRule Rule(v1::DecisionProcess process, uint32_t quorum_bps = 0,
                      uint32_t threshold_bps = 0) {
  return MakeDecisionRule(kStrategy, process, quorum_bps, threshold_bps);
}

// What `stances` decide under `rule`, closing far in the future.
DecisionOutcome Outcome(const v1::DecisionRule& rule, const Electorate& electorate,
                        const std::vector<CastStance>& stances) {
  return Decide(rule, CountStances(rule, electorate, stances, Hlc{1'000'000, 0}));
}

TEST(DecisionRuleTest, DefaultsCoverTheTypesAllowedWithoutACharterRule) {
  std::optional<v1::DecisionRule> admit = DefaultDecisionRule(v1::DECISION_TYPE_ADMIT);
  ASSERT_TRUE(admit.has_value());
  EXPECT_EQ(admit->process(), v1::DECISION_PROCESS_SUPERMAJORITY);
  EXPECT_EQ(admit->threshold_bps(), 6667u);
  EXPECT_EQ(admit->quorum_bps(), 6667u);
  EXPECT_EQ(admit->voting_window_ms(), kVotingWindowMsDefault);
  EXPECT_EQ(DefaultDecisionRule(v1::DECISION_TYPE_EXPEL)->process(),
            v1::DECISION_PROCESS_UNANIMITY);
  EXPECT_EQ(DefaultDecisionRule(v1::DECISION_TYPE_AMEND_CHARTER)->process(),
            v1::DECISION_PROCESS_CONSENSUS);
  EXPECT_EQ(DefaultDecisionRule(v1::DECISION_TYPE_ADOPT_STRATEGY)->process(),
            v1::DECISION_PROCESS_CONSENT);
  EXPECT_EQ(DefaultDecisionRule(v1::DECISION_TYPE_OPEN_CAMPAIGN)->process(),
            v1::DECISION_PROCESS_CONSENT);
  EXPECT_FALSE(DefaultDecisionRule(v1::DECISION_TYPE_ALLOCATE_FUNDS).has_value());
  EXPECT_FALSE(DefaultDecisionRule(v1::DECISION_TYPE_WRITE_OFF).has_value());
  EXPECT_FALSE(DefaultDecisionRule(v1::DECISION_TYPE_DISSOLVE).has_value());
}

TEST(DecisionRuleTest, CharterRuleWinsAndIsNormalized) {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_SUPERMAJORITY, 5000);
  ASSERT_OK_AND_ASSIGN(ResolvedRule r, ResolveDecisionRule(c, v1::DECISION_TYPE_ADMIT));
  EXPECT_TRUE(r.from_charter);
  EXPECT_EQ(r.rule.quorum_bps(), 5000u);
  EXPECT_EQ(r.rule.threshold_bps(), kSupermajorityThresholdBpsDefault);
  EXPECT_EQ(r.rule.voting_window_ms(), kVotingWindowMsDefault);
  ASSERT_OK_AND_ASSIGN(ResolvedRule d, ResolveDecisionRule(c, v1::DECISION_TYPE_EXPEL));
  EXPECT_FALSE(d.from_charter);
  EXPECT_EQ(d.rule.process(), v1::DECISION_PROCESS_UNANIMITY);
}

TEST(DecisionRuleTest, TypeWithoutRuleOrDefaultIsNotAllowed) {
  EXPECT_THAT(ResolveDecisionRule(TestCharter(), v1::DECISION_TYPE_DISSOLVE),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not allow dissolve proposals")));
  EXPECT_THAT(ResolveDecisionRule(TestCharter(), v1::DECISION_TYPE_UNSPECIFIED),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::Charter c = TestCharter();
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_DISSOLVE, v1::DECISION_PROCESS_UNANIMITY);
  EXPECT_OK(ResolveDecisionRule(c, v1::DECISION_TYPE_DISSOLVE));
}

TEST(DecideTest, ConsentPassesUnlessBlocked) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_CONSENT);
  const Electorate voters = Voters({{'a', 1}, {'b', 1}, {'c', 1}});
  EXPECT_EQ(Outcome(rule, voters, {}), DecisionOutcome::kPassed);  // silence is consent
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kDisagree)}), DecisionOutcome::kPassed);
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kBlock)}),
            DecisionOutcome::kBlocked);
}

TEST(DecideTest, ConsensusNeedsNoDisagreeOrBlock) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_CONSENSUS);
  const Electorate voters = Voters({{'a', 1}, {'b', 1}});
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kAbstain)}),
            DecisionOutcome::kPassed);
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kDisagree)}),
            DecisionOutcome::kRejected);
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kBlock)}), DecisionOutcome::kBlocked);
}

TEST(DecideTest, MajorityWeighsStancesAndCountsBlocksAsDisagree) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_MAJORITY);
  const Electorate voters = Voters({{'a', 3}, {'b', 1}, {'c', 1}});
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kDisagree)}),
            DecisionOutcome::kPassed);  // 3 > 1
  EXPECT_EQ(
      Outcome(rule, voters,
              {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kDisagree), Cast('c', 2, 10, kBlock)}),
      DecisionOutcome::kPassed);  // 3 > 2
  EXPECT_EQ(Outcome(rule, voters, {Cast('b', 2, 10, kAgree), Cast('a', 2, 10, kDisagree)}),
            DecisionOutcome::kRejected);
  EXPECT_EQ(Outcome(rule, voters, {Cast('b', 2, 10, kAgree), Cast('c', 2, 10, kBlock)}),
            DecisionOutcome::kRejected);  // a tie does not pass
  EXPECT_EQ(Outcome(rule, voters, {}), DecisionOutcome::kRejected);
}

TEST(DecideTest, SupermajorityUsesTheThresholdInBasisPoints) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_SUPERMAJORITY, 0, 6667);
  const Electorate voters = Voters({{'a', 1}, {'b', 1}, {'c', 1}, {'d', 1}});
  // 2 of 3 is 6666.67 bps: below 6667.
  EXPECT_EQ(
      Outcome(rule, voters,
              {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kAgree), Cast('c', 2, 10, kDisagree)}),
      DecisionOutcome::kRejected);
  // Abstentions do not count against.
  EXPECT_EQ(Outcome(rule, voters,
                    {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kAgree), Cast('c', 2, 10, kAgree),
                     Cast('d', 2, 10, kDisagree)}),
            DecisionOutcome::kPassed);  // 7500 bps
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAbstain)}), DecisionOutcome::kRejected);
  const v1::DecisionRule half = Rule(v1::DECISION_PROCESS_SUPERMAJORITY, 0, 5000);
  EXPECT_EQ(Outcome(half, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kDisagree)}),
            DecisionOutcome::kPassed);  // exactly the threshold passes
}

TEST(DecideTest, UnanimityNeedsEveryDecidingVoter) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_UNANIMITY);
  const Electorate voters = Voters({{'a', 1}, {'b', 2}});
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kAgree)}),
            DecisionOutcome::kPassed);
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree)}), DecisionOutcome::kRejected);
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kAbstain)}),
            DecisionOutcome::kRejected);
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kBlock)}),
            DecisionOutcome::kBlocked);
}

TEST(DecideTest, LeadDecidesCountsOnlyTheLeads) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_LEAD_DECIDES);
  Electorate voters = Voters({{'a', 1}, {'b', 1}, {'c', 5}});
  voters[Key('c')].decides = false;  // an adviser
  const std::vector<CastStance> stances = {Cast('a', 2, 10, kAgree), Cast('c', 2, 10, kDisagree)};
  Tally t = CountStances(rule, voters, stances, Hlc{100, 0});
  EXPECT_EQ(t.eligible_weight, 2u);
  EXPECT_EQ(t.agree_weight, 1u);
  EXPECT_EQ(t.disagree_weight, 0u);
  EXPECT_EQ(t.advice_count, 1u);
  EXPECT_EQ(Decide(rule, t), DecisionOutcome::kPassed);
  EXPECT_EQ(Outcome(rule, voters, {Cast('b', 2, 10, kBlock)}), DecisionOutcome::kBlocked);
  EXPECT_EQ(Outcome(rule, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 10, kDisagree)}),
            DecisionOutcome::kRejected);
}

TEST(DecideTest, QuorumIsAShareOfEligibleWeight) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_CONSENT, 5000);
  const Electorate voters = Voters({{'a', 1}, {'b', 1}, {'c', 2}});
  // a alone: 1 of 4 = 2500 bps.
  Tally t = CountStances(rule, voters, {Cast('a', 2, 10, kAgree)}, Hlc{100, 0});
  EXPECT_FALSE(t.quorum_met);
  EXPECT_EQ(Decide(rule, t), DecisionOutcome::kNoQuorum);
  // c alone: 2 of 4 = 5000 bps, an abstention counts towards quorum.
  EXPECT_EQ(Outcome(rule, voters, {Cast('c', 2, 10, kAbstain)}), DecisionOutcome::kPassed);
}

TEST(CountStancesTest, LatestStanceByOwnSeqAtOrBeforeTheCloseCounts) {
  const v1::DecisionRule rule = Rule(v1::DECISION_PROCESS_MAJORITY);
  const Electorate voters = Voters({{'a', 1}, {'b', 1}});
  const std::vector<CastStance> stances = {Cast('a', 3, 20, kDisagree), Cast('a', 2, 10, kAgree),
                                           Cast('a', 4, 40, kAgree), Cast('x', 2, 5, kAgree)};
  Tally at_30 = CountStances(rule, voters, stances, Hlc{30, 0});
  EXPECT_EQ(at_30.disagree_weight, 1u);  // seq 3 revises seq 2; seq 4 is after the close
  EXPECT_EQ(at_30.agree_weight, 0u);     // x is not a voter
  EXPECT_EQ(at_30.stance_count, 1u);
  Tally at_40 = CountStances(rule, voters, stances, Hlc{40, 0});
  EXPECT_EQ(at_40.agree_weight, 1u);  // a stance exactly at the close counts
}

TEST(ComputeCloseTest, EarliestOfDeadlineProposerAndAllVoted) {
  const Electorate voters = Voters({{'a', 1}, {'b', 1}});
  ClosePoint deadline = ComputeClose(1'000, std::nullopt, voters, {Cast('a', 2, 10, kAgree)});
  EXPECT_EQ(deadline.reason, CloseReason::kDeadline);
  EXPECT_EQ(deadline.hlc, DeadlineClosePoint(1'000));
  EXPECT_EQ(deadline.hlc.wall_ms, 999u);

  ClosePoint proposer =
      ComputeClose(1'000, Hlc{50, 0}, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 60, kAgree)});
  EXPECT_EQ(proposer.reason, CloseReason::kProposer);
  EXPECT_EQ(proposer.hlc, (Hlc{50, 0}));

  // All voted at the later of the earliest stances (a revision does not move it).
  ClosePoint all = ComputeClose(
      1'000, Hlc{500, 0}, voters,
      {Cast('a', 2, 10, kAgree), Cast('b', 2, 30, kAgree), Cast('a', 3, 40, kDisagree)});
  EXPECT_EQ(all.reason, CloseReason::kAllVoted);
  EXPECT_EQ(all.hlc, (Hlc{30, 0}));

  // Ties prefer the proposer's close.
  ClosePoint tie =
      ComputeClose(1'000, Hlc{30, 0}, voters, {Cast('a', 2, 10, kAgree), Cast('b', 2, 30, kAgree)});
  EXPECT_EQ(tie.reason, CloseReason::kProposer);
}

TEST(ComputeCloseTest, AdvisersDoNotCompleteTheVote) {
  Electorate voters = Voters({{'a', 1}, {'c', 1}});
  voters[Key('c')].decides = false;
  ClosePoint close = ComputeClose(1'000, std::nullopt, voters, {Cast('a', 2, 10, kAgree)});
  EXPECT_EQ(close.reason, CloseReason::kAllVoted);
  EXPECT_EQ(close.hlc, (Hlc{10, 0}));
}

TEST(NamesTest, OutcomesAndCloseReasons) {
  EXPECT_EQ(DecisionOutcomeName(DecisionOutcome::kNoQuorum), "no_quorum");
  EXPECT_EQ(DecisionOutcomeName(DecisionOutcome::kBlocked), "blocked");
  EXPECT_EQ(CloseReasonName(CloseReason::kAllVoted), "all_voted");
  EXPECT_EQ(DecisionTypeName(v1::DECISION_TYPE_WRITE_OFF), "write_off");
  EXPECT_EQ(DecisionProcessName(v1::DECISION_PROCESS_LEAD_DECIDES), "lead_decides");
}

// ---------------------------------------------------------------------------------------------
// Decisions in the fold

// A group whose founder (a) admits members by consent without quorum, and whose
// ADOPT_STRATEGY rule each test chooses.
class DecisionFoldTest : public ::testing::Test {
 protected:
  static v1::Charter CharterWith(const v1::DecisionRule& strategy_rule) {
    v1::Charter c = TestCharter();
    *c.add_decision_rules() =
        MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
    *c.add_decision_rules() = strategy_rule;
    return c;
  }

  explicit DecisionFoldTest(
      const v1::DecisionRule& strategy_rule = Rule(v1::DECISION_PROCESS_MAJORITY))
      : history_(founder_, CharterWith(strategy_rule)), state_(history_.group()) {
    state_.Apply(history_.genesis());
    writers_.push_back(&founder_);
  }

  // Applies `e` and returns the fold's verdict, checking that rejected_events() agrees.
  absl::Status Put(const VerifiedEvent& e) {
    absl::Status verdict = state_.Check(e);
    state_.Apply(e);
    auto rejected = state_.rejected_events().find(e.id);
    if (verdict.ok()) {
      EXPECT_EQ(rejected, state_.rejected_events().end()) << "accepted event listed as rejected";
    } else if (rejected == state_.rejected_events().end()) {
      ADD_FAILURE() << "rejected event not listed: " << verdict;
    } else {
      EXPECT_EQ(rejected->second, verdict.message());
    }
    last_ = e;
    return verdict;
  }
  absl::Status Write(const SigningKey& author, const v1::Event& body) {
    return Put(history_.Append(author, body));
  }
  absl::Status WriteAt(const SigningKey& author, const v1::Event& body, uint64_t wall_ms) {
    return Put(history_.AppendAt(author, body, Hlc{wall_ms, 0}));
  }
  EventId Ok(const SigningKey& author, const v1::Event& body) {
    absl::Status s = Write(author, body);
    EXPECT_TRUE(s.ok()) << s;
    return last_.id;
  }
  EventId OkAt(const SigningKey& author, const v1::Event& body, uint64_t wall_ms) {
    absl::Status s = WriteAt(author, body, wall_ms);
    EXPECT_TRUE(s.ok()) << s;
    return last_.id;
  }

  // Admits `invitee` by a consent decision: the founder proposes and closes, every writer
  // acknowledges (finality), the invitee accepts.
  void Admit(const SigningKey& invitee, v1::Role role = v1::ROLE_PARTNER, uint32_t weight = 1) {
    EventId p = Ok(founder_, AdmitBody(invitee.public_key(), role, weight));
    Ok(founder_, ProposalCloseBody(p));
    for (const SigningKey* w : writers_) Ok(*w, AcknowledgementBody({p}));
    ASSERT_TRUE(Governance(state_).Outcome(state_, p)->final);
    Ok(invitee, AcceptanceBody(p));
    if (role != v1::ROLE_OBSERVER) writers_.push_back(&invitee);
  }

  // Every writer acknowledges `p` (an event after its close).
  void AckAll(const EventId& p) {
    for (const SigningKey* w : writers_) Ok(*w, AcknowledgementBody({p}));
  }

  ProposalOutcome OutcomeOf(const EventId& p) {
    absl::StatusOr<ProposalOutcome> o = Governance(state_).Outcome(state_, p);
    EXPECT_TRUE(o.ok()) << o.status();
    return o.ok() ? *o : ProposalOutcome{};
  }

  const SigningKey founder_ = TestKey('a');
  const SigningKey bea_ = TestKey('b');
  const SigningKey cal_ = TestKey('c');
  const SigningKey dee_ = TestKey('d');
  const SigningKey outsider_ = TestKey('x');
  HistoryBuilder history_;
  GroupState state_;
  VerifiedEvent last_;
  std::vector<const SigningKey*> writers_;
};

TEST_F(DecisionFoldTest, ProposalFixesRuleDeadlineAndElectorate) {
  Admit(bea_, v1::ROLE_PARTNER, 2);
  Admit(cal_, v1::ROLE_COORDINATOR);
  Admit(dee_, v1::ROLE_OBSERVER);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  const ProposalState& ps = Governance(state_).proposals().at(p);
  EXPECT_EQ(ps.proposer, founder_.public_key());
  EXPECT_EQ(ps.rule.process(), v1::DECISION_PROCESS_MAJORITY);
  EXPECT_TRUE(ps.rule_from_charter);
  EXPECT_EQ(ps.deadline_ms, ps.hlc.wall_ms + kVotingWindowMsDefault);
  // Observers never vote; coordinators only when the rule says so.
  ASSERT_EQ(ps.electorate.size(), 2u);
  EXPECT_EQ(ps.electorate.at(founder_.public_key()).weight, 1u);
  EXPECT_EQ(ps.electorate.at(bea_.public_key()).weight, 2u);
  EXPECT_EQ(ps.outcome.outcome, DecisionOutcome::kOpen);
  EXPECT_FALSE(ps.outcome.closed);
  EXPECT_EQ(ps.outcome.close.reason, CloseReason::kDeadline);
  EXPECT_EQ(ps.outcome.tally.eligible_weight, 3u);
}

class CoordinatorsVoteTest : public DecisionFoldTest {
 protected:
  CoordinatorsVoteTest()
      : DecisionFoldTest(MakeDecisionRule(kStrategy, v1::DECISION_PROCESS_MAJORITY, 0, 0, 0,
                                          /*coordinators_vote=*/true)) {}
};

TEST_F(CoordinatorsVoteTest, CoordinatorVotesWhenTheRuleSaysSo) {
  Admit(cal_, v1::ROLE_COORDINATOR);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  EXPECT_TRUE(Governance(state_).proposals().at(p).electorate.contains(cal_.public_key()));
  EXPECT_OK(Write(cal_, StanceBody(p, kAgree)));
}

TEST_F(DecisionFoldTest, ElectorateIsFixedByTheProposalsCausalPast) {
  Admit(bea_);
  // The founder proposes without having seen bea's acceptance (deps: none but its own chain),
  // although the acceptance was folded first.
  const OrgKey founder = founder_.public_key();
  std::vector<EventId> no_deps;
  VerifiedEvent blind = history_.AppendWithDeps(founder_, ProposalBody(kStrategy), no_deps);
  ASSERT_OK(Put(blind));
  const Electorate& electorate = Governance(state_).proposals().at(blind.id).electorate;
  EXPECT_TRUE(electorate.contains(founder));
  EXPECT_FALSE(electorate.contains(bea_.public_key()));
  EXPECT_THAT(Write(bea_, StanceBody(blind.id, kAgree)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not in the electorate")));
  // A proposal that saw the acceptance includes bea.
  EventId seen = Ok(founder_, ProposalBody(kStrategy));
  EXPECT_TRUE(Governance(state_).proposals().at(seen).electorate.contains(bea_.public_key()));
}

TEST_F(DecisionFoldTest, ProposalOfATypeTheCharterDoesNotAllowIsRejected) {
  EXPECT_THAT(Write(founder_, ProposalBody(v1::DECISION_TYPE_ALLOCATE_FUNDS)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not allow allocate_funds proposals")));
  EXPECT_THAT(Write(founder_, ProposalBody(v1::DECISION_TYPE_WRITE_OFF)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(Governance(state_).proposals().empty());
  // Types with a default need no charter rule.
  EXPECT_OK(Write(founder_, ProposalBody(v1::DECISION_TYPE_OPEN_CAMPAIGN)));
}

TEST_F(DecisionFoldTest, ProposalBodyAndDeadlineAreValidated) {
  v1::Event untitled = ProposalBody(kStrategy);
  untitled.mutable_proposal()->clear_title();
  EXPECT_THAT(Write(founder_, untitled),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("proposal.title")));
  v1::Event wrong_payload = ProposalBody(kStrategy);
  wrong_payload.mutable_proposal()->set_dissolution_plan("x");
  EXPECT_THAT(Write(founder_, wrong_payload),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs its payload")));
  // The deadline must come after the proposal and within kVotingWindowMsMax of it.
  EXPECT_THAT(WriteAt(founder_, ProposalBody(kStrategy, 5'000), 5'000),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deadline_ms")));
  EXPECT_THAT(
      WriteAt(founder_, ProposalBody(kStrategy, 6'000 + limits::kVotingWindowMsMax + 1), 6'000),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kVotingWindowMsMax")));
  EventId p = OkAt(founder_, ProposalBody(kStrategy, 9'000), 7'000);
  EXPECT_EQ(Governance(state_).proposals().at(p).deadline_ms, 9'000u);
}

TEST_F(DecisionFoldTest, DisagreeAndBlockNeedAReason) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  EXPECT_THAT(Write(bea_, StanceBody(p, kDisagree)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stance.reason")));
  EXPECT_THAT(Write(bea_, StanceBody(p, kBlock)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stance.reason")));
  EXPECT_THAT(Write(bea_, StanceBody(p, v1::STANCE_CHOICE_UNSPECIFIED)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stance.choice")));
  EXPECT_OK(Write(bea_, StanceBody(p, kAgree)));  // agree and abstain need none
  EXPECT_OK(Write(bea_, StanceBody(p, kDisagree, "the budget is not realistic")));
  EXPECT_EQ(Governance(state_).proposals().at(p).stances.size(), 2u);
}

TEST_F(DecisionFoldTest, StanceOutsideTheElectorateIsPermissionDenied) {
  Admit(cal_, v1::ROLE_COORDINATOR);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  EXPECT_THAT(Write(cal_, StanceBody(p, kAgree)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not in the electorate")));
  EXPECT_THAT(Write(outsider_, StanceBody(p, kAgree)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not an active member")));
  EXPECT_TRUE(Governance(state_).proposals().at(p).stances.empty());
}

TEST_F(DecisionFoldTest, StanceOnAnUnknownOrUnseenProposalIsRejected) {
  Admit(bea_);
  EXPECT_THAT(Write(bea_, StanceBody(history_.genesis().id, kAgree)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not found")));
  // bea names a proposal it has not seen (no dep on it).
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  VerifiedEvent blind = history_.AppendWithDeps(bea_, StanceBody(p, kAgree), {});
  EXPECT_THAT(Put(blind),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not in the causal past")));
  EXPECT_THAT(Write(bea_, AcknowledgementBody({history_.genesis().id})),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(Write(bea_, AcknowledgementBody({p})));
}

TEST_F(DecisionFoldTest, StancesAreRevisableUntilTheClose) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(bea_, StanceBody(p, kDisagree, "too early"));
  Ok(bea_, StanceBody(p, kAgree));
  // Every member has a stance: it closes at the latest of their earliest stances (this one).
  Ok(founder_, StanceBody(p, kAgree));
  const ProposalOutcome o = OutcomeOf(p);
  EXPECT_TRUE(o.closed);
  EXPECT_EQ(o.close.reason, CloseReason::kAllVoted);
  EXPECT_EQ(o.tally.agree_weight, 2u);  // bea's revision counts
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  // After the close, no revision.
  EXPECT_THAT(Write(bea_, StanceBody(p, kBlock, "changed my mind")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is closed")));
}

TEST_F(DecisionFoldTest, ProposerClosesAndOnlyTheProposer) {
  Admit(bea_);
  Admit(cal_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(bea_, StanceBody(p, kAgree));
  EXPECT_THAT(Write(bea_, ProposalCloseBody(p)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only the proposer")));
  EventId close = Ok(founder_, ProposalCloseBody(p));
  ProposalOutcome o = OutcomeOf(p);
  EXPECT_TRUE(o.closed);
  EXPECT_EQ(o.close.reason, CloseReason::kProposer);
  EXPECT_EQ(o.close.hlc, history_.Get(close).hlc);
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);  // 1 agree > 0
  EXPECT_FALSE(o.final);
  EXPECT_THAT(Write(cal_, StanceBody(p, kDisagree, "no")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is closed")));
  EXPECT_THAT(Write(founder_, ProposalCloseBody(p)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already closed")));
}

TEST_F(DecisionFoldTest, DeadlineClosesByTheStampsOfTheEvents) {
  Admit(bea_);
  EventId p = OkAt(founder_, ProposalBody(kStrategy, 50'000), 40'000);
  OkAt(bea_, StanceBody(p, kAgree), 49'999);  // before the deadline: counts
  EXPECT_FALSE(OutcomeOf(p).closed);
  // The fold reads no clock: only an event stamped at or after the deadline closes it.
  ProposalOutcome later = *Governance(state_).Outcome(state_, p, 60'000);
  EXPECT_FALSE(later.closed);
  EXPECT_TRUE(later.past_deadline);
  EXPECT_EQ(later.outcome, DecisionOutcome::kPassed);
  EXPECT_THAT(WriteAt(founder_, StanceBody(p, kDisagree, "late"), 50'000),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is closed")));
  ProposalOutcome o = OutcomeOf(p);
  EXPECT_TRUE(o.closed);  // the rejected stance still shows the deadline has passed
  EXPECT_FALSE(o.past_deadline);
  EXPECT_EQ(o.close.reason, CloseReason::kDeadline);
  EXPECT_EQ(o.close.hlc, DeadlineClosePoint(50'000));
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  EXPECT_FALSE(o.final);  // bea has no event past the close yet
  OkAt(bea_, AcknowledgementBody({p}), 50'001);
  EXPECT_TRUE(OutcomeOf(p).final);
}

TEST_F(DecisionFoldTest, FinalOnlyWhenEveryDecidingMemberHasAnEventPastTheClose) {
  Admit(bea_);
  Admit(cal_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kAgree));
  Ok(bea_, StanceBody(p, kAgree));
  EventId last_vote = Ok(cal_, StanceBody(p, kDisagree, "costly"));
  ProposalOutcome o = OutcomeOf(p);
  EXPECT_TRUE(o.closed);
  EXPECT_EQ(o.close.reason, CloseReason::kAllVoted);
  EXPECT_EQ(o.close.hlc, history_.Get(last_vote).hlc);
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  EXPECT_FALSE(o.final);
  Ok(founder_, AcknowledgementBody({p}));
  Ok(cal_, AcknowledgementBody({p}));
  EXPECT_FALSE(OutcomeOf(p).final) << "bea has not shown it is past the close";
  EventId bea_ack = Ok(bea_, AcknowledgementBody({p}));
  o = OutcomeOf(p);
  EXPECT_TRUE(o.final);
  ASSERT_TRUE(o.final_at.has_value());
  EXPECT_EQ(*o.final_at, bea_ack);
  // Any event past the close counts, not only acknowledgements; and a final outcome stays.
  Ok(founder_, CampaignBody(TestCampaign(1'000)));
  EXPECT_EQ(OutcomeOf(p).outcome, DecisionOutcome::kPassed);
}

TEST_F(DecisionFoldTest, OtherTypesRecordTheirOutcomeOnly) {
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kAgree));
  Ok(founder_, AcknowledgementBody({p}));
  ProposalOutcome o = OutcomeOf(p);
  EXPECT_TRUE(o.final);
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  EXPECT_FALSE(Governance(state_).proposals().at(p).effect_applied);
}

TEST_F(DecisionFoldTest, OutcomeOfAnUnknownProposalIsNotFound) {
  EXPECT_THAT(Governance(state_).Outcome(state_, history_.genesis().id), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(DecisionFoldTest, HashCoversProposalsStancesAndOutcomes) {
  Admit(bea_);
  auto before = state_.Hash();
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  auto proposed = state_.Hash();
  EXPECT_NE(HashHex(before), HashHex(proposed));
  Ok(bea_, StanceBody(p, kAgree));
  auto voted = state_.Hash();
  EXPECT_NE(HashHex(voted), HashHex(proposed));
  Ok(founder_, ProposalCloseBody(p));
  auto closed = state_.Hash();
  EXPECT_NE(HashHex(closed), HashHex(voted));
  // A twin fed the same events agrees.
  GroupState twin(history_.group());
  for (const VerifiedEvent& e : history_.events()) twin.Apply(e);
  EXPECT_EQ(HashHex(twin.Hash()), HashHex(state_.Hash()));
}

class ConsentTest : public DecisionFoldTest {
 protected:
  ConsentTest() : DecisionFoldTest(Rule(v1::DECISION_PROCESS_CONSENT)) {}
};

TEST_F(ConsentTest, ABlockBlocks) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(bea_, StanceBody(p, kBlock, "paramount objection: breaks our MOU"));
  Ok(founder_, ProposalCloseBody(p));
  AckAll(p);
  ProposalOutcome o = OutcomeOf(p);
  EXPECT_TRUE(o.final);
  EXPECT_EQ(o.outcome, DecisionOutcome::kBlocked);
}

class ConsensusQuorumTest : public DecisionFoldTest {
 protected:
  ConsensusQuorumTest() : DecisionFoldTest(Rule(v1::DECISION_PROCESS_CONSENSUS, 6000)) {}
};

TEST_F(ConsensusQuorumTest, QuorumIsCheckedAtTheClose) {
  Admit(bea_);
  Admit(cal_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kAgree));
  Ok(founder_, ProposalCloseBody(p));
  EXPECT_EQ(OutcomeOf(p).outcome, DecisionOutcome::kNoQuorum);  // 1 of 3 took a stance
  EventId q = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(q, kAgree));
  Ok(bea_, StanceBody(q, kAbstain));
  Ok(founder_, ProposalCloseBody(q));
  EXPECT_EQ(OutcomeOf(q).outcome, DecisionOutcome::kPassed);  // 2 of 3 >= 6000 bps
  EventId r = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(r, kAgree));
  Ok(bea_, StanceBody(r, kDisagree, "not yet"));
  Ok(founder_, ProposalCloseBody(r));
  EXPECT_EQ(OutcomeOf(r).outcome, DecisionOutcome::kRejected);
}

TEST_F(DecisionFoldTest, MajorityWeighsVotingWeights) {
  Admit(bea_, v1::ROLE_PARTNER, 3);
  Admit(cal_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kDisagree, "no"));
  Ok(cal_, StanceBody(p, kDisagree, "no"));
  Ok(bea_, StanceBody(p, kAgree));
  ProposalOutcome o = OutcomeOf(p);
  EXPECT_EQ(o.tally.agree_weight, 3u);
  EXPECT_EQ(o.tally.disagree_weight, 2u);
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
}

class SupermajorityTest : public DecisionFoldTest {
 protected:
  SupermajorityTest() : DecisionFoldTest(Rule(v1::DECISION_PROCESS_SUPERMAJORITY, 0, 7500)) {}
};

TEST_F(SupermajorityTest, ThresholdFromTheCharter) {
  Admit(bea_);
  Admit(cal_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kAgree));
  Ok(bea_, StanceBody(p, kAgree));
  Ok(cal_, StanceBody(p, kDisagree, "no"));
  EXPECT_EQ(OutcomeOf(p).outcome, DecisionOutcome::kRejected);  // 6667 < 7500 bps
}

class UnanimityTest : public DecisionFoldTest {
 protected:
  UnanimityTest() : DecisionFoldTest(Rule(v1::DECISION_PROCESS_UNANIMITY)) {}
};

TEST_F(UnanimityTest, EveryEligibleMemberMustAgree) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kAgree));
  Ok(founder_, ProposalCloseBody(p));
  EXPECT_EQ(OutcomeOf(p).outcome, DecisionOutcome::kRejected);
  EventId q = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(q, kAgree));
  Ok(bea_, StanceBody(q, kAgree));
  EXPECT_EQ(OutcomeOf(q).outcome, DecisionOutcome::kPassed);
}

class LeadDecidesTest : public DecisionFoldTest {
 protected:
  LeadDecidesTest() : DecisionFoldTest(Rule(v1::DECISION_PROCESS_LEAD_DECIDES)) {}
};

TEST_F(LeadDecidesTest, LeadsDecideOthersAdvise) {
  Admit(bea_, v1::ROLE_LEAD);
  Admit(cal_, v1::ROLE_PARTNER, 10);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  const Electorate& electorate = Governance(state_).proposals().at(p).electorate;
  EXPECT_TRUE(electorate.at(founder_.public_key()).decides);
  EXPECT_TRUE(electorate.at(bea_.public_key()).decides);
  EXPECT_FALSE(electorate.at(cal_.public_key()).decides);
  Ok(cal_, StanceBody(p, kDisagree, "we advise against"));  // advice, recorded
  Ok(founder_, StanceBody(p, kAgree));
  EXPECT_FALSE(OutcomeOf(p).closed) << "the adviser does not complete the vote";
  EventId last = Ok(bea_, StanceBody(p, kAbstain));
  ProposalOutcome o = OutcomeOf(p);
  EXPECT_TRUE(o.closed);
  EXPECT_EQ(o.close.hlc, history_.Get(last).hlc);
  EXPECT_EQ(o.tally.advice_count, 1u);
  EXPECT_EQ(o.tally.disagree_weight, 0u);
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  // Finality waits for the leads (and the proposer) only.
  Ok(founder_, AcknowledgementBody({p}));
  Ok(bea_, AcknowledgementBody({p}));
  EXPECT_TRUE(OutcomeOf(p).final);
}

TEST_F(LeadDecidesTest, ProposalNobodyMayDecideIsRejected) {
  v1::Charter c = TestCharter();
  c.mutable_founder()->set_role(v1::ROLE_PARTNER);
  *c.add_decision_rules() = Rule(v1::DECISION_PROCESS_LEAD_DECIDES);
  HistoryBuilder h(founder_, c);
  GroupState s(h.group());
  s.Apply(h.genesis());
  VerifiedEvent p = h.Append(founder_, ProposalBody(kStrategy));
  EXPECT_THAT(s.Check(p),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no eligible lead")));
}

}  // namespace
}  // namespace constellation::core
