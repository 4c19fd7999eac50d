#include "server/rpc/convenings/convenings_views.h"

#include "server/base/check.h"
#include "server/core/governance/decisions.h"
#include "server/core/governance/governance_ledger.h"
#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

// The body of `g`'s event `id`, which its convenings ledger names: the group holds every event
// its state was folded from.
const v1::Event& EventOf(const core::Group& g, const core::EventId& id) {
  const core::VerifiedEvent* e = g.Find(id);
  CONSTELLATION_CHECK(e != nullptr);
  return e->event;
}

}  // namespace

absl::StatusOr<const core::ConveningState*> FindConvening(const core::Group& g,
                                                          const std::string& id_bytes) {
  return FindRecord(core::Convenings(g.state()).convenings(), g, "convening", id_bytes);
}

absl::StatusOr<const core::ActionItemState*> FindActionItem(const core::Group& g,
                                                            const std::string& id_bytes) {
  return FindRecord(core::Convenings(g.state()).actions(), g, "action", id_bytes);
}

v1::ActionItemStatus ActionItemStatusAt(const core::ActionItemState& a, uint64_t as_of_ms) {
  if (a.done()) return v1::ACTION_ITEM_STATUS_DONE;
  return as_of_ms > a.due_ms ? v1::ACTION_ITEM_STATUS_OVERDUE : v1::ACTION_ITEM_STATUS_OPEN;
}

v1::ActionItemView ToActionItemView(const core::Group& g, const core::ActionItemState& a,
                                    uint64_t as_of_ms) {
  const v1::Event& e = EventOf(g, a.id);
  CONSTELLATION_CHECK(e.has_convening_action());
  v1::ActionItemView v;
  v.set_action_id(a.id.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_convening_id(a.convening.Bytes());
  *v.mutable_item() = e.convening_action().item();
  v.set_recorded_by(a.recorded_by.Bytes());
  *v.mutable_hlc() = a.hlc.ToProto();
  v.set_status(ActionItemStatusAt(a, as_of_ms));
  if (a.done()) {
    const core::VerifiedEvent& done = *g.Find(a.completions.front());
    v.set_completion_id(done.id.Bytes());
    v.set_completed_by(done.author.Bytes());
    v.set_completion_note(done.event.action_completion().note());
    *v.mutable_completed_hlc() = done.hlc.ToProto();
  }
  return v;
}

v1::ConveningView ToConveningView(const core::Group& g, const core::ConveningState& c,
                                  uint64_t as_of_ms) {
  const v1::Event& e = EventOf(g, c.id);
  CONSTELLATION_CHECK(e.has_convening());
  v1::ConveningView v;
  v.set_convening_id(c.id.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_convener(c.convener.Bytes());
  *v.mutable_convening() = e.convening();
  *v.mutable_hlc() = c.hlc.ToProto();
  const core::GovernanceLedger& governance = core::Governance(g.state());
  for (const core::EventId& id : c.agenda_proposals) {
    const core::ProposalState& p = governance.proposals().at(id);
    v1::AgendaProposalView* a = v.add_agenda_proposals();
    a->set_proposal_id(id.Bytes());
    a->set_title(p.proposal.title());
    a->set_outcome(std::string(core::DecisionOutcomeName(p.outcome.outcome)));
    a->set_final(p.outcome.final);
  }
  for (const auto& [org, event] : c.attendance) {
    v1::AttendanceView* a = v.add_attendance();
    a->set_member(org.Bytes());
    a->set_event_id(event.Bytes());
    *a->mutable_hlc() = g.Find(event)->hlc.ToProto();
  }
  if (!c.minutes.empty()) {
    v.set_minutes(EventOf(g, c.minutes.back()).convening_minutes().text());
    v.set_minutes_id(c.minutes.back().Bytes());
  }
  v.set_minutes_versions(static_cast<uint32_t>(c.minutes.size()));
  const auto& actions = core::Convenings(g.state()).actions();
  for (const core::EventId& id : c.actions) {
    *v.add_action_items() = ToActionItemView(g, actions.at(id), as_of_ms);
  }
  return v;
}

absl::StatusOr<v1::ConveningView> ConveningViewOf(const core::Group& group,
                                                  const std::string& convening_id,
                                                  uint64_t as_of_ms) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::ConveningState* c, FindConvening(group, convening_id));
  return ToConveningView(group, *c, as_of_ms);
}

absl::StatusOr<v1::ActionItemView> ActionItemViewOf(const core::Group& group,
                                                    const std::string& action_id,
                                                    uint64_t as_of_ms) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::ActionItemState* a, FindActionItem(group, action_id));
  return ToActionItemView(group, *a, as_of_ms);
}

}  // namespace constellation::rpc
