// server/core/pending.h
//
// PendingBuffer: the `pending` of one group on one node (DESIGN §2, §4). It keeps received
// events that cannot be inserted yet, for one of two reasons:
//   - waiting: a parent (prev or dep) is not held yet (Admission::kMissingDeps). The event is
//     keyed by the one parent id it waits for and comes out when that event is inserted;
//   - held: its hlc is further ahead of this node's clock than limits::kClockSkewMsMax. It
//     comes out when the clock reaches its release time. Holding only delays: validity never
//     depends on the local clock.
// The buffer is bounded (limits::kPendingEventsPerGroupMax, kPendingBytesPerGroupMax, or the
// Limits given). When a bound is exceeded it evicts the entry with the highest (seq, event id):
// the newest events of a chain are the furthest from becoming insertable, and anti-entropy
// brings evicted events again. Eviction therefore depends only on the entries, never on
// arrival time.
// Invariants: an event id is in the buffer at most once; every entry is exactly one of waiting
// or held; counts and bytes match the entries.
// Pure (the clock comes in as an argument). Thread safety: not thread-safe; owned by the apply
// loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "server/base/limits.h"
#include "server/core/codec.h"
#include "server/core/ids.h"

namespace constellation::core {

// Counts for metrics (constellation_pending_* gauges and counters).
struct PendingStats {
  size_t waiting_events = 0;  // waiting for a parent
  size_t held_events = 0;     // ahead of the clock
  size_t bytes = 0;           // signed bytes of every entry
  uint64_t evicted_total = 0;
  uint64_t released_total = 0;  // taken out to be retried (parent arrived, clock caught up)

  PendingStats& operator+=(const PendingStats& other);
};

class PendingBuffer {
 public:
  struct Limits {
    size_t events_max = limits::kPendingEventsPerGroupMax;
    size_t bytes_max = limits::kPendingBytesPerGroupMax;
  };

  enum class AddOutcome {
    kAdded,      // the event is in the buffer (others may have been evicted for it)
    kDuplicate,  // an entry with this id is already in the buffer; nothing changed
    kEvicted,    // the event itself had the highest (seq, id) over a full buffer: not kept
  };

  PendingBuffer() : PendingBuffer(Limits{}) {}
  explicit PendingBuffer(Limits limits) : limits_(limits) {}

  // Adds `e`, which waits for the event `waiting_for` to be inserted.
  AddOutcome AddWaiting(VerifiedEvent e, const EventId& waiting_for);

  // Adds `e`, held until the clock reads `release_at_ms` or later.
  AddOutcome AddHeld(VerifiedEvent e, uint64_t release_at_ms);

  // Removes and returns the events waiting for `id`, ordered by event id.
  std::vector<VerifiedEvent> TakeWaitingFor(const EventId& id);

  // Removes and returns the held events whose release time is <= now_ms, ordered by
  // (release time, event id).
  std::vector<VerifiedEvent> TakeReleased(uint64_t now_ms);

  bool Contains(const EventId& id) const { return entries_.contains(id); }
  bool IsHeld(const EventId& id) const;
  // The parent `id` waits for, if it is a waiting entry.
  const EventId* WaitingFor(const EventId& id) const;
  // Per author, the lowest seq among the entries (waiting and held).
  std::map<OrgKey, uint64_t> LowestSeqByAuthor() const;
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const PendingStats& stats() const { return stats_; }
  const Limits& limits() const { return limits_; }

 private:
  struct Entry {
    VerifiedEvent event;
    bool held = false;
    EventId waiting_for;         // when !held
    uint64_t release_at_ms = 0;  // when held
    size_t bytes = 0;
  };

  AddOutcome Add(const EventId& id, Entry entry);
  Entry Remove(const EventId& id);
  void EvictOverflow();

  Limits limits_;
  PendingStats stats_;
  std::map<EventId, Entry> entries_;
  std::map<EventId, std::set<EventId>> waiters_;           // parent -> events waiting for it
  std::set<std::pair<uint64_t, EventId>> held_;            // (release time, id)
  std::set<std::pair<uint64_t, EventId>> eviction_order_;  // (seq, id); the last goes first
};

}  // namespace constellation::core
