// server/core/fold/group_state.h
//
// GroupState: the deterministic fold of one group's events (DESIGN §3). Events are applied in
// canonical order; each is first checked against the state so far (authority and record
// rules). An event that fails the check is kept in the log but has no effect; it is listed in
// rejected_events() so that every node reports the same outcome.
//
// GroupState keeps only what every domain shares: the count and latest stamp of events, each
// author's progress (the latest event folded per author: finality reads it), the authors
// frozen by a fork, the removal cuts the fold was given, the rejections, the causal clocks and
// the state hash. Everything else lives in one ledger per record domain (ledger.h): the roster
// (charter, members, authority), governance (decisions and membership records), fundraising
// (campaigns and pledges). Each event goes, by its body case, through the registry
// (registry.h) to its domain's ledger. docs/PROTOCOL.md §5 specifies every rule;
// docs/ARCHITECTURE.md says how to add a domain.
//
// Removals (DESIGN §3): voiding an expelled member's records concurrent with the expulsion is
// retroactive: governance reports the cuts it found (removal_cuts()) and a second fold given
// those cuts voids them (FoldWithRemovalCuts). Cuts void only records that no decision or
// membership rule reads, so the second fold finds the same cuts: it is the fixpoint.
//
// Invariant: two GroupStates fed the same events in the same canonical order (with the same
// cuts) have the same Hash(). The hash covers source event ids and derived integers, not
// re-serialized protos.
// Pure. Thread safety: not thread-safe; owned by the apply loop.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <absl/status/status.h>

#include "server/core/codec.h"
#include "server/core/dag.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"
#include "server/core/roster/roster.h"

namespace constellation::core {

// Authors frozen by a fork, each with the seq it is frozen from.
using FrozenAuthors = std::map<OrgKey, uint64_t>;

// The latest event folded of one author: chains are contiguous and their hlc monotone.
struct AuthorProgress {
  uint64_t seq = 0;
  Hlc hlc;
};

class GroupState {
 public:
  // A state of `group` with nothing folded. `cuts`: the removal cuts a previous fold of the
  // same events found (FoldWithRemovalCuts). `clocks`: causal clocks to borrow (the group's
  // DAG); they must outlive this state and hold every event applied to it. When null, the
  // state keeps its own clocks of the events applied to it.
  // `frozen`: authors frozen by a fork, each from its fork seq (Group applies none of their
  // events from there on, DESIGN §2). Such a member can no longer change a tally, so it does not
  // hold up finality once its events before the fork are folded.
  explicit GroupState(GroupId group, RemovalCuts cuts = {}, const CausalClocks* clocks = nullptr,
                      FrozenAuthors frozen = {});
  // Copies are checkpoints of the fold: every ledger is cloned. Borrowed clocks stay borrowed.
  GroupState(const GroupState& other);
  GroupState& operator=(const GroupState& other);
  GroupState(GroupState&&) noexcept = default;
  GroupState& operator=(GroupState&&) noexcept = default;

  // Whether `e` may take effect now. Codes: kPermissionDenied (author may not write this: not
  // a member, withdrawn, expelled, outside the electorate, not the proposer or invitee),
  // kNotFound (unknown campaign, pledge, proposal or member), kAlreadyExists (already a
  // member, already accepted), kFailedPrecondition (state forbids it: pledge cancelled, amount
  // below what was received, proposal closed or not final, decision type not allowed by the
  // charter, the referenced proposal not in the event's causal past), kInvalidArgument (body
  // invalid, currency mismatch, deadline out of range), kUnimplemented (record type not folded
  // by this version).
  absl::Status Check(const VerifiedEvent& e) const;

  // Whether this node may write `body` in the group (Ledger::CheckOwnWrite of every ledger):
  // the rules a node applies to its own writes on top of Check. Codes of Check.
  absl::Status CheckOwnWrite(const v1::Event& body) const;

  // The orgs that may be in `proposal`'s electorate when a ledger limits it
  // (Ledger::ElectorateScope), ascending by key; nullopt when none does.
  std::optional<std::vector<OrgKey>> ElectorateScope(const VerifiedEvent& proposal) const;

  // What `member` still owes the group or holds for it (Ledger::AddOpenObligations of every
  // ledger), ordered by kind, then record id (docs/PROTOCOL.md §5.7, "Open obligations").
  std::vector<Obligation> OpenObligations(const OrgKey& member) const;

