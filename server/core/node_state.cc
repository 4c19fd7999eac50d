#include "server/core/node_state.h"

#include <absl/strings/str_format.h>

#include "server/base/enum_names.h"
#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/records.h"

namespace constellation::core {

absl::StatusOr<const VerifiedEvent*> NodeState::AppendOwn(const std::optional<GroupId>& group,
                                                          const v1::Event& body, uint64_t now_ms) {
  // The body is validated once here, by CheckNext (GroupState::Check), before anything is
  // stored; the RPC edge validates it before posting (docs/ARCHITECTURE.md).
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
  CONSTELLATION_ASSIGN_OR_RETURN(InsertResult result, target->InsertChecked(std::move(sealed)));
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
    if (auto expected = expected_sizes_.find(e.group); expected != expected_sizes_.end()) {
      target->ExpectSize(expected->second);
    }
  } else {
    return absl::NotFoundError(absl::StrFormat("group %s not found on this node", e.group.Hex()));
  }
  const Hlc hlc = e.hlc;
  const OrgKey author = e.author;
  CONSTELLATION_ASSIGN_OR_RETURN(InsertResult result, target->Insert(std::move(e)));
  if (result.admission == Admission::kReady) {
    // Only members' events become deps of our next event (Group::Draft), so only their stamps
    // need to be exceeded; an outsider cannot push this node's clock.
    if (target->MemberAsLastReplayed(author)) clock_.Observe(hlc);
    if (new_group) {
      expected_sizes_.erase(target->id());
      groups_.emplace(target->id(), std::move(new_group));
    }
    ++event_count_;
    Index(*target->Find(result.key.id));
  }
  return result;
}

void NodeState::ExpectGroupSize(const GroupId& id, uint64_t events) {
  auto it = groups_.find(id);
  if (it != groups_.end()) {
    it->second->ExpectSize(events);
  } else {
    expected_sizes_[id] = events;
  }
}

std::string_view ReceiveOutcomeName(ReceiveOutcome outcome) {
  static constexpr std::string_view kNames[] = {"inserted", "duplicate", "pending",
                                                "held",     "evicted",   "fork"};
  return EnumName(outcome, kNames);
}

absl::Status NodeState::CheckGroupCount() const {
  size_t count = groups_.size();
  for (const auto& [id, buffer] : pending_) count += groups_.contains(id) ? 0 : 1;
  if (count >= limits::kGroupCountMax) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("this node holds %d groups; the limit kGroupCountMax is %d", count,
                        limits::kGroupCountMax));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReceiveResult> NodeState::Receive(VerifiedEvent e, uint64_t now_ms) {
  if (!groups_.contains(e.group)) {
    if (!e.is_genesis()) {
      return absl::NotFoundError(absl::StrFormat("group %s not found on this node", e.group.Hex()));
    }
    auto p = pending_.find(e.group);
    if (p == pending_.end() || !p->second.Contains(e.id)) {
      CONSTELLATION_RETURN_IF_ERROR(CheckGroupCount());
    }
  }
  ReceiveResult result;
  result.changes.group = e.group;
  std::map<EventId, VerifiedEvent> retry;
  const GroupId group = e.group;
  absl::StatusOr<ReceiveOutcome> outcome = Admit(std::move(e), now_ms, &result.changes, &retry);
  if (outcome.ok()) {
    result.outcome = *outcome;
    Drain(now_ms, &result.changes, &retry);
  }
  DropOrphanPending(group);
  if (!outcome.ok()) return outcome.status();
  return result;
}

std::vector<GroupChanges> NodeState::ReleaseHeld(uint64_t now_ms) {
  std::vector<GroupId> ids;
  for (const auto& [id, buffer] : pending_) ids.push_back(id);
  std::vector<GroupChanges> all;
  for (const GroupId& id : ids) {
    // Held events' release times are wall_ms - kClockSkewMsMax (see Admit).
    std::vector<VerifiedEvent> released = pending_.at(id).TakeReleased(now_ms);
    if (released.empty()) continue;
    GroupChanges changes;
    changes.group = id;
    std::map<EventId, VerifiedEvent> retry;
    for (VerifiedEvent& e : released) {
      const EventId event_id = e.id;
      retry.emplace(event_id, std::move(e));
    }
    Drain(now_ms, &changes, &retry);
    DropOrphanPending(id);
    if (!changes.empty()) all.push_back(std::move(changes));
  }
  return all;
}

void NodeState::DropOrphanPending(const GroupId& id) {
  auto p = pending_.find(id);
  if (p != pending_.end() && p->second.empty() && !groups_.contains(id)) pending_.erase(p);
}

void NodeState::Drain(uint64_t now_ms, GroupChanges* changes,
                      std::map<EventId, VerifiedEvent>* retry) {
  while (!retry->empty()) {
    VerifiedEvent e = std::move(retry->begin()->second);
    retry->erase(retry->begin());
    // Only genesis events wait in the pending buffer of a group not held (Receive refuses
    // other events of unknown groups).
    CONSTELLATION_CHECK(groups_.contains(e.group) || e.is_genesis());
    if (!groups_.contains(e.group) && !CheckGroupCount().ok()) {
      ++changes->dropped;
      continue;
    }
    absl::StatusOr<ReceiveOutcome> outcome = Admit(std::move(e), now_ms, changes, retry);
    if (!outcome.ok()) ++changes->dropped;
  }
}

