#include "server/core/group.h"

#include <algorithm>
#include <tuple>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/crypto.h"

namespace constellation::core {
namespace {

void AppendU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

absl::StatusOr<VerifiedEvent> VerifyProofEvent(const v1::ForkProof& proof, bool first) {
  const char* name = first ? "fork_proof.first" : "fork_proof.second";
  if (first ? !proof.has_first() : !proof.has_second()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is missing", name));
  }
  absl::StatusOr<VerifiedEvent> e = VerifySignedEvent(first ? proof.first() : proof.second());
  if (!e.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %s", name, std::string(e.status().message())));
  }
  return e;
}

}  // namespace

absl::StatusOr<VerifiedForkProof> VerifyForkProof(const v1::ForkProof& proof) {
  CONSTELLATION_ASSIGN_OR_RETURN(VerifiedEvent a, VerifyProofEvent(proof, true));
  CONSTELLATION_ASSIGN_OR_RETURN(VerifiedEvent b, VerifyProofEvent(proof, false));
  if (a.group != b.group) {
    return absl::InvalidArgumentError(
        absl::StrFormat("fork proof events belong to different groups (%s, %s); a fork is two "
                        "events of one group",
                        a.group.ShortHex(), b.group.ShortHex()));
  }
  if (a.author != b.author) {
    return absl::InvalidArgumentError(
        absl::StrFormat("fork proof events have different authors (%s, %s); a fork is two "
                        "events by one author",
                        a.author.ShortHex(), b.author.ShortHex()));
  }
  if (a.seq != b.seq) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "fork proof events have different seqs (%d, %d); a fork is two events at one seq", a.seq,
        b.seq));
  }
  if (a.id == b.id) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "fork proof names event %s twice; a fork is two different events", a.id.ShortHex()));
  }
  VerifiedForkProof v;
  v.group = a.group;
  v.author = a.author;
  v.seq = a.seq;
  if (b.id < a.id) std::swap(a, b);
  v.proof = MakeForkProof(a, b);
  v.first = std::move(a);
  v.second = std::move(b);
  return v;
}

v1::ForkProof MakeForkProof(const VerifiedEvent& a, const VerifiedEvent& b) {
  CONSTELLATION_CHECK(a.id != b.id);
  const bool a_first = a.id < b.id;
  v1::ForkProof proof;
  *proof.mutable_first() = (a_first ? a : b).ToSignedEvent();
  *proof.mutable_second() = (a_first ? b : a).ToSignedEvent();
  return proof;
}

Group::Group(GroupId id)
    : id_(id),
      dag_(id),
      state_(id),
      checkpoint_interval_min_(limits::kFoldCheckpointIntervalEventsMin) {}

absl::StatusOr<InsertResult> Group::TryInsert(VerifiedEvent& e, bool checked) {
  if (e.group == id_ && dag_.Find(e.id) == nullptr) {
    // Chain rules that tell a fork, a missing parent and an invalid event apart, whatever
    // branch of the author this node happens to hold (the DAG alone would call an event that
    // continues another branch invalid, and validity must not depend on arrival order).
    const uint64_t length = dag_.ChainLength(e.author);
    if (e.seq > 1) {
      const EventId prev = *EventId::FromBytes(e.event.prev());
      const DagNode* p = dag_.Find(prev);
      if (p != nullptr && (p->author != e.author || p->seq + 1 != e.seq)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("event %s: prev %s is not the author's event seq %d", e.id.ShortHex(),
                            prev.ShortHex(), e.seq - 1));
      }
      if (p == nullptr && e.seq <= length + 1) {
        // e continues a branch that left this node's chain of the author below e.seq - 1.
        // When the author is frozen below e.seq it can have no effect; otherwise its prev (a
        // conflicting event at a lower seq, which will reveal the fork exactly) is missing.
        const std::optional<uint64_t> frozen = FrozenFrom(e.author);
        if (frozen && *frozen < e.seq) return InsertResult{Admission::kFork, {}, std::nullopt};
        return InsertResult{Admission::kMissingDeps, {}, std::nullopt};
      }
    }
    if (e.seq <= length) return InsertConflicting(e);
  }
  CONSTELLATION_ASSIGN_OR_RETURN(Admission admission, dag_.Check(e));
  InsertResult result{admission, {}, std::nullopt};
  if (admission != Admission::kReady) return result;
  result.key = dag_.Insert(e);
  const bool appends = order_.empty() || order_.rbegin()->first < result.key;
  order_.emplace(result.key, e.id);
  EventId id = e.id;
  events_.emplace(id, std::move(e));
  const VerifiedEvent& stored = events_.at(id);
  if (replay_from_ || !appends) {
    // A late event (or any event while a replay is pending: the state lacks the events after
    // replay_from_): the replay from the lowest late key, run on the next read, folds it.
    // A frozen late event too: it has no effect, but what it saw is in the causal past of the
    // events that will name it (PROTOCOL §3.1), and the checkpoints after it lack its clock.
    replay_from_ = replay_from_ ? std::min(*replay_from_, result.key) : result.key;
    return result;
  }
  if (IsFrozen(stored)) {
    // No effect; its clock only (PROTOCOL §3.1).
    state_.RecordFrozen(stored);
    return result;
  }
  {
    if (checked) {
      state_.ApplyChecked(stored);
    } else {
      state_.Apply(stored);
    }
    if (state_.NeedsRefold()) {
      Refold();
    } else {
      MaybeCheckpoint(state_, result.key, order_.size());
    }
  }
  return result;
}

