#include "server/core/convenings/convenings_ledger.h"

#include <algorithm>
#include <set>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"

namespace constellation::core {

const ConveningsLedger& Convenings(const GroupState& state) {
  return state.ledger<ConveningsLedger>();
}

bool ConveningState::Invites(const OrgKey& org) const {
  return invitees.empty() || std::binary_search(invitees.begin(), invitees.end(), org);
}

// ---------------------------------------------------------------------------------------------
// Check

absl::Status ConveningsLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  if (!Governance(state).IsMemberInPast(e.author, e, state)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not a member in this record's causal past; only members record convenings",
        e.author.ShortHex()));
  }
  switch (e.event.body_case()) {
    case v1::Event::kConvening:
      return CheckConvening(e, state);
    case v1::Event::kConveningAttendance: {
      CONSTELLATION_ASSIGN_OR_RETURN(
          const ConveningState* c, ConveningInPast(e.event.convening_attendance().convening_id(),
                                                   "convening_attendance.convening_id", e, state));
      if (!c->Invites(e.author)) {
        return absl::PermissionDeniedError(absl::StrFormat(
            "org %s is not invited to convening %s; its convener %s invited "
            "%d members by name",
            e.author.ShortHex(), c->id.ShortHex(), c->convener.ShortHex(), c->invitees.size()));
      }
      if (auto it = c->attendance.find(e.author); it != c->attendance.end()) {
        return absl::AlreadyExistsError(
            absl::StrFormat("org %s's attendance at convening %s is already recorded (%s)",
                            e.author.ShortHex(), c->id.ShortHex(), it->second.ShortHex()));
      }
      return absl::OkStatus();
    }
    case v1::Event::kConveningMinutes: {
      CONSTELLATION_ASSIGN_OR_RETURN(const ConveningState* c,
                                     ConveningInPast(e.event.convening_minutes().convening_id(),
                                                     "convening_minutes.convening_id", e, state));
      if (c->convener != e.author) {
        return absl::PermissionDeniedError(absl::StrFormat(
            "only the convener (org %s) records the minutes of convening %s; org %s may not",
            c->convener.ShortHex(), c->id.ShortHex(), e.author.ShortHex()));
      }
      return absl::OkStatus();
    }
    case v1::Event::kConveningAction:
      return CheckAction(e, state);
    case v1::Event::kActionCompletion:
      return CheckCompletion(e, state);
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only these record types here
      return absl::InternalError("unreachable");
  }
}

absl::StatusOr<const ConveningState*> ConveningsLedger::ConveningInPast(
    const std::string& id_bytes, std::string_view field, const VerifiedEvent& e,
    const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(const EventId id, EventId::FromBytes(id_bytes, field));
  auto it = convenings_.find(id);
  if (it == convenings_.end()) {
    return absl::NotFoundError(absl::StrFormat("%s: convening %s not found in group %s",
                                               std::string(field), id.ShortHex(),
                                               state.group().ShortHex()));
  }
  if (!state.clocks().HappenedBefore(id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: convening %s is not in this record's causal past; write it from a node that holds "
        "the convening",
        std::string(field), id.ShortHex()));
  }
  return &it->second;
}

absl::Status ConveningsLedger::CheckConvening(const VerifiedEvent& e,
                                              const GroupState& state) const {
  const v1::Convening& c = e.event.convening();
  const GovernanceLedger& governance = Governance(state);
  for (const std::string& bytes : c.agenda_proposal_ids()) {
    const EventId id = *EventId::FromBytes(bytes);  // ValidateBody checked the size
    if (!governance.proposals().contains(id)) {
      return absl::NotFoundError(
          absl::StrFormat("convening.agenda_proposal_ids: proposal %s not found in group %s",
                          id.ShortHex(), state.group().ShortHex()));
    }
    if (!state.clocks().HappenedBefore(id, e)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "convening.agenda_proposal_ids: proposal %s is not in this record's causal past; "
          "schedule from a node that holds it",
          id.ShortHex()));
    }
  }
  for (const std::string& bytes : c.invitees()) {
    const OrgKey invitee = *OrgKey::FromBytes(bytes);
    if (!governance.IsMemberInPast(invitee, e, state)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "convening.invitees: org %s is not a member of group %s; invite members only",
          invitee.ShortHex(), state.group().ShortHex()));
    }
  }
  return absl::OkStatus();
}

