// server/core/fold/ledger.h
//
// Ledger: the interface every record domain implements (docs/ARCHITECTURE.md "Adding a
// domain"). The fold (GroupState) owns one ledger per domain and dispatches each event, by its
// body case, through the registry (registry.h) to the ledger of its domain:
//
//   GroupState::Apply(e):  registry kind of e -> Roster::CheckAuthor -> ledger.Check(e, state)
//                          -> ledger.Apply(e, state, roster) (or e is rejected with the reason)
//                          -> every ledger's AfterEvent(e, ...)
//
// A ledger is pure (no I/O, clocks, threads or randomness) and deterministic: its state is a
// function of the events applied to it in canonical order. It reads the rest of the group
// through the GroupState it is given (the roster, other ledgers, authors' progress, causal
// clocks) and changes nothing but itself, except governance, which changes the roster through
// the Roster& it is given (admission, notice, withdrawal, expulsion).
// Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>

#include "server/core/codec.h"
#include "server/core/fold/state_hasher.h"

namespace constellation::core {

class GroupState;
class Roster;

// The record domains, in the order their state enters the state hash (docs/PROTOCOL.md §4).
enum class Domain : uint8_t {
  kRoster = 0,
  kGovernance = 1,
  kFundraising = 2,
  kPooled = 3,
  kConvenings = 4,
  kHealth = 5,
  kStrategy = 6,
  kMeasurement = 7,
  kTeams = 8,
};
inline constexpr size_t kDomainCount = 9;

// What a member still owes the group or holds for it (docs/PROTOCOL.md §5.7, "Open
// obligations"), in the order views list the kinds. Derived at read time, never hashed.
enum class ObligationKind : uint8_t { kPledge, kFund, kDisbursement, kReceipt, kActionItem };
inline std::string_view ObligationKindName(ObligationKind kind) {
  switch (kind) {
    case ObligationKind::kPledge:
      return "pledge";
    case ObligationKind::kFund:
      return "fund";
    case ObligationKind::kDisbursement:
      return "disbursement";
    case ObligationKind::kReceipt:
      return "receipt";
    case ObligationKind::kActionItem:
      return "action_item";
  }
  return "unknown";
}
struct Obligation {
  ObligationKind kind = ObligationKind::kPledge;
  EventId record;            // the pledge, fund, drawdown proposal, contribution or action item
  int64_t amount_minor = 0;  // 0 for an action item
  std::string currency;      // ISO 4217; empty for an action item
  uint64_t due_ms = 0;       // an action item's due time; 0 otherwise
};

class Ledger {
 public:
  virtual ~Ledger() = default;

  // Whether `e`, a record of this domain whose author the roster already admitted, may take
  // effect in `state`. The codes of GroupState::Check.
  virtual absl::Status Check(const VerifiedEvent& e, const GroupState& state) const = 0;

  // A group-wide rule this ledger owns, asked of EVERY folded record (of any domain) whose
  // author the roster admitted, before its own domain's Check: OK, or why `e` may not take
  // effect at all (governance refuses what does not settle a dissolved group). The codes of
  // GroupState::Check.
  virtual absl::Status CheckAnyRecord(const VerifiedEvent& e, const GroupState& state) const {
    (void)e, (void)state;
    return absl::OkStatus();
  }

  // A rule a node applies to its OWN writes only, never to events it receives (docs/PROTOCOL.md
  // §6), asked of every body this node is about to write in the group, of any domain: OK, or
  // why the node refuses to sign it (an ADOPT_STRATEGY proposal naming a version the node does
  // not hold). Such rules keep a node from writing what the fold would accept but is void.
  virtual absl::Status CheckOwnWrite(const v1::Event& body, const GroupState& state) const {
    (void)body, (void)state;
    return absl::OkStatus();
  }

  // The orgs that may be in the electorate of `proposal` (a proposal event that Check admits)
  // when this ledger limits it, ascending by key; nullopt when it does not (docs/PROTOCOL.md
  // §5.4: the teams ledger limits a TEAM_LEADS proposal to the team's orgs). Governance asks
  // every ledger when it fixes a proposal's electorate; at most one ledger limits a type.
  virtual std::optional<std::vector<OrgKey>> ElectorateScope(const VerifiedEvent& proposal,
                                                             const GroupState& state) const {
    (void)proposal, (void)state;
    return std::nullopt;
  }

  // Applies `e`, which Check admitted in the same state. Checks this ledger's invariants for
  // what it changed (CONSTELLATION_CHECK).
  virtual void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) = 0;

  // Called after every event of the group, with or without effect, once its author's progress
  // is recorded (governance derives closes and finality here).
  virtual void AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
    (void)e, (void)state, (void)roster;
  }

  // True when `e`, a record of this domain by a member the roster holds as removed, is an
  // exception to the roster's rule that removed members' events have no effect.
  virtual bool AdmitsRemovedAuthor(const VerifiedEvent& e, const GroupState& state) const {
    (void)e, (void)state;
    return false;
  }

  // Appends what `member` still owes the group or holds for it in this ledger's records
  // (docs/PROTOCOL.md §5.7, "Open obligations"), whatever its status. For read APIs.
  virtual void AddOpenObligations(const OrgKey& member, const GroupState& state,
                                  std::vector<Obligation>& out) const {
    (void)member, (void)state, (void)out;
  }

  // Writes this ledger's part of the state hash (docs/PROTOCOL.md §4).
  virtual void HashInto(StateHasher& h) const = 0;

  // Checks every invariant of the whole ledger (CONSTELLATION_CHECK); O(size), for tests and
  // the simulator. Apply checks what it changes.
  virtual void CheckInvariants() const = 0;

  // A copy of this ledger's state (a checkpoint of the fold).
  virtual std::unique_ptr<Ledger> Clone() const = 0;
};

}  // namespace constellation::core