const GroupState& Group::state() const {
  Settle();
  return state_;
}

void Group::Settle() const {
  if (!replay_from_) return;
  // Groups are never defined const (NodeState owns them through unique_ptr<Group>), so
  // finishing the fold they cache from a const method is defined behaviour.
  Group* self = const_cast<Group*>(this);
  const OrderKey from = *self->replay_from_;
  self->replay_from_.reset();
  self->RefoldFrom(from);
}

absl::StatusOr<InsertResult> Group::InsertConflicting(const VerifiedEvent& e) {
  const std::optional<EventId> held = dag_.EventAt(e.author, e.seq);
  CONSTELLATION_CHECK(held.has_value() && *held != e.id);
  // TryInsert handled a prev that is not held, and refused one that is not the author's
  // event seq - 1; so e continues this node's chain at seq - 1.
  CONSTELLATION_CHECK(e.seq == 1 || e.event.prev() == dag_.EventAt(e.author, e.seq - 1)->Bytes());
  const VerifiedEvent& other = events_.at(*held);
  v1::ForkProof proof = MakeForkProof(other, e);
  const EventId first = std::min(other.id, e.id);
  const EventId second = std::max(other.id, e.id);
  InsertResult result{Admission::kFork, {}, std::nullopt};
  if (RecordFork(e.author, e.seq, first, second, proof)) result.new_fork_proof = std::move(proof);
  return result;
}

absl::StatusOr<bool> Group::AddForkProof(const v1::ForkProof& proof) {
  CONSTELLATION_ASSIGN_OR_RETURN(VerifiedForkProof v, VerifyForkProof(proof));
  return AddForkProof(v);
}

absl::StatusOr<bool> Group::AddForkProof(const VerifiedForkProof& v) {
  if (v.group != id_) {
    return absl::InvalidArgumentError(
        absl::StrFormat("fork proof is for group %s, not %s", v.group.ShortHex(), id_.ShortHex()));
  }
  return RecordFork(v.author, v.seq, v.first.id, v.second.id, v.proof);
}

bool Group::RecordFork(const OrgKey& author, uint64_t seq, const EventId& first,
                       const EventId& second, const v1::ForkProof& proof) {
  auto it = forks_.find(author);
  if (it != forks_.end()) {
    ForkRecord& known = it->second;
    if (known.seq < seq) return false;
    if (known.seq == seq) {
      // Same freeze; keep the smallest proof so that what is gossiped depends only on the
      // proofs known, not on their arrival order.
      if (std::tie(first, second) < std::tie(known.first, known.second)) {
        known.first = first;
        known.second = second;
        known.proof = proof;
      }
      return false;
    }
  }
  forks_[author] = ForkRecord{seq, first, second, proof};
  Refold();
  return true;
}

void Group::Refold() {
  replay_from_.reset();  // a full fold folds every event held
  // Two folds at most: the second voids an expelled member's records concurrent with its
  // expulsion (removal cuts, docs/PROTOCOL.md §5). Checkpoints of the last fold only.
  FrozenAuthors frozen;
  for (const auto& [author, fork] : forks_) frozen.emplace(author, fork.seq);
  state_ = FoldWithRemovalCuts(
      id_,
      [this](GroupState& s) {
        checkpoints_.clear();
        Replay(s, nullptr, 0);
      },
      nullptr, frozen);
}

