// tests/unit/dag_test.cc
//
// GroupDag (server/core/dag.h): the chain rules of DESIGN §2 and the canonical order key of
// DESIGN §3.
#include "server/core/dag.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::CampaignBody;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::SealOrDie;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DagTest : public ::testing::Test {
 protected:
  DagTest() : history_(founder_, TestCharter()), dag_(history_.group()) {}

  // Checks `e` and, when ready, inserts it; returns the admission.
  Admission Add(const VerifiedEvent& e) {
    absl::StatusOr<Admission> admission = dag_.Check(e);
    EXPECT_TRUE(admission.ok()) << admission.status();
    if (!admission.ok()) return Admission::kDuplicate;
    if (*admission == Admission::kReady) last_key_ = dag_.Insert(e);
    return *admission;
  }

  // Inserts every event written so far, which must all be ready in order.
  void AddAll() {
    for (const VerifiedEvent& e : history_.events()) {
      if (dag_.Find(e.id) == nullptr) {
        ASSERT_EQ(Add(e), Admission::kReady);
      }
    }
  }

  // Signs a draft of `author`'s next event after the test tampered with it.
  VerifiedEvent Seal(v1::Event draft, const SigningKey& author) {
    draft.MergeFrom(PulseCheckBody());
    return SealOrDie(draft, author);
  }

  const SigningKey founder_ = TestKey('a');
  const SigningKey alice_ = TestKey('b');
  const SigningKey bob_ = TestKey('c');
  HistoryBuilder history_;
  GroupDag dag_;
  OrderKey last_key_;
};

TEST_F(DagTest, GenesisComesFirstAndHasDepthOne) {
  VerifiedEvent second = history_.Append(founder_, PulseCheckBody());
  VerifiedEvent alice_first = history_.Append(alice_, PulseCheckBody());
  EXPECT_EQ(Add(second), Admission::kMissingDeps);
  EXPECT_EQ(Add(alice_first), Admission::kMissingDeps);
  EXPECT_EQ(dag_.size(), 0u);

  EXPECT_EQ(Add(history_.genesis()), Admission::kReady);
  EXPECT_EQ(last_key_.depth, 1u);
  EXPECT_EQ(last_key_.id, history_.genesis().id);
  EXPECT_EQ(Add(second), Admission::kReady);
  EXPECT_EQ(last_key_.depth, 2u);
  EXPECT_EQ(Add(alice_first), Admission::kReady);
  EXPECT_EQ(last_key_.depth, 3u);  // deps on the founder's seq 2
}

TEST_F(DagTest, NonGenesisSeqOneFirstIsMissingDeps) {
  // An event by a new author that names no deps cannot come before the genesis either.
  v1::Event draft = history_.Draft(alice_.public_key(), {});
  EXPECT_EQ(Add(Seal(draft, alice_)), Admission::kMissingDeps);
}

TEST_F(DagTest, EventWithoutParentsStillSortsAfterTheGenesis) {
  // Regression: a seq-1 event with no deps got depth 1 and, with an id below the group id,
  // sorted before the genesis, so a node could not reload its own store. The genesis is an
  // implicit parent of every other event.
  ASSERT_EQ(Add(history_.genesis()), Admission::kReady);
  v1::Event draft = history_.Draft(alice_.public_key(), {});
  draft.MergeFrom(PulseCheckBody());
  ASSERT_EQ(Add(Seal(draft, alice_)), Admission::kReady);
  EXPECT_EQ(last_key_.depth, 2u);
}

TEST_F(DagTest, EventOfAnotherGroupIsInvalid) {
  HistoryBuilder other(founder_, TestCharter("Another partnership"));
  EXPECT_THAT(dag_.Check(other.genesis()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("belongs to group")));
  AddAll();
  VerifiedEvent foreign = other.Append(alice_, PulseCheckBody());
  EXPECT_THAT(dag_.Check(foreign), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("not " + history_.group().ShortHex())));
}

TEST_F(DagTest, DuplicateIsReported) {
  AddAll();
  EXPECT_EQ(Add(history_.genesis()), Admission::kDuplicate);
  VerifiedEvent e = history_.Append(founder_, PulseCheckBody());
  EXPECT_EQ(Add(e), Admission::kReady);
  EXPECT_EQ(Add(e), Admission::kDuplicate);
  EXPECT_EQ(dag_.size(), 2u);
}

