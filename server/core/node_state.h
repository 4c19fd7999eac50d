// server/core/node_state.h
//
// NodeState: every group one node holds, the node's own signing key and hybrid logical clock,
// the index of its own writes by client request_id (idempotency, DESIGN §5), and per group the
// `pending` buffer of received events that cannot be inserted yet (DESIGN §2, §4).
// Local writes, events loaded from storage and events received from peers go through the same
// chain and fold rules. Peers' events enter through Receive, which waits for missing parents in
// pending, holds events stamped too far ahead of this node's clock, and retries waiting events
// when their parent arrives (transitively, in event id order).
// Pure: the current time comes in as an argument. Thread safety: not thread-safe; owned by the
// apply loop.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "server/core/codec.h"
#include "server/core/crypto.h"
#include "server/core/group.h"
#include "server/core/hlc.h"
#include "server/core/pending.h"

namespace constellation::core {

// What became of one received event.
enum class ReceiveOutcome {
  kInserted,   // inserted into its group (and folded, unless its author is frozen)
  kDuplicate,  // already held
  kPending,    // a parent is missing: waits in pending (also when it was already waiting)
  kHeld,       // hlc.wall_ms > now + kClockSkewMsMax: held in pending until the clock catches up
  kEvicted,    // pending was full and this event had the highest (seq, id): not kept
  kFork,       // conflicts with a held event at the same (author, seq), or continues a branch of
               // a frozen author that this node does not hold; not inserted
};
std::string_view ReceiveOutcomeName(ReceiveOutcome outcome);

// What one call changed in one group, for the caller to persist (with sync=true) before
// acknowledging, then push and gossip (DESIGN §2, §4).
struct GroupChanges {
  GroupId group;
  // Events inserted by the call, in insertion order (a causal order): the received event and
  // the pending events it released.
  std::vector<EventId> inserted;
  // Proofs of forks that changed the group's freeze (canonical; see Group::Insert).
  std::vector<v1::ForkProof> new_fork_proofs;
  // Released pending events that were dropped: they proved invalid (they can never be
  // inserted), or a held genesis found kGroupCountMax reached.
  uint64_t dropped = 0;

  bool empty() const { return inserted.empty() && new_fork_proofs.empty() && dropped == 0; }
};

struct ReceiveResult {
  ReceiveOutcome outcome = ReceiveOutcome::kDuplicate;
  GroupChanges changes;
};

class NodeState {
 public:
  explicit NodeState(SigningKey key) : key_(std::move(key)) {}

  const OrgKey& org() const { return key_.public_key(); }

  // Builds the next event of this node's org from `body` (only the body and request_id are
  // read), signs it, checks it like any event and applies it. `group` is empty for a genesis
  // (charter) event, which founds a new group. Returns the applied event.
  // Errors: kNotFound (unknown group), kInvalidArgument (malformed body), kResourceExhausted
  // (kGroupCountMax), kFailedPrecondition when this org is frozen in the group (it forked), and
  // the fold's codes (kPermissionDenied, kFailedPrecondition, ...). On error nothing changes.
  absl::StatusOr<const VerifiedEvent*> AppendOwn(const std::optional<GroupId>& group,
                                                 const v1::Event& body, uint64_t now_ms);

  // Inserts a verified event loaded from storage: no pending, no hold (stored events were
  // accepted before, in a causal order). A genesis event creates its group. kNotFound when
  // the event's group is unknown here. Other errors as Group::Insert.
  absl::StatusOr<InsertResult> Ingest(VerifiedEvent e);
  // Before a load: group `id` will hold about `events` stored events (Group::ExpectSize), so
  // that Ingest places its fold checkpoints near the end of the load. Applies to the group
  // when Ingest founds it, or at once when it is held.
  void ExpectGroupSize(const GroupId& id, uint64_t events);

  // Receives a verified event from a peer at local time `now_ms` (DESIGN §4). A genesis event
  // of an unknown group founds it here (the caller decides whether this node should hold the
  // group); any other event of an unknown group is kNotFound (the node holds only its groups).
  // Then, in this order: an event already held is kDuplicate; one already in pending reports
  // kPending or kHeld; one stamped more than limits::kClockSkewMsMax ahead of `now_ms` is
  // held; one missing a parent waits in pending; a fork is recorded (kFork). Each insertion
  // releases the pending events that waited for it, retried in event id order, transitively;
  // those that prove invalid are dropped and counted. Errors: kInvalidArgument (the event
  // breaks a chain rule; nothing changes), kNotFound, kResourceExhausted (a new group over
  // kGroupCountMax).
  absl::StatusOr<ReceiveResult> Receive(VerifiedEvent e, uint64_t now_ms);

  // Releases held events whose time has come (hlc.wall_ms <= now_ms + kClockSkewMsMax) and
  // retries them as Receive does. Returns the changes per group, ordered by group id (groups
  // without changes are left out). Call it as the clock advances (e.g. once a second).
  std::vector<GroupChanges> ReleaseHeld(uint64_t now_ms);

  // Records a fork proof received on its own (gossip, storage). Errors: those of
  // Group::AddForkProof; kNotFound when its group is unknown here. The result lists the proof
  // when it changed the group's freeze (gossip it onward then).
  absl::StatusOr<GroupChanges> ReceiveForkProof(const v1::ForkProof& proof);

  // The event this node wrote for `request_id`, or nullptr.
  const VerifiedEvent* FindByRequestId(const std::string& request_id) const;

  const Group* FindGroup(const GroupId& id) const;
  const std::map<GroupId, std::unique_ptr<Group>>& groups() const { return groups_; }
  uint64_t event_count() const { return event_count_; }

  // A group's pending buffer, or nullptr when nothing was ever pending for it.
  const PendingBuffer* FindPending(const GroupId& id) const;
  // Pending counts summed over all groups (metrics).
  PendingStats pending_stats() const;

 private:
  // Receive's steps for one event whose group is known (or which is the genesis of an unknown
  // group, founded when it is inserted). Inserted events' waiters go to `retry`.
  absl::StatusOr<ReceiveOutcome> Admit(VerifiedEvent e, uint64_t now_ms, GroupChanges* changes,
                                       std::map<EventId, VerifiedEvent>* retry);
  // Admits the events of `retry` (smallest id first) until none is left.
  void Drain(uint64_t now_ms, GroupChanges* changes, std::map<EventId, VerifiedEvent>* retry);
  // The parent `e` waits for: its prev if not held, else its first missing dep.
  static EventId MissingParent(const Group& group, const VerifiedEvent& e);
  // kResourceExhausted when another group (held or in pending) would exceed kGroupCountMax.
  absl::Status CheckGroupCount() const;
  // Forgets the pending buffer of a group this node does not hold once it is empty.
  void DropOrphanPending(const GroupId& id);
  void Index(const VerifiedEvent& e);

  SigningKey key_;
  HlcClock clock_;
  std::map<GroupId, std::unique_ptr<Group>> groups_;
  // Per group; a group id without a group holds only its held genesis.
  std::map<GroupId, PendingBuffer> pending_;
  absl::flat_hash_map<std::string, std::pair<GroupId, EventId>> requests_;  // lookups only
  std::map<GroupId, uint64_t> expected_sizes_;  // ExpectGroupSize, until Ingest founds the group
  uint64_t event_count_ = 0;
};

}  // namespace constellation::core