void Group::RefoldFrom(const OrderKey& late) {
  while (!checkpoints_.empty() && !(checkpoints_.back().last < late)) checkpoints_.pop_back();
  if (checkpoints_.empty()) {
    Refold();
    return;
  }
  const Checkpoint& from = checkpoints_.back();
  GroupState state = from.state;
  // Events before `late` kept their positions. Replay may add checkpoints (moving this one).
  const OrderKey from_key = from.last;
  Replay(state, &from_key, from.position);
  state_ = std::move(state);
  if (state_.NeedsRefold()) Refold();  // the late event completed an expulsion: new cuts
}

void Group::Replay(GroupState& state, const OrderKey* from, uint64_t position) {
  auto it = from == nullptr ? order_.begin() : order_.upper_bound(*from);
  for (; it != order_.end(); ++it) {
    ++position;
    const VerifiedEvent& e = events_.at(it->second);
    if (IsFrozen(e)) {
      state.RecordFrozen(e);  // causal clocks only (PROTOCOL §3.1)
      continue;
    }
    state.Apply(e);
    ++events_refolded_;
    MaybeCheckpoint(state, it->first, position);
  }
}

void Group::MaybeCheckpoint(const GroupState& state, const OrderKey& key, uint64_t position) {
  // The size the group has, or will have at the end of a bulk load (ExpectSize).
  const size_t size = std::max(order_.size(), expected_size_);
  const size_t interval =
      std::max(checkpoint_interval_min_, size / limits::kFoldCheckpointIntervalDivisor);
  const uint64_t last = checkpoints_.empty() ? 0 : checkpoints_.back().position;
  if (position < last + interval) return;
  // Far from the end (a full refold's or a bulk load's early positions): a late event rarely
  // sorts there, and the copy would be discarded before it is used.
  if (size - position > interval * limits::kFoldCheckpointCountMax) return;
  checkpoints_.push_back(Checkpoint{key, position, state});
  ++checkpoints_taken_;
  if (checkpoints_.size() > limits::kFoldCheckpointCountMax) {
    checkpoints_.erase(checkpoints_.begin());
  }
}

bool Group::IsFrozen(const VerifiedEvent& e) const {
  // Readmission hook (DESIGN §2): an adopted readmission decision will be consulted here.
  if (e.is_genesis()) return false;  // the group's identity; never frozen
  std::optional<uint64_t> from = FrozenFrom(e.author);
  return from.has_value() && e.seq >= *from;
}

std::optional<uint64_t> Group::FrozenFrom(const OrgKey& author) const {
  auto it = forks_.find(author);
  if (it == forks_.end()) return std::nullopt;
  return it->second.seq;
}

std::vector<v1::ForkProof> Group::ForkProofs() const {
  std::vector<v1::ForkProof> proofs;
  proofs.reserve(forks_.size());
  for (const auto& [author, record] : forks_) proofs.push_back(record.proof);
  return proofs;
}

std::optional<std::string> Group::NoEffectReason(const EventId& id) const {
  const VerifiedEvent* e = Find(id);
  if (e == nullptr) return std::nullopt;
  if (IsFrozen(*e)) {
    return absl::StrFormat(
        "author %s forked at seq %d (two events signed for one seq); its events from that seq "
        "on have no effect",
        e->author.ShortHex(), *FrozenFrom(e->author));
  }
  auto it = state().rejected_events().find(id);
  if (it == state().rejected_events().end()) return std::nullopt;
  return it->second;
}

absl::Status Group::CheckNext(const VerifiedEvent& e) const {
  if (IsFrozen(e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "org %s forked at seq %d in group %s (two events were signed for one seq, e.g. after a "
        "restore from an old backup); its events from that seq on have no effect until a "
        "decision readmits it",
        e.author.ShortHex(), *FrozenFrom(e.author), id_.ShortHex()));
  }
  return state().Check(e);
}

std::array<uint8_t, 32> Group::StateHash() const { return WithForks(state().Hash()); }

std::array<uint8_t, 32> Group::StateHashAt(uint64_t event_count) const {
  if (event_count >= order_.size()) return StateHash();
  FrozenAuthors frozen;
  for (const auto& [author, fork] : forks_) frozen.emplace(author, fork.seq);
  // Own clocks (nullptr): the DAG's clocks are those of every event held, not of the prefix.
  const GroupState prefix = FoldWithRemovalCuts(
      id_,
      [&](GroupState& s) {
        uint64_t position = 0;
        for (const auto& [key, id] : order_) {
          if (++position > event_count) break;
          const VerifiedEvent& e = events_.at(id);
          if (IsFrozen(e)) {
            s.RecordFrozen(e);
          } else {
            s.Apply(e);
          }
        }
      },
      nullptr, frozen);
  return WithForks(prefix.Hash());
}

