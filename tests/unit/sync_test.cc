// tests/unit/sync_test.cc
//
// Sync planning (server/core/sync.h, DESIGN §4): Group::Frontier, ValidateFrontier and Diff.
// A replica gets exactly what it lacks, in an order it can insert; the cap is respected and
// rounds continue where the last stopped; two replicas that exchange diffs converge to the
// same state hash; a head mismatch is a fork hint whose probe lets the peer build the proof.
#include "server/core/sync.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/node_state.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::CampaignBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::ParentsOf;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::testing::HasSubstr;

std::vector<EventId> CanonicalOrder(const Group& g) {
  std::vector<EventId> ids;
  g.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    ids.push_back(e.id);
    return true;
  });
  return ids;
}

std::vector<EventId> Ids(const std::vector<const VerifiedEvent*>& events) {
  std::vector<EventId> ids;
  for (const VerifiedEvent* e : events) ids.push_back(e->id);
  return ids;
}

// Inserts `events` in order; each must be inserted.
void InsertAll(Group& g, const std::vector<const VerifiedEvent*>& events) {
  for (const VerifiedEvent* e : events) {
    ASSERT_OK_AND_ASSIGN(InsertResult r, g.Insert(*e));
    ASSERT_EQ(r.admission, Admission::kReady) << "event " << e->id.ShortHex();
  }
}

// One anti-entropy round: `from` sends what `to` lacks, capped; returns how many were sent.
size_t Round(const Group& from, Group& to, size_t max_events, bool* truncated = nullptr) {
  absl::StatusOr<SyncPlan> plan = Diff(from, to.Frontier(), max_events);
  EXPECT_TRUE(plan.ok()) << plan.status();
  if (!plan.ok()) return 0;
  EXPECT_TRUE(plan->fork_hints.empty());
  InsertAll(to, plan->events);
  if (truncated != nullptr) *truncated = plan->truncated;
  return plan->events.size();
}

