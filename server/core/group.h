// server/core/group.h
//
// Group: everything one node holds of one group: its verified events, their DAG (chain
// rules), the canonical order and the folded GroupState (DESIGN §2-3).
// A late event (one whose order key sorts before already-applied events) is inserted at its
// key and the state is refolded. This version refolds from the genesis; checkpoints that make
// this cheaper are the `checkpoints` column family's future job.
// Pure. Thread safety: not thread-safe; owned by the apply loop.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/status/statusor.h>

#include "server/core/codec.h"
#include "server/core/dag.h"
#include "server/core/group_state.h"

namespace constellation::core {

struct InsertResult {
  Admission admission;
  OrderKey key;  // set when admission == kReady (the event was inserted)
};

class Group {
 public:
  explicit Group(GroupId id) : id_(id), dag_(id), state_(id) {}

  // Checks `e` against the chain rules and, when ready, inserts it and folds it. Events the
  // fold rejects are still inserted (they are valid history); see GroupState. Errors are those
  // of GroupDag::Check.
  absl::StatusOr<InsertResult> Insert(VerifiedEvent e);

  // For a local write: the chain fields of the next event by `author` (group id, seq, prev,
  // deps = the heads of every other member, sorted) with `hlc`. The caller sets the body.
  v1::Event Draft(const OrgKey& author, const Hlc& hlc) const;

  // Whether the fold would accept `e` if it were the next event (local writes check this
  // before anything is stored). Errors as GroupState::Check.
  absl::Status CheckNext(const VerifiedEvent& e) const { return state_.Check(e); }

  const GroupId& id() const { return id_; }
  const GroupDag& dag() const { return dag_; }
  const GroupState& state() const { return state_; }
  size_t size() const { return order_.size(); }
  const VerifiedEvent* Find(const EventId& id) const;

  // Calls `fn(position, event)` for events in canonical order from position `after` + 1
  // (positions are 1-based); stops when fn returns false.
  void ForEachInOrder(uint64_t after,
                      const std::function<bool(uint64_t, const VerifiedEvent&)>& fn) const;

 private:
  void Refold();

  GroupId id_;
  GroupDag dag_;
  GroupState state_;
  std::map<OrderKey, EventId> order_;
  absl::flat_hash_map<EventId, VerifiedEvent> events_;  // lookups only, never iterated
};

}  // namespace constellation::core