  // Applies `e` (next in canonical order): its effect if Check passes, else it is recorded
  // as rejected with the reason.
  void Apply(const VerifiedEvent& e);
  // Records `e`, an event of an author frozen by a fork at e's seq (Group feeds no such event
  // to Apply), in the causal clocks only: it has no effect, but the honest events that name it
  // as a parent saw what it saw, and the fold judges their causal past on every held event
  // (docs/PROTOCOL.md §3.1). Nothing else changes, the state hash included.
  void RecordFrozen(const VerifiedEvent& e);
  // Apply for an event that Check admitted on this very state (a local write: Group::CheckNext
  // then Group::Insert), so that an event is checked once.
  void ApplyChecked(const VerifiedEvent& e);

  // SHA-256 over the derived state (docs/PROTOCOL.md §4): a domain tag, the group id, the
  // event count, each ledger's part in Domain order, the rejected event ids. Computed when
  // first asked (it reads the whole state; replication_bench saw GetGroup take 0.1 s at 100k
  // events) and kept until the next Apply.
  std::array<uint8_t, 32> Hash() const;

  // Checks every ledger's invariants (CONSTELLATION_CHECK); O(state), for tests and the
  // simulator.
  void CheckInvariants() const;

  const GroupId& group() const { return group_; }
  const Roster& roster() const { return static_cast<const Roster&>(*ledgers_[0]); }
  // The ledger of domain L::kDomain, e.g. state.ledger<FundraisingLedger>().
  template <typename L>
  const L& ledger() const {
    return static_cast<const L&>(*ledgers_[static_cast<size_t>(L::kDomain)]);
  }
  const std::map<EventId, std::string>& rejected_events() const { return rejected_; }
  uint64_t event_count() const { return event_count_; }
  const Hlc& last_hlc() const { return last_hlc_; }
  // The latest event folded of `author` (with or without effect), or nullptr.
  const AuthorProgress* Progress(const OrgKey& author) const;
  // The hlc of `author`'s latest folded event that happened before `e` (e excluded), or
  // nullopt when there is none. A function of e's causal past: finality and membership "in the
  // causal past" (docs/PROTOCOL.md §5.7) read it.
  std::optional<Hlc> LatestHlcInPast(const OrgKey& author, const VerifiedEvent& e) const;
  // The seq from which `author` is frozen by a fork, if it is.
  std::optional<uint64_t> FrozenFrom(const OrgKey& author) const;

  // The removal cuts found by this fold (one per expulsion that took effect) and those it was
  // given (constructor).
  const RemovalCuts& removal_cuts() const;
  const RemovalCuts& input_cuts() const { return input_cuts_; }
  // True when this fold found a cut it was not given: the group's state is then the fold of
  // the same events from the start with the cuts (FoldWithRemovalCuts). Callers that apply
  // events one at a time check it after each Apply.
  bool NeedsRefold() const;

  // Causal order of applied events (DESIGN §3); see CausalClocks.
  const CausalClocks& clocks() const {
    return borrowed_clocks_ != nullptr ? *borrowed_clocks_ : own_clocks_;
  }
  bool HappenedBefore(const EventId& a, const EventId& b) const {
    return clocks().HappenedBefore(a, b);
  }

 private:
  std::array<uint8_t, 32> ComputeHash() const;
  void ApplyWithVerdict(const VerifiedEvent& e, const absl::Status& verdict);
  Ledger& MutableLedger(Domain domain) { return *ledgers_[static_cast<size_t>(domain)]; }
  Roster& MutableRoster() { return static_cast<Roster&>(*ledgers_[0]); }

  GroupId group_;
  std::array<std::unique_ptr<Ledger>, kDomainCount> ledgers_;  // by Domain
  std::map<EventId, std::string> rejected_;                    // event id -> why it had no effect
  uint64_t event_count_ = 0;
  Hlc last_hlc_;
  std::map<OrgKey, AuthorProgress> progress_;
  std::map<OrgKey, std::vector<Hlc>> chain_hlcs_;  // each author's folded events' hlc, by seq - 1
  RemovalCuts input_cuts_;
  const CausalClocks* borrowed_clocks_ = nullptr;
  FrozenAuthors frozen_;
  mutable std::optional<std::array<uint8_t, 32>> hash_;  // Hash() of this state, once asked
  CausalClocks own_clocks_;
};

// The fold of a group's events including the retroactive part of expulsions (DESIGN §3,
// docs/PROTOCOL.md §5): `replay` must apply the group's events, in canonical order, to the
// state it is given. Folds once; if that fold found removal cuts, folds again with them.
// `clocks` as for the GroupState constructor.
GroupState FoldWithRemovalCuts(const GroupId& group, const std::function<void(GroupState&)>& replay,
                               const CausalClocks* clocks = nullptr,
                               const FrozenAuthors& frozen = {});

}  // namespace constellation::core
