// tests/sim/domains/network_domain.cc
//
// The network domain of the simulation (sim_domain.h): the faults and anti-entropy rounds of
// the workload, and the invariants of replication and durability that every record domain
// stands on (DESIGN §2-5, docs/PROTOCOL.md §3.1, §8):
//   1. No honest node forks: an honest org never acknowledges two different own events at the
//      same (group, seq), also across crashes, and no node ever holds a fork proof (a freeze)
//      of an honest org.
//   2. Nodes holding the same frontier of a group (the same events) and the same freezes have
//      the same Group::StateHash().
//   3. Acknowledged writes are never lost: every own event a node acknowledged (written with
//      sync = true) is still held by that node, after any number of crashes.
// A node restored from an old backup (the fork scenario) is not honest: 1 and 3 skip it, and
// honest nodes must freeze it.
// Actions: anti-entropy pulls, partitions that heal later, crashes that lose unsynced writes
// and restart from the store some steps later, clock skew of a few seconds and now and then
// one node minutes ahead (so that the others hold its events, PROTOCOL §8.3). Per-message
// faults (drops, duplicates, delays that reorder) are the SimNetwork's rates, set by the
// Simulator: they are drawn per message, not per step.
#include <map>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/base/limits.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::HashHex;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kPullWeight = 3'500;
constexpr uint32_t kPartitionWeight = 150;
constexpr uint32_t kCrashWeight = 120;
constexpr uint32_t kSkewChangeWeight = 200;
constexpr uint32_t kFarAheadWeight = 40;

// Durations (steps) and sizes of the faults.
constexpr uint64_t kPartitionStepsMin = 5;
constexpr uint64_t kPartitionStepsMax = 60;
constexpr uint64_t kDownStepsMax = 15;
constexpr int64_t kSkewMsMax = 3'000;
constexpr uint64_t kFarAheadMsMin = limits::kClockSkewMsMax + 60'000;
constexpr uint64_t kFarAheadMsMax = limits::kClockSkewMsMax + 6 * 60'000;
constexpr uint64_t kFarAheadStepsMin = 30;
constexpr uint64_t kFarAheadStepsMax = 150;

int AnyNode(SimWorld& w) { return static_cast<int>(w.random().Below(w.node_count())); }

// ---- Actions ----

void Pull(SimWorld& w) {
  const int i = AnyNode(w);
  const int j = AnyNode(w);
  if (i != j && w.node(i).up()) w.SendPull(i, j);
}

// Splits the nodes in two sides for a while (the Simulator heals it).
void Partition(SimWorld& w) {
  if (w.partitioned()) return;
  std::vector<int> sides(w.node_count());
  for (int& side : sides) side = static_cast<int>(w.random().Below(2));
  w.Partition(sides, w.random().Between(kPartitionStepsMin, kPartitionStepsMax));
}

void Crash(SimWorld& w) {
  const int i = AnyNode(w);
  if (w.node(i).up()) w.Crash(i, w.random().Below(kDownStepsMax + 1));
}

void SkewClock(SimWorld& w) {
  const int i = AnyNode(w);
  if (w.far_ahead_node() == i) return;
  w.SetSkew(i, static_cast<int64_t>(w.random().Below(2 * kSkewMsMax + 1)) - kSkewMsMax);
}

void PutClockFarAhead(SimWorld& w) {
  if (w.far_ahead_node()) return;
  const int i = AnyNode(w);
  const uint64_t ahead_ms = w.random().Between(kFarAheadMsMin, kFarAheadMsMax);
  w.SetFarAhead(i, ahead_ms, w.random().Between(kFarAheadStepsMin, kFarAheadStepsMax));
}

// ---- Invariants ----

