// tests/unit/pending_test.cc
//
// PendingBuffer (server/core/pending.h): events waiting for a parent come out when it is
// inserted, held events when the clock reaches them; the buffer is bounded and evicts the
// highest (seq, id) first; counts match the entries. NodeState::Receive, which drives it, is
// tested in node_state_test.cc and fold_property_test.cc.
#include "server/core/pending.h"

#include <algorithm>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/event_factory.h"

namespace constellation::core {
namespace {

using ::constellation::testing::CampaignBody;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;

std::vector<EventId> Ids(const std::vector<VerifiedEvent>& events) {
  std::vector<EventId> ids;
  for (const VerifiedEvent& e : events) ids.push_back(e.id);
  return ids;
}

size_t BytesOf(const VerifiedEvent& e) { return e.event_bytes.size() + e.signature.size(); }

class PendingBufferTest : public ::testing::Test {
 protected:
  PendingBufferTest() : founder_(TestKey('a')), h_(founder_, TestCharter()) {
    // A chain of the founder (seq 2..7) and three outsiders' first events.
    for (int i = 0; i < 6; ++i)
      chain_.push_back(h_.Append(founder_, CampaignBody(TestCampaign(i + 1))));
    for (char c : {'b', 'c', 'd'}) others_.push_back(h_.Append(TestKey(c), PulseCheckBody()));
  }

  const SigningKey founder_;
  HistoryBuilder h_;
  std::vector<VerifiedEvent> chain_;   // seq 2..7
  std::vector<VerifiedEvent> others_;  // seq 1 each
};

TEST_F(PendingBufferTest, WaitingEventsComeOutWhenTheirParentArrivesInIdOrder) {
  PendingBuffer pending;
  const EventId parent = h_.genesis().id;
  for (const VerifiedEvent& e : others_) {
    EXPECT_EQ(pending.AddWaiting(e, parent), PendingBuffer::AddOutcome::kAdded);
  }
  EXPECT_EQ(pending.AddWaiting(chain_[3], chain_[2].id), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.size(), 4u);
  EXPECT_EQ(pending.stats().waiting_events, 4u);
  ASSERT_NE(pending.WaitingFor(chain_[3].id), nullptr);
  EXPECT_EQ(*pending.WaitingFor(chain_[3].id), chain_[2].id);
  EXPECT_FALSE(pending.IsHeld(chain_[3].id));

  EXPECT_TRUE(pending.TakeWaitingFor(chain_[0].id).empty());
  std::vector<EventId> expected = Ids(others_);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Ids(pending.TakeWaitingFor(parent)), expected);
  EXPECT_TRUE(pending.TakeWaitingFor(parent).empty()) << "taken once";
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.stats().released_total, 3u);
  EXPECT_EQ(pending.stats().bytes, BytesOf(chain_[3]));
}

TEST_F(PendingBufferTest, AnEventIsKeptOnce) {
  PendingBuffer pending;
  EXPECT_EQ(pending.AddWaiting(chain_[1], chain_[0].id), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.AddWaiting(chain_[1], chain_[0].id), PendingBuffer::AddOutcome::kDuplicate);
  EXPECT_EQ(pending.AddHeld(chain_[1], 5), PendingBuffer::AddOutcome::kDuplicate);
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.stats().bytes, BytesOf(chain_[1]));
  EXPECT_TRUE(pending.Contains(chain_[1].id));
}

