// tests/unit/causal_membership_test.cc
//
// A proposal's electorate is fixed by its causal past (DESIGN §3; GovernanceLedger::IsMemberInPast,
// docs/PROTOCOL.md §5.7, tested through the fold): a member whose withdrawal happened before
// the proposal is not in it, one whose withdrawal is concurrent with it is, even when the
// withdrawal sorts first in canonical order. Nodes that receive the concurrent events in
// either order reach the same outcome and state hash (core::Group refolds late events).
// The related regression (a second ADMIT concurrent with the invitee's acceptance of the
// first) is tests/sim/finality_regression_test.cc.
#include <algorithm>
#include <deque>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/group.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::WithdrawalBody;
using ::testing::IsEmpty;

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;
// Default rule: consent (passes unless blocked), no quorum.
constexpr v1::DecisionType kStrategy = v1::DECISION_TYPE_ADOPT_STRATEGY;

// Writes a history with the founder (a), bea (b) and cal (c) as members, admitted by the
// charter's default ADMIT rule; events are checked when the groups fold them.
class CausalMembershipTest : public ::testing::Test {
 protected:
  CausalMembershipTest() : history_(founder_, TestCharter()) {
    Admit(bea_, {&founder_});
    Admit(cal_, {&founder_, &bea_});
  }

  // Every voter agrees with an ADMIT of `invitee` and acknowledges it; the invitee accepts.
  void Admit(const SigningKey& invitee, const std::vector<const SigningKey*>& voters) {
    const EventId p = history_.Append(founder_, AdmitBody(invitee.public_key())).id;
    for (const SigningKey* v : voters) history_.Append(*v, StanceBody(p, kAgree));
    for (const SigningKey* v : voters) history_.Append(*v, AcknowledgementBody({p}));
    history_.Append(invitee, AcceptanceBody(p));
  }

  // A group holding `events` inserted in that order, each of which must be kReady.
  Group GroupFrom(const std::vector<const VerifiedEvent*>& events) {
    Group g(history_.group());
    for (const VerifiedEvent* e : events) {
      absl::StatusOr<InsertResult> r = g.Insert(*e);
      EXPECT_TRUE(r.ok()) << r.status();
      if (r.ok()) {
        EXPECT_EQ(r->admission, Admission::kReady) << e->id.ShortHex();
      }
    }
    return g;
  }

  // The history's events in the order written, with `moved` placed right before `before`.
  std::vector<const VerifiedEvent*> WrittenOrderWith(const EventId& moved, const EventId& before) {
    std::vector<const VerifiedEvent*> order;
    for (const VerifiedEvent& e : history_.events()) {
      if (e.id == moved) continue;
      if (e.id == before) order.push_back(&history_.Get(moved));
      order.push_back(&e);
    }
    return order;
  }

  std::vector<const VerifiedEvent*> WrittenOrder() {
    std::vector<const VerifiedEvent*> order;
    for (const VerifiedEvent& e : history_.events()) order.push_back(&e);
    return order;
  }

  const SigningKey founder_ = TestKey('a');
  const SigningKey bea_ = TestKey('b');
  const SigningKey cal_ = TestKey('c');
  HistoryBuilder history_;
};

TEST_F(CausalMembershipTest, WithdrawalBeforeTheProposalLeavesTheElectorate) {
  const EventId withdrawal = history_.Append(cal_, WithdrawalBody()).id;
  const EventId p = history_.Append(founder_, ProposalBody(kStrategy)).id;  // saw it
  history_.Append(founder_, ProposalCloseBody(p));
  history_.Append(founder_, AcknowledgementBody({p}));
  history_.Append(bea_, AcknowledgementBody({p}));

  Group g = GroupFrom(WrittenOrder());
  ASSERT_THAT(g.state().rejected_events(), IsEmpty());
  ASSERT_TRUE(g.state().HappenedBefore(withdrawal, p));
  const ProposalState& ps = Governance(g.state()).proposals().at(p);
  EXPECT_FALSE(ps.electorate.contains(cal_.public_key()));
  EXPECT_EQ(ps.electorate.size(), 2u);
  EXPECT_EQ(Governance(g.state()).Outcome(g.state(), p)->tally.eligible_weight, 2u);
}

TEST_F(CausalMembershipTest, ConcurrentWithdrawalStaysInTheElectorateInEitherDeliveryOrder) {
  const EventId acceptance = history_.Chain(cal_.public_key()).back();
  // bea writes after cal's acceptance, so what builds on bea's event has seen cal join.
  const EventId campaign = history_.Append(bea_, CampaignBody(TestCampaign(5'000))).id;
  // cal withdraws right after its acceptance (no deps: depth one above the acceptance)...
  const EventId withdrawal = history_.AppendWithDeps(cal_, WithdrawalBody(), {}).id;
  // ...while the founder, having seen bea's campaign but not the withdrawal, proposes (depth
  // one above the campaign): the withdrawal sorts before the proposal in canonical order.
  const EventId p = history_.AppendWithDeps(founder_, ProposalBody(kStrategy), {campaign}).id;
  history_.Append(founder_, StanceBody(p, kAgree));
  history_.Append(bea_, StanceBody(p, kAgree));
  history_.Append(founder_, ProposalCloseBody(p));
  history_.Append(founder_, AcknowledgementBody({p}));
  history_.Append(bea_, AcknowledgementBody({p}));

  // Node 1 receives the withdrawal first (written order), node 2 the proposal first.
  Group first = GroupFrom(WrittenOrder());
  Group second = GroupFrom(WrittenOrderWith(p, withdrawal));
  for (const Group* g : {&first, &second}) {
    SCOPED_TRACE(g == &first ? "withdrawal delivered first" : "proposal delivered first");
    const GroupState& s = g->state();
    EXPECT_THAT(s.rejected_events(), IsEmpty());
    ASSERT_TRUE(s.HappenedBefore(acceptance, p));
    ASSERT_FALSE(s.HappenedBefore(withdrawal, p));
    ASSERT_FALSE(s.HappenedBefore(p, withdrawal));
    ASSERT_LT(g->dag().Find(withdrawal)->depth, g->dag().Find(p)->depth);
    EXPECT_EQ(s.roster().members().at(cal_.public_key()).status, MemberStatus::kWithdrawn);
    const ProposalState& ps = Governance(s).proposals().at(p);
    EXPECT_TRUE(ps.electorate.contains(cal_.public_key()));
    EXPECT_EQ(ps.electorate.size(), 3u);
    const ProposalOutcome o = *Governance(s).Outcome(s, p);
    EXPECT_EQ(o.tally.eligible_weight, 3u);
    // cal can no longer write; its withdrawal does not hold finality back.
    EXPECT_TRUE(o.final);
    EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  }
  const ProposalOutcome a = *Governance(first.state()).Outcome(first.state(), p);
  const ProposalOutcome b = *Governance(second.state()).Outcome(second.state(), p);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.final, b.final);
  EXPECT_EQ(a.final_at, b.final_at);
  EXPECT_EQ(a.close.hlc, b.close.hlc);
  EXPECT_EQ(a.tally.eligible_weight, b.tally.eligible_weight);
  EXPECT_EQ(HashHex(first.StateHash()), HashHex(second.StateHash()));
}

}  // namespace
}  // namespace constellation::core
