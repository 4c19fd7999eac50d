// server/core/dag.h
//
// GroupDag: the causal graph of one group's events and the chain rules of DESIGN §2.
// One hash chain per author: seq contiguous from 1, `prev` = the author's previous event,
// `deps` = known events of other authors, HLC >= the HLC of prev and of every dep.
// Canonical order (§3) is the key (depth, event id), where depth = 1 + max depth of the event's
// parents (prev and deps); sorting by it gives a linear extension of the causal order.
// Causal clocks: for every held event, the highest seq of each author in its causal past (the
// event included), so that "a happened before b" is one lookup (used by the decision rules of
// §3: electorates fixed by the proposal's causal past, concurrent removals).
// The genesis is an implicit parent of every other event (as for depth).
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

// Vector clocks of a set of events of one group. An event's clock maps each author to the
// highest seq of that author in the event's causal past, the event itself included; because
// one author's events form a chain, `a` happened before `b` exactly when b's clock holds a's
// author at a seq >= a's. Author indexes are internal (they follow insertion order, which
// differs between nodes); no result depends on them.
// Invariant: within one group (author, seq) names at most one added event (forks are not
// inserted, DESIGN §2).
class CausalClocks {
 public:
  // Records `e`'s clock. Its parents (prev, deps) and the genesis should have been added
  // first; a parent that was not (an event the caller chose to leave out) contributes nothing.
  // Adding an event twice is a no-op.
  void Add(const VerifiedEvent& e);

  bool Contains(const EventId& id) const { return clocks_.contains(id); }

  // True when `a` is in the causal past of `b` (a != b). False when either is unknown.
  bool HappenedBefore(const EventId& a, const EventId& b) const;
  // The same for an event `b` that need not have been added (its parents are looked up).
  bool HappenedBefore(const EventId& a, const VerifiedEvent& b) const;
  // True when a != b, both are known and neither happened before the other.
  bool Concurrent(const EventId& a, const EventId& b) const;

  // The highest seq of `author` in the causal past of `b`, b included; 0 when there is none
  // or `b` is unknown.
  uint64_t SeqInPast(const OrgKey& author, const EventId& b) const;
  // The same for an event `b` that need not have been added.
  uint64_t SeqInPast(const OrgKey& author, const VerifiedEvent& b) const;

  // `id`'s clock as (author, seq) pairs sorted by author (seq > 0 only); empty when unknown.
  std::vector<std::pair<OrgKey, uint64_t>> Frontier(const EventId& id) const;

  size_t size() const { return clocks_.size(); }

 private:
  // An event's clock: its seqs by author index are seqs_[offset, offset + width), where width
  // is the number of authors known when it was added (later authors' entries are 0). One arena
  // rather than a vector per event: a copy of the clocks (a fold checkpoint, every so many
  // events) is two flat copies instead of one allocation per event (issue 10).
  struct Clock {
    uint32_t author = 0;  // index into authors_
    uint32_t width = 0;
    uint64_t seq = 0;     // the event's own seq
    uint64_t offset = 0;  // into seqs_
  };
  std::optional<uint32_t> FindAuthor(const OrgKey& key) const;
  const Clock* FindClock(const EventId& id) const;
  uint64_t SeqOf(const Clock& clock, uint32_t author) const {
    return author < clock.width ? seqs_[clock.offset + author] : 0;
  }

  absl::flat_hash_map<EventId, Clock> clocks_;          // lookups only, never iterated
  std::vector<uint64_t> seqs_;                          // every clock's seqs, in Add order
  absl::flat_hash_map<OrgKey, uint32_t> author_index_;  // lookups only, never iterated
  std::vector<OrgKey> authors_;                         // by index
  std::optional<EventId> genesis_;
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

  // True when `a` is in the causal past of `b` (a != b; the genesis precedes every other
  // event). False when either is not held.
  bool HappenedBefore(const EventId& a, const EventId& b) const {
    return clocks_.HappenedBefore(a, b);
  }
  // True when both are held, a != b, and neither happened before the other.
  bool Concurrent(const EventId& a, const EventId& b) const { return clocks_.Concurrent(a, b); }
  // The causal clocks of the held events.
  const CausalClocks& clocks() const { return clocks_; }
  size_t size() const { return nodes_.size(); }
  const GroupId& group() const { return group_; }

  explicit GroupDag(GroupId group) : group_(group) {}

 private:
  GroupId group_;
  absl::flat_hash_map<EventId, DagNode> nodes_;    // lookups only, never iterated
  std::map<OrgKey, std::vector<EventId>> chains_;  // index seq-1; ordered for Heads()
  CausalClocks clocks_;
};

}  // namespace constellation::core
