#include "tests/testing/team_events.h"

namespace constellation::testing {

v1::Event TeamBody(const std::vector<core::OrgKey>& leads,
                   const std::vector<core::OrgKey>& participants, v1::TeamStatus status,
                   const std::string& name) {
  v1::Event e;
  v1::ActionTeam* t = e.mutable_action_team();
  t->set_name(name);
  t->set_opportunity("Jobs for young people in the harbour district");
  for (const core::OrgKey& org : leads) t->add_leads(org.Bytes());
  for (const core::OrgKey& org : participants) t->add_participants(org.Bytes());
  t->set_status(status);
  return e;
}

v1::Event TeamVersionBody(const core::EventId& team, v1::Event version) {
  version.mutable_action_team()->set_supersedes(team.Bytes());
  return version;
}

v1::Event TeamLeadsBody(const core::EventId& team, const std::vector<core::OrgKey>& leads,
                        const std::vector<core::OrgKey>& team_orgs) {
  v1::Event e;
  v1::Proposal* p = e.mutable_proposal();
  p->set_decision_type(v1::DECISION_TYPE_TEAM_LEADS);
  p->set_title("Who leads the team");
  p->mutable_team_leads()->set_team_id(team.Bytes());
  for (const core::OrgKey& org : leads) p->mutable_team_leads()->add_leads(org.Bytes());
  for (const core::OrgKey& org : team_orgs) p->mutable_team_leads()->add_team_orgs(org.Bytes());
  return e;
}

}  // namespace constellation::testing
