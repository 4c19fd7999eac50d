#include "server/core/pending.h"

#include <algorithm>

#include "server/base/check.h"

namespace constellation::core {

PendingStats& PendingStats::operator+=(const PendingStats& other) {
  waiting_events += other.waiting_events;
  held_events += other.held_events;
  bytes += other.bytes;
  evicted_total += other.evicted_total;
  released_total += other.released_total;
  return *this;
}

PendingBuffer::AddOutcome PendingBuffer::AddWaiting(VerifiedEvent e, const EventId& waiting_for) {
  const EventId id = e.id;
  return Add(id, Entry{.event = std::move(e), .held = false, .waiting_for = waiting_for});
}

PendingBuffer::AddOutcome PendingBuffer::AddHeld(VerifiedEvent e, uint64_t release_at_ms) {
  const EventId id = e.id;
  return Add(
      id,
      Entry{
          .event = std::move(e), .held = true, .waiting_for = {}, .release_at_ms = release_at_ms});
}

PendingBuffer::AddOutcome PendingBuffer::Add(const EventId& id, Entry entry) {
  if (entries_.contains(id)) return AddOutcome::kDuplicate;
  entry.bytes = entry.event.event_bytes.size() + entry.event.signature.size();
  const uint64_t seq = entry.event.seq;
  if (entry.held) {
    held_.emplace(entry.release_at_ms, id);
    ++stats_.held_events;
  } else {
    waiters_[entry.waiting_for].insert(id);
    ++stats_.waiting_events;
  }
  stats_.bytes += entry.bytes;
  eviction_order_.emplace(seq, id);
  entries_.emplace(id, std::move(entry));
  EvictOverflow();
  return entries_.contains(id) ? AddOutcome::kAdded : AddOutcome::kEvicted;
}

void PendingBuffer::EvictOverflow() {
  while (!entries_.empty() &&
         (entries_.size() > limits_.events_max || stats_.bytes > limits_.bytes_max)) {
    const EventId victim = eviction_order_.rbegin()->second;
    Remove(victim);
    ++stats_.evicted_total;
  }
}

PendingBuffer::Entry PendingBuffer::Remove(const EventId& id) {
  auto it = entries_.find(id);
  CONSTELLATION_CHECK(it != entries_.end());
  Entry entry = std::move(it->second);
  entries_.erase(it);
  eviction_order_.erase({entry.event.seq, id});
  stats_.bytes -= entry.bytes;
  if (entry.held) {
    held_.erase({entry.release_at_ms, id});
    --stats_.held_events;
  } else {
    auto w = waiters_.find(entry.waiting_for);
    CONSTELLATION_CHECK(w != waiters_.end());
    w->second.erase(id);
    if (w->second.empty()) waiters_.erase(w);
    --stats_.waiting_events;
  }
  return entry;
}

std::vector<VerifiedEvent> PendingBuffer::TakeWaitingFor(const EventId& id) {
  std::vector<VerifiedEvent> out;
  auto w = waiters_.find(id);
  if (w == waiters_.end()) return out;
  const std::set<EventId> ids = w->second;  // Remove() edits the set
  for (const EventId& waiting : ids) out.push_back(std::move(Remove(waiting).event));
  stats_.released_total += out.size();
  return out;
}

std::vector<VerifiedEvent> PendingBuffer::TakeReleased(uint64_t now_ms) {
  std::vector<VerifiedEvent> out;
  while (!held_.empty() && held_.begin()->first <= now_ms) {
    const EventId id = held_.begin()->second;
    out.push_back(std::move(Remove(id).event));
  }
  stats_.released_total += out.size();
  return out;
}

bool PendingBuffer::IsHeld(const EventId& id) const {
  auto it = entries_.find(id);
  return it != entries_.end() && it->second.held;
}

const EventId* PendingBuffer::WaitingFor(const EventId& id) const {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.held) return nullptr;
  return &it->second.waiting_for;
}

std::map<OrgKey, uint64_t> PendingBuffer::LowestSeqByAuthor() const {
  std::map<OrgKey, uint64_t> lowest;
  for (const auto& [id, entry] : entries_) {
    const uint64_t seq = entry.event.event.seq();
    auto [it, inserted] = lowest.try_emplace(entry.event.author, seq);
    if (!inserted) it->second = std::min(it->second, seq);
  }
  return lowest;
}

}  // namespace constellation::core