absl::StatusOr<ReceiveOutcome> NodeState::Admit(VerifiedEvent e, uint64_t now_ms,
                                                GroupChanges* changes,
                                                std::map<EventId, VerifiedEvent>* retry) {
  auto group_it = groups_.find(e.group);
  Group* group = group_it == groups_.end() ? nullptr : group_it->second.get();
  if (group != nullptr && group->Find(e.id) != nullptr) return ReceiveOutcome::kDuplicate;
  auto pending_it = pending_.find(e.group);
  if (pending_it != pending_.end() && pending_it->second.Contains(e.id)) {
    return pending_it->second.IsHeld(e.id) ? ReceiveOutcome::kHeld : ReceiveOutcome::kPending;
  }
  // DESIGN §2: an event far ahead of this node's clock is held, never rejected; holding only
  // delays it, so validity does not depend on the local clock.
  if (e.hlc.wall_ms > now_ms && e.hlc.wall_ms - now_ms > limits::kClockSkewMsMax) {
    const uint64_t release_at_ms = e.hlc.wall_ms - limits::kClockSkewMsMax;
    PendingBuffer& pending = pending_[e.group];
    return pending.AddHeld(std::move(e), release_at_ms) == PendingBuffer::AddOutcome::kEvicted
               ? ReceiveOutcome::kEvicted
               : ReceiveOutcome::kHeld;
  }
  std::unique_ptr<Group> new_group;
  if (group == nullptr) {
    CONSTELLATION_CHECK(e.is_genesis());
    new_group = std::make_unique<Group>(e.group);
    group = new_group.get();
  }
  const Hlc hlc = e.hlc;
  const OrgKey author = e.author;
  const EventId id = e.id;
  CONSTELLATION_ASSIGN_OR_RETURN(InsertResult result, group->TryInsert(e));
  switch (result.admission) {
    case Admission::kReady: {
      if (new_group) groups_.emplace(group->id(), std::move(new_group));
      // Only members' events become deps of our next event (Group::Draft), so only their
      // stamps need to be exceeded; an outsider cannot push this node's clock. Asked of the
      // state as last replayed, so that a run of late events is replayed once, when next read
      // (Group::state); AppendOwn observes the stamps of its prev and deps itself, so a member
      // whose admission is still in that replay cannot make a local event's stamp too low.
      if (group->MemberAsLastReplayed(author)) clock_.Observe(hlc);
      ++event_count_;
      Index(*group->Find(id));
      changes->inserted.push_back(id);
      auto p = pending_.find(group->id());
      if (p != pending_.end()) {
        for (VerifiedEvent& waiting : p->second.TakeWaitingFor(id)) {
          const EventId waiting_id = waiting.id;
          retry->emplace(waiting_id, std::move(waiting));
        }
      }
      return ReceiveOutcome::kInserted;
    }
    case Admission::kDuplicate:
      return ReceiveOutcome::kDuplicate;
    case Admission::kFork:
      if (result.new_fork_proof) changes->new_fork_proofs.push_back(*result.new_fork_proof);
      return ReceiveOutcome::kFork;
    case Admission::kMissingDeps: {
      const EventId parent = MissingParent(*group, e);
      PendingBuffer& pending = pending_[e.group];
      return pending.AddWaiting(std::move(e), parent) == PendingBuffer::AddOutcome::kEvicted
                 ? ReceiveOutcome::kEvicted
                 : ReceiveOutcome::kPending;
    }
  }
  return ReceiveOutcome::kDuplicate;
}

EventId NodeState::MissingParent(const Group& group, const VerifiedEvent& e) {
  if (e.seq > 1) {
    const EventId prev = *EventId::FromBytes(e.event.prev());
    if (group.dag().Find(prev) == nullptr) return prev;
  }
  for (const std::string& dep : e.event.deps()) {
    const EventId id = *EventId::FromBytes(dep);
    if (group.dag().Find(id) == nullptr) return id;
  }
  // Every parent is held, yet the DAG reports a gap: only the genesis can be missing.
  return GenesisIdOf(group.id());
}

absl::StatusOr<GroupChanges> NodeState::ReceiveForkProof(const v1::ForkProof& proof) {
  CONSTELLATION_ASSIGN_OR_RETURN(VerifiedForkProof verified, VerifyForkProof(proof));
  auto it = groups_.find(verified.group);
  if (it == groups_.end()) {
    return absl::NotFoundError(
        absl::StrFormat("group %s not found on this node", verified.group.Hex()));
  }
  GroupChanges changes;
  changes.group = verified.group;
  CONSTELLATION_ASSIGN_OR_RETURN(bool changed, it->second->AddForkProof(verified));
  if (changed) changes.new_fork_proofs.push_back(std::move(verified.proof));
  return changes;
}

const PendingBuffer* NodeState::FindPending(const GroupId& id) const {
  auto it = pending_.find(id);
  return it == pending_.end() ? nullptr : &it->second;
}

PendingStats NodeState::pending_stats() const {
  PendingStats total;
  for (const auto& [id, buffer] : pending_) total += buffer.stats();
  return total;
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