absl::Status ConveningsLedger::CheckAction(const VerifiedEvent& e, const GroupState& state) const {
  const v1::ConveningAction& a = e.event.convening_action();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ConveningState* c,
      ConveningInPast(a.convening_id(), "convening_action.convening_id", e, state));
  // An author's own attendance is on its own chain, so it is in e's causal past once folded.
  if (c->convener != e.author && !c->attendance.contains(e.author)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s neither convened nor attended convening %s; its convener or an attendee "
        "records its action items",
        e.author.ShortHex(), c->id.ShortHex()));
  }
  const OrgKey owner = *OrgKey::FromBytes(a.item().owner());
  if (!Governance(state).IsMemberInPast(owner, e, state)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "convening_action.item.owner: org %s is not a member of group %s; an action item is "
        "owned by a member",
        owner.ShortHex(), state.group().ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status ConveningsLedger::CheckCompletion(const VerifiedEvent& e,
                                               const GroupState& state) const {
  const v1::ActionCompletion& done = e.event.action_completion();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const EventId id, EventId::FromBytes(done.action_id(), "action_completion.action_id"));
  auto it = actions_.find(id);
  if (it == actions_.end()) {
    return absl::NotFoundError(absl::StrFormat("action item %s not found in group %s",
                                               id.ShortHex(), state.group().ShortHex()));
  }
  const ActionItemState& a = it->second;
  if (!state.clocks().HappenedBefore(id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "action item %s is not in this record's causal past; write it from a node that holds "
        "the item",
        id.ShortHex()));
  }
  const OrgKey& convener = convenings_.at(a.convening).convener;
  if (e.author != a.owner && e.author != convener) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "action item %s is owned by org %s; only its owner or the convener (org %s) marks it "
        "done",
        id.ShortHex(), a.owner.ShortHex(), convener.ShortHex()));
  }
  for (const EventId& earlier : a.completions) {
    if (state.clocks().HappenedBefore(earlier, e)) {
      return absl::AlreadyExistsError(absl::StrFormat("action item %s is already done (%s)",
                                                      id.ShortHex(), earlier.ShortHex()));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Apply

void ConveningsLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)state, (void)roster;
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kConvening: {
      ConveningState c;
      c.id = e.id;
      c.convener = e.author;
      c.scheduled_ms = ev.convening().scheduled_ms();
      c.hlc = e.hlc;
      for (const std::string& bytes : ev.convening().invitees()) {
        c.invitees.push_back(*OrgKey::FromBytes(bytes));
      }
      std::sort(c.invitees.begin(), c.invitees.end());
      for (const std::string& bytes : ev.convening().agenda_proposal_ids()) {
        c.agenda_proposals.push_back(*EventId::FromBytes(bytes));
      }
      auto [it, inserted] = convenings_.emplace(e.id, std::move(c));
      CONSTELLATION_CHECK(inserted);
      CheckConveningInvariants(it->second);
      return;
    }
    case v1::Event::kConveningAttendance: {
      ConveningState& c =
          convenings_.at(*EventId::FromBytes(ev.convening_attendance().convening_id()));
      CONSTELLATION_CHECK(c.attendance.emplace(e.author, e.id).second);
      CheckConveningInvariants(c);
      return;
    }
    case v1::Event::kConveningMinutes:
      convenings_.at(*EventId::FromBytes(ev.convening_minutes().convening_id()))
          .minutes.push_back(e.id);
      return;
    case v1::Event::kConveningAction: {
      ActionItemState a;
      a.id = e.id;
      a.convening = *EventId::FromBytes(ev.convening_action().convening_id());
      a.recorded_by = e.author;
      a.owner = *OrgKey::FromBytes(ev.convening_action().item().owner());
      a.due_ms = ev.convening_action().item().due_ms();
      a.hlc = e.hlc;
      ConveningState& c = convenings_.at(a.convening);
      c.actions.push_back(e.id);
      CONSTELLATION_CHECK(actions_.emplace(e.id, std::move(a)).second);
      CheckConveningInvariants(c);
      return;
    }
    case v1::Event::kActionCompletion: {
      ActionItemState& a = actions_.at(*EventId::FromBytes(ev.action_completion().action_id()));
      CONSTELLATION_CHECK(std::find(a.completions.begin(), a.completions.end(), e.id) ==
                          a.completions.end());
      a.completions.push_back(e.id);
      return;
    }
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only these record types here
  }
}

