#include "server/rpc/health/health_views.h"

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/core/teams/teams_ledger.h"
#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

template <typename Id>
void AddIds(const std::vector<Id>& ids, google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const Id& id : ids) out->Add(id.Bytes());
}

}  // namespace

v1::PulseView ToPulseView(const core::Group& g, const core::PulseState& p) {
  const core::VerifiedEvent* e = g.Find(p.id);
  CONSTELLATION_CHECK(e != nullptr && e->event.has_pulse_check());
  v1::PulseView v;
  v.set_event_id(p.id.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_member(p.member.Bytes());
  v.set_alignment(p.alignment);
  v.set_comment(e->event.pulse_check().comment());
  *v.mutable_hlc() = p.hlc.ToProto();
  return v;
}

v1::HealthView ToHealthView(const core::Group& g, const core::GroupHealth& health) {
  v1::HealthView v;
  v.set_group_id(g.id().Bytes());
  v.set_as_of_ms(health.as_of_ms);
  v.set_review_cadence_days(health.review_cadence_days);
  v.set_review_ms(health.review_ms);
  v.set_review_due(health.review_due);
  v.set_term_end_ms(health.term_end_ms);
  v.set_term_ended(health.term_ended);
  v.set_dissolved(health.dissolved);
  v.set_open_proposals(health.open_proposals);
  const auto& members = g.state().roster().members();
  for (const core::MemberHealth& m : health.members) {
    v1::MemberHealthView* mv = v.add_members();
    mv->set_member(m.member.Bytes());
    mv->set_name(members.at(m.member).profile.name());
    mv->set_status(std::string(core::MemberStatusName(m.status)));
    mv->set_last_activity_ms(m.last_activity_ms);
    mv->set_silent(m.silent);
    mv->set_latest_alignment(m.latest_alignment);
    mv->set_previous_alignment(m.previous_alignment);
    AddIds(m.stances_owed, mv->mutable_stances_owed());
    AddIds(m.acknowledgements_owed, mv->mutable_acknowledgements_owed());
    AddIds(m.overdue_action_items, mv->mutable_overdue_action_items());
    AddIds(m.overdue_pledges, mv->mutable_overdue_pledges());
    for (const core::ReportDue& due : m.reports_owed) {
      v1::ReportDue* out = mv->add_reports_owed();
      out->set_version_id(due.version.Bytes());
      out->set_indicator_key(due.indicator_key);
      out->set_period(due.period);
    }
  }
  for (const core::PulsePeriod& p : health.pulse_trend) {
    v1::PulsePeriod* pv = v.add_pulse_trend();
    pv->set_period(p.period);
    pv->set_count(p.count);
    pv->set_average_milli(p.average_milli);
  }
  const core::TeamsLedger& teams = core::Teams(g.state());
  for (const core::EventId& id : health.teams_review_due) {
    const core::TeamState& team = teams.teams().at(id);
    const core::TeamVersion& current = team.current();
    const core::VerifiedEvent* e = g.Find(current.record);  // its name (§5.17.1)
    CONSTELLATION_CHECK(e != nullptr && e->event.has_action_team());
    v1::TeamReviewDue* due = v.add_teams_review_due();
    due->set_team_id(id.Bytes());
    due->set_name(e->event.action_team().name());
    due->set_review_ms(current.review_ms);
    due->set_status(std::string(core::TeamStatusName(team.status())));
    AddIds(current.leads, due->mutable_leads());
  }
  return v;
}

absl::StatusOr<v1::PulseView> PulseViewOf(const core::Group& group, const std::string& event_id,
                                          uint64_t as_of_ms) {
  (void)as_of_ms;
  CONSTELLATION_ASSIGN_OR_RETURN(const core::EventId id, ParseEventId(event_id, "event_id"));
  for (const core::PulseState& p : core::Health(group.state()).pulses()) {
    if (p.id == id) return ToPulseView(group, p);
  }
  return absl::NotFoundError(
      absl::StrFormat("pulse check %s not found in group %s", id.Hex(), group.id().Hex()));
}

}  // namespace constellation::rpc
