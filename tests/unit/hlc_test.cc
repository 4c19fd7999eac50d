// tests/unit/hlc_test.cc
//
// Hybrid logical clock (server/core/hlc.h): every stamp exceeds every stamp issued or
// observed before, whatever the wall clock does.
#include "server/core/hlc.h"

#include <limits>

#include <gtest/gtest.h>

#include "server/base/limits.h"

namespace constellation::core {
namespace {

TEST(HlcTest, OrderIsLexicographic) {
  EXPECT_LT((Hlc{1, 9}), (Hlc{2, 0}));
  EXPECT_LT((Hlc{2, 0}), (Hlc{2, 1}));
  EXPECT_EQ((Hlc{2, 1}), (Hlc{2, 1}));
  EXPECT_GT((Hlc{3, 0}), (Hlc{2, 0xFFFFFFFF}));
}

TEST(HlcTest, ProtoRoundTrip) {
  Hlc h{1'700'000'000'123, 7};
  v1::Hlc p = h.ToProto();
  EXPECT_EQ(p.wall_ms(), 1'700'000'000'123u);
  EXPECT_EQ(p.logical(), 7u);
  EXPECT_EQ(Hlc::FromProto(p), h);
}

TEST(HlcClockTest, FollowsAnAdvancingWallClock) {
  HlcClock clock;
  EXPECT_EQ(clock.Tick(100), (Hlc{100, 0}));
  EXPECT_EQ(clock.Tick(250), (Hlc{250, 0}));
  EXPECT_EQ(clock.last(), (Hlc{250, 0}));
}

TEST(HlcClockTest, SameMillisecondCountsLogically) {
  HlcClock clock;
  EXPECT_EQ(clock.Tick(100), (Hlc{100, 0}));
  EXPECT_EQ(clock.Tick(100), (Hlc{100, 1}));
  EXPECT_EQ(clock.Tick(100), (Hlc{100, 2}));
}

TEST(HlcClockTest, MonotoneWhenWallClockGoesBackwards) {
  HlcClock clock;
  Hlc previous = clock.Tick(1'000);
  for (uint64_t now : {999u, 500u, 0u, 1'000u, 998u}) {
    Hlc next = clock.Tick(now);
    EXPECT_GT(next, previous) << "now " << now;
    EXPECT_EQ(next.wall_ms, 1'000u) << "the wall part never follows the clock backwards";
    previous = next;
  }
  EXPECT_EQ(previous, (Hlc{1'000, 5}));
  // Once the wall clock passes the stamp again, the logical counter resets.
  EXPECT_EQ(clock.Tick(1'001), (Hlc{1'001, 0}));
}

TEST(HlcClockTest, ObserveMakesLaterTicksExceedTheSeenStamp) {
  HlcClock clock;
  clock.Tick(100);
  clock.Observe(Hlc{5'000, 3});
  EXPECT_EQ(clock.last(), (Hlc{5'000, 3}));
  EXPECT_EQ(clock.Tick(200), (Hlc{5'000, 4}));
  EXPECT_EQ(clock.Tick(6'000), (Hlc{6'000, 0}));
}

TEST(HlcClockTest, ObservingAnOlderStampChangesNothing) {
  HlcClock clock;
  clock.Tick(5'000);
  clock.Observe(Hlc{4'000, 9});
  clock.Observe(Hlc{5'000, 0});
  EXPECT_EQ(clock.last(), (Hlc{5'000, 0}));
  EXPECT_EQ(clock.Tick(5'000), (Hlc{5'000, 1}));
}

TEST(HlcClockTest, LogicalOverflowMovesWallForward) {
  HlcClock clock;
  clock.Observe(Hlc{1'000, limits::kHlcLogicalMax - 1});
  EXPECT_EQ(clock.Tick(10), (Hlc{1'000, limits::kHlcLogicalMax}));
  Hlc next = clock.Tick(10);
  EXPECT_EQ(next, (Hlc{1'001, 0}));
  EXPECT_GT(next, (Hlc{1'000, limits::kHlcLogicalMax}));
}

TEST(HlcClockTest, ObservedStampAboveTheLogicalLimitStillAdvances) {
  // A peer may send any logical value; the next tick must still be larger.
  HlcClock clock;
  const Hlc seen{1'000, std::numeric_limits<uint32_t>::max()};
  clock.Observe(seen);
  EXPECT_GT(clock.Tick(10), seen);
}

TEST(HlcClockTest, TickNeverGoesBelowAnObservedStampAtTheEndOfTime) {
  // Regression: a stamp at the end of uint64 made the next tick wrap to (0, 0). Valid events
  // now stop at limits::kHlcWallMsMax (codec_test checks the rejection), and a clock that has
  // seen the largest valid stamp still ticks above it.
  HlcClock clock;
  const Hlc seen{limits::kHlcWallMsMax, limits::kHlcLogicalMax};
  clock.Observe(seen);
  EXPECT_GT(clock.Tick(10), seen);
}

}  // namespace
}  // namespace constellation::core
