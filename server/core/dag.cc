#include "server/core/dag.h"

#include <algorithm>

#include <absl/strings/str_format.h>

#include "server/base/check.h"

namespace constellation::core {

namespace {

// The parents of `e` whose clocks are merged: prev, deps and (for every event but the
// genesis) the genesis, the implicit parent of all events.
std::vector<EventId> ClockParents(const VerifiedEvent& e, const std::optional<EventId>& genesis) {
  std::vector<EventId> parents;
  parents.reserve(e.event.deps_size() + 2);
  if (!e.event.prev().empty()) {
    absl::StatusOr<EventId> prev = EventId::FromBytes(e.event.prev());
    if (prev.ok()) parents.push_back(*prev);
  }
  for (const std::string& dep : e.event.deps()) {
    absl::StatusOr<EventId> id = EventId::FromBytes(dep);
    if (id.ok()) parents.push_back(*id);
  }
  if (genesis.has_value() && *genesis != e.id) parents.push_back(*genesis);
  return parents;
}

}  // namespace

std::optional<uint32_t> CausalClocks::FindAuthor(const OrgKey& key) const {
  auto it = author_index_.find(key);
  if (it == author_index_.end()) return std::nullopt;
  return it->second;
}

const CausalClocks::Clock* CausalClocks::FindClock(const EventId& id) const {
  auto it = clocks_.find(id);
  return it == clocks_.end() ? nullptr : &it->second;
}

void CausalClocks::Add(const VerifiedEvent& e) {
  if (clocks_.contains(e.id)) return;
  if (e.is_genesis() && !genesis_.has_value()) genesis_ = e.id;
  auto [index_it, added] = author_index_.emplace(e.author, static_cast<uint32_t>(authors_.size()));
  if (added) authors_.push_back(e.author);
  Clock clock;
  clock.author = index_it->second;
  clock.width = static_cast<uint32_t>(authors_.size());
  clock.seq = e.seq;
  clock.offset = seqs_.size();
  seqs_.resize(seqs_.size() + clock.width, 0);
  uint64_t* seqs = seqs_.data() + clock.offset;  // parents' entries are earlier in seqs_
  for (const EventId& parent : ClockParents(e, genesis_)) {
    const Clock* p = FindClock(parent);
    if (p == nullptr) continue;
    for (uint32_t i = 0; i < p->width; ++i) seqs[i] = std::max(seqs[i], seqs_[p->offset + i]);
  }
  seqs[clock.author] = std::max(seqs[clock.author], e.seq);
  clocks_.emplace(e.id, clock);
}

bool CausalClocks::HappenedBefore(const EventId& a, const EventId& b) const {
  if (a == b) return false;
  const Clock* ca = FindClock(a);
  const Clock* cb = FindClock(b);
  if (ca == nullptr || cb == nullptr) return false;
  return SeqOf(*cb, ca->author) >= ca->seq;
}

bool CausalClocks::HappenedBefore(const EventId& a, const VerifiedEvent& b) const {
  if (a == b.id) return false;
  if (clocks_.contains(b.id)) return HappenedBefore(a, b.id);
  const Clock* ca = FindClock(a);
  if (ca == nullptr) return false;
  if (authors_[ca->author] == b.author && ca->seq < b.seq) return true;  // b's own chain
  for (const EventId& parent : ClockParents(b, genesis_)) {
    if (parent == a || HappenedBefore(a, parent)) return true;
  }
  return false;
}

bool CausalClocks::Concurrent(const EventId& a, const EventId& b) const {
  if (a == b || !Contains(a) || !Contains(b)) return false;
  return !HappenedBefore(a, b) && !HappenedBefore(b, a);
}

uint64_t CausalClocks::SeqInPast(const OrgKey& author, const EventId& b) const {
  const Clock* cb = FindClock(b);
  std::optional<uint32_t> index = FindAuthor(author);
  if (cb == nullptr || !index.has_value()) return 0;
  return SeqOf(*cb, *index);
}

uint64_t CausalClocks::SeqInPast(const OrgKey& author, const VerifiedEvent& b) const {
  if (clocks_.contains(b.id)) return SeqInPast(author, b.id);
  if (b.author == author) return b.seq;
  uint64_t seq = 0;
  for (const EventId& parent : ClockParents(b, genesis_)) {
    seq = std::max(seq, SeqInPast(author, parent));
  }
  return seq;
}

std::vector<std::pair<OrgKey, uint64_t>> CausalClocks::Frontier(const EventId& id) const {
  std::vector<std::pair<OrgKey, uint64_t>> frontier;
  const Clock* c = FindClock(id);
  if (c == nullptr) return frontier;
  for (uint32_t i = 0; i < c->width; ++i) {
    if (SeqOf(*c, i) > 0) frontier.emplace_back(authors_[i], SeqOf(*c, i));
  }
  std::sort(frontier.begin(), frontier.end());
  return frontier;
}

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
  clocks_.Add(e);
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