// ---------------------------------------------------------------------------------------------
// Invariants and hash

void ConveningsLedger::CheckConveningInvariants(const ConveningState& c) const {
  CONSTELLATION_CHECK(std::is_sorted(c.invitees.begin(), c.invitees.end()));
  for (const auto& [org, event] : c.attendance) CONSTELLATION_CHECK(c.Invites(org));
  for (const EventId& id : c.actions) CONSTELLATION_CHECK(actions_.at(id).convening == c.id);
}

void ConveningsLedger::CheckInvariants() const {
  size_t listed = 0;
  for (const auto& [id, c] : convenings_) {
    CONSTELLATION_CHECK(c.id == id);
    CheckConveningInvariants(c);
    listed += c.actions.size();
  }
  CONSTELLATION_CHECK(listed == actions_.size());
  for (const auto& [id, a] : actions_) {
    CONSTELLATION_CHECK(a.id == id);
    const ConveningState& c = convenings_.at(a.convening);
    CONSTELLATION_CHECK(std::find(c.actions.begin(), c.actions.end(), id) != c.actions.end());
    CONSTELLATION_CHECK(std::set<EventId>(a.completions.begin(), a.completions.end()).size() ==
                        a.completions.size());
  }
}

void ConveningsLedger::HashInto(StateHasher& h) const {
  // An empty ledger writes nothing, so histories without convenings keep their hashes
  // (docs/PROTOCOL.md §5.13).
  if (convenings_.empty()) return;
  h.Bytes("constellation/v1/convenings");
  h.U64(convenings_.size());
  for (const auto& [id, c] : convenings_) {
    h.Id(id);
    h.Id(c.convener);
    h.U64(c.scheduled_ms);
    h.U64(c.invitees.size());
    for (const OrgKey& org : c.invitees) h.Id(org);
    h.U64(c.agenda_proposals.size());
    for (const EventId& p : c.agenda_proposals) h.Id(p);
    h.U64(c.attendance.size());
    for (const auto& [org, event] : c.attendance) {
      h.Id(org);
      h.Id(event);
    }
    h.U64(c.minutes.size());
    for (const EventId& m : c.minutes) h.Id(m);
  }
  h.U64(actions_.size());
  for (const auto& [id, a] : actions_) {
    h.Id(id);
    h.Id(a.convening);
    h.Id(a.recorded_by);
    h.Id(a.owner);
    h.U64(a.due_ms);
    h.U64(a.completions.size());
    for (const EventId& done : a.completions) h.Id(done);
  }
}

void ConveningsLedger::AddOpenObligations(const OrgKey& member, const GroupState&,
                                          std::vector<Obligation>& out) const {
  for (const auto& [id, a] : actions_) {
    if (a.owner != member || a.done()) continue;
    out.push_back({.kind = ObligationKind::kActionItem,
                   .record = id,
                   .amount_minor = 0,
                   .currency = "",
                   .due_ms = a.due_ms});
  }
}

}  // namespace constellation::core
