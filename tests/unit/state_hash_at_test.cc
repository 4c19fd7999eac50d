// tests/unit/state_hash_at_test.cc
//
// The state hash at an event count (Group::StateHashAt, docs/PROTOCOL.md §4): what an outside
// verifier compares a prefix of a group's canonical order with. It must equal the state hash of
// a node that holds exactly that prefix (with the same fork proofs), for every prefix.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "server/core/group.h"
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
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;

// The events `g` holds, in its canonical order.
std::vector<VerifiedEvent> InOrder(const Group& g) {
  std::vector<VerifiedEvent> events;
  g.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    events.push_back(e);
    return true;
  });
  return events;
}

// A group that holds exactly the first `count` of `events` (a canonical order) and `proofs`.
Group PrefixNode(const GroupId& id, const std::vector<VerifiedEvent>& events, uint64_t count,
                 const std::vector<v1::ForkProof>& proofs) {
  Group g(id);
  for (uint64_t i = 0; i < count; ++i) {
    absl::StatusOr<InsertResult> r = g.Insert(events[i]);
    EXPECT_TRUE(r.ok() && r->admission == Admission::kReady) << i;
  }
  for (const v1::ForkProof& p : proofs) EXPECT_TRUE(g.AddForkProof(p).ok());
  return g;
}

TEST(StateHashAtTest, EveryPrefixHashesLikeANodeHoldingOnlyThatPrefix) {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  HistoryBuilder w(a, TestCharter());
  const EventId admit = w.Append(a, AdmitBody(b.public_key())).id;
  w.Append(a, StanceBody(admit, v1::STANCE_CHOICE_AGREE));
  w.Append(a, AcknowledgementBody({admit}));
  w.Append(b, AcceptanceBody(admit));
  const EventId campaign = w.Append(a, CampaignBody(TestCampaign(1'000'000))).id;
  for (int i = 0; i < 12; ++i) {
    const EventId pledge = w.Append(i % 2 == 0 ? a : b, PledgeBody(campaign, TestTerms(100 + i))).id;
    if (i % 3 == 0) w.Append(i % 2 == 0 ? a : b, PaymentBody(pledge, 40));
  }
  Group full(w.group());
  full.set_checkpoint_interval_min(4);  // checkpoints must not leak into a prefix's fold
  for (const VerifiedEvent& e : w.events()) ASSERT_TRUE(full.Insert(e).ok());
  const std::vector<VerifiedEvent> order = InOrder(full);
  ASSERT_EQ(order.size(), full.size());

  for (uint64_t n = 0; n <= order.size(); ++n) {
    const Group prefix = PrefixNode(w.group(), order, n, {});
    EXPECT_EQ(HashHex(full.StateHashAt(n)), HashHex(prefix.StateHash())) << "prefix " << n;
  }
  EXPECT_EQ(HashHex(full.StateHashAt(order.size())), HashHex(full.StateHash()));
  EXPECT_EQ(HashHex(full.StateHashAt(UINT64_MAX)), HashHex(full.StateHash()));
  // Prefixes differ from the whole (the test would pass trivially otherwise).
  EXPECT_NE(HashHex(full.StateHashAt(order.size() - 1)), HashHex(full.StateHash()));
}

TEST(StateHashAtTest, APrefixCarriesTheForksTheNodeKnows) {
  const SigningKey a = TestKey('a');
  HistoryBuilder w(a, TestCharter());
  const VerifiedEvent first = w.Append(a, CampaignBody(TestCampaign(1'000)));
  const VerifiedEvent branch = w.AppendBranch(a, w.genesis().id, CampaignBody(TestCampaign(2'000)));
  Group g(w.group());
  ASSERT_TRUE(g.Insert(w.genesis()).ok());
  ASSERT_TRUE(g.Insert(first).ok());
  ASSERT_OK_AND_ASSIGN(InsertResult fork, g.Insert(branch));
  ASSERT_EQ(fork.admission, Admission::kFork);
  ASSERT_TRUE(fork.new_fork_proof.has_value());

  const std::vector<VerifiedEvent> order = InOrder(g);
  ASSERT_EQ(order.size(), 2u);  // the genesis and the branch held; the other is the proof
  for (uint64_t n = 0; n <= order.size(); ++n) {
    const Group prefix = PrefixNode(w.group(), order, n, {*fork.new_fork_proof});
    EXPECT_EQ(HashHex(g.StateHashAt(n)), HashHex(prefix.StateHash())) << "prefix " << n;
  }
  // Without the proof a one-event prefix hashes differently: the fork wrapper is in the hash.
  EXPECT_NE(HashHex(g.StateHashAt(1)), HashHex(PrefixNode(w.group(), order, 1, {}).StateHash()));
}

}  // namespace
}  // namespace constellation::core
