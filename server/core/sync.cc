#include "server/core/sync.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <utility>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"

namespace constellation::core {
namespace {

// One author's run of events to send: seqs [next, last].
struct Run {
  OrgKey author;
  uint64_t next = 0;
  uint64_t last = 0;
};

}  // namespace

v1::Frontier StatedFrontier(const Group& mine, const PendingBuffer* pending) {
  v1::Frontier frontier = mine.Frontier();
  if (pending == nullptr || pending->empty()) return frontier;
  const std::map<OrgKey, uint64_t> lowest = pending->LowestSeqByAuthor();
  const GroupDag& dag = mine.dag();
  v1::Frontier stated;
  stated.set_group_id(frontier.group_id());
  for (const v1::ChainHead& head : frontier.heads()) {
    const OrgKey author = *OrgKey::FromBytes(head.author());
    auto it = lowest.find(author);
    const std::optional<uint64_t> frozen = mine.FrozenFrom(author);
    if (it == lowest.end() || it->second > head.seq() || (frozen && *frozen <= it->second)) {
      *stated.add_heads() = head;
      continue;
    }
    const uint64_t below = it->second - 1;
    if (below == 0) continue;
    v1::ChainHead* h = stated.add_heads();
    h->set_author(head.author());
    h->set_seq(below);
    h->set_head(dag.EventAt(author, below)->Bytes());
  }
  return stated;
}

bool WalksDown(const v1::Frontier& before, const v1::Frontier& next) {
  std::map<std::string, uint64_t> next_seqs;
  for (const v1::ChainHead& h : next.heads()) next_seqs[h.author()] = h.seq();
  for (const v1::ChainHead& h : before.heads()) {
    auto it = next_seqs.find(h.author());
    if (it == next_seqs.end() || it->second < h.seq()) return true;
  }
  return false;
}

absl::Status ValidateFrontier(const v1::Frontier& frontier, const GroupId& group) {
  if (frontier.group_id() != group.Bytes()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("frontier.group_id must be group %s", group.Hex()));
  }
  if (static_cast<size_t>(frontier.heads_size()) > limits::kFrontierHeadsCountMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("frontier has %d heads; the limit kFrontierHeadsCountMax is %d",
                        frontier.heads_size(), limits::kFrontierHeadsCountMax));
  }
  for (int i = 0; i < frontier.heads_size(); ++i) {
    const v1::ChainHead& h = frontier.heads(i);
    if (h.author().size() != limits::kKeySizeBytes) {
      return absl::InvalidArgumentError(
          absl::StrFormat("frontier.heads[%d].author must be a 32-byte org key", i));
    }
    if (i > 0 && !(frontier.heads(i - 1).author() < h.author())) {
      return absl::InvalidArgumentError(
          "frontier.heads must be sorted by author ascending, one head per author");
    }
    if (h.seq() > limits::kEventSeqMax) {
      return absl::InvalidArgumentError(
          absl::StrFormat("frontier.heads[%d].seq %d is above kEventSeqMax (%d)", i, h.seq(),
                          limits::kEventSeqMax));
    }
    if (h.seq() == 0 ? !h.head().empty() : h.head().size() != limits::kIdSizeBytes) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "frontier.heads[%d].head must be a 32-byte event id when seq > 0, empty when seq = 0",
          i));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SyncPlan> Diff(const Group& mine, const v1::Frontier& theirs, size_t max_events) {
  CONSTELLATION_RETURN_IF_ERROR(ValidateFrontier(theirs, mine.id()));
  if (max_events == 0 || max_events > limits::kSyncPullEventsMax) {
    max_events = limits::kSyncPullEventsMax;
  }
  std::map<OrgKey, std::pair<uint64_t, EventId>> their_heads;
  for (const v1::ChainHead& h : theirs.heads()) {
    EventId head;
    if (h.seq() > 0) head = *EventId::FromBytes(h.head());
    their_heads.emplace(*OrgKey::FromBytes(h.author()), std::make_pair(h.seq(), head));
  }

  SyncPlan plan;
  std::vector<Run> runs;
  const GroupDag& dag = mine.dag();
  for (const auto& [author, head] : dag.Heads()) {
    const uint64_t length = dag.ChainLength(author);
    auto it = their_heads.find(author);
    const uint64_t their_seq = it == their_heads.end() ? 0 : it->second.first;
    if (their_seq == 0) {
      runs.push_back(Run{author, 1, length});
      continue;
    }
    if (their_seq > length) continue;  // they are ahead
    const EventId mine_at = *dag.EventAt(author, their_seq);
    if (mine_at == it->second.second) {
      if (their_seq < length) runs.push_back(Run{author, their_seq + 1, length});
      continue;
    }
    plan.fork_hints.push_back(ForkHint{author, their_seq, mine_at, it->second.second});
    const std::optional<uint64_t> frozen = mine.FrozenFrom(author);
    if (frozen && *frozen <= their_seq) continue;  // known; the proof travels by gossip
    const uint64_t window = limits::kSyncForkProbeEventsMax;
    runs.push_back(Run{author, their_seq >= window ? their_seq - window + 1 : 1, their_seq});
  }

  // Merge the runs by canonical order key. Within one chain depth strictly increases with
  // seq (prev is a parent), so each run is already sorted; a heap picks the smallest head.
  auto key_of = [&](const Run& r) {
    const EventId id = *dag.EventAt(r.author, r.next);
    return OrderKey{dag.Find(id)->depth, id};
  };
  using Item = std::pair<OrderKey, size_t>;  // (key of the run's next event, run index)
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].next <= runs[i].last) heap.emplace(key_of(runs[i]), i);
  }
  while (!heap.empty()) {
    if (plan.events.size() == max_events) {
      plan.truncated = true;
      break;
    }
    auto [key, i] = heap.top();
    heap.pop();
    const VerifiedEvent* e = mine.Find(key.id);
    CONSTELLATION_CHECK(e != nullptr);
    plan.events.push_back(e);
    Run& run = runs[i];
    if (++run.next <= run.last) heap.emplace(key_of(run), i);
  }
  return plan;
}

}  // namespace constellation::core