TEST_F(DagTest, SameAuthorAndSeqWithAnotherIdIsAFork) {
  AddAll();
  v1::Event draft = history_.Draft(founder_.public_key(), {});
  v1::Event campaign = draft;
  campaign.MergeFrom(CampaignBody(TestCampaign(100)));
  VerifiedEvent first = SealOrDie(campaign, founder_);
  VerifiedEvent second = Seal(draft, founder_);
  ASSERT_NE(first.id, second.id);
  ASSERT_EQ(first.seq, second.seq);
  EXPECT_EQ(Add(first), Admission::kReady);
  EXPECT_EQ(Add(second), Admission::kFork);
  EXPECT_EQ(dag_.ChainLength(founder_.public_key()), 2u);
  EXPECT_EQ(dag_.EventAt(founder_.public_key(), 2), first.id);
  EXPECT_EQ(dag_.Find(second.id), nullptr);
}

TEST_F(DagTest, SecondSeqOneOfTheFounderIsAFork) {
  AddAll();
  v1::Event draft = history_.Draft(founder_.public_key(), {});
  draft.set_seq(1);
  draft.clear_prev();
  EXPECT_EQ(Add(Seal(draft, founder_)), Admission::kFork);
}

TEST_F(DagTest, GapInTheChainIsMissingDeps) {
  AddAll();
  VerifiedEvent seq2 = history_.Append(founder_, PulseCheckBody());
  VerifiedEvent seq3 = history_.Append(founder_, PulseCheckBody());
  EXPECT_EQ(Add(seq3), Admission::kMissingDeps);
  EXPECT_EQ(Add(seq2), Admission::kReady);
  EXPECT_EQ(Add(seq3), Admission::kReady);
  EXPECT_EQ(dag_.ChainLength(founder_.public_key()), 3u);
}

TEST_F(DagTest, UnknownDepIsMissingDeps) {
  AddAll();
  VerifiedEvent alice1 = history_.Append(alice_, PulseCheckBody());
  VerifiedEvent bob1 = history_.AppendWithDeps(bob_, PulseCheckBody(), {alice1.id});
  EXPECT_EQ(Add(bob1), Admission::kMissingDeps);
  // A dep that no event will ever have is missing too (held, never rejected).
  v1::Event draft = history_.Draft(bob_.public_key(), {});
  draft.add_deps(std::string(32, '\xee'));
  EXPECT_EQ(Add(Seal(draft, bob_)), Admission::kMissingDeps);

  EXPECT_EQ(Add(alice1), Admission::kReady);
  EXPECT_EQ(Add(bob1), Admission::kReady);
}

TEST_F(DagTest, WrongPrevIsInvalid) {
  VerifiedEvent seq2 = history_.Append(founder_, PulseCheckBody());
  AddAll();
  v1::Event draft = history_.Draft(founder_.public_key(), {});
  draft.set_prev(history_.genesis().id.Bytes());  // seq 3 must name seq 2
  EXPECT_THAT(dag_.Check(Seal(draft, founder_)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("prev does not match")));
}

