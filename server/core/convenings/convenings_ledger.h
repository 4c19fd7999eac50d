// server/core/convenings/convenings_ledger.h
//
// ConveningsLedger: meetings of the group (issue 9 "Convenings", docs/PROTOCOL.md §5.13). A
// member, the convener, schedules a convening (title, time, agenda of free items and of the
// group's proposals, invitees); invited members record their own attendance; the convener
// records the minutes (a later record replaces the text, every version stays); the convener or
// a member who attended records action items (text, owner, due date), which their owner or the
// convener marks done.
//
// Check reads only the event's causal past, or facts only the event's author changes (its own
// attendance, the convener's minutes), so every node judges a record the same wherever
// concurrent records sort. The one concurrent case: two completions of the same action item
// that did not see each other both take effect; the first in canonical order is the one that
// counts (a function of the set of events).
//
// The state is compact: ids, keys and times. Text (titles, agenda items, minutes, notes) stays
// in the events the state names; views read it there. Whether an open item is overdue depends
// on the time of the read, so the views derive it, never the fold.
//
// Invariants (checked after every Apply for what it changed, and by CheckInvariants): every
// action item belongs to a convening that lists it; a convening's attendees are among its
// invitees when it names any; an action item's completions are distinct events.
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"

namespace constellation::core {

struct ConveningState {
  EventId id;  // the convening event
  OrgKey convener;
  uint64_t scheduled_ms = 0;
  std::vector<OrgKey> invitees;           // ascending by key; empty = every member
  std::vector<EventId> agenda_proposals;  // in agenda order
  std::map<OrgKey, EventId> attendance;   // attendee -> its attendance record
  std::vector<EventId> minutes;           // minutes records in canonical order; the last counts
  std::vector<EventId> actions;           // its action items in canonical order
  Hlc hlc;

  // Whether `org` may attend: invited by name, or every member is invited.
  bool Invites(const OrgKey& org) const;
};

struct ActionItemState {
  EventId id;  // the convening_action event
  EventId convening;
  OrgKey recorded_by;
  OrgKey owner;
  uint64_t due_ms = 0;
  Hlc hlc;
  // Accepted completions in canonical order (concurrent ones can be several); the first counts.
  std::vector<EventId> completions;

  bool done() const { return !completions.empty(); }
};

class ConveningsLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kConvenings;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // convenings_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  const std::map<EventId, ConveningState>& convenings() const { return convenings_; }
  const std::map<EventId, ActionItemState>& actions() const { return actions_; }

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  // The action items it owns that are not done.
  void AddOpenObligations(const OrgKey& member, const GroupState& state,
                          std::vector<Obligation>& out) const override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override {
    return std::make_unique<ConveningsLedger>(*this);
  }

 private:
  absl::Status CheckConvening(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckAction(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckCompletion(const VerifiedEvent& e, const GroupState& state) const;
  // The convening `id_bytes` names, in e's causal past: kNotFound, kFailedPrecondition.
  absl::StatusOr<const ConveningState*> ConveningInPast(const std::string& id_bytes,
                                                        std::string_view field,
                                                        const VerifiedEvent& e,
                                                        const GroupState& state) const;
  void CheckConveningInvariants(const ConveningState& c) const;

  std::map<EventId, ConveningState> convenings_;
  std::map<EventId, ActionItemState> actions_;
};

// The convenings ledger of `state` (state.ledger<ConveningsLedger>()).
const ConveningsLedger& Convenings(const GroupState& state);

}  // namespace constellation::core
