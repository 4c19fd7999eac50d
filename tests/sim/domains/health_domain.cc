// tests/sim/domains/health_domain.cc
//
// The partnership health domain of the simulation (sim_domain.h; server/core/health/,
// docs/PROTOCOL.md §5.14):
//   * actions: check the pulse (alignment 1..5; now and then 0 or 6, which validation refuses
//     before anything is written).
//   * invariant "pulses are valid" (after every step, on every node that is up): every pulse
//     the fold kept has an alignment in 1..5 and was written by an org the roster knows.
//   * invariant "same events, same health" (once settled): nodes whose group state hashes are
//     equal derive the same health view (HealthAt) for the same time, member by member.
#include <map>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "server/core/group.h"
#include "server/core/health/health_ledger.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::PulseCheckBody;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kPulseWeight = 120;

void CheckPulse(SimWorld& w, const Member& m) {
  const bool invalid = w.random().Chance(50);
  const uint32_t alignment =
      invalid ? (w.random().Chance(500) ? 0 : 6) : static_cast<uint32_t>(w.random().Between(1, 5));
  w.Write(m.node, m.group, PulseCheckBody(alignment), absl::StrFormat("pulse %d", alignment));
}

absl::Status CheckPulsesValid(SimWorld& w) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    for (const auto& [group_id, group] : node.state().groups()) {
      for (const core::PulseState& p : core::Health(group->state()).pulses()) {
        if (p.alignment < 1 || p.alignment > 5 ||
            group->state().roster().members().count(p.member) == 0) {
          return absl::InternalError(absl::StrFormat(
              "health (pulses are valid): on node %d, group %s: pulse %s of %s has alignment %d", i,
              group_id.ShortHex(), p.id.ShortHex(), p.member.ShortHex(), p.alignment));
        }
      }
    }
  }
  return absl::OkStatus();
}

// The health view of `state` at `now_ms` as one line per member, for comparing nodes.
std::string Digest(const core::GroupState& state, uint64_t now_ms) {
  const core::GroupHealth h = core::HealthAt(state, now_ms);
  std::vector<std::string> lines = {
      absl::StrFormat("open %d due %d", h.open_proposals, h.review_due)};
  for (const core::MemberHealth& m : h.members) {
    lines.push_back(absl::StrFormat(
        "%s %d %d %d %d %d %d %d %d", m.member.ShortHex(), m.last_activity_ms, m.silent,
        m.latest_alignment, m.previous_alignment, m.stances_owed.size(),
        m.acknowledgements_owed.size(), m.overdue_action_items.size(), m.overdue_pledges.size()));
  }
  for (const core::PulsePeriod& p : h.pulse_trend) {
    lines.push_back(absl::StrFormat("%s %d %d", p.period, p.count, p.average_milli));
  }
  return absl::StrJoin(lines, "\n");
}

absl::Status CheckSameHealth(SimWorld& w) {
  // Per group and state hash, the digest of the first node that showed it.
  std::map<std::pair<core::GroupId, std::string>, std::pair<int, std::string>> seen;
  const uint64_t now_ms = w.NowMs(0);
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up() || !w.honest(i)) continue;
    for (const auto& [group_id, group] : node.state().groups()) {
      const auto hash = group->state().Hash();
      const std::string key(hash.begin(), hash.end());
      const std::string digest = Digest(group->state(), now_ms);
      auto [it, inserted] = seen.try_emplace({group_id, key}, i, digest);
      if (!inserted && it->second.second != digest) {
        return absl::InternalError(absl::StrFormat(
            "health (same events, same health): group %s: nodes %d and %d have the same state "
            "hash but derive different health views:\n%s\n---\n%s",
            group_id.ShortHex(), it->second.first, i, it->second.second, digest));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain HealthDomain() {
  return SimDomain{
      .name = "health",
      .actions = {MemberAction("check the pulse", kPulseWeight, CheckPulse)},
      .react = nullptr,
      .invariants = {{.name = "pulses are valid",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckPulsesValid},
                     {.name = "same events, same health",
                      .when = SimInvariant::When::kSettled,
                      .check = CheckSameHealth}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
