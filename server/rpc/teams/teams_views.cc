#include "server/rpc/teams/teams_views.h"

#include "server/base/check.h"
#include "server/core/roster/roster.h"
#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

// Whether `org` is a member of `g` (active or under notice) at `as_of_ms`.
bool IsMemberAt(const core::Group& g, const core::OrgKey& org, uint64_t as_of_ms) {
  const core::MemberState* m = g.state().roster().Find(org);
  return m != nullptr && core::IsMemberAt(*m, as_of_ms);
}

}  // namespace

absl::StatusOr<const core::TeamState*> FindTeam(const core::Group& g, const std::string& id_bytes) {
  return FindRecord(core::Teams(g.state()).teams(), g, "team", id_bytes,
                    "; 'constellation team list' shows the group's teams");
}

v1::TeamView ToTeamView(const core::Group& g, const core::TeamState& t, uint64_t as_of_ms) {
  const core::TeamVersion& current = t.current();
  // A decided version (docs/PROTOCOL.md §5.17.1) carries its record's text and its own leads.
  const core::VerifiedEvent* e = g.Find(current.record);
  CONSTELLATION_CHECK(e != nullptr && e->event.has_action_team());
  v1::TeamView v;
  v.set_team_id(t.id.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_created_by(t.created_by.Bytes());
  *v.mutable_team() = e->event.action_team();
  if (current.decided_at.has_value()) {
    v1::ActionTeam& team = *v.mutable_team();
    team.clear_leads();
    team.clear_participants();
    for (const core::OrgKey& org : current.leads) team.add_leads(org.Bytes());
    for (const core::OrgKey& org : current.participants) team.add_participants(org.Bytes());
    v.set_leads_decided_by(current.id.Bytes());
  }
  v.set_version_id(current.record.Bytes());
  v.set_versions(static_cast<uint32_t>(t.versions.size()));
  v.set_status(std::string(core::TeamStatusName(t.status())));
  for (const auto& [orgs, lead] :
       {std::pair{&current.leads, true}, std::pair{&current.participants, false}}) {
    for (const core::OrgKey& org : *orgs) {
      v1::TeamMemberView* m = v.add_members();
      m->set_org(org.Bytes());
      m->set_lead(lead);
      m->set_active(IsMemberAt(g, org, as_of_ms));
    }
  }
  *v.mutable_hlc() = t.hlc.ToProto();
  return v;
}

absl::StatusOr<v1::TeamView> TeamViewOf(const core::Group& group, const std::string& team_id,
                                        uint64_t as_of_ms) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::TeamState* t, FindTeam(group, team_id));
  return ToTeamView(group, *t, as_of_ms);
}

}  // namespace constellation::rpc
