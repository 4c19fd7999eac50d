// server/core/strategy/strategy_ledger.h
//
// StrategyLedger: the group's shared strategy (issue 9 item 1, docs/PROTOCOL.md §5.15). Members
// draft versions of the group's strategy documents (common agenda, guiding principles, terms
// of reference, strategic plan), each with its text, goals and shared-measurement indicators,
// based on an earlier version of the same document (its lineage). Versions are never edited;
// two versions on the same base are alternatives, both kept. A version becomes current only by
// an ADOPT_STRATEGY proposal whose outcome turns final and passed, and which names a version
// in the proposal's causal past (its adoption); the current version of a document is the one
// of the latest-proposed adoption by (hlc, id) in effect.
//
// Check reads only the event's causal past, so every node judges a version the same wherever
// concurrent records sort. Adoptions are recorded in AfterEvent, at the event at which the
// proposal's outcome turned final (governance, an earlier domain, derives it first), so every
// node records the same adoptions at the same point of the fold.
//
// The state is compact: ids, keys, documents and stamps. Text, goals and indicators stay in the
// events the state names; views read them there.
//
// Invariants (checked after every Apply for what it changed, and by CheckInvariants): a
// version's parent is an earlier version of the same document that lists it as a child; an
// adoption names a version of its document; a pending adoption is not an adoption in effect.
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"

namespace constellation::core {

// What the fold keeps of one indicator of a version: what reports and the health view check.
struct IndicatorState {
  std::string key;
  v1::IndicatorLevel level = v1::INDICATOR_LEVEL_UNSPECIFIED;
  v1::ReportingFrequency frequency = v1::REPORTING_FREQUENCY_UNSPECIFIED;
  std::optional<OrgKey> owner;
};

struct StrategyVersionState {
  EventId id;  // the strategy_version event
  OrgKey author;
  v1::StrategyDocument document = v1::STRATEGY_DOCUMENT_UNSPECIFIED;
  std::optional<EventId> parent;
  std::vector<EventId> children;           // versions based on this one, in canonical order
  std::vector<IndicatorState> indicators;  // in the version's order
  std::vector<std::string> goal_keys;      // in the version's order (action teams link them)
  Hlc hlc;

  // The indicator with `key`; nullptr when the version has none.
  const IndicatorState* FindIndicator(std::string_view key) const;
};

// An adoption in effect: a final, passed ADOPT_STRATEGY proposal naming a version in its past.
struct AdoptionState {
  EventId proposal;
  EventId version;
  v1::StrategyDocument document = v1::STRATEGY_DOCUMENT_UNSPECIFIED;
  Hlc proposal_hlc;
  EventId final_at;       // the event at which the proposal's outcome turned final
  uint64_t final_ms = 0;  // that event's hlc.wall_ms
};

class StrategyLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kStrategy;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // strategy_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  const std::map<EventId, StrategyVersionState>& versions() const { return versions_; }
  // The accepted strategy version `id` when it is in `e`'s causal past, else nullptr
  // (docs/PROTOCOL.md §5.15: a version concurrent with e counts as absent, wherever it sorts).
  const StrategyVersionState* FindInPast(const EventId& id, const VerifiedEvent& e,
                                         const GroupState& state) const;
  // Adoptions in effect, by proposal id.
  const std::map<EventId, AdoptionState>& adoptions() const { return adoptions_; }
  // ADOPT_STRATEGY proposals naming a version in their past whose outcome is not final yet.
  const std::set<EventId>& pending_adoptions() const { return pending_; }

  // The adoption that makes a version of `document` current: the greatest by the proposal's
  // (hlc, id) among the adoptions of `document` in effect; nullptr when there is none.
  const AdoptionState* Current(v1::StrategyDocument document) const;

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  // Refuses an ADOPT_STRATEGY proposal naming a version this group does not hold (kNotFound):
  // the fold accepts such a proposal, but it would adopt nothing (docs/PROTOCOL.md §5.15).
  absl::Status CheckOwnWrite(const v1::Event& body, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override { return std::make_unique<StrategyLedger>(*this); }

 private:
  void CheckVersionInvariants(const StrategyVersionState& v) const;

  std::map<EventId, StrategyVersionState> versions_;
  std::map<EventId, AdoptionState> adoptions_;
  std::set<EventId> pending_;
};

// The strategy ledger of `state` (state.ledger<StrategyLedger>()).
const StrategyLedger& Strategy(const GroupState& state);

}  // namespace constellation::core
