// tests/sim/domains/sim_domain.h
//
// SimDomain: what one record domain contributes to the deterministic simulation (DESIGN §5,
// §7 "sim: a weighted action table per domain"), the same cut as server/core/<domain>/:
//   * actions: a weighted table {name, weight, function}. Each workload step the Simulator runs
//     one action, drawn by weight from the union of every domain's table, so an action's chance
//     per step is its weight over the total weight. The tables add up to about 10'000, so a
//     weight reads as "times per 10'000 steps". A member action (MemberAction) acts as one member:
//     a random node that is up, in a random group it may write to; it does nothing without one.
//   * react: what a node writes by itself every step, without people (acknowledgements,
//     acceptances), also while the run settles.
//   * invariants: checks over every node that is up, after every step (kEveryStep) or once the
//     run has settled (kSettled, liveness). A violation is kInternal naming the invariant, the
//     nodes and the ids. Known core issues a domain cannot fail on yet are counted in
//     SimStats::known_issues under the labels the domain lists (and fail when strict).
// Actions and invariants may keep state for the run (captured by their functions): a domain is
// built anew for every Simulator (SimDomainFactory).
//
// Adding a domain: one file domains/<domain>_domain.cc defining its factory, one line in
// domains/registry.cc, and its source in tests/sim/CMakeLists.txt.
// Thread safety: not thread-safe; used by one Simulator.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/status.h>

#include "server/core/fold/group_state.h"
#include "server/core/group.h"
#include "server/core/ids.h"
#include "tests/sim/sim_world.h"

namespace constellation::sim {

struct SimAction {
  std::string_view name;
  uint32_t weight = 0;  // relative to the sum over every domain's table
  std::function<void(SimWorld&)> run;
};

struct SimInvariant {
  enum class When { kEveryStep, kSettled };
  std::string_view name;
  When when = When::kEveryStep;
  std::function<absl::Status(SimWorld&)> check;
};

struct SimDomain {
  std::string_view name;
  std::vector<SimAction> actions;
  // What node i (up) writes by itself this step; may be empty.
  std::function<void(SimWorld&, int node)> react;
  std::vector<SimInvariant> invariants;
  // Labels of the known core issues its invariants record, in the order the stats line shows
  // them.
  std::vector<std::string_view> known_issues;
};

using SimDomainFactory = SimDomain (*)();

// The domains of the simulation, in the order their reactions run and their invariants are
// checked (domains/registry.cc).
const std::vector<SimDomainFactory>& SimDomainRegistry();

// The actor of a member action: node `node` (up), in `group`, which it may write to
// (Roster::IsActiveWriter in its own view, `state`). `state` is valid until the next write.
struct Member {
  int node = 0;
  core::OrgKey org;
  core::GroupId group;
  const core::GroupState* state = nullptr;
  uint64_t now_ms = 0;
};

// A random member: a uniformly drawn node, if it is up, in a uniformly drawn group it may
// write to; nullopt when the node is down or may write to no group.
std::optional<Member> PickMember(SimWorld& world);

// A proposal's deadline: half the time 0 (the rule's voting window, days), else a few minutes
// after the member's clock, so that deadlines close during the workload.
uint64_t DrawDeadlineMs(SimWorld& world, const Member& member);

// An action that acts as PickMember() and does nothing without a member.
SimAction MemberAction(std::string_view name, uint32_t weight,
                       void (*act)(SimWorld& world, const Member& member));

// An invariant over every group of every node that is up: `why(group)` says what is wrong, ""
// when nothing is. The first violation is kInternal "LABEL: on node N, group G: WHY".
absl::Status CheckEveryGroup(SimWorld& world, std::string_view label,
                             const std::function<std::string(const core::Group&)>& why);

// What an invariant has seen per node and group since the node last crashed (a crash may lose
// received events that were not synced, and a restore from a backup its own). Call Refresh
// for a node before reading or adding its entries.
template <typename Entries>
class SeenSinceCrash {
 public:
  // Forgets node `node`'s entries if it crashed since the last call.
  void Refresh(const SimWorld& world, int node) {
    if (crash_count_[node] == world.crash_count(node)) return;
    crash_count_[node] = world.crash_count(node);
    std::erase_if(entries_, [node](const auto& entry) { return entry.first.first == node; });
  }
  Entries& At(int node, const core::GroupId& group) { return entries_[{node, group}]; }

 private:
  std::map<std::pair<int, core::GroupId>, Entries> entries_;
  std::map<int, uint64_t> crash_count_;
};

}  // namespace constellation::sim