std::array<uint8_t, 32> Group::WithForks(const std::array<uint8_t, 32>& folded) const {
  if (forks_.empty()) return folded;
  std::string buffer("constellation/v1/group-state-with-forks");
  buffer.push_back('\0');
  buffer.append(reinterpret_cast<const char*>(folded.data()), folded.size());
  AppendU64(&buffer, forks_.size());
  for (const auto& [author, record] : forks_) {
    buffer.append(author.Bytes());
    AppendU64(&buffer, record.seq);
  }
  return Sha256(buffer);
}

v1::Frontier Group::Frontier() const {
  v1::Frontier frontier;
  frontier.set_group_id(id_.Bytes());
  for (const auto& [author, head] : dag_.Heads()) {
    v1::ChainHead* h = frontier.add_heads();
    h->set_author(author.Bytes());
    h->set_seq(dag_.ChainLength(author));
    h->set_head(head.Bytes());
  }
  return frontier;
}

v1::Event Group::Draft(const OrgKey& author, const Hlc& hlc) const {
  v1::Event e;
  e.set_format_version(limits::kEventFormatVersion);
  e.set_group_id(id_.Bytes());
  e.set_author(author.Bytes());
  const uint64_t length = dag_.ChainLength(author);
  e.set_seq(length + 1);
  if (length > 0) e.set_prev(dag_.EventAt(author, length)->Bytes());
  std::vector<EventId> deps;
  // Deps name the latest events of the other *members* (DESIGN §2): outsiders' events are
  // history but never extend what a member's event depends on (and cannot inflate deps). A
  // head the author's previous event already has in its causal past is left out: the event
  // has it through `prev` (the causal order, and so the depth and the canonical order, are
  // the same), and an event stays as small as what changed since the author's last one
  // instead of growing with the group (3.6 KB per event at 100 members: docs/PERFORMANCE.md,
  // "scale on paper").
  const std::optional<EventId> previous =
      length > 0 ? std::optional<EventId>(*dag_.EventAt(author, length)) : std::nullopt;
  const auto add = [&](const EventId& dep) {
    if (previous.has_value() && state().HappenedBefore(dep, *previous)) return;
    deps.push_back(dep);
  };
  for (const auto& [head_author, head] : dag_.Heads()) {
    if (head_author == author || !state().roster().members().contains(head_author)) continue;
    std::optional<uint64_t> frozen = FrozenFrom(head_author);
    if (frozen && *frozen <= dag_.ChainLength(head_author)) {
      // A frozen member's branch past its fork may not be the one other nodes hold; depend
      // only on what every node holds alike.
      if (*frozen > 1) add(*dag_.EventAt(head_author, *frozen - 1));
      continue;
    }
    add(head);
  }
  if (deps.size() > draft_deps_max_) deps = FewerDeps(std::move(deps));
  std::vector<std::string> bytes;
  for (const EventId& d : deps) bytes.push_back(d.Bytes());
  std::sort(bytes.begin(), bytes.end());
  for (std::string& d : bytes) e.add_deps(std::move(d));
  *e.mutable_hlc() = hlc.ToProto();
  return e;
}

std::vector<EventId> Group::FewerDeps(std::vector<EventId> heads) const {
  // More heads than an event may name (docs/PROTOCOL.md §2, `deps`: a group of more than 257
  // members, many of whom wrote since the author's last event). First leave out every head
  // that another of them has in its causal past: the event's causal past stays the same.
  std::vector<EventId> kept;
  for (const EventId& head : heads) {
    const bool covered = std::any_of(heads.begin(), heads.end(), [&](const EventId& other) {
      return other != head && state().HappenedBefore(head, other);
    });
    if (!covered) kept.push_back(head);
  }
  if (kept.size() <= draft_deps_max_) return kept;
  // Then name the earliest in canonical order (smallest depth, then id); the author's next
  // event names the rest, which are still heads or in the past of the heads that follow them.
  std::vector<OrderKey> keys;
  for (const EventId& id : kept) keys.push_back(OrderKey{dag_.Find(id)->depth, id});
  std::sort(keys.begin(), keys.end());
  keys.resize(draft_deps_max_);
  kept.clear();
  for (const OrderKey& key : keys) kept.push_back(key.id);
  return kept;
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
