// sdk/src/teams/teams_convert.cc
#include "sdk/src/teams/teams_convert.h"

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// Conversions used only here are `static` (internal linkage), as in the other domains.

absl::Status ToProto(const TeamInput& in, v1::ActionTeam* proto) {
  proto->set_name(in.name);
  proto->set_opportunity(in.opportunity);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeIdList(in.leads, "team.leads", proto->mutable_leads()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeIdList(in.participants, "team.participants", proto->mutable_participants()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(in.fiscal_host, "team.fiscal_host", proto->mutable_fiscal_host()));
  proto->set_review_ms(in.review_ms);
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      SetEnum(in.status, "team.status", proto, &v1::ActionTeam::set_status));
  for (const std::string& key : in.goal_keys) proto->add_goal_keys(key);
  proto->set_workplan(in.workplan);
  return absl::OkStatus();
}

static TeamInput FromProto(const v1::ActionTeam& proto) {
  return TeamInput{proto.name(),
                   proto.opportunity(),
                   HexList(proto.leads()),
                   HexList(proto.participants()),
                   HexEncode(proto.fiscal_host()),
                   proto.review_ms(),
                   EnumName(proto.status()),
                   StringList(proto.goal_keys()),
                   proto.workplan()};
}

static TeamMember FromProto(const v1::TeamMemberView& proto) {
  return TeamMember{HexEncode(proto.org()), proto.lead(), proto.active()};
}

Team FromProto(const v1::TeamView& proto) {
  return Team{HexEncode(proto.team_id()),
              HexEncode(proto.group_id()),
              HexEncode(proto.created_by()),
              FromProto(proto.team()),
              HexEncode(proto.version_id()),
              HexEncode(proto.leads_decided_by()),
              proto.versions(),
              proto.status(),
              FromList<TeamMember>(proto.members(), FromProto),
              FromProto(proto.hlc())};
}

TeamWrite FromProto(const v1::TeamWriteResponse& proto) {
  return TeamWrite{FromProto(proto.event()), FromProto(proto.team())};
}

std::vector<Team> FromProto(const v1::ListTeamsResponse& proto) {
  return FromList<Team>(proto.teams(), FromProto);
}

}  // namespace constellation::internal