TEST_F(PendingBufferTest, HeldEventsAreReleasedWhenTheClockReachesThem) {
  PendingBuffer pending;
  EXPECT_EQ(pending.AddHeld(chain_[0], 2'000), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.AddHeld(chain_[1], 1'000), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.AddHeld(chain_[2], 1'000), PendingBuffer::AddOutcome::kAdded);
  EXPECT_TRUE(pending.IsHeld(chain_[0].id));
  EXPECT_EQ(pending.WaitingFor(chain_[0].id), nullptr);
  EXPECT_EQ(pending.stats().held_events, 3u);

  EXPECT_TRUE(pending.TakeReleased(999).empty());
  std::vector<EventId> at_1000 = {chain_[1].id, chain_[2].id};
  std::sort(at_1000.begin(), at_1000.end());
  EXPECT_EQ(Ids(pending.TakeReleased(1'000)), at_1000);
  EXPECT_EQ(Ids(pending.TakeReleased(50'000)), std::vector<EventId>{chain_[0].id});
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(pending.stats().held_events, 0u);
  EXPECT_EQ(pending.stats().bytes, 0u);
  EXPECT_EQ(pending.stats().released_total, 3u);
}

TEST_F(PendingBufferTest, FullBufferEvictsTheHighestSeqFirst) {
  PendingBuffer pending(PendingBuffer::Limits{.events_max = 3, .bytes_max = 1 << 20});
  // seq 3, 5, 6 fill it; seq 4 evicts seq 6; seq 7 is itself the highest: not kept.
  EXPECT_EQ(pending.AddWaiting(chain_[1], chain_[0].id), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.AddWaiting(chain_[3], chain_[2].id), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.AddHeld(chain_[4], 10), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.AddWaiting(chain_[2], chain_[1].id), PendingBuffer::AddOutcome::kAdded);
  EXPECT_FALSE(pending.Contains(chain_[4].id));
  EXPECT_EQ(pending.AddWaiting(chain_[5], chain_[4].id), PendingBuffer::AddOutcome::kEvicted);
  EXPECT_FALSE(pending.Contains(chain_[5].id));
  EXPECT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending.stats().evicted_total, 2u);
  EXPECT_EQ(pending.stats().held_events, 0u);
  EXPECT_EQ(pending.stats().waiting_events, 3u);
  EXPECT_TRUE(pending.TakeReleased(1'000).empty()) << "the evicted held event is gone";
  // Events of different authors with equal seqs are ordered by id: the higher id goes first.
  PendingBuffer small(PendingBuffer::Limits{.events_max = 2, .bytes_max = 1 << 20});
  for (const VerifiedEvent& e : others_) small.AddWaiting(e, h_.genesis().id);
  std::vector<EventId> ids = Ids(others_);
  std::sort(ids.begin(), ids.end());
  EXPECT_TRUE(small.Contains(ids[0]));
  EXPECT_TRUE(small.Contains(ids[1]));
  EXPECT_FALSE(small.Contains(ids[2]));
}

TEST_F(PendingBufferTest, BytesAreBounded) {
  const size_t two = BytesOf(chain_[0]) + std::max(BytesOf(chain_[1]), BytesOf(others_[0]));
  PendingBuffer pending(PendingBuffer::Limits{.events_max = 100, .bytes_max = two});
  EXPECT_EQ(pending.AddWaiting(chain_[0], h_.genesis().id), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.AddWaiting(chain_[1], chain_[0].id), PendingBuffer::AddOutcome::kAdded);
  EXPECT_EQ(pending.stats().bytes, BytesOf(chain_[0]) + BytesOf(chain_[1]));
  EXPECT_EQ(pending.AddWaiting(others_[0], h_.genesis().id), PendingBuffer::AddOutcome::kAdded)
      << "seq 1 stays; the highest seq goes";
  EXPECT_FALSE(pending.Contains(chain_[1].id));
  EXPECT_LE(pending.stats().bytes, two);
  EXPECT_EQ(pending.stats().evicted_total, 1u);

  PendingBuffer tiny(PendingBuffer::Limits{.events_max = 100, .bytes_max = 10});
  EXPECT_EQ(tiny.AddWaiting(chain_[0], h_.genesis().id), PendingBuffer::AddOutcome::kEvicted);
  EXPECT_TRUE(tiny.empty());
}

TEST_F(PendingBufferTest, DefaultLimitsAreTheNamedOnes) {
  PendingBuffer pending;
  EXPECT_EQ(pending.limits().events_max, limits::kPendingEventsPerGroupMax);
  EXPECT_EQ(pending.limits().bytes_max, limits::kPendingBytesPerGroupMax);
}

TEST(PendingStatsTest, AddsUp) {
  PendingStats a{1, 2, 30, 4, 5};
  PendingStats b{10, 20, 300, 40, 50};
  a += b;
  EXPECT_EQ(a.waiting_events, 11u);
  EXPECT_EQ(a.held_events, 22u);
  EXPECT_EQ(a.bytes, 330u);
  EXPECT_EQ(a.evicted_total, 44u);
  EXPECT_EQ(a.released_total, 55u);
}

}  // namespace
}  // namespace constellation::core