TEST_F(DagTest, DepOnTheAuthorsOwnEventIsInvalid) {
  VerifiedEvent alice1 = history_.Append(alice_, PulseCheckBody());
  AddAll();
  v1::Event draft = history_.Draft(alice_.public_key(), {alice1.id});
  EXPECT_THAT(dag_.Check(Seal(draft, alice_)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the author's own event")));
}

TEST_F(DagTest, HlcBelowPrevIsInvalid) {
  AddAll();
  // Genesis is at (1000, 0).
  v1::Event draft = history_.Draft(founder_.public_key(), {}, Hlc{999, 5});
  EXPECT_THAT(dag_.Check(Seal(draft, founder_)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is below its prev's")));
  // Equal to the prev's is allowed (HLC >=).
  draft = history_.Draft(founder_.public_key(), {}, Hlc{1'000, 0});
  EXPECT_EQ(Add(Seal(draft, founder_)), Admission::kReady);
}

TEST_F(DagTest, HlcBelowADepIsInvalid) {
  VerifiedEvent founder2 = history_.AppendWithDeps(founder_, PulseCheckBody(), {}, Hlc{50'000, 3});
  AddAll();
  v1::Event draft = history_.Draft(alice_.public_key(), {founder2.id}, Hlc{50'000, 2});
  EXPECT_THAT(dag_.Check(Seal(draft, alice_)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(50000, 2) is below")));
  draft = history_.Draft(alice_.public_key(), {founder2.id}, Hlc{50'000, 3});
  EXPECT_EQ(Add(Seal(draft, alice_)), Admission::kReady);
}

TEST_F(DagTest, DepthIsOnePlusTheDeepestParent) {
  // founder: g(1) -- f2(2) -- f3(3) ----------- f4(5)
  // alice:        \- a1(2) -/      \- a2(4) -/
  const VerifiedEvent& g = history_.genesis();
  VerifiedEvent f2 = history_.AppendWithDeps(founder_, PulseCheckBody(), {});
  VerifiedEvent a1 = history_.AppendWithDeps(alice_, PulseCheckBody(), {g.id});
  VerifiedEvent f3 = history_.AppendWithDeps(founder_, PulseCheckBody(), {a1.id});
  VerifiedEvent a2 = history_.AppendWithDeps(alice_, PulseCheckBody(), {f3.id});
  VerifiedEvent f4 = history_.AppendWithDeps(founder_, PulseCheckBody(), {a2.id});
  std::map<EventId, uint64_t> depth;
  for (const VerifiedEvent& e : history_.events()) {
    ASSERT_EQ(Add(e), Admission::kReady);
    EXPECT_EQ(last_key_.id, e.id);
    depth[e.id] = last_key_.depth;
    EXPECT_EQ(dag_.Find(e.id)->depth, last_key_.depth);
  }
  EXPECT_EQ(depth[g.id], 1u);
  EXPECT_EQ(depth[f2.id], 2u);
  EXPECT_EQ(depth[a1.id], 2u);
  EXPECT_EQ(depth[f3.id], 3u);
  EXPECT_EQ(depth[a2.id], 4u);
  EXPECT_EQ(depth[f4.id], 5u);
  const DagNode* node = dag_.Find(a2.id);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->author, alice_.public_key());
  EXPECT_EQ(node->seq, 2u);
  EXPECT_EQ(node->hlc, a2.hlc);
}

TEST_F(DagTest, OrderKeySortsByDepthThenId) {
  EventId low = EventId::FromArray({});
  std::array<uint8_t, 32> high_bytes;
  high_bytes.fill(0xff);
  EventId high = EventId::FromArray(high_bytes);
  EXPECT_LT((OrderKey{1, high}), (OrderKey{2, low}));
  EXPECT_LT((OrderKey{2, low}), (OrderKey{2, high}));
  EXPECT_EQ((OrderKey{2, low}), (OrderKey{2, low}));
}

TEST_F(DagTest, ConcurrentEventsGetTheSameDepth) {
  VerifiedEvent a1 = history_.AppendWithDeps(alice_, PulseCheckBody(), {history_.genesis().id});
  VerifiedEvent b1 = history_.AppendWithDeps(bob_, PulseCheckBody(), {history_.genesis().id});
  AddAll();
  EXPECT_EQ(dag_.Find(a1.id)->depth, dag_.Find(b1.id)->depth);
}

TEST_F(DagTest, ChainAccessors) {
  VerifiedEvent f2 = history_.Append(founder_, PulseCheckBody());
  AddAll();
  EXPECT_EQ(dag_.ChainLength(founder_.public_key()), 2u);
  EXPECT_EQ(dag_.ChainLength(alice_.public_key()), 0u);
  EXPECT_EQ(dag_.EventAt(founder_.public_key(), 1), history_.genesis().id);
  EXPECT_EQ(dag_.EventAt(founder_.public_key(), 2), f2.id);
  EXPECT_EQ(dag_.EventAt(founder_.public_key(), 0), std::nullopt);
  EXPECT_EQ(dag_.EventAt(founder_.public_key(), 3), std::nullopt);
  EXPECT_EQ(dag_.EventAt(alice_.public_key(), 1), std::nullopt);
  EXPECT_EQ(dag_.group(), history_.group());
}

TEST_F(DagTest, HeadsAreTheLatestEventPerAuthorSortedByKey) {
  history_.Append(founder_, PulseCheckBody());
  VerifiedEvent f3 = history_.Append(founder_, PulseCheckBody());
  history_.Append(alice_, PulseCheckBody());
  VerifiedEvent a2 = history_.Append(alice_, PulseCheckBody());
  VerifiedEvent b1 = history_.Append(bob_, PulseCheckBody());
  AddAll();
  std::vector<std::pair<OrgKey, EventId>> expected = {
      {founder_.public_key(), f3.id}, {alice_.public_key(), a2.id}, {bob_.public_key(), b1.id}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(dag_.Heads(), expected);
  EXPECT_THAT(GroupDag(history_.group()).Heads(), ElementsAre());
}

TEST_F(DagTest, HappenedBeforeFollowsChainsAndDeps) {
  // founder: g -- f2 ---------- f3
  // alice:     \- a1 -- a2 -/
  // bob:        \------------- b1   (sees only the genesis)
  const VerifiedEvent& g = history_.genesis();
  VerifiedEvent f2 = history_.AppendWithDeps(founder_, PulseCheckBody(), {});
  VerifiedEvent a1 = history_.AppendWithDeps(alice_, PulseCheckBody(), {g.id});
  VerifiedEvent a2 = history_.AppendWithDeps(alice_, PulseCheckBody(), {});
  VerifiedEvent f3 = history_.AppendWithDeps(founder_, PulseCheckBody(), {a2.id});
  VerifiedEvent b1 = history_.AppendWithDeps(bob_, PulseCheckBody(), {g.id});
  AddAll();
  // Along a chain, through deps, transitively, and from the genesis to everything.
  EXPECT_TRUE(dag_.HappenedBefore(f2.id, f3.id));
  EXPECT_TRUE(dag_.HappenedBefore(a1.id, a2.id));
  EXPECT_TRUE(dag_.HappenedBefore(a2.id, f3.id));
  EXPECT_TRUE(dag_.HappenedBefore(a1.id, f3.id));
  for (const VerifiedEvent* e : {&f2, &a1, &a2, &f3, &b1}) {
    EXPECT_TRUE(dag_.HappenedBefore(g.id, e->id));
    EXPECT_FALSE(dag_.HappenedBefore(e->id, g.id));
  }
  // Not reflexive, not backwards.
  EXPECT_FALSE(dag_.HappenedBefore(f3.id, f3.id));
  EXPECT_FALSE(dag_.HappenedBefore(f3.id, a2.id));
  // Concurrent: neither saw the other.
  EXPECT_TRUE(dag_.Concurrent(f2.id, a1.id));
  EXPECT_TRUE(dag_.Concurrent(f2.id, a2.id));
  EXPECT_TRUE(dag_.Concurrent(b1.id, f3.id));
  EXPECT_TRUE(dag_.Concurrent(b1.id, a1.id));
  EXPECT_FALSE(dag_.Concurrent(a1.id, f3.id));
  EXPECT_FALSE(dag_.Concurrent(f3.id, f3.id));
  // Unknown events are neither before nor concurrent.
  const EventId unknown = EventId::FromArray({});
  EXPECT_FALSE(dag_.HappenedBefore(unknown, f3.id));
  EXPECT_FALSE(dag_.HappenedBefore(g.id, unknown));
  EXPECT_FALSE(dag_.Concurrent(unknown, f3.id));
}

TEST_F(DagTest, CausalFrontierIsTheHighestSeqPerAuthor) {
  VerifiedEvent f2 = history_.AppendWithDeps(founder_, PulseCheckBody(), {});
  VerifiedEvent a1 = history_.AppendWithDeps(alice_, PulseCheckBody(), {f2.id});
  VerifiedEvent a2 = history_.AppendWithDeps(alice_, PulseCheckBody(), {});
  VerifiedEvent b1 = history_.AppendWithDeps(bob_, PulseCheckBody(), {a2.id});
  AddAll();
  std::vector<std::pair<OrgKey, uint64_t>> expected = {
      {founder_.public_key(), 2}, {alice_.public_key(), 2}, {bob_.public_key(), 1}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(dag_.clocks().Frontier(b1.id), expected);
  EXPECT_EQ(dag_.clocks().SeqInPast(alice_.public_key(), b1.id), 2u);
  EXPECT_EQ(dag_.clocks().SeqInPast(bob_.public_key(), a2.id), 0u);
  EXPECT_EQ(dag_.clocks().Frontier(history_.genesis().id),
            (std::vector<std::pair<OrgKey, uint64_t>>{{founder_.public_key(), 1}}));
  EXPECT_TRUE(dag_.clocks().Frontier(EventId::FromArray({})).empty());
  EXPECT_EQ(dag_.clocks().size(), dag_.size());
}

TEST_F(DagTest, HappenedBeforeAnEventNotYetInserted) {
  // What the fold asks about a local write before it is stored (GroupState::Check).
  VerifiedEvent a1 = history_.Append(alice_, PulseCheckBody());
  VerifiedEvent b1 = history_.AppendWithDeps(bob_, PulseCheckBody(), {history_.genesis().id});
  AddAll();
  VerifiedEvent next = history_.AppendWithDeps(founder_, PulseCheckBody(), {a1.id});
  EXPECT_TRUE(dag_.clocks().HappenedBefore(a1.id, next));
  EXPECT_TRUE(dag_.clocks().HappenedBefore(history_.genesis().id, next));
  EXPECT_FALSE(dag_.clocks().HappenedBefore(b1.id, next));
  EXPECT_EQ(dag_.clocks().SeqInPast(alice_.public_key(), next), 1u);
  EXPECT_EQ(dag_.clocks().SeqInPast(founder_.public_key(), next), 2u);
  EXPECT_EQ(dag_.clocks().SeqInPast(bob_.public_key(), next), 0u);
}

TEST_F(DagTest, ClocksSkipParentsLeftOut) {
  // A caller (a fold that skips frozen events) may leave events out; their pasts are not
  // inherited through them, and nothing fails.
  VerifiedEvent a1 = history_.Append(alice_, PulseCheckBody());
  VerifiedEvent f2 = history_.AppendWithDeps(founder_, PulseCheckBody(), {a1.id});
  CausalClocks clocks;
  clocks.Add(history_.genesis());
  clocks.Add(f2);
  clocks.Add(f2);  // a no-op
  EXPECT_EQ(clocks.size(), 2u);
  EXPECT_TRUE(clocks.HappenedBefore(history_.genesis().id, f2.id));
  EXPECT_FALSE(clocks.HappenedBefore(a1.id, f2.id));
  EXPECT_EQ(clocks.SeqInPast(alice_.public_key(), f2.id), 0u);
}

TEST_F(DagTest, ACopyOfTheClocksAnswersLikeTheOriginalAndGrowsApartFromIt) {
  // Clocks keep their seqs in one arena, each as wide as the authors known when it was added
  // (a fold checkpoint copies them, issue 10). Authors join between the events here, so the
  // clocks have different widths.
  VerifiedEvent a1 = history_.Append(alice_, PulseCheckBody());
  VerifiedEvent b1 = history_.AppendWithDeps(bob_, PulseCheckBody(), {a1.id});
  VerifiedEvent f2 = history_.AppendWithDeps(founder_, PulseCheckBody(), {b1.id});
  CausalClocks clocks;
  clocks.Add(history_.genesis());
  clocks.Add(a1);
  CausalClocks copy = clocks;
  copy.Add(b1);
  copy.Add(f2);
  EXPECT_FALSE(clocks.Contains(b1.id));
  EXPECT_EQ(clocks.size(), 2u);
  EXPECT_TRUE(clocks.HappenedBefore(history_.genesis().id, a1.id));
  EXPECT_TRUE(copy.HappenedBefore(a1.id, f2.id));
  EXPECT_TRUE(copy.HappenedBefore(b1.id, f2.id));
  EXPECT_FALSE(copy.HappenedBefore(f2.id, b1.id));
  EXPECT_EQ(copy.SeqInPast(alice_.public_key(), f2.id), 1u);
  EXPECT_EQ(copy.SeqInPast(bob_.public_key(), a1.id), 0u);  // bob joined a1's clock later
  std::vector<std::pair<OrgKey, uint64_t>> frontier = {
      {founder_.public_key(), 2}, {alice_.public_key(), 1}, {bob_.public_key(), 1}};
  std::sort(frontier.begin(), frontier.end());  // Frontier is sorted by author
  EXPECT_EQ(copy.Frontier(f2.id), frontier);
  // The original grows on its own: the same event added there gets the same clock.
  clocks.Add(b1);
  EXPECT_TRUE(clocks.HappenedBefore(a1.id, b1.id));
  EXPECT_EQ(clocks.Frontier(b1.id), copy.Frontier(b1.id));
}

}  // namespace
}  // namespace constellation::core
