// server/core/group.h
//
// Group: everything one node holds of one group: its verified events, their DAG (chain
// rules), the canonical order, the folded GroupState and the forks it knows (DESIGN §2-3).
// A late event (one whose order key sorts before already-applied events) is inserted at its
// key and the state is refolded from the nearest in-memory checkpoint below that key (DESIGN
// §3; limits::kFoldCheckpoint*): copies of the folded state taken every so many events of the
// canonical order. A fork or a new removal cut refolds from the genesis.
//
// Forks (DESIGN §2, docs/PROTOCOL.md §3.1): two valid events with the same (group, author,
// seq) are a fork. The DAG holds one branch (whichever became insertable first); the other
// event is kept as a canonical v1::ForkProof (first = lower event id). The author is frozen
// from the lowest fork seq known: its events with seq >= that seq stay in the log but are
// never fed to the fold (the genesis is exempt: it is the group's identity). StateHash()
// covers the frozen authors and their fork seqs, not which branch this node holds, so two
// nodes holding the same non-frozen events and the same fork seqs agree, whichever branch
// arrived first. Events of other authors keep their own effects even when they name a
// frozen event as a dep; what they build on a frozen event's effect fails the fold's own
// rules, identically on every node. What they saw through it still counts: frozen events
// enter the fold's causal clocks (GroupState::RecordFrozen), so freezing an author never
// changes which events precede an honest one (e.g. a member's acceptance seen only through
// the forked member's later event keeps that member in a proposal's electorate).
//
// Invariants: order_ and events_ hold exactly the DAG's events; the state is the fold, in
// canonical order, of the events that are not frozen; an author appears in forks_ only with
// a verified proof at its recorded seq.
// Pure. Thread safety: not thread-safe; owned by the apply loop.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "constellation/v1/federation.pb.h"
#include "server/base/limits.h"
#include "server/core/codec.h"
#include "server/core/dag.h"
#include "server/core/fold/group_state.h"

namespace constellation::core {

struct InsertResult {
  // kReady: inserted. kDuplicate: already held. kMissingDeps: a parent is missing (hold it in
  // pending). kFork: not inserted because it conflicts with a held event at the same (author,
  // seq), or continues a branch of a frozen author that this node does not hold.
  Admission admission;
  OrderKey key;  // set when admission == kReady (the event was inserted)
  // Set when this event revealed a fork that changed the group's freeze (the author's first
  // fork, or one at a lower seq): the canonical proof, to persist and gossip.
  std::optional<v1::ForkProof> new_fork_proof;
};

// A ForkProof whose two events were verified (signatures, same group/author/seq, different
// ids), in canonical order: first.id < second.id.
struct VerifiedForkProof {
  GroupId group;
  OrgKey author;
  uint64_t seq = 0;
  VerifiedEvent first;
  VerifiedEvent second;
  v1::ForkProof proof;  // canonical: proof.first is `first`
};

// Verifies `proof` on its own (no group state needed). kInvalidArgument naming the problem:
// an event missing, undecodable or wrongly signed; events of different groups, authors or
// seqs; the same event twice.
absl::StatusOr<VerifiedForkProof> VerifyForkProof(const v1::ForkProof& proof);

// The canonical proof for two events at the same (group, author, seq): the lower event id
// first. Both must be verified events; the caller checks they conflict.
v1::ForkProof MakeForkProof(const VerifiedEvent& a, const VerifiedEvent& b);

// What a group knows of one author's fork: the lowest fork seq and its proof.
struct ForkRecord {
  uint64_t seq = 0;
  EventId first;   // proof.first's id
  EventId second;  // proof.second's id
  v1::ForkProof proof;
};

class Group {
 public:
  explicit Group(GroupId id);

  // Checks `e` against the chain rules and, when ready, inserts it and folds it (unless its
  // author is frozen). Events the fold rejects are still inserted (they are valid history);
  // see GroupState. A conflicting event at a held (author, seq) whose prev is the author's
  // held event seq - 1 (or seq = 1) is a fork: it is recorded as a proof, the author frozen
  // and the state refolded; the result is kFork with new_fork_proof set when the freeze
  // changed. Errors (kInvalidArgument) are those of GroupDag::Check, plus a prev that names a
  // held event which is not the author's event seq - 1. On error nothing changes.
  absl::StatusOr<InsertResult> Insert(VerifiedEvent e) { return TryInsert(e); }

  // Insert for an event CheckNext just admitted (a local write): the fold does not check it
  // again when it appends it.
  absl::StatusOr<InsertResult> InsertChecked(VerifiedEvent e) { return TryInsert(e, true); }

