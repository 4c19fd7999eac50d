#include "server/core/node_state.h"

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/records.h"

namespace constellation::core {

absl::StatusOr<const VerifiedEvent*> NodeState::AppendOwn(const std::optional<GroupId>& group,
                                                          const v1::Event& body, uint64_t now_ms) {
  CONSTELLATION_RETURN_IF_ERROR(ValidateBody(body));
  const bool genesis = body.body_case() == v1::Event::kCharter;
  if (genesis != !group.has_value()) {
    return absl::InvalidArgumentError(
        genesis ? "a charter founds a new group; it cannot be added to an existing one"
                : "an event other than a charter needs a group");
  }
  if (genesis && groups_.size() >= limits::kGroupCountMax) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("this node holds %d groups; the limit kGroupCountMax is %d", groups_.size(),
                        limits::kGroupCountMax));
  }
  // Tick a copy first: the clock advances only if the event is applied.
  HlcClock clock = clock_;
  v1::Event draft;
  std::unique_ptr<Group> new_group;
  Group* target = nullptr;
  if (genesis) {
    draft.set_format_version(limits::kEventFormatVersion);
    draft.set_author(org().Bytes());
    draft.set_seq(1);
    *draft.mutable_hlc() = clock.Tick(now_ms).ToProto();
  } else {
    auto it = groups_.find(*group);
    if (it == groups_.end()) {
      return absl::NotFoundError(absl::StrFormat("group %s not found on this node", group->Hex()));
    }
    target = it->second.get();
    draft = target->Draft(org(), Hlc{});
    // The new event's stamp must be >= its parents' (DESIGN §2), whatever this clock has seen.
    if (!draft.prev().empty()) {
      clock.Observe(target->dag().Find(*EventId::FromBytes(draft.prev()))->hlc);
    }
    for (const std::string& dep : draft.deps()) {
      clock.Observe(target->dag().Find(*EventId::FromBytes(dep))->hlc);
    }
    *draft.mutable_hlc() = clock.Tick(now_ms).ToProto();
  }
  draft.set_request_id(body.request_id());
  // Take only the body from the caller: the chain fields are the node's to set.
  v1::Event body_only = body;
  body_only.clear_format_version();
  body_only.clear_group_id();
  body_only.clear_author();
  body_only.clear_seq();
  body_only.clear_prev();
  body_only.clear_deps();
  body_only.clear_hlc();
  body_only.clear_request_id();
  body_only.DiscardUnknownFields();
  draft.MergeFrom(body_only);

  CONSTELLATION_ASSIGN_OR_RETURN(VerifiedEvent sealed, SealEvent(draft, key_));
  if (genesis) {
    new_group = std::make_unique<Group>(sealed.group);
    target = new_group.get();
  }
  CONSTELLATION_RETURN_IF_ERROR(target->CheckNext(sealed));
  CONSTELLATION_ASSIGN_OR_RETURN(InsertResult result, target->Insert(sealed));
  CONSTELLATION_CHECK(result.admission == Admission::kReady);
  clock_ = clock;
  if (genesis) groups_.emplace(target->id(), std::move(new_group));
  ++event_count_;
  const VerifiedEvent* stored = target->Find(result.key.id);
  Index(*stored);
  return stored;
}

absl::StatusOr<InsertResult> NodeState::Ingest(VerifiedEvent e) {
  Group* target = nullptr;
  std::unique_ptr<Group> new_group;
  auto it = groups_.find(e.group);
  if (it != groups_.end()) {
    target = it->second.get();
  } else if (e.is_genesis()) {
    new_group = std::make_unique<Group>(e.group);
    target = new_group.get();
  } else {
    return absl::NotFoundError(absl::StrFormat("group %s not found on this node", e.group.Hex()));
  }
  const Hlc hlc = e.hlc;
  const OrgKey author = e.author;
  CONSTELLATION_ASSIGN_OR_RETURN(InsertResult result, target->Insert(std::move(e)));
  if (result.admission == Admission::kReady) {
    // Only members' events become deps of our next event (Group::Draft), so only their stamps
    // need to be exceeded; an outsider cannot push this node's clock.
    if (target->state().members().contains(author)) clock_.Observe(hlc);
    if (new_group) groups_.emplace(target->id(), std::move(new_group));
    ++event_count_;
    Index(*target->Find(result.key.id));
  }
  return result;
}

void NodeState::Index(const VerifiedEvent& e) {
  if (e.author == org() && !e.event.request_id().empty()) {
    requests_.emplace(e.event.request_id(), std::make_pair(e.group, e.id));
  }
}

const VerifiedEvent* NodeState::FindByRequestId(const std::string& request_id) const {
  auto it = requests_.find(request_id);
  if (it == requests_.end()) return nullptr;
  const Group* g = FindGroup(it->second.first);
  return g == nullptr ? nullptr : g->Find(it->second.second);
}

const Group* NodeState::FindGroup(const GroupId& id) const {
  auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : it->second.get();
}

}  // namespace constellation::core