// Invariant 1.
absl::Status CheckNoHonestFork(SimWorld& w) {
  std::map<core::OrgKey, int> node_of_org;
  for (int i = 0; i < w.node_count(); ++i) node_of_org.emplace(w.node(i).org(), i);
  for (int i = 0; i < w.node_count(); ++i) {
    if (w.honest(i)) {
      for (const auto& [group_id, writes] : w.acknowledged(i)) {
        for (const auto& [seq, ids] : writes) {
          if (ids.size() < 2) continue;
          return absl::InternalError(absl::StrFormat(
              "invariant 1 (no honest fork): node %d acknowledged two own events at seq %d of "
              "group %s: %s and %s",
              i, seq, group_id.ShortHex(), ids[0].ShortHex(), ids[1].ShortHex()));
        }
      }
    }
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    for (const auto& [group_id, group] : node.state().groups()) {
      for (const auto& [author, record] : group->forks()) {
        auto author_node = node_of_org.find(author);
        if (author_node == node_of_org.end() || !w.honest(author_node->second)) continue;
        return absl::InternalError(absl::StrFormat(
            "invariant 1 (no honest fork): node %d holds a fork proof of honest node %d in group "
            "%s at seq %d (events %s and %s)",
            i, author_node->second, group_id.ShortHex(), record.seq, record.first.ShortHex(),
            record.second.ShortHex()));
      }
    }
  }
  return absl::OkStatus();
}

// Invariant 3.
absl::Status CheckAcknowledgedHeld(SimWorld& w) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up() || !w.honest(i)) continue;
    for (const auto& [group_id, writes] : w.acknowledged(i)) {
      const core::Group* group = node.state().FindGroup(group_id);
      for (const auto& [seq, ids] : writes) {
        for (const core::EventId& id : ids) {
          if (group != nullptr && group->Find(id) != nullptr) continue;
          return absl::InternalError(absl::StrFormat(
              "invariant 3 (acknowledged writes are never lost): node %d acknowledged its event "
              "%s (seq %d of group %s) but no longer holds it%s",
              i, id.ShortHex(), seq, group_id.ShortHex(),
              group == nullptr ? " (nor the group)" : ""));
        }
      }
    }
  }
  return absl::OkStatus();
}

// The frozen authors of a group with their fork seqs.
std::map<core::OrgKey, uint64_t> Freezes(const core::Group& g) {
  std::map<core::OrgKey, uint64_t> freezes;
  for (const auto& [author, record] : g.forks()) freezes.emplace(author, record.seq);
  return freezes;
}

absl::Status CheckEqualStates(const SimNode& a, const SimNode& b) {
  for (const auto& [group_id, ga] : a.state().groups()) {
    const core::Group* gb = b.state().FindGroup(group_id);
    if (gb == nullptr) continue;
    if (ga->Frontier().SerializeAsString() != gb->Frontier().SerializeAsString()) continue;
    if (Freezes(*ga) != Freezes(*gb)) continue;
    if (ga->StateHash() != gb->StateHash()) {
      return absl::InternalError(absl::StrFormat(
          "invariant 2 (same events, same state): nodes %d and %d hold the same frontier of "
          "group %s (%d events) but their state hashes differ: %s vs %s",
          a.index(), b.index(), group_id.ShortHex(), ga->size(), HashHex(ga->StateHash()),
          HashHex(gb->StateHash())));
    }
  }
  return absl::OkStatus();
}

// Invariant 2.
absl::Status CheckSameEventsSameState(SimWorld& w) {
  for (int a = 0; a < w.node_count(); ++a) {
    if (!w.node(a).up()) continue;
    for (int b = a + 1; b < w.node_count(); ++b) {
      if (!w.node(b).up()) continue;
      if (absl::Status s = CheckEqualStates(w.node(a), w.node(b)); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain NetworkDomain() {
  using When = SimInvariant::When;
  return SimDomain{
      .name = "network",
      .actions =
          {
              {.name = "pull", .weight = kPullWeight, .run = Pull},
              {.name = "partition", .weight = kPartitionWeight, .run = Partition},
              {.name = "crash", .weight = kCrashWeight, .run = Crash},
              {.name = "skew clock", .weight = kSkewChangeWeight, .run = SkewClock},
              {.name = "clock far ahead", .weight = kFarAheadWeight, .run = PutClockFarAhead},
          },
      .react = nullptr,
      .invariants =
          {
              {.name = "no honest fork", .when = When::kEveryStep, .check = CheckNoHonestFork},
              {.name = "acknowledged writes are never lost",
               .when = When::kEveryStep,
               .check = CheckAcknowledgedHeld},
              {.name = "same events, same state",
               .when = When::kEveryStep,
               .check = CheckSameEventsSameState},
          },
      .known_issues = {},
  };
}

}  // namespace constellation::sim