  // Insert, moving from `e` only when it is inserted (admission kReady); otherwise `e` is left
  // intact for the caller (e.g. to hold it in pending).
  absl::StatusOr<InsertResult> TryInsert(VerifiedEvent& e, bool checked = false);

  // Records a fork proof received on its own (gossip, storage). Returns true when it changed
  // the freeze (first fork of that author, or a lower seq), in which case the state was
  // refolded. The proof's events are not inserted. Errors: those of VerifyForkProof, and
  // kInvalidArgument for a proof of another group.
  absl::StatusOr<bool> AddForkProof(const v1::ForkProof& proof);
  // The same for a proof already verified. kInvalidArgument for a proof of another group.
  absl::StatusOr<bool> AddForkProof(const VerifiedForkProof& proof);

  // For a local write: the chain fields of the next event by `author` (group id, seq, prev,
  // deps = the heads of every other member, sorted) with `hlc`. For a frozen member the dep
  // is its last event before the fork (nothing when it forked at seq 1), so that new events
  // never depend on a branch other nodes may not hold. The caller sets the body.
  v1::Event Draft(const OrgKey& author, const Hlc& hlc) const;

  // Whether the fold would accept `e` if it were the next event (local writes check this
  // before anything is stored). kFailedPrecondition when e's author is frozen at e's seq;
  // otherwise the errors of GroupState::Check.
  absl::Status CheckNext(const VerifiedEvent& e) const;

  // The group's state hash (docs/PROTOCOL.md §4): GroupState::Hash() when no author is
  // frozen; otherwise SHA-256 of a domain string, GroupState::Hash() and the frozen authors
  // with their fork seqs, in author order.
  std::array<uint8_t, 32> StateHash() const;
  // The state hash this group would have if it held only the first `event_count` events of
  // its canonical order (positions 1..event_count, frozen events included in the count), with
  // the forks it knows: what an outside verifier compares a prefix of StreamEvents with
  // (docs/PROTOCOL.md §4). A prefix of the canonical order is causally closed, so it is a valid
  // event set. `event_count` >= size() gives StateHash(). Folds the prefix from the genesis:
  // O(event_count).
  std::array<uint8_t, 32> StateHashAt(uint64_t event_count) const;

  // Per author (sorted by key), the highest contiguous seq held and that event's id (DESIGN
  // §4). Includes frozen authors' events held here.
  v1::Frontier Frontier() const;

  // Whether `e`'s author is frozen at e's seq (its events have no effect). This is the one
  // place the fold asks; readmission (DESIGN §2: "readmission needs a decision") will make it
  // consult the adopted readmission decisions of the decision engine (not implemented: a
  // frozen author stays frozen).
  bool IsFrozen(const VerifiedEvent& e) const;
  // The seq from which `author` is frozen, if it is.
  std::optional<uint64_t> FrozenFrom(const OrgKey& author) const;
  // Every frozen author with its lowest known fork and proof, ordered by author.
  const std::map<OrgKey, ForkRecord>& forks() const { return forks_; }
  // The canonical proofs to gossip, one per frozen author, ordered by author.
  std::vector<v1::ForkProof> ForkProofs() const;

  // Why a held event has no effect: its author is frozen ("author ... forked at seq N"), or
  // the fold rejected it. nullopt when the event took effect or is not held.
  std::optional<std::string> NoEffectReason(const EventId& id) const;

  const GroupId& id() const { return id_; }
  const GroupDag& dag() const { return dag_; }
  // The folded state. A late event does not replay the fold when it is inserted: it marks the
  // replay it needs (from the lowest late key seen), which runs on the first read, here or in
  // any other method that reads the state. So a run of late events (a received batch, a
  // catch-up) costs one replay, not one each; a replay copies a checkpoint, O(state size).
  const GroupState& state() const;
  // Whether late events left a replay pending (the next read of the state runs it).
  bool replay_pending() const { return replay_from_.has_value(); }
  // Whether `author` is a member in the state as last replayed: exact when no replay is
  // pending, possibly behind the late events while one is. Does not run the replay (for
  // NodeState's clock, which only members' stamps advance).
  bool MemberAsLastReplayed(const OrgKey& author) const {
    return state_.roster().members().contains(author);
  }
  size_t size() const { return order_.size(); }
  const VerifiedEvent* Find(const EventId& id) const;