class SyncTest : public ::testing::Test {
 protected:
  SyncTest()
      : founder_(TestKey('a')), b_(TestKey('b')), c_(TestKey('c')), h_(founder_, TestCharter()) {
    campaign_ = h_.Append(founder_, CampaignBody(TestCampaign(50'000)));
    h_.Append(b_, PulseCheckBody());
    pledge_ = h_.Append(founder_, PledgeBody(campaign_.id, TestTerms(900)));
    h_.Append(c_, PulseCheckBody());
    h_.Append(b_, PaymentBody(pledge_.id, 100));
    h_.Append(founder_, PaymentBody(pledge_.id, 300));
    h_.Append(c_, PulseCheckBody(2));
    h_.Append(founder_, CampaignBody(TestCampaign(7)));
  }

  std::vector<const VerifiedEvent*> All() const {
    std::vector<const VerifiedEvent*> all;
    for (const VerifiedEvent& e : h_.events()) all.push_back(&e);
    return all;
  }

  Group Full() {
    Group g(h_.group());
    InsertAll(g, All());
    return g;
  }

  const SigningKey founder_, b_, c_;
  HistoryBuilder h_;
  VerifiedEvent campaign_, pledge_;
};

TEST_F(SyncTest, FrontierListsEveryChainSortedByAuthor) {
  Group g = Full();
  v1::Frontier f = g.Frontier();
  EXPECT_EQ(f.group_id(), h_.group().Bytes());
  ASSERT_EQ(f.heads_size(), 3);
  std::map<OrgKey, std::vector<EventId>> chains;
  for (const SigningKey* k : {&founder_, &b_, &c_})
    chains[k->public_key()] = h_.Chain(k->public_key());
  int i = 0;
  for (const auto& [author, chain] : chains) {
    EXPECT_EQ(f.heads(i).author(), author.Bytes());
    EXPECT_EQ(f.heads(i).seq(), chain.size());
    EXPECT_EQ(f.heads(i).head(), chain.back().Bytes());
    ++i;
  }
  EXPECT_OK(ValidateFrontier(f, h_.group()));
  v1::Frontier empty = Group(h_.group()).Frontier();
  EXPECT_EQ(empty.heads_size(), 0);
  EXPECT_OK(ValidateFrontier(empty, h_.group()));
}

TEST_F(SyncTest, EmptyFrontierGetsEverythingInCanonicalOrder) {
  Group g = Full();
  v1::Frontier empty;
  empty.set_group_id(h_.group().Bytes());
  ASSERT_OK_AND_ASSIGN(SyncPlan plan, Diff(g, empty, 0));
  EXPECT_EQ(Ids(plan.events), CanonicalOrder(g));
  EXPECT_FALSE(plan.truncated);
  EXPECT_TRUE(plan.fork_hints.empty());
  Group joined(h_.group());
  InsertAll(joined, plan.events);
  EXPECT_EQ(HashHex(joined.StateHash()), HashHex(g.StateHash()));
}

TEST_F(SyncTest, ReplicaMissingEventsGetsExactlyWhatItLacks) {
  Group mine = Full();
  // The replica holds the founder's first three events and b's first; nothing of c.
  Group theirs(h_.group());
  const std::vector<EventId>& founder_chain = h_.Chain(founder_.public_key());
  InsertAll(theirs, {&h_.genesis(), &campaign_, &h_.Get(h_.Chain(b_.public_key())[0]), &pledge_});
  ASSERT_EQ(theirs.dag().ChainLength(founder_.public_key()), 3u);

  ASSERT_OK_AND_ASSIGN(SyncPlan plan, Diff(mine, theirs.Frontier(), 0));
  std::set<EventId> held;
  for (const EventId& id : CanonicalOrder(theirs)) held.insert(id);
  std::vector<EventId> lacked;
  for (const EventId& id : CanonicalOrder(mine)) {
    if (!held.contains(id)) lacked.push_back(id);
  }
  EXPECT_EQ(Ids(plan.events), lacked);
  EXPECT_EQ(plan.events.size(), h_.events().size() - 4);
  InsertAll(theirs, plan.events);
  EXPECT_EQ(HashHex(theirs.StateHash()), HashHex(mine.StateHash()));
  EXPECT_EQ(theirs.Frontier().SerializeAsString(), mine.Frontier().SerializeAsString());
  EXPECT_EQ(founder_chain.size(), theirs.dag().ChainLength(founder_.public_key()));

  // Nothing is lacked any more, and a peer that is ahead gets nothing.
  ASSERT_OK_AND_ASSIGN(SyncPlan none, Diff(mine, theirs.Frontier(), 0));
  EXPECT_TRUE(none.events.empty());
  Group behind(h_.group());
  InsertAll(behind, {&h_.genesis()});
  ASSERT_OK_AND_ASSIGN(SyncPlan from_behind, Diff(behind, mine.Frontier(), 0));
  EXPECT_TRUE(from_behind.events.empty());
  EXPECT_TRUE(from_behind.fork_hints.empty());
}

TEST_F(SyncTest, CapIsRespectedAndRoundsContinue) {
  Group mine = Full();
  Group theirs(h_.group());
  size_t rounds = 0;
  bool truncated = true;
  while (truncated) {
    ASSERT_LT(rounds, 10u);
    const size_t sent = Round(mine, theirs, 3, &truncated);
    EXPECT_LE(sent, 3u);
    if (truncated) {
      EXPECT_EQ(sent, 3u);
    }
    ++rounds;
  }
  EXPECT_EQ(rounds, (h_.events().size() + 2) / 3);
  EXPECT_EQ(HashHex(theirs.StateHash()), HashHex(mine.StateHash()));
  EXPECT_EQ(CanonicalOrder(theirs), CanonicalOrder(mine));
}

TEST_F(SyncTest, RequestedMaxIsCappedByTheLimit) {
  // 0 and anything above kSyncPullEventsMax mean kSyncPullEventsMax.
  Group mine = Full();
  v1::Frontier empty;
  empty.set_group_id(h_.group().Bytes());
  ASSERT_OK_AND_ASSIGN(SyncPlan plan, Diff(mine, empty, limits::kSyncPullEventsMax + 1'000));
  EXPECT_EQ(plan.events.size(), h_.events().size());
}

// Random histories; each replica holds a random causally closed subset. After one exchange in
// each direction both hold the union and agree on the state hash and frontier.
TEST(SyncConvergenceTest, TwoReplicasExchangingDiffsConverge) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(absl::StrFormat("seed %d", seed));
    std::mt19937_64 rng(seed);
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    const SigningKey founder = TestKey('a');
    const std::vector<SigningKey> others = {TestKey('b'), TestKey('c')};
    HistoryBuilder h(founder, TestCharter());
    std::vector<EventId> campaigns, pledges;
    for (int i = 0; i < 30; ++i) {
      const SigningKey& author = chance(0.6) ? founder : others[rng() % others.size()];
      v1::Event body;
      if (campaigns.empty() || chance(0.15)) {
        body = CampaignBody(TestCampaign(10'000));
      } else if (pledges.empty() || chance(0.4)) {
        body = PledgeBody(campaigns[rng() % campaigns.size()], TestTerms(500));
      } else {
        body = PaymentBody(pledges[rng() % pledges.size()], 1 + static_cast<int64_t>(rng() % 200));
      }
      // Deps: a random subset of the other authors' heads.
      std::vector<EventId> deps;
      for (const EventId& head : h.Heads()) {
        if (h.Get(head).author != author.public_key() && chance(0.5)) deps.push_back(head);
      }
      if (h.Chain(author.public_key()).empty() && deps.empty()) deps.push_back(h.genesis().id);
      VerifiedEvent e = h.AppendWithDeps(author, body, deps);
      if (e.event.has_campaign()) campaigns.push_back(e.id);
      if (e.event.has_pledge()) pledges.push_back(e.id);
    }
    auto random_closed_subset = [&](double p) {
      std::set<EventId> in;
      std::vector<const VerifiedEvent*> out;
      for (const VerifiedEvent& e : h.events()) {
        bool parents_in = true;
        for (const EventId& parent : ParentsOf(e)) parents_in = parents_in && in.contains(parent);
        if (e.is_genesis() || (parents_in && chance(p))) {
          in.insert(e.id);
          out.push_back(&e);
        }
      }
      return out;
    };
    Group a(h.group()), b(h.group());
    InsertAll(a, random_closed_subset(0.7));
    InsertAll(b, random_closed_subset(0.7));
    std::set<EventId> union_ids;
    for (const EventId& id : CanonicalOrder(a)) union_ids.insert(id);
    for (const EventId& id : CanonicalOrder(b)) union_ids.insert(id);

    Round(a, b, 0);
    Round(b, a, 0);
    EXPECT_EQ(a.size(), union_ids.size());
    EXPECT_EQ(b.size(), union_ids.size());
    EXPECT_EQ(HashHex(a.StateHash()), HashHex(b.StateHash()));
    EXPECT_EQ(a.Frontier().SerializeAsString(), b.Frontier().SerializeAsString());
    EXPECT_EQ(CanonicalOrder(a), CanonicalOrder(b));
  }
}

TEST_F(SyncTest, HeadMismatchIsAForkHintAndTheProbeRevealsTheFork) {
  const SigningKey& f = founder_;
  HistoryBuilder h(f, TestCharter());
  const VerifiedEvent a2 = h.Append(f, CampaignBody(TestCampaign(1)));
  const VerifiedEvent a3 = h.Append(f, CampaignBody(TestCampaign(2)));
  const VerifiedEvent b3 = h.AppendBranch(f, a2.id, CampaignBody(TestCampaign(3)));
  Group mine(h.group()), theirs(h.group());
  InsertAll(mine, {&h.genesis(), &a2, &a3});
  InsertAll(theirs, {&h.genesis(), &a2, &b3});

  ASSERT_OK_AND_ASSIGN(SyncPlan plan, Diff(mine, theirs.Frontier(), 0));
  ASSERT_EQ(plan.fork_hints.size(), 1u);
  EXPECT_EQ(plan.fork_hints[0], (ForkHint{f.public_key(), 3, a3.id, b3.id}));
  // The probe: this node's events of the author up to the mismatching seq.
  EXPECT_EQ(Ids(plan.events), (std::vector<EventId>{h.genesis().id, a2.id, a3.id}));
  std::optional<v1::ForkProof> proof;
  for (const VerifiedEvent* e : plan.events) {
    ASSERT_OK_AND_ASSIGN(InsertResult r, theirs.Insert(*e));
    if (r.new_fork_proof) proof = r.new_fork_proof;
  }
  ASSERT_TRUE(proof.has_value()) << "the peer found the fork from the probe";
  EXPECT_EQ(theirs.FrozenFrom(f.public_key()), 3u);

  // Once this node knows the fork, the hint remains (the chains differ for good) but no probe
  // is sent again: the proof travels by gossip.
  ASSERT_OK(mine.AddForkProof(*proof));
  ASSERT_OK_AND_ASSIGN(SyncPlan after, Diff(mine, theirs.Frontier(), 0));
  EXPECT_EQ(after.fork_hints.size(), 1u);
  EXPECT_TRUE(after.events.empty());
  EXPECT_EQ(HashHex(mine.StateHash()), HashHex(theirs.StateHash()));
}

TEST_F(SyncTest, ProbeIsBounded) {
  const SigningKey& f = founder_;
  HistoryBuilder h(f, TestCharter());
  for (size_t i = 0; i < limits::kSyncForkProbeEventsMax + 5; ++i) {
    h.Append(f, PulseCheckBody());
  }
  const std::vector<EventId>& chain = h.Chain(f.public_key());
  const VerifiedEvent rival = h.AppendBranch(f, chain[chain.size() - 2], PulseCheckBody(2));
  Group holder(h.group()), theirs(h.group());
  std::vector<const VerifiedEvent*> events;
  for (const VerifiedEvent& e : h.events()) events.push_back(&e);
  InsertAll(holder, events);
  events.pop_back();
  events.push_back(&rival);
  InsertAll(theirs, events);
  ASSERT_OK_AND_ASSIGN(SyncPlan plan, Diff(holder, theirs.Frontier(), 0));
  EXPECT_EQ(plan.fork_hints.size(), 1u);
  EXPECT_EQ(plan.events.size(), limits::kSyncForkProbeEventsMax);
  EXPECT_EQ(plan.events.back()->id, chain.back());
}

// Regression: simulator fork seed 100069. A node held a forked author's old branch 20 events
// past the divergence; the peer's probe (the 16 events below the stated head) never reached the
// first differing event, its events waited in pending for parents that would never come, and the
// next round asked the same question. The stated frontier walks down instead: pending events at
// seqs the chain already holds state the head below them, so the next probe ends there.
TEST_F(SyncTest, ADivergenceDeeperThanAProbeIsWalkedDownToItsFirstEvent) {
  const SigningKey& f = founder_;
  HistoryBuilder h(f, TestCharter());
  for (int i = 0; i < 40; ++i) h.Append(f, PulseCheckBody());
  const std::vector<EventId> chain = h.Chain(f.public_key());  // seqs 1..41
  ASSERT_EQ(chain.size(), 41u);
  constexpr uint64_t kForkSeq = 22;  // 19 seqs below the head: deeper than one probe
  static_assert(41 - kForkSeq + 1 > limits::kSyncForkProbeEventsMax);
  std::optional<EventId> last = chain[kForkSeq - 2];
  std::vector<const VerifiedEvent*> theirs_events;
  for (const VerifiedEvent& e : h.events()) {
    if (e.event.seq() < kForkSeq) theirs_events.push_back(&e);
  }
  for (uint64_t seq = kForkSeq; seq <= 41; ++seq) {
    h.AppendBranch(f, last, PulseCheckBody(2));
    last = h.branch_events().back().id;
  }
  for (const VerifiedEvent& e : h.branch_events()) theirs_events.push_back(&e);
  Group theirs(h.group());
  InsertAll(theirs, theirs_events);

  constexpr uint64_t kNowMs = 4'000'000'000'000;
  NodeState holder(TestKey('n'));
  for (const VerifiedEvent& e : h.events()) {
    ASSERT_OK_AND_ASSIGN(ReceiveResult r, holder.Receive(e, kNowMs));
    ASSERT_EQ(r.outcome, ReceiveOutcome::kInserted);
  }
  auto stated = [&] {
    return StatedFrontier(*holder.FindGroup(h.group()), holder.FindPending(h.group()));
  };
  EXPECT_EQ(stated().SerializeAsString(),
            holder.FindGroup(h.group())->Frontier().SerializeAsString())
      << "nothing pending: the stated frontier is the held one";

  std::optional<v1::ForkProof> proof;
  std::vector<v1::Frontier> asked;
  for (int round = 0; round < 4 && !proof; ++round) {
    asked.push_back(stated());
    ASSERT_OK_AND_ASSIGN(SyncPlan plan, Diff(theirs, asked.back(), 0));
    for (const VerifiedEvent* e : plan.events) {
      ASSERT_OK_AND_ASSIGN(ReceiveResult r, holder.Receive(*e, kNowMs));
      if (!r.changes.new_fork_proofs.empty()) proof = r.changes.new_fork_proofs.front();
    }
  }
  ASSERT_TRUE(proof.has_value()) << "the fork was found";
  ASSERT_EQ(asked.size(), 2u) << "one probe from the head, then one from the stated seq 25";
  // Round 1 stated the held head (41); its probe (26..41) waited in pending, so round 2 stated
  // the head at 25, below the lowest of them: a walk down.
  EXPECT_EQ(asked[1].heads(0).seq(), 25u);
  EXPECT_EQ(asked[1].heads(0).head(), chain[24].Bytes());
  EXPECT_TRUE(WalksDown(asked[0], asked[1]));
  EXPECT_FALSE(WalksDown(asked[1], asked[0]));
  // The freeze is at the first differing seq, as on a node that holds both branches.
  EXPECT_EQ(holder.FindGroup(h.group())->FrozenFrom(f.public_key()), kForkSeq);
  // Once the fork is known, the events still pending are the other branch's: the stated
  // frontier is the held one again, and the peer, knowing the fork too, sends no probe.
  EXPECT_EQ(stated().SerializeAsString(),
            holder.FindGroup(h.group())->Frontier().SerializeAsString());
  ASSERT_OK(theirs.AddForkProof(*proof));
  ASSERT_OK_AND_ASSIGN(SyncPlan after, Diff(theirs, stated(), 0));
  EXPECT_TRUE(after.events.empty());
}

TEST_F(SyncTest, MalformedFrontiersAreRefused) {
  Group g = Full();
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  v1::Frontier wrong_group = g.Frontier();
  wrong_group.set_group_id(std::string(32, 'x'));
  EXPECT_THAT(Diff(g, wrong_group, 0), StatusIs(kInvalid, HasSubstr("group_id")));

  v1::Frontier unsorted = g.Frontier();
  unsorted.mutable_heads()->SwapElements(0, 1);
  EXPECT_THAT(Diff(g, unsorted, 0), StatusIs(kInvalid, HasSubstr("sorted by author")));

  v1::Frontier twice = g.Frontier();
  *twice.add_heads() = twice.heads(twice.heads_size() - 1);
  EXPECT_THAT(Diff(g, twice, 0), StatusIs(kInvalid, HasSubstr("one head per author")));

  v1::Frontier short_author = g.Frontier();
  short_author.mutable_heads(0)->set_author("abc");
  EXPECT_THAT(Diff(g, short_author, 0), StatusIs(kInvalid, HasSubstr("heads[0].author")));

  v1::Frontier short_head = g.Frontier();
  short_head.mutable_heads(1)->set_head("abc");
  EXPECT_THAT(Diff(g, short_head, 0), StatusIs(kInvalid, HasSubstr("heads[1].head")));

  v1::Frontier zero_with_head = g.Frontier();
  zero_with_head.mutable_heads(0)->set_seq(0);
  EXPECT_THAT(Diff(g, zero_with_head, 0), StatusIs(kInvalid, HasSubstr("empty when seq = 0")));

  v1::Frontier huge_seq = g.Frontier();
  huge_seq.mutable_heads(0)->set_seq(limits::kEventSeqMax + 1);
  EXPECT_THAT(Diff(g, huge_seq, 0), StatusIs(kInvalid, HasSubstr("kEventSeqMax")));

  v1::Frontier too_many;
  too_many.set_group_id(h_.group().Bytes());
  for (size_t i = 0; i <= limits::kFrontierHeadsCountMax; ++i) too_many.add_heads();
  EXPECT_THAT(Diff(g, too_many, 0), StatusIs(kInvalid, HasSubstr("kFrontierHeadsCountMax")));
}

}  // namespace
}  // namespace constellation::core
