// tests/sim/sim_test.cc
//
// The deterministic simulation (DESIGN §5): a fixed list of seeds under CTest (label `sim`),
// each a full run of the Simulator (simulator.h) that must keep every invariant and settle.
// Replay one seed, e.g. a failure printed by CTest or scripts/soak-sim.sh:
//   CONSTELLATION_SIM_SEED=123 build/tests/sim/sim_test --gtest_filter='*ReplaySeed*'
// (CONSTELLATION_SIM_FORK=1 replays it as the fork scenario; CONSTELLATION_SIM_STEPS changes
// the workload length; CONSTELLATION_SIM_TRACE=1 prints every action as it happens. Runs are
// strict by default: every invariant violation fails, the known core issues included;
// CONSTELLATION_SIM_STRICT=0 counts those (tests/sim/domains/governance_domain.cc) instead.)
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/sim/simulator.h"

namespace constellation::sim {
namespace {

// Seeds 1-35 but 2 and 24. (Seed 28, left out while it failed invariant 4, is back: the core
// fixed that failure, regression test Seed28ConcurrentStanceOfAnExpelledVoterCountsOnEveryNode,
// and the per-domain action tables changed the run of every seed anyway. Since the teams
// domain changed every run's workload, the members of seeds 2 and 24 write fewer than the 50
// records a run must write to count as exercising the protocol; 34 and 35 took their place.)
// Plus soak seeds that failed (docs/RELIABILITY.md "Deterministic simulation", finding F):
// 100292 (an electorate changed with the event at which an expulsion became final), 100465 (an
// expelled voter's withdrawal did not settle it), 100519 (a withdrawal concurrent with an
// expulsion the proposal had seen), 100026 (a readmitted proposer closed its old proposal).
std::vector<uint64_t> CtestSeeds() {
  constexpr uint64_t kSeedFirst = 1;
  constexpr uint64_t kSeedLast = 35;
  std::vector<uint64_t> seeds;
  for (uint64_t seed = kSeedFirst; seed <= kSeedLast; ++seed) {
    if (seed != 2 && seed != 24) seeds.push_back(seed);
  }
  for (uint64_t seed : {100'026, 100'292, 100'465, 100'519}) seeds.push_back(seed);
  return seeds;
}

// Fork seeds 1001-1012 but 1007, 1008 and 1010 (in their runs no node writes after the backup,
// so nothing forks and the test would be skipped; 1007 and 1010 since the teams domain changed
// every run's workload, and 1003 and 1012 forked again then), plus soak seeds that failed
// (docs/RELIABILITY.md):
//   100239, 100245, 100350: a freeze changed what honest events saw (fixed in core::Group;
//     ForkTest.Seed100245ElectorateKeepsAMemberSeenOnlyThroughAFrozenEvent); 100025 failed the
//     same way, but since the strategy domain changed every run's workload it no longer forks,
//     so 100400 took its place;
//     100438 failed the same way, but since the money domains changed every run's workload no
//     node writes after the backup in it (nothing forks: it would only skip), so 1010 took its
//     place (and 1012 took 1010's when the teams domain came);
//   100339: an invitee of a frozen ADMIT, never served again, was the reference view;
//   100373: a freeze undid an expulsion, and a later electorate changed with it (known issue D);
//   100372: a concurrent withdrawal sorted before an expulsion the proposal had seen (fixed by
//     judging membership on the causal past, GovernanceLedger::IsMemberInPast);
//   100069: a divergence deeper than one probe was never found (fixed by the stated frontier,
//     PROTOCOL §8.1; SyncTest.ADivergenceDeeperThanAProbeIsWalkedDownToItsFirstEvent);
//   100871: the charter invariant compared a node holding a branch no node serves (§8.6);
//   101179: a closing team version was rejected once a late event moved its lead decision's
//     finality onto an event the version had seen (fixed by judging decided versions on the
//     record's causal past, PROTOCOL §5.17; TeamsLedgerTest.AVersionWrittenBeforeItsAuthorSaw...);
//   100056: a proposal stayed open after the network settled (reported before the per-domain
//     action tables changed every run, so that run cannot be replayed; it passes now, and the
//     liveness limit the fork scenario still has is known issue F in docs/RELIABILITY.md).
std::vector<uint64_t> ForkSeeds() {
  return {1'001,   1'002,   1'003,   1'004,   1'005,   1'006,   1'009,   1'011,   1'012,  100'056,
          100'069, 100'239, 100'245, 100'339, 100'350, 100'372, 100'373, 100'400, 100'871};
}

std::optional<uint64_t> EnvNumber(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::strtoull(value, nullptr, 10);
}

SimOptions Options(uint64_t seed, bool fork) {
  SimOptions options;
  options.seed = seed;
  options.restore_from_old_backup = fork;
  options.strict = EnvNumber("CONSTELLATION_SIM_STRICT").value_or(1) != 0;
  options.proofs_on_hint_only = EnvNumber("CONSTELLATION_SIM_PROOFS_ON_HINT_ONLY").value_or(0) != 0;
  options.trace_all = EnvNumber("CONSTELLATION_SIM_TRACE").value_or(0) != 0;
  if (std::optional<uint64_t> steps = EnvNumber("CONSTELLATION_SIM_STEPS")) {
    options.workload_steps = static_cast<int>(*steps);
  }
  return options;
}

class SimSeedTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(SimSeedTest, KeepsInvariantsAndSettles) {
  Simulator sim(Options(GetParam(), /*fork=*/false));
  absl::Status status = sim.Run();
  ASSERT_TRUE(status.ok()) << status.message();
  RecordProperty("stats", sim.StatsLine());
  // The run exercised the protocol, not just an idle network.
  EXPECT_GT(sim.stats().own_writes, 50u) << sim.StatsLine();
  EXPECT_GT(sim.stats().received_inserted, 50u) << sim.StatsLine();
}

INSTANTIATE_TEST_SUITE_P(Seeds, SimSeedTest, ::testing::ValuesIn(CtestSeeds()));

class SimForkTest : public ::testing::TestWithParam<uint64_t> {};

// A node restored from an old backup writes again and forks its chain: every honest node the
// group is still served to freezes it at the same seq and ends with the same state (DESIGN §2,
// PROTOCOL §3.1; an invitee of a frozen ADMIT is served no more, PROTOCOL §8.6).
TEST_P(SimForkTest, RestoredNodeIsFrozenEverywhere) {
  Simulator sim(Options(GetParam(), /*fork=*/true));
  absl::Status status = sim.Run();
  ASSERT_TRUE(status.ok()) << status.message();
  if (!sim.stats().forked_node) GTEST_SKIP() << "no node wrote after the backup with this seed";
  const int forked = *sim.stats().forked_node;
  const core::GroupId g = sim.groups().front();
  // The events the restored node wrote again at seqs it had used before: its new branch.
  std::vector<core::EventId> new_branch;
  const core::Group* restored = sim.node(forked).state().FindGroup(g);
  auto acks = sim.AcknowledgedOf(forked).find(g);
  if (acks != sim.AcknowledgedOf(forked).end() && restored != nullptr) {
    for (const auto& [seq, ids] : acks->second) {
      if (ids.size() < 2) continue;
      for (const core::EventId& id : ids) {
        if (restored->Find(id) != nullptr) new_branch.push_back(id);
      }
    }
  }
  // Events of the lost branch (acknowledged at those seqs before the restore, not held by the
  // restored node) that another node the group is served to holds. When none does, the lost
  // events never left the restored node, or only reached a node no member serves or replicates
  // to (the invitee of an admission on the lost branch: PROTOCOL §8.6, seed 100871), and no
  // node knows a fork proof: nothing the members hold conflicts with its new branch, and there
  // is no fork to detect (seeds 1005 and 100339 once the governance workload changed).
  bool lost_branch_held = false;
  if (acks != sim.AcknowledgedOf(forked).end() && restored != nullptr) {
    for (const auto& [seq, ids] : acks->second) {
      if (ids.size() < 2) continue;
      for (const core::EventId& id : ids) {
        if (restored->Find(id) != nullptr) continue;
        for (int i = 0; i < sim.node_count(); ++i) {
          const core::Group* group = sim.node(i).state().FindGroup(g);
          if (i != forked && group != nullptr && group->Find(id) != nullptr &&
              sim.MustConverge(i, g)) {
            lost_branch_held = true;
          }
        }
      }
    }
  }
  // A node (the restored one included) that received both branches holds the proof.
  bool proof_known = false;
  for (int i = 0; i < sim.node_count(); ++i) {
    const core::Group* group = sim.node(i).state().FindGroup(g);
    proof_known = proof_known || (group != nullptr && group->forks().contains(sim.node(forked).org()));
  }
  if (!lost_branch_held && !proof_known) return;  // no fork exists: nothing to freeze
  std::optional<uint64_t> frozen_from;
  for (int i = 0; i < sim.node_count(); ++i) {
    if (i == forked) continue;
    const core::Group* group = sim.node(i).state().FindGroup(g);
    if (group == nullptr || !sim.MustConverge(i, g)) continue;
    // A fork is evidence only where both branches meet: a node that holds none of the new
    // branch (e.g. the invitee of an admission on the lost branch, the group's only other
    // holder, to which no member replicates: PROTOCOL §8.6–8.7) cannot detect it.
    const bool met_new_branch =
        std::any_of(new_branch.begin(), new_branch.end(),
                    [&](const core::EventId& id) { return group->Find(id) != nullptr; });
    if (!met_new_branch && !group->FrozenFrom(sim.node(forked).org()).has_value()) continue;
    std::optional<uint64_t> seq = group->FrozenFrom(sim.node(forked).org());
    ASSERT_TRUE(seq.has_value()) << "node " << i << " did not freeze node " << forked << "; "
                                 << sim.StatsLine();
    if (!frozen_from) frozen_from = seq;
    EXPECT_EQ(*seq, *frozen_from) << "node " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SimForkTest, ::testing::ValuesIn(ForkSeeds()));

// Runs the seed of CONSTELLATION_SIM_SEED (skipped when unset): the replay of a failure, and
// what scripts/soak-sim.sh runs for each seed.
TEST(SimReplayTest, ReplaySeed) {
  std::optional<uint64_t> seed = EnvNumber("CONSTELLATION_SIM_SEED");
  if (!seed) GTEST_SKIP() << "set CONSTELLATION_SIM_SEED to replay a seed";
  const bool fork = EnvNumber("CONSTELLATION_SIM_FORK").value_or(0) != 0;
  Simulator sim(Options(*seed, fork));
  absl::Status status = sim.Run();
  std::printf("%s\n", sim.StatsLine().c_str());
  ASSERT_TRUE(status.ok()) << status.message();
}

}  // namespace
}  // namespace constellation::sim
