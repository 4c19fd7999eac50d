#include "server/core/dag.h"

#include <algorithm>

#include <absl/strings/str_format.h>

#include "server/base/check.h"

namespace constellation::core {

absl::StatusOr<Admission> GroupDag::Check(const VerifiedEvent& e) const {
  if (e.group != group_) {
    return absl::InvalidArgumentError(absl::StrFormat("event %s belongs to group %s, not %s",
                                                      e.id.ShortHex(), e.group.ShortHex(),
                                                      group_.ShortHex()));
  }
  if (nodes_.contains(e.id)) return Admission::kDuplicate;
  const uint64_t length = ChainLength(e.author);
  if (e.seq <= length) return Admission::kFork;  // same (author, seq), different id
  if (e.seq > length + 1) return Admission::kMissingDeps;

  Hlc floor;
  if (e.seq > 1) {
    const EventId& head = chains_.at(e.author).back();
    if (e.event.prev() != head.Bytes()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event %s: prev does not match author %s's event %d (%s)",
                          e.id.ShortHex(), e.author.ShortHex(), e.seq - 1, head.ShortHex()));
    }
    floor = nodes_.at(head).hlc;
  }
  bool missing = false;
  for (const std::string& dep_bytes : e.event.deps()) {
    EventId dep = *EventId::FromBytes(dep_bytes);
    auto it = nodes_.find(dep);
    if (it == nodes_.end()) {
      missing = true;
      continue;
    }
    if (it->second.author == e.author) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "event %s: dep %s is the author's own event; deps name other authors' events",
          e.id.ShortHex(), dep.ShortHex()));
    }
    floor = std::max(floor, it->second.hlc);
  }
  if (missing) return Admission::kMissingDeps;
  if (e.hlc < floor) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %s: hlc (%d, %d) is below its prev's or a dep's (%d, %d)", e.id.ShortHex(),
        e.hlc.wall_ms, e.hlc.logical, floor.wall_ms, floor.logical));
  }
  if (nodes_.empty() && !e.is_genesis()) return Admission::kMissingDeps;  // genesis comes first
  if (e.is_genesis() && GroupIdOf(e.id) != group_) {
    return absl::InvalidArgumentError("genesis event does not match the group id");
  }
  return Admission::kReady;
}

OrderKey GroupDag::Insert(const VerifiedEvent& e) {
  // The genesis (depth 1) is an implicit parent of every other event, so nothing sorts before
  // it even when an event has no prev and no deps.
  uint64_t parent_depth = e.is_genesis() ? 0 : 1;
  if (e.seq > 1) {
    parent_depth = std::max(parent_depth, nodes_.at(chains_.at(e.author).back()).depth);
  }
  for (const std::string& dep_bytes : e.event.deps()) {
    parent_depth = std::max(parent_depth, nodes_.at(*EventId::FromBytes(dep_bytes)).depth);
  }
  DagNode node{e.author, e.seq, e.hlc, parent_depth + 1};
  auto [it, inserted] = nodes_.emplace(e.id, node);
  CONSTELLATION_CHECK(inserted);
  std::vector<EventId>& chain = chains_[e.author];
  CONSTELLATION_CHECK(chain.size() + 1 == e.seq);
  chain.push_back(e.id);
  return OrderKey{node.depth, e.id};
}

const DagNode* GroupDag::Find(const EventId& id) const {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

uint64_t GroupDag::ChainLength(const OrgKey& author) const {
  auto it = chains_.find(author);
  return it == chains_.end() ? 0 : it->second.size();
}

std::optional<EventId> GroupDag::EventAt(const OrgKey& author, uint64_t seq) const {
  auto it = chains_.find(author);
  if (it == chains_.end() || seq == 0 || seq > it->second.size()) return std::nullopt;
  return it->second[seq - 1];
}

std::vector<std::pair<OrgKey, EventId>> GroupDag::Heads() const {
  std::vector<std::pair<OrgKey, EventId>> heads;
  heads.reserve(chains_.size());
  for (const auto& [author, chain] : chains_) heads.emplace_back(author, chain.back());
  return heads;
}

}  // namespace constellation::core