  // Events re-applied to the fold since this group was made (refolds after late events,
  // forks and removal cuts): what checkpoints and deferred replays save (tests, benchmarks).
  // Runs a pending replay first.
  uint64_t events_refolded() const {
    Settle();
    return events_refolded_;
  }
  // The most deps Draft names (limits::kEventDepsCountMax by default); tests lower it to
  // exercise the choice on small groups.
  void set_draft_deps_max(size_t deps) { draft_deps_max_ = deps; }
  // Checkpoints copied since this group was made, each O(state size): what ExpectSize saves a
  // bulk load (tests, benchmarks).
  uint64_t checkpoints_taken() const { return checkpoints_taken_; }
  // The smallest checkpoint interval (limits::kFoldCheckpointIntervalEventsMin by default);
  // tests lower it to exercise checkpoints on small groups.
  void set_checkpoint_interval_min(size_t events) { checkpoint_interval_min_ = events; }
  // A bulk load's hint (a restart inserting its stored events in canonical order): the group
  // will hold about `events` events when the load ends. Checkpoints are then placed as for a
  // group of that size, near its end, and not copied every interval of the growing group only
  // to be dropped (each copy is O(state size); docs/PERFORMANCE.md). A hint changes where
  // checkpoints are taken, never the state; it stops counting once the group is larger.
  void ExpectSize(size_t events) { expected_size_ = events; }

  // Calls `fn(position, event)` for events in canonical order from position `after` + 1
  // (positions are 1-based); stops when fn returns false. Frozen events are included (they
  // are history).
  void ForEachInOrder(uint64_t after,
                      const std::function<bool(uint64_t, const VerifiedEvent&)>& fn) const;

 private:
  // The classification of an event that conflicts with this node's chain of its author.
  absl::StatusOr<InsertResult> InsertConflicting(const VerifiedEvent& e);
  // Draft's choice when more than draft_deps_max_ heads qualify as deps (docs/PROTOCOL.md §2):
  // the heads no other of them has in its causal past, and of those the earliest
  // draft_deps_max_ in canonical order.
  std::vector<EventId> FewerDeps(std::vector<EventId> heads) const;
  // Records a verified fork; refolds and returns true when the freeze changed.
  bool RecordFork(const OrgKey& author, uint64_t seq, const EventId& first, const EventId& second,
                  const v1::ForkProof& proof);
  // Refolds every event from the genesis (forks, removal cuts), taking checkpoints near the end.
  void Refold();
  // Refolds from the latest checkpoint below `late` (the key of an event just inserted there),
  // or from the genesis when there is none.
  void RefoldFrom(const OrderKey& late);
  // `folded` (a GroupState::Hash()) wrapped with the frozen authors and their fork seqs, or
  // `folded` itself when no author is frozen (docs/PROTOCOL.md §4).
  std::array<uint8_t, 32> WithForks(const std::array<uint8_t, 32>& folded) const;
  // Runs the replay that late events left pending, if any. Const: the folded state is a cache
  // of the fold of the events held, and no reader sees it before the replay.
  void Settle() const;
  // Applies the events after `from` (all when null), whose canonical position is `position`,
  // to `state`, counting them and taking checkpoints.
  void Replay(GroupState& state, const OrderKey* from, uint64_t position);
  // Keeps a copy of `state` after the event at `key`, position `position`, when the interval
  // since the last checkpoint has passed.
  void MaybeCheckpoint(const GroupState& state, const OrderKey& key, uint64_t position);

  // A copy of the folded state after the event at `last` (canonical position `position`).
  struct Checkpoint {
    OrderKey last;
    uint64_t position = 0;
    GroupState state;
  };

  GroupId id_;
  GroupDag dag_;
  GroupState state_;
  std::map<OrderKey, EventId> order_;
  absl::flat_hash_map<EventId, VerifiedEvent> events_;  // lookups only, never iterated
  std::map<OrgKey, ForkRecord> forks_;                  // ordered: feeds StateHash()
  std::vector<Checkpoint> checkpoints_;  // ascending by key; at most kFoldCheckpointCountMax
  // The lowest key of the late events inserted since the state was last replayed; state_
  // lacks them (and every event after this key) until Settle runs.
  std::optional<OrderKey> replay_from_;
  uint64_t events_refolded_ = 0;
  uint64_t checkpoints_taken_ = 0;
  size_t checkpoint_interval_min_;
  size_t expected_size_ = 0;  // ExpectSize's hint; 0 = none
  size_t draft_deps_max_ = limits::kEventDepsCountMax;
};

}  // namespace constellation::core
