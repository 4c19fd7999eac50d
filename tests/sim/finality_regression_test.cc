// tests/sim/finality_regression_test.cc
//
// Minimal reproductions of core bugs the simulator found (docs/RELIABILITY.md, "Deterministic
// simulation"), kept as regression tests named after the bug.
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
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;

// Bug A (simulator seed 8 with CONSTELLATION_SIM_STEPS=1500; fixed by judging membership on the
// proposal's causal past, GovernanceLedger::IsMemberInPast): a proposal that is final
// on a node loses its effect when a concurrent event arrives that sorts before it in canonical
// order and makes it invalid. Here the founder, not yet seeing bea's acceptance of a first
// ADMIT, proposes to admit bea again, closes and acknowledges it: final (no quorum). bea's
// acceptance, concurrent with the second ADMIT and of lower depth, then arrives: the refold
// judges the second ADMIT as "ADMIT of a member" and it vanishes, although DESIGN §3 says a
// final outcome never changes.
TEST(FinalityRegressionTest, FinalProposalKeepsItsEffectWhenAConcurrentAcceptanceArrives) {
  const SigningKey founder = TestKey('a');
  const SigningKey bea = TestKey('b');
  HistoryBuilder h(founder, TestCharter());
  Group g(h.group());
  ASSERT_OK(g.Insert(h.genesis()).status());
  auto put = [&g](const VerifiedEvent& e) {
    absl::StatusOr<InsertResult> r = g.Insert(e);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->admission, Admission::kReady);
  };
  // The first ADMIT of bea passes and is final.
  const VerifiedEvent first = h.Append(founder, AdmitBody(bea.public_key()));
  put(first);
  put(h.Append(founder, StanceBody(first.id, v1::STANCE_CHOICE_AGREE)));
  const VerifiedEvent ack = h.Append(founder, AcknowledgementBody({first.id}));
  put(ack);
  ASSERT_TRUE(Governance(g.state()).Outcome(g.state(), first.id)->final);
  // The founder goes on without seeing bea's acceptance: a campaign, then a second ADMIT of
  // bea that it closes and acknowledges.
  put(h.Append(founder, CampaignBody(TestCampaign(10'000))));
  const VerifiedEvent second = h.Append(founder, AdmitBody(bea.public_key()));
  put(second);
  put(h.Append(founder, ProposalCloseBody(second.id)));
  put(h.Append(founder, AcknowledgementBody({second.id})));
  ASSERT_TRUE(Governance(g.state()).proposals().contains(second.id));
  const ProposalOutcome before = *Governance(g.state()).Outcome(g.state(), second.id);
  ASSERT_TRUE(before.final);
  // bea's acceptance of the first ADMIT, written after the first acknowledgement only.
  put(h.AppendWithDeps(bea, AcceptanceBody(first.id), {ack.id}));
  ASSERT_TRUE(g.state().roster().members().contains(bea.public_key()));
  // The final outcome of the second ADMIT must not change.
  ASSERT_TRUE(Governance(g.state()).proposals().contains(second.id))
      << "final proposal lost its effect: " << g.NoEffectReason(second.id).value_or("?");
  EXPECT_TRUE(Governance(g.state()).Outcome(g.state(), second.id)->final);
  EXPECT_EQ(Governance(g.state()).Outcome(g.state(), second.id)->outcome, before.outcome);
}

}  // namespace
}  // namespace constellation::core
