// server/core/dag.h
//
// GroupDag: the causal graph of one group's events and the chain rules of DESIGN §2.
// One hash chain per author: seq contiguous from 1, `prev` = the author's previous event,
// `deps` = known events of other authors, HLC >= the HLC of prev and of every dep.
// Canonical order (§3) is the key (depth, event id), where depth = 1 + max depth of the event's
// parents (prev and deps); sorting by it gives a linear extension of the causal order.
// Pure. Thread safety: not thread-safe; owned by the apply loop.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/status/statusor.h>

#include "server/core/codec.h"
#include "server/core/ids.h"

namespace constellation::core {

struct OrderKey {
  uint64_t depth = 0;
  EventId id;
  friend auto operator<=>(const OrderKey&, const OrderKey&) = default;
  friend bool operator==(const OrderKey&, const OrderKey&) = default;
};

// How an event relates to what the DAG holds.
enum class Admission {
  kReady,        // passes every chain rule; Insert it
  kDuplicate,    // this exact event is already held
  kMissingDeps,  // its prev or a dep is not held yet (hold it in pending)
  kFork,         // another event already holds this (author, seq): a fork (DESIGN §2)
};

struct DagNode {
  OrgKey author;
  uint64_t seq = 0;
  Hlc hlc;
  uint64_t depth = 0;
};

class GroupDag {
 public:
  // Classifies `e`. Errors (kInvalidArgument, naming the rule): event of another group, genesis
  // event that is not this group's, `prev` that is not the author's previous event, a dep by the
  // author itself, an HLC below its prev's or a dep's.
  absl::StatusOr<Admission> Check(const VerifiedEvent& e) const;

  // Adds `e`, which Check classified kReady, and returns its canonical order key.
  OrderKey Insert(const VerifiedEvent& e);

  const DagNode* Find(const EventId& id) const;
  // Number of contiguous events held for `author` (its highest seq).
  uint64_t ChainLength(const OrgKey& author) const;
  // The id of `author`'s event with this seq, if held.
  std::optional<EventId> EventAt(const OrgKey& author, uint64_t seq) const;
  // The latest event of every author, ordered by author key.
  std::vector<std::pair<OrgKey, EventId>> Heads() const;
  size_t size() const { return nodes_.size(); }
  const GroupId& group() const { return group_; }

  explicit GroupDag(GroupId group) : group_(group) {}

 private:
  GroupId group_;
  absl::flat_hash_map<EventId, DagNode> nodes_;    // lookups only, never iterated
  std::map<OrgKey, std::vector<EventId>> chains_;  // index seq-1; ordered for Heads()
};

}  // namespace constellation::core
