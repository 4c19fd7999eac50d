#include "server/core/group.h"

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"

namespace constellation::core {

absl::StatusOr<InsertResult> Group::Insert(VerifiedEvent e) {
  CONSTELLATION_ASSIGN_OR_RETURN(Admission admission, dag_.Check(e));
  InsertResult result{admission, {}};
  if (admission != Admission::kReady) return result;
  result.key = dag_.Insert(e);
  const bool appends = order_.empty() || order_.rbegin()->first < result.key;
  order_.emplace(result.key, e.id);
  EventId id = e.id;
  events_.emplace(id, std::move(e));
  if (appends) {
    state_.Apply(events_.at(id));
  } else {
    Refold();
  }
  return result;
}

void Group::Refold() {
  state_ = GroupState(id_);
  for (const auto& [key, id] : order_) state_.Apply(events_.at(id));
}

v1::Event Group::Draft(const OrgKey& author, const Hlc& hlc) const {
  v1::Event e;
  e.set_format_version(limits::kEventFormatVersion);
  e.set_group_id(id_.Bytes());
  e.set_author(author.Bytes());
  const uint64_t length = dag_.ChainLength(author);
  e.set_seq(length + 1);
  if (length > 0) e.set_prev(dag_.EventAt(author, length)->Bytes());
  std::vector<std::string> deps;
  // Deps name the latest events of the other *members* (DESIGN §2): outsiders' events are
  // history but never extend what a member's event depends on (and cannot inflate deps).
  for (const auto& [head_author, head] : dag_.Heads()) {
    if (head_author != author && state_.members().contains(head_author)) {
      deps.push_back(head.Bytes());
    }
  }
  std::sort(deps.begin(), deps.end());
  for (std::string& d : deps) e.add_deps(std::move(d));
  *e.mutable_hlc() = hlc.ToProto();
  return e;
}

const VerifiedEvent* Group::Find(const EventId& id) const {
  auto it = events_.find(id);
  return it == events_.end() ? nullptr : &it->second;
}

void Group::ForEachInOrder(uint64_t after,
                           const std::function<bool(uint64_t, const VerifiedEvent&)>& fn) const {
  uint64_t position = 0;
  for (const auto& [key, id] : order_) {
    ++position;
    if (position <= after) continue;
    if (!fn(position, events_.at(id))) return;
  }
}

}  // namespace constellation::core
