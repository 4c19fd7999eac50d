// tests/unit/fold_checkpoint_test.cc
//
// Fold checkpoints (DESIGN §3, server/core/group.h): a late event replays the fold from the
// nearest checkpoint below its canonical position, not from the genesis, and the state it
// reaches is the one a full fold of the same events reaches.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/group.h"
#include "tests/testing/event_factory.h"

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

// A group of founder `a` and member `b` with a campaign, then `pledges` pledges by a; b's
// pledge is written on a's pledge `late_after` from the end (so it sorts among the last events)
// and returned separately.
struct LateHistory {
  HistoryBuilder history;
  std::vector<VerifiedEvent> in_order;  // every event but the late one, in written order
  VerifiedEvent late;
};

LateHistory MakeLateHistory(int pledges, int late_after) {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  LateHistory h{HistoryBuilder(a, TestCharter()), {}, {}};
  HistoryBuilder& w = h.history;
  const EventId admit = w.Append(a, AdmitBody(b.public_key())).id;
  w.Append(a, StanceBody(admit, v1::STANCE_CHOICE_AGREE));
  w.Append(a, AcknowledgementBody({admit}));
  w.Append(b, AcceptanceBody(admit));
  const EventId campaign = w.Append(a, CampaignBody(TestCampaign(1'000'000'000))).id;
  EventId anchor;
  for (int i = 0; i < pledges; ++i) {
    const EventId id = w.Append(a, PledgeBody(campaign, TestTerms(100 + i % 7))).id;
    if (i == pledges - late_after) anchor = id;
  }
  for (const VerifiedEvent& e : w.events()) h.in_order.push_back(e);
  h.late = w.AppendWithDeps(b, PledgeBody(campaign, TestTerms(5'000)), {anchor});
  return h;
}

TEST(FoldCheckpointTest, LateEventsReachTheSameStateAsAFullFold) {
  LateHistory h = MakeLateHistory(/*pledges=*/600, /*late_after=*/40);
  // Node 1: everything in written order, the late pledge last (a late event: it sorts before
  // a's last pledges). Node 2: the late pledge where it was written.
  Group late_node(h.history.group()), in_order_node(h.history.group());
  late_node.set_checkpoint_interval_min(64);
  in_order_node.set_checkpoint_interval_min(64);
  for (const VerifiedEvent& e : h.in_order) {
    ASSERT_EQ(late_node.Insert(e)->admission, Admission::kReady);
  }
  const uint64_t before = late_node.events_refolded();
  ASSERT_TRUE(late_node.Insert(h.late).ok());
  const uint64_t replayed = late_node.events_refolded() - before;
  // The late pledge sorts about 40 events from the end: the replay starts at a checkpoint at
  // most 2 x 64 events before it, never at the genesis.
  EXPECT_GT(replayed, 0u);
  EXPECT_LT(replayed, 64u * 2 + 40 + 2);
  for (const VerifiedEvent& e : h.history.events()) ASSERT_TRUE(in_order_node.Insert(e).ok());
  EXPECT_EQ(HashHex(late_node.StateHash()), HashHex(in_order_node.StateHash()));
  // And both equal a fold without any checkpoint.
  Group plain(h.history.group());
  plain.set_checkpoint_interval_min(SIZE_MAX);
  for (const VerifiedEvent& e : h.in_order) ASSERT_TRUE(plain.Insert(e).ok());
  ASSERT_TRUE(plain.Insert(h.late).ok());
  EXPECT_EQ(HashHex(plain.StateHash()), HashHex(late_node.StateHash()));
  EXPECT_EQ(plain.events_refolded(), h.in_order.size() + 1) << "no checkpoint: from the genesis";
}

// A group of founder `a` and member `b` with a campaign and 400 pledges by a (each followed by
// a payment when `payments`); every 50th, b pledges on a's last event: 8 pledges that the
// tests hold back and insert late (most sort before every checkpoint, which are kept near
// the end). a's events name only its own chain, so none of them depends on a held-back one.
struct HeldBackHistory {
  HistoryBuilder w;
  std::vector<VerifiedEvent> held_back;
};

HeldBackHistory MakeHeldBackHistory(bool payments) {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  HeldBackHistory h{HistoryBuilder(a, TestCharter()), {}};
  HistoryBuilder& w = h.w;
  const EventId admit = w.Append(a, AdmitBody(b.public_key())).id;
  w.Append(a, StanceBody(admit, v1::STANCE_CHOICE_AGREE));
  w.Append(a, AcknowledgementBody({admit}));
  w.Append(b, AcceptanceBody(admit));
  const EventId campaign = w.Append(a, CampaignBody(TestCampaign(1'000'000'000))).id;
  for (int i = 0; i < 400; ++i) {
    EventId last = w.AppendWithDeps(a, PledgeBody(campaign, TestTerms(1'000)), {}).id;
    if (payments) last = w.AppendWithDeps(a, PaymentBody(last, 10), {}).id;
    if (i % 50 == 49) {
      h.held_back.push_back(w.AppendWithDeps(b, PledgeBody(campaign, TestTerms(77)), {last}));
    }
  }
  return h;
}

TEST(FoldCheckpointTest, ManyLateEventsInARowKeepTheStateExact) {
  // Checkpoints are taken, discarded and taken again.
  HeldBackHistory h = MakeHeldBackHistory(/*payments=*/true);
  const HistoryBuilder& w = h.w;
  const std::vector<VerifiedEvent>& held_back = h.held_back;
  Group late_node(w.group()), in_order_node(w.group());
  late_node.set_checkpoint_interval_min(32);
  for (const VerifiedEvent& e : w.events()) {
    bool late = false;
    for (const VerifiedEvent& x : held_back) late = late || x.id == e.id;
    if (!late) {
      ASSERT_EQ(late_node.Insert(e)->admission, Admission::kReady);
    }
  }
  const uint64_t before = late_node.events_refolded();
  for (const VerifiedEvent& e : held_back) {
    ASSERT_EQ(late_node.Insert(e)->admission, Admission::kReady);
  }
  EXPECT_GT(late_node.events_refolded(), before) << "the held-back pledges were late";
  for (const VerifiedEvent& e : w.events()) ASSERT_TRUE(in_order_node.Insert(e).ok());
  EXPECT_EQ(HashHex(late_node.StateHash()), HashHex(in_order_node.StateHash()));
  late_node.state().CheckInvariants();
}

// Regression (network-fault harness: convergence after a round of faults grew from 1.3 s to
// 20 s as the group grew from 2.6k to 13k events): every late event replayed the fold at once,
// copying a checkpoint of the whole state, so a received batch of late events cost one O(state)
// replay per event. Late events now mark the replay, which runs once on the next read.
TEST(FoldCheckpointTest, ARunOfLateEventsIsReplayedOnceOnTheNextRead) {
  HeldBackHistory h = MakeHeldBackHistory(/*payments=*/false);
  const HistoryBuilder& w = h.w;
  const std::vector<VerifiedEvent>& held_back = h.held_back;
  auto is_held_back = [&](const VerifiedEvent& e) {
    for (const VerifiedEvent& x : held_back) {
      if (x.id == e.id) return true;
    }
    return false;
  };
  // Two nodes receive the same late events; one reads its state after each (as the apply loop
  // did before: a replay per event), the other only at the end.
  Group read_each(w.group()), read_once(w.group());
  for (Group* g : {&read_each, &read_once}) {
    g->set_checkpoint_interval_min(32);
    for (const VerifiedEvent& e : w.events()) {
      if (!is_held_back(e)) {
        ASSERT_EQ(g->Insert(e)->admission, Admission::kReady);
      }
    }
  }
  const uint64_t each_before = read_each.events_refolded();
  const uint64_t once_before = read_once.events_refolded();
  for (const VerifiedEvent& e : held_back) {
    ASSERT_EQ(read_each.Insert(e)->admission, Admission::kReady);
    read_each.state();
    ASSERT_EQ(read_once.Insert(e)->admission, Admission::kReady);
    EXPECT_TRUE(read_once.replay_pending());
  }
  const uint64_t each = read_each.events_refolded() - each_before;
  const uint64_t once = read_once.events_refolded() - once_before;
  EXPECT_FALSE(read_once.replay_pending());
  EXPECT_LE(once, w.events().size()) << "one replay, at most every event once";
  EXPECT_LT(once * 4, each) << held_back.size() << " late events, replayed once vs each";
  EXPECT_EQ(HashHex(read_once.StateHash()), HashHex(read_each.StateHash()));
  Group in_order(w.group());
  for (const VerifiedEvent& e : w.events()) ASSERT_TRUE(in_order.Insert(e).ok());
  EXPECT_EQ(HashHex(read_once.StateHash()), HashHex(in_order.StateHash()));
  read_once.state().CheckInvariants();
}

// DESIGN §3 / issue "record domains": with 100k events in the group, a late event replays only
// from a checkpoint. Counts the events re-applied (no timing: machines are shared).
TEST(FoldCheckpointTest, LateEventIn100kGroupReplaysOnlyFromACheckpoint) {
  constexpr int kPledges = 100'000;
  LateHistory h = MakeLateHistory(kPledges, /*late_after=*/100);
  Group group(h.history.group());
  for (const VerifiedEvent& e : h.in_order) ASSERT_TRUE(group.Insert(e).ok());
  EXPECT_EQ(group.events_refolded(), 0u) << "appended events fold incrementally";
  ASSERT_TRUE(group.Insert(h.late).ok());
  const uint64_t interval = kPledges / limits::kFoldCheckpointIntervalDivisor;
  EXPECT_GT(group.events_refolded(), 0u);
  EXPECT_LE(group.events_refolded(), interval * limits::kFoldCheckpointCountMax + 100 + 2)
      << "replayed from a checkpoint, not from the genesis (" << h.in_order.size() << " events)";
  EXPECT_EQ(Fundraising(group.state()).pledges().size(), static_cast<size_t>(kPledges) + 1);
}

// Regression (issue 10, docs/PERFORMANCE.md: a restart at 1M events took 165-247 s, 84% of it
// copying checkpoints): a restart inserts its stored events one by one, and the group, growing,
// copied its whole state every max(interval, size / 64) events, only to drop all but the last
// copies. Told the size the load will reach (ExpectSize), it copies only near the end, and a
// late event after the load still replays from a checkpoint, to the same state.
TEST(FoldCheckpointTest, ABulkLoadTakesCheckpointsOnlyNearItsEnd) {
  LateHistory h = MakeLateHistory(/*pledges=*/20'000, /*late_after=*/100);
  Group growing(h.history.group()), told(h.history.group());
  for (Group* g : {&growing, &told}) g->set_checkpoint_interval_min(64);
  told.ExpectSize(h.in_order.size());
  for (const VerifiedEvent& e : h.in_order) {
    ASSERT_EQ(growing.Insert(e)->admission, Admission::kReady);
    ASSERT_EQ(told.Insert(e)->admission, Admission::kReady);
  }
  // 20k events, intervals of 20k / 64 = 312: two or three copies near the end, where the group
  // that was not told copies one every 64 events to 4k, then every 1/64th of its size.
  EXPECT_LE(told.checkpoints_taken(), limits::kFoldCheckpointCountMax + 1);
  EXPECT_GE(told.checkpoints_taken(), 1u);
  EXPECT_GT(growing.checkpoints_taken(), 100u);
  EXPECT_EQ(HashHex(told.StateHash()), HashHex(growing.StateHash()));

  ASSERT_TRUE(told.Insert(h.late).ok());
  ASSERT_TRUE(growing.Insert(h.late).ok());
  const uint64_t interval = h.in_order.size() / limits::kFoldCheckpointIntervalDivisor;
  EXPECT_GT(told.events_refolded(), 0u);
  EXPECT_LE(told.events_refolded(), interval * limits::kFoldCheckpointCountMax + 100 + 2)
      << "the late event replayed from a checkpoint, not from the genesis";
  EXPECT_EQ(HashHex(told.StateHash()), HashHex(growing.StateHash()));
  told.state().CheckInvariants();
}

}  // namespace
}  // namespace constellation::core
