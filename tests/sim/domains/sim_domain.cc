#include "tests/sim/domains/sim_domain.h"

#include <utility>

#include <absl/strings/str_format.h>

namespace constellation::sim {
namespace {

constexpr uint64_t kDeadlineSoonMsMin = 6 * 60'000;
constexpr uint64_t kDeadlineSoonMsMax = 40 * 60'000;

}  // namespace

std::optional<Member> PickMember(SimWorld& world) {
  const int i = static_cast<int>(world.random().Below(world.node_count()));
  const SimNode& node = world.node(i);
  if (!node.up()) return std::nullopt;
  std::vector<core::GroupId> writable;
  for (const auto& [id, group] : node.state().groups()) {
    if (group->state().roster().IsActiveWriter(node.org())) writable.push_back(id);
  }
  if (writable.empty()) return std::nullopt;
  const core::GroupId g = world.random().Pick(writable);
  return Member{.node = i,
                .org = node.org(),
                .group = g,
                .state = &node.state().FindGroup(g)->state(),
                .now_ms = world.NowMs(i)};
}

uint64_t DrawDeadlineMs(SimWorld& world, const Member& member) {
  if (world.random().Chance(500)) return 0;
  return member.now_ms + world.random().Between(kDeadlineSoonMsMin, kDeadlineSoonMsMax);
}

SimAction MemberAction(std::string_view name, uint32_t weight,
                       void (*act)(SimWorld& world, const Member& member)) {
  return SimAction{.name = name, .weight = weight, .run = [act](SimWorld& world) {
                     if (std::optional<Member> member = PickMember(world)) act(world, *member);
                   }};
}

absl::Status CheckEveryGroup(SimWorld& world, std::string_view label,
                             const std::function<std::string(const core::Group&)>& why) {
  for (int i = 0; i < world.node_count(); ++i) {
    const SimNode& node = world.node(i);
    if (!node.up()) continue;
    for (const auto& [group_id, group] : node.state().groups()) {
      if (std::string what = why(*group); !what.empty()) {
        return absl::InternalError(
            absl::StrFormat("%s: on node %d, group %s: %s", label, i, group_id.ShortHex(), what));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace constellation::sim
