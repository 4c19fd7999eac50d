// sdk/src/teams/teams_client.cc: the action teams domain's Client methods (TeamService):
// create, update, and the reads.
#include <string>
#include <utility>

#include <constellation/client.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/teams/teams_convert.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::DecodeRecordIds,
    internal::FromProto, internal::UnaryCall;
using TeamStub = v1::TeamService::Stub;

v1::ListTeamsRequest ListRequest(std::string_view group_id, std::string_view member,
                                 absl::Status* status) {
  v1::ListTeamsRequest request;
  *status = DecodeId(group_id, "group_id", request.mutable_group_id());
  if (status->ok()) *status = DecodeOptionalId(member, "member", request.mutable_member());
  return request;
}

}  // namespace

absl::StatusOr<TeamWrite> Client::CreateTeam(std::string_view group_id, const TeamInput& team,
                                             const WriteOptions& write) {
  return internal::GroupWriteCall<TeamWrite>(*core_, "CreateTeam", &TeamStub::CreateTeam, group_id,
                                             team, &v1::CreateTeamRequest::mutable_team,
                                             internal::ToProto, write, FromProto);
}

absl::StatusOr<TeamWrite> Client::UpdateTeam(std::string_view group_id, std::string_view team_id,
                                             const TeamInput& team, const WriteOptions& write) {
  v1::UpdateTeamRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, team_id, "team_id", request.mutable_group_id(), request.mutable_team_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(team, request.mutable_team()));
  return UnaryCall<TeamWrite>(*core_, "UpdateTeam", &TeamStub::UpdateTeam, std::move(request),
                              write, FromProto);
}

absl::StatusOr<Team> Client::GetTeam(std::string_view group_id, std::string_view team_id) {
  v1::GetTeamRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, team_id, "team_id", request.mutable_group_id(), request.mutable_team_id()));
  return UnaryCall<Team>(*core_, "GetTeam", &TeamStub::GetTeam, request, FromProto);
}

absl::StatusOr<ProposalWrite> Client::ProposeTeamLeads(std::string_view group_id,
                                                       std::string_view team_id,
                                                       std::vector<std::string> leads,
                                                       ProposalSpec proposal,
                                                       const WriteOptions& write) {
  absl::StatusOr<Team> team = GetTeam(group_id, team_id);
  if (!team.ok()) return team.status();
  TeamLeadsPayload payload{team->team_id, std::move(leads), {}};
  for (const TeamMember& m : team->members) payload.team_orgs.push_back(m.org);
  proposal.decision_type = "team_leads";
  proposal.team_leads = std::move(payload);
  return Propose(group_id, proposal, write);
}

absl::StatusOr<std::vector<Team>> Client::ListTeams(std::string_view group_id,
                                                    std::string_view member) {
  absl::Status status;
  v1::ListTeamsRequest request = ListRequest(group_id, member, &status);
  CONSTELLATION_SDK_RETURN_IF_ERROR(status);
  return internal::DrainPages<Team>(*core_, "ListTeams", &TeamStub::ListTeams, request, FromProto);
}

absl::StatusOr<Page<Team>> Client::ListTeamsPage(std::string_view group_id, std::string_view member,
                                                 const PageOptions& page) {
  absl::Status status;
  v1::ListTeamsRequest request = ListRequest(group_id, member, &status);
  CONSTELLATION_SDK_RETURN_IF_ERROR(status);
  return internal::PageCall<Team>(*core_, "ListTeams", &TeamStub::ListTeams, request, page,
                                  FromProto);
}

}  // namespace constellation
