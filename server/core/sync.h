// server/core/sync.h
//
// Sync planning for anti-entropy (DESIGN §4, docs/PROTOCOL.md §8): given what this node holds
// of a group and a peer's frontier (per author: highest contiguous seq and head id; see
// Group::Frontier), which events the peer lacks, in an order it can insert, and which chains
// have diverged (a fork hint).
// Stateless per round: the plan is a function of the group and the frontier only; any cached
// per-peer state is a hint at most.
// Pure functions. Thread safety: they read `mine`, which the caller must not modify meanwhile
// (the apply loop owns it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/federation.pb.h"
#include "server/core/group.h"
#include "server/core/ids.h"
#include "server/core/pending.h"

namespace constellation::core {

// The peer's head for `author` is not this node's event at that seq: the author's chain has
// two versions, a fork. `mine` is this node's event at `seq`, `theirs` the peer's head.
struct ForkHint {
  OrgKey author;
  uint64_t seq = 0;
  EventId mine;
  EventId theirs;
  friend bool operator==(const ForkHint&, const ForkHint&) = default;
};

struct SyncPlan {
  // The events to send, in canonical order (a linear extension of the causal order, so the
  // peer can insert them one by one). Pointers into `mine`, valid until it changes.
  std::vector<const VerifiedEvent*> events;
  // Diverged chains, ordered by author.
  std::vector<ForkHint> fork_hints;
  // True when the peer lacks more than the events returned (the cap was reached); another
  // round with the peer's new frontier continues.
  bool truncated = false;
};

// The frontier this node states to a peer in its PullEvents requests (PROTOCOL §8.1 "Stated
// frontier"; GetFrontier answers Group::Frontier, the chains held): `mine`'s frontier
// (Group::Frontier), except for each author of whom `pending` (may be null) holds an event at a seq
// s this node's chain already holds, unless a fork of that author at or below s is known. Such an
// event differs from the held one and its prev is not held (else it would be a duplicate or a
// detected fork): the author's two chains differ below s. For that author the stated head is this
// node's event at s - 1 (the author left out when s = 1), so that the peer's diff sends either the
// events after it, the first differing one among them, or a probe ending there: a divergence deeper
// than one probe is walked down, limits::kSyncForkProbeEventsMax seqs per round, until the fork is
// found.
v1::Frontier StatedFrontier(const Group& mine, const PendingBuffer* pending);

// True when `next` (a stated frontier taken after `before`, of the same group) states some
// author's chain shorter than `before` did, or leaves it out. Held chains only grow, so this is
// a walk down towards a divergence (StatedFrontier): the caller pulls again at once.
bool WalksDown(const v1::Frontier& before, const v1::Frontier& next);

// Checks a frontier's shape: group id is `group`; at most limits::kFrontierHeadsCountMax heads;
// each author 32 bytes, authors strictly ascending; each head 32 bytes (empty when seq = 0);
// seq <= limits::kEventSeqMax. kInvalidArgument naming the first problem.
absl::Status ValidateFrontier(const v1::Frontier& frontier, const GroupId& group);

// What the peer whose frontier is `theirs` lacks of `mine`, capped at `max_events` (0 or more
// than limits::kSyncPullEventsMax means kSyncPullEventsMax):
//   - for an author absent from `theirs` (or seq 0): all of this node's events of that author;
//   - for an author whose head in `theirs` is this node's event at that seq: the events after
//     it;
//   - for an author whose head in `theirs` is at a seq this node holds but is another event: a
//     ForkHint, and (unless this node already knows a fork of that author at or below that
//     seq) up to limits::kSyncForkProbeEventsMax of this node's events of that author ending
//     at that seq, so that the peer meets the first differing event and builds the ForkProof
//     itself. Nothing after that seq is sent (the peer could not insert it);
//   - for an author whose seq in `theirs` is above this node's: nothing (the peer is ahead;
//     its own diff of this node's frontier finds a fork, if any).
// The first `max_events` of these in canonical order are returned. Errors: those of
// ValidateFrontier.
absl::StatusOr<SyncPlan> Diff(const Group& mine, const v1::Frontier& theirs, size_t max_events);

}  // namespace constellation::core
